// Files that are tools around a service rather than the deployed service: scripts, examples,
// samples, local development, benchmarks and load tests. Checks about how a deployment is
// configured (bundling at start, connection security) leave them alone: a local runner or a
// benchmark collector is not what production runs.

/** A folder named for tools (`scripts/`, `examples/`, `dev/`, `tools/`, `debug/`, `tracecat-benchmark/`, `load-tests/`). */
const TOOL_DIRECTORY = /(^|\/)((scripts?|examples?|samples?|dev|local|tools|debug)|[^/]*\b(benchmarks?|bench|load-?tests?|loadtest)\b[^/]*)\//i;
/** A file named for local use (`worker.dev.ts`, `local-worker.ts`, `playground.ts`, `temporal-debugger.ts`). */
const TOOL_FILE = /(^|[.\-_])(dev|local|playground|example|benchmark|bench|loadtest|debug|debugger)([.\-_]|$)/i;

/** True for a path relative to the reviewed directory (forward slashes) that holds tool code. */
export function isToolCode(relative: string): boolean {
  return TOOL_DIRECTORY.test(relative) || TOOL_FILE.test(relative.split('/').pop() ?? '');
}

/**
 * Orders places so that a finding grouped over several of them is anchored in the service's own
 * code: places in tool code (an example next to the docs, a script) come last, then by file, line
 * and column. `root` is the reviewed directory; files are absolute.
 */
export function compareServiceFirst(root: string, a: { file: string; line: number; column?: number }, b: { file: string; line: number; column?: number }): number {
  const relative = (file: string): string => (file.startsWith(root) ? file.slice(root.length).replace(/^[\\/]+/, '') : file).split('\\').join('/');
  const tool = Number(isToolCode(relative(a.file))) - Number(isToolCode(relative(b.file)));
  if (tool !== 0) return tool;
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.column ?? 0) - (b.column ?? 0);
}
