// A project's own helper around the SDK's activity call: a function or method whose parameter goes
// straight into `workflow.execute_activity` / `start_activity` as the activity
//
//     async def run_activity(activity, *args, **kwargs):
//         return await workflow.execute_activity(activity, args=args, start_to_close_timeout=..., **kwargs)
//
// Each call of it (`await run_activity(charge_card, order)`) schedules the activity passed, with
// the options the helper writes: the front-end reads it as an activity call at the caller. Kept
// narrow: the parameter is never rebound in the helper, the SDK call sits in the helper's own body
// outside any `try` and the helper returns what it gives (so its result and its failure reach the
// caller unchanged), every such SDK call of the helper
// passes the same options, and the caller's arguments bind to the parameters plainly (no `*` or `**`
// splat at the caller).

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, decoratorsOf, enclosing, namedChildrenOf, unparenthesize, type CallArguments } from './python-syntax.js';

export interface PythonParameter {
  name: string;
  kind: 'positional' | 'keyword' | 'args' | 'kwargs';
  fallback?: PythonNode;
}

export interface ActivityWrapper {
  fn: PythonNode;
  file: string;
  /** The function's name, for messages. */
  name: string;
  /** The parameter that holds the activity. */
  parameter: string;
  parameters: PythonParameter[];
  /** A method called through `self.` / `cls.`: its first parameter is bound by the call. */
  bound: boolean;
  /** The SDK call that schedules the activity (the first, when the helper has several that say the same). */
  inner: PythonNode;
  /** Every SDK call of the helper that schedules the parameter's activity. */
  innerCalls: PythonNode[];
  /** The SDK function's member name (`execute_activity`). */
  member: string;
}

/** One call of a wrapper: what it passes for each parameter ('default' when left out) and the keywords `**kwargs` collects. */
export interface WrapperBinding {
  values: Map<string, { node: PythonNode; file: string } | 'default'>;
  extra: Map<string, PythonNode>;
}

const REBINDING_PARENTS = new Set(['for_statement', 'for_in_clause', 'as_pattern_target', 'named_expression', 'augmented_assignment', 'pattern_list', 'tuple_pattern', 'global_statement', 'nonlocal_statement', 'list_pattern']);

/** The parameters of a function, in order, with their kind and default. */
export function parametersOf(fn: PythonNode): PythonParameter[] {
  const list = fn.childForFieldName('parameters');
  const result: PythonParameter[] = [];
  let keywordOnly = false;
  for (const parameter of list ? namedChildrenOf(list) : []) {
    if (parameter.type === 'keyword_separator') {
      keywordOnly = true;
      continue;
    }
    if (parameter.type === 'positional_separator' || parameter.type === 'comment') continue;
    const inner = parameter.type === 'typed_parameter' ? namedChildrenOf(parameter)[0] : parameter;
    if (!inner) continue;
    if (inner.type === 'list_splat_pattern' || inner.type === 'dictionary_splat_pattern') {
      const name = namedChildrenOf(inner).find((c) => c.type === 'identifier')?.text;
      if (name) result.push({ name, kind: inner.type === 'list_splat_pattern' ? 'args' : 'kwargs' });
      if (inner.type === 'list_splat_pattern') keywordOnly = true;
      continue;
    }
    const name = inner.type === 'identifier' ? inner.text : parameter.childForFieldName('name')?.text;
    if (!name) continue;
    const fallback = parameter.childForFieldName('value') ?? undefined;
    result.push({ name, kind: keywordOnly ? 'keyword' : 'positional', ...(fallback ? { fallback } : {}) });
  }
  return result;
}

/** True when the function assigns the name anywhere (a parameter the body changes is not the caller's value). */
export function rebound(fn: PythonNode, name: string): boolean {
  for (const use of fn.descendantsOfType('identifier')) {
    if (use?.text !== name || !use.parent) continue;
    const parent = use.parent;
    if (parent.type === 'assignment' && parent.childForFieldName('left')?.id === use.id) return true;
    if (REBINDING_PARENTS.has(parent.type)) return true;
    if (parent.type === 'subscript' && parent.parent?.type === 'assignment' && parent.parent.childForFieldName('left')?.id === parent.id) return true;
  }
  return false;
}

/** `return await workflow.execute_activity(...)`, `return workflow.start_activity(...)`: the caller gets what the SDK call gives. */
function returned(call: PythonNode): boolean {
  let node = call.parent;
  while (node && (node.type === 'await' || node.type === 'parenthesized_expression')) node = node.parent;
  return node?.type === 'return_statement';
}

/** The options an SDK call writes besides its activity and arguments, as text: two calls that say the same. */
function optionsText(args: CallArguments): string {
  const keywords = [...args.keywords].filter(([key]) => key !== 'activity' && key !== 'args' && key !== 'arg').map(([key, value]) => `${key}=${value.text}`);
  return [...keywords.sort(), ...args.spreads.map((s) => `**${s.text}`)].join(',');
}

/**
 * The wrappers among the functions holding these SDK activity calls: for each call whose activity
 * is a parameter of the function it sits in, that function, when the narrow conditions hold.
 */
export function activityWrappers(calls: { call: PythonNode; file: string; member: string }[]): Map<number, ActivityWrapper> {
  const byFunction = new Map<number, { fn: PythonNode; file: string; parameter: string; calls: { call: PythonNode; member: string }[] } | 'no'>();
  for (const { call, file, member } of calls) {
    const args = callArguments(call);
    const target = args.positional[0] ?? args.keywords.get('activity');
    const activity = target ? unparenthesize(target) : undefined;
    const fn = enclosing(call, ['function_definition', 'lambda', 'class_definition']);
    if (activity?.type !== 'identifier' || fn?.type !== 'function_definition') continue;
    const parameter = parametersOf(fn).find((p) => p.name === activity.text);
    if (!parameter || parameter.kind === 'args' || parameter.kind === 'kwargs') continue;
    const known = byFunction.get(fn.id);
    if (known === 'no') continue;
    // the failure must reach the caller as the SDK raises it: no try in the helper around the call
    let inTry = false;
    for (let node = call.parent; node && node.id !== fn.id; node = node.parent) if (node.type === 'try_statement') inTry = true;
    if (inTry || !returned(call) || rebound(fn, activity.text) || (known && known.parameter !== activity.text)) {
      byFunction.set(fn.id, 'no');
      continue;
    }
    if (known) known.calls.push({ call, member });
    else byFunction.set(fn.id, { fn, file, parameter: activity.text, calls: [{ call, member }] });
  }
  const wrappers = new Map<number, ActivityWrapper>();
  for (const [id, entry] of byFunction) {
    if (entry === 'no') continue;
    const first = entry.calls[0]!;
    const text = optionsText(callArguments(first.call));
    if (entry.calls.some((c) => c.member !== first.member || optionsText(callArguments(c.call)) !== text)) continue;
    const name = entry.fn.childForFieldName('name')?.text;
    if (!name) continue;
    const cls = methodClass(entry.fn);
    const staticMethod = decoratorsOf(entry.fn).some((d) => d.expression.text === 'staticmethod');
    wrappers.set(id, {
      fn: entry.fn,
      file: entry.file,
      name,
      parameter: entry.parameter,
      parameters: parametersOf(entry.fn),
      bound: !!cls && !staticMethod,
      inner: first.call,
      innerCalls: entry.calls.map((c) => c.call),
      member: first.member,
    });
  }
  return wrappers;
}

/** The class a function is a method of (defined directly in its body, decorated or not). */
function methodClass(fn: PythonNode): PythonNode | undefined {
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const block = holder.parent;
  return block?.type === 'block' && block.parent?.type === 'class_definition' ? block.parent : undefined;
}

/**
 * The wrapper a call calls: a function by its name (imported, also inside the function), through
 * `module.name`, or a method through `self.name` / `cls.name` (on the caller's class or a base class
 * the project defines).
 */
export function calledWrapper(call: PythonNode, file: string, modules: PythonModules, wrappers: Map<number, ActivityWrapper>): ActivityWrapper | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  if (callee.type === 'identifier') {
    const definition = modules.lookupAt(file, callee.text, callee);
    const wrapper = definition?.kind === 'function' ? wrappers.get(definition.node.id) : undefined;
    return wrapper && !methodClass(wrapper.fn) ? wrapper : undefined;
  }
  if (callee.type !== 'attribute') return undefined;
  const object = callee.childForFieldName('object');
  const attribute = callee.childForFieldName('attribute')?.text;
  if (object?.type !== 'identifier' || !attribute) return undefined;
  if (object.text === 'self' || object.text === 'cls') {
    const cls = enclosing(call, ['class_definition']);
    const method = cls ? methodNamed(cls, file, attribute, modules, 0) : undefined;
    const wrapper = method ? wrappers.get(method.id) : undefined;
    return wrapper?.bound ? wrapper : undefined;
  }
  const binding = modules.importBindingAt(file, object.text, callee);
  if (binding?.kind !== 'module' || !binding.file) return undefined;
  const definition = modules.lookup(binding.file, attribute);
  const wrapper = definition?.kind === 'function' ? wrappers.get(definition.node.id) : undefined;
  return wrapper && !methodClass(wrapper.fn) ? wrapper : undefined;
}

/** A method of a class or of a base class the project defines (the first found, in the order of the bases). */
function methodNamed(cls: PythonNode, file: string, name: string, modules: PythonModules, depth: number): PythonNode | undefined {
  const own = classMembers(cls).find((member) => member.type === 'function_definition' && member.childForFieldName('name')?.text === name);
  if (own || depth > 4) return own;
  const bases = cls.childForFieldName('superclasses');
  for (const base of bases ? namedChildrenOf(bases) : []) {
    if (base.type !== 'identifier') continue;
    const definition = modules.lookupAt(file, base.text, base);
    if (definition?.kind !== 'class') continue;
    const found = methodNamed(definition.node, definition.file, name, modules, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** What a call passes for each of the wrapper's parameters; undefined when it cannot be read plainly or would not bind. */
export function bindWrapperCall(call: PythonNode, file: string, wrapper: ActivityWrapper): WrapperBinding | undefined {
  const args = callArguments(call);
  if (args.starred || args.spreads.length > 0) return undefined;
  const parameters = wrapper.bound ? wrapper.parameters.slice(1) : wrapper.parameters;
  const positional = parameters.filter((p) => p.kind === 'positional');
  const hasArgs = parameters.some((p) => p.kind === 'args');
  const kwargs = parameters.find((p) => p.kind === 'kwargs');
  if (args.positional.length > positional.length && !hasArgs) return undefined;
  const values: WrapperBinding['values'] = new Map();
  const extra = new Map<string, PythonNode>();
  positional.forEach((parameter, index) => {
    const node = args.positional[index];
    if (node) values.set(parameter.name, { node, file });
  });
  for (const [key, node] of args.keywords) {
    const parameter = parameters.find((p) => p.name === key && (p.kind === 'positional' || p.kind === 'keyword'));
    if (parameter) {
      if (values.has(key)) return undefined;
      values.set(key, { node, file });
    } else if (kwargs) extra.set(key, node);
    else return undefined;
  }
  for (const parameter of parameters) {
    if ((parameter.kind === 'positional' || parameter.kind === 'keyword') && !values.has(parameter.name)) {
      if (!parameter.fallback) return undefined;
      values.set(parameter.name, 'default');
    }
  }
  return { values, extra };
}

/** An activity a caller passes, as the front-end resolves it at the caller. */
export interface PassedActivity {
  name: string;
  implementation?: unknown;
  guessed?: boolean;
  byDefinition?: boolean;
}

/**
 * The activities a helper's SDK call schedules when its activity is a parameter of the helper and
 * the helper is not a wrapper (it does more than return the SDK call's result):
 *
 *     async def sell_then_buy(account, orders, submit):
 *         first = await workflow.execute_activity(submit, args=[orders], ...)
 *         ...
 *
 * read through every visible caller (`await sell_then_buy("a", orders, submit_orders_a)`). The
 * activities when every caller passes one the project defines by its definition; 'parameter' when
 * the activity is a parameter the callers' values could not all be resolved for; undefined when the
 * activity is not a parameter of the function the call sits in.
 */
export function parameterActivities<T extends PassedActivity>(
  call: PythonNode,
  argumentsOf: (fn: PythonNode, name: string, options?: { throughImports?: boolean }) => { passed: ({ node: PythonNode; file: string } | 'default')[] | undefined } | undefined,
  resolve: (node: PythonNode, file: string) => T | undefined,
): { parameter: string; activities?: { activity: T; node: PythonNode; file: string }[] } | undefined {
  const args = callArguments(call);
  const target = args.positional[0] ?? args.keywords.get('activity');
  const activity = target ? unparenthesize(target) : undefined;
  const fn = enclosing(call, ['function_definition', 'lambda', 'class_definition']);
  if (activity?.type !== 'identifier' || fn?.type !== 'function_definition') return undefined;
  const parameter = parametersOf(fn).find((p) => p.name === activity.text);
  if (!parameter) return undefined;
  const unresolved = { parameter: activity.text };
  if (parameter.kind === 'args' || parameter.kind === 'kwargs' || rebound(fn, activity.text)) return unresolved;
  const passed = argumentsOf(fn, activity.text, { throughImports: true })?.passed;
  if (!passed || passed.length === 0) return unresolved;
  const found: { activity: T; node: PythonNode; file: string }[] = [];
  for (const value of passed) {
    if (value === 'default') return unresolved;
    const resolved = resolve(value.node, value.file);
    if (!resolved || resolved.guessed || !resolved.byDefinition || !resolved.implementation) return unresolved;
    if (!found.some((f) => f.activity.name === resolved.name)) found.push({ activity: resolved, node: value.node, file: value.file });
  }
  return { parameter: activity.text, activities: found };
}
