// A client that starts or signals workflows in a namespace other than the one the workers poll.
// The workers (those that register workflows or activities) set a namespace that is not 'default':
// read from the environment or configuration (`namespace: process.env.TEMPORAL_NAMESPACE`,
// Python `Client.connect(..., namespace=settings.TEMPORAL_NAMESPACE)`) or written as another
// literal. A client construction in production code (`new Client({...})`, `new WorkflowClient({...})`,
// Python `Client.connect(...)` that is not the worker's own) that sets no namespace always talks to
// 'default' (as does one that writes `namespace: 'default'`): in a deployment that sets the
// namespace (Temporal Cloud has no 'default' namespace) its starts fail with namespace not found, or land where no worker polls. A client whose
// namespace is a literal that differs from the workers' literal(s) is reported too. The finding says
// the client only works while the workers' setting is 'default' (and the setting's default when the
// code gives one); when every worker's namespace is a literal, the mismatch is certain: an error. Nothing when
// any worker leaves the namespace to the default or sets it in a way the review cannot read, when
// the client sets a namespace from any variable, when its options come from a spread or a value
// the review cannot read, and in test or tool code.

import ts from 'typescript';
import { defineCheck, type CheckContext } from '../define-check.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { PythonModel } from '../../model/python/build-python-model.js';
import type { NamespaceSetting } from '../../model/python/python-worker-connections.js';
import { isToolCode } from '../../model/tool-code.js';
import { thisConfigLiteral } from './worker-connection-hard-coded.js';
import { relativePath } from '../../model/typescript/locate.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { SourceLocation } from '../../model/types.js';
import type { StaticValue, TemporalModel, WorkerDefinition } from '../../model/typescript/types.js';

const DEFAULT_NAMESPACE = 'default';
const CLIENTS = ['Client', 'WorkflowClient'];
/** An unresolved value whose text reads configuration: process.env, an env/config/settings object, ConfigService.get. */
const CONFIG_TEXT = /process\.env\b|\benv\b|config|settings|getenv|environ/i;
const ENV_NAME = /(?:process\.env\.|process\.env\[\s*['"`]|\.(?:get|getOrThrow)\s*(?:<[^>]*>)?\s*\(\s*['"`])([A-Za-z_][A-Za-z0-9_.]*)/;

interface WorkerNamespace {
  location: SourceLocation;
  namespace: NamespaceSetting;
  /** How the namespace is written, for the message (`process.env.TEMPORAL_NAMESPACE`, `'prod'`). */
  text: string;
  /** Python: the Client.connect the worker's client comes from. */
  connect?: SourceLocation;
}

export default defineCheck({
  id: 'client-namespace-mismatch',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: "A client is created without the namespace the workers use (or with another literal one): it starts and signals workflows in 'default', where no worker polls",
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    if (python) return reviewPython(ctx, python);
    const production = (file: string): boolean =>
      !isToolCode(relativePath(ctx.root, file)) && !model.workflowFiles.has(file) && !model.testFiles.includes(file);
    const workers: WorkerNamespace[] = [];
    for (const worker of model.workers) {
      if (worker.notRun || !registers(worker)) continue;
      if (!production(worker.node.getSourceFile().fileName)) continue;
      workers.push(typescriptWorkerNamespace(worker, model));
    }
    const decided = workersDecided(workers);
    if (!decided) return;
    for (const file of model.files) {
      if (!production(file)) continue;
      const sourceFile = model.sourceFile(file);
      if (!sourceFile || !/Client/.test(sourceFile.text)) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isNewExpression(node)) {
          const api = model.temporalApiOf(node.expression);
          if (api && CLIENTS.includes(api.name)) {
            const namespace = clientNamespace(node, model);
            if (namespace) report(ctx, model.locate(node), `new ${api.name}`, namespace, decided);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sourceFile);
    }
  },
});

function reviewPython(ctx: CheckContext, python: PythonModel): void {
  const facts = python.connections;
  if (!facts?.workerNamespaces || !facts.clientNamespaces) return;
  const production = (file: string): boolean => !isToolCode(relativePath(ctx.root, file));
  const byId = new Map(facts.workerNamespaces.map((worker) => [worker.workerId, worker]));
  const workers: WorkerNamespace[] = [];
  const workerConnects = new Set<string>();
  for (const worker of python.workers) {
    if (worker.notRun || !production(worker.location.file)) continue;
    const registersSomething =
      worker.workflowNames === 'unknown' || worker.workflowNames.length > 0 || worker.activityNames === 'unknown' || worker.activityNames.length > 0;
    if (!registersSomething) continue;
    const namespace = byId.get(worker.id);
    // A worker given no client the review can follow: its namespace is unknown.
    if (!namespace) return;
    for (const connect of namespace.connects) workerConnects.add(key(connect));
    workers.push({
      location: worker.location,
      namespace: namespace.namespace,
      text: describeSetting(namespace.namespace),
      ...(namespace.connects.length === 1 ? { connect: namespace.connects[0]! } : {}),
    });
  }
  const decided = workersDecided(workers);
  if (!decided) return;
  for (const client of facts.clientNamespaces) {
    if (workerConnects.has(key(client.location)) || !production(client.location.file)) continue;
    if (client.namespace.kind === 'unknown' || client.namespace.kind === 'config') continue;
    report(ctx, client.location, 'Client.connect', client.namespace, decided);
  }
}

function key(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** The workers when all of them set a namespace other than the literal 'default' in a way the review reads; undefined otherwise. */
function workersDecided(workers: WorkerNamespace[]): WorkerNamespace[] | undefined {
  if (workers.length === 0) return undefined;
  for (const worker of workers) {
    const namespace = worker.namespace;
    if (namespace.kind === 'none' || namespace.kind === 'unknown') return undefined;
    if (namespace.kind === 'literal' && namespace.value === DEFAULT_NAMESPACE) return undefined;
  }
  return workers;
}

/** A client that sets no namespace, or a literal one no worker uses while every worker's is literal. */
function report(ctx: CheckContext, location: SourceLocation, api: string, namespace: NamespaceSetting, workers: WorkerNamespace[]): void {
  const literals = workers.map((worker) => (worker.namespace.kind === 'literal' ? worker.namespace.value : undefined));
  let what: string;
  if (namespace.kind === 'none') what = `sets no namespace, so it uses '${DEFAULT_NAMESPACE}'`;
  // The SDK default written out: the same as none, whatever the workers' namespace is ('default' never is).
  else if (namespace.kind === 'literal' && namespace.value === DEFAULT_NAMESPACE) what = `sets the namespace '${DEFAULT_NAMESPACE}' in the code`;
  else if (namespace.kind === 'literal' && literals.every((value) => value !== undefined && value !== namespace.value)) {
    what = `uses the namespace '${namespace.value}'`;
  } else return;
  const first = workers[0]!;
  const where = (at: SourceLocation): string => `${relativePath(ctx.root, at.file)}:${at.line}`;
  const others = workers.length > 1 ? ` (and ${workers.length - 1} other worker${workers.length > 2 ? 's' : ''})` : '';
  const connect = first.connect && first.connect.file !== location.file ? ` (its client comes from the Client.connect at ${where(first.connect)})` : first.connect ? ` (its client comes from the Client.connect at line ${first.connect.line})` : '';
  // Every worker polls a namespace written in the code that this client does not use: wrong in every deployment.
  const certain = literals.every((value) => value !== undefined);
  let consequence: string;
  if (certain) {
    const polled = [...new Set(literals)].map((value) => `'${value}'`).join(', ');
    const used = namespace.kind === 'literal' ? namespace.value : DEFAULT_NAMESPACE;
    consequence = `The workers poll ${polled} and this client always uses '${used}', whatever the deployment sets: its starts and signals fail with namespace not found, or go to a namespace no worker polls.`;
  } else {
    const fallback = first.namespace.kind === 'config' ? first.namespace.fallback : undefined;
    const setting = first.text;
    const note =
      fallback === DEFAULT_NAMESPACE
        ? ` (the code's default for ${setting} is '${DEFAULT_NAMESPACE}', so both agree until a deployment sets it)`
        : fallback !== undefined
          ? ` (the code's default for ${setting} is '${fallback}', so they differ even when nothing is set)`
          : '';
    consequence =
      `This client only works while ${setting} is '${DEFAULT_NAMESPACE}'${note}. ` +
      `In a deployment that sets the namespace (Temporal Cloud has no '${DEFAULT_NAMESPACE}' namespace) this client's starts and signals fail with namespace not found, or go to a namespace no worker polls.`;
  }
  ctx.report({
    location,
    ...(certain ? { severity: 'error' as const } : {}),
    message: `${api} ${what}, but the worker at ${where(first.location)}${others}${connect} takes its namespace from ${first.text}. ${consequence}`,
    fix: 'Give the client the same namespace as the workers, read from the same configuration (e.g. new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE }); Python: Client.connect(address, namespace=settings.TEMPORAL_NAMESPACE)).',
    related: workers.slice(0, 5).flatMap((worker) => [
      { ...worker.location, message: `a worker whose namespace comes from ${worker.text}` },
      ...(worker.connect ? [{ ...worker.connect, message: `the Client.connect the worker's client comes from, with the namespace ${worker.text}` }] : []),
    ]),
    data: { api, workerNamespace: first.text, certain },
  });
}

function describeSetting(namespace: NamespaceSetting): string {
  if (namespace.kind === 'literal') return `the literal '${namespace.value}'`;
  if (namespace.kind === 'config') return namespace.env ? namespace.env : 'configuration';
  return 'an unknown value';
}

function registers(worker: WorkerDefinition): boolean {
  return (
    worker.workflowsPath !== null ||
    worker.usesBundle ||
    worker.workflowsUnresolved ||
    worker.activityNames === 'unknown' ||
    worker.activityNames.length > 0
  );
}

function typescriptWorkerNamespace(worker: WorkerDefinition, model: TemporalModel): WorkerNamespace {
  const location = model.locate(worker.node);
  const unknown: WorkerNamespace = { location, namespace: { kind: 'unknown' }, text: 'an unknown value' };
  const options = worker.options;
  if (options.kind !== 'object') return unknown;
  if (options.maybeProperties?.has('namespace')) return unknown;
  const value = options.properties.get('namespace');
  if (!value) {
    const spreadMayCarry = options.unknownSpreads.some((spread) => !spread.keys || spread.keys.includes('namespace'));
    return spreadMayCarry ? unknown : { location, namespace: { kind: 'none' }, text: `the SDK default '${DEFAULT_NAMESPACE}'` };
  }
  const setting = typescriptSetting(value);
  if (setting.kind === 'unknown') return unknown;
  // The line that sets the namespace, when it is in the worker's file.
  const where = value.location.file === location.file ? value.location : location;
  return { location: where, namespace: setting, text: setting.kind === 'literal' ? `the literal '${setting.value}'` : setting.kind === 'config' ? (setting.env ?? 'configuration') : 'configuration' };
}

/** A namespace value: a literal, a read of the environment or configuration (named by its text), or unknown. */
function typescriptSetting(value: StaticValue): NamespaceSetting {
  if (value.kind === 'string' && value.configurable) return { kind: 'config', env: `process.env.${value.configurable.env}`, fallback: value.value };
  if (value.kind === 'string') return { kind: 'literal', value: value.value };
  if (value.kind !== 'unknown' || !value.node) return { kind: 'unknown' };
  // `this.config.connection.namespace` where the class fills the field from a default configuration literal.
  const fixed = thisConfigLiteral(skipOuterExpressions(value.node as ts.Expression));
  if (fixed !== undefined) return { kind: 'literal', value: fixed };
  const text = definitionText(skipOuterExpressions(value.node as ts.Expression) as ts.Expression);
  if (!CONFIG_TEXT.test(text)) return { kind: 'unknown' };
  const env = ENV_NAME.exec(text)?.[1];
  return { kind: 'config', env: env && /process\.env/.test(text) ? `process.env.${env}` : compact(text) };
}

function compact(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}...` : oneLine;
}

/** The namespace a `new Client(...)` sets; undefined when its options cannot be read or may carry one. */
function clientNamespace(node: ts.NewExpression, model: TemporalModel): NamespaceSetting | undefined {
  const argument = node.arguments?.[0];
  if (!argument) return { kind: 'none' };
  const options = model.resolveValue(argument);
  if (options.kind !== 'object') return undefined;
  if (options.maybeProperties?.has('namespace')) return undefined;
  const value = options.properties.get('namespace');
  if (!value) {
    if (options.unknownSpreads.some((spread) => !spread.keys || spread.keys.includes('namespace'))) return undefined;
    return { kind: 'none' };
  }
  if (value.kind === 'string' && !value.configurable) return { kind: 'literal', value: value.value };
  return { kind: 'config' };
}

/** The text of an expression, or of the initializer of the local constant it names. */
function definitionText(expression: ts.Expression): string {
  if (!ts.isIdentifier(expression)) return expression.getText();
  let scope: ts.Node | undefined = expression.parent;
  while (scope) {
    if (ts.isBlock(scope) || ts.isSourceFile(scope)) {
      for (const statement of scope.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.name.text === expression.text && declaration.initializer) return declaration.initializer.getText();
        }
      }
    }
    scope = scope.parent;
  }
  return expression.getText();
}
