// Activities made by factories: `export const sendMessage = sendMessageFactory(mailer)` and the
// object of `proxyActivities<ReturnType<typeof createBillingActivities>>`. The activity is the inner
// function (its parameters, throws, heartbeats and loops), never the factory, and helpers exported
// next to a product are not activities.
import { beforeAll, describe, expect, test } from 'vitest';
import carriesSecret from '../../src/checks/payloads/payload-carries-secret.js';
import longLoop from '../../src/checks/timeouts/activity-long-loop-without-heartbeat.js';
import type { ActivityImplementation } from '../../src/model/typescript/types.js';
import { fixtureReview, where, type FixtureReview } from '../checks/capacity/fixture-review.js';
import { at, rel } from './model-fixtures.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('activity-factories');
});

const activity = (name: string): ActivityImplementation => {
  const found = review.model.activities.find((a) => a.name === name);
  if (!found) throw new Error(`no activity ${name}`);
  return found;
};

describe('activities made by factories', () => {
  test('models the inner functions under their activity types, not the factory or its helpers', () => {
    expect(review.model.activities.map((a) => `${a.name}@${at(review.model, a.location)}`)).toEqual([
      'archiveInvoice@src/activities/archive.ts:1',
      'refundPayments@src/activities/billing.ts:13',
      'chargeCard@src/activities/billing.ts:21',
      'refreshTokensActivity@src/activities/maintenance.ts:18',
      'exportAllActivity@src/activities/maintenance.ts:32',
      'sendMessage@src/activities/send-message.ts:25',
    ]);
  });

  test('reads parameter types from the inner function', () => {
    const types = (name: string) => {
      const a = activity(name);
      const checker = review.model.checkerFor(a.file)!;
      return a.parameterTypes.map((t) => checker.typeToString(t));
    };
    expect(types('sendMessage')).toEqual(['SendMessageInput']);
    expect(types('chargeCard')).toEqual(['ChargeInput']);
    expect(types('refundPayments')).toEqual(['string[]']);
  });

  test('reads throws, heartbeats and loops from the inner function', () => {
    const sendMessage = activity('sendMessage');
    expect(sendMessage.thrownErrors.map((e) => `${e.type}@${e.location.line}`)).toEqual(['InvalidRecipient@14']);
    expect(sendMessage.longRunning.map((s) => `${s.kind}@${s.location.line}`)).toEqual(['loop-with-await@15']);
    expect(sendMessage.heartbeat).toBeNull();
    expect(at(review.model, activity('chargeCard').heartbeat!.location)).toBe('src/activities/billing.ts:23');
    expect(activity('refundPayments').longRunning.map((s) => `${s.kind}@${s.location.line}`)).toEqual(['loop-with-await@14']);
  });

  test('a heartbeat function the factory is handed counts as heartbeating', () => {
    expect(at(review.model, activity('refreshTokensActivity').heartbeat!.location)).toBe('src/activities/maintenance.ts:22');
  });

  test('a timer whose callback heartbeats counts as heartbeating', () => {
    expect(at(review.model, activity('exportAllActivity').heartbeat!.location)).toBe('src/activities/maintenance.ts:33');
  });

  test("a ReturnType proxy's implementation files are where the products live", () => {
    const proxy = review.model.activityProxies.find((p) => p.location.line === 8 && p.location.file.endsWith('/workflows.ts'))!;
    expect(proxy.implementationFiles.map((f) => rel(review.model, f))).toEqual(['src/activities/archive.ts', 'src/activities/billing.ts']);
    expect(proxy.exposedActivityTypes).toEqual(['archiveInvoice', 'chargeCard', 'refundPayments']);
  });

  test('reports the unheartbeated loops of factory-made activities', () => {
    expect(where(review.run(longLoop))).toEqual([
      // heartbeatTimeout 30 seconds on its proxy: every long attempt fails, but nothing in the code
      // says the loop over paymentIds is long (a warning, no longer an error).
      'activity-long-loop-without-heartbeat info src/activities/billing.ts:14',
      // One mailer.send per line under a 5-minute startToClose: a quick loop over input.lines, info.
      'activity-long-loop-without-heartbeat info src/activities/send-message.ts:15',
    ]);
  });

  test('a result type named like a token refresh that holds only counts is not a credential', () => {
    expect(where(review.run(carriesSecret))).toEqual([]);
  });
});
