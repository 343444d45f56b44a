// Whether a credential field that a payload's type allows is ever given a value by the project.
// A type often declares more than its producers fill: `deployments: list[DeploymentRef]` whose
// `snapshot: Optional[Snapshot] = None` (holding a password) no constructor call ever passes, or a
// workflow parameter `access_token: Optional[str] = None` no start passes. Such a field never
// carries a credential into history. Everything the reader cannot follow (a `**` spread, `from_dict`,
// `model_validate`, a value from a parameter nobody visible passes, an attribute write) counts as
// "may carry", so only fields every visible producer leaves unset are dropped.

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, decoratorsOf, enclosing, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';
import { classDefinition, payloadFields } from './python-type-graph.js';
import { functionTarget } from './python-activities.js';
import { isContinueAsNew, returnsOnlyNone } from './python-path-ends.js';

/** One step from a value to the secret: a field of a class, or an element of a collection. */
export type SecretStep = { kind: 'field'; name: string; holder: ClassRef } | { kind: 'element'; element: ClassRef | undefined };
export interface ClassRef {
  node: PythonNode;
  file: string;
}

/** The roots a payload value comes from: instances of classes, or a function parameter. */
export type PayloadRoot = { kind: 'classes'; classes: ClassRef[] } | { kind: 'parameter'; fn: PythonNode; file: string; name: string } | { kind: 'unknown' };

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
const CONSTRUCTOR_HOOKS = new Set(['__init__', '__new__', '__post_init__', 'model_post_init', '__attrs_post_init__']);
const EMPTY_FACTORIES = new Set(['list', 'dict', 'set', 'tuple', 'List', 'Dict']);

/** A workflow class or activity function with its Temporal type name. */
interface Named {
  node: PythonNode;
  file: string;
  name: string;
}

export interface ProducerIndex {
  /** True when a value reaching `steps` from `root` may be set by some producer. */
  mayCarry(root: PayloadRoot, steps: SecretStep[]): boolean;
}

export function payloadProducers(files: string[], modules: PythonModules, workflows: Named[], activities: Named[]): ProducerIndex {
  const byName = new Map<string, { node: PythonNode; file: string }[]>();
  const calls: { node: PythonNode; file: string }[] = [];
  /** Field names written after construction (`x.f = v`, `replace(x, f=v)`); '*' when any may be. */
  const written = new Set<string>();
  const attributeWrites: { node: PythonNode; file: string }[] = [];
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root) continue;
    for (const node of root.descendantsOfType('identifier')) {
      if (!node) continue;
      const list = byName.get(node.text) ?? [];
      list.push({ node, file });
      byName.set(node.text, list);
    }
    for (const call of root.descendantsOfType('call')) if (call) calls.push({ node: call, file });
    for (const assignment of root.descendantsOfType('assignment')) {
      const left = assignment?.childForFieldName('left');
      const right = assignment?.childForFieldName('right');
      if (left?.type === 'attribute' && right?.type !== 'none') attributeWrites.push({ node: left, file });
    }
  }
  const dynamicWrites: { node: PythonNode; file: string }[] = [];
  for (const { node, file } of calls) {
    const callee = node.childForFieldName('function');
    const last = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.text;
    if (last === 'setattr') dynamicWrites.push({ node, file }); else if (last === 'replace' || last === 'evolve' || last === 'model_copy' || last === 'copy') {
      const args = callArguments(node);
      if (args.spreads.length > 0) written.add('*');
      for (const key of args.keywords.keys()) written.add(key);
      const update = args.keywords.get('update');
      if (update) for (const pair of update.type === 'dictionary' ? namedChildrenOf(update) : []) written.add(stringLiteral(pair.childForFieldName('key') ?? pair) ?? '*');
      if (update && update.type !== 'dictionary') written.add('*');
    }
  }
  let writesRead = false;
  const isWritten = (name: string) => {
    if (!writesRead) {
      writesRead = true;
      for (const write of attributeWrites) {
        const object = write.node.childForFieldName('object');
        if (!object || !builtAsOtherClass(object, write.file)) written.add(write.node.childForFieldName('attribute')?.text ?? '*');
      }
      // `setattr(snapshot, change.field, value)`: the fields of the object's class when the reader
      // knows it; on an object of unknown class it is taken for metaprogramming, not a payload.
      for (const write of dynamicWrites) {
        const [object, name] = callArguments(write.node).positional;
        const literal = name && stringLiteral(name);
        if (literal !== undefined) written.add(literal);
        const cls = object ? parameterClass(object, write.file) : undefined;
        for (const field of (literal === undefined && cls && payloadFields(cls.node, cls.file, modules)) || []) written.add(field.name);
      }
    }
    return written.has(name) || written.has('*');
  };

  /** The project class a name is annotated with as a parameter, or built from as a local. */
  const parameterClass = (object: PythonNode, file: string): ClassRef | undefined => {
    if (object.type !== 'identifier') return undefined;
    if (object.text === 'self') return enclosingClass(object, file);
    const fn = enclosing(object, ['function_definition']);
    const parameter = namedChildrenOf(fn?.childForFieldName('parameters') ?? object).find((p) => parameterName(p) === object.text);
    const annotation = parameter?.childForFieldName('type');
    const head = annotation ? namedChildrenOf(annotation)[0] : undefined;
    if (head && (head.type === 'identifier' || head.type === 'attribute')) return projectClass(head, file);
    const values = localValues(object, file);
    const built = values?.length === 1 && values[0]!.node.type === 'call' ? values[0]!.node.childForFieldName('function') : undefined;
    return built ? projectClass(built, file) : undefined;
  };

  /**
   * `deployment = Deployment.objects.create(...)`, then `deployment.snapshot = ...`: a local built
   * from a class that is not a payload class (an ORM model) is not a payload being filled in.
   */
  const builtAsOtherClass = (object: PythonNode, file: string): boolean => {
    if (object.type !== 'identifier') return false;
    const values = localValues(object, file);
    return (
      values !== undefined &&
      values.every((value) => {
        let head: PythonNode | null = unparenthesize(value.node);
        while (head && ['await', 'call', 'attribute'].includes(head.type)) head = head.type === 'await' ? namedChildrenOf(head)[0]! : head.type === 'call' ? head.childForFieldName('function') : head.childForFieldName('object');
        const definition = head?.type === 'identifier' ? modules.lookup(value.file, head.text) : undefined;
        return definition?.kind === 'class' && payloadFields(definition.node, definition.file, modules) === undefined;
      })
    );
  };

  const sameNode = (a: PythonNode, b: PythonNode) => a.id === b.id;
  const projectClass = (callee: PythonNode, file: string): ClassRef | undefined => {
    const definition = classDefinition(callee, file, modules);
    return definition?.kind === 'class' ? { node: definition.node, file: definition.file } : undefined;
  };
  const methodsOf = (cls: ClassRef) => classMembers(cls.node).filter((m) => m.type === 'function_definition');

  // Every construction of a class and of its project subclasses; undefined when one escapes the reader.
  const constructionCache = new Map<number, { node: PythonNode; file: string }[] | undefined>();
  const constructions = (cls: ClassRef, depth = 0): { node: PythonNode; file: string }[] | undefined => {
    if (constructionCache.has(cls.node.id)) return constructionCache.get(cls.node.id);
    constructionCache.set(cls.node.id, undefined);
    const name = cls.node.childForFieldName('name')?.text ?? '';
    const own = new Set(methodsOf(cls).map((m) => m.childForFieldName('name')?.text));
    const bases = cls.node.childForFieldName('superclasses')?.text ?? '';
    // A TypedDict is built by any dict literal; a hook or validator rewrites what the call passed.
    const opaque = /TypedDict/.test(bases) || [...own].some((m) => m && CONSTRUCTOR_HOOKS.has(m)) || methodsOf(cls).some((m) => decoratorsOf(m).some((d) => /validator/.test(d.expression.text)));
    if (opaque || depth > 4) return undefined;
    const found: { node: PythonNode; file: string }[] = [];
    for (const use of byName.get(name) ?? []) {
      const parent = use.node.parent;
      if (!parent || sameNode(parent, cls.node)) continue;
      if (enclosing(use.node, ['type', 'import_statement', 'import_from_statement'])) continue;
      const resolved = modules.lookup(use.file, name);
      if (!resolved || !sameNode(resolved.node, cls.node)) continue;
      if (parent.type === 'call' && sameNode(parent.childForFieldName('function') ?? parent, use.node)) {
        found.push({ node: parent, file: use.file });
        continue;
      }
      if (parent.type === 'argument_list' && parent.parent?.type === 'class_definition') {
        const sub = constructions({ node: parent.parent, file: use.file }, depth + 1);
        if (!sub) return undefined;
        found.push(...sub);
        continue;
      }
      if (parent.type === 'argument_list' && /^(?:isinstance|issubclass)$/.test(parent.parent?.childForFieldName('function')?.text ?? '')) continue;
      // `Cls.helper(...)`: fine when the helper is the class's own (its constructions are read below).
      if (parent.type === 'attribute' && own.has(parent.childForFieldName('attribute')?.text)) continue;
      return undefined;
    }
    for (const method of methodsOf(cls)) {
      for (const use of method.descendantsOfType('identifier')) {
        if (use?.text !== 'cls') continue;
        const parent = use.parent;
        if (parent?.type === 'call' && sameNode(parent.childForFieldName('function') ?? parent, use)) found.push({ node: parent, file: cls.file });
        else if (parent?.type === 'attribute' && own.has(parent.childForFieldName('attribute')?.text)) continue;
        else if (parent?.type !== 'parameters') return undefined;
      }
      if (/\b__class__\b|\btype\(self\)/.test(method.text)) return undefined;
    }
    constructionCache.set(cls.node.id, found);
    return found;
  };

  const superclasses = (cls: ClassRef): ClassRef[] => {
    const list = cls.node.childForFieldName('superclasses');
    return (list ? namedChildrenOf(list) : []).flatMap((base) => projectClass(base, cls.file) ?? []);
  };

  /** The annotated declaration of a field (on the class or a project base): its default, null when it has none. */
  const fieldDefault = (cls: ClassRef, field: string, depth = 0): { value: PythonNode | null } | undefined => {
    if (depth > 6) return undefined;
    for (const member of classMembers(cls.node)) {
      const assignment = member.type === 'expression_statement' ? namedChildrenOf(member)[0] : undefined;
      if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === field && assignment.childForFieldName('type')) {
        return { value: assignment.childForFieldName('right') };
      }
    }
    for (const base of superclasses(cls)) {
      const found = fieldDefault(base, field, depth + 1);
      if (found) return found;
    }
    return undefined;
  };

  /** Positional order of a class's annotated fields, bases first (dataclass order). */
  const fieldOrder = (cls: ClassRef, depth = 0): string[] => {
    if (depth > 6) return [];
    const order: string[] = [];
    for (const base of superclasses(cls)) order.push(...fieldOrder(base, depth + 1));
    for (const member of classMembers(cls.node)) {
      const assignment = member.type === 'expression_statement' ? namedChildrenOf(member)[0] : undefined;
      const left = assignment?.type === 'assignment' && assignment.childForFieldName('type') ? assignment.childForFieldName('left') : undefined;
      if (left?.type === 'identifier' && !order.includes(left.text)) order.push(left.text);
    }
    return order;
  };

  /** The values a local name is assigned in its function; undefined when it is a parameter or bound otherwise. */
  const localValues = (name: PythonNode, file: string): { node: PythonNode; file: string }[] | undefined => {
    const fn = enclosing(name, ['function_definition']);
    if (!fn) return undefined;
    const parameters = fn.childForFieldName('parameters');
    if (parameters && parameters.descendantsOfType('identifier').some((p) => p?.text === name.text)) return undefined;
    const values: { node: PythonNode; file: string }[] = [];
    for (const use of fn.descendantsOfType('identifier')) {
      if (use?.text !== name.text || !use.parent) continue;
      const parent = use.parent;
      if (parent.type === 'assignment' && sameNode(parent.childForFieldName('left') ?? parent, use)) {
        const right = parent.childForFieldName('right');
        if (!right) return undefined;
        values.push({ node: right, file });
      } else if (['for_statement', 'for_in_clause', 'as_pattern_target', 'named_expression', 'augmented_assignment', 'pattern_list', 'tuple_pattern', 'global_statement', 'nonlocal_statement'].includes(parent.type)) {
        return undefined;
      } else if (parent.type === 'subscript' && parent.parent?.type === 'assignment') return undefined;
    }
    return values.length > 0 ? values : undefined;
  };

  /** True when any value the expression may hold, followed along the steps, is set. */
  const exprMayCarry = (expr: PythonNode, file: string, steps: SecretStep[], seen: Set<string>): boolean => {
    const node = unparenthesize(expr);
    const key = `${file}:${node.id}:${steps.length}`;
    if (seen.has(key)) return false;
    seen.add(key);
    if (node.type === 'none') return false;
    // `x = await self.next_step(...)` of a helper whose every return is None (it ends the run with
    // continue_as_new whenever it has a value): x is None, whatever its annotation allows.
    const called = node.type === 'await' ? unparenthesize(namedChildrenOf(node)[0] ?? node) : node;
    if (called.type === 'call' && returnsNoneOnly(called, file)) return false;
    if (node.type === 'conditional_expression') {
      const [yes, , no] = namedChildrenOf(node);
      return !yes || !no || exprMayCarry(yes, file, steps, seen) || exprMayCarry(no, file, steps, seen);
    }
    if (node.type === 'identifier') {
      const fn = steps.length === 0 ? parameterOf(node) : undefined;
      if (fn) return parameterMayCarry(fn, file, node.text, seen);
      const values = localValues(node, file);
      if (values) return values.some((v) => exprMayCarry(v.node, v.file, steps, seen));
      return steps.length === 0 || byDeclaredType(steps, seen);
    }
    const step = steps[0];
    if (!step) return true;
    const rest = steps.slice(1);
    if (step.kind === 'element') {
      if (['list', 'tuple', 'set'].includes(node.type)) return namedChildrenOf(node).some((e) => e.type === 'list_splat' || exprMayCarry(e, file, rest, seen));
      if (['list_comprehension', 'set_comprehension', 'generator_expression'].includes(node.type)) {
        const body = node.childForFieldName('body');
        return !body || exprMayCarry(body, file, rest, seen);
      }
      return byDeclaredType(steps, seen);
    }
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const cls = callee?.text === 'cls' ? enclosingClass(node, file) : callee ? projectClass(callee, file) : undefined;
      if (cls) return constructionMayCarry(node, file, cls, step.name, rest, seen);
    }
    return byDeclaredType(steps, seen);
  };

  /** A call of a project function or method whose every return gives None. */
  const returnsNoneOnly = (call: PythonNode, file: string): boolean => {
    const callee = call.childForFieldName('function');
    const caller = enclosing(call, ['function_definition']);
    const target = callee && caller ? functionTarget(callee, caller, file, modules) : undefined;
    if (!target || decoratorsOf(target.node).some((d) => !/^(?:staticmethod|classmethod)$/.test(d.expression.text))) return false;
    // A method may be overridden by a subclass the call runs on: only one that ends the run with
    // continue-as-new whenever it has a value is known to give None, not a stub that returns nothing.
    const method = enclosing(target.node, ['class_definition', 'function_definition'])?.type === 'class_definition';
    if (method && !target.node.descendantsOfType('expression_statement').some((s) => s !== null && isContinueAsNew(s, target.file, modules))) return false;
    return returnsOnlyNone(target.node, target.file, modules);
  };

  /** A value the reader cannot follow: any instance of its declared class, as every producer of that class builds it. */
  const byDeclaredType = (steps: SecretStep[], seen: Set<string>): boolean => {
    const step = steps[0];
    if (step?.kind === 'field') return classMayCarry(step.holder, steps, seen);
    if (step?.kind === 'element' && step.element && steps[1]) return classMayCarry(step.element, steps.slice(1), seen);
    return true;
  };

  const enclosingClass = (node: PythonNode, file: string): ClassRef | undefined => {
    const cls = enclosing(node, ['class_definition']);
    return cls ? { node: cls, file } : undefined;
  };

  const constructionMayCarry = (call: PythonNode, file: string, cls: ClassRef, field: string, rest: SecretStep[], seen: Set<string>): boolean => {
    if (isWritten(field)) return true;
    const args = callArguments(call);
    if (args.spreads.length > 0 || args.starred) return true;
    const declared = fieldDefault(cls, field);
    if (!declared || /\balias\b/.test(declared.value?.text ?? '')) return true;
    const given = args.keywords.get(field) ?? args.positional[fieldOrder(cls).indexOf(field)];
    if (given) return exprMayCarry(given, file, rest, seen);
    // Not passed: the field holds its default, which must be empty.
    return !declared.value || !emptyDefault(declared.value);
  };

  const classMayCarry = (cls: ClassRef, steps: SecretStep[], seen: Set<string>): boolean => {
    const key = `class:${cls.file}:${cls.node.id}:${steps.length}`;
    if (seen.has(key)) return false;
    seen.add(key);
    const step = steps[0];
    if (!step || step.kind !== 'field') return true;
    const made = constructions(cls);
    // No visible producer: the value comes from somewhere the reader cannot see.
    if (!made || made.length === 0) return true;
    return made.some((c) => {
      const callee = c.node.childForFieldName('function');
      const actual = callee?.text === 'cls' ? cls : (callee && projectClass(callee, c.file)) ?? cls;
      return constructionMayCarry(c.node, c.file, actual, step.name, steps.slice(1), seen);
    });
  };

  /** The function a name is a parameter of, when it is one. */
  const parameterOf = (name: PythonNode): PythonNode | undefined => {
    const fn = enclosing(name, ['function_definition']);
    const parameters = fn?.childForFieldName('parameters');
    return parameters && namedChildrenOf(parameters).some((p) => parameterName(p) === name.text) ? fn : undefined;
  };

  const workflowOf = (fn: PythonNode) => workflows.find((w) => sameNode(w.node, enclosing(fn, ['class_definition']) ?? fn) && decoratorsOf(fn).some((d) => modules.qualifiedName(w.file, d.expression) === 'temporalio.workflow.run'));
  const activityOf = (fn: PythonNode) => activities.find((a) => sameNode(a.node, fn));

  /** Whether any visible caller of `fn` passes a value for its parameter `name`. */
  const parameterMayCarry = (fn: PythonNode, file: string, name: string, seen: Set<string>): boolean => {
    const key = `param:${file}:${fn.id}:${name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    const parameters = namedChildrenOf(fn.childForFieldName('parameters') ?? fn);
    const positional = parameters.filter((p) => !['list_splat_pattern', 'dictionary_splat_pattern', 'keyword_separator', 'positional_separator'].includes(p.type));
    const isMethod = enclosing(fn, ['class_definition', 'function_definition'])?.type === 'class_definition' && !decoratorsOf(fn).some((d) => d.expression.text === 'staticmethod');
    const index = positional.findIndex((p) => parameterName(p) === name) - (isMethod ? 1 : 0);
    const parameter = parameters.find((p) => parameterName(p) === name);
    const fallback = parameter?.childForFieldName('value');
    if (!parameter || index < 0) return true;
    const workflow = workflowOf(fn);
    const activity = workflow ? undefined : activityOf(fn);
    let producers: ProducerCall[];
    if (workflow || activity) {
      producers = temporalProducers(workflow ? 'workflow' : 'activity').filter((p) => p.target === null || (p.target !== 'other' && sameNode(p.target, workflow?.node ?? activity!.node)));
    } else {
      // A plain function: every call by its name; decorated (a route, a task) or referenced otherwise, it has callers the reader cannot see.
      const fnName = fn.childForFieldName('name')?.text ?? '';
      if (decoratorsOf(fn).some((d) => !/^(?:staticmethod|classmethod)$/.test(d.expression.text))) return true;
      producers = [];
      for (const use of byName.get(fnName) ?? []) {
        const parent = use.node.parent;
        if (!parent || sameNode(parent, fn)) continue;
        const call = parent.type === 'call' ? parent : parent.type === 'attribute' && parent.parent?.type === 'call' && sameNode(parent.childForFieldName('attribute') ?? parent, use.node) ? parent.parent : undefined;
        // Another definition of the same name (a protocol, a fake) is not a caller.
        if (parent.type === 'function_definition' && sameNode(parent.childForFieldName('name') ?? parent, use.node)) continue;
        if (!call || !sameNode(call.childForFieldName('function')!, parent.type === 'call' ? use.node : parent)) return true;
        producers.push({ call, file: use.file, target: fn, firstArg: 0 });
      }
    }
    if (producers.length === 0) return true;
    return producers.some((producer) => {
      const args = callArguments(producer.call);
      // A start's `**options` are options; its payload arguments are positional or `args=`.
      if (args.starred || (!(workflow || activity) && args.spreads.length > 0)) return true;
      const given = workflow || activity ? temporalArgument(producer, index) : (args.keywords.get(name) ?? args.positional[index]);
      if (given === 'unknown') return true;
      if (!given) return !fallback || fallback.type !== 'none';
      return exprMayCarry(given, producer.file, [], seen);
    });
  };

  /** The argument at `index` of a start or activity call: `arg`, the second positional, or `args=[...]`. */
  const temporalArgument = (producer: ProducerCall, index: number): PythonNode | undefined | 'unknown' => {
    const args = callArguments(producer.call);
    const single = args.keywords.get('arg') ?? args.positional[producer.firstArg];
    if (single) return index === 0 ? single : undefined;
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
    if (elements.slice(0, index + 1).some((e) => e.type === 'list_splat')) return 'unknown';
    return elements[index];
  };

  const producerCache = new Map<string, ProducerCall[]>();
  const temporalProducers = (kind: 'workflow' | 'activity'): ProducerCall[] => {
    const cached = producerCache.get(kind);
    if (cached) return cached;
    const found: ProducerCall[] = [];
    for (const { node, file } of calls) {
      const callee = node.childForFieldName('function');
      const last = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.text;
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
    const ownerClass = owner ? projectClass(owner, file) : undefined;
    const method = ownerClass ? methodsOf(ownerClass).find((m) => m.childForFieldName('name')?.text === head.childForFieldName('attribute')?.text) : undefined;
    return method ? (candidates.find((c) => sameNode(c.node, method))?.node ?? null) : null;
  };

  return {
    mayCarry(root, steps) {
      const seen = new Set<string>();
      if (root.kind === 'unknown') return true;
      if (root.kind === 'parameter') return steps.length > 0 || parameterMayCarry(root.fn, root.file, root.name, seen);
      return root.classes.length === 0 || root.classes.some((cls) => classMayCarry(cls, steps, seen));
    },
  };
}

/** `None`, an empty literal, or `field(default=None)` / `Field(default_factory=list)`: no value until a producer gives one. */
function emptyDefault(value: PythonNode): boolean {
  const node = unparenthesize(value);
  if (node.type === 'none') return true;
  if (['list', 'dictionary', 'tuple'].includes(node.type)) return namedChildrenOf(node).length === 0;
  if (node.type !== 'call' || !/^(?:dataclasses\.|pydantic\.)?(?:field|Field)$/.test(node.childForFieldName('function')?.text ?? '')) return false;
  const args = callArguments(node);
  const given = args.keywords.get('default') ?? args.positional[0];
  const factory = args.keywords.get('default_factory');
  return given ? given.type === 'none' : factory ? EMPTY_FACTORIES.has(factory.text) : false;
}

function parameterName(parameter: PythonNode): string | undefined {
  if (parameter.type === 'identifier') return parameter.text;
  const name = parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier');
  return name?.text;
}
