// A proxy whose activity type is written in the workflow file (an inline type literal, a local
// interface) names no implementation module: its members are matched by name with the functions the
// workers running its workflows register (`activities: { ...billing, ...shipping }`), when exactly
// one function of the project has that name. A name two modules export (sendReceipt) stays
// unresolved, and the diagnostic names it.
import { beforeAll, describe, expect, test } from 'vitest';
import heartbeatTimeoutWithoutHeartbeat from '../../src/checks/timeouts/activity-heartbeat-timeout-without-heartbeat.js';
import { fixtureReview, where, type FixtureReview } from '../checks/capacity/fixture-review.js';
import { buildTemporalModel } from '../../src/model/typescript/build-model.js';
import { at, rel } from './model-fixtures.js';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../fixtures/activity-inline-proxy-type');
let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('activity-inline-proxy-type');
});

describe('a proxy typed inline, resolved through the worker registrations', () => {
  test('each member resolves to the module whose function the workflow\'s worker registers under its name', () => {
    const proxies = review.model.activityProxies.map((p) => `${at(review.model, p.location)} ${p.implementationFiles.map((f) => rel(review.model, f)).join(',')}`);
    expect(proxies).toEqual([
      'src/workflows.ts:3 src/activities/billing.ts,src/activities/shipping.ts',
      // The local interface's own file stays; the registered module is added.
      'src/workflows.ts:13 src/activities/shipping.ts,src/workflows.ts',
    ]);
  });

  test('chargeCard is the orders worker\'s (it never heartbeats), not the legacy worker\'s of the same name', () => {
    const findings = review.run(heartbeatTimeoutWithoutHeartbeat);
    expect(where(findings)).toEqual(['activity-heartbeat-timeout-without-heartbeat warning src/workflows.ts:3']);
    expect(findings[0]!.message).toContain('but chargeCard, sendReceipt and shipOrder never call heartbeat()');
  });

  test('only the member two modules export stays unresolved, and the diagnostic names it', () => {
    const { diagnostics } = buildTemporalModel({ root });
    expect(diagnostics.filter((d) => d.kind === 'unresolved-import').map((d) => d.message)).toEqual([
      'src/workflows.ts:3: the activity type { chargeCard, shipOrder, sendReceipt } (written inline) of this proxy names no implementation module, and its activity sendReceipt ' +
        'could not be matched to a single function that the workers running its workflows register under that name, so heartbeats, thrown errors and payload types of that activity were not reviewed.',
    ]);
  });
});
