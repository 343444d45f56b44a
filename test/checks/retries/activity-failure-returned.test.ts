// activity-failure-returned: an activity that catches every error of what it awaits and returns a
// failure value completes as a success, so Temporal never retries it. Reported at the return in
// the catch (in the activity or in the helper whose result it returns); a marker object is a
// warning, an empty result (which can also mean "nothing found") a note.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

describe('activity-failure-returned', () => {
  const findings = findingsOf('activity-failure-returned', ['activity-failure-returned']);

  it('reports catch-all returns of failure values in activities that would be retried', () => {
    expect(where(findings)).toEqual([
      'activity-failure-returned warning src/activities.ts:12',
      'activity-failure-returned info src/activities.ts:21',
      'activity-failure-returned warning src/activities.ts:99',
      'activity-failure-returned info src/activities.ts:110',
      'activity-failure-returned warning src/activities.ts:124',
      'activity-failure-returned warning src/activities.ts:136',
      'activity-failure-returned warning src/activities.ts:172',
      'activity-failure-returned warning src/activities.ts:215',
      'activity-failure-returned warning src/activities.ts:238',
      'activity-failure-returned warning src/messages.ts:11',
      'activity-failure-returned warning src/partners.ts:86',
      'activity-failure-returned warning src/partners.ts:115',
      'activity-failure-returned warning src/payments.ts:10',
      'activity-failure-returned warning src/shipments.ts:21',
      'activity-failure-returned warning src/shipments.ts:71',
    ]);
  });

  it('does not take reading the message (`instanceof Error ? ... : ...`) for a decision, and reads a failure written into the returned object', () => {
    expect(findings.find((f) => f.line === 124)!.message).toContain('Activity purgeOrder catches every error of store.setVisibility(...) (src/activities.ts:119) and returns { success: false, ... } instead of failing');
    expect(findings.find((f) => f.line === 136)!.message).toContain('Activity closeOrders catches every error of store.setVisibility(...) (src/activities.ts:132) and returns result (errors recorded) instead of failing');
  });

  it('counts a return after the try as its success value, and warns on `false` when every workflow call drops the result', () => {
    const hide = findings.find((f) => f.line === 99)!;
    expect(hide.message).toContain('Activity hideOrder catches every error of store.setVisibility(...) (src/activities.ts:96) and returns false instead of failing');
    expect(hide.message).toContain('Every workflow call of hideOrder drops its result (src/workflows.ts:20, src/workflows.ts:21, src/workflows.ts:24), so false can only mean the failure, and nothing reads it.');
    expect(hide.data?.['resultDropped']).toBe(true);
    // showOrder's answer is read by the workflow: `false` may be an answer, a note.
    expect(findings.find((f) => f.line === 110)!.message).toContain('(false may also be an answer');
  });

  it('names the call, the returned value and the retry policy that never runs', () => {
    expect(findings[0]!.message).toBe(
      'Activity chargeOrder catches every error of paymentsApi.charge(...) (src/activities.ts:8) and returns { ok: false, ... } instead of failing: ' +
        "a timeout, a lost connection or an outage there ends the activity as a success, so its retry policy (maximumAttempts: 5) never runs, the failure counts nowhere in Temporal's metrics, " +
        'and the workflow goes on unless it checks the value.',
    );
    expect(findings[1]!.message).toContain('returns [] instead of failing');
    expect(findings[1]!.message).toContain('([] may also be an answer, such as "nothing found", so this is a note.)');
    expect(findings.find((f) => f.file === 'src/payments.ts')!.message).toContain('Activity refundOrder in sendRefund, whose result the activity returns, catches every error of paymentsApi.refund(...) (src/payments.ts:6)');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/activities.ts:8']);
  });

  it('reads a returned message that says the step failed as a failure marker', () => {
    expect(findings.find((f) => f.file === 'src/messages.ts' && f.line === 11)!.message).toContain(
      "Activity linkAccount catches every error of store.setVisibility(...) (src/messages.ts:7) and returns `Failed. Could not link ${accountId}.` instead of failing",
    );
    // describeAccount's catch answers 'No payments yet.': not a failure message.
    expect(findings.filter((f) => f.file === 'src/messages.ts').map((f) => f.line)).toEqual([11]);
  });

  it('leaves alone catches that look at the error, rethrow, are best effort, compensate, or run once', () => {
    const lines = findings.map((f) => `${f.file}:${f.line}`);
    // sendReceipt: "Don't throw the error - we don't want a receipt failure to fail the whole order".
    expect(lines).not.toContain('src/activities.ts:148');
    for (const line of ['src/activities.ts:35', 'src/activities.ts:46', 'src/activities.ts:57', 'src/activities.ts:67', 'src/activities.ts:77', 'src/activities.ts:87']) expect(lines).not.toContain(line);
  });

  it('names only an awaited call that can throw into the catch: not a project function that catches its own failures, a dynamic import, a call in an inner try that handles it, or a Supabase call', () => {
    const lines = findings.map((f) => `${f.file}:${f.line}`);
    // importLeads: testConnection and createLeads return false / { success: false } from their own catch.
    expect(lines).not.toContain('src/activities.ts:162');
    // countLeads: only `await import('./leads')` in the try.
    expect(lines).not.toContain('src/activities.ts:182');
    // archiveLeads: the only awaited call sits in a per-item try whose catch logs and goes on.
    expect(lines).not.toContain('src/activities.ts:198');
    // listLeadNames: `{ data, error }` of a Supabase call, and a call with an in-place `.catch` fallback.
    expect(lines).not.toContain('src/activities.ts:229');
    // refreshLeads: loadLeads awaits a query outside its own try, so it can throw; testConnection cannot.
    expect(findings.find((f) => f.line === 172)!.message).toContain('Activity refreshLeads catches every error of loadLeads(...) (src/activities.ts:169)');
    // restoreLeads: the query before the loop, not the refund inside the inner try.
    expect(findings.find((f) => f.line === 215)!.message).toContain('Activity restoreLeads catches every error of store.findPayments(...) (src/activities.ts:205)');
    // pingPartner: a request over the network, returned as { ok: false }.
    expect(findings.find((f) => f.line === 238)!.message).toContain('Activity pingPartner catches every error of fetch(...) (src/activities.ts:235) and returns { ok: false, ... }');
  });

  it('follows a service method that hands its work to one that catches its own failures, and names the call whose failure reaches the catch', () => {
    const lines = findings.map((f) => `${f.file}:${f.line}`);
    // notifyPartner: partnerApi.post -> request() answers { success: false } and throws nothing;
    // the activity returns that answer outside the catch.
    expect(lines).not.toContain('src/partners.ts:73');
    // findPartnerRows: a connection check that cannot throw, a Supabase query kept in a variable and
    // one whose `error` is not read: nothing an outage produces reaches the catch.
    expect(lines).not.toContain('src/partners.ts:103');
    // syncPartner: the failure value of partnerApi.post becomes a throw that this catch returns.
    expect(findings.find((f) => f.file === 'src/partners.ts' && f.line === 86)!.message).toContain(
      'Activity syncPartner catches every error of partnerApi.post(...) (src/partners.ts:80) and returns { success: false, ... } instead of failing',
    );
    // loadPartnerPayments: the query after the connection check, not the check itself.
    expect(findings.find((f) => f.file === 'src/partners.ts' && f.line === 115)!.message).toContain(
      'Activity loadPartnerPayments catches every error of store.findPayments(...) (src/partners.ts:112)',
    );
  });

  it('reports a catch that tests the error when every branch returns a failure marker, and names the workflow calls that never read it', () => {
    const booked = findings.find((f) => f.file === 'src/shipments.ts' && f.line === 21)!;
    expect(booked.severity).toBe('warning');
    expect(booked.message).toContain('Activity bookShipment catches every error of store.findPayments(...) (src/shipments.ts:13) and returns { success: false, ... } instead of failing');
    expect(booked.message).toContain(
      'No workflow call of bookShipment reads the failure (src/workflows.ts:61): each drops the result or reads only its other fields, so the workflow goes on to its next step after the failure.',
    );
    expect(booked.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/shipments.ts:13', 'src/workflows.ts:61']);
    expect(booked.data?.['failureUnread']).toBe(true);
    // cancelShipment answers success for a 404; relabelShipment records the rejection first.
    expect(findings.filter((f) => f.file === 'src/shipments.ts').map((f) => f.line)).toEqual([21, 71]);
    // chargeOrder's `{ ok: false }` is read by the workflow (`charged.ok`): no such note.
    expect(findings[0]!.message).not.toContain('No workflow call');
    expect(findings[0]!.related).toHaveLength(1);
  });

  it('takes a pause on a timer (`new Promise((resolve) => setTimeout(resolve, ms))`) for a call that cannot throw', () => {
    // awaitCarrier: names checkCarrier, whose failure value becomes a throw, not the pause before it.
    const carrier = findings.find((f) => f.file === 'src/shipments.ts' && f.line === 71)!;
    expect(carrier.message).toContain('Activity awaitCarrier catches every error of checkCarrier(...) (src/shipments.ts:67) and returns { success: false, ... } instead of failing');
    // the workflow reads carrier.success: no note about unread failures.
    expect(carrier.message).not.toContain('No workflow call');
    // coolDown: only the pause is awaited, so no outage reaches the catch.
    expect(findings.map((f) => `${f.file}:${f.line}`)).not.toContain('src/shipments.ts:82');
  });
});
