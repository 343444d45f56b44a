// The server address and namespace of Python clients and workers, for worker-connection-hard-coded:
// every `Client.connect(...)` that reads the address (its target_host) or the namespace from
// configuration (`os.environ[...]`, `os.getenv(...)`, `settings.temporal_host`, a config object),
// and, for each worker, the settings of the `Client.connect(...)` its client comes from when they
// are written in the code (`"localhost:7233"`, `namespace="default"`) or left to the SDK default
// (no namespace: 'default'). The worker's client is followed through variables, helpers and
// modules (python-origins.ts); a client that comes from anything else is left alone.

import type { SourceLocation, StaticValue, WorkflowStartFacts } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { originsOf, qualifiedNameOf } from './python-origins.js';
import type { PythonWorker } from './python-temporal-calls.js';
import { resolvePythonValue } from './python-values.js';
import { localValues } from './python-local-values.js';
import { callArguments, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import { callAt } from './python-worker-runtime.js';

export type ConnectionSetting = 'address' | 'namespace' | 'taskQueue';

export interface PythonConnectionRead {
  setting: ConnectionSetting;
  location: SourceLocation;
  /** The environment variable (or the configuration attribute) read, when visible. */
  env?: string;
  /** The default it falls back to, when visible. */
  fallback?: string;
  /** For a task queue read by a start: the workflow type started, when known. */
  workflowType?: string | null;
}

export interface PythonConnectionLiteral {
  setting: ConnectionSetting;
  value: string;
  /** False when the SDK default applies (no namespace given). */
  written: boolean;
  location: SourceLocation;
}

export interface PythonWorkerConnection {
  workerId: string;
  /** The Client.connect call the worker's client comes from. */
  connect: SourceLocation;
  literals: PythonConnectionLiteral[];
}

export interface PythonConnectionFacts {
  reads: PythonConnectionRead[];
  workers: PythonWorkerConnection[];
  /** Every Client.connect call and the namespace it sets (client-namespace-mismatch). */
  clientNamespaces?: { location: SourceLocation; namespace: NamespaceSetting }[];
  /** The namespace of each worker's client, with the connect calls the client may come from. */
  workerNamespaces?: { workerId: string; namespace: NamespaceSetting; connects: SourceLocation[] }[];
  /** Task queues read from configuration by client starts and workers (with the default they fall back to). */
  queueReads?: PythonConnectionRead[];
  /** Each worker whose task_queue is a string written in the code. */
  workerQueues?: { workerId: string; literal: PythonConnectionLiteral }[];
}

/**
 * The namespace a client or worker sets: none (the SDK default 'default'), a string written in the
 * code, a read of configuration (the variable or attribute when visible), or something unreadable.
 */
export type NamespaceSetting = { kind: 'none' } | { kind: 'literal'; value: string } | { kind: 'config'; env?: string; fallback?: string } | { kind: 'unknown' };

const CLIENT_CONNECT = 'temporalio.client.Client.connect';
export const PYTHON_DEFAULT_NAMESPACE = 'default';

/**
 * A read of configuration in the text of a value: the environment (`os.environ`, `os.getenv`,
 * django-environ's `env(...)`), a settings or config object's attribute (`settings.temporal_host`,
 * `self.config.temporal.address`, `get_settings().temporal_address`).
 */
const CONFIG_READ =
  /\bos\s*\.\s*environ\b|\bgetenv\s*\(|\benviron\s*(?:\.\s*get\s*\(|\[)|\benv\s*(?:\.\s*\w+\s*)?\(\s*['"]|(?:^|[^\w.])(?:self\s*\.\s*)?_?\w*(?:settings|config|conf|cfg)\w*\s*(?:\(\s*\))?\s*\.\s*[A-Za-z_]|\bget_(?:settings|config)\s*\(/i;
const ENV_NAME = /(?:environ\s*\[\s*|environ\s*\.\s*get\s*\(\s*|getenv\s*\(\s*|\benv\s*(?:\.\s*\w+\s*)?\(\s*)(?:f?['"])([A-Za-z_][A-Za-z0-9_]*)/;
const SETTING_PATH = /\b((?:self\s*\.\s*)?_?\w*(?:settings|config|conf|cfg)\w*\s*(?:\(\s*\))?(?:\s*\.\s*[A-Za-z_]\w*)+)/i;

export function pythonConnectionFacts(files: string[], modules: PythonModules, workers: PythonWorker[], starts: WorkflowStartFacts[] = []): PythonConnectionFacts {
  const isConnect = (call: PythonNode, file: string): boolean => {
    const callee = call.childForFieldName('function');
    if (!callee || !callee.text.endsWith('connect')) return false;
    return qualifiedNameOf(callee, file, modules) === CLIENT_CONNECT;
  };
  const reads: PythonConnectionRead[] = [];
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root || !root.text.includes('connect')) continue;
    for (const call of root.descendantsOfType('call')) {
      if (!call || !isConnect(call, file)) continue;
      for (const [setting, value] of Object.entries(settingsOf(call)) as [ConnectionSetting, PythonNode | undefined][]) {
        if (!value) continue;
        const read = configuredValue(value, file, modules);
        if (read) reads.push({ setting, location: locateNode(file, value), ...read });
      }
    }
  }
  const clientNamespaces: NonNullable<PythonConnectionFacts['clientNamespaces']> = [];
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root || !root.text.includes('connect')) continue;
    for (const call of root.descendantsOfType('call')) {
      if (!call || !isConnect(call, file)) continue;
      // An admin client that only describes or registers namespaces starts nothing in its namespace.
      if (namespaceAdminOnly(call)) continue;
      clientNamespaces.push({ location: locateNode(file, call), namespace: namespaceOf(call, file, modules) });
    }
  }
  const workerNamespaces: NonNullable<PythonConnectionFacts['workerNamespaces']> = [];
  const found: PythonWorkerConnection[] = [];
  for (const worker of workers) {
    const call = callAt(modules, worker.location);
    if (!call) continue;
    const args = callArguments(call);
    const client = args.keywords.get('client') ?? args.positional[0];
    if (!client) continue;
    const origins = originsOf(client, worker.location.file, modules, isConnect);
    workerNamespaces.push(workerNamespace(worker.id, origins, modules));
    if (origins.length === 0 || origins.some((origin) => origin.kind !== 'target')) continue;
    const perOrigin = origins.map((origin) => (origin.kind === 'target' ? connectionLiterals(origin.node, origin.file, modules) : []));
    // A setting counts only when every connect the client may come from fixes it.
    const literals = perOrigin[0]!.filter((literal) => perOrigin.every((list) => list.some((other) => other.setting === literal.setting && other.value === literal.value)));
    if (literals.length === 0) continue;
    const first = origins[0]!;
    if (first.kind !== 'target') continue;
    found.push({ workerId: worker.id, connect: locateNode(first.file, first.node), literals });
  }
  const { queueReads, workerQueues } = queueFacts(modules, workers, starts);
  return { reads, workers: found, clientNamespaces, workerNamespaces, queueReads, workerQueues };
}

/**
 * The task queues of workers and client starts: the reads of configuration (with the default they
 * fall back to: the variable's, or the field of a settings class the attribute names), and the
 * workers whose task_queue is a string written in the code.
 */
function queueFacts(modules: PythonModules, workers: PythonWorker[], starts: WorkflowStartFacts[]): Pick<PythonConnectionFacts, 'queueReads' | 'workerQueues'> {
  const queueReads: PythonConnectionRead[] = [];
  const workerQueues: NonNullable<PythonConnectionFacts['workerQueues']> = [];
  const readOf = (queue: StaticValue | undefined, workflowType?: string | null): void => {
    if (!queue) return;
    const location = queue.location;
    if (queue.kind === 'string') {
      if (queue.configurable) queueReads.push({ setting: 'taskQueue', location, env: queue.configurable.env, fallback: queue.value, ...(workflowType !== undefined ? { workflowType } : {}) });
      return;
    }
    if (queue.kind !== 'unknown' || !queue.node) return;
    const node = queue.node as PythonNode;
    const read = configuredValue(node, location.file, modules);
    if (!read) return;
    const field = read.fallback === undefined && read.env ? /\.(\w+)$/.exec(read.env)?.[1] : undefined;
    const fallback = read.fallback ?? (field ? settingsClassDefault(field, modules, /\b(?:BaseSettings|BaseModel)\b/) : undefined);
    queueReads.push({ setting: 'taskQueue', location, ...read, ...(fallback !== undefined ? { fallback } : {}), ...(workflowType !== undefined ? { workflowType } : {}) });
  };
  for (const start of starts) {
    if (start.child || start.options?.kind !== 'object') continue;
    readOf(start.options.properties.get('taskQueue'), start.workflowType);
  }
  for (const worker of workers) {
    readOf(worker.taskQueue);
    const call = callAt(modules, worker.location);
    const argument = call ? callArguments(call).keywords.get('task_queue') : undefined;
    if (!argument) continue;
    const value = fixedString(argument, worker.location.file, modules);
    if (value !== undefined) workerQueues.push({ workerId: worker.id, literal: { setting: 'taskQueue', value, written: true, location: locateNode(worker.location.file, argument) } });
  }
  return { queueReads, workerQueues };
}

/** Calls on a client that manage namespaces (or the cluster), not workflows in the client's namespace. */
const ADMIN_USE = /^(?:workflow_service\.\w*namespace\w*|operator_service\.\w+)$/;

/**
 * A connect whose client, assigned to a local name, is used only for namespace administration in
 * its function (`bootstrap.workflow_service.describe_namespace(...)`, `register_namespace`,
 * `operator_service.add_search_attributes`): its own namespace does not matter.
 */
function namespaceAdminOnly(call: PythonNode): boolean {
  let node: PythonNode | null = call.parent;
  if (node?.type === 'await') node = node.parent;
  if (node?.type !== 'assignment') return false;
  const target = node.childForFieldName('left');
  if (target?.type !== 'identifier') return false;
  let scope: PythonNode | null = node.parent;
  while (scope && scope.type !== 'function_definition') scope = scope.parent;
  if (!scope) return false;
  const uses = scope.descendantsOfType('identifier').filter((id): id is PythonNode => !!id && id.text === target.text && id.startIndex > target.endIndex);
  if (uses.length === 0) return false;
  return uses.every((use) => {
    const attribute = use.parent;
    if (attribute?.type !== 'attribute' || attribute.childForFieldName('object')?.id !== use.id) return false;
    const outer = attribute.parent;
    if (outer?.type !== 'attribute') return false;
    return ADMIN_USE.test(outer.text.slice(use.text.length + 1).replace(/\s+/g, ''));
  });
}

/** The target_host and namespace arguments of a Client.connect call, where written. */
function settingsOf(call: PythonNode): { address?: PythonNode; namespace?: PythonNode } {
  const args = callArguments(call);
  const address = args.keywords.get('target_host') ?? args.positional[0];
  const namespace = args.keywords.get('namespace');
  return { ...(address ? { address } : {}), ...(namespace ? { namespace } : {}) };
}

/** The address and namespace of a connect call that are written in the code or left to the SDK default. */
function connectionLiterals(call: PythonNode, file: string, modules: PythonModules): PythonConnectionLiteral[] {
  const args = callArguments(call);
  if (args.spreads.length > 0 || args.starred) return [];
  const location = locateNode(file, call);
  const literals: PythonConnectionLiteral[] = [];
  const address = args.keywords.get('target_host') ?? args.positional[0];
  const addressValue = address ? fixedString(address, file, modules) : undefined;
  if (addressValue !== undefined) literals.push({ setting: 'address', value: addressValue, written: true, location });
  const namespace = args.keywords.get('namespace');
  if (!namespace) literals.push({ setting: 'namespace', value: PYTHON_DEFAULT_NAMESPACE, written: false, location });
  else {
    const value = fixedString(namespace, file, modules);
    if (value !== undefined) literals.push({ setting: 'namespace', value, written: true, location });
  }
  return literals;
}

/**
 * A string written in the code: a literal, or a local or module constant that holds one and reads
 * no configuration on the way. Attributes (`settings.host`, `self.address`) are never taken as fixed.
 */
function fixedString(node: PythonNode, file: string, modules: PythonModules): string | undefined {
  const target = unparenthesize(node);
  if (target.type === 'string' || target.type === 'concatenated_string') return stringLiteral(target);
  if (target.type !== 'identifier') return undefined;
  const resolved = resolvePythonValue(target, file, modules);
  if (resolved.kind !== 'string' || resolved.configurable) return undefined;
  if (definitionTexts(target, file, modules).some((text) => CONFIG_READ.test(text))) return undefined;
  return resolved.value;
}

/** A value read from configuration: the variable (or attribute) and its default when visible. */
function configuredValue(node: PythonNode, file: string, modules: PythonModules): Omit<PythonConnectionRead, 'setting' | 'location'> | undefined {
  const resolved = resolvePythonValue(node, file, modules);
  if (resolved.kind === 'string' && resolved.configurable) return { env: resolved.configurable.env, fallback: resolved.value };
  // A fixed string through a class constant (`Config.TEMPORAL_HOST = "localhost:7233"`) reads nothing.
  if (resolved.kind === 'string' || resolved.kind === 'number') return undefined;
  const texts = definitionTexts(unparenthesize(node), file, modules);
  const text = texts.find((candidate) => CONFIG_READ.test(candidate));
  if (text === undefined) return undefined;
  const env = ENV_NAME.exec(text)?.[1] ?? SETTING_PATH.exec(text)?.[1]?.replace(/\s+/g, '');
  return env ? { env } : {};
}

/** The text of an expression and of what the names in it are assigned (locals, module constants, imports), three steps deep. */
function definitionTexts(node: PythonNode, file: string, modules: PythonModules, depth = 0): string[] {
  const texts = [node.text];
  if (depth >= 3 || node.type !== 'identifier') return texts;
  const locals = localValues(node, file);
  if (locals) {
    for (const value of locals) texts.push(...definitionTexts(unparenthesize(value.node), value.file, modules, depth + 1));
    return texts;
  }
  const definition = modules.lookupAt(file, node.text, node);
  if (definition?.kind === 'assignment' && definition.value) texts.push(...definitionTexts(unparenthesize(definition.value), definition.file, modules, depth + 1));
  return texts;
}

/**
 * The default a settings class gives a field: `temporal_namespace: str = "default"` (or
 * `Field("default")`, `Field(default="default")`) in the body of a class whose bases name
 * BaseSettings, when exactly one value is found for the name across the project's settings classes.
 */
function settingsClassDefault(name: string, modules: PythonModules, bases = /\bBaseSettings\b/): string | undefined {
  const found = new Set<string>();
  for (const [, parsed] of modules.files) {
    const root = parsed.tree.rootNode;
    if (!bases.test(root.text) || !root.text.includes(name)) continue;
    for (const classNode of root.descendantsOfType('class_definition')) {
      if (!classNode || !bases.test(classNode.childForFieldName('superclasses')?.text ?? '')) continue;
      for (const statement of namedChildrenOf(classNode.childForFieldName('body') ?? classNode)) {
        const assignment = statement.type === 'expression_statement' ? namedChildrenOf(statement)[0] : undefined;
        if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== name) continue;
        let right = assignment.childForFieldName('right');
        if (right?.type === 'call' && /^(?:pydantic\.)?Field$/.test(right.childForFieldName('function')?.text ?? '')) {
          const args = callArguments(right);
          right = args.keywords.get('default') ?? args.positional[0] ?? null;
        }
        const value = right && (right.type === 'string' || right.type === 'concatenated_string') ? stringLiteral(right) : undefined;
        if (value === undefined) return undefined;
        found.add(value);
      }
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** The namespace a Client.connect call sets. */
function namespaceOf(call: PythonNode, file: string, modules: PythonModules): NamespaceSetting {
  const args = callArguments(call);
  if (args.spreads.length > 0 || args.starred) return { kind: 'unknown' };
  const namespace = args.keywords.get('namespace');
  if (!namespace) return { kind: 'none' };
  const value = fixedString(namespace, file, modules);
  if (value !== undefined) return { kind: 'literal', value };
  const read = configuredValue(namespace, file, modules);
  if (read) {
    // `settings.temporal_namespace`: the default of the settings class field, when the read gives none.
    const field = read.fallback === undefined && read.env ? /^[\w.()]*(?:settings|config|conf|cfg)\w*(?:\(\))?\.(\w+)$/i.exec(read.env)?.[1] : undefined;
    const fallback = read.fallback ?? (field ? settingsClassDefault(field, modules) : undefined);
    return { kind: 'config', ...(read.env ? { env: read.env } : {}), ...(fallback !== undefined ? { fallback } : {}) };
  }
  return { kind: 'unknown' };
}

/** The namespace of a worker's client: the one every connect call it may come from agrees on. */
function workerNamespace(workerId: string, origins: ReturnType<typeof originsOf>, modules: PythonModules): { workerId: string; namespace: NamespaceSetting; connects: SourceLocation[] } {
  const connects: SourceLocation[] = [];
  const settings: NamespaceSetting[] = [];
  for (const origin of origins) {
    // `_client: Client | None = None` of a client created on first use: None is never the worker's client.
    if (origin.kind === 'none') continue;
    if (origin.kind !== 'target') return { workerId, namespace: { kind: 'unknown' }, connects };
    connects.push(locateNode(origin.file, origin.node));
    settings.push(namespaceOf(origin.node, origin.file, modules));
  }
  const first = settings[0];
  if (!first) return { workerId, namespace: { kind: 'unknown' }, connects };
  const same = settings.every((setting) => setting.kind === first.kind && (setting.kind !== 'literal' || first.kind !== 'literal' || setting.value === first.value));
  return { workerId, namespace: same ? first : { kind: 'unknown' }, connects };
}
