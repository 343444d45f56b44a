// The eight determinism checks over two fixture mini-projects: determinism-violations (each defect
// at a known line) and determinism-clean (the sandbox-safe code Go-style rules get wrong, which must
// stay silent). Variants of the violations model change only the worker options a check reads.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { defaultConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import type { Finding } from '../../../src/engine/types.js';
import type { TemporalModel, WorkerDefinition } from '../../../src/model/typescript/types.js';
import { findingsOf, fixtureModel, fixturesDir, where } from './review-fixture.js';

const determinismIds = checks.filter((check) => check.area === 'determinism').map((check) => check.id);

/** The violations model with each worker changed; a new object, so cached sandbox facts are recomputed. */
function withWorkers(change: (worker: WorkerDefinition) => WorkerDefinition): TemporalModel {
  const model = fixtureModel('determinism-violations');
  return { ...model, workers: model.workers.map(change) };
}

function run(model: TemporalModel, checkId: string): Finding[] {
  const selected = checks.filter((check) => check.id === checkId);
  return runChecks({ root: path.join(fixturesDir, 'determinism-violations'), config: defaultConfig(), checks: selected, model }).findings;
}

describe('determinism checks on sandbox-safe code', () => {
  it('registers the eight static determinism checks of the catalog, workflow-cleanup-in-cancelled-scope, activity-not-registered, activity-type-collision (Python), activity-methods-not-registered, worker-activity-overwritten, workflow-promise-dropped, workflow-terminated-not-cancelled, patched-workflow-not-replayed, workflow-date-from-payload, workflow-conversion-fails-task, workflow-result-type-missing, workflow-start-arguments-mismatch, temporal-sdk-name-missing and project-import-name-missing (Python), workflow-signal-unhandled, workflow-signal-state-read-too-early, workflow-handlers-unfinished, the two Python sandbox checks and the two replay checks', () => {
    expect(determinismIds.sort()).toEqual([
      'activity-methods-not-registered',
      'activity-not-registered',
      'activity-type-collision',
      'no-replay-test',
      'patched-workflow-not-replayed',
      'project-import-name-missing',
      'replay-failed',
      'replay-nondeterminism',
      'temporal-sdk-name-missing',
      'worker-activity-overwritten',
      'workflow-cleanup-in-cancelled-scope',
      'workflow-conversion-fails-task',
      'workflow-date-from-payload',
      'workflow-handlers-unfinished',
      'workflow-imports-activity-implementation',
      'workflow-imports-node-builtin',
      'workflow-module-mutable-state',
      'workflow-nondeterministic-call',
      'workflow-not-registered',
      'workflow-promise-dropped',
      'workflow-result-type-missing',
      'workflow-sandbox-disabled',
      'workflow-signal-state-read-too-early',
      'workflow-signal-unhandled',
      'workflow-start-arguments-mismatch',
      'workflow-terminated-not-cancelled',
      'workflow-throws-plain-error',
      'workflow-uses-unavailable-global',
      'workflow-uses-weakref',
    ]);
  });

  // Date.now(), new Date(), Math.random(), uuid4(), setTimeout/clearTimeout, sleep, condition,
  // ApplicationFailure throws, CancelledFailure, console.log, URL, TextEncoder, assert and util
  // imports, local bindings named crypto/fetch, typeof guards, process.env.NODE_ENV, type-only and
  // erased imports of the activities module, module constants that are only read, a throw caught
  // in the same function, an update validator's throw, a replay test outside the tsconfig.
  it('reports nothing for the clean fixture', () => {
    expect(where(findingsOf('determinism-clean', determinismIds))).toEqual([]);
  });
});

describe('workflow-imports-node-builtin', () => {
  it('reports one finding per import of the entry, naming each disallowed module reached through it by its shortest chain', () => {
    const findings = findingsOf('determinism-violations', ['workflow-imports-node-builtin']);
    // Line 3 reaches both @temporalio/activity and node:child_process through src/activities.ts: one fix, one finding.
    expect(where(findings)).toEqual([
      'workflow-imports-node-builtin error src/workflows.ts:3',
      'workflow-imports-node-builtin error src/workflows.ts:4',
      'workflow-imports-node-builtin error src/workflows.ts:5',
    ]);
    expect(findings.map((f) => f.data?.['chain'])).toEqual([
      ['src/workflows.ts', 'src/activities.ts', 'node:child_process'],
      ['src/workflows.ts', 'src/lib/format.ts', 'node:fs'],
      ['src/workflows.ts', 'node_modules/fake-logger/index.js', 'node_modules/fake-logger/lib/sink.js', 'os'],
    ]);
    // In the order the imports are read.
    expect(findings[0]!.data?.['chains']).toEqual([
      ['src/workflows.ts', 'src/activities.ts', 'node:child_process'],
      ['src/workflows.ts', 'src/activities.ts', '@temporalio/activity'],
    ]);
    expect(findings[0]!.message).toContain(
      "rejects Node built-ins other than assert, url and util and the Temporal packages that only work outside the workflow sandbox",
    );
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      "src/workflows.ts:3 imports './activities.js'",
      "src/activities.ts:1 imports 'node:child_process'",
      "src/activities.ts:2 imports '@temporalio/activity'",
    ]);
  });

  it('shows the chain in the message and each import as a related location', () => {
    const finding = findingsOf('determinism-violations', ['workflow-imports-node-builtin']).find((f) => f.data?.['module'] === 'fs')!;
    expect(finding.message).toContain('(src/workflows.ts → src/lib/format.ts → node:fs)');
    expect(finding.related).toEqual([
      { file: 'src/workflows.ts', line: 4, column: 1, message: "imports './lib/format.js'" },
      { file: 'src/lib/format.ts', line: 1, column: 1, message: "imports 'node:fs'" },
    ]);
    expect(finding.fix).toContain("add 'fs' to bundlerOptions.ignoreModules");
  });

  it('follows the browser build of packages, their browser file map, webpackIgnore probes and ignoreModules', () => {
    // iso-random (node build requires crypto), browser-mapped (server.js requires http),
    // fake-logger's webpackIgnore'd fs probe and lib/ignored.ts (dns, in ignoreModules) stay silent.
    const modules = findingsOf('determinism-violations', ['workflow-imports-node-builtin']).flatMap((f) => f.data?.['modules'] ?? [f.data?.['module']]);
    expect(modules).toEqual(['child_process', '@temporalio/activity', 'fs', 'os']);
  });

  it('stays silent for modules every worker lists in bundlerOptions.ignoreModules', () => {
    const model = withWorkers((worker) => ({ ...worker, ignoreModules: [...worker.ignoreModules, 'node:os', 'fs', '@temporalio/activity'] }));
    expect(run(model, 'workflow-imports-node-builtin').map((f) => f.data?.['module'])).toEqual(['child_process']);
  });
});

describe('workflow bundle entries', () => {
  it('starts from the files that define workflows when no worker has a known workflowsPath', () => {
    // No worker options apply then, so the dns import that ignoreModules covered is reported too.
    const model = withWorkers((worker) => ({ ...worker, workflowsPath: null }));
    expect(run(model, 'workflow-imports-node-builtin').map((f) => `${f.line} ${String(f.data?.['modules'] ?? f.data?.['module'])}`)).toEqual([
      '3 child_process,@temporalio/activity',
      '4 fs',
      '5 os',
      '8 dns',
    ]);
  });
});

describe('workflow-imports-activity-implementation', () => {
  it('reports the value import of the activities module, not the import type beside it', () => {
    const findings = findingsOf('determinism-violations', ['workflow-imports-activity-implementation']);
    expect(where(findings)).toEqual(['workflow-imports-activity-implementation error src/workflows.ts:3']);
    expect(findings[0]!.fix).toContain("import type * as activities from './activities.js'");
  });
});

describe('workflow-uses-unavailable-global', () => {
  it('reports every sandbox-absent global used in workflow code, including files it imports', () => {
    const findings = findingsOf('determinism-violations', ['workflow-uses-unavailable-global']);
    expect(findings.map((f) => `${f.file}:${f.line} ${String(f.data?.['global'])}`)).toEqual([
      'src/sandbox-misuse.ts:2 setInterval',
      'src/sandbox-misuse.ts:3 setImmediate',
      'src/sandbox-misuse.ts:4 queueMicrotask',
      'src/sandbox-misuse.ts:8 process',
      'src/sandbox-misuse.ts:12 Buffer',
      'src/sandbox-misuse.ts:13 fetch',
      'src/sandbox-misuse.ts:14 crypto',
      'src/sandbox-misuse.ts:15 performance',
      'src/sandbox-misuse.ts:16 structuredClone',
      'src/sandbox-misuse.ts:17 require',
    ]);
    expect(new Set(findings.map((f) => `${f.checkId} ${f.severity}`))).toEqual(new Set(['workflow-uses-unavailable-global error']));
    expect(findings[3]!.message).toContain("'process' (process.env.API_URL)");
  });

  it('does not look at activity code, which runs in Node.js', () => {
    // src/activities.ts is imported by value (a separate finding) but its functions never run in
    // the sandbox; its globals are not reported.
    const files = findingsOf('determinism-violations', ['workflow-uses-unavailable-global']).map((f) => f.file);
    expect(files).not.toContain('src/activities.ts');
  });
});

describe('workflow-uses-weakref', () => {
  it('reports WeakRef and FinalizationRegistry', () => {
    expect(where(findingsOf('determinism-violations', ['workflow-uses-weakref']))).toEqual([
      'workflow-uses-weakref error src/sandbox-misuse.ts:22',
      'workflow-uses-weakref error src/sandbox-misuse.ts:23',
    ]);
  });
});

describe('workflow-throws-plain-error', () => {
  it('reports Error, TypeError, custom Error classes, strings and helper throws; a rethrown activity failure is not one', () => {
    // Line 28 rethrows what `await chargeCard()` rejected with: an ActivityFailure, a TemporalFailure
    // that fails the workflow (workflow-throws-caught.test.ts pins the SDK fact).
    const findings = findingsOf('determinism-violations', ['workflow-throws-plain-error']);
    expect(where(findings)).toEqual([
      'workflow-throws-plain-error info src/workflows.ts:18',
      'workflow-throws-plain-error info src/workflows.ts:19',
      'workflow-throws-plain-error info src/workflows.ts:20',
      'workflow-throws-plain-error info src/workflows.ts:21',
      'workflow-throws-plain-error info src/workflows.ts:39',
    ]);
    expect(findings.map((f) => f.data?.['errorType'])).toEqual(['Error', 'TypeError', 'InvalidOrder', null, 'RangeError']);
    expect(findings[2]!.fix).toBe(
      "Throw ApplicationFailure.nonRetryable(message, 'InvalidOrder') so a start with bad input fails visibly, or add 'InvalidOrder' to the worker's workflowFailureErrorTypes.",
    );
  });

  it("stays silent for types in workflowFailureErrorTypes ('*' or per workflow) and failureExceptionTypes", () => {
    // Line 22 (CoveredError, '*'), 43 (InvalidOrder for refundWorkflow), 44 (OutOfStock extends
    // InvalidOrder: matched through the prototype chain), 49 (setWorkflowOptions failureExceptionTypes).
    const lines = findingsOf('determinism-violations', ['workflow-throws-plain-error']).map((f) => f.line);
    expect(lines).not.toContain(22);
    expect(lines).not.toContain(43);
    expect(lines).not.toContain(44);
    expect(lines).not.toContain(49);
  });

  it("stays silent when the worker lists 'Error', which covers every error", () => {
    const model = withWorkers((worker) => ({ ...worker, workflowFailureErrorTypesByWorkflow: { '*': ['Error'] } }));
    expect(run(model, 'workflow-throws-plain-error')).toEqual([]);
  });

  it('applies a per-workflow list only to that workflow type', () => {
    const types = { orderWorkflow: ['TypeError', 'InvalidOrder', 'CoveredError'] };
    const model = withWorkers((worker) => ({ ...worker, workflowFailureErrorTypesByWorkflow: types }));
    expect(run(model, 'workflow-throws-plain-error').map((f) => f.line)).toEqual([18, 21, 39, 43, 44]);
  });
});

describe('workflow-module-mutable-state', () => {
  it('reports module-level let, Map, array and object state that functions mutate, at the declaration', () => {
    const findings = findingsOf('determinism-violations', ['workflow-module-mutable-state']);
    expect(where(findings)).toEqual([
      'workflow-module-mutable-state info src/order-state.ts:1',
      'workflow-module-mutable-state info src/order-state.ts:2',
      'workflow-module-mutable-state info src/order-state.ts:3',
      'workflow-module-mutable-state info src/order-state.ts:4',
    ]);
    expect(findings.map((f) => f.related?.map((r) => `${r.line} ${r.message}`))).toEqual([
      ["10 ++ of 'processedCount'"],
      ["11 .set() of 'cache'"],
      ["12 .push() of 'seen'"],
      ["13 property write of 'totals'"],
    ]);
  });
});

describe('workflow-module-mutable-state and writes made while modules load', () => {
  it('leaves a registry filled at load time alone and reports a setter the workflow calls', () => {
    // SYNCS is written only by SyncRegistry.set, which only a top-level forEach calls (definitions.ts).
    // SEEN is written by markSeen, which the workflow calls too.
    const findings = findingsOf('module-state-init', ['workflow-module-mutable-state']);
    expect(where(findings)).toEqual(['workflow-module-mutable-state info src/registry.ts:13']);
    expect(findings[0]!.related?.map((r) => `${r.line} ${r.message}`)).toEqual(["16 .add() of 'SEEN'"]);
  });
});

describe('workflow-not-registered', () => {
  it('reports client and child starts of types no workflowsPath exports; unknown types stay silent', () => {
    const findings = findingsOf('determinism-violations', ['workflow-not-registered']);
    expect(where(findings)).toEqual([
      'workflow-not-registered error src/client.ts:7',
      'workflow-not-registered error src/client.ts:8',
      'workflow-not-registered error src/workflows.ts:31',
    ]);
    expect(findings.map((f) => f.data?.['workflowType'])).toEqual(['paymentWorkflow', 'archiveWorkflow', 'shipWorkflow']);
  });

  it('says it cannot tell (info) when a worker uses a prebuilt bundle', () => {
    const model = withWorkers((worker) => ({ ...worker, workflowsPath: null, usesBundle: true }));
    const base = fixtureModel('determinism-violations');
    const unbundled = { ...model, workflows: base.workflows.map((w) => ({ ...w, workerIds: [] })) };
    expect(where(run(unbundled, 'workflow-not-registered'))).toEqual([
      'workflow-not-registered info src/client.ts:6',
      'workflow-not-registered info src/client.ts:7',
      'workflow-not-registered info src/client.ts:8',
      'workflow-not-registered info src/workflows.ts:31',
    ]);
  });

  it('stays silent when the project has no worker to compare with', () => {
    const base = fixtureModel('determinism-violations');
    expect(run({ ...base, workers: [] }, 'workflow-not-registered')).toEqual([]);
  });
});

describe('no-replay-test', () => {
  it('reports a project without a replayer call once, without a location', () => {
    const findings = findingsOf('determinism-violations', ['no-replay-test']);
    expect(findings.map((f) => [f.checkId, f.severity, f.file, f.line])).toEqual([['no-replay-test', 'warning', undefined, undefined]]);
    expect(findings[0]!.fix).toContain('docs/replay-testing.md');
  });
});
