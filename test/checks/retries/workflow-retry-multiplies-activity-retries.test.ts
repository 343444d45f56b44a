// workflow-retry-multiplies-activity-retries: a workflow loop that calls an activity again after
// it failed, while the activity's proxy already retries it; and a workflow retry policy on a start
// (client or child) of a workflow whose activities retry.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

const CHECK = 'workflow-retry-multiplies-activity-retries';

describe(CHECK, () => {
  it('reports activities a workflow loop retries on top of their own retry policy', { timeout: 120_000 }, () => {
    const findings = findingsOf('workflow-retry-loops', [CHECK]);
    expect(where(findings)).toEqual([`${CHECK} warning src/workflows.ts:13`, `${CHECK} warning src/workflows.ts:20`, `${CHECK} warning src/workflows.ts:50`, `${CHECK} warning src/workflows.ts:51`]);
    expect(findings[0]?.message).toContain('up to 10 x 5 = 50 attempts');
    expect(findings[1]?.message).toContain('called up to 4 times');
    expect(findings[1]?.message).toContain('without a limit on attempts');
  });

  // A wrapper that hands the function it gets on to the retry helper
  // (`const retry = (fn) => retryInWorkflow(fn, { retries: 6 })`) retries it just the same.
  it('follows a callback a local wrapper hands on to the retry helper', { timeout: 120_000 }, () => {
    const findings = findingsOf('workflow-retry-loops', [CHECK]).filter((f) => f.line! > 45);
    expect(where(findings)).toEqual([`${CHECK} warning src/workflows.ts:50`, `${CHECK} warning src/workflows.ts:51`]);
    expect(findings.map((f) => f.message.match(/called up to .* attempts/)?.[0])).toEqual([
      "called up to 6 times by the retry helper called at src/workflows.ts:50 (retry(() => fetchRate('EUR'))), and its retry policy (proxyActivities for fetchRate) makes up to 5 attempts per call: up to 6 x 5 = 30 attempts",
      'called up to 6 times by the retry helper called at src/workflows.ts:51 (retry(() => fetchRate(currency))), and its retry policy (proxyActivities for fetchRate) makes up to 5 attempts per call: up to 6 x 5 = 30 attempts',
    ]);
  });

  it('reports a workflow retry policy on a client or child start of a workflow whose activities retry', { timeout: 120_000 }, () => {
    const findings = findingsOf('workflow-start-retries', [CHECK]);
    expect(where(findings).sort()).toEqual([
      `${CHECK} info src/starters.ts:13`,
      `${CHECK} info src/starters.ts:27`,
      // mergeAccounts' activities already retry without a limit: the workflow retry fires rarely, a note.
      `${CHECK} info src/starters.ts:4`,
      `${CHECK} warning src/workflows.ts:30`,
    ]);
    const merge = findings.find((f) => f.file === 'src/starters.ts' && f.line === 4)!;
    expect(merge.message).toContain('This start gives workflow mergeAccounts a workflow retry policy (up to 10 attempts).');
    expect(merge.message).toContain('a retried run repeats the steps from the first one (moveHistory, deleteAccount)');
    expect(merge.message).toContain('already retried without a limit on attempts');
    expect(merge.message).toContain('No workflowExecutionTimeout is set on this start, so nothing bounds the total time of all the runs.');
    const child = findings.find((f) => f.file === 'src/workflows.ts')!;
    expect(child.message).toContain('This child start gives workflow fulfilOrder a workflow retry policy (up to 5 attempts)');
    expect(child.message).toContain('(reserveStock, chargeCard, sendReceipt)');
    expect(child.message).toContain('up to 5 x 4 = 20 times');
    expect(child.related?.[0]).toMatchObject({ file: 'src/workflows.ts', line: 30, message: 'the workflow retry policy: up to 5 attempts' });
    const bounded = findings.find((f) => f.line === 13)!;
    expect(bounded.message).toContain("The start's workflowExecutionTimeout (1 hour) bounds the total time of all the runs.");
    const single = findings.find((f) => f.line === 27)!;
    expect(single.message).toContain('a retried run calls rebuildIndex again');
  });

  // The fact the multiplication rests on: an activity call in workflow code returns only after
  // the server's retries are spent (the activity promise settles on the final resolution), and the
  // SDK's default retry policy has no maximumAttempts (unlimited).
  it('rests on the SDK: the default activity retry policy is unlimited', () => {
    const require = createRequire(import.meta.url);
    const retryPolicy = readFileSync(require.resolve('@temporalio/common/src/retry-policy.ts'), 'utf8');
    expect(retryPolicy).toMatch(/@default Infinity\s*\*\/\s*maximumAttempts\?: number;/);
  });
});
