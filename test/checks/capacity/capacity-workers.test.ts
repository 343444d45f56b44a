// The load model and the five capacity checks over one fixture (test/fixtures/capacity-workers): each worker file is
// one case, and the exact list of findings says which cases fail and which pass.
import { beforeAll, describe, expect, it } from 'vitest';
import implicit from '../../../src/checks/capacity/worker-concurrency-implicit.js';
import unbounded from '../../../src/checks/capacity/worker-concurrency-unbounded.js';
import ignoredPollers from '../../../src/checks/capacity/worker-ignored-poller-options.js';
import grace from '../../../src/checks/capacity/worker-shutdown-grace-missing.js';
import belowPeak from '../../../src/checks/capacity/worker-capacity-below-peak.js';
import { configSchema } from '../../../src/engine/config.js';
import { buildLoadModel } from '../../../src/engine/load-model.js';
import { fixtureReview, where, type FixtureReview } from './fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('capacity-workers');
});

describe('worker-concurrency-implicit', () => {
  it('flags the worker left at default slot counts, not the sized, tuned or explicit ones; cannot tell through a spread', () => {
    const findings = review.run(implicit);
    expect(where(findings)).toEqual([
      'worker-concurrency-implicit warning src/workers/implicit.ts:6',
      'worker-concurrency-implicit info src/workers/spread.ts:8',
    ]);
    expect(findings[0]!.message).toContain("The worker for task queue 'reports' runs with the SDK's default slot counts (maxConcurrentActivityTaskExecutions 100)");
  });
});

describe('worker-concurrency-unbounded', () => {
  it('flags 50,000 activity slots at the option, not 200 or a 64-slot tuner', () => {
    const findings = review.run(unbounded);
    expect(where(findings)).toEqual(['worker-concurrency-unbounded warning src/workers/tuned.ts:9']);
    expect(findings[0]!.data).toEqual({ option: 'maxConcurrentActivityTaskExecutions', value: '50000', limit: 1000 });
  });
});

describe('worker-ignored-poller-options', () => {
  it('flags each maxConcurrent*TaskPolls option where it is written, not the poller behaviour option', () => {
    const findings = review.run(ignoredPollers);
    expect(where(findings)).toEqual([
      'worker-ignored-poller-options warning src/workers/tuned.ts:10',
      'worker-ignored-poller-options warning src/workers/tuned.ts:11',
    ]);
    expect(findings.map((f) => f.data?.option)).toEqual(['maxConcurrentActivityTaskPolls', 'maxConcurrentWorkflowTaskPolls']);
    expect(findings[0]!.fix).toContain("{ type: 'simple-maximum', maximum: 50 }");
  });
});

describe('worker-shutdown-grace-missing', () => {
  // Info: none of the fixture's activities looks at cancellation, so the grace time changes nothing yet.
  it('reports an unset grace time at the Worker.create call and a zero one at the option', () => {
    const findings = review.run(grace);
    expect(where(findings)).toEqual([
      'worker-shutdown-grace-missing info src/workers/implicit.ts:6',
      'worker-shutdown-grace-missing info src/workers/tuned.ts:12',
    ]);
    expect(findings.map((f) => f.data?.shutdownGraceTime)).toEqual(['unset', 0]);
  });
});

describe('worker-capacity-below-peak', () => {
  it('flags the queue whose slots are below the plan at 2x the declared peak, at its slot option', () => {
    const findings = review.run(belowPeak);
    expect(where(findings)).toEqual([
      'worker-capacity-below-peak warning src/workers/checkout.ts:11',
      'worker-capacity-below-peak info src/workflows.ts:13',
      'worker-capacity-below-peak info src/workflows.ts:14',
    ]);
    // 5 checkouts/s x one 2 s receipt each, at 2x: offered load 20, so 20 slots never catch up;
    // the planner (Erlang C, p99 <= 500 ms) needs 28.
    expect(findings[0]!.data).toMatchObject({ taskQueue: 'checkout', configuredSlots: 20, requiredSlots: 28, ratePerSecond: 5, meanDurationMs: 2000, complete: false });
    expect(findings[0]!.message).toContain('the backlog grows without bound');
    expect(findings[1]!.message).toBe(
      "Cannot size task queue 'checkout' completely: nightlyBatch calls generateReport in a loop or a repeated callback, so its arrival rate is unknown.",
    );
    expect(findings[2]!.data).toEqual({ kind: 'missing-duration' });
  });

  it('passes when the declared peak fits the slots', () => {
    const config = configSchema.parse({
      load: { workflows: { checkout: { peakStartsPerSecond: 1 } }, activities: { sendReceipt: { meanDuration: '2s' }, chargeCard: { meanDuration: '1s' } } },
    });
    expect(where(review.run(belowPeak, config))).toEqual([]);
  });

  it('says nothing without declared load', () => {
    expect(review.run(belowPeak, configSchema.parse({}))).toEqual([]);
  });
});

describe('buildLoadModel', () => {
  const load = () => buildLoadModel(review.model, review.config);
  it('routes each activity to its proxy task queue or the workflow worker queue, times the start rate', () => {
    expect(
      load().queues.map((q) => ({
        queue: q.taskQueue,
        kind: q.slotKind,
        rate: q.ratePerSecond,
        mean: q.meanDurationMs,
        activities: q.activities.map((a) => `${a.name} ${a.ratePerSecond}/s from ${a.workflows.map((w) => `${w.name} x${w.callsPerExecution}`).join(',')}`),
        workers: q.workers.map((w) => `${w.worker.id} ${w.slots}${w.isDefault ? ' (default)' : ''}`),
        complete: q.complete,
      })),
    ).toEqual([
      {
        queue: 'checkout',
        kind: 'activity',
        rate: 5,
        mean: 2000,
        activities: ['sendReceipt 5/s from checkout x1'],
        workers: ['src/workers/checkout.ts:7:24 20'],
        complete: false,
      },
      {
        queue: 'payments',
        kind: 'activity',
        rate: 5,
        mean: 1000,
        activities: ['chargeCard 5/s from checkout x1'],
        workers: ['src/workers/payments.ts:6:24 200'],
        complete: true,
      },
    ]);
  });

  it('treats each activity as exponential: one activity type gives a cv of 1', () => {
    expect(load().queues.map((q) => q.durationCv)).toEqual([1, 1]);
  });

  it('lists what it could not count, with where it is', () => {
    expect(load().unknowns.map((u) => `${u.kind} ${u.taskQueue} ${u.location?.line}`)).toEqual([
      'repeated-call checkout 13',
      'missing-duration checkout 14',
    ]);
  });
});

describe('the whole capacity and observability review of the fixture', () => {
  it('reports each defect where it lives: defaults, ignored pollers, unbounded pool, no metrics, starts without attributes, peak load', async () => {
    const { checks } = await import('../../../src/checks/index.js');
    const { runChecks } = await import('../../../src/engine/run-checks.js');
    const mine = checks.filter((c) => c.area === 'capacity' || c.area === 'observability');
    const result = runChecks({ root: review.root, config: review.config, checks: mine, model: review.model });
    expect(where(result.findings)).toEqual([
      'workflow-start-without-search-attributes info src/client.ts:5',
      'worker-metrics-not-exported warning src/workers/checkout.ts:7',
      'worker-bundles-at-startup info src/workers/checkout.ts:9',
      'worker-capacity-below-peak warning src/workers/checkout.ts:11',
      'worker-concurrency-implicit warning src/workers/implicit.ts:6',
      'worker-shutdown-grace-missing info src/workers/implicit.ts:6',
      'worker-concurrency-implicit info src/workers/spread.ts:8',
      'worker-concurrency-unbounded warning src/workers/tuned.ts:9',
      'worker-ignored-poller-options warning src/workers/tuned.ts:10',
      'worker-ignored-poller-options warning src/workers/tuned.ts:11',
      'worker-shutdown-grace-missing info src/workers/tuned.ts:12',
      'workflow-failure-alert-missing warning src/workflows.ts:7',
      'workflow-runbook-missing info src/workflows.ts:7',
      'worker-capacity-below-peak info src/workflows.ts:13',
      'worker-capacity-below-peak info src/workflows.ts:14',
    ]);
    // One finding per root cause: the six workers without a Runtime.install share one metrics
    // finding, the two workflow types one alert and one runbook finding.
    expect(result.findings.find((f) => f.checkId === 'worker-metrics-not-exported')!.related).toHaveLength(6);
    expect(result.areas.filter((a) => a.area === 'capacity' || a.area === 'observability').map((a) => `${a.area} ${a.status}`)).toEqual([
      'capacity warn',
      'observability warn',
    ]);
  });
});
