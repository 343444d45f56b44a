// A production worker whose server address or namespace is written in the code (or left to the
// SDK default: localhost:7233 and namespace 'default') while another connection, client or worker
// of the same project reads that setting from the environment or configuration. The deployment
// then sets the variable for the parts that read it and the worker keeps its literal: it polls
// another server or namespace than the one the client starts workflows on, and nothing runs them.
// Warning; info when only the namespace is literal and it equals the default the other parts fall
// back to. Nothing when every part is literal (a local-only project) or the worker is
// development-only code. In a workspace (monorepo), the reads of another package count when that
// package starts workflows on the worker's task queue (apps/api and apps/worker). Python: the same reading of `Client.connect(target_host, namespace=...)`
// (python-worker-connections.ts), the client a worker is given followed to its connect call.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { defineCheck, type CheckContext } from '../define-check.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { isToolCode } from '../../model/tool-code.js';
import { relativePath } from '../../model/typescript/locate.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { SourceLocation } from '../../model/types.js';
import type { StaticValue, TemporalModel, WorkerDefinition } from '../../model/typescript/types.js';
import type { PythonModel } from '../../model/python/build-python-model.js';

/** The SDK defaults (@temporalio/worker 1.24: connection-options.ts and worker-options.ts). */
export const DEFAULT_ADDRESS = 'localhost:7233';
export const DEFAULT_NAMESPACE = 'default';

const CONNECTIONS = ['Connection', 'NativeConnection'];
const FACTORIES = ['connect', 'create', 'lazy'];
const CLIENTS = ['Client', 'WorkflowClient'];
/** A read of configuration in the text of a value: process.env, ConfigService.get, config.get. */
const CONFIG_READ = /process\.env\b|\b[cC]onfig(?:Service)?\s*\.\s*(?:get|getOrThrow)\s*(?:<[^>]*>)?\s*\(/;
const ENV_NAME = /(?:process\.env\.|process\.env\[\s*['"`]|\.(?:get|getOrThrow)\s*(?:<[^>]*>)?\s*\(\s*['"`])([A-Za-z_][A-Za-z0-9_.]*)/;

/** A `scripts/` folder: local runners, but also the start scripts a deployment runs. */
const SCRIPTS_DIRECTORY = /(^|\/)scripts?\//i;

type Setting = 'address' | 'namespace' | 'taskQueue';

const SETTING_NAMES: Record<Setting, string> = { address: 'address', namespace: 'namespace', taskQueue: 'task queue' };

interface ConfiguredRead {
  setting: Setting;
  location: SourceLocation;
  /** The variable read, when visible. */
  env?: string;
  /** The default it falls back to, when visible. */
  fallback?: string;
}

interface Literal {
  setting: Setting;
  value: string;
  /** False when the SDK default applies (nothing written). */
  written: boolean;
  location: SourceLocation;
}

export default defineCheck({
  id: 'worker-connection-hard-coded',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A production worker connects to an address or namespace written in the code (or the SDK default) while another part of the project reads that setting from the environment',
  run(ctx) {
    const python = pythonModelOf(ctx.model);
    if (python) return reviewPython(ctx, python);
    const model = ctx.model;
    if (!model) return;
    const production = (file: string): boolean => !isToolCode(relativePath(ctx.root, file)) && !model.workflowFiles.has(file);
    const reads = configuredReads(model, production);
    if (reads.length === 0) return;
    for (const worker of model.workers) {
      if (worker.framework) continue;
      const file = worker.node.getSourceFile().fileName;
      if (model.workflowFiles.has(file) || model.testFiles.includes(file)) continue;
      const relative = relativePath(ctx.root, file);
      const inScripts = SCRIPTS_DIRECTORY.test(relative);
      if (isToolCode(relative) && !(inScripts && !isToolCode(relative.replace(SCRIPTS_DIRECTORY, '$1')))) continue;
      const literals = workerLiterals(worker, model);
      const packageRoot = packageRootOf(file, ctx.root);
      const linked = linkedPackages(worker, packageRoot, model, ctx.root);
      // The worker's own package first: the message names the first read of each setting.
      const others = [
        ...reads.filter((read) => read.location.file !== file && read.location.file.startsWith(packageRoot)),
        ...reads.filter((read) => !read.location.file.startsWith(packageRoot) && linked.some((other) => read.location.file.startsWith(other))),
      ];
      // A runner in scripts/ counts as deployed only when it already takes the other setting from configuration.
      if (inScripts && (literals.length !== 1 || !CONFIG_READ.test(worker.node.getSourceFile().text))) continue;
      const reported = literals.filter((literal) => others.some((read) => read.setting === literal.setting));
      if (reported.length === 0) continue;
      const { message, info } = describe(reported, others, ctx.root);
      const fromLinked = reported.some((literal) => !others.find((read) => read.setting === literal.setting)!.location.file.startsWith(packageRoot));
      ctx.report({
        location: reported[0]!.location,
        ...(info ? { severity: 'info' as const } : {}),
        message: fromLinked
          ? `${message} The two are packages of one workspace, and ${linkedNames(linked, ctx.root)} ${linked.length === 1 ? 'starts' : 'start'} workflows on this worker's task queue '${(worker.taskQueue as { value: string }).value}'.`
          : message,
        fix: 'Read the address and namespace the same way as the rest of the project (e.g. process.env.TEMPORAL_ADDRESS and process.env.TEMPORAL_NAMESPACE, or the shared config module) and pass them to NativeConnection.connect and Worker.create.',
        data: { settings: reported.map((literal) => literal.setting) },
      });
    }
  },
});

/** Every place in production code where a connection address or a namespace is read from configuration. */
function configuredReads(model: TemporalModel, production: (file: string) => boolean): ConfiguredRead[] {
  const reads: ConfiguredRead[] = [];
  for (const file of model.files) {
    if (!production(file)) continue;
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !/Connection|Client|Worker/.test(sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      const kind = callKind(node, model);
      if (kind) {
        const argument = (node as ts.CallExpression | ts.NewExpression).arguments?.[0];
        const literal = argument ? skipOuterExpressions(argument) : undefined;
        if (literal && ts.isObjectLiteralExpression(literal)) {
          const settings: Setting[] = kind === 'connection' ? ['address'] : ['namespace'];
          for (const setting of settings) {
            const read = configuredValue(propertyValue(literal, setting), model);
            if (read) reads.push({ setting, ...read });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return reads;
}

function callKind(node: ts.Node, model: TemporalModel): 'connection' | 'client' | 'worker' | undefined {
  if (ts.isNewExpression(node)) {
    const api = model.temporalApiOf(node.expression);
    if (api?.name === 'Connection') return 'connection';
    if (api && CLIENTS.includes(api.name)) return 'client';
    return undefined;
  }
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || !FACTORIES.includes(callee.name.text)) return undefined;
  const api = model.temporalApiOf(callee.expression);
  if (api && CONNECTIONS.includes(api.name)) return 'connection';
  if (api?.name === 'Worker' && callee.name.text === 'create') return 'worker';
  return undefined;
}

/** The expression given for a property of an object literal (shorthand: the identifier). */
function propertyValue(literal: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const property of literal.properties) {
    if (ts.isPropertyAssignment(property) && property.name.getText() === name) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
  }
  return undefined;
}

/** A value read from configuration: the variable and its default when visible. */
function configuredValue(expression: ts.Expression | undefined, model: TemporalModel): Omit<ConfiguredRead, 'setting'> | undefined {
  if (!expression) return undefined;
  const location = model.locate(expression);
  const resolved = model.resolveValue(expression);
  if ((resolved.kind === 'string' || resolved.kind === 'number') && resolved.configurable) {
    return { location, env: resolved.configurable.env, fallback: String(resolved.value) };
  }
  const text = definitionText(expression);
  if (!CONFIG_READ.test(text)) return undefined;
  const env = ENV_NAME.exec(text)?.[1];
  return { location, ...(env ? { env } : {}) };
}

/** The text of an expression, or of the initializer of the local constant it names. */
function definitionText(expression: ts.Expression): string {
  const node = skipOuterExpressions(expression);
  if (!ts.isIdentifier(node)) return node.getText();
  const initializer = localInitializer(node);
  return initializer ? initializer.getText() : node.getText();
}

/** The initializer of a `const`/`let` declared in an enclosing scope of the same file, by name. */
function localInitializer(identifier: ts.Identifier): ts.Expression | undefined {
  let found: ts.Expression | undefined;
  let scope: ts.Node | undefined = identifier.parent;
  while (scope && !found) {
    if (ts.isBlock(scope) || ts.isSourceFile(scope)) {
      for (const statement of scope.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name) && declaration.name.text === identifier.text && declaration.initializer) found = declaration.initializer;
        }
      }
    }
    scope = scope.parent;
  }
  return found;
}

/** The worker's address and namespace when they are literals or the SDK defaults. */
function workerLiterals(worker: WorkerDefinition, model: TemporalModel): Literal[] {
  const literals: Literal[] = [];
  const options = worker.options;
  if (options.kind !== 'object' || options.unknownSpreads.length > 0) return literals;
  const workerLocation = model.locate(worker.node);
  const namespace = options.properties.get('namespace');
  if (!namespace && !options.maybeProperties?.has('namespace')) {
    literals.push({ setting: 'namespace', value: DEFAULT_NAMESPACE, written: false, location: workerLocation });
  } else if (namespace && fixedString(namespace)) {
    literals.push({ setting: 'namespace', value: namespace.value as string, written: true, location: namespace.location });
  } else if (namespace?.kind === 'unknown' && namespace.node) {
    const value = thisConfigLiteral(skipOuterExpressions(namespace.node as ts.Expression));
    if (value !== undefined) literals.push({ setting: 'namespace', value, written: true, location: model.locate(namespace.node) });
  }
  const connection = options.properties.get('connection');
  if (!connection && !options.maybeProperties?.has('connection')) {
    literals.push({ setting: 'address', value: DEFAULT_ADDRESS, written: false, location: workerLocation });
  } else if (connection) {
    const address = connectionAddress(connection, worker, model);
    if (address) literals.push(address);
  }
  return literals;
}

function fixedString(value: StaticValue): value is Extract<StaticValue, { kind: 'string' }> {
  return value.kind === 'string' && !value.configurable;
}

/**
 * The address of the connection given to the worker, when it is a local constant initialised by
 * `await NativeConnection.connect({...})` in the same file whose address is a literal or absent.
 */
function connectionAddress(connection: StaticValue, worker: WorkerDefinition, model: TemporalModel): Literal | undefined {
  if (connection.kind !== 'unknown' || !connection.node) return undefined;
  const reference = skipOuterExpressions(connection.node as ts.Expression);
  const initializer = ts.isIdentifier(reference) ? localInitializer(reference) : (reference as ts.Expression);
  if (!initializer) return undefined;
  let call = skipOuterExpressions(initializer);
  if (ts.isAwaitExpression(call)) call = skipOuterExpressions(call.expression);
  if (!ts.isCallExpression(call) || (callKind(call, model) !== 'connection' && !namedConnectionCall(call))) return undefined;
  const argument = call.arguments[0];
  const location = model.locate(call);
  if (!argument) return { setting: 'address', value: DEFAULT_ADDRESS, written: false, location };
  const literal = skipOuterExpressions(argument);
  if (!ts.isObjectLiteralExpression(literal)) return undefined;
  if (literal.properties.some((property) => ts.isSpreadAssignment(property))) return undefined;
  const address = propertyValue(literal, 'address');
  if (!address) return { setting: 'address', value: DEFAULT_ADDRESS, written: false, location };
  const value = addressLiteral(address, model);
  return value !== undefined ? { setting: 'address', value, written: true, location } : undefined;
}

/**
 * A fixed address: a literal, or `this.<field>.<path>` where the class sets the field from one of
 * its own methods that returns an object literal (a hard-coded default configuration).
 */
function addressLiteral(address: ts.Expression, model: TemporalModel): string | undefined {
  const resolved = model.resolveValue(address);
  if (fixedString(resolved)) return CONFIG_READ.test(address.getText()) ? undefined : resolved.value;
  return thisConfigLiteral(skipOuterExpressions(address));
}

export function thisConfigLiteral(expression: ts.Node): string | undefined {
  const path: string[] = [];
  let node = expression;
  while (ts.isPropertyAccessExpression(node)) {
    path.unshift(node.name.text);
    node = skipOuterExpressions(node.expression);
  }
  if (node.kind !== ts.SyntaxKind.ThisKeyword || path.length < 2) return undefined;
  const [field, ...rest] = path;
  let klass: ts.Node | undefined = expression.parent;
  while (klass && !ts.isClassLike(klass)) klass = klass.parent;
  if (!klass || !ts.isClassLike(klass)) return undefined;
  // Every assignment to this.<field> in the class must be `this.<method>()` of one method.
  const methods = new Set<string>();
  let other = false;
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuterExpressions(node.left);
      if (ts.isPropertyAccessExpression(left) && left.name.text === field && left.expression.kind === ts.SyntaxKind.ThisKeyword) {
        const right = skipOuterExpressions(node.right);
        if (ts.isCallExpression(right) && ts.isPropertyAccessExpression(right.expression) && right.expression.expression.kind === ts.SyntaxKind.ThisKeyword && right.arguments.length === 0) {
          methods.add(right.expression.name.text);
        } else other = true;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(klass);
  for (const member of klass.members) {
    if (ts.isPropertyDeclaration(member) && member.name.getText() === field && member.initializer) other = true;
  }
  if (other || methods.size !== 1) return undefined;
  const [methodName] = [...methods];
  const method = klass.members.find((member) => ts.isMethodDeclaration(member) && member.name.getText() === methodName) as ts.MethodDeclaration | undefined;
  const returns = method?.body?.statements.filter(ts.isReturnStatement) ?? [];
  if (returns.length !== 1 || !returns[0]!.expression) return undefined;
  let value: ts.Expression | undefined = skipOuterExpressions(returns[0]!.expression) as ts.Expression;
  for (const key of rest) {
    if (!value || !ts.isObjectLiteralExpression(value)) return undefined;
    const next = propertyValue(value, key);
    value = next ? (skipOuterExpressions(next) as ts.Expression) : undefined;
  }
  return value && ts.isStringLiteralLike(value) ? value.text : undefined;
}

/** `NativeConnection.connect(...)` by name: the class may come from a dynamic import the model does not follow. */
function namedConnectionCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return (
    ts.isPropertyAccessExpression(callee) &&
    FACTORIES.includes(callee.name.text) &&
    ts.isIdentifier(callee.expression) &&
    CONNECTIONS.includes(callee.expression.text)
  );
}

/**
 * The other packages of the same workspace (npm/yarn `workspaces`, pnpm-workspace.yaml, lerna, nx,
 * turbo) that start workflows on one of this worker's task queues, written as the same string: one
 * project deployed together, whose client is meant to reach this worker. A package of a workspace
 * that starts nothing on the worker's queue (another service, a sample) is not linked.
 */
function linkedPackages(worker: WorkerDefinition, packageRoot: string, model: TemporalModel, root: string): string[] {
  const queue = worker.taskQueue;
  if (!queue || !fixedString(queue)) return [];
  const workspace = workspaceRootOf(path.dirname(packageRoot));
  if (!workspace) return [];
  const linked = new Set<string>();
  for (const start of model.starts) {
    const file = start.location.file;
    if (start.child || file.startsWith(packageRoot) || !file.startsWith(workspace) || model.testFiles.includes(file)) continue;
    const options = start.options;
    const startQueue = options?.kind === 'object' ? options.properties.get('taskQueue') : undefined;
    if (!startQueue || startQueue.kind !== 'string' || startQueue.value !== queue.value) continue;
    const other = packageRootOf(file, root);
    if (other !== packageRoot && !packageRoot.startsWith(other)) linked.add(other);
  }
  return [...linked];
}

function linkedNames(linked: string[], root: string): string {
  const names = linked.map((other) => relativePath(root, other.slice(0, -1)) || '.');
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The nearest folder at or above the directory that declares a workspace, with a trailing slash. */
function workspaceRootOf(directory: string): string | undefined {
  for (let current = directory; ; current = path.dirname(current)) {
    if (['pnpm-workspace.yaml', 'lerna.json', 'nx.json', 'turbo.json'].some((name) => fs.existsSync(path.join(current, name)))) return current + path.sep;
    const manifest = path.join(current, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ('workspaces' in (JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, unknown>)) return current + path.sep;
      } catch {
        // not JSON: no workspace declared there
      }
    }
    if (path.dirname(current) === current) return undefined;
  }
}

/** The folder of the nearest package.json above the file (within the reviewed directory), with a trailing slash. */
function packageRootOf(file: string, root: string): string {
  let directory = path.dirname(file);
  const top = path.resolve(root);
  while (directory.startsWith(top) && directory !== top) {
    if (fs.existsSync(path.join(directory, 'package.json'))) return directory + path.sep;
    directory = path.dirname(directory);
  }
  return top + path.sep;
}

/** The message of a finding, TypeScript or Python: the literals the worker keeps and the reads elsewhere. */
function describe(reported: Literal[], others: ConfiguredRead[], root: string): { message: string; info: boolean } {
  const parts = reported.map((literal) => {
    const read = others.find((candidate) => candidate.setting === literal.setting)!;
    const where = `${relativePath(root, read.location.file)}:${read.location.line}`;
    const source = read.env ? `${read.env}` : 'configuration';
    const name = SETTING_NAMES[literal.setting];
    const written = literal.written ? `'${literal.value}' written in the code` : `the SDK default '${literal.value}' (no ${name} given)`;
    const reader = literal.setting === 'taskQueue' ? `${where} starts workflows on the task queue it reads from ${source} (default '${literal.value}')` : `${where} reads the ${name} from ${source}`;
    return `its ${name} is ${written}, while ${reader}`;
  });
  const namespaceOnly = reported.every((literal) => literal.setting === 'namespace');
  const queueOnly = reported.every((literal) => literal.setting === 'taskQueue');
  // Equal defaults: the parts agree today and only part once the variable is set (the address never counts: it must change in production).
  const sameDefault =
    reported.every((literal) => literal.setting !== 'address') &&
    reported.every((literal) => others.filter((read) => read.setting === literal.setting).every((read) => read.fallback === literal.value));
  return {
    info: sameDefault,
    message:
      `This worker does not take its connection settings from configuration: ${parts.join('; and ')}. ` +
      'When the deployment sets that variable, the clients and the other workers follow it and this worker keeps its literal: it polls another ' +
      (queueOnly ? 'task queue' : namespaceOnly ? 'namespace' : reported.some((literal) => literal.setting === 'address') ? 'server' : 'namespace and task queue') +
      ', and the workflows and activities routed to ' + (queueOnly ? 'the configured task queue' : 'its task queue') + ' wait with nobody polling them.' +
      (sameDefault ? ' Today the variable falls back to the same value, so this only bites once it is set.' : ''),
  };
}

/** Python: the same reading on the facts of python-worker-connections.ts. */
function reviewPython(ctx: CheckContext, model: PythonModel): void {
  const facts = model.connections;
  if (!facts) return;
  const production = (read: { location: SourceLocation }): boolean => !isToolCode(relativePath(ctx.root, read.location.file));
  const reads = facts.reads.filter(production);
  const queueReads = (facts.queueReads ?? []).filter(production);
  if (reads.length === 0 && queueReads.length === 0) return;
  const reportedAt = new Set<string>();
  for (const worker of model.workers) {
    const found = facts.workers.find((candidate) => candidate.workerId === worker.id);
    const queue = facts.workerQueues?.find((candidate) => candidate.workerId === worker.id)?.literal;
    if (!found && !queue) continue;
    const connection = found ?? { workerId: worker.id, connect: queue!.location, literals: [] };
    const file = worker.location.file;
    const relative = relativePath(ctx.root, file);
    const inScripts = SCRIPTS_DIRECTORY.test(relative);
    if (isToolCode(relative) && !(inScripts && !isToolCode(relative.replace(SCRIPTS_DIRECTORY, '$1')))) continue;
    if (isToolCode(relativePath(ctx.root, connection.connect.file))) continue;
    const packageRoot = pythonPackageRootOf(file, ctx.root);
    const own = new Set([file, connection.connect.file]);
    const others: ConfiguredRead[] = reads.filter((read) => !own.has(read.location.file) && read.location.file.startsWith(packageRoot));
    // A runner in scripts/ counts as deployed only when its connect already takes the other setting from configuration.
    if (inScripts && (connection.literals.length !== 1 || !reads.some((read) => read.location.file === connection.connect.file && read.location.line >= connection.connect.line && read.location.line <= connection.connect.line + 5))) continue;
    const reported: Literal[] = connection.literals.filter((literal) => others.some((read) => read.setting === literal.setting));
    const queueRead = queue && !inScripts ? queueReadFor(worker, queue, queueReads, packageRoot) : undefined;
    if (queue && queueRead) {
      reported.push(queue);
      others.push(queueRead);
    }
    if (reported.length === 0) continue;
    const key = `${connection.connect.file}:${connection.connect.line}:${connection.connect.column}`;
    if (reportedAt.has(key)) continue;
    reportedAt.add(key);
    const { message, info } = describe(reported, others, ctx.root);
    const queueOnly = reported.every((literal) => literal.setting === 'taskQueue');
    ctx.report({
      location: queueOnly ? reported[0]!.location : connection.connect,
      ...(info ? { severity: 'info' as const } : {}),
      message,
      fix: queueOnly
        ? 'Pass the task queue the clients read (the same setting or variable) to Worker(task_queue=...) instead of the literal.'
        : 'Read the address and namespace (and the task queue) the same way as the rest of the project (e.g. os.environ["TEMPORAL_ADDRESS"] and os.environ["TEMPORAL_NAMESPACE"], or the shared settings object) and pass them to Client.connect (and Worker).',
      data: { settings: reported.map((literal) => literal.setting) },
    });
  }
}

/**
 * A read of the task queue that the worker's literal should follow: the starts of the workflows the
 * worker registers (by type), or, when none of those can be told, the other starts and workers of
 * the package. Every one of them must read configuration whose default equals the literal (a
 * different default is another check's business).
 */
function queueReadFor(worker: PythonModel['workers'][number], queue: Literal, queueReads: ConfiguredRead[], packageRoot: string): ConfiguredRead | undefined {
  const inPackage = queueReads.filter((read) => read.location.file.startsWith(packageRoot) && !(read.location.file === queue.location.file && read.location.line === queue.location.line));
  const registered = Array.isArray(worker.workflowNames) ? worker.workflowNames : [];
  const own = inPackage.filter((read) => (read as { workflowType?: string | null }).workflowType && registered.includes((read as { workflowType?: string | null }).workflowType!));
  const candidates = own.length > 0 ? own : inPackage;
  if (candidates.length === 0 || !candidates.every((read) => read.fallback === queue.value)) return undefined;
  return candidates[0];
}

/** The folder of the nearest pyproject.toml, setup.py or setup.cfg above the file (within the reviewed directory), with a trailing slash. */
function pythonPackageRootOf(file: string, root: string): string {
  let directory = path.dirname(file);
  const top = path.resolve(root);
  while (directory.startsWith(top) && directory !== top) {
    if (['pyproject.toml', 'setup.py', 'setup.cfg'].some((name) => fs.existsSync(path.join(directory, name)))) return directory + path.sep;
    directory = path.dirname(directory);
  }
  return top + path.sep;
}
