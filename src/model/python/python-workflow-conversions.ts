// Conversions in Python workflow code that raise a plain exception when the data the workflow
// received is not what the code expects: `Model.model_validate(data)` (pydantic's ValidationError),
// `Status(value)` for an Enum class (ValueError), `owner, name = text.split("/")` (ValueError when the
// separator count differs). None of these is a temporalio FailureError, so the SDK fails the workflow
// task, not the workflow, and the server retries that task until the code changes
// (worker/_workflow_instance.py, workflow_is_failure_exception; the facts are in
// test/checks/determinism/workflow-conversion-fails-task.test.ts).
//
// Read from the entry points whose exceptions fail the task (the run method, signal handlers,
// `@workflow.init` and the `execute_workflow` / `handle_signal` methods of WorkflowInboundInterceptor
// subclasses) through the project functions they call. Only data the workflow received counts: the
// entry point's parameters (an interceptor's `input`), what is read from them (`input.args[3]`,
// `envelope.kind.lower()`), locals assigned from them, the awaited result of an activity or child
// workflow, and the parameters of a helper its caller fills with such data. A conversion inside a
// `try` (here or around the call that reaches it) whose matching `except` does not raise the
// exception again is handled; so is one whose class a failure_exception_types list covers.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import { functionTarget } from './python-activities.js';
import { escapesTries } from './python-caught-errors.js';
import { parameterName } from './python-local-values.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, decoratorsOf, descendantsInScope, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';
import type { PythonWorker, PythonWorkflow } from './python-temporal-calls.js';
import { classDefinition } from './python-type-graph.js';
import { isOwnEnumActivityResult } from './python-enum-results.js';
import { failureCoverage, workerFailureCoverage } from './python-workflow-code.js';

export type ConversionKind = 'model-validate' | 'enum' | 'split-unpack';

export interface ConversionSite {
  location: SourceLocation;
  kind: ConversionKind;
  /** The source text, one line. */
  text: string;
  /** The exception it raises on bad data. */
  errorType: 'ValidationError' | 'ValueError';
  /** The call sites from the entry point to the helper that converts, when not direct. */
  via: SourceLocation[];
}

/** The conversions one workflow type (or one workflow interceptor) makes, so one fix is one finding. */
export interface WorkflowConversions {
  /** Workflow types, or the interceptor class name when `interceptor` is set. */
  owners: string[];
  interceptor: boolean;
  sites: ConversionSite[];
}

/** pydantic's class methods that validate data into a model (v2 and v1 spellings). */
const VALIDATE_METHODS = new Set(['model_validate', 'model_validate_json', 'model_validate_strings', 'parse_obj', 'parse_raw']);
const ENUM_BASES = new Set(['Enum', 'IntEnum', 'StrEnum', 'Flag', 'IntFlag']);
/** Methods of a received value whose result is still that data (a read, or a string made from it). */
const READS = new Set(['get', 'lower', 'upper', 'strip', 'lstrip', 'rstrip', 'casefold', 'title', 'model_dump', 'dict', 'to_dict', 'decode', 'removeprefix', 'removesuffix']);
/** The chain of the raised class, for except clauses and failure type lists: pydantic's ValidationError is a ValueError. */
const CHAINS = { ValidationError: ['ValidationError', 'ValueError'], ValueError: ['ValueError'] } as const;
const INBOUND_BASES = new Set(['temporalio.worker.WorkflowInboundInterceptor', 'temporalio.worker._interceptor.WorkflowInboundInterceptor']);
const INTERCEPTOR_ENTRIES = new Set(['execute_workflow', 'handle_signal']);
const WORKFLOW_ENTRIES = new Set(['temporalio.workflow.run', 'temporalio.workflow.signal', 'temporalio.workflow.init']);

interface Walk {
  owner: string;
  received: Set<string>;
  /** Callers' try statements stop a ValueError (and so a ValidationError) / a ValidationError. */
  handledValue: boolean;
  handledValidation: boolean;
  via: SourceLocation[];
}

export function extractWorkflowConversions(modules: PythonModules, workflows: PythonWorkflow[], workers: PythonWorker[], activities: PythonActivity[]): WorkflowConversions[] {
  const activityNodes = new Set(activities.map((a) => a.node.id));
  const sites = new Map<string, ConversionSite & { owners: Set<string> }>();
  const seen = new Set<string>();

  const visit = (fn: PythonNode, file: string, walk: Walk) => {
    const key = `${fn.id}:${walk.owner}:${walk.handledValue}:${walk.handledValidation}:${[...walk.received].sort().join(',')}`;
    if (seen.has(key) || walk.via.length > 5) return;
    seen.add(key);
    const body = fn.childForFieldName('body');
    if (!body) return;
    const received = receivedNames(body, walk.received, file, modules);
    const isReceived = (node: PythonNode) => receivedExpression(node, received, file, modules);
    const note = (node: PythonNode, kind: ConversionKind, errorType: 'ValidationError' | 'ValueError') => {
      if (errorType === 'ValueError' ? walk.handledValue : walk.handledValidation) return;
      if (!escapesTries([...CHAINS[errorType]], node, body)) return;
      const location = locateNode(file, node);
      const id = `${file}:${location.line}:${location.column}`;
      const existing = sites.get(id);
      if (existing) existing.owners.add(walk.owner);
      else sites.set(id, { location, kind, text: oneLine(node), errorType, via: walk.via, owners: new Set([walk.owner]) });
    };
    descendantsInScope(body, (node) => {
      if (node.type === 'assignment') {
        if (splitUnpacked(node, body, isReceived)) note(node, 'split-unpack', 'ValueError');
        return;
      }
      if (node.type !== 'call') return;
      const callee = node.childForFieldName('function');
      if (!callee) return;
      const args = callArguments(node);
      const first = args.positional[0];
      if (callee.type === 'attribute' && VALIDATE_METHODS.has(callee.childForFieldName('attribute')?.text ?? '')) {
        const model = callee.childForFieldName('object');
        if (model && first && isClassName(model) && isReceived(first) && !alreadyOfClass(first, model, fn)) note(node, 'model-validate', 'ValidationError');
        return;
      }
      if (first && args.positional.length === 1 && args.keywords.size === 0 && isEnumClass(callee, file, modules)) {
        if (isReceived(first) && !alreadyOfClass(first, callee, fn) && !isOwnEnumActivityResult(first, callee, fn, file, { modules, workflows, activities })) note(node, 'enum', 'ValueError');
        return;
      }
      const target = functionTarget(callee, fn, file, modules);
      if (!target || activityNodes.has(target.node.id)) return;
      visit(target.node, target.file, {
        owner: walk.owner,
        received: receivedParameters(target.node, node, isReceived),
        handledValue: walk.handledValue || !escapesTries([...CHAINS.ValueError], node, body),
        handledValidation: walk.handledValidation || !escapesTries([...CHAINS.ValidationError], node, body),
        via: [...walk.via, locateNode(file, node)],
      });
    });
  };

  const start = (member: PythonNode, file: string, owner: string, parameters: string[] | 'all') => {
    const names = parameters === 'all' ? parameterNames(member) : parameterNames(member).filter((n) => parameters.includes(n));
    visit(member, file, { owner, received: new Set(names), handledValue: false, handledValidation: false, via: [] });
  };

  const interceptors = inboundInterceptors(modules);
  for (const entry of workflowEntryPoints(modules, workflows, interceptors, WORKFLOW_ENTRIES, INTERCEPTOR_ENTRIES)) start(entry.node, entry.file, entry.owner, 'all');

  // Group by who reaches the sites; drop a site every owner's failure types cover, or whose coverage cannot be read.
  const workflowCoverage = failureCoverage(modules, workflows, workers);
  const workerCoverage = workerFailureCoverage(modules, workers);
  const interceptorNames = new Set(interceptors.map((i) => i.name));
  const groups = new Map<string, WorkflowConversions>();
  const ordered = [...sites.values()].sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  for (const { owners, ...site } of ordered) {
    const chain = [...CHAINS[site.errorType]];
    const coverages = [...owners].map((owner) =>
      interceptorNames.has(owner) ? workerCoverage([owner, ...factoriesOf(owner, modules)], chain) : workflowCoverage(owner, chain),
    );
    if (!coverages.includes('uncovered') || coverages.includes('unknown')) continue;
    // A helper that workflows and an interceptor both reach belongs with the workflows.
    const workflowOwners = [...owners].filter((o) => !interceptorNames.has(o));
    const names = (workflowOwners.length ? workflowOwners : [...owners]).sort();
    const key = names.join(',');
    const group = groups.get(key) ?? { owners: names, interceptor: workflowOwners.length === 0, sites: [] };
    group.sites.push(site);
    groups.set(key, group);
  }
  // The workflow's own conversions first: the finding points at the workflow, helpers are related.
  for (const group of groups.values()) group.sites.sort((a, b) => Number(a.via.length > 0) - Number(b.via.length > 0));
  return [...groups.values()];
}

export interface EntryPoint {
  node: PythonNode;
  file: string;
  /** The workflow type, or the interceptor's class name. */
  owner: string;
  interceptor: boolean;
}

/** The workflow methods with one of the decorators, and the interceptor methods of the given names. */
export function workflowEntryPoints(modules: PythonModules, workflows: PythonWorkflow[], interceptors: { node: PythonNode; file: string; name: string }[], decorators: Set<string>, interceptorMethods: Set<string>): EntryPoint[] {
  const entries: EntryPoint[] = [];
  for (const workflow of workflows) {
    for (const member of classMembers(workflow.node)) {
      if (member.type !== 'function_definition') continue;
      const kinds = decoratorsOf(member).map((d) => modules.qualifiedName(workflow.file, d.expression) ?? '');
      if (kinds.some((k) => decorators.has(k))) entries.push({ node: member, file: workflow.file, owner: workflow.name, interceptor: false });
    }
  }
  for (const { node, file, name } of interceptors) {
    for (const member of classMembers(node)) {
      if (member.type === 'function_definition' && interceptorMethods.has(member.childForFieldName('name')?.text ?? '')) entries.push({ node: member, file, owner: name, interceptor: true });
    }
  }
  return entries;
}

/** Classes of the project that extend WorkflowInboundInterceptor (directly, or through a project class). */
export function inboundInterceptors(modules: PythonModules): { node: PythonNode; file: string; name: string }[] {
  const result: { node: PythonNode; file: string; name: string }[] = [];
  for (const [file, parsed] of modules.files) {
    if (!parsed.text.includes('WorkflowInboundInterceptor')) continue;
    for (const node of parsed.tree.rootNode.descendantsOfType('class_definition')) {
      if (node && extendsInbound(node, file, modules, 0)) result.push({ node, file, name: node.childForFieldName('name')?.text ?? '' });
    }
  }
  return result;
}

function extendsInbound(node: PythonNode, file: string, modules: PythonModules, depth: number): boolean {
  if (depth > 4) return false;
  const superclasses = node.childForFieldName('superclasses');
  for (const base of superclasses ? namedChildrenOf(superclasses) : []) {
    if (base.type !== 'identifier' && base.type !== 'attribute') continue;
    if (INBOUND_BASES.has(modules.qualifiedName(file, base) ?? '')) return true;
    const definition = classDefinition(base, file, modules);
    if (definition?.kind === 'class' && extendsInbound(definition.node, definition.file, modules, depth + 1)) return true;
  }
  return false;
}

/** The Interceptor classes whose workflow_interceptor_class names the inbound class: what a Worker's interceptors= lists. */
function factoriesOf(inbound: string, modules: PythonModules): string[] {
  const names: string[] = [];
  for (const [, parsed] of modules.files) {
    if (!parsed.text.includes('workflow_interceptor_class')) continue;
    for (const fn of parsed.tree.rootNode.descendantsOfType('function_definition')) {
      if (fn?.childForFieldName('name')?.text !== 'workflow_interceptor_class') continue;
      if (!new RegExp(`\\b${inbound}\\b`).test(fn.childForFieldName('body')?.text ?? '')) continue;
      let cls = fn.parent;
      while (cls && cls.type !== 'class_definition') cls = cls.parent;
      const name = cls?.childForFieldName('name')?.text;
      if (name) names.push(name);
    }
  }
  return names;
}

function parameterNames(fn: PythonNode): string[] {
  const parameters = fn.childForFieldName('parameters');
  return (parameters ? namedChildrenOf(parameters) : [])
    .filter((p) => p.type !== 'list_splat_pattern' && p.type !== 'dictionary_splat_pattern' && p.type !== 'keyword_separator' && p.type !== 'positional_separator')
    .map((p) => parameterName(p) ?? '')
    .filter((n) => n !== '' && n !== 'self' && n !== 'cls');
}

/** The helper's parameters its call fills with received data. */
function receivedParameters(target: PythonNode, call: PythonNode, isReceived: (node: PythonNode) => boolean): Set<string> {
  const names = parameterNames(target);
  const args = callArguments(call);
  const result = new Set<string>();
  if (args.starred) return result;
  args.positional.forEach((arg, index) => {
    const name = names[index];
    if (name && isReceived(arg)) result.add(name);
  });
  for (const [name, value] of args.keywords) if (names.includes(name) && isReceived(value)) result.add(name);
  return result;
}

/** The names in a function body that hold received data: the given ones, and locals assigned from them (or looped over them). */
function receivedNames(body: PythonNode, given: Set<string>, file: string, modules: PythonModules): Set<string> {
  const received = new Set(given);
  const bindings: { name: string; value: PythonNode }[] = [];
  descendantsInScope(body, (node) => {
    if (node.type !== 'assignment' && node.type !== 'for_statement') return;
    const left = node.childForFieldName('left');
    const value = node.childForFieldName('right');
    if (left?.type === 'identifier' && value) bindings.push({ name: left.text, value });
  });
  for (let changed = true; changed; ) {
    changed = false;
    for (const { name, value } of bindings) {
      if (received.has(name) || !receivedExpression(value, received, file, modules)) continue;
      received.add(name);
      changed = true;
    }
  }
  return received;
}

/** Data the workflow received: a received name, what is read from it, or an awaited activity or child workflow result. */
function receivedExpression(node: PythonNode, received: Set<string>, file: string, modules: PythonModules): boolean {
  const expression = unparenthesize(node);
  switch (expression.type) {
    case 'identifier':
      return received.has(expression.text);
    case 'attribute': {
      const object = expression.childForFieldName('object');
      return object !== null && object.text !== 'self' && receivedExpression(object, received, file, modules);
    }
    case 'subscript': {
      const value = expression.childForFieldName('value');
      return value !== null && receivedExpression(value, received, file, modules);
    }
    case 'await': {
      const inner = namedChildrenOf(expression)[0];
      const callee = inner?.type === 'call' ? inner.childForFieldName('function') : undefined;
      const name = callee ? modules.qualifiedName(file, callee) : undefined;
      return name !== undefined && /^temporalio\.workflow\.execute_(?:local_)?(?:activity|child_workflow)/.test(name);
    }
    case 'call': {
      const callee = expression.childForFieldName('function');
      if (callee?.type === 'attribute' && READS.has(callee.childForFieldName('attribute')?.text ?? '')) {
        const object = callee.childForFieldName('object');
        return object !== null && receivedExpression(object, received, file, modules);
      }
      const first = callArguments(expression).positional[0];
      // A model validated from received data holds that data: its fields are still unchecked strings and numbers.
      if (callee?.type === 'attribute' && VALIDATE_METHODS.has(callee.childForFieldName('attribute')?.text ?? '')) {
        return first !== undefined && receivedExpression(first, received, file, modules);
      }
      return callee?.type === 'identifier' && callee.text === 'str' && first !== undefined && receivedExpression(first, received, file, modules);
    }
    default:
      return false;
  }
}

/** `A.B` or `B` spelled like a class (capitalised last name). */
function isClassName(node: PythonNode): boolean {
  const last = node.type === 'attribute' ? node.childForFieldName('attribute')?.text : node.type === 'identifier' ? node.text : undefined;
  return last !== undefined && /^[A-Z]/.test(last);
}

/** A project class that derives from Enum (IntEnum, StrEnum, Flag), directly or through project classes. */
function isEnumClass(callee: PythonNode, file: string, modules: PythonModules, depth = 0): boolean {
  if (depth > 5 || (callee.type !== 'identifier' && callee.type !== 'attribute')) return false;
  const definition = classDefinition(callee, file, modules);
  if (definition?.kind !== 'class') return false;
  const superclasses = definition.node.childForFieldName('superclasses');
  for (const base of superclasses ? namedChildrenOf(superclasses) : []) {
    if (base.type !== 'identifier' && base.type !== 'attribute') continue;
    const qualified = modules.qualifiedName(definition.file, base) ?? '';
    if (qualified.startsWith('enum.') && ENUM_BASES.has(qualified.slice('enum.'.length))) return true;
    if (isEnumClass(base, definition.file, modules, depth + 1)) return true;
  }
  return false;
}

/**
 * The argument is a parameter annotated with the class itself: `Status(status)` with
 * `status: Status`, `Order.model_validate(order)` with `order: Order` return the value unchanged.
 */
function alreadyOfClass(argument: PythonNode, cls: PythonNode, fn: PythonNode): boolean {
  const target = unparenthesize(argument);
  if (target.type !== 'identifier') return false;
  const parameters = fn.childForFieldName('parameters');
  for (const parameter of parameters ? namedChildrenOf(parameters) : []) {
    if (parameterName(parameter) !== target.text) continue;
    const annotation = parameter.childForFieldName('type')?.text ?? '';
    const className = cls.type === 'attribute' ? cls.childForFieldName('attribute')?.text : cls.text;
    return className !== undefined && new RegExp(`(?:^|[.\\s|\\[])${className}(?:$|[\\s|\\]])`).test(annotation);
  }
  return false;
}

/**
 * `a, b = text.split(sep)` (or rsplit) of received text into a fixed number of names: ValueError
 * when the text holds another number of parts. Not when a starred name takes the rest, when a
 * maxsplit bounds the parts, nor when the function tests for the separator (`if "/" in text:`).
 */
function splitUnpacked(assignment: PythonNode, body: PythonNode, isReceived: (node: PythonNode) => boolean): boolean {
  const left = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  if (!left || !right || (left.type !== 'pattern_list' && left.type !== 'tuple_pattern')) return false;
  if (namedChildrenOf(left).some((n) => n.type === 'list_splat_pattern')) return false;
  const call = unparenthesize(right);
  const callee = call.type === 'call' ? call.childForFieldName('function') : undefined;
  if (callee?.type !== 'attribute' || !['split', 'rsplit'].includes(callee.childForFieldName('attribute')?.text ?? '')) return false;
  const text = callee.childForFieldName('object');
  if (!text || !isReceived(text)) return false;
  const args = callArguments(call);
  // `owner, name = text.split("/", 1)`: at most two parts, so only a missing separator fails, and a
  // value the project formats itself (f"{owner}/{name}") always has it. Left alone.
  if (args.positional.length > 1 || args.keywords.has('maxsplit')) return false;
  const separator = args.positional[0] ?? args.keywords.get('sep');
  if (!separator) return true;
  // The code tests for the separator or counts it: the unpacking is guarded.
  for (const test of body.descendantsOfType(['comparison_operator', 'call'])) {
    if (!test) continue;
    if (test.type === 'comparison_operator' && /\bin\b/.test(test.text) && test.text.includes(separator.text)) return false;
    if (test.type === 'call' && test.childForFieldName('function')?.childForFieldName('attribute')?.text === 'count' && test.text.includes(separator.text)) return false;
  }
  return true;
}

function oneLine(node: PythonNode): string {
  const [first, ...rest] = node.text.split('\n');
  const line = first!.length > 80 ? `${first!.slice(0, 80)}...` : first!;
  return rest.length ? `${line.trimEnd()} ...)` : line;
}
