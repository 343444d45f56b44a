// The whole review of the two example apps: the prototype is NO-GO with each defect at its line,
// the production app (all six decisions made) is GO with no finding at all.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { review } from '../../src/review.js';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples');

describe('review of the example apps', () => {
  it('finds the prototype NO-GO, with every defect where it lives', async () => {
    const result = await review({ dir: path.join(examples, 'prototype-app') });
    expect(result.verdict).toBe('NO-GO');
    expect(result.findings.map((f) => `${f.checkId} ${f.severity} ${f.file ?? '-'}:${f.line ?? '-'}`)).toEqual([
      'no-replay-test warning -:-',
      // post() and the shipment poll fetch with no signal, under 1-minute attempts (workflows.ts:7).
      'activity-call-without-timeout warning src/activities.ts:13',
      'payload-carries-collection info src/activities.ts:21',
      'payload-carries-collection info src/activities.ts:42',
      'activity-long-loop-without-heartbeat info src/activities.ts:46',
      'activity-call-without-timeout warning src/activities.ts:47',
      'workflow-start-without-search-attributes info src/client.ts:13',
      'connection-without-tls-option info src/client.ts:21',
      'connection-without-tls-option info src/worker.ts:16',
      'worker-concurrency-implicit warning src/worker.ts:17',
      'worker-metrics-not-exported warning src/worker.ts:17',
      // Info: no activity of the prototype looks at cancellation, so the grace time changes nothing yet.
      'worker-shutdown-grace-missing info src/worker.ts:17',
      'worker-bundles-at-startup info src/worker.ts:21',
      'activity-non-retryable-errors-uncovered error src/workflows.ts:7',
      'activity-retry-policy-missing warning src/workflows.ts:7',
      'activity-schedule-to-start-missing warning src/workflows.ts:7',
      'workflow-failure-alert-missing warning src/workflows.ts:11',
      'workflow-runbook-missing info src/workflows.ts:11',
      'payload-carries-collection info src/workflows.ts:11',
      'workflow-throws-plain-error info src/workflows.ts:13',
    ]);
    expect(result.areas.map((a) => `${a.area}:${a.status}`)).toEqual([
      'determinism:warn',
      'retries:fail',
      'timeouts:warn',
      'payloads:pass',
      'capacity:warn',
      'observability:warn',
    ]);
  }, 120_000);

  it('finds the production app GO with no finding in any area', async () => {
    const result = await review({ dir: path.join(examples, 'production-app') });
    expect(result.findings).toEqual([]);
    expect(result.verdict).toBe('GO');
    expect(result.areas.map((a) => `${a.area}:${a.status}`)).toEqual([
      'determinism:pass',
      'retries:pass',
      'timeouts:pass',
      'payloads:pass',
      'capacity:pass',
      'observability:pass',
    ]);
  }, 120_000);
});
