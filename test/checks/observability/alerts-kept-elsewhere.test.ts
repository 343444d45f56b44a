// Alerts kept outside the reviewed directory: when the workers export SDK metrics and the project
// holds no alert rule at all, or the config says where the alerts live (alerts.external), the
// project-level alert findings are notes that say where to check; without metrics they stay warnings.
import { describe, expect, it } from 'vitest';
import failureAlert from '../../../src/checks/observability/workflow-failure-alert-missing.js';
import scheduleToStart from '../../../src/checks/timeouts/activity-schedule-to-start-missing.js';
import { configSchema } from '../../../src/engine/config.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('alerts kept elsewhere', () => {
  it('notes the missing alerts when the workers export metrics and the project holds no alert rule', () => {
    const review = fixtureReview('alerts-kept-elsewhere');
    const findings = [...review.run(failureAlert), ...review.run(scheduleToStart)];
    expect(where(findings)).toEqual([
      'workflow-failure-alert-missing info src/workflows.ts:9',
      'activity-schedule-to-start-missing info src/workflows.ts:4',
    ]);
    for (const finding of findings) expect(finding.message).toContain('The workers export SDK metrics, yet the project holds no alert rule at all');
  });

  it('keeps them warnings when the workers export no metrics', () => {
    const review = fixtureReview('alerts-not-exported');
    expect(where([...review.run(failureAlert), ...review.run(scheduleToStart)])).toEqual([
      'workflow-failure-alert-missing warning src/workflows.ts:9',
      'activity-schedule-to-start-missing warning src/workflows.ts:4',
    ]);
  });

  it('notes them, naming the place, when config alerts.external says where the alerts live', () => {
    const review = fixtureReview('alerts-not-exported');
    const config = configSchema.parse({ alerts: { external: 'grafana folder payments-oncall' } });
    const findings = [...review.run(failureAlert, config), ...review.run(scheduleToStart, config)];
    expect(where(findings)).toEqual([
      'workflow-failure-alert-missing info src/workflows.ts:9',
      'activity-schedule-to-start-missing info src/workflows.ts:4',
    ]);
    for (const finding of findings) expect(finding.message).toContain('(alerts.external: "grafana folder payments-oncall")');
  });
});
