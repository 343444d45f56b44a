// What the visible callers of a Python function pass for one of its parameters. For a workflow's
// run method that is every start, child start and continue-as-new that names the workflow; for an
// activity, every workflow.execute_activity / start_activity call that names it; for a plain
// function, every call by its name. A caller the reader cannot follow (a `*args` splat, a list of
// arguments built elsewhere, a decorated function with unseen callers) makes the answer unknown.

import type { PythonNode } from './parse-python.js';
import type { ClassConstructions } from './python-class-constructions.js';
import { localValues, parameterName } from './python-local-values.js';
import { calleeName, sameNode, type Located, type ProjectIndex } from './python-project-index.js';
import { callArguments, classMembers, decoratorsOf, enclosing, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import { classDefinition } from './python-type-graph.js';

/** A workflow class or activity function with its Temporal type name. */
export interface Named {
  node: PythonNode;
  file: string;
  name: string;
}

/** One caller's argument: the expression it passes, or 'default' when it leaves the parameter out. */
export type PassedArgument = Located | 'default';

export interface ParameterArguments {
  /** The function's kind as a payload: a workflow's run method, an activity, or a plain function. */
  kind: 'workflow' | 'activity' | 'function';
  /** The argument of each visible caller; undefined when some caller cannot be read or none is seen. */
  passed: PassedArgument[] | undefined;
  /** The parameter's declared default, when it has one. */
  fallback: PythonNode | null;
}

/** A call that hands arguments to a workflow or activity: its target expression and argument list. */
interface ProducerCall {
  call: PythonNode;
  file: string;
  /** The workflow class or activity function it names, null when the reader cannot tell (any may be meant). */
  target: PythonNode | null | 'other';
  /** Index of the first payload argument among positional arguments. */
  firstArg: number;
}

const WORKFLOW_STARTS = new Set(['start_workflow', 'execute_workflow', 'start_child_workflow', 'execute_child_workflow', 'ScheduleActionStartWorkflow']);
const ACTIVITY_STARTS = /^(?:start|execute)(?:_local)?_activity(?:_method|_class)?$/;

export function parameterArguments(
  index: ProjectIndex,
  classes: ClassConstructions,
  workflows: Named[],
  activities: Named[],
): (fn: PythonNode, name: string, options?: { throughImports?: boolean }) => ParameterArguments | undefined {
  const { modules, byName } = index;
  const workflowOf = (fn: PythonNode) => workflows.find((w) => sameNode(w.node, enclosing(fn, ['class_definition']) ?? fn) && decoratorsOf(fn).some((d) => modules.qualifiedName(w.file, d.expression) === 'temporalio.workflow.run'));
  const activityOf = (fn: PythonNode) => activities.find((a) => sameNode(a.node, fn));

  const producerCache = new Map<string, ProducerCall[]>();
  const temporalProducers = (kind: 'workflow' | 'activity'): ProducerCall[] => {
    const cached = producerCache.get(kind);
    if (cached) return cached;
    const found: ProducerCall[] = [];
    for (const { node, file } of index.calls) {
      const last = calleeName(node);
      if (!last) continue;
      const args = callArguments(node);
      if (kind === 'workflow' && last === 'continue_as_new') {
        const current = enclosing(node, ['class_definition']);
        const named = args.keywords.get('workflow');
        found.push({ call: node, file, target: named ? targetOf(named, file, kind) : (current ?? null), firstArg: 0 });
      } else if ((kind === 'workflow' && WORKFLOW_STARTS.has(last)) || (kind === 'activity' && ACTIVITY_STARTS.test(last))) {
        const named = args.keywords.get(kind === 'workflow' ? 'workflow' : 'activity');
        const target = named ?? args.positional[0];
        found.push({ call: node, file, target: target ? targetOf(target, file, kind) : null, firstArg: named ? 0 : 1 });
      }
    }
    producerCache.set(kind, found);
    return found;
  };

  /** The workflow class or activity function a start names; null when it cannot be told. */
  const targetOf = (node: PythonNode, file: string, kind: 'workflow' | 'activity', depth = 0): PythonNode | null | 'other' => {
    const target = unparenthesize(node);
    const literal = stringLiteral(target);
    const candidates = kind === 'workflow' ? workflows : activities;
    if (literal !== undefined) {
      // A name no project workflow has starts something else.
      return candidates.find((c) => c.name === literal)?.node ?? 'other';
    }
    const head = kind === 'workflow' && target.type === 'attribute' ? target.childForFieldName('object') : target;
    if (!head) return null;
    const definition = classDefinition(head, file, modules);
    if (definition?.kind === 'assignment' && definition.value && depth < 4) return targetOf(definition.value, definition.file, kind, depth + 1);
    if (definition) return candidates.find((c) => sameNode(c.node, definition.node))?.node ?? null;
    // `Cls.method` of an activity class.
    const owner = head.type === 'attribute' ? head.childForFieldName('object') : undefined;
    const ownerClass = owner ? classes.projectClass(owner, file) : undefined;
    const method = ownerClass ? classMembers(ownerClass.node).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === head.childForFieldName('attribute')?.text) : undefined;
    return method ? (candidates.find((c) => sameNode(c.node, method))?.node ?? null) : null;
  };

  /** The argument at `index` of a start or activity call: `arg`, the second positional, or `args=[...]`. */
  const temporalArgument = (producer: ProducerCall, position: number): PythonNode | undefined | 'unknown' => {
    const args = callArguments(producer.call);
    const single = args.keywords.get('arg') ?? args.positional[producer.firstArg];
    if (single) return position === 0 ? single : undefined;
    const list = args.keywords.get('args');
    if (!list) return undefined;
    let target = unparenthesize(list);
    if (target.type === 'identifier') {
      const values = localValues(target, producer.file);
      if (!values || values.length !== 1) return 'unknown';
      target = unparenthesize(values[0]!.node);
      // Appends grow the list after the literal's elements; anything else may rewrite them.
      const fn = enclosing(list, ['function_definition']);
      const rewritten = fn?.descendantsOfType('attribute').some((a) => a?.childForFieldName('object')?.text === list.text && !/^(?:append|extend)$/.test(a.childForFieldName('attribute')?.text ?? ''));
      if (rewritten || fn?.descendantsOfType('subscript').some((s) => s?.childForFieldName('value')?.text === list.text && s.parent?.type === 'assignment')) return 'unknown';
    }
    if (target.type !== 'list' && target.type !== 'tuple') return 'unknown';
    const elements = namedChildrenOf(target);
    if (elements.slice(0, position + 1).some((e) => e.type === 'list_splat')) return 'unknown';
    return elements[position];
  };

  return (fn, name, options) => {
    const parameters = namedChildrenOf(fn.childForFieldName('parameters') ?? fn);
    const positional = parameters.filter((p) => !['list_splat_pattern', 'dictionary_splat_pattern', 'keyword_separator', 'positional_separator'].includes(p.type));
    const isMethod = enclosing(fn, ['class_definition', 'function_definition'])?.type === 'class_definition' && !decoratorsOf(fn).some((d) => d.expression.text === 'staticmethod');
    const position = positional.findIndex((p) => parameterName(p) === name) - (isMethod ? 1 : 0);
    const parameter = parameters.find((p) => parameterName(p) === name);
    if (!parameter || position < 0) return undefined;
    const fallback = parameter.childForFieldName('value');
    const workflow = workflowOf(fn);
    const activity = workflow ? undefined : activityOf(fn);
    const kind = workflow ? 'workflow' : activity ? 'activity' : 'function';
    const unknown: ParameterArguments = { kind, passed: undefined, fallback };
    let producers: ProducerCall[];
    if (workflow || activity) {
      producers = temporalProducers(workflow ? 'workflow' : 'activity').filter((p) => p.target === null || (p.target !== 'other' && sameNode(p.target, workflow?.node ?? activity!.node)));
    } else {
      // A plain function: every call by its name; decorated (a route, a task) or referenced otherwise, it has callers the reader cannot see.
      const fnName = fn.childForFieldName('name')?.text ?? '';
      if (decoratorsOf(fn).some((d) => !/^(?:staticmethod|classmethod)$/.test(d.expression.text))) return unknown;
      producers = [];
      for (const use of byName.get(fnName) ?? []) {
        const parent = use.node.parent;
        if (!parent || sameNode(parent, fn)) continue;
        // `from pkg.helpers import fn` under its own name is not a call (an alias hides the callers).
        if (options?.throughImports && parent.type === 'dotted_name' && parent.parent?.type === 'import_from_statement' && sameNode(namedChildrenOf(parent).at(-1)!, use.node) && !sameNode(parent.parent.childForFieldName('module_name') ?? parent, parent)) continue;
        const call = parent.type === 'call' ? parent : parent.type === 'attribute' && parent.parent?.type === 'call' && sameNode(parent.childForFieldName('attribute') ?? parent, use.node) ? parent.parent : undefined;
        // Another definition of the same name (a protocol, a fake) is not a caller.
        if (parent.type === 'function_definition' && sameNode(parent.childForFieldName('name') ?? parent, use.node)) continue;
        if (!call || !sameNode(call.childForFieldName('function')!, parent.type === 'call' ? use.node : parent)) return unknown;
        producers.push({ call, file: use.file, target: fn, firstArg: 0 });
      }
    }
    if (producers.length === 0) return unknown;
    const passed: PassedArgument[] = [];
    for (const producer of producers) {
      const args = callArguments(producer.call);
      // A start's `**options` are options; its payload arguments are positional or `args=`.
      if (args.starred || (kind === 'function' && args.spreads.length > 0)) return unknown;
      const given = kind !== 'function' ? temporalArgument(producer, position) : (args.keywords.get(name) ?? args.positional[position]);
      if (given === 'unknown') return unknown;
      // A start whose target the reader cannot tell, passing nothing for a parameter without a
      // default, is not a start of this function: it would fail with a missing argument.
      if (!given && producer.target === null && !fallback) continue;
      passed.push(given ? { node: given, file: producer.file } : 'default');
    }
    return passed.length > 0 ? { kind, passed, fallback } : unknown;
  };
}
