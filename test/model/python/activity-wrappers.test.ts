// A project's own helper around workflow.execute_activity / start_activity, whose parameter is the
// activity: each call of the helper is an activity call at the caller, for the activity passed, with
// the helper's options (its parameters read from the caller's arguments or their defaults, `**kwargs`
// from the caller's other keywords, an options dict the helper builds and spreads). A helper that
// catches the failure or does not return the result is not read through. Over
// test/fixtures/python-activity-wrapper.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { buildPythonModel, type PythonModel } from '../../../src/model/python/build-python-model.js';
import type { ActivityProxyFacts, StaticValue } from '../../../src/model/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-wrapper');
let model: PythonModel;
let findings: Finding[];

beforeAll(async () => {
  ({ model } = await buildPythonModel({ root }));
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

const at = (id: string) => model.activityProxies.find((p) => p.id === id);
const option = (proxy: ActivityProxyFacts | undefined, key: string): StaticValue | undefined =>
  proxy?.options.kind === 'object' ? proxy.options.properties.get(key) : undefined;
const ms = (value: StaticValue | undefined) => (value?.kind === 'number' ? value.value : value?.kind);
const types = (proxy: ActivityProxyFacts | undefined) => (proxy && proxy.usedActivityTypes !== 'all' ? proxy.usedActivityTypes.map((u) => u.name) : proxy?.usedActivityTypes);

describe('activity calls through a project wrapper (Python)', () => {
  test('a module-level wrapper: the activity passed, its parameters and the forwarded **kwargs', () => {
    const charge = at('orders/workflows.py:22:15');
    expect(types(charge)).toEqual(['charge_card']);
    expect(charge).toMatchObject({ call: 'workflow.execute_activity (through run_activity)', workflowNames: ['OrderWorkflow'], handling: 'uncaught', kind: 'remote' });
    expect(ms(option(charge, 'startToCloseTimeout'))).toBe(300_000);
    expect(ms(option(charge, 'retry'))).toBe('undefined');
    const reserve = at('orders/workflows.py:23:15');
    expect(types(reserve)).toEqual(['reserve_stock']);
    expect(option(reserve, 'retry')?.kind).toBe('object');
    expect(ms(option(reserve, 'scheduleToCloseTimeout'))).toBe(600_000);
  });

  test('a method of a base class called through self with keywords, and a sync wrapper of start_activity through module.name', () => {
    const receipt = at('orders/workflows.py:24:15');
    expect(types(receipt)).toEqual(['send_receipt']);
    expect(ms(option(receipt, 'startToCloseTimeout'))).toBe(20_000);
    const audit = at('orders/workflows.py:25:18');
    expect(types(audit)).toEqual(['audit_order']);
    expect(audit).toMatchObject({ call: 'workflow.start_activity (through start_steady)' });
    expect(option(audit, 'retry')?.kind).toBe('object');
  });

  test('an options dict the wrapper builds, with a key set under a test of a parameter', () => {
    const charge = at('orders/steps.py:12:15');
    expect(types(charge)).toEqual(['charge_card']);
    expect(ms(option(charge, 'startToCloseTimeout'))).toBe(120_000);
    expect(option(charge, 'retry')?.kind).toBe('object');
    expect(option(charge, 'heartbeatTimeout')).toBeUndefined();
    const reserve = at('orders/steps.py:13:15');
    expect(ms(option(reserve, 'startToCloseTimeout'))).toBe(300_000);
    expect(ms(option(reserve, 'heartbeatTimeout'))).toBe(10_000);
  });

  test("the wrapper's own SDK call gives way to its callers; a wrapper that catches or drops the result does not", () => {
    const ids = model.activityProxies.map((p) => p.id);
    expect(ids.filter((id) => id.startsWith('orders/helpers.py'))).toEqual(['orders/helpers.py:26:22', 'orders/helpers.py:32:11']);
    expect(ids).not.toContain('orders/workflows.py:27:15');
    expect(ids).not.toContain('orders/workflows.py:28:15');
  });

  test('the retry policy is judged at the caller, for the activity it passes', () => {
    const missing = findings.filter((f) => f.checkId === 'activity-retry-policy-missing' && f.severity === 'warning').map((f) => `${f.file}:${f.line}`);
    expect(missing).toContain('orders/workflows.py:22');
    expect(missing).not.toContain('orders/workflows.py:23');
    expect(missing).not.toContain('orders/steps.py:12');
    const finding = findings.find((f) => f.checkId === 'activity-retry-policy-missing' && f.file === 'orders/workflows.py' && f.line === 22)!;
    expect(finding.message).toContain('workflow.execute_activity (through run_activity) for charge_card');
  });
});
