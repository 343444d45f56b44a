// Prevents non-determinism errors in the workflows that change most: a workflow that carries patch
// markers (patched() / deprecatePatch(), workflow.patched() / workflow.deprecate_patch()) is being
// changed while runs are open, and a replay test proves such a change safe only for the workflow
// types whose histories it replays (TEMPORAL-FACTS.md §1, §9). When the project has replay tests
// but none replays this type, its patches are never checked against recorded histories.
// A project with no replay test at all gets no-replay-test instead.

import path from 'node:path';
import { defineCheck, type CheckContext } from '../define-check.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { REPLAY_TEST_GLOBS } from '../../model/typescript/sandbox/replay-test-usage.js';
import { PYTHON_REPLAY, pythonReplayCandidates, pythonReplaySites, relativePath, typeScriptReplaySites, type ProjectFiles, type ReplaySite } from '../../model/replay-coverage.js';
import { pythonPatchCalls, typeScriptPatchCalls, type PatchCall } from '../../model/worker-versioning.js';
import type { SourceLocation } from '../../model/types.js';

/** Bigger files are generated or vendored, not tests. */
const MAX_SCANNED_BYTES = 1024 * 1024;

interface PatchedWorkflow {
  /** The workflow type. */
  name: string;
  /** Names a replay site may list it by (Python: the class name too). */
  names: string[];
  location: SourceLocation;
  calls: PatchCall[];
}

export default defineCheck({
  id: 'patched-workflow-not-replayed',
  area: 'determinism',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A workflow that carries patch markers is not replayed by any of the replay tests',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.workflows.length === 0) return;
    const project: ProjectFiles = { read: (file) => ctx.readProjectFile(file), glob: (patterns) => ctx.globProjectFiles(patterns) };
    const python = pythonModelOf(model);
    let workflows: PatchedWorkflow[];
    let sites: ReplaySite[];
    if (python) {
      const calls = pythonPatchCalls(python.files).calls;
      workflows = python.workflows.flatMap((workflow) => {
        const first = workflow.location.line;
        const last = classEnd(ctx.readProjectFile(workflow.file), first);
        const inside = calls.filter((call) => call.file === workflow.file && call.line >= first && call.line <= last);
        return inside.length ? [{ name: workflow.name, names: [workflow.name, workflow.className], location: workflow.location, calls: inside }] : [];
      });
      if (workflows.length === 0) return;
      const files = pythonReplayCandidates(project).flatMap((file) => {
        const text = ctx.readProjectFile(file);
        return text && text.length <= MAX_SCANNED_BYTES && PYTHON_REPLAY.test(text) ? [{ file, text }] : [];
      });
      sites = pythonReplaySites(files, project);
      // A replay test whose Replayer this scan does not see (`.replay_workflow` on a replayer made elsewhere).
      if (sites.length === 0 && files.length > 0) sites = files.map((f) => ({ file: f.file, line: 0, types: 'unknown' as const, how: 'unknown' as const, reason: 'the Replayer it uses is made elsewhere' }));
    } else {
      const calls = typeScriptPatchCalls(model.files, (file) => model.sourceFile(file)).calls;
      workflows = model.workflows.flatMap((workflow) => {
        if (workflow.helperExport) return [];
        const inside = calls.filter((call) => call.file === workflow.file && call.offset !== undefined && call.offset >= workflow.node.pos && call.offset < workflow.node.end);
        return inside.length ? [{ name: workflow.name, names: [workflow.name], location: workflow.location, calls: inside }] : [];
      });
      if (workflows.length === 0) return;
      sites = typeScriptReplaySites(typeScriptFiles(ctx, model), project);
    }
    // No replay test at all: no-replay-test reports the project.
    if (sites.length === 0 || sites.some((site) => site.types === 'all')) return;
    for (const workflow of workflows) report(ctx, workflow, sites, python ? 'python' : 'typescript');
  },
});

/** The files that may hold a TypeScript replay test: the model's sources and tests, and test and CI files outside every tsconfig. */
function typeScriptFiles(ctx: CheckContext, model: NonNullable<CheckContext['model']>): { file: string; text: string }[] {
  const seen = new Set<string>();
  const result: { file: string; text: string }[] = [];
  const add = (file: string, text: string | undefined): void => {
    if (seen.has(file) || text === undefined) return;
    seen.add(file);
    result.push({ file, text });
  };
  for (const file of [...model.files, ...model.testFiles]) add(relativePath(ctx.root, file), model.sourceFile(file)?.text);
  for (const file of ctx.globProjectFiles([...REPLAY_TEST_GLOBS])) if (!seen.has(file)) add(file, ctx.readProjectFile(file));
  return result;
}

function report(ctx: CheckContext, workflow: PatchedWorkflow, sites: ReplaySite[], language: 'typescript' | 'python'): void {
  const covering = sites.filter((site) => Array.isArray(site.types) && workflow.names.some((name) => (site.types as string[]).includes(name)));
  const unknown = sites.filter((site) => site.types === 'unknown');
  const at = (site: ReplaySite) => (site.line ? `${site.file}:${site.line}` : site.file);
  const patchApi = language === 'python' ? 'workflow.patched()' : 'patched()';
  const deprecateApi = language === 'python' ? 'workflow.deprecate_patch()' : 'deprecatePatch()';
  const patched = workflow.calls.filter((call) => call.api === 'patched');
  const deprecated = workflow.calls.filter((call) => call.api === 'deprecatePatch');
  const ids = [...new Set(workflow.calls.map((call) => call.patchId).filter(Boolean))];
  const idList = ids.length ? ` (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ` and ${ids.length - 3} more` : ''})` : '';
  const markers =
    [patched.length ? `${patchApi} ${times(patched.length)}` : '', deprecated.length ? `${deprecateApi} ${times(deprecated.length)}` : ''].filter(Boolean).join(' and ') + idList;
  const opening = `${workflow.name} calls ${markers}: its code is being changed while runs are open, and each patch is safe only if it covers every branch the histories of those runs took.`;
  const known = sites.filter((site) => Array.isArray(site.types));
  const replayed = describeReplayed(known, at);
  const related = sites.map((site) => ({
    file: path.resolve(ctx.root, site.file),
    line: Math.max(site.line, 1),
    column: 1,
    message: Array.isArray(site.types) ? `replays ${site.types.join(', ')}` : `replays histories of types that cannot be told: ${site.reason}`,
  }));
  const data = {
    workflow: workflow.name,
    patchCalls: patched.length,
    deprecatePatchCalls: deprecated.length,
    patchIds: ids,
    replayTests: sites.map((site) => ({ at: at(site), types: site.types, how: site.how, ...(site.reason ? { reason: site.reason } : {}), ...(site.currentCode ? { currentCode: true } : {}) })),
  };
  const fix =
    language === 'python'
      ? `Export histories of open and recent ${workflow.name} runs (temporal workflow show -o json) and replay them in a test with Replayer(workflows=[${workflow.names[workflow.names.length - 1]}, ...]); see docs/replay-testing.md.`
      : `Export histories of open and recent ${workflow.name} runs (temporal workflow show -o json) and replay them in a test with Worker.runReplayHistories (or \`temporal-preflight replay\`); see docs/replay-testing.md.`;
  if (covering.length > 0) {
    // Replayed, but only histories the test itself makes with the code it then replays against.
    if (unknown.length > 0 || !covering.every((site) => site.how === 'run' && site.currentCode)) return;
    ctx.report({
      location: workflow.location,
      severity: 'info',
      message:
        `${opening} The replay ${covering.length === 1 ? 'test replays' : 'tests replay'} only histories that the same test makes by running ${workflow.name} on the workflow code it then replays against ` +
        `(${sameFileShort(covering.map(at))}): that shows the current code replays its own histories, not that it replays the histories of runs started by the previous release, which is what the patches are for.`,
      fix: `Also replay recorded histories of ${workflow.name} runs started by the deployed release (temporal workflow show -o json, kept under the tests), or histories made by running the previous version of the workflow code; see docs/replay-testing.md.`,
      related,
      data: { ...data, replayedOnlyFromOwnRuns: true },
    });
    return;
  }
  if (unknown.length > 0) {
    ctx.report({
      location: workflow.location,
      severity: 'info',
      message:
        `${opening} Cannot tell whether a replay test replays its histories: ` +
        unknown.map((site) => `${at(site)}: ${site.reason}`).join('; ') +
        '.' + (replayed ? ` ${replayed}` : ''),
      fix,
      related,
      data,
    });
    return;
  }
  ctx.report({
    location: workflow.location,
    message: `${opening} No replay test replays its histories: ${replayed} A change to ${workflow.name} that breaks its open runs (or a patch that misses a branch) is found only in production, as non-determinism errors that block those runs.`,
    fix,
    related,
    data,
  });
}

/** `a.ts:1, a.ts:5, b.ts:2` -> `a.ts:1, 5, b.ts:2`: a file named once for its lines in a row. */
function sameFileShort(places: string[]): string {
  let previous = '';
  return places
    .map((place) => {
      const match = /^(.*):(\d+)$/.exec(place);
      if (!match) return (previous = '', place);
      const short = match[1] === previous ? match[2]! : place;
      previous = match[1]!;
      return short;
    })
    .join(', ');
}

/** The last line of the Python class whose `class` line is given: the lines after it that are blank, comments or indented deeper. */
function classEnd(text: string | undefined, classLine: number): number {
  if (!text) return classLine;
  const lines = text.split('\n');
  const indent = (line: string) => line.length - line.trimStart().length;
  const base = indent(lines[classLine - 1] ?? '');
  let last = classLine;
  for (let i = classLine; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (indent(line) <= base) break;
    last = i + 1;
  }
  return last;
}

function times(count: number): string {
  return count === 1 ? 'once' : `${count} times`;
}

/** "the replay tests replay only A (f:1) and B (f:2, f:3)." */
function describeReplayed(sites: ReplaySite[], at: (site: ReplaySite) => string): string {
  if (sites.length === 0) return '';
  const byType = new Map<string, string[]>();
  for (const site of sites) for (const type of site.types as string[]) byType.set(type, [...(byType.get(type) ?? []), at(site)]);
  const parts = [...byType].map(([type, where]) => `${type} (${sameFileShort(where)})`);
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `the replay ${sites.length === 1 ? 'test replays' : 'tests replay'} only ${list}.`;
}
