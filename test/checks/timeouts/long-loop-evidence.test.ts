// activity-long-loop-without-heartbeat warns only when the code shows the loop runs long: it pages
// until the source is exhausted (LIMIT/OFFSET until a short page, a keyset cursor), or walks a batch
// the code declares large (1,000 rows in groups of 20, 120 tables listed in the code). A loop over a fetched list of unknown size,
// a reconnect wait bounded to 5 s and 400 looks 20 ms apart are info, saying what would make them long.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('long-loop-evidence');
});

describe('activity-long-loop-without-heartbeat and evidence of a long run', () => {
  it('warns on paging loops and a declared large batch, and is info for a list of unknown size and short bounded waits', () => {
    const found = fixture.findings(['activity-long-loop-without-heartbeat']);
    expect(found.map(where)).toEqual([
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'warning', file: 'src/activities.ts', line: 31 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'warning', file: 'src/activities.ts', line: 45 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 56 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 69 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities.ts', line: 83 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'warning', file: 'src/activities.ts', line: 98 },
      { checkId: 'activity-long-loop-without-heartbeat', severity: 'warning', file: 'src/activities.ts', line: 109 },
    ]);
    expect(found.map((f) => f.data?.evidence)).toEqual(['drains', 'drains', undefined, undefined, undefined, 'large', 'large']);
    // The warning says what shows the long run.
    expect(found[0]!.message).toContain('and it leaves when `rows.length < PAGE`, which depends on `rows`, set from a call awaited in the loop:');
    expect(found[1]!.message).toContain('and it runs while `more`, set from a call awaited in the loop:');
    expect(found[5]!.message).toContain('and it walks `rows` in groups of 20:');
    expect(found[6]!.message).toContain('and it walks 120 items that the code lists:');
  });

  it('names the loop and the activity in an info finding, and says what would make it long', () => {
    const found = fixture.findings(['activity-long-loop-without-heartbeat']);
    const providers = found.find((f) => f.line === 56)!;
    expect(providers.message).toContain('probeProviders loops over awaits (for (const name of providers) {)');
    expect(providers.message).toContain('it is long if `providers` holds thousands of items, or only a few when each turn is slow (a child process, a model call, a request with a long timeout), and preflight cannot see its size or how long a turn takes');
    const reconnect = found.find((f) => f.line === 69)!;
    expect(reconnect.message).toContain('reconnect polls (while (!connected && waited < maxWait) {)');
    expect(reconnect.message).toContain('for about 5s in all at most');
    expect(found.find((f) => f.line === 83)!.message).toContain('for about 8s in all at most');
  });
});
