// Search attributes in a Python project: the keys it defines (`SearchAttributeKey.for_text("X")`),
// what each workflow start sets (`search_attributes=TypedSearchAttributes([...])` or the deprecated
// dict form; the Python SDK has no other keyword for them), whether a workflow upserts its own
// (`workflow.upsert_search_attributes`), and whether a start serves one business entity or the
// system (a cron schedule, a fixed workflow id): the same judgement as for TypeScript starts.

import { pythonIdCollision } from './python-id-collisions.js';
import { isIdentifierName } from '../typescript/observability/identifier-name.js';
import type { SearchAttributeKeyFacts, StartPurpose, StartSearchAttributes, WorkflowStartFacts } from '../types.js';
import type { PythonNode } from './parse-python.js';
import { pythonDroppedStartFailure } from './python-start-handling.js';
import { forwardedCall } from './python-forwarded-calls.js';
import { pythonForwardedIds, pythonRequestContext, pythonWorkflowIdShape } from './python-start-ids.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, descendantsInScope, enclosing, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import type { PythonWorkflow } from './python-temporal-calls.js';

const KEY_FACTORIES: Record<string, string> = {
  for_text: 'TEXT',
  for_keyword: 'KEYWORD',
  for_int: 'INT',
  for_float: 'DOUBLE',
  for_bool: 'BOOL',
  for_datetime: 'DATETIME',
  for_keyword_list: 'KEYWORD_LIST',
};
const KEY_CLASS = 'temporalio.common.SearchAttributeKey';
const TYPED_ATTRIBUTES = 'temporalio.common.TypedSearchAttributes';
const UPSERT = ['temporalio.workflow.upsert_search_attributes'];

/** Every `SearchAttributeKey.for_*("Name")` of the project. */
export function searchAttributeKeys(files: string[], modules: PythonModules): SearchAttributeKeyFacts[] {
  const keys: SearchAttributeKeyFacts[] = [];
  for (const file of files) {
    for (const call of modules.files.get(file)?.tree.rootNode.descendantsOfType('call') ?? []) {
      const callee = call?.childForFieldName('function');
      const qualified = callee ? modules.qualifiedName(file, callee) : undefined;
      const factory = qualified?.startsWith(`${KEY_CLASS}.`) ? KEY_FACTORIES[qualified.slice(KEY_CLASS.length + 1)] : undefined;
      if (!call || !factory) continue;
      const nameNode = callArguments(call).positional[0] ?? callArguments(call).keywords.get('name');
      keys.push({ name: (nameNode && stringLiteral(nameNode)) ?? null, type: factory, location: locateNode(file, call) });
    }
  }
  return keys;
}

/** Marks the workflows whose class calls `workflow.upsert_search_attributes` (or the typed variant). */
export function markUpserts(workflows: PythonWorkflow[], modules: PythonModules): Map<string, boolean> {
  const upserts = new Map<string, boolean>();
  for (const workflow of workflows) {
    const found = workflow.node.descendantsOfType('call').some((call) => {
      const callee = call?.childForFieldName('function');
      return callee !== undefined && callee !== null && UPSERT.includes(modules.qualifiedName(workflow.file, callee) ?? '');
    });
    upserts.set(workflow.name, (upserts.get(workflow.name) ?? false) || found);
  }
  return upserts;
}

/** The call node of a start, found again by its location. */
function callAt(modules: PythonModules, start: WorkflowStartFacts): PythonNode | undefined {
  const root = modules.files.get(start.location.file)?.tree.rootNode;
  const point = { row: start.location.line - 1, column: start.location.column - 1 };
  for (let node: PythonNode | null | undefined = root?.descendantForPosition(point); node; node = node.parent) {
    if (node.type !== 'call' || node.startPosition.row !== point.row || node.startPosition.column !== point.column) continue;
    // `async_to_sync(client.start_workflow)(...)`: the start is the outer call, which runs the inner one's value.
    const outer = node.parent;
    return outer?.type === 'call' && outer.childForFieldName('function')?.id === node.id ? outer : node;
  }
  return undefined;
}

/** Fills searchAttributes, purpose, callText, droppedFailure, idShape, requestHandler and idCollision of each Python start. */
export function describeStarts(starts: WorkflowStartFacts[], modules: PythonModules): void {
  for (const start of starts) {
    const call = callAt(modules, start);
    if (!call) continue;
    // A start run by a sync bridge (`run_async(client.start_workflow, ...)`): the method is the value it runs.
    const forwarded = start.child ? undefined : forwardedCall(call, start.location.file, modules);
    const callee = forwarded?.target ?? call.childForFieldName('function');
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.text;
    const what = start.workflowType ?? (start.workflowTypeText || (forwarded?.args ?? callArguments(call)).keywords.get('workflow')?.text || '');
    start.callText = start.child ? `workflow.${method}(${what})` : `client.${method}(${what})`;
    if (forwarded) start.callText += ` (run through ${forwarded.runner})`;
    start.searchAttributes = startAttributes(start, modules);
    start.purpose = purposeOf(start, call, modules);
    // The bridge waits for the start: its failure is raised by the call itself, as by an awaited one.
    start.droppedFailure = start.child ? null : pythonDroppedStartFailure(call, start.location.file, modules, forwarded !== undefined);
    if (!start.child) {
      start.idShape = pythonWorkflowIdShape(call, start.location.file, modules);
      start.requestHandler = pythonRequestContext(call);
      if (start.idShape.kind !== 'random') start.forwardedIds = pythonForwardedIds(call, start.location.file, modules);
    }
    start.idCollision = pythonIdCollision(start, call, start.location.file, modules);
  }
}

function startAttributes(start: WorkflowStartFacts, modules: PythonModules): StartSearchAttributes {
  const options = start.options;
  if (!options || options.kind !== 'object') return { state: 'unknown', attributes: [] };
  const value = options.properties.get('searchAttributes') ?? options.properties.get('typedSearchAttributes');
  if (!value || value.kind === 'undefined') return { state: options.unknownSpreads.length ? 'unknown' : 'none', attributes: [] };
  if (value.kind === 'object') {
    const names = [...value.properties.keys()];
    if (names.length) return { state: 'set', option: 'searchAttributes', attributes: names.map((name) => ({ name, type: null })) };
    return { state: value.unknownSpreads.length ? 'unknown' : 'none', option: 'searchAttributes', attributes: [] };
  }
  const node = value.kind === 'unknown' && value.node ? unparenthesize(value.node as PythonNode) : undefined;
  const file = start.location.file;
  if (node?.type === 'attribute' && modules.qualifiedName(file, node) === `${TYPED_ATTRIBUTES}.empty`) return { state: 'none', attributes: [] };
  if (node?.type === 'call') {
    const fn = node.childForFieldName('function');
    if (fn && modules.qualifiedName(file, fn) === TYPED_ATTRIBUTES) {
      const list = callArguments(node).positional[0];
      const target = list ? unparenthesize(list) : undefined;
      if (target && (target.type === 'list' || target.type === 'tuple') && namedChildrenOf(target).length === 0) return { state: 'none', attributes: [] };
      return { state: 'set', option: 'typedSearchAttributes', attributes: [] };
    }
  }
  // The running workflow's own attributes passed on to a child: set, as the parent's are.
  if (node && passesOwnAttributes(node, file, modules)) return { state: 'set', option: 'typedSearchAttributes', attributes: [] };
  // A variable or helper: it may hold attributes or be empty.
  return { state: 'unknown', attributes: [] };
}

const WORKFLOW_INFO = 'temporalio.workflow.info';

/** `workflow.info().typed_search_attributes`, directly or through a local assigned from `workflow.info()`. */
function passesOwnAttributes(node: PythonNode, file: string, modules: PythonModules): boolean {
  if (node.type !== 'attribute') return false;
  const name = node.childForFieldName('attribute')?.text;
  if (name !== 'typed_search_attributes' && name !== 'search_attributes') return false;
  const object = node.childForFieldName('object');
  if (!object) return false;
  const target = unparenthesize(object);
  if (isWorkflowInfoCall(target, file, modules)) return true;
  if (target.type !== 'identifier') return false;
  const scope = enclosing(node, ['function_definition']);
  if (!scope) return false;
  let fromInfo = false;
  let otherwise = false;
  descendantsInScope(scope, (descendant) => {
    if (descendant.type !== 'assignment' || descendant.childForFieldName('left')?.text !== target.text) return;
    const right = descendant.childForFieldName('right');
    if (right && isWorkflowInfoCall(unparenthesize(right), file, modules)) fromInfo = true;
    else otherwise = true;
  });
  return fromInfo && !otherwise;
}

function isWorkflowInfoCall(node: PythonNode, file: string, modules: PythonModules): boolean {
  const fn = node.type === 'call' ? node.childForFieldName('function') : undefined;
  return !!fn && modules.qualifiedName(file, fn) === WORKFLOW_INFO;
}

function purposeOf(start: WorkflowStartFacts, call: PythonNode, modules: PythonModules): StartPurpose {
  const options = start.options?.kind === 'object' ? start.options : undefined;
  const file = start.location.file;
  const cron = options?.properties.get('cron_schedule');
  if (cron && cron.kind !== 'undefined' && !(cron.kind === 'string' && cron.value === '')) {
    return { kind: 'system', reason: `it runs on a cron schedule${cron.kind === 'string' ? ` ('${cron.value}')` : ''}` };
  }
  const workflowId = options?.properties.get('workflowId');
  const idNode = workflowId?.kind === 'unknown' && workflowId.node ? (workflowId.node as PythonNode) : undefined;
  const keyInId = idNode ? keyInExpression(idNode) : undefined;
  if (keyInId) return { kind: 'business', key: keyInId, inWorkflowId: true };
  const args = callArguments(call);
  // start_workflow(workflow, arg, *, args=[...]): the input is the second positional, arg= or args=.
  const inputs = [...args.positional.slice(1), ...['arg', 'args'].flatMap((k) => (args.keywords.get(k) ? [args.keywords.get(k)!] : []))];
  let inputKey: string | undefined;
  let batchKey: string | undefined;
  for (const input of inputs) {
    const key = keyInInput(input, file, modules);
    if (key?.endsWith(BATCH)) batchKey ??= key.slice(0, -BATCH.length);
    else if (key) {
      inputKey = key;
      break;
    }
  }
  if (!inputKey && (args.starred || (options?.unknownSpreads.length ?? 0) > 0)) inputKey = 'args';
  if (inputKey) return { kind: 'business', key: inputKey };
  // Keys only on the items of a list built for the run (`items=[Item(version_id=v.id) for v in
  // versions]`), none beside it and none in the workflow id: one run covers many entities, so there
  // is no one entity whose runs an attribute would list; the run itself is found by its id.
  if (batchKey) {
    return {
      kind: 'system',
      reason: 'it works through a batch of entities built for the run',
      input: `its input names no single entity (\`${batchKey}\` only on the items of that batch)`,
    };
  }
  // After the input is read, so the message's "its input carries no business key" stays true.
  if (onTestServer(call, file, modules)) return { kind: 'system', reason: 'it runs on a test server (the client of a temporalio.testing.WorkflowEnvironment)' };
  if (workflowId?.kind === 'string') return { kind: 'system', reason: `its workflow id is fixed ('${workflowId.value}'), so at most one runs at a time` };
  return { kind: 'business' };
}

const TEST_ENVIRONMENT = 'temporalio.testing.WorkflowEnvironment';

/**
 * `env.client.start_workflow(...)` (or `client = env.client` first) where env is a
 * `WorkflowEnvironment`: a parameter annotated with it, or bound from `WorkflowEnvironment.start_*()`.
 * Such a start runs on a throwaway test server, in a script or a test helper.
 */
function onTestServer(call: PythonNode, file: string, modules: PythonModules): boolean {
  const callee = call.childForFieldName('function');
  let receiver = callee?.type === 'attribute' ? callee.childForFieldName('object') : null;
  if (receiver?.type === 'identifier') {
    // `client = env.client`, assigned once in the function.
    const fn = enclosing(receiver, ['function_definition']);
    const assigned = fn ? fn.descendantsOfType('assignment').filter((a) => a?.childForFieldName('left')?.text === receiver!.text) : [];
    if (assigned.length === 1) receiver = assigned[0]!.childForFieldName('right');
  }
  if (receiver?.type !== 'attribute' || receiver.childForFieldName('attribute')?.text !== 'client') return false;
  const env = receiver.childForFieldName('object');
  if (env?.type !== 'identifier') return false;
  const annotation = annotationOf(env);
  if (annotation && modules.qualifiedName(file, unparenthesize(annotation.type === 'type' ? (namedChildrenOf(annotation)[0] ?? annotation) : annotation)) === TEST_ENVIRONMENT) return true;
  const fn = enclosing(env, ['function_definition']);
  for (const alias of fn?.descendantsOfType('as_pattern') ?? []) {
    const target = alias?.childForFieldName('alias');
    if (target?.text !== env.text) continue;
    const value = namedChildrenOf(alias!)[0];
    const inner = value?.type === 'await' ? namedChildrenOf(value)[0] : value;
    const starter = inner?.type === 'call' ? inner.childForFieldName('function') : undefined;
    if (starter && modules.qualifiedName(file, starter)?.startsWith(`${TEST_ENVIRONMENT}.`)) return true;
  }
  return false;
}

/** An identifier-like name an input carries, 'args' when it may carry one that cannot be seen. */
function keyInInput(node: PythonNode, file: string, modules: PythonModules, depth = 0): string | undefined {
  const target = unparenthesize(node);
  if (depth > 4) return 'args';
  switch (target.type) {
    case 'string':
    case 'concatenated_string':
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      // A literal is the same for every execution: no entity.
      return target.type === 'string' && target.descendantsOfType('interpolation').length ? keyInExpression(target) : undefined;
    case 'list':
    case 'tuple':
      return firstKey(namedChildrenOf(target), file, modules, depth);
    case 'dictionary':
      for (const pair of namedChildrenOf(target)) {
        const name = pair.type === 'pair' ? stringLiteral(pair.childForFieldName('key')!) : undefined;
        const value = pair.childForFieldName('value');
        if (name && isIdentifierName(name) && value && !isLiteral(value)) return name;
        const nested = value ? keyInInput(value, file, modules, depth + 1) : 'args';
        if (nested) return nested;
      }
      return undefined;
    case 'call': {
      // `Order(order_id=order_id)`: a keyword named like an identifier with a value that varies.
      const args = callArguments(target);
      for (const [name, value] of args.keywords) if (isIdentifierName(name) && !isLiteral(value)) return name;
      const key = firstKey([...args.positional, ...args.keywords.values()], file, modules, depth);
      if (key) return key;
      const fields = classFields(target.childForFieldName('function'), file, modules);
      return fields === undefined ? 'args' : undefined;
    }
    case 'list_comprehension':
    case 'set_comprehension':
    case 'generator_expression': {
      // One element per item of a collection: a key found in the element is a batch's, not the run's.
      const element = target.childForFieldName('body');
      const key = element ? keyInInput(element, file, modules, depth + 1) : 'args';
      return key && key !== 'args' && !key.endsWith(BATCH) ? `${key}${BATCH}` : key;
    }
    case 'identifier':
    case 'attribute': {
      const key = keyInExpression(target);
      if (key) return key;
      // A local assigned once before the start (`request = Request(...)`): what it was built from.
      const built = target.type === 'identifier' && !annotationOf(target) ? onlyAssignment(target) : undefined;
      if (built) return keyInInput(built, file, modules, depth + 1);
      // A parameter annotated with a project class: its fields say whether it carries a key.
      const annotated = target.type === 'identifier' ? annotationOf(target) : undefined;
      if (annotated) {
        const fields = classFields(annotated, file, modules);
        if (fields) return fields.find(isIdentifierName) ? `${target.text}.${fields.find(isIdentifierName)}` : undefined;
      }
      return 'args';
    }
    default:
      return 'args';
  }
}

/** The first key the values carry, a batch's key (see BATCH) only when none carries another. */
function firstKey(values: PythonNode[], file: string, modules: PythonModules, depth: number): string | undefined {
  let batch: string | undefined;
  for (const value of values) {
    const key = keyInInput(value, file, modules, depth + 1);
    if (key?.endsWith(BATCH)) batch ??= key;
    else if (key) return key;
  }
  return batch;
}

/** Marks a key found only on the elements of a comprehension (a batch); see purposeOf. */
const BATCH = '[]';

/** The value of a local name assigned exactly once in its function (not a parameter), else undefined. */
function onlyAssignment(identifier: PythonNode): PythonNode | undefined {
  const fn = enclosing(identifier, ['function_definition']);
  const body = fn?.childForFieldName('body');
  const parameters = fn?.childForFieldName('parameters');
  if (!body || parameters?.descendantsOfType('identifier').some((p) => p?.text === identifier.text)) return undefined;
  const values: PythonNode[] = [];
  let other = false;
  descendantsInScope(body, (node) => {
    const left = node.childForFieldName('left');
    if (left?.text !== identifier.text) return;
    if (node.type === 'assignment' && node.childForFieldName('right')) values.push(node.childForFieldName('right')!);
    else if (node.type === 'augmented_assignment' || node.type === 'for_statement' || node.type === 'assignment') other = true;
  });
  return values.length === 1 && !other ? values[0] : undefined;
}

/** `order_id`, `order.order_id`, `f"order-{order.order_id}"`, `"order-" + str(order_id)`: an identifier-like name in an expression. */
function keyInExpression(node: PythonNode): string | undefined {
  const target = unparenthesize(node);
  if (target.type === 'identifier') return isIdentifierName(target.text) ? target.text : undefined;
  if (target.type === 'attribute') {
    const name = target.childForFieldName('attribute')?.text;
    return name && isIdentifierName(name) ? name : undefined;
  }
  const parts =
    target.type === 'string' || target.type === 'concatenated_string'
      ? target.descendantsOfType('interpolation').flatMap((i) => (i?.childForFieldName('expression') ? [i.childForFieldName('expression')!] : []))
      : target.type === 'binary_operator'
        ? [target.childForFieldName('left'), target.childForFieldName('right')].filter((p): p is PythonNode => p !== null)
        : target.type === 'call'
          ? [...callArguments(target).positional, ...callArguments(target).keywords.values()]
          : [];
  for (const part of parts) {
    const key = keyInExpression(part);
    if (key) return key;
  }
  // `build_id(workspace_id=..., integration_id=...)`: the keyword names say what the id is built from.
  if (target.type === 'call') for (const name of callArguments(target).keywords.keys()) if (isIdentifierName(name)) return name;
  return undefined;
}

function isLiteral(node: PythonNode): boolean {
  const target = unparenthesize(node);
  return ['integer', 'float', 'true', 'false', 'none'].includes(target.type) || (target.type === 'string' && target.descendantsOfType('interpolation').length === 0);
}

/** The annotation of a parameter of the enclosing function, when the name is one. */
function annotationOf(identifier: PythonNode): PythonNode | undefined {
  const fn = enclosing(identifier, ['function_definition']);
  const parameters = fn?.childForFieldName('parameters');
  for (const parameter of parameters ? namedChildrenOf(parameters) : []) {
    if (parameter.type !== 'typed_parameter' && parameter.type !== 'typed_default_parameter') continue;
    const name = parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier');
    if (name?.text === identifier.text) return parameter.childForFieldName('type') ?? undefined;
  }
  return undefined;
}

/** The annotated fields of a project class (a dataclass or a Pydantic model), undefined when not one. */
function classFields(node: PythonNode | null | undefined, file: string, modules: PythonModules): string[] | undefined {
  const target = node ? unparenthesize(node.type === 'type' ? (namedChildrenOf(node)[0] ?? node) : node) : undefined;
  if (!target || target.type !== 'identifier') return undefined;
  const definition = modules.lookup(file, target.text);
  if (definition?.kind !== 'class') return undefined;
  const fields: string[] = [];
  for (const member of classMembers(definition.node)) {
    const assignment = member.type === 'expression_statement' ? namedChildrenOf(member)[0] : undefined;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : undefined;
    if (left?.type === 'identifier') fields.push(left.text);
  }
  return fields;
}
