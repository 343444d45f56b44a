// The observability checks on a Python project (test/fixtures/python-observability): the same check
// implementations as for TypeScript, reading what the Python front-end puts in the neutral model.
// Each worker, start, key, workflow type, rule and runbook of the fixture is one case.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import metrics from '../../../src/checks/observability/worker-metrics-not-exported.js';
import startAttributes from '../../../src/checks/observability/workflow-start-without-search-attributes.js';
import textIdentifier from '../../../src/checks/observability/search-attribute-text-for-identifier.js';
import failureAlert from '../../../src/checks/observability/workflow-failure-alert-missing.js';
import runbook from '../../../src/checks/observability/workflow-runbook-missing.js';
import type { CheckDefinition } from '../../../src/checks/define-check.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildPythonModel, type PythonModel } from '../../../src/model/python/build-python-model.js';
import { where } from '../capacity/fixture-review.js';

const root = path.resolve(import.meta.dirname, '../../fixtures/python-observability');
let model: PythonModel;
beforeAll(async () => {
  model = (await buildPythonModel({ root })).model;
});
const run = (check: CheckDefinition) => runChecks({ root, config: loadConfig(root).config, checks: [check], pythonModel: model }).findings;

describe('worker-metrics-not-exported on Python workers', () => {
  it('follows each worker to the Runtime of its client: no runtime, a runtime without metrics, a client it cannot follow, a plugin, a per-run worker', () => {
    expect(where(run(metrics))).toEqual([
      'worker-metrics-not-exported warning blind_worker.py:11',
      'worker-metrics-not-exported info given_client_worker.py:8',
      'worker-metrics-not-exported info plugin_worker.py:11',
      'worker-metrics-not-exported warning quiet_runtime_worker.py:11',
      'worker-metrics-not-exported info run_once.py:12',
    ]);
  });

  it('passes a Prometheus runtime passed through a helper with a local import and a module singleton, Runtime.set_default with OpenTelemetry, and a runtime enabled by configuration', () => {
    const files = run(metrics).map((f) => f.file);
    for (const file of ['app/metrics_worker.py', 'default_runtime_worker.py', 'conditional_runtime_worker.py']) expect(files).not.toContain(file);
  });

  it('names the Python SDK in the message and the fix', () => {
    const [blind, , plugin, quiet] = run(metrics);
    expect(blind!.message).toContain("The worker for task queue 'shipping' runs without a metrics-exporting Runtime on its client");
    expect(blind!.fix).toContain('Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address="0.0.0.0:9464")))');
    expect(blind!.fix).toContain('Client.connect(..., runtime=runtime)');
    expect(quiet!.message).toContain("This Runtime(...) configures no metrics exporter, and it is the runtime of the worker for task queue 'imports'");
    expect(quiet!.related?.[0]).toMatchObject({ file: 'quiet_runtime_worker.py', line: 13, message: 'a worker this runtime serves' });
    expect(plugin!.message).toContain('a plugin given to Client.connect (plugins=...) may set the runtime');
    for (const finding of run(metrics)) expect(`${finding.message} ${finding.fix}`).not.toMatch(/Runtime\.install|telemetryOptions|Worker\.create/);
  });
});

describe('workflow-start-without-search-attributes on Python starts', () => {
  // The fixture's business starts have fixed ids ('refund-batch', 'ship-4'): each run is found by its id, so they are notes too
  // (test/checks/observability/start-findable.test.ts has the Python warning).
  it('notes business starts with a fixed id, ids built from a key, system workflows and unreadable attributes', () => {
    expect(where(run(startAttributes))).toEqual([
      'workflow-start-without-search-attributes info app/workflows.py:22',
      'workflow-start-without-search-attributes info app/workflows.py:23',
      'workflow-start-without-search-attributes info run_once.py:13',
      'workflow-start-without-search-attributes info starts.py:18',
      'workflow-start-without-search-attributes info starts.py:22',
      'workflow-start-without-search-attributes info starts.py:23',
      'workflow-start-without-search-attributes info starts.py:24',
      'workflow-start-without-search-attributes info starts.py:25',
      'workflow-start-without-search-attributes info starts.py:28',
      'workflow-start-without-search-attributes info starts.py:29',
    ]);
  });

  it('passes TypedSearchAttributes and the dict form, a workflow that upserts its own, and calls that are not starts (an interceptor, a wrapper)', () => {
    const lines = run(startAttributes).filter((f) => f.file === 'starts.py').map((f) => f.line);
    // 26: TypedSearchAttributes([...]); 27: {"OrderId": [...]}; 30: ImportOrdersWorkflow upserts; 31: the wrapper; 36: super().start_workflow
    for (const line of [26, 27, 30, 31, 36]) expect(lines).not.toContain(line);
  });

  it('speaks Python: the start call as written and the typed attributes to pass', () => {
    const findings = run(startAttributes);
    const fixed = findings.find((f) => f.file === 'starts.py' && f.line === 23)!;
    expect(fixed.message).toMatch(/^client\.start_workflow\(refund-payment\) sets no search attributes, but its workflow id is not a random or clock-only value/);
    expect(findings.find((f) => f.line === 28)!.fix).toContain('Pass search_attributes=TypedSearchAttributes([...]) in the start call');
    expect(findings.find((f) => f.line === 25)!.message).toContain("it runs on a cron schedule ('0 3 * * *')");
    // A script that imports temporalio.testing is test code wherever it lives: its starts are not reviewed.
    expect(findings.filter((f) => f.file === 'repro_script.py')).toEqual([]);
  });
});

describe('search-attribute-text-for-identifier on SearchAttributeKey.for_text', () => {
  it('flags TrackingNumber as TEXT, not OrderId (KEYWORD) or Notes (TEXT, not an identifier)', () => {
    const findings = run(textIdentifier);
    expect(where(findings)).toEqual(['search-attribute-text-for-identifier warning app/workflows.py:7']);
    expect(findings[0]!.data).toEqual({ name: 'TrackingNumber', type: 'TEXT' });
    expect(findings[0]!.fix).toContain('SearchAttributeKey.for_keyword(...)');
  });
});

describe('alerts and runbooks for Python workflow types', () => {
  it('reads workflow types as the server sees them (@workflow.defn(name=...) or the class name) against the rule files', () => {
    const findings = run(failureAlert);
    expect(where(findings)).toEqual(['workflow-failure-alert-missing warning app/workflows.py:19']);
    expect(findings[0]!.data?.workflowTypes).toEqual(['ImportOrdersWorkflow', 'ShipOrderWorkflow']);
  });

  it('and against the runbook folder', () => {
    const findings = run(runbook);
    expect(where(findings)).toEqual(['workflow-runbook-missing info app/workflows.py:12']);
    expect(findings[0]!.data?.workflowTypes).toEqual(['ImportOrdersWorkflow', 'refund-payment']);
  });
});
