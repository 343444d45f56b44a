// activity-failure-swallowed on Python: a loop whose catch only logs, in a function that kept an
// earlier failure (`except Exception as exc: saved = exc`) and raises it after the loop
// (`if saved is not None: raise saved`), fails the attempt in an outage: not reported. The same
// loop without the saved raise still is.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('a swallowing loop followed by the raise of a saved error, on Python', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-activity-failure-saved-raise'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-failure-swallowed');
  }, 120_000);

  it('reports only the loop with nothing raised after it', () => {
    expect(findings.map(where)).toEqual([{ checkId: 'activity-failure-swallowed', severity: 'warning', file: 'tags.py', line: 29 }]);
    expect(findings[0]!.message).toContain('Activity untag through drop_tags catches every exception of requests.delete');
    expect(findings.some((f) => f.message.includes('retag'))).toBe(false);
  });
});
