// Alert rules found by content, not only by name: PrometheusRule manifests and Helm chart templates
// (template actions stripped; read line by line when the result is still not YAML).
import { describe, expect, it } from 'vitest';
import failureAlert from '../../../src/checks/observability/workflow-failure-alert-missing.js';
import scheduleToStart from '../../../src/checks/timeouts/activity-schedule-to-start-missing.js';
import { readRules } from '../../../src/engine/alert-rule-files.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('alert rules in Helm templates and Kubernetes manifests', () => {
  it('names the alert files it read when none of their alerts watches workflow failures', () => {
    const review = fixtureReview('helm-rules-without-temporal');
    const findings = review.run(failureAlert);
    expect(where(findings)).toEqual(['workflow-failure-alert-missing warning src/workflows.ts:6']);
    expect(findings[0]!.message).toContain(
      'No alert fires when workflows of any of the 2 types fail (checkout and refund): 2 alert rule files found ' +
        '(deploy/helm/shop/templates/prometheusrule.yaml and deploy/k8s/database-alerts.yaml; 3 alerts), none on temporal_workflow_failed.',
    );
    expect(findings[0]!.data?.alertFiles).toEqual(['deploy/helm/shop/templates/prometheusrule.yaml', 'deploy/k8s/database-alerts.yaml']);
  });

  it('names them in the schedule-to-start finding too', () => {
    const findings = fixtureReview('helm-rules-without-temporal').run(scheduleToStart);
    expect(where(findings)).toEqual(['activity-schedule-to-start-missing warning src/workflows.ts:4']);
    expect(findings[0]!.message).toMatch(
      /^The project has no alert on temporal_activity_schedule_to_start_latency \(2 alert rule files found: deploy\/helm\/shop\/templates\/prometheusrule\.yaml and deploy\/k8s\/database-alerts\.yaml; 3 alerts, none on it\), and /,
    );
  });

  it('passes a Helm template whose if/else branches both alert on temporal_workflow_failed by workflow_type', () => {
    const review = fixtureReview('helm-rules-with-temporal');
    expect(review.run(failureAlert)).toEqual([]);
    const findings = review.run(scheduleToStart);
    expect(where(findings)).toEqual(['activity-schedule-to-start-missing info src/workflows.ts:4']);
    expect(findings[0]!.message).toContain('alert "TemporalActivityQueueWait" in charts/shop/templates/temporal-alerts.yaml');
  });
});

describe('readRules', () => {
  it('reads alerts line by line when the template is not YAML once stripped (duplicate keys from if/else)', () => {
    const text = ['groups:', '  - rules:', '      - alert: A', '        {{- if .x }}', '        expr: up == 0', '        {{- else }}', '        expr: up == 1', '        {{- end }}', '      - expr: |', '          rate(x[5m])', '          > 1', '        alert: "B"'].join('\n');
    expect(readRules(text)).toEqual({ rules: [{ alert: 'A', expr: 'up == 0' }, { alert: 'B', expr: 'rate(x[5m])\n> 1' }] });
  });

  it('says why a file with no readable alert could not be read', () => {
    expect(readRules('groups: [\n  alert: x')).toEqual({ rules: [], error: expect.stringMatching(/^is not valid YAML \(/) });
  });
});
