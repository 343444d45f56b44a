// Activities that turn an outside failure into a normal result: a failure marker of a try whose work
// is synchronous (a synchronous database client) that no workflow call reads, the "not found"
// answer returned for every error, and a catch that only logs around fetching mail (reading mail is
// the work, not a notification). Sending a mail, a catch that rethrows all but a specific error,
// a try of pure code, a marker the workflow reads and a result that carries what the catch
// recorded (`{ healthy: false, issues }`) are left alone.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

describe('activity failures turned into results', () => {
  const findings = findingsOf('activity-failure-fallbacks', ['activity-failure-returned', 'activity-failure-swallowed']);

  it('reports exactly the fallbacks that hide an outside failure', () => {
    expect(where(findings)).toEqual([
      'activity-failure-returned warning src/activities.ts:15',
      'activity-failure-returned info src/activities.ts:45',
      'activity-failure-swallowed info src/activities.ts:73',
    ]);
  });

  it('names the synchronous call and the workflow call that drops the marker', () => {
    const save = findings.find((f) => f.line === 15)!;
    expect(save.message).toContain('Activity saveAgent catches every error of db.setAgent(...) (src/activities.ts:7) and returns { success: false, ... } instead of failing: a failure there (a locked or unreachable database');
    expect(save.message).toContain('No workflow call of saveAgent reads the failure (src/workflows.ts:15)');
    expect(save.data?.['synchronous']).toBe(true);
  });

  it('reads a catch that returns the try\'s "not found" answer as a result that may also be an answer', () => {
    const find = findings.find((f) => f.line === 45)!;
    expect(find.message).toContain('Activity findAgent catches every error of registry.find(...) (src/activities.ts:40) and returns { exists: false } instead of failing');
    expect(find.message).toContain('({ exists: false } may also be an answer');
  });

  it('does not take fetching mail for a notification', () => {
    expect(findings.find((f) => f.line === 73)!.message).toContain('Activity pollUnreadEmails catches every error of inbox.fetchUnread(...) (src/activities.ts:72), only logs it and goes on');
  });
});
