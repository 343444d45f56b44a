import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildPythonModel, type PythonModel } from '../../../src/model/python/build-python-model.js';
import type { Diagnostic } from '../../../src/engine/types.js';
import type { StaticValue } from '../../../src/model/types.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-model');
const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');
let model: PythonModel;
let diagnostics: Diagnostic[];

beforeAll(async () => {
  ({ model, diagnostics } = await buildPythonModel({ root }));
});

/** A resolved value as plain data: numbers are milliseconds for durations. */
function plain(value: StaticValue | undefined): unknown {
  if (!value) return undefined;
  switch (value.kind) {
    case 'object':
      return Object.fromEntries([...value.properties].map(([key, v]) => [key, plain(v)]));
    case 'array':
      return value.elements.map(plain);
    case 'unknown':
      return { unknown: value.text };
    case 'undefined':
    case 'null':
      return value.kind;
    default:
      return value.value;
  }
}

describe('Python model', () => {
  test('reviews the package under src/ declared in pyproject.toml and leaves tests out', () => {
    expect(model.files.map(rel).sort()).toEqual([
      'src/shop/__init__.py',
      'src/shop/activities.py',
      'src/shop/config.py',
      'src/shop/worker.py',
      'src/shop/workflows/__init__.py',
      'src/shop/workflows/checkout.py',
    ]);
    expect(model.testFiles.map(rel)).toEqual(['tests/test_checkout.py']);
  });

  test('reports a project import that does not resolve', () => {
    expect(diagnostics).toEqual([{ kind: 'unresolved-import', file: 'src/shop/worker.py', line: 9, message: "src/shop/worker.py:9: cannot find module 'shop.missing'" }]);
  });

  test('finds @workflow.defn classes with name=, the run method and the handlers', () => {
    expect(model.workflows.map((w) => ({ name: w.name, className: w.className, run: w.run?.line, handlers: w.handlers.map((h) => `${h.kind} ${h.name}`), workerIds: w.workerIds }))).toEqual([
      { name: 'checkout', className: 'CheckoutWorkflow', run: 13, handlers: ['signal add-coupon', 'query status'], workerIds: ['src/shop/worker.py:17:11'] },
    ]);
  });

  test('finds @activity.defn functions and methods, with name= overrides', () => {
    expect(model.activities.map((a) => [a.name, a.className ?? null, rel(a.file), a.location.line])).toEqual([
      ['charge', null, 'src/shop/activities.py', 20],
      ['refund', 'ShopActivities', 'src/shop/activities.py', 35],
    ]);
  });

  test('sees a heartbeat through a helper of the module, and the loop that sleeps', () => {
    const charge = model.activities[0]!;
    expect(charge.heartbeat).toEqual({ location: { file: path.join(root, 'src/shop/activities.py'), line: 16, column: 5 }, via: [{ file: path.join(root, 'src/shop/activities.py'), line: 29, column: 9 }] });
    expect(charge.longRunning.map((s) => [s.kind, s.location.line, s.text])).toEqual([['poll', 27, 'for step in range(3):']]);
    expect(model.activities[1]!.heartbeat).toBeNull();
  });

  test('types raised exceptions as the server sees them: class name, ApplicationError type=, subclass without type', () => {
    expect(model.activities[0]!.thrownErrors.map((e) => [e.type, e.nonRetryable, e.how, e.location.line])).toEqual([
      ['CardExpired', false, 'class', 22],
      ['Fraud', true, 'application-failure-new', 24],
      // An ApplicationError subclass is a FailureError: its type is what type= says (None here), not its class name.
      [null, 'unknown', 'application-failure-new', 26],
    ]);
    expect(model.activities[1]!.thrownErrors.map((e) => e.how)).toEqual(['rethrow']);
  });

  test('reads activity call options from keywords, a ** spread of an imported constant, timedelta and RetryPolicy', () => {
    const [charge, refund, audit] = model.activityProxies;
    expect([charge!.id, charge!.kind, charge!.origin, charge!.call, charge!.workflowNames]).toEqual(['src/shop/workflows/checkout.py:14:24', 'remote', 'call', 'workflow.execute_activity', ['checkout']]);
    expect(charge!.usedActivityTypes).toMatchObject([{ name: 'charge' }]);
    // maximum_attempts=0 is the Python default (unlimited): read as unset.
    expect(plain(charge!.options)).toEqual({
      startToCloseTimeout: 120_000,
      retry: { initialInterval: 2000, nonRetryableErrorTypes: ['Declined', 'Fraud'] },
      heartbeatTimeout: 30_000,
    });
    expect(charge!.options.kind === 'object' && charge!.options.properties.get('startToCloseTimeout')).toMatchObject({ written: 'timedelta(minutes=2)' });
    expect(refund!.call).toBe('workflow.execute_activity_method');
    expect(refund!.usedActivityTypes).toMatchObject([{ name: 'refund' }]);
    // An environment read with a default is the default, marked configurable (TypeScript's `process.env.X ?? d`).
    expect(plain(refund!.options)).toEqual({ startToCloseTimeout: 30_000 });
    expect(refund!.options.kind === 'object' && refund!.options.properties.get('startToCloseTimeout')).toMatchObject({
      configurable: { env: 'CHARGE_TIMEOUT', reference: 'os.environ.get("CHARGE_TIMEOUT")' },
    });
    // timedelta(0) is falsy to the SDK: the same as not passing schedule_to_close_timeout.
    expect([audit!.kind, audit!.usedActivityTypes, plain(audit!.options)]).toEqual(['local', [expect.objectContaining({ name: 'audit' })], { startToCloseTimeout: 10_000 }]);
  });

  test('reads Worker(...) registrations: task queue through a constant, workflows, activities through a list splat and a bound method', () => {
    expect(model.workers.map((w) => [w.id, plain(w.taskQueue), w.workflowNames, w.activityNames])).toEqual([['src/shop/worker.py:17:11', 'shop', ['checkout'], ['charge', 'refund']]]);
    const options = model.workers[0]!.options;
    expect(options.kind === 'object' && [plain(options.properties.get('maxConcurrentActivityTaskExecutions')), plain(options.properties.get('shutdownGraceTime'))]).toEqual([20, 10_000]);
  });

  test('finds client starts and child workflow starts with the workflow type', () => {
    expect(model.starts.map((s) => [s.method, s.workflowType, s.child, rel(s.location.file), s.location.line, plain(s.options)])).toEqual([
      ['start', 'checkout', false, 'src/shop/worker.py', 25, { workflowId: 'checkout-1', taskQueue: 'shop' }],
      ['executeChild', 'receipt', true, 'src/shop/workflows/checkout.py', 17, { workflowId: 'receipt-1' }],
    ]);
  });

  test('marks the areas it does not review yet as gaps', () => {
    expect(model.gaps.map((g) => g.areas.join())).toEqual([]);
  });
});
