// Worker options completed after the literal (issue 13, pattern I): property writes and
// Object.assign before Worker.create count; a write on some paths only is "cannot tell".
import { beforeAll, describe, expect, it } from 'vitest';
import implicit from '../../../src/checks/capacity/worker-concurrency-implicit.js';
import unbounded from '../../../src/checks/capacity/worker-concurrency-unbounded.js';
import grace from '../../../src/checks/capacity/worker-shutdown-grace-missing.js';
import { workerSlots } from '../../../src/engine/load-model.js';
import { workerOption } from '../../../src/model/typescript/observability/worker-options.js';
import type { WorkerDefinition } from '../../../src/model/typescript/types.js';
import { fixtureReview, where, type FixtureReview } from './fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('capacity-options-writes');
});

function workerIn(file: string) {
  const worker = review.model.workers.find((w) => w.location.file.endsWith(file));
  if (!worker) throw new Error(`no worker in ${file}`);
  return worker;
}

describe('options written after the literal', () => {
  it('reads writes on every path as set, writes under an if as maybe, writes after the call not at all', () => {
    const slots = (file: string) => workerOption(workerIn(file), 'maxConcurrentActivityTaskExecutions', review.model);
    expect(slots('assigned-slots.ts')).toMatchObject({ state: 'set', value: { kind: 'number', value: 20 } });
    expect(slots('merged-slots.ts')).toMatchObject({ state: 'set', value: { kind: 'number', value: 5000 } });
    expect(slots('conditional-slots.ts')).toMatchObject({ state: 'maybe', location: { line: 10 } });
    expect(slots('written-too-late.ts')).toEqual({ state: 'absent' });
    expect(workerOption(workerIn('assigned-slots.ts'), 'shutdownGraceTime', review.model)).toMatchObject({ state: 'set', value: { kind: 'string', value: '45s' } });
  });

  it('worker-concurrency-implicit: cannot tell for slots set under an if, warns only when nothing before the call sets them', () => {
    const findings = review.run(implicit);
    expect(where(findings)).toEqual([
      'worker-concurrency-implicit info src/workers/conditional-slots.ts:12',
      'worker-concurrency-implicit warning src/workers/written-too-late.ts:7',
    ]);
    expect(findings[0]!.message).toContain('set on some paths only');
  });

  it('worker-shutdown-grace-missing: passes a grace time assigned or merged before the call, or set when configured', () => {
    expect(where(review.run(grace))).toEqual(['worker-shutdown-grace-missing info src/workers/written-too-late.ts:7']);
  });

  it('worker-concurrency-unbounded: flags 5,000 slots merged in by Object.assign, and a huge fallback saying when it applies', () => {
    const findings = review.run(unbounded);
    expect(where(findings)).toEqual([
      'worker-concurrency-unbounded warning src/workers/fallback-slots.ts:11',
      'worker-concurrency-unbounded warning src/workers/merged-slots.ts:7',
    ]);
    expect(findings[0]!.message).toContain('sets maxConcurrentActivityTaskExecutions to 1000000 whenever maxActivities is not set: there is no backpressure');
    expect(findings[1]!.data).toEqual({ option: 'maxConcurrentActivityTaskExecutions', value: '5000', limit: 1000 });
  });
});

describe('workers whose options are partly unknown', () => {
  it('sizes slots set on some paths only, or options that did not resolve, as unknown, never as the SDK default', () => {
    const conditional = workerIn('conditional-slots.ts');
    expect(workerSlots(conditional, 'activity', review.model)).toMatchObject({ slots: 'unknown', isDefault: false });
    // A framework worker whose options object the model could not resolve (e.g. a module's
    // workerOptions built by a factory) but whose task queue it knows.
    const framework: WorkerDefinition = { ...conditional, options: { kind: 'unknown', text: 'buildOptions()', location: conditional.location } };
    expect(workerSlots(framework, 'activity', review.model)).toMatchObject({ slots: 'unknown', isDefault: false });
    expect(workerSlots(workerIn('written-too-late.ts'), 'activity', review.model)).toMatchObject({ slots: 100, isDefault: true });
  });
});
