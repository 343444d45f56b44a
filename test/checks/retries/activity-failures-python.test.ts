// activity-failure-returned and activity-failure-swallowed on Python: an except clause that takes
// every exception of awaited work and returns `Result(ok=False)` (in a helper whose result the
// activity returns), or only logs and goes on (a warning inside a loop over pages, a note
// otherwise). Not a notification, a clause commented as best effort, one that re-raises, a try
// whose outcome is tested after it, a clause that looks at the error, a single attempt, or a try
// around local work and an asyncio.sleep pause (nothing there fails in an outage), or a try around a
// helper that takes the request errors itself (the catch never sees an outage).

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity failures hidden from the retry policy, on Python', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-activity-failures'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-failure-returned' || f.checkId === 'activity-failure-swallowed');
  }, 120_000);

  it('reports the returned failure value and the clauses that only log; nothing else', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-failure-swallowed', severity: 'warning', file: 'app/activities.py', line: 24 },
      { checkId: 'activity-failure-swallowed', severity: 'info', file: 'app/activities.py', line: 34 },
      // collect_volumes reaches requests through PriceFeed.volume, which lets the error out;
      // collect_prices goes through PriceFeed.latest, which takes request errors itself.
      { checkId: 'activity-failure-swallowed', severity: 'warning', file: 'app/activities.py', line: 133 },
      { checkId: 'activity-failure-returned', severity: 'warning', file: 'app/records.py', line: 9 },
    ]);
  });

  it('names the helper, the call and the value', () => {
    expect(findings.find((f) => f.checkId === 'activity-failure-returned')!.message).toContain(
      'Activity erase in erase_record, whose result the activity returns, catches every exception of reports_api.erase(...) (app/records.py:6) and returns SyncResult(record_id=record_id, ok=False) instead of raising',
    );
    expect(findings[0]!.message).toContain('Activity export_pages catches every exception of reports_api.page(...) (app/activities.py:20), only logs it and goes on');
    expect(findings[0]!.message).toContain('The catch runs once per item or page');
  });
});
