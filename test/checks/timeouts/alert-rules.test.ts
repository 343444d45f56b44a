import { describe, expect, it } from 'vitest';
import { findAlertOnMetric } from '../../../src/engine/activity-policy/alert-rules.js';

const METRIC = 'temporal_activity_schedule_to_start_latency';

function files(contents: Record<string, string>) {
  return {
    globProjectFiles: () => Object.keys(contents).sort(),
    readProjectFile: (file: string) => contents[file],
  };
}

describe('findAlertOnMetric', () => {
  it('finds an alert in a Prometheus rule file', () => {
    const rules = `groups:\n  - name: w\n    rules:\n      - record: x\n        expr: ${METRIC}_count\n      - alert: QueueWait\n        expr: histogram_quantile(0.99, rate(${METRIC}_bucket[5m])) > 1000\n`;
    expect(findAlertOnMetric(files({ 'ops/w.rules.yml': rules }), ['**'], METRIC)).toEqual({ file: 'ops/w.rules.yml', alert: 'QueueWait' });
  });

  it('finds an alert in a PrometheusRule resource among several documents', () => {
    const resource = `kind: ConfigMap\n---\nkind: PrometheusRule\nspec:\n  groups:\n    - name: w\n      rules:\n        - alert: Slow\n          expr: ${METRIC}_sum > 1\n`;
    expect(findAlertOnMetric(files({ 'k8s/rules.yaml': resource }), ['**'], METRIC)).toEqual({ file: 'k8s/rules.yaml', alert: 'Slow' });
  });

  it('ignores recording rules, comments and unreadable YAML', () => {
    const contents = {
      'a.yml': `groups:\n  - rules:\n      - record: r\n        expr: ${METRIC}\n`,
      'b.yml': `# ${METRIC}\ngroups: []\n`,
      'c.yml': `groups: [\n  ${METRIC}`,
    };
    expect(findAlertOnMetric(files(contents), ['**'], METRIC)).toBeUndefined();
  });
});
