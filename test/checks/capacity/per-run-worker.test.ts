// A per-run worker (issue 13 held-out pattern 7): a CLI or script that creates a worker, starts one
// workflow on its task queue from the same function, awaits the result and shuts the worker down
// (or passes the result to runUntil). Production-operations findings about it are notes naming why;
// the long-running worker of the same fixture keeps them. Also pattern 8: a worker that sizes its
// activity slots and leaves only the workflow-task slots at the default gets a note, and a
// workflow-only worker is not told about 100 concurrent activities.

import { beforeAll, describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import type { Finding } from '../../../src/engine/types.js';
import { fixtureReview, where, type FixtureReview } from './fixture-review.js';

let review: FixtureReview;
let findings: Finding[];
const OPERATIONS = ['worker-metrics-not-exported', 'workflow-failure-alert-missing', 'activity-schedule-to-start-missing', 'worker-shutdown-grace-missing', 'worker-concurrency-implicit'];

beforeAll(() => {
  review = fixtureReview('capacity-per-run-worker');
  findings = runChecks({ root: review.root, config: review.config, checks: checks.filter((c) => OPERATIONS.includes(c.id)), model: review.model }).findings;
});

describe('per-run workers', () => {
  it('models the CLI worker and the runUntil worker as per-run, the service workers as long-running', () => {
    expect(review.model.workers.map((w) => `${w.id} ${w.ephemeral ? `${w.ephemeral.how} line ${w.ephemeral.location.line}` : 'long-running'}`)).toEqual([
      'src/cli.ts:16:24 shutdown-after-result line 25',
      'src/run-once.ts:11:24 run-until line 12',
      'src/sized-worker.ts:9:24 long-running',
      'src/worker.ts:9:24 long-running',
      'src/workflow-worker.ts:8:24 long-running',
    ]);
  });

  it('makes the operations findings of per-run workers and their workflows info, and keeps them for the long-running worker', () => {
    expect(where(findings)).toEqual([
      'worker-concurrency-implicit info src/cli.ts:16',
      'worker-metrics-not-exported info src/cli.ts:16',
      'worker-shutdown-grace-missing info src/cli.ts:16',
      'activity-schedule-to-start-missing info src/pipeline-workflows.ts:4',
      'workflow-failure-alert-missing info src/pipeline-workflows.ts:6',
      'worker-concurrency-implicit info src/run-once.ts:11',
      'worker-metrics-not-exported info src/run-once.ts:11',
      'worker-shutdown-grace-missing info src/run-once.ts:11',
      'worker-concurrency-implicit info src/sized-worker.ts:9',
      'worker-metrics-not-exported warning src/sized-worker.ts:9',
      'worker-concurrency-implicit warning src/worker.ts:9',
      'worker-shutdown-grace-missing warning src/worker.ts:9',
      'worker-concurrency-implicit warning src/workflow-worker.ts:8',
      'activity-schedule-to-start-missing warning src/workflows.ts:4',
      'workflow-failure-alert-missing warning src/workflows.ts:6',
    ]);
  });

  it('says why in one sentence', () => {
    const metrics = findings.find((f) => f.checkId === 'worker-metrics-not-exported' && f.file === 'src/cli.ts')!;
    expect(metrics.message).toBe(
      'This worker runs without Runtime.install exporting metrics. It is a per-run worker: it runs only for the workflow its own function starts on its task queue and awaits, then shuts down (src/cli.ts:25). ' +
        'The caller gets the result or the failure directly. It still emits no SDK metrics while a run lasts, however long: slot use, task latency and activity failures of the run show only in its logs. ' +
        'No long-running fleet is there to scrape, and whether anyone watches these runs is a deployment choice the code does not show, so this is a note.',
    );
    const runUntil = findings.find((f) => f.checkId === 'worker-shutdown-grace-missing' && f.file === 'src/run-once.ts')!;
    expect(runUntil.message).toContain('it runs only until the workflow result it is given settles (runUntil at src/run-once.ts:12)');
    const alert = findings.find((f) => f.checkId === 'workflow-failure-alert-missing' && f.severity === 'info')!;
    expect(alert.data?.['workflowTypes']).toEqual(['pipelineWorkflow']);
    expect(alert.message).toMatch(/^No alert fires when pipelineWorkflow fails\. Only a per-run worker runs it: it runs only for the workflow/);
    // The same sentence as per-run-workflow-without-timeout: a run can outlive a process stopped mid-run.
    expect(alert.message).toContain('An execution outlives the process only when the process stops or dies mid-run (per-run-workflow-without-timeout reports a start that nothing then times out), so this is a note for a worker of this shape.');
    // The long-running workers share one metrics finding; the per-run ones are not in it.
    expect(findings.find((f) => f.checkId === 'worker-metrics-not-exported' && f.severity === 'warning')!.data?.['workers']).toBe(3);
  });
});

describe('worker-concurrency-implicit names the slots actually left at the default', () => {
  it('is a note when only the workflow-task slots are implicit on a worker that sizes its activity slots', () => {
    const sized = findings.find((f) => f.checkId === 'worker-concurrency-implicit' && f.file === 'src/sized-worker.ts')!;
    expect(sized.message).toBe(
      "The worker for task queue 'orders' sizes its activity slots but leaves maxConcurrentWorkflowTaskExecutions at the SDK default (40). Workflow tasks are short, so the default limits only a worker that runs many workflows at once.",
    );
  });

  it('does not mention 100 concurrent activities to a workflow-only worker', () => {
    const workflowOnly = findings.find((f) => f.checkId === 'worker-concurrency-implicit' && f.file === 'src/workflow-worker.ts')!;
    expect(workflowOnly.message).toContain('(maxConcurrentWorkflowTaskExecutions 40)');
    expect(workflowOnly.message).not.toContain('100 concurrent activities');
  });
});
