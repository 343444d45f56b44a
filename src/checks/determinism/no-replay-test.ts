// Prevents non-determinism errors after a deploy: without a test that replays recorded histories,
// a code change that breaks running workflows is found in production (TEMPORAL-FACTS.md §1, §9).

import { REPLAY_TEST_GLOBS, runsReplay } from '../../model/typescript/sandbox/replay-test-usage.js';
import path from 'node:path';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { PythonModel } from '../../model/python/build-python-model.js';
import { defineCheck, type CheckContext } from '../define-check.js';
import { versionSource } from '../../model/typescript/version-names.js';
import { pythonPatchCalls, typeScriptPatchCalls, versionedWorkersOf, type PatchCalls } from '../../model/worker-versioning.js';
import type { WorkerFacts } from '../../model/types.js';
import { relative } from '../../engine/run-checks.js';
import { PYTHON_REPLAY, pythonReplayCandidates } from '../../model/replay-coverage.js';


/** Bigger files are generated or vendored, not tests. */
const MAX_SCANNED_BYTES = 1024 * 1024;

export default defineCheck({
  id: 'no-replay-test',
  area: 'determinism',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'The project has no test that replays recorded workflow histories',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.workflows.length === 0) return;
    // A mixed repository is one application: one finding covers both languages, reported from the
    // TypeScript pass (replay is per SDK, so each language needs its own replay test).
    const typescript = ctx.models?.find((m) => m.language !== 'python' && (m.workflows?.length ?? 0) > 0);
    const python = ctx.models?.find((m) => m.language === 'python' && (m.workflows?.length ?? 0) > 0);
    if (model.language === 'python') {
      if (typescript) return;
      if (!pythonReplayTest(ctx)) reportPython(ctx);
      return;
    }
    const typescriptTest = typeScriptReplayTest(ctx, model);
    const pythonTest = python ? pythonReplayTest(ctx) : undefined;
    if (python && pythonModelOf(python)) {
      if (typescriptTest && pythonTest) return;
      return reportMixed(ctx, model, pythonModelOf(python)!, typescriptTest, pythonTest);
    }
    if (typescriptTest) return;
    const releaseQueues = new Map<WorkerFacts, string | undefined>(
      model.workers.map((worker) => [worker, worker.taskQueueRelease !== undefined ? worker.taskQueueRelease ?? undefined : versionSource(worker.taskQueue, (node) => model.declarationOf(node))]),
    );
    const story = versioningStory(ctx, typeScriptPatchCalls(model.files, (file) => model.sourceFile(file)), model.workers, 'typescript', {
      workflowNames: model.workflows.map((w) => w.name),
      releaseQueue: (worker) => releaseQueues.get(worker),
    });
    ctx.report({
      ...perRunOnly(model.workers),
      message:
        perRunNote(model.workers) +
        'No test replays recorded workflow histories (Worker.runReplayHistory / runReplayHistories, or ' +
        '`temporal-preflight replay` in a package script or CI job). A change to ' +
        'workflow code that alters the commands of running workflows is then caught only in production, as ' +
        'non-determinism errors that block those workflows. ' + story.sentence,
      fix: TYPESCRIPT_FIX,
      data: { workflows: model.workflows.length, ...story.data },
    });
  },
});

const TYPESCRIPT_FIX =
  'Export histories of real executions (temporal workflow show -o json) and add a test that replays them with ' +
  'Worker.runReplayHistories (or run `temporal-preflight replay`) against the current workflow code in CI; ' +
  'see docs/replay-testing.md.';
const PYTHON_FIX =
  'Export histories of real executions (temporal workflow show -o json) and add a pytest that replays them: ' +
  'await Replayer(workflows=[MyWorkflow]).replay_workflow(WorkflowHistory.from_json(workflow_id, history_json)); see docs/replay-testing.md.';

/** The first file that replays TypeScript workflow histories, if any. */
function typeScriptReplayTest(ctx: CheckContext, model: NonNullable<CheckContext['model']>): string | undefined {
  for (const file of [...model.files, ...model.testFiles]) {
    const text = model.sourceFile(file)?.text;
    if (text && runsReplay(text)) return path.relative(ctx.root, file).split(path.sep).join('/');
  }
  for (const file of ctx.globProjectFiles([...REPLAY_TEST_GLOBS])) {
    const text = ctx.readProjectFile(file);
    if (text && text.length <= MAX_SCANNED_BYTES && runsReplay(text)) return file;
  }
  return undefined;
}

/** The first file that replays Python workflow histories, if any. */
function pythonReplayTest(ctx: CheckContext): string | undefined {
  // Test code is left out of the model, so it is read here.
  const files = pythonReplayCandidates({ read: (file) => ctx.readProjectFile(file), glob: (patterns) => ctx.globProjectFiles(patterns) });
  for (const file of files) {
    const text = ctx.readProjectFile(file);
    if (text && text.length <= MAX_SCANNED_BYTES && PYTHON_REPLAY.test(text)) return file;
  }
  return undefined;
}

function reportPython(ctx: CheckContext): void {
  const model = pythonModelOf(ctx.model);
  if (!model) return;
  const story = versioningStory(ctx, pythonPatchCalls(model.files), model.workers, 'python', {
    workflowNames: model.workflows.map((w) => w.name),
    releaseQueue: (worker) => worker.taskQueueRelease ?? undefined,
  });
  ctx.report({
    ...perRunOnly(model.workers),
    message:
      perRunNote(model.workers) +
      'No test replays recorded workflow histories (temporalio.worker.Replayer with replay_workflow / replay_workflows, or ' +
      '`temporal-preflight replay` in CI). A change to workflow code that alters the commands of running workflows is then caught ' +
      'only in production, as non-determinism errors that block those workflows. ' + story.sentence,
    fix: PYTHON_FIX,
    data: { workflows: model.workflows.length, ...story.data },
  });
}

/** TypeScript and Python workflows in one repository: one finding saying which language lacks a replay test. */
function reportMixed(ctx: CheckContext, model: NonNullable<CheckContext['model']>, python: PythonModel, typescriptTest: string | undefined, pythonTest: string | undefined): void {
  const workers = [...model.workers, ...python.workers];
  const tsTypes = `${model.workflows.length} TypeScript workflow ${model.workflows.length === 1 ? 'type' : 'types'}`;
  const pyTypes = `${python.workflows.length} Python workflow ${python.workflows.length === 1 ? 'type' : 'types'}`;
  const situation = !typescriptTest && !pythonTest
    ? `No test replays recorded workflow histories, for the ${tsTypes} (Worker.runReplayHistory / runReplayHistories) or the ${pyTypes} (temporalio.worker.Replayer), and no CI job runs \`temporal-preflight replay\`.`
    : typescriptTest
      ? `${typescriptTest} replays the TypeScript workflows, but no test replays the histories of the ${pyTypes}: a replay runs one SDK's workflow code, so they need temporalio.worker.Replayer (or \`temporal-preflight replay --python\`).`
      : `${pythonTest} replays the Python workflows, but no test replays the histories of the ${tsTypes}: a replay runs one SDK's workflow code, so they need Worker.runReplayHistories (or \`temporal-preflight replay\`).`;
  const ts = typeScriptPatchCalls(model.files, (file) => model.sourceFile(file));
  const py = pythonPatchCalls(python.files);
  const story = versioningStory(ctx, { patched: ts.patched + py.patched, deprecatePatch: ts.deprecatePatch + py.deprecatePatch, first: ts.first ?? py.first, calls: [...ts.calls, ...py.calls] }, workers, 'mixed');
  ctx.report({
    ...perRunOnly(workers),
    message:
      perRunNote(workers) + situation +
      ' A change to workflow code that alters the commands of running workflows is then caught only in production, as non-determinism errors that block those workflows. ' + story.sentence,
    fix: !typescriptTest && !pythonTest ? `TypeScript: ${TYPESCRIPT_FIX} Python: ${PYTHON_FIX}` : typescriptTest ? PYTHON_FIX : TYPESCRIPT_FIX,
    data: {
      workflows: model.workflows.length + python.workflows.length,
      ...story.data,
      languages: { typescript: { workflows: model.workflows.length, replayTest: typescriptTest ?? null }, python: { workflows: python.workflows.length, replayTest: pythonTest ?? null } },
    },
  });
}

/**
 * When every worker is per-run (it serves one run its own process starts and awaits, then stops), a
 * workflow only ever runs on the code that started it: histories meet new code only if a run
 * outlives its process. A note, not a warning.
 */
function perRunOnly(workers: { ephemeral?: unknown }[]): { severity?: 'info' } {
  return allPerRun(workers) ? { severity: 'info' } : {};
}

function perRunNote(workers: { ephemeral?: unknown }[]): string {
  return allPerRun(workers) ? 'Every worker here is per-run, so a workflow runs on the code that started it unless a run outlives its process. ' : '';
}

function allPerRun(workers: { ephemeral?: unknown }[]): boolean {
  return workers.length > 0 && workers.every((worker) => worker.ephemeral);
}

/**
 * Whether the code has a versioning story for the runs in flight: calls to the patching API in
 * workflow code, and workers that use Worker Versioning. One sentence for the message, and the
 * facts for the finding's data.
 */
function versioningStory(
  ctx: CheckContext,
  patches: PatchCalls,
  workers: WorkerFacts[],
  language: 'typescript' | 'python' | 'mixed',
  other?: OtherVersioning,
): { sentence: string; data: Record<string, unknown> } {
  const api = language === 'python' ? 'workflow.patched()' : language === 'mixed' ? 'patched() / workflow.patched()' : 'patched()';
  const deprecateApi = language === 'python' ? 'workflow.deprecate_patch()' : language === 'mixed' ? 'deprecatePatch() / workflow.deprecate_patch()' : 'deprecatePatch()';
  const versioned = versionedWorkersOf({ workers });
  const calls = patches.patched + patches.deprecatePatch;
  const data = {
    patchCalls: patches.patched,
    deprecatePatchCalls: patches.deprecatePatch,
    ...(patches.first ? { firstPatchCall: `${relative(ctx.root, patches.first.file)}:${patches.first.line}` } : {}),
    workerVersioning: versioned.map(({ worker, option }) => `${relative(ctx.root, worker.location.file)}:${worker.location.line} ${option}`),
  };
  const patchPart =
    `${patches.patched ? `${api} (${patches.patched} ${patches.patched === 1 ? 'call' : 'calls'})` : ''}` +
    `${patches.patched && patches.deprecatePatch ? ' and ' : ''}` +
    `${patches.deprecatePatch ? `${deprecateApi} (${patches.deprecatePatch} ${patches.deprecatePatch === 1 ? 'call' : 'calls'})` : ''}`;
  const first = versioned[0];
  const versioningPart = first
    ? `${versioned.length === 1 ? 'the worker' : `${versioned.length} workers`} at ${versioned.map(({ worker }) => `${relative(ctx.root, worker.location.file)}:${worker.location.line}`).join(', ')} ${versioned.length === 1 ? 'sets' : 'set'} ${[...new Set(versioned.map((v) => v.option))].join(' / ')} (Worker Versioning)`
    : '';
  let sentence: string;
  const byName = other ? typesVersionedByName(other.workflowNames) : [];
  const releaseWorker = other ? workers.find((worker) => other.releaseQueue(worker)) : undefined;
  if (!calls && !first && byName.length) {
    const shown = byName.length > 4 ? `${byName.slice(0, 3).join(', ')} ... ${byName[byName.length - 1]}` : byName.join(', ');
    sentence =
      `No workflow calls ${api} and no worker uses Worker Versioning, but workflow types are versioned by name (${shown}): a change can go into a new type ` +
      `while the runs of the old one finish on its unchanged code. Nothing replays histories to show that an edit to a type with runs in flight is safe.`;
    Object.assign(data, { versionedTypeNames: byName });
  } else if (!calls && !first && releaseWorker) {
    const source = other!.releaseQueue(releaseWorker);
    sentence =
      `No workflow calls ${api} and no worker uses Worker Versioning, but the worker at ${relative(ctx.root, releaseWorker.location.file)}:${releaseWorker.location.line} ` +
      `polls a task queue named with ${source}, so the runs started before a rollout stay on the old queue while its workers keep polling. ` +
      `Nothing replays histories to show which changes a run can take if it moves to a new build.`;
    Object.assign(data, { releaseNamedQueue: `${relative(ctx.root, releaseWorker.location.file)}:${releaseWorker.location.line}` });
  } else if (!calls && !first) {
    sentence = allPerRun(workers)
      ? `No workflow calls ${api} and no worker uses Worker Versioning (build ids or Worker Deployments), so a run that outlives its process has no safe path onto changed workflow code.`
      : `No workflow calls ${api} and no worker uses Worker Versioning (build ids or Worker Deployments), so a change to workflow code has no safe path for the runs in flight.`;
  } else if (calls && !first) {
    sentence = `Workflows use ${patchPart}, but no worker uses Worker Versioning and nothing replays histories to prove the patches are complete.`;
  } else if (!calls) {
    sentence = `No workflow calls ${api}, but ${versioningPart}, which can keep runs on the build that started them; nothing replays histories to show which changes the runs that move to a new build can take.`;
  } else {
    sentence = `Workflows use ${patchPart} and ${versioningPart}, but nothing replays histories to prove the patches are complete.`;
  }
  return { sentence, data };
}

/** Versioning a code base does without the patching API or Worker Versioning. */
interface OtherVersioning {
  workflowNames: string[];
  /** What names the release in the worker's task queue, if anything does. */
  releaseQueue: (worker: WorkerFacts) => string | undefined;
}

/**
 * Workflow types versioned by their name: a version suffix (`orderV2`, `order_v3`, `postV101`)
 * on two types with the same stem, or on one type with a version of 2 or more. A single `V1`
 * proves nothing yet.
 */
function typesVersionedByName(names: string[]): string[] {
  const stems = new Map<string, { name: string; version: number }[]>();
  for (const name of new Set(names)) {
    const match = /^(.*[A-Za-z])_?[vV](\d+)$/.exec(name);
    if (!match) continue;
    const list = stems.get(match[1]!.toLowerCase()) ?? [];
    list.push({ name, version: Number(match[2]) });
    stems.set(match[1]!.toLowerCase(), list);
  }
  const versioned = [...stems.values()].filter((list) => list.length >= 2 || list.some((entry) => entry.version >= 2));
  return versioned.flat().sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })).map((entry) => entry.name);
}
