// Where an option kept on an object or behind a helper comes from, for the value resolver:
// `self._retry_policy` (assigned once, in __init__, or a class attribute), `policies.DEFAULT`
// (a constant of an imported project module) and `default_retry_policy()` (a project function
// with no parameters and a single `return`). Each answer is the one expression the value is
// written as, or 'unknown' when the code could give the name several values: assigned in more
// than one place, mutated, bound by a subclass, or assigned outside __init__.

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { classMembers, decoratorsOf, descendantsInScope, isAsyncFunction, namedChildrenOf } from './python-syntax.js';

export interface WrittenValue {
  node: PythonNode;
  file: string;
}

/** Groups a write target may sit in: `self.a, self.b = ...`. */
const TARGET_GROUPS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'list_splat_pattern']);
/** Methods that change a dict or list option in place. */
const MUTATORS = new Set(['update', 'setdefault', 'pop', 'popitem', 'clear', '__setitem__', '__delitem__', 'append', 'extend', 'insert', 'remove']);

/**
 * `self.NAME` (or `cls.NAME` in a classmethod) inside a method of a project class: the one
 * expression that gives NAME its value, when the class, its project bases and its project
 * subclasses write it exactly once, either in a class body or as a top-level statement of an
 * `__init__`. Undefined when `node` is not such an attribute.
 */
export function selfAttributeValue(node: PythonNode, file: string, modules: PythonModules): WrittenValue | 'unknown' | undefined {
  const object = node.childForFieldName('object');
  const name = node.childForFieldName('attribute')?.text;
  if (object?.type !== 'identifier' || !name) return undefined;
  const method = receiverMethod(object);
  if (!method) return undefined;
  const classNode = classOfMethod(method.fn);
  if (!classNode) return undefined;
  let cache = writeCache.get(modules);
  if (!cache) writeCache.set(modules, (cache = new Map()));
  const key = `${file}:${classNode.id}:${name}`;
  let found = cache.get(key);
  if (found === undefined) {
    found = onlyWrite(classNode, file, name, modules);
    cache.set(key, found);
  }
  if (found === null) return undefined;
  if (found === 'unknown') return 'unknown';
  // `cls.NAME` in a classmethod reads the class attribute, never what __init__ sets.
  if (method.classmethod && found.kind !== 'class') return 'unknown';
  return found.value;
}

const writeCache = new WeakMap<PythonModules, Map<string, { kind: 'class' | 'init'; value: WrittenValue } | 'unknown' | null>>();

/** The one write of NAME over the class, its project bases and subclasses; null when there is none. */
function onlyWrite(classNode: PythonNode, file: string, name: string, modules: PythonModules): { kind: 'class' | 'init'; value: WrittenValue } | 'unknown' | null {
  const chain = classChain(classNode, file, modules);
  if (!chain) return 'unknown';
  const classes = [...chain.classes, ...subclassesOf(classNode, modules)];
  const writes: Write[] = [];
  for (const cls of classes) writes.push(...writesOf(cls, name));
  if (writes.length !== 1) return writes.length === 0 ? null : 'unknown';
  const only = writes[0]!;
  if (only.kind === 'other' || !only.value) return 'unknown';
  // In a dataclass, a pydantic model or a NamedTuple a class-body value is only a default each
  // instance may replace; only a plain class (or a workflow class) keeps it.
  if (only.kind === 'class' && !chain.plain) return 'unknown';
  return { kind: only.kind, value: only.value };
}

/** The method whose first parameter `identifier` names, with no nested function rebinding it. */
function receiverMethod(identifier: PythonNode): { fn: PythonNode; classmethod: boolean } | undefined {
  for (let current = identifier.parent; current; current = current.parent) {
    if (current.type === 'class_definition') return undefined;
    if (current.type !== 'function_definition' && current.type !== 'lambda') continue;
    const parameters = current.childForFieldName('parameters');
    const names = parameters ? namedChildrenOf(parameters).map(parameterName) : [];
    if (current.type === 'function_definition' && classOfMethod(current)) {
      const decorators = decoratorsOf(current).map((d) => d.expression.text);
      if (decorators.includes('staticmethod')) return undefined;
      if (names[0] !== identifier.text || names.slice(1).includes(identifier.text)) return undefined;
      return { fn: current, classmethod: decorators.includes('classmethod') };
    }
    if (names.includes(identifier.text)) return undefined;
  }
  return undefined;
}

function parameterName(parameter: PythonNode): string | undefined {
  if (parameter.type === 'identifier') return parameter.text;
  const name = parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier');
  return name?.text;
}

/** The class a function is a method of (defined directly in its body). */
function classOfMethod(fn: PythonNode): PythonNode | undefined {
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  const block = holder.parent;
  return block?.type === 'block' && block.parent?.type === 'class_definition' ? block.parent : undefined;
}

interface ClassInFile {
  node: PythonNode;
  file: string;
}

/** Bases outside the project that add no fields: a class over them keeps its class attributes as written. */
const PLAIN_BASES = new Set(['object', 'ABC', 'abc.ABC', 'Generic', 'typing.Generic', 'Protocol', 'typing.Protocol']);

/**
 * The class and its project base classes, nearest first, and whether all of them are plain
 * classes (no decorator but @workflow.defn, no base outside the project but object, ABC, Generic
 * or Protocol). Undefined when a base names something the module index finds but is not a class.
 */
function classChain(classNode: PythonNode, file: string, modules: PythonModules): { classes: ClassInFile[]; plain: boolean } | undefined {
  const classes: ClassInFile[] = [];
  let plain = true;
  const pending: ClassInFile[] = [{ node: classNode, file }];
  while (pending.length > 0) {
    const current = pending.shift()!;
    if (classes.some((c) => c.node.id === current.node.id)) continue;
    if (classes.length > 10) return undefined;
    classes.push(current);
    if (decoratorsOf(current.node).some((d) => modules.qualifiedName(current.file, d.expression) !== 'temporalio.workflow.defn')) plain = false;
    const bases = current.node.childForFieldName('superclasses');
    for (const base of bases ? namedChildrenOf(bases) : []) {
      if (base.type === 'keyword_argument') {
        plain = false;
        continue;
      }
      const head = base.type === 'subscript' ? base.childForFieldName('value') : base;
      if (!head) continue;
      const definition = head.type === 'identifier' ? modules.lookup(current.file, head.text) : head.type === 'attribute' ? moduleClass(head, current.file, modules) : undefined;
      if (definition?.kind === 'class') pending.push({ node: definition.node, file: definition.file });
      else if (definition) return undefined;
      else if (!PLAIN_BASES.has(head.text)) plain = false;
    }
  }
  return { classes, plain };
}

/** `base.BaseFlow`: a class of an imported project module. */
function moduleClass(node: PythonNode, file: string, modules: PythonModules): { kind: string; node: PythonNode; file: string } | undefined {
  const object = node.childForFieldName('object');
  const name = node.childForFieldName('attribute')?.text;
  const target = object ? moduleFileOf(object, file, modules) : undefined;
  return target && name ? modules.lookup(target, name) : undefined;
}

const subclassIndex = new WeakMap<PythonModules, Map<string, ClassInFile[]>>();

/** Project classes that name `classNode`'s name among their bases (by name: a stranger with the same name counts too). */
function subclassesOf(classNode: PythonNode, modules: PythonModules): ClassInFile[] {
  let index = subclassIndex.get(modules);
  if (!index) {
    index = new Map();
    subclassIndex.set(modules, index);
    for (const [file, parsed] of modules.files) {
      for (const cls of parsed.tree.rootNode.descendantsOfType('class_definition')) {
        const bases = cls?.childForFieldName('superclasses');
        if (!cls || !bases) continue;
        for (const base of namedChildrenOf(bases)) {
          const head = base.type === 'subscript' ? base.childForFieldName('value') : base;
          const last = head?.type === 'attribute' ? head.childForFieldName('attribute')?.text : head?.type === 'identifier' ? head.text : undefined;
          if (!last) continue;
          const list = index.get(last) ?? [];
          list.push({ node: cls, file });
          index.set(last, list);
        }
      }
    }
  }
  const name = classNode.childForFieldName('name')?.text;
  const direct = (name && index.get(name)?.filter((c) => c.node.id !== classNode.id)) || [];
  // Subclasses of subclasses too.
  const all: ClassInFile[] = [];
  const queue = [...direct];
  while (queue.length > 0 && all.length < 50) {
    const next = queue.shift()!;
    if (all.some((c) => c.node.id === next.node.id)) continue;
    all.push(next);
    const nextName = next.node.childForFieldName('name')?.text;
    if (nextName) queue.push(...(index.get(nextName) ?? []));
  }
  return all;
}

type Write = { kind: 'class' | 'init' | 'other'; value?: WrittenValue };

/** Every place a class writes NAME: its body's assignments and any write to `<receiver>.NAME` in its methods. */
function writesOf(cls: ClassInFile, name: string): Write[] {
  const writes: Write[] = [];
  const body = cls.node.childForFieldName('body');
  for (const member of classMembers(cls.node)) {
    if (member.type === 'function_definition') {
      if (member.childForFieldName('name')?.text === name) writes.push({ kind: 'other' });
      writes.push(...methodWrites(member, name, cls.file));
      continue;
    }
    if (member.type === 'class_definition') {
      if (member.childForFieldName('name')?.text === name) writes.push({ kind: 'other' });
      continue;
    }
    const visit = (node: PythonNode) => {
      if (node.type !== 'assignment' && node.type !== 'augmented_assignment' && node.type !== 'for_statement') return;
      const left = node.childForFieldName('left');
      if (!left) return;
      const binds = left.type === 'identifier' ? left.text === name : PATTERNS.has(left.type) && left.namedChildren.some((c) => c?.type === 'identifier' && c.text === name);
      if (!binds) return;
      const right = node.childForFieldName('right');
      // `NAME: RetryPolicy` declares without assigning.
      if (node.type === 'assignment' && left.type === 'identifier' && !right) return;
      const direct = node.type === 'assignment' && left.type === 'identifier' && node.parent?.type === 'expression_statement' && node.parent.parent?.id === body?.id;
      writes.push(direct && right && right.type !== 'assignment' ? { kind: 'class', value: { node: right, file: cls.file } } : { kind: 'other' });
    };
    visit(member);
    descendantsInScope(member, visit);
  }
  return writes;
}

const PATTERNS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern']);

function methodWrites(fn: PythonNode, name: string, file: string): Write[] {
  const parameters = fn.childForFieldName('parameters');
  const first = parameters ? namedChildrenOf(parameters)[0] : undefined;
  const receiver = first ? parameterName(first) : undefined;
  const body = fn.childForFieldName('body');
  if (!receiver || !body) return [];
  const writes: Write[] = [];
  for (const attribute of body.descendantsOfType('attribute')) {
    if (!attribute || attribute.childForFieldName('attribute')?.text !== name) continue;
    const object = attribute.childForFieldName('object');
    if (object?.type !== 'identifier' || object.text !== receiver) continue;
    // Climb out of `self.NAME.field` / `self.NAME[key]` (a change in place) and of tuple targets.
    let child: PythonNode = attribute;
    let parent = attribute.parent;
    let deep = false;
    let grouped = false;
    while (parent) {
      if ((parent.type === 'attribute' && parent.childForFieldName('object')?.id === child.id) || (parent.type === 'subscript' && parent.childForFieldName('value')?.id === child.id)) deep = true;
      else if (TARGET_GROUPS.has(parent.type)) grouped = true;
      else break;
      child = parent;
      parent = parent.parent;
    }
    if (!parent) continue;
    const isLeft = parent.childForFieldName('left')?.id === child.id;
    if ((parent.type === 'assignment' || parent.type === 'augmented_assignment') && isLeft) {
      const right = parent.childForFieldName('right');
      const plain = parent.type === 'assignment' && !deep && !grouped && right && right.type !== 'assignment';
      const inInit = fn.childForFieldName('name')?.text === '__init__' && parent.parent?.type === 'expression_statement' && parent.parent.parent?.id === body.id;
      writes.push(plain && inInit ? { kind: 'init', value: { node: right, file } } : { kind: 'other' });
    } else if ((parent.type === 'for_statement' && isLeft) || parent.type === 'delete_statement' || parent.type === 'as_pattern_target') {
      writes.push({ kind: 'other' });
    } else if (deep && parent.type === 'call' && child.type === 'attribute' && MUTATORS.has(child.childForFieldName('attribute')?.text ?? '')) {
      // `self._options.update(...)`: the dict changes after it is written.
      writes.push({ kind: 'other' });
    }
  }
  // setattr(self, "NAME", ...) / setattr(self, name, ...): a write the code spells by string.
  for (const call of body.descendantsOfType('call')) {
    const callee = call?.childForFieldName('function');
    if (callee?.type !== 'identifier' || callee.text !== 'setattr') continue;
    const target = call!.childForFieldName('arguments')?.namedChildren[0];
    if (target?.text === receiver) writes.push({ kind: 'other' });
  }
  return writes;
}

/** `policies.DEFAULT_RETRY`: a module-level assignment of a project module imported as a name. */
export function moduleAttributeValue(node: PythonNode, file: string, modules: PythonModules): WrittenValue | undefined {
  const object = node.childForFieldName('object');
  const name = node.childForFieldName('attribute')?.text;
  if (!name || !object) return undefined;
  const target = moduleFileOf(object, file, modules);
  if (!target) return undefined;
  const definition = modules.lookup(target, name);
  return definition?.kind === 'assignment' && definition.value ? { node: definition.value, file: definition.file } : undefined;
}

/** The project file a module reference (`policies`, `app.policies`) names. */
function moduleFileOf(node: PythonNode, file: string, modules: PythonModules): string | undefined {
  if (node.type !== 'identifier') return undefined;
  const binding = modules.importBindingAt(file, node.text, node);
  return binding?.kind === 'module' ? binding.file : undefined;
}

/** Decorators that keep a function's return value as written. */
const TRANSPARENT_DECORATORS = new Set(['cache', 'lru_cache', 'functools.cache', 'functools.lru_cache', 'lru_cache()', 'functools.lru_cache()']);

/**
 * `default_retry_policy()`: a call with no arguments of a project function with no parameters,
 * not async and not a generator, whose body has exactly one `return` with a value: that value.
 * Undefined when the callee is not such a function.
 */
export function helperReturnValue(call: PythonNode, file: string, modules: PythonModules): WrittenValue | undefined {
  const callee = call.childForFieldName('function');
  const args = call.childForFieldName('arguments');
  if (!callee || !args || args.namedChildren.some((c) => c && c.type !== 'comment')) return undefined;
  let definition: { node: PythonNode; file: string } | undefined;
  if (callee.type === 'identifier') {
    const found = modules.lookupAt(file, callee.text, callee);
    if (found?.kind === 'function') definition = found;
  } else if (callee.type === 'attribute') {
    const object = callee.childForFieldName('object');
    const name = callee.childForFieldName('attribute')?.text;
    const target = object ? moduleFileOf(object, file, modules) : undefined;
    const found = target && name ? modules.lookup(target, name) : undefined;
    if (found?.kind === 'function') definition = found;
  }
  if (!definition) return undefined;
  const fn = definition.node;
  const parameters = fn.childForFieldName('parameters');
  if (isAsyncFunction(fn) || (parameters && namedChildrenOf(parameters).some((p) => p.type !== 'comment'))) return undefined;
  if (decoratorsOf(fn).some((d) => !TRANSPARENT_DECORATORS.has(d.node.text.replace(/^@\s*/, '').trim()))) return undefined;
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  const returns: PythonNode[] = [];
  let generator = false;
  descendantsInScope(body, (node) => {
    if (node.type === 'return_statement') returns.push(node);
    if (node.type === 'yield') generator = true;
  });
  const value = returns.length === 1 ? namedChildrenOf(returns[0]!)[0] : undefined;
  if (generator || !value) return undefined;
  // `opts = dict(...); opts.update(...); return opts`: the local changes after it is assigned.
  if (value.type === 'identifier' && body.descendantsOfType('call').some((c) => mutates(c, value.text))) return undefined;
  return { node: value, file: definition.file };
}

/** `name.update(...)` and the like: a call that changes the dict or list `name` holds. */
function mutates(call: PythonNode | null, name: string): boolean {
  const callee = call?.childForFieldName('function');
  if (callee?.type !== 'attribute') return false;
  const object = callee.childForFieldName('object');
  return object?.type === 'identifier' && object.text === name && MUTATORS.has(callee.childForFieldName('attribute')?.text ?? '');
}
