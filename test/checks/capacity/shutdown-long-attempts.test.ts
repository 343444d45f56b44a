// worker-shutdown-grace-missing when attempts may run for hours: a stop (a deploy's SIGTERM, or
// Ctrl-C / docker stop of a per-run CLI) loses the work done so far, and a grace time does not
// save it. Also worker-metrics-not-exported on a per-run worker: still a note, saying what is missing.

import { beforeAll, describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import type { Finding } from '../../../src/engine/types.js';
import { fixtureReview, where } from './fixture-review.js';

const CHECKS = ['worker-shutdown-grace-missing', 'worker-metrics-not-exported'];
let findings: Finding[];

beforeAll(() => {
  const review = fixtureReview('shutdown-long-attempts');
  findings = runChecks({ root: review.root, config: review.config, checks: checks.filter((c) => CHECKS.includes(c.id)), model: review.model }).findings;
});

describe('worker-shutdown-grace-missing with attempts that run for hours', () => {
  it('reports the service worker as a warning and the per-run CLI worker as info', { timeout: 120_000 }, () => {
    expect(where(findings.filter((f) => f.checkId === 'worker-shutdown-grace-missing'))).toEqual([
      'worker-shutdown-grace-missing info src/cli.ts:12',
      'worker-shutdown-grace-missing warning src/worker.ts:9',
    ]);
  });

  it('says that a deploy loses the work done so far, and that one attempt means the workflow gets the failure', () => {
    const service = findings.find((f) => f.checkId === 'worker-shutdown-grace-missing' && f.file === 'src/worker.ts')!;
    expect(service.message).toContain('Every deploy, scale-in or node drain (SIGTERM) then interrupts that in-flight work');
    expect(service.message).toContain(
      'The work done so far is lost: buildImage may run for up to 4h per attempt (startToCloseTimeout), and with maximumAttempts 1 on it the workflow gets the failure instead of a new attempt.',
    );
    expect(service.fix).toContain('No grace time saves attempts that run for hours');
  });

  it('says that a stop of a per-run worker mid-run loses the work in flight, without calling it no risk', () => {
    const perRun = findings.find((f) => f.checkId === 'worker-shutdown-grace-missing' && f.file === 'src/cli.ts')!;
    expect(perRun.message).toContain('the SDK also shuts the worker down on SIGINT or SIGTERM (Ctrl-C, docker stop, a redeploy of its container)');
    expect(perRun.message).toContain(
      "so the work done so far in the run's in-flight activities is lost: analyzeRepo may run for up to 8h per attempt (startToCloseTimeout). Stopping a run is a deliberate act, so this is a note.",
    );
    expect(perRun.message).not.toContain('not a production risk');
    expect(perRun.message).not.toContain('no execution outlives');
  });

  it('keeps the per-run metrics finding a note, saying the runs have no metrics however long they last', () => {
    const metrics = findings.find((f) => f.checkId === 'worker-metrics-not-exported' && f.file === 'src/cli.ts')!;
    expect(where([metrics])).toEqual(['worker-metrics-not-exported info src/cli.ts:12']);
    expect(metrics.message).toContain('It still emits no SDK metrics while a run lasts, however long');
    expect(metrics.message).not.toContain('not a production risk');
  });
});
