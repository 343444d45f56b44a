import { beforeAll, describe, expect, test } from 'vitest';
import { at, fixtureModel, plain, rel } from './model-fixtures.js';

const model = () => fixtureModel('model-workers').model;
const basic = () => fixtureModel('model-basic').model;

// The first build parses the SDK's declaration files: slow on a busy machine, so not in a test.
beforeAll(() => {
  fixtureModel('model-basic');
  fixtureModel('model-workers');
});

describe('workers', () => {
  test('resolves workflowsPath from require.resolve and path.join(__dirname), and sees bundles', () => {
    expect(model().workers.map((w) => [w.id, w.workflowsPath && rel(model(), w.workflowsPath), w.usesBundle])).toEqual([
      ['src/worker-a.ts:8:9', 'src/workflows/index.ts', false],
      ['src/worker-b.ts:9:9', 'src/workflows/index.ts', false],
      ['src/worker-c.ts:8:9', null, true],
    ]);
  });

  test('resolves the task queue through a const and records registered activity names', () => {
    expect(model().workers.map((w) => plain(w.taskQueue))).toEqual(['orders', 'notifications', 'bundled']);
    expect(model().workers.map((w) => w.activityNames)).toEqual([['charge', 'refund', 'reserve'], ['audit', 'notify'], []]);
  });

  test('lists bundlerOptions.ignoreModules', () => {
    expect(model().workers[0]!.ignoreModules).toEqual(['fs', 'node:crypto']);
  });

  test('reads workflowFailureErrorTypes as an array with class references and as a per-workflow record', () => {
    expect(model().workers[0]!.workflowFailureErrorTypes).toEqual(['MyError', 'PaymentDeclined']);
    const worker = basic().workers[0]!;
    expect(worker.workflowFailureErrorTypesByWorkflow).toEqual({ '*': ['MyError'], orderWorkflow: ['PaymentDeclined'] });
    expect(worker.workflowFailureErrorTypes).toEqual(['MyError', 'PaymentDeclined']);
  });

  test('marks a task queue from process.env.X ?? default as configurable', () => {
    expect(plain(basic().workers[0]!.taskQueue)).toEqual({ value: 'orders', env: 'TASK_QUEUE' });
  });

  test('reads the metrics exporter of every Runtime.install', () => {
    expect(model().runtimeInstalls.map((r) => `${r.metrics}@${at(model(), r.location)}`)).toEqual([
      'otel@src/worker-b.ts:8',
      'none@src/worker-c.ts:6',
      'unknown@src/worker-c.ts:7',
    ]);
    expect(basic().runtimeInstalls.map((r) => r.metrics)).toEqual(['prometheus']);
  });
});

describe('workflows', () => {
  test("exports of the worker's workflowsPath, through export * and renamed re-exports", () => {
    expect(model().workflows.map((w) => `${w.name}@${at(model(), w.location)} ${w.workerIds.join(',')}`)).toEqual([
      'approval@src/workflows/approval.ts:9 src/worker-a.ts:8:9,src/worker-b.ts:9:9',
      'order@src/workflows/order.ts:8 src/worker-a.ts:8:9,src/worker-b.ts:9:9',
      'shippingWorkflow@src/workflows/shipping.ts:1 src/worker-a.ts:8:9,src/worker-b.ts:9:9',
    ]);
  });

  test('reads handlers with their names and argument types', () => {
    const order = model().workflows.find((w) => w.name === 'order');
    const checker = model().checkerFor(order!.file)!;
    expect(order!.handlers.map((h) => ({ kind: h.kind, name: h.name, line: h.location.line, defined: h.definitionLocation?.line }))).toEqual([
      { kind: 'update', name: 'approve', line: 9, defined: 6 },
    ]);
    expect(order!.handlers[0]!.argTypes.map((t) => checker.typeToString(t))).toEqual(['string', 'number']);
    expect(checker.typeToString(order!.handlers[0]!.resultType!)).toBe('boolean');
    const orderWorkflow = basic().workflows.find((w) => w.name === 'orderWorkflow')!;
    expect(orderWorkflow.handlers.map((h) => `${h.kind}:${h.name}@${h.location.line}`)).toEqual(['signal:cancel@19', 'query:status@22']);
  });

  test('finds handlers set by a helper the workflow calls', () => {
    const approval = model().workflows.find((w) => w.name === 'approval')!;
    expect(approval.handlers.map((h) => `${h.kind}:${h.name}@${at(model(), h.location)}`)).toEqual(['query:pending@src/workflows/approval.ts:6']);
  });

  test('a re-export of types only is a type-only edge', () => {
    const index = model().files.find((f) => f.endsWith('workflows/index.ts'))!;
    expect(model().importsOf(index).map((e) => [e.specifier, e.typeOnly])).toEqual([
      ['./order', false],
      ['./shipping', false],
      ['./approval', false],
      ['../shared/types', true],
    ]);
  });

  test('workflow files are reached by value imports only', () => {
    expect([...model().workflowFiles].map((f) => rel(model(), f)).sort()).toEqual([
      'src/shared/format.ts',
      'src/workflows/approval.ts',
      'src/workflows/index.ts',
      'src/workflows/order.ts',
      'src/workflows/shipping.ts',
    ]);
  });

  test('importsOf marks type-only imports, also of interface-only bindings', () => {
    const order = model().files.find((f) => f.endsWith('workflows/order.ts'))!;
    const shown = (file: string | null) => (file?.includes('/node_modules/') ? file.slice(file.lastIndexOf('/node_modules/') + 1) : file && rel(model(), file));
    expect(model().importsOf(order).map((e) => [e.specifier, e.typeOnly, shown(e.resolved), e.location.line])).toEqual([
      ['@temporalio/workflow', false, 'node_modules/@temporalio/workflow/lib/index.js', 1],
      ['../shared/format', false, 'src/shared/format.ts', 2],
      ['../shared/types', true, 'src/shared/types.ts', 3],
      ['../shared/types', true, 'src/shared/types.ts', 4],
    ]);
  });
});

describe('starts and search attributes', () => {
  test('finds client starts by function reference, string const and namespace member, and child starts', () => {
    expect(model().starts.map((s) => `${s.method}:${s.workflowType}:${s.child}@${at(model(), s.location)}`)).toEqual([
      'start:order:false@src/client.ts:11',
      'execute:shippingWorkflow:false@src/client.ts:17',
      'signalWithStart:order:false@src/client.ts:18',
      'start:approval:false@src/legacy-client.ts:7',
      'startChild:shippingWorkflow:true@src/workflows/order.ts:10',
    ]);
    expect(plain(model().starts[1]!.options)).toEqual({ taskQueue: 'orders', workflowId: 's-1' });
    expect(basic().starts.map((s) => `${s.method}:${s.workflowType}`)).toEqual(['start:orderWorkflow', 'execute:shippingWorkflow', 'executeChild:shippingWorkflow']);
  });

  test('reads search attribute keys with name, type and variable', () => {
    expect(model().searchAttributeKeys.map((k) => ({ name: k.name, type: k.type, line: k.location.line, variable: k.variable?.getText().split(' ')[0] }))).toEqual([
      { name: 'CustomerId', type: 'KEYWORD', line: 7, variable: 'customerId' },
      { name: 'Note', type: 'TEXT', line: 8, variable: 'note' },
    ]);
  });
});

describe('workflow modules chosen by helpers', () => {
  const helpers = () => fixtureModel('model-worker-path-helpers').model;

  test('follows a const that holds a helper result, and a helper that picks the .js or the .ts file', () => {
    // src/agent/worker.ts spreads `workflowOptions`, the result of a helper returning
    // `{ workflowsPath }` or a prebuilt bundle; src/runtime/worker.ts spreads
    // `(workflowBundle ? { workflowBundle } : { workflowsPath })` where workflowsPath comes from
    // `fs.existsSync(jsPath) ? jsPath : tsPath`.
    expect(helpers().workers.map((w) => [w.id, w.workflowsPath && rel(helpers(), w.workflowsPath)])).toEqual([
      ['src/agent/worker.ts:20:24', 'src/agent/workflows/index.ts'],
      ['src/runtime/worker.ts:25:24', 'src/runtime/workflows.ts'],
    ]);
    expect(helpers().workflows.map((w) => w.name).sort()).toEqual(['agentRun', 'runtimeRun']);
    expect(helpers().gaps.map((g) => g.message).filter((m) => /could not be located/.test(m))).toEqual([]);
  });

  test('reads activities from modules imported with await import()', () => {
    expect(helpers().workers.map((w) => w.activityNames)).toEqual([[], ['chargeCard', 'purgeDrafts']]);
  });
});
