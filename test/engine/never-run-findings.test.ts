// Findings about code that never runs are notes that lead in with the reason (src/engine/unrun-findings.ts):
// - test/fixtures/worker-not-started-ts: the Dockerfile runs `npm run worker`, which starts
//   src/temporal/workers/orders-worker.ts (and the shared-worker.ts it imports); nothing runs or
//   imports src/temporal/worker.ts, so its worker-level warnings are info. A worker file that reviewed
//   code imports (legacy/batch-worker.ts, imported by tools/backfill.ts) keeps its findings, and so
//   does one whose task queue a start here targets while no deployed worker polls it (reports-worker.ts).
// - test/fixtures/activity-on-no-worker-ts: the worker registers { saveDigest }; sendDigest, which
//   the workflow schedules, is registered on no worker (the same rule, src/model/activity-registration.ts).
// - test/fixtures/python-activity-on-no-worker: every worker's activities=[...] is read, and
//   post_learning (scheduled) and reconcile_schedules (scheduled by nothing) are registered on no
//   worker: their activity findings are info. In python-activity-on-no-worker-partial the list is
//   only partly readable (`*load_plugin_activities()`), so they stay warnings.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { review } from '../../src/review.js';
import { fixturesDir, where } from '../checks/helpers/review-fixture.js';

const inFile = (findings: Finding[], file: string, checkId?: string) => findings.filter((f) => f.file === file && (!checkId || f.checkId === checkId)).map(where);

describe('a worker that no deployment file or package script starts', () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: path.join(fixturesDir, 'worker-not-started-ts'), config: undefined }));
  }, 120_000);

  it('lowers its worker-level warnings to info, with the deployed worker named', () => {
    expect(inFile(findings, 'src/temporal/worker.ts', 'worker-concurrency-implicit')).toEqual([{ checkId: 'worker-concurrency-implicit', severity: 'info', file: 'src/temporal/worker.ts', line: 6 }]);
    const finding = findings.find((f) => f.checkId === 'worker-concurrency-implicit' && f.file === 'src/temporal/worker.ts')!;
    expect(finding.message).toMatch(
      /^src\/temporal\/worker\.ts is not started by any deployment file or package script \(the deployed workers are src\/temporal\/workers\/orders-worker\.ts, src\/temporal\/workers\/shared-worker\.ts\): The worker for task queue 'recipe-task-queue'/,
    );
    expect(findings.filter((f) => f.file === 'src/temporal/worker.ts' && f.severity !== 'info')).toEqual([]);
  });

  it('keeps the started worker, the worker its entry imports, and a worker reviewed code imports as they are', () => {
    expect(inFile(findings, 'src/temporal/workers/orders-worker.ts', 'worker-concurrency-implicit')).toEqual([{ checkId: 'worker-concurrency-implicit', severity: 'warning', file: 'src/temporal/workers/orders-worker.ts', line: 7 }]);
    expect(inFile(findings, 'src/temporal/workers/shared-worker.ts', 'worker-concurrency-implicit')).toEqual([{ checkId: 'worker-concurrency-implicit', severity: 'warning', file: 'src/temporal/workers/shared-worker.ts', line: 6 }]);
    expect(inFile(findings, 'src/temporal/legacy/batch-worker.ts', 'worker-concurrency-implicit')).toEqual([{ checkId: 'worker-concurrency-implicit', severity: 'warning', file: 'src/temporal/legacy/batch-worker.ts', line: 6 }]);
    expect(inFile(findings, 'src/temporal/reports-worker.ts', 'worker-concurrency-implicit')).toEqual([{ checkId: 'worker-concurrency-implicit', severity: 'warning', file: 'src/temporal/reports-worker.ts', line: 7 }]);
    // the metrics finding groups every worker, started ones too: it stays
    expect(findings.filter((f) => f.checkId === 'worker-metrics-not-exported').map(where)).toEqual([{ checkId: 'worker-metrics-not-exported', severity: 'warning', file: 'src/temporal/legacy/batch-worker.ts', line: 6 }]);
  });
});

describe('an activity that no worker registers', () => {
  it('lowers its activity findings to info when every worker list is read', { timeout: 120_000 }, async () => {
    const { findings } = await review({ dir: path.join(fixturesDir, 'python-activity-on-no-worker'), config: undefined });
    expect(inFile(findings, 'app/activities.py', 'activity-blocks-event-loop')).toEqual([
      { checkId: 'activity-blocks-event-loop', severity: 'warning', file: 'app/activities.py', line: 9 },
      { checkId: 'activity-blocks-event-loop', severity: 'info', file: 'app/activities.py', line: 15 },
      { checkId: 'activity-blocks-event-loop', severity: 'info', file: 'app/activities.py', line: 21 },
    ]);
    const at = (line: number) => findings.find((f) => f.checkId === 'activity-blocks-event-loop' && f.line === line)!.message;
    expect(at(15)).toMatch(/^post_learning is registered on no worker \(see activity-not-registered\); once registered: The async activity post_learning calls requests\.post/);
    expect(at(21)).toMatch(/^reconcile_schedules is registered on no worker, and no workflow here schedules it; once registered: The async activity reconcile_schedules calls time\.sleep/);
    // the registration finding itself is the news: it stays
    expect(findings.filter((f) => f.checkId === 'activity-not-registered').map(where)).toEqual([{ checkId: 'activity-not-registered', severity: 'error', file: 'app/workflows.py', line: 14 }]);
  });

  it('TypeScript: lowers the findings of an activity left out of the worker\'s activities object', { timeout: 120_000 }, async () => {
    const { findings } = await review({ dir: path.join(fixturesDir, 'activity-on-no-worker-ts'), config: undefined });
    expect(inFile(findings, 'src/activities.ts', 'activity-failure-returned')).toEqual([
      { checkId: 'activity-failure-returned', severity: 'warning', file: 'src/activities.ts', line: 6 },
      { checkId: 'activity-failure-returned', severity: 'info', file: 'src/activities.ts', line: 16 },
    ]);
    expect(findings.find((f) => f.checkId === 'activity-failure-returned' && f.line === 16)!.message).toMatch(/^sendDigest is registered on no worker \(see activity-not-registered\); once registered: Activity sendDigest catches every error/);
    // the proxy that schedules both keeps its finding
    expect(inFile(findings, 'src/workflows.ts', 'activity-schedule-to-start-missing')).toEqual([{ checkId: 'activity-schedule-to-start-missing', severity: 'warning', file: 'src/workflows.ts', line: 4 }]);
    expect(findings.filter((f) => f.checkId === 'activity-not-registered').map(where)).toEqual([{ checkId: 'activity-not-registered', severity: 'error', file: 'src/workflows.ts', line: 4 }]);
  });

  it('keeps them when a worker list is only partly readable', { timeout: 120_000 }, async () => {
    const { findings } = await review({ dir: path.join(fixturesDir, 'python-activity-on-no-worker-partial'), config: undefined });
    expect(inFile(findings, 'app/activities.py', 'activity-blocks-event-loop')).toEqual([
      { checkId: 'activity-blocks-event-loop', severity: 'warning', file: 'app/activities.py', line: 9 },
      { checkId: 'activity-blocks-event-loop', severity: 'warning', file: 'app/activities.py', line: 15 },
      { checkId: 'activity-blocks-event-loop', severity: 'warning', file: 'app/activities.py', line: 21 },
    ]);
  });
});
