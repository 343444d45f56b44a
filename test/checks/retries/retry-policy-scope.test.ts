// Retry findings whose consequence does not happen on the code in front of them (issue 13), over
// test/fixtures/retries-policy-scope: an activity that runs in memory, a proxy no worker runs,
// workflows that run as one instance at a time, a default cap under a finite maximumAttempts, and
// a message that must name the plain errors it retries.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('retries-policy-scope');
});

const missing = (file: string) => fixture.findings(['activity-retry-policy-missing']).filter((f) => f.file === file);

describe('activity-retry-policy-missing on an activity that runs in memory', () => {
  it('is info for a proxy whose only activity never awaits and does no I/O, and says why', () => {
    const findings = missing('src/workflows/settings-workflow.ts');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows/settings-workflow.ts', line: 4 },
      // countRows awaits a query: the proxy that schedules it keeps the warning.
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows/settings-workflow.ts', line: 6 },
      // A synchronous activity that reads a file is not in memory.
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows/settings-workflow.ts', line: 8 },
    ]);
    expect(findings[0]!.message).toContain('readSettings performs no I/O (no await, no promise and no I/O call in it or the helpers it calls)');
    expect(findings[0]!.message).toContain('A failure there (a bad input, a bug) is deterministic: it repeats on every attempt, and with no policy it is retried without limit, so the run waits instead of failing.');
    expect(findings[0]!.message).not.toContain('transient failures (a timeout, a dependency down)');
    expect(findings[0]!.fix).toContain('maximumAttempts: 1');
    expect(findings[0]!.data).toMatchObject({ inMemory: true });
  });
});

describe('activity-retry-policy-missing on a proxy no worker runs', () => {
  it('stays quiet when the workflow file is outside every worker\'s workflow modules (workflow-not-registered covers the start)', () => {
    expect(missing('src/workflows/restart-workflow.ts')).toEqual([]);
  });
});

describe('activity-retry-policy-missing on workflows that run one instance at a time', () => {
  it('is info for a schedule with a fixed id, a cron start with a fixed id and a fixed workflow id; a warning otherwise', () => {
    const findings = missing('src/workflows/sweep-workflows.ts');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows/sweep-workflows.ts', line: 4 },
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows/sweep-workflows.ts', line: 6 },
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows/sweep-workflows.ts', line: 8 },
      // overlap ALLOW_ALL, a cron per tenant, and a workflow the reviewed code never starts.
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows/sweep-workflows.ts', line: 10 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows/sweep-workflows.ts', line: 12 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows/sweep-workflows.ts', line: 14 },
    ]);
    expect(findings[0]!.message).toContain(
      "scheduledSweep runs one instance at a time (schedule 'sweep-old-rows' starts it with overlap SKIP (the default)), so a dependency outage is retried by that one workflow, about every 1m 40s",
    );
    expect(findings[1]!.message).toContain("it runs on a cron schedule with the fixed workflow id 'hourly-sweep'");
    expect(findings[2]!.data).toMatchObject({ singleInstance: "it is started with the fixed workflow id 'singleton-sweep'" });
    expect(findings[3]!.message).toContain('every workflow in flight retries in step');
  });
});

describe('activity-retry-policy-missing names the plain errors it retries', () => {
  it('does not call every error non-retryable when plain Errors are thrown, and lists them with file:line', () => {
    const findings = missing('src/workflows/shares-workflow.ts');
    expect(findings.map(where)).toEqual([{ checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows/shares-workflow.ts', line: 4 }]);
    const message = findings[0]!.message;
    expect(message).not.toContain('Every');
    expect(message).toContain(
      'The business errors found are already non-retryable, but the implementations throw plain errors, which are retried without limit: Error (src/activities.ts:30) and Error (src/activities.ts:32). ' +
        'Their type does not tell a permanent condition from a transient one, so a permanent one is retried like an outage',
    );
    expect(findings[0]!.related?.map((r) => r.line)).toEqual([30, 32]);
  });
});

describe('activity-retry-max-interval-unset with a finite maximumAttempts', () => {
  it('is info naming the retry window for 10 and 20 attempts; unlimited attempts keep the warning', () => {
    const findings = fixture.findings(['activity-retry-max-interval-unset']).filter((f) => f.file === 'src/workflows/capped-workflow.ts');
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retry-max-interval-unset', severity: 'info', file: 'src/workflows/capped-workflow.ts', line: 4 },
      { checkId: 'activity-retry-max-interval-unset', severity: 'info', file: 'src/workflows/capped-workflow.ts', line: 9 },
      { checkId: 'activity-retry-max-interval-unset', severity: 'warning', file: 'src/workflows/capped-workflow.ts', line: 14 },
    ]);
    // 1+2+4+...+64 = 127s, then two waits at the 100s cap.
    expect(findings[0]!.message).toContain('With maximumAttempts 10, 2 of the 9 waits reach that cap and the waits add up to 5m 27s');
    expect(findings[0]!.data).toMatchObject({ retryWindowMs: 327_000, cappedWaits: 2 });
    expect(findings[1]!.message).toContain('With maximumAttempts 20, 12 of the 19 waits reach that cap and the waits add up to 22m 7s');
  });
});
