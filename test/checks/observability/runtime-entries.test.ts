// worker-metrics-not-exported follows the process (issue 13): the runtime a worker gets is the one
// installed by the entry point that starts it. Fixture: four apps of a monorepo; the api and the
// orchestrator share a module that creates a worker, and only the api installs a runtime.
import { beforeAll, describe, expect, it } from 'vitest';
import metrics from '../../../src/checks/observability/worker-metrics-not-exported.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('observability-runtime-entries');
});

describe('worker-metrics-not-exported across entry points', () => {
  it('anchors a shared worker at Worker.create, not at the install of an app that may not run it', () => {
    const findings = review.run(metrics);
    expect(where(findings)).toEqual([
      'worker-metrics-not-exported warning apps/reports/src/runtime.ts:3',
      'worker-metrics-not-exported warning libs/shared/temporal.ts:6',
    ]);
    const shared = findings[1]!;
    expect(shared.message).toMatch(
      /^The worker for task queue 'posts' runs without a metrics exporter whichever entry point starts it: 2 entry points reach its module \(apps\/api\/src\/main\.ts and apps\/orchestrator\/src\/main\.ts\)/,
    );
    expect(shared.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['apps/api/src/main.ts:4']);
  });

  it('names the install that the entry point imports next to the worker, as the runtime of that worker', () => {
    const reports = review.run(metrics)[0]!;
    expect(reports.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['apps/reports/src/worker.ts:5', 'apps/billing/src/instrumentation.ts:3']);
    expect(reports.related?.[1]!.message).toBe('a Runtime.install with metrics that this worker does not import');
  });

  it('passes a worker whose entry point imports the Prometheus runtime from a sibling module (a barrel is not an entry point)', () => {
    const files = review.run(metrics).flatMap((f) => [f.file, ...(f.related ?? []).map((r) => r.file)]);
    expect(files).not.toContain('apps/billing/src/worker.ts');
  });
});
