// Reads Python type annotations statically: `list[Order]`, `Optional[Customer]`, `Order | None`,
// `typing.Dict[str, Any]`, and the project's own payload classes (dataclasses, Pydantic models,
// TypedDicts, NamedTuples) with their annotated fields, resolved across modules. Nothing is
// imported: a class is a payload class by its decorators and base classes as written.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { classMembers, decoratorsOf, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';

/** An annotation as read: a name with its arguments, a union, a project class, or a leaf. */
export type PythonType =
  | { kind: 'generic'; name: string; args: PythonType[]; text: string }
  | { kind: 'union'; members: PythonType[]; text: string }
  | { kind: 'class'; name: string; node: PythonNode; file: string; text: string }
  | { kind: 'leaf'; text: string };

export interface PythonField {
  name: string;
  type: PythonType;
}

/** The last segment of a dotted name the annotation spells (`typing.List` -> `List`). */
const base = (name: string) => name.slice(name.lastIndexOf('.') + 1);

const WRAPPERS = new Set(['Optional', 'Annotated', 'Final', 'Required', 'NotRequired', 'ReadOnly', 'Awaitable', 'Coroutine']);
/** Classes whose subclasses are payload classes (their annotated fields are the data). */
const PAYLOAD_BASES = new Set(['BaseModel', 'TypedDict', 'NamedTuple', 'RootModel', 'Struct']);
const ENUM_BASES = new Set(['Enum', 'IntEnum', 'StrEnum', 'Flag', 'IntFlag']);
const DATACLASS_DECORATORS = new Set(['dataclass', 'define', 'frozen', 'mutable', 'attrs', 's', 'dataclass_json', 'pydantic_dataclass']);

/** Reads an annotation node (`type`, or the expression inside it). */
export function readAnnotation(node: PythonNode, file: string, modules: PythonModules, depth = 0): PythonType {
  let target = unparenthesize(node);
  if (target.type === 'type') target = namedChildrenOf(target)[0] ?? target;
  const text = target.text;
  if (depth > 10) return { kind: 'leaf', text };
  switch (target.type) {
    case 'none':
      return { kind: 'leaf', text };
    case 'string': {
      // A forward reference ("Order") names a class like the bare identifier would.
      const inner = text.replace(/^[rbuRBU]*(['"])(.*)\1$/s, '$2').trim();
      if (/^[A-Za-z_][\w.]*$/.test(inner)) return named(inner, undefined, file, modules, text);
      return { kind: 'leaf', text };
    }
    case 'identifier':
    case 'attribute':
      return named(target.text, target, file, modules, text);
    case 'generic_type': {
      const head = namedChildrenOf(target)[0];
      const parameters = namedChildrenOf(target).find((c) => c.type === 'type_parameter');
      const args = parameters ? namedChildrenOf(parameters).map((a) => readAnnotation(a, file, modules, depth + 1)) : [];
      return head ? generic(head, args, file, modules, text) : { kind: 'leaf', text };
    }
    case 'subscript': {
      const head = target.childForFieldName('value');
      const args = target.childrenForFieldName('subscript').filter((a): a is PythonNode => a !== null).map((a) => readAnnotation(a, file, modules, depth + 1));
      return head ? generic(head, args, file, modules, text) : { kind: 'leaf', text };
    }
    case 'binary_operator': {
      if (target.childForFieldName('operator')?.text !== '|') return { kind: 'leaf', text };
      const left = target.childForFieldName('left');
      const right = target.childForFieldName('right');
      const members = [left, right].filter((m): m is PythonNode => m !== null).map((m) => readAnnotation(m, file, modules, depth + 1));
      return { kind: 'union', members, text };
    }
    case 'ellipsis':
      return { kind: 'leaf', text: '...' };
    default:
      return { kind: 'leaf', text };
  }
}

function generic(head: PythonNode, args: PythonType[], file: string, modules: PythonModules, text: string): PythonType {
  const qualified = modules.qualifiedName(file, head) ?? head.text;
  const name = base(qualified);
  if (name === 'Union') return { kind: 'union', members: args, text };
  if (WRAPPERS.has(name)) {
    // Optional[X] is X | None; Annotated[X, meta] is X; Coroutine[a, b, X] returns X.
    if (name === 'Optional' || name === 'Coroutine') return name === 'Optional' ? { kind: 'union', members: args, text } : (args[2] ?? { kind: 'leaf', text });
    return args[0] ?? { kind: 'leaf', text };
  }
  return { kind: 'generic', name, args, text };
}

function named(name: string, node: PythonNode | undefined, file: string, modules: PythonModules, text: string): PythonType {
  const definition = node ? classDefinition(node, file, modules) : modules.lookup(file, name.split('.')[0]!);
  if (definition && definition.node.type === 'class_definition') return { kind: 'class', name: base(name), node: definition.node, file: definition.file, text };
  if (definition?.kind === 'assignment' && definition.value) {
    // `OrderLines = list[OrderLine]`: a type alias written as a module constant.
    const value = definition.value;
    if (['generic_type', 'subscript', 'binary_operator'].includes(value.type) || (value.type === 'identifier' && value.text !== name)) {
      return readAnnotation(value, definition.file, modules, 5);
    }
  }
  const qualified = node ? (modules.qualifiedName(file, node) ?? name) : name;
  return { kind: 'generic', name: base(qualified), args: [], text };
}

/** The definition an identifier or `module.Name` refers to, following project imports. */
export function classDefinition(node: PythonNode, file: string, modules: PythonModules) {
  if (node.type === 'identifier') return modules.lookup(file, node.text);
  if (node.type !== 'attribute') return undefined;
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute')?.text;
  if (object?.type !== 'identifier' || !attribute) return undefined;
  const binding = modules.importsOf(file).get(object.text);
  return binding?.kind === 'module' && binding.file ? modules.lookup(binding.file, attribute) : undefined;
}

/** The data fields of a payload class (its own and its project bases'), or undefined when it is not one. */
export function payloadFields(classNode: PythonNode, file: string, modules: PythonModules, depth = 0): PythonField[] | undefined {
  if (depth > 6) return undefined;
  const bases = baseClasses(classNode, file, modules);
  if (bases.some((b) => b.kind === 'external' && ENUM_BASES.has(b.name))) return undefined;
  let payload = bases.some((b) => b.kind === 'external' && PAYLOAD_BASES.has(b.name)) || decoratorsOf(classNode).some((d) => DATACLASS_DECORATORS.has(base(modules.qualifiedName(file, d.expression) ?? d.expression.text)));
  const fields: PythonField[] = [];
  for (const b of bases) {
    if (b.kind !== 'project') continue;
    const inherited = payloadFields(b.node, b.file, modules, depth + 1);
    if (inherited) {
      payload = true;
      fields.push(...inherited);
    }
  }
  if (!payload) return undefined;
  for (const member of classMembers(classNode)) {
    const assignment = member.type === 'expression_statement' ? namedChildrenOf(member)[0] : undefined;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    const annotation = assignment.childForFieldName('type');
    if (left?.type !== 'identifier' || !annotation) continue;
    const type = readAnnotation(annotation, file, modules);
    // ClassVar fields are not instance data; `model_config` is Pydantic configuration.
    if (type.kind === 'generic' && type.name === 'ClassVar') continue;
    if (left.text === 'model_config') continue;
    const existing = fields.findIndex((f) => f.name === left.text);
    if (existing >= 0) fields.splice(existing, 1);
    fields.push({ name: left.text, type });
  }
  return fields;
}

type BaseClass = { kind: 'project'; node: PythonNode; file: string } | { kind: 'external'; name: string };

function baseClasses(classNode: PythonNode, file: string, modules: PythonModules): BaseClass[] {
  const list = classNode.childForFieldName('superclasses');
  const result: BaseClass[] = [];
  for (const entry of list ? namedChildrenOf(list) : []) {
    if (entry.type === 'keyword_argument') continue;
    const head = entry.type === 'subscript' ? entry.childForFieldName('value') : entry.type === 'generic_type' ? namedChildrenOf(entry)[0] : entry;
    if (!head) continue;
    const definition = classDefinition(head, file, modules);
    if (definition?.kind === 'class') result.push({ kind: 'project', node: definition.node, file: definition.file });
    else result.push({ kind: 'external', name: base(modules.qualifiedName(file, head) ?? head.text) });
  }
  return result;
}

export function classLocation(type: Extract<PythonType, { kind: 'class' }>): SourceLocation {
  return locateNode(type.file, type.node.childForFieldName('name') ?? type.node);
}
