// The fact behind worker-ignored-poller-options, checked against the installed SDK rather than
// remembered: its own option compiler ignores maxConcurrent*TaskPolls (TEMPORAL-FACTS.md section 6).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { IGNORED_POLLER_OPTIONS } from '../../../src/checks/capacity/worker-ignored-poller-options.js';
import { IMPLICIT_DEFAULTS } from '../../../src/checks/capacity/worker-concurrency-implicit.js';
import { DEFAULT_ACTIVITY_SLOTS, DEFAULT_LOCAL_ACTIVITY_SLOTS } from '../../../src/engine/load-model.js';

const require = createRequire(import.meta.url);
const sdkVersion = (require('@temporalio/worker/package.json') as { version: string }).version;
const { compileWorkerOptions } = require('@temporalio/worker/lib/worker-options') as {
  compileWorkerOptions(options: Record<string, unknown>, logger: unknown, meter: unknown): Record<string, any>;
};
const { DefaultLogger } = require('@temporalio/worker') as { DefaultLogger: new (level: string) => unknown };
const { noopMetricMeter } = require('@temporalio/common') as { noopMetricMeter: unknown };

function compile(options: Record<string, unknown>) {
  return compileWorkerOptions({ taskQueue: 'q', activities: { a: async () => undefined }, ...options }, new DefaultLogger('ERROR'), noopMetricMeter);
}

describe(`SDK ${sdkVersion} poller options`, () => {
  it('is the SDK version the fact was verified on', () => {
    expect(sdkVersion).toMatch(/^1\.24\./);
  });

  it('ignores maxConcurrentWorkflowTaskPolls, maxConcurrentActivityTaskPolls and maxConcurrentNexusTaskPolls', () => {
    const baseline = compile({});
    const raised = compile({ maxConcurrentWorkflowTaskPolls: 30, maxConcurrentActivityTaskPolls: 50, maxConcurrentNexusTaskPolls: 40 });
    for (const behaviour of Object.values(IGNORED_POLLER_OPTIONS)) {
      expect(raised[behaviour], behaviour).toEqual(baseline[behaviour]);
      expect(raised[behaviour], behaviour).toEqual({ type: 'simple-maximum', maximum: 10 });
    }
  });

  it('takes the poller count from the *PollerBehavior options instead', () => {
    const compiled = compile({ activityTaskPollerBehavior: { type: 'simple-maximum', maximum: 50 }, workflowTaskPollerBehavior: { type: 'autoscaling' } });
    expect(compiled.activityTaskPollerBehavior).toEqual({ type: 'simple-maximum', maximum: 50 });
    expect(compiled.workflowTaskPollerBehavior).toEqual({ type: 'autoscaling', minimum: 1, initial: 5, maximum: 100 });
  });

  it('caps the default poller count at the slot count (min(10, slots))', () => {
    expect(compile({ maxConcurrentActivityTaskExecutions: 4 }).activityTaskPollerBehavior).toEqual({ type: 'simple-maximum', maximum: 4 });
  });
});

describe(`SDK ${sdkVersion} defaults the capacity checks rely on`, () => {
  it('gives 100 activity, 100 local activity and 40 workflow task slots without options or tuner', () => {
    const { tuner } = compile({});
    expect(tuner.activityTaskSlotSupplier).toEqual({ type: 'fixed-size', numSlots: DEFAULT_ACTIVITY_SLOTS });
    expect(tuner.localActivityTaskSlotSupplier).toEqual({ type: 'fixed-size', numSlots: DEFAULT_LOCAL_ACTIVITY_SLOTS });
    expect(tuner.workflowTaskSlotSupplier).toEqual({ type: 'fixed-size', numSlots: IMPLICIT_DEFAULTS.maxConcurrentWorkflowTaskExecutions });
    expect(tuner.activityTaskSlotSupplier.numSlots).toBe(IMPLICIT_DEFAULTS.maxConcurrentActivityTaskExecutions);
  });

  it('has no shutdown grace time by default', () => {
    expect(compile({}).shutdownGraceTimeMs).toBe(0);
  });
});
