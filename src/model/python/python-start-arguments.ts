// Starts whose positional arguments the started workflow's run method cannot take
// (workflow-start-arguments-mismatch). The Python SDK decodes the start's payloads and calls
// `run(self, *args)`: one argument more than the method takes, or one required parameter left
// without an argument, raises TypeError in workflow code, which fails the workflow task, and the
// server retries that task until the code changes (temporalio 1.35.0,
// worker/_workflow_instance.py: _convert_payloads drops the type hints when their count differs
// from the payloads', then execute_workflow calls run_fn(*args); the TypeError is not a
// FailureError, so _run_top_level_workflow_function keeps it as the activation error).
//
// Only what is certain is read: a literal `args=[...]` / `args=(...)` list without `*`, or the
// single `arg` (positionally after the workflow or as `arg=`), or no argument at all; the workflow
// named directly (class, `Cls.run`, a string literal) or read from a dict literal of string values
// (`WORKFLOWS.get(kind)` / `WORKFLOWS[kind]`) assigned once in the same function; a run method
// written in the class, with no other decorator and no required keyword-only parameter.

import { startArguments, startCallee, type PythonStartCall } from './python-forwarded-calls.js';
import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { localValues, parameterName, parameterOf } from './python-local-values.js';
import { resolvePythonValue } from './python-values.js';
import { callArguments, classMembers, decoratorsOf, enclosing, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import { workflowTypeOf, type Context, type PythonWorkflow } from './python-temporal-calls.js';

export interface StartArgumentTarget {
  /** The workflow type and class. */
  name: string;
  className: string;
  /** The run method. */
  run: SourceLocation;
  /** The positional arguments it takes (self left out); max null: `*args`. */
  min: number;
  max: number | null;
  /** The parameters as written (self left out), for the message. */
  parameters: string;
  /** The dict key that selects this workflow, when the type is read from a dict. */
  key?: string;
  /** The dict entry, when the type is read from a dict. */
  entry?: SourceLocation;
}

export interface StartArgumentMismatch {
  location: SourceLocation;
  /** `client.start_workflow`, `workflow.execute_child_workflow`. */
  callText: string;
  child: boolean;
  /** How many positional arguments the start passes. */
  given: number;
  /** The arguments as written (`args=[...]`, a positional argument, or nothing). */
  argumentsText: string;
  /** How the workflow is named (`workflow_map.get(task["task_type"])` through `workflow_name`), when read from a dict. */
  via?: { text: string; map: SourceLocation; mapName: string };
  /** The candidate workflows whose run method cannot take `given` arguments. */
  targets: StartArgumentTarget[];
}

export interface Signature {
  min: number;
  max: number | null;
  parameters: string;
}

export function pythonStartArgumentMismatches(
  startCalls: PythonStartCall[],
  context: Context,
): StartArgumentMismatch[] {
  const found: StartArgumentMismatch[] = [];
  for (const start of startCalls) {
    const mismatch = startMismatch(start, context);
    if (mismatch) found.push(mismatch);
  }
  return found;
}

function startMismatch(start: PythonStartCall, context: Context): StartArgumentMismatch | undefined {
  const { call, file, child } = start;
  const args = startArguments(start);
  if (args.starred || args.spreads.length > 0) return undefined;
  const callee = startCallee(start);
  if (!callee) return undefined;
  if (!child) {
    // The SDK's Client.start_workflow / execute_workflow take id and task_queue as required
    // keywords: a call without them is some other start_workflow (a project wrapper).
    if (!args.keywords.has('id') || !args.keywords.has('task_queue')) return undefined;
    if (ownMethodOfClass(callee)) return undefined;
  }
  const workflowNode = args.positional[0] ?? args.keywords.get('workflow');
  if (!workflowNode) return undefined;
  const extra = args.positional[0] ? args.positional.slice(1) : args.positional;
  const count = argumentCount(extra, args.keywords.get('arg'), args.keywords.get('args'));
  if (!count) return undefined;
  const candidates = workflowCandidates(workflowNode, file, context);
  if (!candidates) return undefined;
  const targets: StartArgumentTarget[] = [];
  for (const candidate of candidates.names) {
    const definitions = context.workflows.filter((w) => w.name === candidate.name);
    if (definitions.length !== 1) continue;
    const workflow = definitions[0]!;
    const signature = runSignature(workflow, context.modules);
    if (!signature) continue;
    if (count.given >= signature.min && (signature.max === null || count.given <= signature.max)) continue;
    targets.push({
      name: workflow.name,
      className: workflow.className,
      run: workflow.run!,
      min: signature.min,
      max: signature.max,
      parameters: signature.parameters,
      ...(candidate.key !== undefined ? { key: candidate.key } : {}),
      ...(candidate.entry ? { entry: candidate.entry } : {}),
    });
  }
  if (targets.length === 0) return undefined;
  return {
    location: locateNode(file, call),
    callText: callee.text,
    child,
    given: count.given,
    argumentsText: count.text,
    ...(candidates.via ? { via: candidates.via } : {}),
    targets,
  };
}

/** `self.start_workflow(...)` inside a class that defines start_workflow itself: the project's wrapper. */
function ownMethodOfClass(callee: PythonNode): boolean {
  const object = callee.childForFieldName('object');
  if (!object || !['self', 'cls'].includes(object.text)) return false;
  const cls = enclosing(callee, ['class_definition']);
  const method = callee.childForFieldName('attribute')?.text;
  return !!cls && classMembers(cls).some((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === method);
}

export function argumentCount(extra: PythonNode[], arg: PythonNode | undefined, list: PythonNode | undefined): { given: number; text: string } | undefined {
  if (extra.length > 1) return undefined;
  const single = extra[0] ?? arg;
  if (single && list) return undefined;
  if (single) return { given: 1, text: `one argument (${shorten(single.text)})` };
  if (!list) return { given: 0, text: 'no argument' };
  const value = unparenthesize(list);
  if (value.type !== 'list' && value.type !== 'tuple') return undefined;
  const elements = namedChildrenOf(value).filter((e) => e.type !== 'comment');
  if (elements.some((e) => e.type === 'list_splat' || e.type === 'parenthesized_list_splat')) return undefined;
  const text = `args=[${elements.map((e) => shorten(e.text)).join(', ')}]`;
  return { given: elements.length, text: elements.length === 0 ? 'no argument (args=[])' : `${elements.length} argument${elements.length > 1 ? 's' : ''} (${text})` };
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}

interface Candidates {
  names: { name: string; key?: string; entry?: SourceLocation }[];
  via?: { text: string; map: SourceLocation; mapName: string };
}

/** The workflow types a start's workflow argument can name; undefined when unknown. */
function workflowCandidates(node: PythonNode, file: string, context: Context): Candidates | undefined {
  const target = unparenthesize(node);
  const direct = workflowTypeOf(target, file, context);
  if (direct) return { names: [{ name: direct }] };
  let lookup = target;
  if (target.type === 'identifier') {
    const values = localValues(target, file);
    if (!values || values.length !== 1) return undefined;
    lookup = unparenthesize(values[0]!.node);
  }
  const read = dictRead(lookup);
  if (!read) return undefined;
  const values = localValues(read.map, file);
  if (!values || values.length !== 1) return undefined;
  const dict = unparenthesize(values[0]!.node);
  if (dict.type !== 'dictionary' || mutated(read.map)) return undefined;
  const names: Candidates['names'] = [];
  for (const pair of namedChildrenOf(dict)) {
    if (pair.type === 'comment') continue;
    if (pair.type !== 'pair') return undefined;
    const key = pair.childForFieldName('key');
    const value = pair.childForFieldName('value');
    const keyText = key ? stringLiteral(key) : undefined;
    const name = value ? workflowTypeOf(value, file, context) : undefined;
    if (keyText === undefined || !name) return undefined;
    names.push({ name, key: keyText, entry: locateNode(file, pair) });
  }
  return {
    names,
    via: { text: shorten(lookup.text), map: locateNode(file, dict), mapName: read.map.text },
  };
}

/** `name.get(key)` (one argument) or `name[key]` on a plain name. */
function dictRead(node: PythonNode): { map: PythonNode } | undefined {
  if (node.type === 'subscript') {
    const value = node.childForFieldName('value');
    return value?.type === 'identifier' ? { map: value } : undefined;
  }
  if (node.type !== 'call') return undefined;
  const callee = node.childForFieldName('function');
  if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'get') return undefined;
  const object = callee.childForFieldName('object');
  const args = callArguments(node);
  if (object?.type !== 'identifier' || args.positional.length !== 1 || args.keywords.size > 0) return undefined;
  return { map: object };
}

/** The dict is changed in its function (`m.update(...)`, `m.setdefault(...)`, `m |= ...`), or handed elsewhere. */
function mutated(name: PythonNode): boolean {
  const fn = enclosing(name, ['function_definition']);
  if (!fn) return true;
  for (const use of fn.descendantsOfType('identifier')) {
    if (use?.text !== name.text || !use.parent) continue;
    const parent = use.parent;
    if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === use.id) {
      const attribute = parent.childForFieldName('attribute')?.text ?? '';
      if (['update', 'setdefault', '__setitem__'].includes(attribute)) return true;
    }
    if (parent.type === 'augmented_assignment') return true;
  }
  return false;
}

/** The positional arguments the run method takes, when certain. */
function runSignature(workflow: PythonWorkflow, modules: PythonModules): Signature | undefined {
  if (!workflow.run) return undefined;
  const defn = decoratorsOf(workflow.node).find((d) => modules.qualifiedName(workflow.file, d.expression) === 'temporalio.workflow.defn');
  if (defn?.call && callArguments(defn.call).keywords.get('dynamic')?.type === 'true') return undefined;
  const runs = classMembers(workflow.node).filter(
    (member) => member.type === 'function_definition' && decoratorsOf(member).some((d) => modules.qualifiedName(workflow.file, d.expression) === 'temporalio.workflow.run'),
  );
  if (runs.length !== 1) return undefined;
  const run = runs[0]!;
  // Another decorator may wrap the method and change what it takes.
  if (decoratorsOf(run).length !== 1) return undefined;
  return positionalSignature(run, true);
}

/**
 * The positional arguments a function takes, when certain: min (its required positional
 * parameters) and max (null with `*args`), `self` left out when `bound`. Undefined for a parameter
 * of a kind not read, or a required keyword-only parameter (no positional call can fill it).
 */
export function positionalSignature(fn: PythonNode, bound: boolean): Signature | undefined {
  const parameters = fn.childForFieldName('parameters');
  if (!parameters) return undefined;
  const list = namedChildrenOf(parameters).filter((p) => p.type !== 'comment');
  if (bound && list.length === 0) return undefined;
  let min = 0;
  let max: number | null = 0;
  let keywordOnly = false;
  const written: string[] = [];
  for (const parameter of bound ? list.slice(1) : list) {
    const kind = parameterKind(parameter);
    if (kind === 'unknown') return undefined;
    written.push(parameter.text.replace(/\s+/g, ' '));
    if (kind === 'positional-separator') continue;
    if (kind === 'keyword-separator') {
      keywordOnly = true;
      continue;
    }
    if (kind === 'varargs') {
      max = null;
      keywordOnly = true;
      continue;
    }
    if (kind === 'kwargs') continue;
    if (keywordOnly) {
      // A required keyword-only parameter: no start can fill it; not this check's case.
      if (kind === 'required') return undefined;
      continue;
    }
    if (max !== null) max++;
    if (kind === 'required') min++;
  }
  return { min, max, parameters: written.join(', ') };
}

type ParameterKind = 'required' | 'optional' | 'varargs' | 'kwargs' | 'keyword-separator' | 'positional-separator' | 'unknown';

function parameterKind(parameter: PythonNode): ParameterKind {
  switch (parameter.type) {
    case 'identifier':
      return 'required';
    case 'default_parameter':
    case 'typed_default_parameter':
      return 'optional';
    case 'list_splat_pattern':
      return 'varargs';
    case 'dictionary_splat_pattern':
      return 'kwargs';
    case 'keyword_separator':
      return 'keyword-separator';
    case 'positional_separator':
      return 'positional-separator';
    case 'typed_parameter': {
      const inner = namedChildrenOf(parameter)[0];
      if (inner?.type === 'identifier') return 'required';
      if (inner?.type === 'list_splat_pattern') return 'varargs';
      if (inner?.type === 'dictionary_splat_pattern') return 'kwargs';
      return 'unknown';
    }
    default:
      return 'unknown';
  }
}

/**
 * The keyword parameters of the SDK's start calls (temporalio 1.35.0, from
 * `inspect.signature`): every option is keyword-only and none of them takes `**kwargs`, so a
 * keyword the list does not hold raises TypeError in the caller before anything reaches the server.
 */
const CLIENT_START_KEYWORDS = new Set([
  'workflow', 'arg', 'args', 'id', 'task_queue', 'result_type', 'execution_timeout', 'run_timeout', 'task_timeout', 'id_reuse_policy',
  'id_conflict_policy', 'retry_policy', 'cron_schedule', 'memo', 'search_attributes', 'static_summary', 'static_details', 'start_delay',
  'start_signal', 'start_signal_args', 'rpc_metadata', 'rpc_timeout', 'request_eager_start', 'priority', 'versioning_override', 'stack_level',
]);
const CHILD_START_KEYWORDS = new Set([
  'workflow', 'arg', 'args', 'id', 'task_queue', 'result_type', 'cancellation_type', 'parent_close_policy', 'execution_timeout', 'run_timeout',
  'task_timeout', 'id_reuse_policy', 'retry_policy', 'cron_schedule', 'memo', 'search_attributes', 'versioning_intent', 'static_summary',
  'static_details', 'event_groups', 'priority', 'versioning_override',
]);
/** Names a function gives a dict of the workflow's own parameters. */
const WORKFLOW_ARGUMENT_NAMES = /^(args|arguments|workflow_args|workflow_arguments|workflow_input|workflow_params|params|parameters|inputs?)$/;

export interface StartKeywordSpread {
  location: SourceLocation;
  /** `client.start_workflow`, `workflow.execute_child_workflow`. */
  callText: string;
  child: boolean;
  /** The `**` operand as written. */
  spread: string;
  /** Keys of the spread dict the start call does not take; empty when the dict's keys are not known. */
  unknownKeys: string[];
  /** The parameter the spread reads, when its keys are not known. */
  parameter?: SourceLocation;
}

/**
 * Starts that expand a dict of the workflow's parameters into keyword arguments
 * (`client.start_workflow(wf, **args, id=..., task_queue=...)`): the SDK's start calls take only
 * their own options as keywords, so the call raises TypeError and no run starts. Read when the
 * dict resolves to literal keys and one of them is no option of the call, or when it is a
 * parameter of the enclosing function named as the workflow's arguments (`args`, `params`) and the
 * call passes no `arg`/`args` of its own while writing id and task_queue itself.
 */
export function pythonStartKeywordSpreads(startCalls: PythonStartCall[], modules: PythonModules): StartKeywordSpread[] {
  const found: StartKeywordSpread[] = [];
  for (const start of startCalls) {
    const { call, file, child } = start;
    const args = startArguments(start);
    if (args.spreads.length === 0) continue;
    const callee = startCallee(start);
    if (!callee) continue;
    if (!child && (!args.keywords.has('id') || !args.keywords.has('task_queue') || ownMethodOfClass(callee))) continue;
    const accepted = child ? CHILD_START_KEYWORDS : CLIENT_START_KEYWORDS;
    const passesArguments = args.positional.length > 1 || args.keywords.has('arg') || args.keywords.has('args') || args.starred;
    for (const operand of args.spreads) {
      const value = resolvePythonValue(operand, file, modules);
      if (value.kind === 'object') {
        const unknownKeys = [...value.properties.keys()].filter((key) => !accepted.has(key));
        if (unknownKeys.length === 0) continue;
        found.push({ location: locateNode(file, call), callText: callee.text, child, spread: operand.text, unknownKeys });
        continue;
      }
      if (value.kind !== 'unknown' || passesArguments || operand.type !== 'identifier' || !WORKFLOW_ARGUMENT_NAMES.test(operand.text)) continue;
      const fn = parameterOf(operand);
      const parameters = fn?.childForFieldName('parameters');
      const parameter = parameters ? namedChildrenOf(parameters).find((p) => parameterName(p) === operand.text) : undefined;
      // `**params` in the signature forwards whatever the caller passed: options as likely as arguments.
      if (!parameter || parameter.type === 'dictionary_splat_pattern' || namedChildrenOf(parameter)[0]?.type === 'dictionary_splat_pattern') continue;
      // reassigned in the function: the value is not (only) the caller's
      if (fn!.descendantsOfType(['assignment', 'augmented_assignment']).some((a) => a?.childForFieldName('left')?.text === operand.text)) continue;
      found.push({ location: locateNode(file, call), callText: callee.text, child, spread: operand.text, unknownKeys: [], parameter: locateNode(file, parameter) });
    }
  }
  return found;
}
