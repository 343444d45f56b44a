// Exec probe commands that cannot fail: `true`, `exit 0`, `echo ...`, `node -e "process.exit(0)"`,
// `python -c "import sys; sys.exit(0)"`, directly or through `sh -c`. Kubernetes counts exit code 0 as healthy, so such a probe passes
// whatever state the container is in. A command with a template action or an environment
// substitution in its script is not judged.

const SHELLS = /^(?:\/usr)?(?:\/bin\/)?(?:sh|bash|ash|dash|zsh)$/;
const RUNTIMES = /^(?:\/usr\/(?:local\/)?bin\/)?(?:node|bun|deno)$/;
/** A JavaScript program that ends with exit code 0 whatever happens before it. */
const JS_NOTHING = /^\s*(?:process\.exit\(\s*0?\s*\)|true|0|1|null|undefined|void 0)?\s*;?\s*$/;
const PYTHON = /^(?:\/usr\/(?:local\/)?bin\/)?python(?:3(?:\.\d+)?)?$/;
/** A Python statement that does nothing or ends the program with exit code 0. */
const PYTHON_NOTHING = /^(?:import (?:sys|os)|pass|True|None|0|1|(?:sys\.)?exit\(\s*0?\s*\)|quit\(\s*0?\s*\)|os\._exit\(\s*0\s*\)|raise SystemExit(?:\(\s*0?\s*\))?)$/;

/** The command as written when it checks nothing, else undefined. */
export function probeChecksNothing(command: string[]): string | undefined {
  if (command.length === 0 || command.some((part) => part.includes('{{') || /\$\{?[A-Za-z_]/.test(part))) return undefined;
  const [program, ...args] = command;
  const shown = command.join(' ');
  if (SHELLS.test(program!) && args.length === 2 && /^-[a-z]*c$/.test(args[0]!)) return scriptDoesNothing(args[1]!) ? shown : undefined;
  return runsNothing(command) ? shown : undefined;
}

function scriptDoesNothing(script: string): boolean {
  const statements = script.split(/;|&&|\n/).map((statement) => statement.trim()).filter(Boolean);
  return statements.length > 0 && statements.every((statement) => runsNothing(words(statement)));
}

function runsNothing(command: string[]): boolean {
  const [program, ...args] = command;
  if (program === undefined) return false;
  if (/^(?:\/usr)?(?:\/bin\/)?true$/.test(program) || program === ':') return args.length === 0;
  if (program === 'exit') return args.length === 0 || (args.length === 1 && args[0] === '0');
  if (/^(?:\/usr)?(?:\/bin\/)?echo$/.test(program)) return !args.some((arg) => /[`|>]|\$\(/.test(arg));
  if (RUNTIMES.test(program) && args.length === 2 && (args[0] === '-e' || args[0] === '--eval')) return JS_NOTHING.test(args[1]!);
  if (PYTHON.test(program) && args.length === 2 && args[0] === '-c') return pythonDoesNothing(args[1]!);
  return false;
}

/** A `python -c` program whose every statement does nothing or exits 0. */
function pythonDoesNothing(program: string): boolean {
  const statements = program.split(/;|\n/).map((statement) => statement.trim()).filter(Boolean);
  return statements.every((statement) => PYTHON_NOTHING.test(statement));
}

/** Shell words of a simple statement, quotes removed (no expansions are interpreted). */
function words(statement: string): string[] {
  return (statement.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((word) => word.replace(/^(["'])(.*)\1$/, '$2'));
}
