// One finding per root cause (issue 13): a project without failure alerts, runbooks or metrics gets
// one finding each, naming every workflow type (versioned copies as one family) or every worker.
import { beforeAll, describe, expect, it } from 'vitest';
import failureAlert from '../../../src/checks/observability/workflow-failure-alert-missing.js';
import runbook from '../../../src/checks/observability/workflow-runbook-missing.js';
import metrics from '../../../src/checks/observability/worker-metrics-not-exported.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('observability-versioned-workflows');
});

describe('project-level observability gaps', () => {
  it('workflow-failure-alert-missing: one finding for the four types, the three versions as one family', () => {
    const findings = review.run(failureAlert);
    expect(where(findings)).toEqual(['workflow-failure-alert-missing warning src/workflows/digest.workflow.ts:3']);
    expect(findings[0]!.message).toContain('No alert fires when workflows of any of the 4 types fail (digestWorkflow and postWorkflowV101 … postWorkflowV103 (3 versions))');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual([
      'src/workflows/digest.workflow.ts:3',
      'src/workflows/post.workflow.v1.0.1.ts:4',
      'src/workflows/post.workflow.v1.0.2.ts:4',
      'src/workflows/post.workflow.v1.0.3.ts:4',
    ]);
  });

  it('workflow-runbook-missing: one finding when there is no runbook folder', () => {
    const findings = review.run(runbook);
    expect(where(findings)).toEqual(['workflow-runbook-missing info src/workflows/digest.workflow.ts:3']);
    expect(findings[0]!.message).toMatch(/^No runbook found for any of the 4 workflow types \(digestWorkflow and postWorkflowV101 … postWorkflowV103 \(3 versions\)\): docs\/runbooks\/ \(config runbooks\.dir\) holds no Markdown file\./);
    expect(findings[0]!.related).toHaveLength(4);
  });

  it('worker-metrics-not-exported: one finding for two workers with no Runtime.install, both related', () => {
    const findings = review.run(metrics);
    expect(where(findings)).toEqual(['worker-metrics-not-exported warning src/worker-bulk.ts:6']);
    expect(findings[0]!.message).toMatch(/^2 workers \(task queues 'posts' and 'posts-bulk'\) run without Runtime\.install exporting metrics: the SDK emits no metrics\./);
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/worker-bulk.ts:6', 'src/worker.ts:5']);
  });
});
