// workflow-runbook-missing is a note (process advice, not a Temporal failure mode), and Markdown
// runbooks outside runbooks.dir cover the workflow types they mention.
import { describe, expect, it } from 'vitest';
import runbook from '../../../src/checks/observability/workflow-runbook-missing.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-runbook-missing with runbooks outside the runbook folder', () => {
  it('counts types mentioned in files named or titled runbook, says which file covers which, and is info', () => {
    const findings = fixtureReview('runbooks-anywhere').run(runbook);
    expect(where(findings)).toEqual(['workflow-runbook-missing info src/workflows.ts:14']);
    expect(findings[0]!.message).toBe(
      'No runbook found for workflow reconcileLedger: docs/runbooks/ (config runbooks.dir) holds no Markdown file; ' +
        'the 2 Markdown runbooks elsewhere (docs/oncall/payments.md and ops/RUNBOOK.md) cover checkout in docs/oncall/payments.md and refund in ops/RUNBOOK.md, not it. ' +
        'A runbook tells the on-call engineer which activities can fail, how to find the affected executions and whether to reset or terminate them; whether the team keeps one per workflow type is its own call.',
    );
    expect(findings[0]!.fix).toContain('`temporal-preflight generate runbooks` writes docs/runbooks/reconcileLedger.md');
    expect(findings[0]!.fix).toContain('set runbooks.dir in the config');
    expect(findings[0]!.data).toMatchObject({
      workflowTypes: ['reconcileLedger'],
      coveredElsewhere: { checkout: 'docs/oncall/payments.md', refund: 'ops/RUNBOOK.md' },
    });
  });

  it('lists every type when no runbook exists anywhere', () => {
    const findings = fixtureReview('helm-rules-with-temporal').run(runbook);
    expect(where(findings)).toEqual(['workflow-runbook-missing info src/workflows.ts:6']);
    expect(findings[0]!.message).toMatch(/^No runbook found for any of the 2 workflow types \(checkout and refund\): docs\/runbooks\/ \(config runbooks\.dir\) holds no Markdown file\. /);
  });
});
