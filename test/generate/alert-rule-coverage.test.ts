import { describe, expect, it } from 'vitest';
import { buildAlertRules } from '../../src/generate/alert-rules.js';
import { coverageOf, scanFailureAlerts } from '../../src/generate/alert-rule-coverage.js';
import { sampleFacts } from './sample-facts.js';

const covers = (expr: string, types = ['processOrder', 'refundOrder', 'syncCatalog']) => {
  const predicate = coverageOf(expr);
  return predicate ? types.filter(predicate) : 'not a failure rule';
};

describe('coverageOf', () => {
  it.each([
    ['rate(temporal_workflow_failed{workflow_type="processOrder"}[5m]) > 0', ['processOrder']],
    ["rate(temporal_workflow_failed{workflow_type='refundOrder'}[5m]) > 0", ['refundOrder']],
    ['sum by (workflow_type) (rate(temporal_workflow_failed[5m])) > 0', ['processOrder', 'refundOrder', 'syncCatalog']],
    ['increase(temporal_workflow_failed_total{namespace="prod"}[5m]) > 0', ['processOrder', 'refundOrder', 'syncCatalog']],
    ['rate(temporal_workflow_failed{workflow_type=~"sync.*|refund.*"}[5m]) > 0', ['refundOrder', 'syncCatalog']],
    ['rate(temporal_workflow_failed{workflow_type=~"Order"}[5m]) > 0', []],
    ['rate(temporal_workflow_failed{workflow_type!="syncCatalog"}[5m]) > 0', ['processOrder', 'refundOrder']],
    ['rate(temporal_workflow_failed{workflow_type!~"sync.*"}[5m]) > 0', ['processOrder', 'refundOrder']],
    ['rate(temporal_workflow_completed{workflow_type="processOrder"}[5m]) > 0', 'not a failure rule'],
    ['rate(temporal_workflow_failed_count{workflow_type="processOrder"}[5m]) > 0', 'not a failure rule'],
  ])('%s covers %j', (expr, expected) => {
    expect(covers(expr)).toEqual(expected);
  });

  it('recognizes every rule `generate alerts` writes as covering its workflow type only', () => {
    const rules = buildAlertRules(sampleFacts()).flatMap((g) => g.rules).filter((r) => r.alert === 'TemporalWorkflowFailureRateHigh');
    expect(rules.map((r) => covers(r.expr, ['processOrder', 'refundOrder', 'other']))).toEqual([['processOrder'], ['refundOrder']]);
  });
});

describe('scanFailureAlerts', () => {
  it('reads PrometheusRule resources and several documents a file', () => {
    const files: Record<string, string> = {
      'k8s/rules.yaml': [
        'apiVersion: monitoring.coreos.com/v1',
        'kind: PrometheusRule',
        'spec:',
        '  groups:',
        '    - name: a',
        '      rules:',
        '        - alert: ProcessOrderFailing',
        '          expr: rate(temporal_workflow_failed{workflow_type="processOrder"}[5m]) > 0',
        '---',
        'groups:',
        '  - name: b',
        '    rules:',
        '      - record: job:failed:rate5m',
        '        expr: rate(temporal_workflow_failed[5m])',
      ].join('\n'),
    };
    const scan = scanFailureAlerts({ globProjectFiles: () => Object.keys(files), readProjectFile: (f) => files[f] }, ['**/*.yaml']);
    expect(scan.alerts.map((a) => `${a.file} ${a.alert} ${a.covers('processOrder')} ${a.covers('refundOrder')}`)).toEqual([
      'k8s/rules.yaml ProcessOrderFailing true false',
    ]);
    expect(scan.unreadable).toEqual([]);
  });
});
