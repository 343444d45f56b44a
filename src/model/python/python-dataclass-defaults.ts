// Start options read from a field of a project dataclass that nobody sets: `config.task_queue`
// where `config` is a parameter annotated `ScheduleConfig`, a local built by `ScheduleConfig(...)`
// or read from a dict attribute annotated `dict[str, ScheduleConfig]`, and the class declares
// `task_queue: str = "audit-agent-queue"` (or `field(default=...)`, `field(default_factory=lambda: ...)`).
// The default is the value only when no construction of the class (or its project subclasses) in
// the project's non-test code passes that field, positionally or by keyword, none expands `**` into
// it, and no code assigns an attribute of that name: otherwise it stays unknown.

import type { StaticObject } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { ClassConstructions, ClassRef } from './python-class-constructions.js';
import type { ProjectIndex } from './python-project-index.js';
import { localValues, parameterName, parameterOf } from './python-local-values.js';
import { callArguments, classMembers, decoratorsOf, enclosing, namedChildrenOf, unparenthesize } from './python-syntax.js';
import { readAnnotation, type PythonType } from './python-type-graph.js';
import { resolvePythonValue, type PythonStaticValue } from './python-values.js';

/** The start options a dataclass default may fill. */
const FILLED = ['taskQueue', 'execution_timeout', 'run_timeout'];

/** Replaces each unknown start option in FILLED that reads an unset dataclass field with the field's default. */
export function fillDataclassDefaults(options: StaticObject<PythonNode>[], index: ProjectIndex, classes: ClassConstructions): void {
  for (const object of options) {
    for (const key of FILLED) {
      const value = object.properties.get(key);
      if (value?.kind !== 'unknown' || !value.node || value.node.type !== 'attribute') continue;
      const filled = dataclassFieldDefault(value.node, value.location.file, index, classes);
      if (filled) object.properties.set(key, filled);
    }
  }
}

function dataclassFieldDefault(node: PythonNode, file: string, index: ProjectIndex, classes: ClassConstructions): PythonStaticValue | undefined {
  const object = node.childForFieldName('object');
  const field = node.childForFieldName('attribute')?.text;
  if (object?.type !== 'identifier' || !field) return undefined;
  const cls = classOfName(object, file, index, classes);
  if (!cls || !isDataclass(cls, index)) return undefined;
  const declared = classes.fieldDefault(cls, field);
  if (!declared?.value) return undefined;
  const constructions = classes.constructions(cls);
  if (!constructions) return undefined;
  const position = classes.fieldOrder(cls).indexOf(field);
  for (const construction of constructions) {
    const args = callArguments(construction.node);
    if (args.keywords.has(field) || args.spreads.length > 0 || args.starred || (position >= 0 && args.positional.length > position)) return undefined;
  }
  if (index.attributeWrites.some((write) => write.node.childForFieldName('attribute')?.text === field)) return undefined;
  // `dataclasses.replace(config, task_queue=...)` / `config.model_copy(update=...)`: a copy with the field set
  if (index.calls.some((call) => /(^|\.)(replace|evolve)$/.test(call.node.childForFieldName('function')?.text ?? '') && callArguments(call.node).keywords.has(field))) return undefined;
  const written = defaultExpression(declared.value);
  if (!written) return undefined;
  const value = resolvePythonValue(written, cls.file, index.modules);
  if (value.kind === 'string' && !value.configurable) return value;
  if (value.kind === 'number' && (field.endsWith('_timeout') || field.endsWith('timeout'))) return value;
  return undefined;
}

/** `x` in a function: its class, from the parameter's annotation, a `Cls(...)` it is assigned, or a dict attribute it is read from. */
function classOfName(name: PythonNode, file: string, index: ProjectIndex, classes: ClassConstructions): ClassRef | undefined {
  const fn = parameterOf(name);
  if (fn) {
    const parameters = fn.childForFieldName('parameters');
    const parameter = parameters ? namedChildrenOf(parameters).find((p) => parameterName(p) === name.text) : undefined;
    const annotation = parameter?.childForFieldName('type');
    if (!annotation || reassigned(fn, name.text)) return undefined;
    return single(readAnnotation(annotation, file, index.modules));
  }
  const values = localValues(name, file);
  if (!values || values.length !== 1) return undefined;
  const value = unparenthesize(values[0]!.node);
  if (value.type === 'call') {
    const callee = value.childForFieldName('function');
    const constructed = callee ? classes.projectClass(callee, file) : undefined;
    if (constructed) return constructed;
    // `self._items.get(key)`
    if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'get') return dictValueClass(callee.childForFieldName('object'), file, index);
    return undefined;
  }
  if (value.type === 'subscript') return dictValueClass(value.childForFieldName('value'), file, index);
  return undefined;
}

/** `self._items` annotated `dict[str, Cls]` in its class (`self._items: dict[str, Cls] = {}` or a class-level annotation): Cls. */
function dictValueClass(node: PythonNode | null, file: string, index: ProjectIndex): ClassRef | undefined {
  if (node?.type !== 'attribute' || node.childForFieldName('object')?.text !== 'self') return undefined;
  const attribute = node.childForFieldName('attribute')?.text;
  const cls = enclosing(node, ['class_definition']);
  if (!attribute || !cls) return undefined;
  const annotations: PythonNode[] = [];
  for (const assignment of cls.descendantsOfType('assignment')) {
    const left = assignment?.childForFieldName('left');
    const type = assignment?.childForFieldName('type');
    if (!left || !type) continue;
    if ((left.type === 'attribute' && left.childForFieldName('object')?.text === 'self' && left.childForFieldName('attribute')?.text === attribute) || (left.type === 'identifier' && left.text === attribute && enclosing(assignment!, ['function_definition', 'class_definition'])?.id === cls.id)) {
      annotations.push(type);
    }
  }
  if (annotations.length !== 1) return undefined;
  const read = readAnnotation(annotations[0]!, file, index.modules);
  if (read.kind !== 'generic' || !/^(dict|Dict|Mapping|MutableMapping)$/.test(read.name) || read.args.length !== 2) return undefined;
  return single(read.args[1]!);
}

/** A project class, or `Cls | None` / `Optional[Cls]`. */
function single(type: PythonType): ClassRef | undefined {
  if (type.kind === 'class') return { node: type.node, file: type.file };
  if (type.kind === 'union') {
    const members = type.members.filter((m) => !(m.kind === 'leaf' && (m.text === 'None' || m.text === 'NoneType')));
    return members.length === 1 ? single(members[0]!) : undefined;
  }
  return undefined;
}

function reassigned(fn: PythonNode, name: string): boolean {
  return fn.descendantsOfType(['assignment', 'augmented_assignment']).some((a) => a?.childForFieldName('left')?.text === name);
}

/** `@dataclass` (or attrs' `@define`): the fields are the constructor's parameters. */
function isDataclass(cls: ClassRef, index: ProjectIndex): boolean {
  return decoratorsOf(cls.node).some((d) => /^(dataclasses\.dataclass|attr\.(s|define|frozen)|attrs\.(define|frozen))$/.test(index.modules.qualifiedName(cls.file, d.expression) ?? '')) &&
    !classMembers(cls.node).some((m) => m.type === 'function_definition' && ['__init__', '__post_init__'].includes(m.childForFieldName('name')?.text ?? ''));
}

/** The value a field default gives: the literal, `field(default=x)` or `field(default_factory=lambda: x)`. */
function defaultExpression(value: PythonNode): PythonNode | undefined {
  const node = unparenthesize(value);
  if (node.type !== 'call') return node;
  const callee = node.childForFieldName('function')?.text ?? '';
  if (!/^(dataclasses\.)?field$|^(attr\.|attrs\.)?(field|ib)$/.test(callee)) return node;
  const args = callArguments(node);
  const given = args.keywords.get('default');
  if (given) return given;
  const factory = args.keywords.get('default_factory') ?? args.keywords.get('factory');
  if (factory?.type === 'lambda') return factory.childForFieldName('body') ?? undefined;
  return undefined;
}
