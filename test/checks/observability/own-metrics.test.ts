// A project that exports metrics of its own (a Prometheus client, an OpenTelemetry meter) is
// watched by a monitoring stack kept outside the reviewed directory: the missing SDK metrics and
// the missing alert rules are notes that name the library and where it is imported, in TypeScript
// (test/fixtures/alerts-own-metrics) and Python (test/fixtures/python-own-metrics).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import metrics from '../../../src/checks/observability/worker-metrics-not-exported.js';
import failureAlert from '../../../src/checks/observability/workflow-failure-alert-missing.js';
import scheduleToStart from '../../../src/checks/timeouts/activity-schedule-to-start-missing.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildPythonModel } from '../../../src/model/python/build-python-model.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('own metrics (TypeScript)', () => {
  it('notes the missing SDK metrics and alert rules, naming prom-client and its import', () => {
    const review = fixtureReview('alerts-own-metrics');
    const findings = [...review.run(metrics), ...review.run(failureAlert), ...review.run(scheduleToStart)];
    expect(where(findings)).toEqual([
      'worker-metrics-not-exported info src/worker.ts:6',
      'workflow-failure-alert-missing info src/workflows.ts:9',
      'activity-schedule-to-start-missing info src/workflows.ts:4',
    ]);
    expect(findings[0]!.message).toContain('The application exports metrics of its own (prom-client, imported at src/metrics.ts:2), so it is not blind');
    expect(findings[0]!.data).toMatchObject({ ownMetrics: { library: 'prom-client', file: 'src/metrics.ts', line: 2 } });
    for (const finding of findings.slice(1)) {
      expect(finding.message).toContain('The application exports metrics of its own (prom-client, imported at src/metrics.ts:2) and the project holds no alert rule at all');
    }
  });

  it('keeps them warnings without metrics of its own (the same project without src/metrics.ts)', () => {
    const review = fixtureReview('alerts-not-exported');
    expect(where([...review.run(metrics), ...review.run(failureAlert)])).toEqual([
      'worker-metrics-not-exported warning src/worker.ts:6',
      'workflow-failure-alert-missing warning src/workflows.ts:9',
    ]);
  });
});

describe('own metrics (Python)', () => {
  it('notes the missing SDK metrics of a worker whose application imports prometheus_client', { timeout: 60_000 }, async () => {
    const root = path.resolve(import.meta.dirname, '../../fixtures/python-own-metrics');
    const { model } = await buildPythonModel({ root });
    const findings = runChecks({ root, config: loadConfig(root).config, checks: [metrics, failureAlert], pythonModel: model }).findings;
    expect(where(findings)).toEqual(['worker-metrics-not-exported info worker.py:12', 'workflow-failure-alert-missing info workflows.py:10']);
    expect(findings[0]!.message).toContain('(prometheus_client, imported at metrics.py:2)');
  });
});
