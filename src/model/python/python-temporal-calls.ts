// The Temporal structure of a Python project: `@workflow.defn` classes with their run method and
// handlers, the activity calls workflow code makes (each `workflow.execute_activity(...)` fixes
// its own options, so each is one ActivityProxyFacts), `Worker(...)` registrations and workflow
// starts from clients and from workflow code.

import path from 'node:path';
import type { ActivityProxyFacts, SourceLocation, StaticObject, StaticValue, WorkerFacts, WorkflowStartFacts, WorkflowStartMethod } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import type { PythonModules } from './python-modules.js';
import { loopDictValues, scheduleOfAction } from './python-schedule-actions.js';
import { callArguments, classMembers, decoratorsOf, descendantsInScope, enclosing, locateNode, moduleStatements, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import { pythonTruth, resolvePythonValue, spreadInto, withParameterValues, type PythonStaticValue } from './python-values.js';
import { isPassThroughStart } from './python-start-receivers.js';
import { pythonReleaseSource } from './python-release-names.js';
import { localValues, parameterOf } from './python-local-values.js';
import { commentedRetryOptions, pythonActivityCallHandling, pythonWaitAfterCatch } from './python-activity-call-handling.js';
import { pythonActivityFailureContained } from './python-contained-failures.js';
import { forwardedCall, type PythonStartCall } from './python-forwarded-calls.js';
import { pythonStartPlacement } from './python-workflow-concurrency.js';
import { activityWrappers, bindWrapperCall, calledWrapper, parameterActivities, rebound, type ActivityWrapper, type WrapperBinding } from './python-activity-wrappers.js';

export interface PythonWorkflowHandler {
  kind: 'signal' | 'query' | 'update';
  name: string;
  location: SourceLocation;
}

export interface PythonWorkflow {
  /** The workflow type: `@workflow.defn(name=...)` or the class name. */
  name: string;
  className: string;
  file: string;
  location: SourceLocation;
  /** The `@workflow.run` method, when found. */
  run: SourceLocation | null;
  handlers: PythonWorkflowHandler[];
  /** `sandboxed=False` on the decorator. */
  sandboxed: boolean;
  /** Ids of workers that register the class. */
  workerIds: string[];
  /** The last line of the class (decorators and body included). */
  endLine: number;
  node: PythonNode;
}

export interface PythonWorker extends WorkerFacts {
  /** Workflow types registered by `workflows=[...]`, or 'unknown'. */
  workflowNames: string[] | 'unknown';
  /**
   * When workflowNames is 'unknown' only because some elements of a literal list are bare names
   * that resolve to nothing: the workflow types of the other elements, and those names. When the
   * names are imports the module cannot make (build-python-model.ts sets loadFailure), the list is
   * what the worker registers once the module loads.
   */
  partialWorkflows?: { names: string[]; unresolved: string[] };
  /**
   * The module-level imports of the worker's file that raise ImportError (a name the project module
   * does not define): the module cannot load, so the worker does not start at all.
   */
  loadFailure?: { location: SourceLocation; statement: string }[];
  /** The workflow types partialWorkflows names, when every unresolved name is one of the failing imports. */
  workflowsOnceLoaded?: string[];
  /**
   * When activities=... is a name each arm of one if/elif/else before the Worker(...) call assigns
   * a list: the arms (activityNames then holds every type any arm registers, see ListBranches).
   */
  activityBranches?: ListBranches;
  /** The same for workflows=... (workflowNames holds every type any arm registers). */
  workflowBranches?: ListBranches;
  /**
   * The activity functions the worker registers, when its activity list is read to the end (every
   * arm's, for activityBranches); `byMethodName` when a `x.method` item was matched by the method
   * name alone (the only activity class with that method), not by the instance's class.
   */
  registeredActivities?: { activity: PythonActivity; byMethodName?: boolean }[];
}

/** The arms of an if/elif/else that each assign the list a Worker(...) argument names: the worker registers one arm's list. */
export interface ListBranches {
  /** The name the arms assign (`activities`). */
  variable: string;
  /** The line of the `if`. */
  line: number;
  /** Each arm, in order: its head (`if settings.mode == "scraper"`, `elif ...`, `else`) and the line of its assignment. */
  arms: { head: string; line: number }[];
}

/** An activity call that names its activity by the function's definition (activity-type-collision). */
export interface ActivityTarget {
  /** The ActivityProxyFacts id of the call. */
  proxyId: string;
  activity: PythonActivity;
}

/** The SDK's activity-scheduling functions (temporalio.workflow), all with keyword-only options. */
const ACTIVITY_CALLS: Record<string, 'remote' | 'local'> = {
  execute_activity: 'remote',
  start_activity: 'remote',
  execute_activity_method: 'remote',
  start_activity_method: 'remote',
  execute_activity_class: 'remote',
  start_activity_class: 'remote',
  execute_local_activity: 'local',
  start_local_activity: 'local',
  execute_local_activity_method: 'local',
  start_local_activity_method: 'local',
  execute_local_activity_class: 'local',
  start_local_activity_class: 'local',
};

const CHILD_STARTS: Record<string, WorkflowStartMethod> = { execute_child_workflow: 'executeChild', start_child_workflow: 'startChild' };
const CLIENT_STARTS: Record<string, WorkflowStartMethod> = { start_workflow: 'start', execute_workflow: 'execute' };

/** The activity option keywords in the engine's vocabulary (the TypeScript SDK's option names). */
const ACTIVITY_OPTION_NAMES: Record<string, string> = {
  start_to_close_timeout: 'startToCloseTimeout',
  schedule_to_close_timeout: 'scheduleToCloseTimeout',
  schedule_to_start_timeout: 'scheduleToStartTimeout',
  heartbeat_timeout: 'heartbeatTimeout',
  local_retry_threshold: 'localRetryThreshold',
  retry_policy: 'retry',
  task_queue: 'taskQueue',
};

const WORKER_OPTION_NAMES: Record<string, string> = {
  task_queue: 'taskQueue',
  max_concurrent_activities: 'maxConcurrentActivityTaskExecutions',
  max_concurrent_local_activities: 'maxConcurrentLocalActivityExecutions',
  max_concurrent_workflow_tasks: 'maxConcurrentWorkflowTaskExecutions',
  graceful_shutdown_timeout: 'shutdownGraceTime',
  max_cached_workflows: 'maxCachedWorkflows',
};

const START_OPTION_NAMES: Record<string, string> = { id: 'workflowId', task_queue: 'taskQueue', search_attributes: 'searchAttributes', typed_search_attributes: 'typedSearchAttributes' };

export function extractWorkflows(files: string[], modules: PythonModules): PythonWorkflow[] {
  const workflows: PythonWorkflow[] = [];
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root) continue;
    for (const statement of moduleStatements(root)) {
      if (statement.type !== 'class_definition') continue;
      const decorator = decoratorsOf(statement).find((d) => modules.qualifiedName(file, d.expression) === 'temporalio.workflow.defn');
      const nameNode = statement.childForFieldName('name');
      if (!decorator || !nameNode) continue;
      const args = decorator.call ? callArguments(decorator.call) : undefined;
      const override = args?.keywords.get('name') ?? args?.positional[0];
      let run: SourceLocation | null = null;
      const handlers: PythonWorkflowHandler[] = [];
      for (const member of classMembers(statement)) {
        if (member.type !== 'function_definition') continue;
        const memberName = member.childForFieldName('name');
        for (const d of decoratorsOf(member)) {
          const qualified = modules.qualifiedName(file, d.expression);
          if (qualified === 'temporalio.workflow.run') run = locateNode(file, memberName ?? member);
          const kind = qualified?.replace(/^temporalio\.workflow\./, '');
          if (kind === 'signal' || kind === 'query' || kind === 'update') {
            const handlerArgs = d.call ? callArguments(d.call) : undefined;
            const given = handlerArgs?.keywords.get('name');
            handlers.push({ kind, name: (given && stringLiteral(given)) ?? memberName?.text ?? '', location: locateNode(file, memberName ?? member) });
          }
        }
      }
      workflows.push({
        name: (override && stringLiteral(override)) ?? nameNode.text,
        className: nameNode.text,
        file,
        location: locateNode(file, nameNode),
        run,
        handlers,
        sandboxed: args?.keywords.get('sandboxed')?.type !== 'false',
        workerIds: [],
        endLine: statement.endPosition.row + 1,
        node: statement,
      });
    }
  }
  return workflows;
}

export interface TemporalCalls {
  activityCalls: ActivityProxyFacts[];
  /** The activity function each call names by its definition (`Cls.method`, `function`), not by a string: the code the call means to run. */
  activityTargets: ActivityTarget[];
  starts: WorkflowStartFacts[];
  /** `ScheduleActionStartWorkflow(...)`: kept apart from the starts, which the other checks read as client starts. */
  scheduleActions: WorkflowStartFacts[];
  workers: PythonWorker[];
  /** The syntax of each start in `starts`, read while the trees live (workflow-start-arguments-mismatch). */
  startCalls: PythonStartCall[];
  /** The syntax of each direct `workflow.execute_activity(...)`-style call, read while the trees live (activity-arguments-mismatch). */
  activityCallSites: PythonActivityCallSite[];
}

/** A direct call of one of the SDK's activity-scheduling functions (`member`: `execute_activity`, `start_local_activity`, ...). */
export interface PythonActivityCallSite {
  call: PythonNode;
  file: string;
  member: string;
}

export function extractTemporalCalls(root: string, files: string[], modules: PythonModules, workflows: PythonWorkflow[], activities: PythonActivity[]): TemporalCalls {
  const result: TemporalCalls = { activityCalls: [], activityTargets: [], starts: [], scheduleActions: [], workers: [], startCalls: [], activityCallSites: [] };
  const context = { root, modules, workflows, activities };
  const sdkActivityCalls: { call: PythonNode; file: string; member: string; proxy: ActivityProxyFacts }[] = [];
  for (const file of files) {
    const tree = modules.files.get(file)?.tree;
    if (!tree) continue;
    for (const call of tree.rootNode.descendantsOfType('call')) {
      if (!call) continue;
      const callee = call.childForFieldName('function');
      if (!callee) continue;
      const qualified = modules.qualifiedName(file, callee);
      const member = qualified?.startsWith('temporalio.workflow.') ? qualified.slice('temporalio.workflow.'.length) : undefined;
      if (member && ACTIVITY_CALLS[member]) {
        const proxy = activityCall(call, file, member, context);
        result.activityCalls.push(proxy);
        if (proxy.target) result.activityTargets.push({ proxyId: proxy.id, activity: proxy.target });
        delete proxy.target;
        sdkActivityCalls.push({ call, file, member, proxy });
        result.activityCallSites.push({ call, file, member });
      }
      else if (member && CHILD_STARTS[member]) {
        result.starts.push(start(call, file, CHILD_STARTS[member], true, context));
        result.startCalls.push({ call, file, child: true });
      }
      else if (qualified === 'temporalio.worker.Worker') result.workers.push(worker(call, file, context));
      else if (qualified === 'temporalio.client.ScheduleActionStartWorkflow' || isLocallyImported(callee, file, modules, 'temporalio.client', 'ScheduleActionStartWorkflow')) result.scheduleActions.push(scheduleAction(call, file, context));
      else if (callee.type === 'attribute' && !qualified?.startsWith('temporalio.workflow.')) {
        const method = CLIENT_STARTS[callee.childForFieldName('attribute')?.text ?? ''];
        if (method && !isPassThroughStart(callee, file, modules)) {
          result.starts.push(start(call, file, method, false, context));
          result.startCalls.push({ call, file, child: false });
        }
      }
      // `async_to_sync(client.start_workflow)(...)`, `run_async(client.start_workflow, ...)`: the
      // start method run by a sync bridge, with the arguments the bridge forwards.
      const direct = callee.type === 'attribute' && CLIENT_STARTS[callee.childForFieldName('attribute')?.text ?? ''] !== undefined;
      if (!direct && !member && (callee.type === 'call' || callee.type === 'identifier' || callee.type === 'attribute')) {
        const forwarded = /start_workflow|execute_workflow/.test(call.text) ? forwardedCall(call, file, modules) : undefined;
        const target = forwarded?.target;
        const method = target?.type === 'attribute' ? CLIENT_STARTS[target.childForFieldName('attribute')?.text ?? ''] : undefined;
        if (forwarded && method && !isPassThroughStart(target!, file, modules)) {
          result.starts.push(start(call, file, method, false, context, forwarded.args));
          result.startCalls.push({ call, file, child: false, forwarded });
        }
      }
    }
  }
  addWrapperCalls(files, sdkActivityCalls, result, context);
  for (const worker of result.workers) {
    if (worker.workflowNames === 'unknown') continue;
    for (const workflow of workflows) if (worker.workflowNames.includes(workflow.name)) workflow.workerIds.push(worker.id);
  }
  return result;
}

/** `Name` imported inside the enclosing function (`from temporalio.client import Name` in a method body). */
function isLocallyImported(callee: PythonNode, file: string, modules: PythonModules, module: string, name: string): boolean {
  if (callee.type !== 'identifier') return false;
  const binding = modules.importBindingAt(file, callee.text, callee);
  return binding?.kind === 'name' && binding.module === module && binding.name === name;
}

export interface Context {
  root: string;
  modules: PythonModules;
  workflows: PythonWorkflow[];
  activities: PythonActivity[];
}

function idOf(root: string, location: SourceLocation): string {
  return `${path.relative(root, location.file).split(path.sep).join('/')}:${location.line}:${location.column}`;
}

function activityCall(call: PythonNode, file: string, member: string, context: Context): ActivityProxyFacts & { target?: PythonActivity } {
  const args = callArguments(call);
  // The activity is the first argument, or the `activity=` keyword (`execute_activity(activity=Cls.method, args=[...])`).
  const target = args.positional[0] ?? args.keywords.get('activity');
  const options = optionsObject(call, args, file, context.modules, ACTIVITY_OPTION_NAMES);
  return scheduledCall(call, file, member, target, options, `workflow.${member}`, commentedRetryOptions(call), context);
}

/**
 * The activity call a wrapper call makes (python-activity-wrappers.ts): at the caller, for the
 * activity it passes, with the options the wrapper's SDK call writes, its parameters replaced by
 * what the caller passes (or their defaults) and `**kwargs` by the caller's other keywords.
 */
function wrapperActivityCall(call: PythonNode, file: string, wrapper: ActivityWrapper, binding: WrapperBinding, target: PythonNode, context: Context): ActivityProxyFacts & { target?: PythonActivity } {
  const { modules } = context;
  const inner = callArguments(wrapper.inner);
  const raw: StaticObject<PythonNode> = { kind: 'object', properties: new Map(), unknownSpreads: [], location: locateNode(file, call) };
  const kwargs = wrapper.parameters.find((p) => p.kind === 'kwargs');
  // what the caller passes for each parameter the wrapper never rebinds, or the parameter's default
  const values = new Map<string, PythonStaticValue>();
  for (const parameter of wrapper.parameters) {
    if ((parameter.kind !== 'positional' && parameter.kind !== 'keyword') || rebound(wrapper.fn, parameter.name)) continue;
    const bound = binding.values.get(parameter.name);
    if (bound === 'default') {
      if (parameter.fallback) values.set(parameter.name, resolvePythonValue(parameter.fallback, wrapper.file, modules));
    } else if (bound) values.set(parameter.name, resolvePythonValue(bound.node, bound.file, modules));
  }
  withParameterValues(wrapper.fn, values, () => {
    for (const spread of inner.spreads) {
      const operand = unparenthesize(spread);
      if (kwargs && operand.type === 'identifier' && operand.text === kwargs.name && !mutatedDict(wrapper.fn, kwargs.name)) {
        for (const [key, node] of binding.extra) {
          raw.properties.delete(key);
          raw.properties.set(key, resolvePythonValue(node, file, modules));
        }
        continue;
      }
      const built = operand.type === 'identifier' ? builtDict(wrapper, operand.text, modules) : undefined;
      if (built) {
        for (const [key, value] of built.properties) {
          raw.properties.delete(key);
          raw.properties.set(key, value);
        }
        raw.unknownSpreads.push(...built.unknownSpreads);
      } else spreadInto(raw, spread, wrapper.file, modules, 0);
    }
    for (const [key, value] of inner.keywords) {
      raw.properties.delete(key);
      raw.properties.set(key, resolvePythonValue(value, wrapper.file, modules));
    }
  });
  const options = inEngineNames(raw, ACTIVITY_OPTION_NAMES);
  const commented = [...new Set([...commentedRetryOptions(wrapper.inner), ...commentedRetryOptions(call)])];
  return scheduledCall(call, file, wrapper.member, target, options, `workflow.${wrapper.member} (through ${wrapper.name})`, commented, context);
}

/**
 * The options dict a wrapper builds before its SDK call and spreads into it: one dict literal
 * assigned at the top of the wrapper's body, then keys set by `name["key"] = value`, each at the top
 * of the body or in an `if` of its own there (no elif/else) whose test is read with the caller's
 * arguments: a key set under a test that cannot be read holds an unknown value. Undefined when the
 * name is used any other way (passed to a function, updated, read in a closure, reassigned).
 */
function builtDict(wrapper: ActivityWrapper, name: string, modules: PythonModules): StaticObject<PythonNode> | undefined {
  const body = wrapper.fn.childForFieldName('body');
  if (!body) return undefined;
  let literal: PythonNode | undefined;
  const sets: { key: string; value: PythonNode; statement: PythonNode }[] = [];
  const innerIds = new Set(wrapper.innerCalls.map((c) => c.id));
  for (const use of wrapper.fn.descendantsOfType('identifier')) {
    if (use?.text !== name || !use.parent) continue;
    if (enclosing(use, ['function_definition', 'lambda'])?.id !== wrapper.fn.id) return undefined;
    const parent = use.parent;
    if (parent.type === 'assignment' && parent.childForFieldName('left')?.id === use.id) {
      const right = parent.childForFieldName('right');
      if (literal || right?.type !== 'dictionary' || parent.parent?.type !== 'expression_statement' || parent.parent.parent?.id !== body.id) return undefined;
      literal = right;
    } else if (parent.type === 'subscript' && parent.childForFieldName('value')?.id === use.id && parent.parent?.type === 'assignment' && parent.parent.childForFieldName('left')?.id === parent.id) {
      const index = parent.childForFieldName('subscript');
      const key = index ? stringLiteral(index) : undefined;
      const value = parent.parent.childForFieldName('right');
      const statement = parent.parent.parent;
      if (key === undefined || !value || statement?.type !== 'expression_statement') return undefined;
      sets.push({ key, value, statement });
    } else if (parent.type === 'dictionary_splat' && parent.parent?.type === 'argument_list' && innerIds.has(parent.parent.parent?.id ?? -1)) {
      continue;
    } else return undefined;
  }
  if (!literal) return undefined;
  const first = Math.min(...wrapper.innerCalls.map((c) => c.startIndex));
  const object = resolvePythonValue(literal, wrapper.file, modules);
  if (object.kind !== 'object') return undefined;
  for (const { key, value, statement } of sets.sort((a, b) => a.statement.startIndex - b.statement.startIndex)) {
    if (statement.endIndex > first || statement.startIndex < literal.endIndex) return undefined;
    let holds: boolean | undefined = true;
    if (statement.parent?.id !== body.id) {
      // `if heartbeat_seconds: kwargs["heartbeat_timeout"] = ...`, the if at the top of the body
      const block = statement.parent;
      const test = block?.parent;
      if (block?.type !== 'block' || test?.type !== 'if_statement' || test.parent?.id !== body.id || test.childForFieldName('consequence')?.id !== block.id) return undefined;
      if (test.childrenForFieldName('alternative').some((a) => a !== null)) return undefined;
      const condition = test.childForFieldName('condition');
      holds = condition ? pythonTruth(resolvePythonValue(condition, wrapper.file, modules)) : undefined;
    }
    if (holds === false) continue;
    object.properties.delete(key);
    object.properties.set(key, holds ? resolvePythonValue(value, wrapper.file, modules) : { kind: 'unknown', text: value.text, location: locateNode(wrapper.file, value), node: value });
  }
  return object;
}

/** The name's dict changed in place in the function (`kwargs.setdefault(...)`, `kwargs["x"] = ...`, `del kwargs["x"]`), or rebound. */
function mutatedDict(fn: PythonNode, name: string): boolean {
  if (rebound(fn, name)) return true;
  for (const attribute of fn.descendantsOfType('attribute')) {
    if (attribute?.childForFieldName('object')?.text === name && DICT_MUTATORS.has(attribute.childForFieldName('attribute')?.text ?? '')) return true;
  }
  return fn.descendantsOfType('delete_statement').some((statement) => statement?.descendantsOfType('identifier').some((id) => id?.text === name));
}

const DICT_MUTATORS = new Set(['setdefault', 'update', 'pop', 'popitem', 'clear']);

/**
 * Every call of a project's activity wrapper (python-activity-wrappers.ts) as an activity call at
 * the caller; the wrapper's own SDK call, whose activity is only a parameter, gives way to them.
 * A caller that passes a parameter of its own (a wrapper of the wrapper) is left out.
 */
function addWrapperCalls(files: string[], sdkCalls: { call: PythonNode; file: string; member: string; proxy: ActivityProxyFacts }[], result: TemporalCalls, context: Context): void {
  const wrappers = activityWrappers(sdkCalls);
  if (wrappers.size === 0) return;
  const names = new Set([...wrappers.values()].map((w) => w.name));
  const replaced = new Set<number>();
  for (const file of files) {
    const tree = context.modules.files.get(file)?.tree;
    if (!tree) continue;
    for (const call of tree.rootNode.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      const last = callee?.type === 'identifier' ? callee.text : callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
      if (!call || !last || !names.has(last)) continue;
      const wrapper = calledWrapper(call, file, context.modules, wrappers);
      const binding = wrapper ? bindWrapperCall(call, file, wrapper) : undefined;
      const bound = binding?.values.get(wrapper!.parameter);
      if (!wrapper || !binding || !bound || bound === 'default') continue;
      const passed = unparenthesize(bound.node);
      if (passed.type === 'identifier' && parameterOf(passed)) continue;
      const proxy = wrapperActivityCall(call, file, wrapper, binding, bound.node, context);
      result.activityCalls.push(proxy);
      if (proxy.target) result.activityTargets.push({ proxyId: proxy.id, activity: proxy.target });
      delete proxy.target;
      for (const inner of wrapper.innerCalls) replaced.add(inner.id);
    }
  }
  const dropped = new Set(sdkCalls.filter((c) => replaced.has(c.call.id)).map((c) => c.proxy));
  if (dropped.size === 0) return;
  result.activityCalls = result.activityCalls.filter((proxy) => !dropped.has(proxy));
  const ids = new Set([...dropped].map((proxy) => proxy.id));
  result.activityTargets = result.activityTargets.filter((target) => !ids.has(target.proxyId));
}

function scheduledCall(
  call: PythonNode,
  file: string,
  member: string,
  target: PythonNode | undefined,
  options: StaticValue,
  callText: string,
  commented: string[],
  context: Context,
): ActivityProxyFacts & { target?: PythonActivity } {
  const location = locateNode(file, call);
  const activity = target ? referencedActivity(target, file, context) : undefined;
  const workflow = enclosingWorkflow(call, context.workflows);
  const repeat = workflow ? repetitionAround(call) : undefined;
  return {
    id: idOf(context.root, location),
    kind: ACTIVITY_CALLS[member]!,
    origin: 'call',
    call: callText,
    language: 'python',
    location,
    options,
    implementationFiles: activity?.implementation ? [activity.implementation.file] : [],
    usedActivityTypes: activity ? [{ name: activity.name, location: locateNode(file, target!), ...(activity.guessed ? { guessed: true } : {}) }] : 'all',
    exposedActivityTypes: activity ? [activity.name] : [],
    workflowNames: workflow ? [workflow.name] : [],
    ...(repeat ? { repeatedAt: locateNode(file, repeat) } : {}),
    ...(workflow ? handlingOf(call, file, context.modules) : {}),
    ...(workflow && pythonActivityFailureContained(call, file, context.modules) ? { failureContained: true as const } : {}),
    ...(commented.length > 0 ? { commentedOptions: commented } : {}),
    ...(activity?.byDefinition && activity.implementation ? { target: activity.implementation } : {}),
  };
}

/** What the workflow does with the call's failure, and where it waits after catching it. */
function handlingOf(call: PythonNode, file: string, modules: PythonModules): Pick<ActivityProxyFacts, 'handling' | 'waitsAfterCatch'> {
  const handling = pythonActivityCallHandling(call, file, modules);
  const wait = handling === 'handled' ? pythonWaitAfterCatch(call, file, modules) : undefined;
  return { handling, ...(wait ? { waitsAfterCatch: locateNode(file, wait) } : {}) };
}

const REPEATING = new Set(['for_statement', 'while_statement', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression', 'lambda']);

/**
 * The loop, comprehension, lambda or nested function between a call and the workflow method it
 * sits in: such a call may run many times per execution (`asyncio.gather(*[... for x in xs])`).
 */
function repetitionAround(call: PythonNode): PythonNode | undefined {
  let inner: PythonNode | undefined;
  for (let current = call.parent; current && current.type !== 'class_definition'; current = current.parent) {
    if (REPEATING.has(current.type)) return current;
    if (current.type === 'function_definition') {
      if (inner) return inner;
      inner = current;
    }
  }
  return undefined;
}

/** The keyword arguments and `**` spreads of a call as one options object, keys in the engine's names. */
function optionsObject(call: PythonNode, args: ReturnType<typeof callArguments>, file: string, modules: PythonModules, names: Record<string, string>): StaticValue {
  const raw: StaticObject<PythonNode> = { kind: 'object', properties: new Map(), unknownSpreads: [], location: locateNode(file, call) };
  for (const spread of args.spreads) spreadInto(raw, spread, file, modules, 0);
  for (const [key, value] of args.keywords) {
    raw.properties.delete(key);
    raw.properties.set(key, resolvePythonValue(value, file, modules));
  }
  return inEngineNames(raw, names);
}

/** An options object with its keys in the engine's names, timeouts of zero left out. */
function inEngineNames(raw: StaticObject<PythonNode>, names: Record<string, string>): StaticValue {
  const renamed = new Map<string, PythonStaticValue>();
  for (const [key, value] of raw.properties) {
    // The SDK tests timeouts for truthiness: timedelta(0) is the same as not passing one.
    if (key.endsWith('_timeout') && value.kind === 'number' && value.value === 0) continue;
    renamed.set(names[key] ?? key, value);
  }
  return { ...raw, properties: renamed } as StaticValue;
}

/** The activity a call's first argument names: a string, a function, `module.function` or `Class.method`. */
function referencedActivity(node: PythonNode, file: string, context: Context, depth = 0): { name: string; implementation?: PythonActivity; guessed?: boolean; byDefinition?: boolean } | undefined {
  const target = unparenthesize(node);
  const literal = stringLiteral(target);
  if (literal !== undefined) return { name: literal, implementation: context.activities.find((a) => a.name === literal) };
  const definition = definitionOf(target, file, context.modules);
  if (definition) {
    const implementation = context.activities.find((a) => a.node.id === definition.id);
    if (implementation) return { name: implementation.name, implementation, byDefinition: true };
  }
  // A module alias of an activity (`run_sync_activity = RunSyncActivity.run`): the activity it names.
  const alias = target.type === 'identifier' && depth < 3 ? context.modules.lookup(file, target.text) : undefined;
  if (alias?.kind === 'assignment' && alias.value && (alias.value.type === 'identifier' || alias.value.type === 'attribute')) {
    const aliased = referencedActivity(alias.value, alias.file, context, depth + 1);
    if (aliased && !aliased.guessed && aliased.implementation) return aliased;
  }
  // A constant holding the activity type's name (`PROBE_ACTIVITY = "probe_activity"`).
  if (target.type === 'identifier' || target.type === 'attribute') {
    const value = resolvePythonValue(target, file, context.modules);
    if (value.kind === 'string' && !value.configurable) return { name: value.value, implementation: context.activities.find((a) => a.name === value.value) };
  }
  // Not found in the project (an installed package): the SDK's default name is the function's own.
  // A local name, a parameter or `self.x` holds a value the front-end did not follow: its text is
  // kept as the name for messages, marked as a guess.
  const last = target.type === 'attribute' ? target.childForFieldName('attribute')?.text : target.type === 'identifier' ? target.text : undefined;
  if (!last) return undefined;
  const imported = (name: PythonNode | null | undefined) => name?.type === 'identifier' && context.modules.importsOf(file).has(name.text);
  const sure = target.type === 'identifier' ? imported(target) : imported(target.childForFieldName('object'));
  return sure ? { name: last } : { name: last, guessed: true };
}

/**
 * The activity an SDK activity call's target names (a function, `module.function`, `Class.method`,
 * a string or a constant holding one) and its implementation in the project when found; a name
 * the front-end only guessed is marked so.
 */
export function scheduledActivity(target: PythonNode, file: string, context: Context): { name: string; implementation?: PythonActivity; guessed?: boolean; byDefinition?: boolean } | undefined {
  return referencedActivity(target, file, context);
}

/** The function or method definition an identifier, `module.name` or `Class.name` refers to. */
function definitionOf(node: PythonNode, file: string, modules: PythonModules): PythonNode | undefined {
  if (node.type === 'identifier') {
    const definition = modules.lookup(file, node.text);
    return definition?.kind === 'function' || definition?.kind === 'class' ? definition.node : undefined;
  }
  if (node.type !== 'attribute') return undefined;
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute')?.text;
  if (!object || !attribute) return undefined;
  if (object.type === 'identifier') {
    const binding = modules.importsOf(file).get(object.text);
    if (binding?.kind === 'module' && binding.file) {
      const definition = modules.lookup(binding.file, attribute);
      return definition?.node;
    }
  }
  const owner = definitionOf(object, file, modules);
  if (owner?.type !== 'class_definition') return undefined;
  return classMembers(owner).find((member) => member.type === 'function_definition' && member.childForFieldName('name')?.text === attribute);
}

function enclosingWorkflow(node: PythonNode, workflows: PythonWorkflow[]): PythonWorkflow | undefined {
  for (let classNode = enclosing(node, ['class_definition']); classNode; classNode = enclosing(classNode, ['class_definition'])) {
    const workflow = workflows.find((w) => w.node.id === classNode!.id);
    if (workflow) return workflow;
  }
  return undefined;
}

function start(call: PythonNode, file: string, method: WorkflowStartMethod, child: boolean, context: Context, forwardedArgs?: ReturnType<typeof callArguments>): WorkflowStartFacts {
  const args = forwardedArgs ?? callArguments(call);
  // The workflow is the first argument, or the `workflow=` keyword.
  const first = args.positional[0] ?? args.keywords.get('workflow');
  const named = first ? workflowTypeOf(first, file, context) : null;
  const candidates = named === null && first ? listElementTypes(first, file, context) : undefined;
  const workflowType = named ?? (candidates?.length === 1 ? candidates[0]! : null);
  return {
    location: locateNode(file, call),
    method,
    workflowType,
    workflowTypeText: first?.text ?? '',
    ...(candidates && workflowType === null ? { workflowTypeCandidates: candidates } : {}),
    child,
    options: optionsObject(call, args, file, context.modules, START_OPTION_NAMES),
    taskQueueRelease: args.keywords.get('task_queue') ? (pythonReleaseSource(args.keywords.get('task_queue')!, file, context.modules) ?? null) : null,
    placement: pythonStartPlacement(call, file, child, context.workflows, context.modules),
    ...(!child && method !== 'schedule' ? { awaitedResult: forwardedArgs ? null : awaitedResult(call, method) } : {}),
  };
}

/**
 * How a client start awaits the run's result in the same code path: `await client.execute_workflow(...)`,
 * or `handle = await client.start_workflow(...)` followed, in a later statement of the same block,
 * by `await handle.result()` (as a statement, an assignment's value or a return). A wait under an
 * `if`, in a loop or in another function, a task (`asyncio.create_task(...)`) or a handle handed on is
 * not; null then.
 */
function awaitedResult(call: PythonNode, method: WorkflowStartMethod): string | null {
  let holder = call;
  while (holder.parent?.type === 'parenthesized_expression') holder = holder.parent;
  if (holder.parent?.type !== 'await') return null;
  if (method === 'execute') return 'await client.execute_workflow(...)';
  let awaited = holder.parent;
  while (awaited.parent?.type === 'parenthesized_expression') awaited = awaited.parent;
  const assignment = awaited.parent;
  const handle = assignment?.type === 'assignment' && assignment.childForFieldName('right')?.id === awaited.id ? assignment.childForFieldName('left') : undefined;
  const statement = assignment?.parent;
  if (handle?.type !== 'identifier' || statement?.type !== 'expression_statement' || statement.parent?.type !== 'block' && statement.parent?.type !== 'module') return null;
  for (const later of namedChildrenOf(statement.parent)) {
    if (later.startIndex <= statement.startIndex) continue;
    let value: PythonNode | null | undefined;
    if (later.type === 'return_statement') value = namedChildrenOf(later)[0];
    else if (later.type === 'expression_statement') {
      const inner = namedChildrenOf(later)[0];
      value = inner?.type === 'assignment' ? inner.childForFieldName('right') : inner;
    }
    if (value?.type !== 'await') continue;
    const result = namedChildrenOf(value)[0];
    const callee = result?.type === 'call' ? result.childForFieldName('function') : undefined;
    if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'result' && callee.childForFieldName('object')?.text === handle.text) {
      return `${handle.text} = await client.start_workflow(...); await ${handle.text}.result()`;
    }
  }
  return null;
}

/** A schedule action: a start, with the schedule it belongs to (its id and overlap policy). */
function scheduleAction(call: PythonNode, file: string, context: Context): WorkflowStartFacts {
  const facts = start(call, file, 'schedule', false, context);
  const schedule = scheduleOfAction(call, file, context.modules);
  if (schedule) facts.schedule = schedule;
  return facts;
}

/**
 * The workflow types a start in a loop over a list written in the code passes (`s["workflow"]`, or
 * the element itself), in order and without repeats: undefined when one element names no type the
 * model can read (the start's type stays unknown rather than taken from one element).
 */
function listElementTypes(first: PythonNode, file: string, context: Context): string[] | undefined {
  const entries = loopDictValues(first, file, context.modules);
  const types = entries?.values.map((value) => workflowTypeOf(value, entries.file, context));
  return types && types.every((type) => type !== null) ? [...new Set(types as string[])] : undefined;
}

/** `MyWorkflow.run`, `MyWorkflow` or "MyWorkflow": the workflow type a start names. */
export function workflowTypeOf(node: PythonNode, file: string, context: Context): string | null {
  const target = unparenthesize(node);
  const literal = stringLiteral(target);
  if (literal !== undefined) return literal;
  const classRef = target.type === 'attribute' ? target.childForFieldName('object') : target;
  // A start often imports its workflow inside the function, to keep the client's imports light.
  const local = classRef?.type === 'identifier' ? context.modules.lookupAt(file, classRef.text, classRef) : undefined;
  const definition = local?.kind === 'class' ? local.node : classRef ? definitionOf(classRef, file, context.modules) : undefined;
  const workflow = definition ? context.workflows.find((w) => w.node.id === definition.id) : undefined;
  if (workflow) return workflow.name;
  // A name holding the type as a string (`workflow_type = "deploy"` before the start, a module
  // constant): the type by name. A value read from configuration is not the type as written.
  if (!definition && (target.type === 'identifier' || target.type === 'attribute')) {
    const value = resolvePythonValue(target, file, context.modules);
    if (value.kind === 'string' && !value.configurable) return value.value;
  }
  return null;
}

function worker(call: PythonNode, file: string, context: Context): PythonWorker {
  const args = callArguments(call);
  const location = locateNode(file, call);
  const options = optionsObject(call, args, file, context.modules, WORKER_OPTION_NAMES);
  const taskQueue = options.kind === 'object' ? options.properties.get('taskQueue') : undefined;
  const queueArgument = args.keywords.get('task_queue');
  const activitiesArg = args.keywords.get('activities');
  const workflowsArg = args.keywords.get('workflows');
  const hidden = args.spreads.length > 0 || args.starred;
  const workflowSet = workflowsArg ? branchedNames(workflowsArg, file, context, 'workflow') : undefined;
  const activitySet = activitiesArg ? branchedNames(activitiesArg, file, context, 'activity') : undefined;
  const workflowNames = workflowSet ? (workflowSet === 'unknown' ? 'unknown' : workflowSet.names) : hidden ? 'unknown' : [];
  const partial = workflowsArg && workflowNames === 'unknown' ? partialWorkflowNames(workflowsArg, file, context) : undefined;
  return {
    id: idOf(context.root, location),
    location,
    options,
    taskQueue,
    taskQueueRelease: queueArgument ? (pythonReleaseSource(queueArgument, file, context.modules) ?? null) : null,
    activityNames: activitySet ? (activitySet === 'unknown' ? 'unknown' : activitySet.names) : hidden ? 'unknown' : [],
    workflowNames,
    ...(partial ? { partialWorkflows: partial } : {}),
    ...(workflowSet && workflowSet !== 'unknown' && workflowSet.branches ? { workflowBranches: workflowSet.branches } : {}),
    ...(activitySet && activitySet !== 'unknown' && activitySet.branches ? { activityBranches: activitySet.branches } : {}),
    ...(activitySet && activitySet !== 'unknown' ? { registeredActivities: activitySet.activities } : !activitiesArg && !hidden ? { registeredActivities: [] } : {}),
  };
}

const MUTATORS = new Set(['append', 'extend', 'insert', 'remove', 'pop', 'clear']);

type RegisteredSet = { names: string[]; activities: { activity: PythonActivity; byMethodName?: boolean }[] };

/**
 * The names a `workflows=` / `activities=` argument registers: one list, or a name each arm of an
 * if/elif/else before the call assigns a list (`if mode == "scraper": activities = [...] else:
 * activities = [...]`), when every arm's list is read. The worker registers one arm's list; the
 * names are every type some arm registers, each as many times as the arm listing it most often
 * does (a type two arms both list is registered once; one an arm lists twice stays a duplicate).
 */
function branchedNames(node: PythonNode, file: string, context: Context, kind: 'activity' | 'workflow'): (RegisteredSet & { branches?: ListBranches }) | 'unknown' {
  const single = registeredSet(node, file, context, kind);
  if (single !== 'unknown') return single;
  const arms = branchLists(node, file);
  if (!arms) return 'unknown';
  const counts = new Map<string, number>();
  const activities: RegisteredSet['activities'] = [];
  for (const arm of arms.values) {
    const set = registeredSet(arm.node, arm.file, context, kind);
    if (set === 'unknown') return 'unknown';
    const here = new Map<string, number>();
    for (const name of set.names) here.set(name, (here.get(name) ?? 0) + 1);
    for (const [name, count] of here) counts.set(name, Math.max(counts.get(name) ?? 0, count));
    for (const entry of set.activities) if (!activities.some((known) => known.activity.node.id === entry.activity.node.id)) activities.push(entry);
  }
  const names = [...counts].flatMap(([name, count]) => Array<string>(count).fill(name)).sort();
  return { names, activities, branches: arms.branches };
}

/**
 * A local name that each arm of one if/elif/else assigns once, as a statement of the arm itself (an
 * arm may instead end in raise or return), when the if/elif/else has an else, comes before the use
 * and holds the use nowhere inside it:
 * whichever arm runs, the name holds that arm's value at the use. Undefined for anything else (a
 * name assigned before the if and again in one arm, an arm without the assignment, no else).
 */
function branchLists(node: PythonNode, file: string): { values: { node: PythonNode; file: string }[]; branches: ListBranches } | undefined {
  const target = unparenthesize(node);
  if (target.type !== 'identifier') return undefined;
  const values = localValues(target, file);
  if (!values || values.length < 2) return undefined;
  // a list the function changes after building it (`activities.append(extra)`) is not the one read
  const fn = enclosing(target, ['function_definition']);
  const mutated = fn?.descendantsOfType('attribute').some((attribute) => attribute?.childForFieldName('object')?.text === target.text && MUTATORS.has(attribute.childForFieldName('attribute')?.text ?? ''));
  if (mutated) return undefined;
  let chain: PythonNode | undefined;
  const armOf = new Map<number, PythonNode>();
  for (const value of values) {
    const assignment = value.node.parent;
    const statement = assignment?.type === 'assignment' ? assignment.parent : undefined;
    const block = statement?.type === 'expression_statement' ? statement.parent : undefined;
    const arm = block?.type === 'block' ? block.parent : undefined;
    if (!arm) return undefined;
    const ifNode = arm.type === 'if_statement' ? arm : arm.type === 'elif_clause' || arm.type === 'else_clause' ? arm.parent : undefined;
    if (!ifNode || ifNode.type !== 'if_statement' || (chain && chain.id !== ifNode.id)) return undefined;
    chain = ifNode;
    if (armOf.has(arm.id)) return undefined;
    armOf.set(arm.id, value.node);
  }
  if (!chain) return undefined;
  // the use comes after the whole if/elif/else, in the same function
  if (chain.endIndex > target.startIndex) return undefined;
  let inside = false;
  for (let ancestor = target.parent; ancestor && !inside; ancestor = ancestor.parent) inside = ancestor.id === chain.parent?.id;
  if (!inside) return undefined;
  const alternatives = chain.childrenForFieldName('alternative').filter((n): n is PythonNode => n !== null);
  if (!alternatives.some((alternative) => alternative.type === 'else_clause')) return undefined;
  // an arm that does not assign the name must leave the function (`else: raise ValueError(mode)`)
  const exits = (arm: PythonNode) => {
    const block = arm.childForFieldName(arm.type === 'else_clause' ? 'body' : 'consequence');
    const last = block ? namedChildrenOf(block).filter((statement) => statement.type !== 'comment').at(-1) : undefined;
    return last?.type === 'raise_statement' || last?.type === 'return_statement';
  };
  const allArms = [chain, ...alternatives];
  if (allArms.some((arm) => !armOf.has(arm.id) && !exits(arm))) return undefined;
  const armsInOrder = allArms.filter((arm) => armOf.has(arm.id));
  if (armsInOrder.length !== armOf.size) return undefined;
  const head = (arm: PythonNode) => {
    if (arm.type === 'else_clause') return 'else';
    const condition = arm.childForFieldName('condition')?.text.replace(/\s+/g, ' ') ?? '...';
    return `${arm.type === 'elif_clause' ? 'elif' : 'if'} ${condition.length > 60 ? `${condition.slice(0, 57)}...` : condition}`;
  };
  return {
    values: armsInOrder.map((arm) => ({ node: armOf.get(arm.id)!, file })),
    branches: {
      variable: target.text,
      line: chain.startPosition.row + 1,
      arms: armsInOrder.map((arm) => ({ head: head(arm), line: armOf.get(arm.id)!.parent!.startPosition.row + 1 })),
    },
  };
}

/**
 * The workflow types of a literal `workflows=[...]` list whose other elements are bare names that
 * resolve to nothing here; undefined when any element is something else (a splat, an attribute, a
 * name bound to something that is not a workflow).
 */
function partialWorkflowNames(node: PythonNode, file: string, context: Context): { names: string[]; unresolved: string[] } | undefined {
  const list = listNode(node, file, context.modules);
  if (!list) return undefined;
  const names: string[] = [];
  const unresolved: string[] = [];
  for (const element of namedChildrenOf(list.node)) {
    const target = unparenthesize(element);
    const definition = definitionAt(target, list.file, context.modules)?.node;
    const workflow = definition ? context.workflows.find((w) => w.node.id === definition.id) : undefined;
    if (workflow) names.push(workflow.name);
    else if (target.type === 'identifier' && !definition) unresolved.push(target.text);
    else return undefined;
  }
  return unresolved.length ? { names: names.sort(), unresolved } : undefined;
}

/** The names a `workflows=[...]` / `activities=[...]` list registers (with the activity functions); 'unknown' when an element does not resolve. */
function registeredSet(node: PythonNode, file: string, context: Context, kind: 'activity' | 'workflow'): RegisteredSet | 'unknown' {
  const list = listNode(node, file, context.modules);
  if (!list) return 'unknown';
  const names: string[] = [];
  const activities: RegisteredSet['activities'] = [];
  for (const element of namedChildrenOf(list.node)) {
    if (element.type === 'list_splat') {
      // `[*ACTIVITIES, extra]`: the names of a list constant.
      const operand = namedChildrenOf(element)[0];
      const inner = operand ? registeredSet(operand, list.file, context, kind) : 'unknown';
      if (inner === 'unknown') return 'unknown';
      names.push(...inner.names);
      activities.push(...inner.activities);
      continue;
    }
    const definition = definitionAt(unparenthesize(element), list.file, context.modules)?.node;
    if (kind === 'workflow') {
      const workflow = definition ? context.workflows.find((w) => w.node.id === definition.id) : undefined;
      if (!workflow) return 'unknown';
      names.push(workflow.name);
      continue;
    }
    const direct = definition ? context.activities.find((a) => a.node.id === definition.id) : undefined;
    if (direct) {
      names.push(direct.name);
      activities.push({ activity: direct });
      continue;
    }
    // `instance.method` of an activity class: the instance's class, when the code says which
    // (`MyActivities(client).fetch`, or a name assigned `MyActivities(...)`), and the method name pick
    // the activity; otherwise the method name alone, when one activity class has it.
    const method = element.type === 'attribute' ? element.childForFieldName('attribute')?.text : undefined;
    const object = element.type === 'attribute' ? element.childForFieldName('object') : undefined;
    const owner = object ? instanceClass(object, list.file, context.modules) : undefined;
    const candidates = owner
      ? context.activities.filter((a) => a.file === owner.file && a.className === owner.name && a.node.childForFieldName('name')?.text === method)
      : method
        ? context.activities.filter((a) => a.className && a.node.childForFieldName('name')?.text === method)
        : [];
    if (candidates.length !== 1) return 'unknown';
    names.push(candidates[0]!.name);
    activities.push({ activity: candidates[0]!, ...(owner ? {} : { byMethodName: true }) });
  }
  return { names: names.sort(), activities };
}

/** The class of `Class(...)`, or of a name whose only assignment (local or module) is `Class(...)`. */
function instanceClass(node: PythonNode, file: string, modules: PythonModules): { name: string; file: string } | undefined {
  const target = unparenthesize(node);
  let construction: { node: PythonNode; file: string } | undefined;
  if (target.type === 'call') construction = { node: target, file };
  else if (target.type === 'identifier') {
    const local = localValues(target, file);
    if (local) construction = local.length === 1 ? local[0] : undefined;
    else if (!parameterOf(target)) {
      const definition = modules.lookup(file, target.text);
      if (definition?.kind === 'assignment' && definition.value) construction = { node: definition.value, file: definition.file };
    }
  }
  const constructed = construction ? unparenthesize(construction.node) : undefined;
  const callee = constructed?.type === 'call' ? constructed.childForFieldName('function') : undefined;
  const definition = callee && construction ? definitionAt(callee, construction.file, modules) : undefined;
  if (definition?.node.type !== 'class_definition' || !definition.file) return undefined;
  const name = definition.node.childForFieldName('name')?.text;
  return name ? { name, file: definition.file } : undefined;
}

/**
 * The function or class an expression names, with the file it is defined in when known: a name
 * imported inside the enclosing function (`from app.activities import Fetch` in a wiring function)
 * counts too.
 */
function definitionAt(node: PythonNode, file: string, modules: PythonModules): { node: PythonNode; file?: string } | undefined {
  if (node.type === 'identifier') {
    const definition = modules.lookupAt(file, node.text, node);
    return definition?.kind === 'function' || definition?.kind === 'class' ? { node: definition.node, file: definition.file } : undefined;
  }
  const definition = definitionOf(node, file, modules);
  return definition ? { node: definition } : undefined;
}

/**
 * A list/tuple literal, following a module constant, a local assigned once, or a call of a project
 * function whose only return gives one (`activities=create_activities()`).
 */
function listNode(node: PythonNode, file: string, modules: PythonModules, depth = 0): { node: PythonNode; file: string } | undefined {
  const target = unparenthesize(node);
  if (depth > 4) return undefined;
  if (target.type === 'list' || target.type === 'tuple') return { node: target, file };
  if (target.type === 'call') {
    const callee = target.childForFieldName('function');
    const definition = callee?.type === 'identifier' ? modules.lookupAt(file, callee.text, callee) : undefined;
    if (definition?.kind !== 'function') return undefined;
    const body = definition.node.childForFieldName('body');
    const returns: PythonNode[] = [];
    if (body) descendantsInScope(body, (descendant) => void (descendant.type === 'return_statement' && returns.push(descendant)));
    const value = returns.length === 1 ? namedChildrenOf(returns[0]!)[0] : undefined;
    return value ? listNode(value, definition.file, modules, depth + 1) : undefined;
  }
  if (target.type === 'identifier') {
    // A list the function builds before the Worker(...) call, assigned once.
    const local = localValues(target, file);
    if (local) return local.length === 1 ? listNode(local[0]!.node, local[0]!.file, modules, depth + 1) : undefined;
    if (parameterOf(target)) return undefined;
    const definition = modules.lookup(file, target.text);
    if (definition?.kind === 'assignment' && definition.value) return listNode(definition.value, definition.file, modules, depth + 1);
  }
  return undefined;
}

/**
 * The activity a workflow's `workflow.execute_activity(...)` (or `execute_local_activity`,
 * `execute_activity_method`, ...) call runs, when the call is one and names it (not a guess), with
 * its implementation in the project when found. Undefined for any other call, and for a
 * `start_activity` (which returns a handle, not the result).
 */
export function executedActivity(
  call: PythonNode,
  file: string,
  modules: PythonModules,
  workflows: PythonWorkflow[],
  activities: PythonActivity[],
): { name: string; implementation?: PythonActivity } | undefined {
  const callee = call.childForFieldName('function');
  const qualified = callee ? modules.qualifiedName(file, callee) : undefined;
  const member = qualified?.startsWith('temporalio.workflow.') ? qualified.slice('temporalio.workflow.'.length) : undefined;
  if (!member || !ACTIVITY_CALLS[member] || !member.startsWith('execute_')) return undefined;
  const args = callArguments(call);
  const target = args.positional[0] ?? args.keywords.get('activity');
  const found = target ? referencedActivity(target, file, { root: '', modules, workflows, activities }) : undefined;
  return found && !found.guessed ? { name: found.name, ...(found.implementation ? { implementation: found.implementation } : {}) } : undefined;
}

/**
 * An SDK activity call inside a project helper whose activity is one of the helper's parameters
 * (and that is not a wrapper, read at each caller by addWrapperCalls): the activities every visible
 * caller passes, as the call's activity types, or, when they cannot all be resolved, the parameter
 * named on the call so a message can say the callers choose the activity.
 */
export function resolveParameterActivityCalls(
  calls: TemporalCalls,
  argumentsOf: (fn: PythonNode, name: string, options?: { throughImports?: boolean }) => { passed: ({ node: PythonNode; file: string } | 'default')[] | undefined } | undefined,
  root: string,
  modules: PythonModules,
  workflows: PythonWorkflow[],
  activities: PythonActivity[],
): void {
  const context = { root, modules, workflows, activities };
  for (const site of calls.activityCallSites) {
    const location = locateNode(site.file, site.call);
    const proxy = calls.activityCalls.find((p) => p.location.file === location.file && p.location.line === location.line && p.location.column === location.column);
    if (!proxy || proxy.usedActivityTypes === 'all' || proxy.usedActivityTypes.length !== 1 || !proxy.usedActivityTypes[0]!.guessed) continue;
    const found = parameterActivities(site.call, argumentsOf, (node, file) => referencedActivity(node, file, context));
    if (!found) continue;
    const helper = enclosing(site.call, ['function_definition'])?.childForFieldName('name')?.text ?? '';
    if (!found.activities || found.activities.length === 0) {
      proxy.activityParameter = { helper, parameter: found.parameter };
      continue;
    }
    proxy.usedActivityTypes = found.activities.map(({ activity, node, file }) => ({ name: activity.name, location: locateNode(file, node) }));
    proxy.exposedActivityTypes = found.activities.map(({ activity }) => activity.name);
    proxy.implementationFiles = [...new Set(found.activities.map(({ activity }) => (activity.implementation as PythonActivity).file))];
    for (const { activity } of found.activities) calls.activityTargets.push({ proxyId: proxy.id, activity: activity.implementation as PythonActivity });
  }
}
