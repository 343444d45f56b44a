// Where a Python payload class is built and what its fields hold when a constructor call does not
// pass them: every `Cls(...)` and `cls(...)` of the class and its project subclasses, the declared
// default of each annotated field and the positional order of the fields (dataclass order).

import type { PythonNode } from './parse-python.js';
import { sameNode, type Located, type ProjectIndex } from './python-project-index.js';
import { callArguments, classMembers, decoratorsOf, enclosing, namedChildrenOf, unparenthesize } from './python-syntax.js';
import { classDefinition } from './python-type-graph.js';

export type ClassRef = Located;

const CONSTRUCTOR_HOOKS = new Set(['__init__', '__new__', '__post_init__', 'model_post_init', '__attrs_post_init__']);
const EMPTY_FACTORIES = new Set(['list', 'dict', 'set', 'tuple', 'List', 'Dict']);

export interface ClassConstructions {
  /** The project class a callee or base expression names. */
  projectClass(callee: PythonNode, file: string): ClassRef | undefined;
  /** Every construction of a class and of its project subclasses; undefined when one escapes the reader. */
  constructions(cls: ClassRef): Located[] | undefined;
  /** The annotated declaration of a field (on the class or a project base): its default, null when it has none. */
  fieldDefault(cls: ClassRef, field: string): { value: PythonNode | null } | undefined;
  /** Positional order of a class's annotated fields, bases first. */
  fieldOrder(cls: ClassRef): string[];
}

export function classConstructions(index: ProjectIndex): ClassConstructions {
  const { modules, byName } = index;
  const projectClass = (callee: PythonNode, file: string): ClassRef | undefined => {
    const definition = classDefinition(callee, file, modules);
    return definition?.kind === 'class' ? { node: definition.node, file: definition.file } : undefined;
  };
  const methodsOf = (cls: ClassRef) => classMembers(cls.node).filter((m) => m.type === 'function_definition');

  const cache = new Map<number, Located[] | undefined>();
  const constructions = (cls: ClassRef, depth = 0): Located[] | undefined => {
    if (cache.has(cls.node.id)) return cache.get(cls.node.id);
    cache.set(cls.node.id, undefined);
    const name = cls.node.childForFieldName('name')?.text ?? '';
    const own = new Set(methodsOf(cls).map((m) => m.childForFieldName('name')?.text));
    const bases = cls.node.childForFieldName('superclasses')?.text ?? '';
    // A TypedDict is built by any dict literal; a hook or validator rewrites what the call passed.
    const opaque = /TypedDict/.test(bases) || [...own].some((m) => m && CONSTRUCTOR_HOOKS.has(m)) || methodsOf(cls).some((m) => decoratorsOf(m).some((d) => /validator/.test(d.expression.text)));
    if (opaque || depth > 4) return undefined;
    const found: Located[] = [];
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
    cache.set(cls.node.id, found);
    return found;
  };

  const superclasses = (cls: ClassRef): ClassRef[] => {
    const list = cls.node.childForFieldName('superclasses');
    return (list ? namedChildrenOf(list) : []).flatMap((base) => projectClass(base, cls.file) ?? []);
  };

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

  return { projectClass, constructions: (cls) => constructions(cls), fieldDefault: (cls, field) => fieldDefault(cls, field), fieldOrder: (cls) => fieldOrder(cls) };
}

/** `None`, an empty literal, or `field(default=None)` / `Field(default_factory=list)`: no value until a producer gives one. */
export function emptyDefault(value: PythonNode): boolean {
  const node = unparenthesize(value);
  if (node.type === 'none') return true;
  if (['list', 'dictionary', 'tuple'].includes(node.type)) return namedChildrenOf(node).length === 0;
  if (node.type !== 'call' || !/^(?:dataclasses\.|pydantic\.)?(?:field|Field)$/.test(node.childForFieldName('function')?.text ?? '')) return false;
  const args = callArguments(node);
  const given = args.keywords.get('default') ?? args.positional[0];
  const factory = args.keywords.get('default_factory');
  return given ? given.type === 'none' : factory ? EMPTY_FACTORIES.has(factory.text) : false;
}
