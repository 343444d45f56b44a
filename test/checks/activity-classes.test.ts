// Worker.create registers `Object.entries(activities)`: a class instance's prototype methods are
// not registered (proved against the SDK below), so activity-methods-not-registered flags
// `activities: new OrderActivities(db)` and passes own arrow-function properties and factories.
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../src/checks/determinism/activity-methods-not-registered.js';
import { fixtureReview, where, type FixtureReview } from './capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('activity-classes');
});

describe('activity-methods-not-registered', () => {
  it('is a fact of the SDK: compileWorkerOptions keeps own function properties only', () => {
    const require = createRequire(import.meta.url);
    const { compileWorkerOptions } = require('@temporalio/worker/lib/worker-options.js') as {
      compileWorkerOptions(options: object, logger: object, meter: object): { activities: Map<string, unknown> };
    };
    const { DefaultLogger } = require('@temporalio/worker') as { DefaultLogger: new (level: string) => object };
    class Activities {
      async charge(): Promise<number> {
        return 1;
      }
      ship = async (): Promise<number> => 2;
    }
    const meter = { createCounter: () => ({ add() {} }), createHistogram: () => ({ record() {} }), createGauge: () => ({ set() {} }), withTags() { return this; } };
    const compiled = compileWorkerOptions({ taskQueue: 'q', activities: new Activities(), workflowBundle: { code: '' } }, new DefaultLogger('ERROR'), meter);
    expect([...compiled.activities.keys()]).toEqual(['ship']);
  });

  it('flags the worker given a class instance, naming its public prototype methods', () => {
    const findings = review.run(check);
    expect(where(findings)).toEqual(['activity-methods-not-registered error src/worker.ts:8']);
    expect(findings[0]!.data).toEqual({ className: 'OrderActivities', methods: ['chargeCard', 'shipOrder'] });
    expect(findings[0]!.message).toContain('the methods chargeCard, shipOrder are on the class\'s prototype and are not registered');
  });

  it('passes arrow-function properties (own properties) and a factory returning functions', () => {
    const lines = review.run(check).map((f) => f.line);
    expect(lines).not.toContain(10);
    expect(lines).not.toContain(11);
  });
});
