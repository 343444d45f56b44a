// Workers that a framework creates from a module registration instead of a Worker.create call in
// the project: NestJS integrations (`nestjs-temporal-core`'s TemporalModule.register({ worker,
// workers }), `nestjs-temporal`'s TemporalModule.registerWorker({ workerOptions }),
// `nestjs-temporalio`'s TemporalModule.forRoot(options)). Each registration becomes a
// WorkerDefinition whose options are the Worker options the framework passes to the SDK, as far as
// they resolve statically; an async factory or a computed list leaves them unknown, which the
// capacity checks treat as "cannot tell" and the scorecard as not verified.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { locate, relativeId } from './locate.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { importBindings } from './temporal-api.js';
import type { StaticObject, StaticValue, WorkerDefinition } from './types.js';
import { workerFromOptions, writtenWorkflowsPath } from './extract-workers.js';

type Shape = 'core' | 'worker-options' | 'sdk-options';

/** Framework package -> registration method -> where the SDK's Worker options are in its argument. */
const REGISTRATIONS: Record<string, Record<string, Shape>> = {
  'nestjs-temporal-core': { register: 'core', registerAsync: 'core', forWorker: 'core', forRoot: 'core', forRootAsync: 'core' },
  'nestjs-temporal': { registerWorker: 'worker-options', registerWorkerAsync: 'worker-options' },
  'nestjs-temporalio': { forRoot: 'sdk-options', forRootAsync: 'sdk-options' },
};

export const FRAMEWORK_PACKAGES = Object.keys(REGISTRATIONS);

export interface FrameworkRegistration {
  call: ts.CallExpression;
  framework: string;
  method: string;
  shape: Shape;
}

/** Registration calls in the given files: `TemporalModule.register(...)` on a framework import. */
export function frameworkRegistrationsIn(files: string[], index: CodeIndex): FrameworkRegistration[] {
  const found: FrameworkRegistration[] = [];
  for (const file of files) {
    const sourceFile = index.sourceFile(file);
    if (!sourceFile || !FRAMEWORK_PACKAGES.some((p) => sourceFile.text.includes(p))) continue;
    const bindings = importBindings(sourceFile);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression)) {
        const binding = bindings.get(node.expression.expression.text);
        const method = node.expression.name.text;
        const shape = binding ? REGISTRATIONS[binding.module]?.[method] : undefined;
        if (binding && shape) found.push({ call: node, framework: binding.module, method, shape });
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

/** The workers one registration creates (none when it registers only a client). */
export function extractFrameworkWorkers(registration: FrameworkRegistration, ctx: ResolveContext): WorkerDefinition[] {
  const { call, framework, method, shape } = registration;
  const argument = call.arguments[0];
  const options: StaticValue = argument ? resolveValue(argument, ctx) : { kind: 'undefined', location: locate(call) };
  const unknown = (text: string): StaticValue => ({ kind: 'unknown', text, location: locate(call), node: call });
  const make = (index: number, sdkOptions: StaticValue): WorkerDefinition => {
    const worker = workerFromOptions(call, sdkOptions, ctx);
    const location = locate(call);
    // Options built at run time (a mapped list of workers) still name their workflow module when
    // the registration writes one workflowsPath.
    const written = sdkOptions.kind === 'unknown' && argument ? writtenWorkflowsPath(argument, ctx) : null;
    const workflows = written ? { workflowsPath: written, workflowsUnresolved: false } : {};
    return { ...worker, ...workflows, id: `${relativeId(ctx.index.root, location)}${index > 0 ? `#${index}` : ''}`, framework };
  };
  if (method.endsWith('Async') || options.kind !== 'object') return [make(0, unknown(`${method}(...) options built at run time`))];
  if (shape === 'sdk-options') return [make(0, options)];
  if (shape === 'worker-options') return [make(0, options.properties.get('workerOptions') ?? unknown('workerOptions'))];

  // nestjs-temporal-core: { taskQueue, worker: {...} } or { workers: [{...}] }; a client-only
  // registration has neither. forWorker takes the worker definition itself.
  if (method === 'forWorker') return [make(0, coreWorkerOptions(options, options))];
  const single = options.properties.get('worker');
  const list = options.properties.get('workers');
  const workers: WorkerDefinition[] = [];
  if (single && single.kind !== 'undefined') workers.push(make(0, single.kind === 'object' ? coreWorkerOptions(single, options) : unknown('worker')));
  if (list && list.kind === 'array') {
    list.elements.forEach((element) => workers.push(make(workers.length, element.kind === 'object' ? coreWorkerOptions(element, options) : unknown('workers[]'))));
  } else if (list && list.kind !== 'undefined') {
    workers.push(make(workers.length, unknown(list.kind === 'unknown' ? list.text : 'workers')));
  }
  if (workers.length === 0 && options.unknownSpreads.length > 0) workers.push(make(0, unknown(options.unknownSpreads[0]!.text)));
  return workers;
}

/**
 * The SDK options a nestjs-temporal-core worker definition becomes: its workerOptions with the
 * definition's taskQueue (or the module's), workflowsPath and workflowBundle on top.
 */
function coreWorkerOptions(definition: StaticObject, module: StaticObject): StaticValue {
  const sdk = definition.properties.get('workerOptions');
  const properties = new Map<string, StaticValue>(sdk?.kind === 'object' ? sdk.properties : []);
  const taskQueue = definition.properties.get('taskQueue') ?? module.properties.get('taskQueue');
  if (taskQueue) properties.set('taskQueue', taskQueue);
  for (const key of ['workflowsPath', 'workflowBundle']) {
    const value = definition.properties.get(key);
    if (value) properties.set(key, value);
  }
  const unknownSpreads = [...definition.unknownSpreads, ...(sdk?.kind === 'object' ? sdk.unknownSpreads : [])];
  if (sdk && sdk.kind !== 'object' && sdk.kind !== 'undefined') unknownSpreads.push({ text: sdk.kind === 'unknown' ? sdk.text : 'workerOptions', location: sdk.location });
  return { kind: 'object', properties, unknownSpreads, location: definition.location };
}

