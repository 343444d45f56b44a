// activity-retry-policy-missing on a Python activity that performs no I/O (a prompt formatter that
// loops over its argument's data): no outage can fail it, so the message says a failure is
// deterministic and retried without limit, not that transient failures are retried, and the finding
// is info. test/fixtures/python-retry-no-io: build_summary loops the same way but calls a
// module-level HTTP client, which is I/O, and keeps the warning.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

let findings: Finding[];

beforeAll(async () => {
  const result = await review({ dir: path.join(fixturesDir, 'python-retry-no-io'), config: undefined });
  findings = result.findings.filter((f) => f.checkId === 'activity-retry-policy-missing');
}, 120_000);

describe('activity-retry-policy-missing on a Python activity with no I/O', () => {
  it('is info for the formatter, a warning for the activity that calls a module-level client', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'app/workflows.py', line: 13 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'app/workflows.py', line: 14 },
    ]);
    const [formatter, summary] = findings;
    expect(formatter!.message).toContain('build_prompt performs no I/O (no await, no client, file or unknown call in it or the project helpers it calls)');
    expect(formatter!.message).toContain('A failure there (a bad input, a bug) is deterministic: it repeats on every attempt, and with no policy it is retried without limit, so the run waits instead of failing.');
    expect(formatter!.message).not.toContain('transient failures (a timeout, a dependency down)');
    expect(formatter!.fix).toContain('maximum_attempts=1');
    expect(summary!.message).toContain('transient failures (a timeout, a dependency down)');
  });
});
