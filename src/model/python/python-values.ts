// Resolves Python expressions statically into the engine's StaticValue: literals, module
// constants (across project imports), dict literals and `**` spreads, `timedelta(...)` (read as
// milliseconds, the unit the engine's durations use), `RetryPolicy(...)` (its fields renamed to
// the engine's vocabulary) and `ActivityConfig(...)` / `dict(...)`. Values read from the
// environment with a default (`os.environ.get("X", d)`, `os.getenv("X", d)`, `os.getenv("X") or d`,
// also through int()/float()/str()) resolve to the default marked configurable, as TypeScript's
// `process.env.X ?? d` does; a read with no default and anything else are `unknown` with their
// source text: the checks treat them as "cannot tell".

import type { Configurable, StaticObject, StaticValue } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { helperReturnValue, moduleAttributeValue, selfAttributeValue } from './python-attribute-values.js';
import { parameterName } from './python-local-values.js';
import { callArguments, descendantsInScope, enclosing, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';

/** timedelta's parameters in positional order, with their length in milliseconds. */
const TIMEDELTA_UNITS: [string, number][] = [
  ['days', 86_400_000],
  ['seconds', 1000],
  ['microseconds', 0.001],
  ['milliseconds', 1],
  ['minutes', 60_000],
  ['hours', 3_600_000],
  ['weeks', 604_800_000],
];

/** RetryPolicy's fields (temporalio.common.RetryPolicy, a dataclass) in the engine's names. */
export const RETRY_POLICY_FIELDS: Record<string, string> = {
  initial_interval: 'initialInterval',
  backoff_coefficient: 'backoffCoefficient',
  maximum_interval: 'maximumInterval',
  maximum_attempts: 'maximumAttempts',
  non_retryable_error_types: 'nonRetryableErrorTypes',
};

const RETRY_POLICY = ['temporalio.common.RetryPolicy', 'temporalio.RetryPolicy'];
const TIMEDELTA = ['datetime.timedelta'];
const ENVIRONMENT_READS = ['os.environ.get', 'os.getenv'];
const CONVERSIONS = ['int', 'float', 'str'];
const DICT_BUILDERS = ['dict', 'temporalio.workflow.ActivityConfig', 'temporalio.workflow.LocalActivityConfig'];

export type PythonStaticValue = StaticValue<PythonNode>;

export function resolvePythonValue(node: PythonNode, file: string, modules: PythonModules, depth = 0): PythonStaticValue {
  const target = unparenthesize(node);
  const location = locateNode(file, target);
  const unknown = (): PythonStaticValue => ({ kind: 'unknown', text: target.text, location, node: target });
  if (depth > 12) return unknown();
  switch (target.type) {
    case 'string':
    case 'concatenated_string': {
      const value = stringLiteral(target);
      return value === undefined ? unknown() : { kind: 'string', value, location };
    }
    case 'integer':
    case 'float': {
      const value = Number(target.text.replace(/_/g, '').replace(/[jJ]$/, ''));
      return Number.isFinite(value) ? { kind: 'number', value, location } : unknown();
    }
    case 'true':
    case 'false':
      return { kind: 'boolean', value: target.type === 'true', location };
    case 'none':
      // None is "not given" for every SDK option the engine reads.
      return { kind: 'undefined', location };
    case 'unary_operator': {
      const operand = target.childForFieldName('argument');
      const operator = target.childForFieldName('operator')?.text;
      const value = operand ? resolvePythonValue(operand, file, modules, depth + 1) : undefined;
      if (value?.kind === 'number' && (operator === '-' || operator === '+')) return { kind: 'number', value: operator === '-' ? -value.value : value.value, location };
      return unknown();
    }
    case 'binary_operator':
      return arithmetic(target, file, modules, depth) ?? unknown();
    case 'boolean_operator':
      return environmentOrDefault(target, file, modules, depth) ?? eitherOr(target, file, modules, depth) ?? unknown();
    case 'list':
    case 'tuple':
    case 'set': {
      const elements: PythonStaticValue[] = [];
      for (const element of namedChildrenOf(target)) {
        if (element.type === 'list_splat') return unknown();
        elements.push(resolvePythonValue(element, file, modules, depth + 1));
      }
      return { kind: 'array', elements, location };
    }
    case 'dictionary':
      return dictionary(target, file, modules, depth);
    case 'identifier':
      return constant(target, file, modules, depth) ?? unknown();
    case 'call':
      return call(target, file, modules, depth) ?? unknown();
    case 'subscript':
      return entry(target, file, modules, depth) ?? unknown();
    case 'attribute':
      return classConstant(target, file, modules, depth) ?? settingsField(target, file, modules, depth) ?? attributeValue(target, file, modules, depth) ?? unknown();
    default:
      return unknown();
  }
}

/**
 * `POLICIES["fail_fast"]`: the entry of a dict literal (a module constant, typically a table of
 * retry policies or timeouts) under a key written as a constant. Undefined when the dict does not
 * resolve, has a `**` spread that does not, or lacks the key: the SDK would raise KeyError.
 */
function entry(subscript: PythonNode, file: string, modules: PythonModules, depth: number): PythonStaticValue | undefined {
  const value = subscript.childForFieldName('value');
  const indices = subscript.childrenForFieldName('subscript').filter((n): n is PythonNode => n !== null);
  if (!value || indices.length !== 1) return undefined;
  const table = resolvePythonValue(value, file, modules, depth + 1);
  const key = resolvePythonValue(indices[0]!, file, modules, depth + 1);
  if (table.kind !== 'object' || key.kind !== 'string' || table.unknownSpreads.length > 0) return undefined;
  return table.properties.get(key.value);
}

/**
 * The values of a function's parameters while one call of it is read (a project's activity wrapper,
 * read at each caller: python-activity-wrappers.ts); only parameters the function never rebinds.
 */
const parameterBindings = new Map<number, Map<string, PythonStaticValue>>();

/** Runs `read` with the function's parameters holding these values. */
export function withParameterValues<T>(fn: PythonNode, values: Map<string, PythonStaticValue>, read: () => T): T {
  const before = parameterBindings.get(fn.id);
  parameterBindings.set(fn.id, values);
  try {
    return read();
  } finally {
    if (before) parameterBindings.set(fn.id, before);
    else parameterBindings.delete(fn.id);
  }
}

/** Whether a value is true in a Python test, when it is known: None, False, 0 and "" are false; a policy or a non-empty dict is true. */
export function pythonTruth(value: PythonStaticValue): boolean | undefined {
  if ('configurable' in value && value.configurable) return undefined;
  switch (value.kind) {
    case 'undefined':
    case 'null':
      return false;
    case 'boolean':
      return value.value;
    case 'number':
      return value.value !== 0;
    case 'string':
      return value.value !== '';
    case 'array':
      return value.openSpread ? undefined : value.elements.length > 0;
    case 'object':
      return value.properties.size > 0 ? true : undefined;
    default:
      return undefined;
  }
}

/** `a or b`: b when a is known to be false (None, 0, ""), a when it is known to be true. */
function eitherOr(node: PythonNode, file: string, modules: PythonModules, depth: number): PythonStaticValue | undefined {
  if (!node.children.some((c) => c?.type === 'or')) return undefined;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (!left || !right) return undefined;
  const first = resolvePythonValue(left, file, modules, depth + 1);
  const truth = pythonTruth(first);
  return truth === undefined ? undefined : truth ? first : resolvePythonValue(right, file, modules, depth + 1);
}

function constant(identifier: PythonNode, file: string, modules: PythonModules, depth: number): PythonStaticValue | undefined {
  const local = localAssignment(identifier);
  if (local === 'reassigned') {
    const fn = enclosing(identifier, ['function_definition']);
    return fn ? parameterBindings.get(fn.id)?.get(identifier.text) : undefined;
  }
  if (local) return resolvePythonValue(local, file, modules, depth + 1);
  // A name in a class body (outside its methods) may be one of the class's own attributes.
  const owner = enclosing(identifier, ['function_definition', 'class_definition']);
  if (owner?.type === 'class_definition') {
    const value = classAttribute(owner, identifier.text);
    if (value) return resolvePythonValue(value, file, modules, depth + 1);
  }
  const definition = modules.lookup(file, identifier.text);
  if (definition?.kind !== 'assignment' || !definition.value) return undefined;
  return resolvePythonValue(definition.value, definition.file, modules, depth + 1);
}

/**
 * `RetryPolicies.DEFAULT`: an attribute assigned once in the body of a project class
 * (`DEFAULT: RetryPolicy = RetryPolicy(...)`), read through the class's name.
 */
function classConstant(node: PythonNode, file: string, modules: PythonModules, depth: number): PythonStaticValue | undefined {
  const object = node.childForFieldName('object');
  const name = node.childForFieldName('attribute')?.text;
  if (object?.type !== 'identifier' || !name) return undefined;
  const definition = modules.lookup(file, object.text);
  if (definition?.kind !== 'class') return undefined;
  const value = classAttribute(definition.node, name);
  return value ? resolvePythonValue(value, definition.file, modules, depth + 1) : undefined;
}

/**
 * `settings.WORKER_CACHE_SIZE` where `settings = Settings()` is a module-level instance of a
 * pydantic `BaseSettings` class whose body gives the field a default (`WORKER_CACHE_SIZE: int = 0`):
 * the default, marked as configurable through the environment variable of the field's name (pydantic
 * reads it, with the class's env_prefix if it has one).
 */
function settingsField(node: PythonNode, file: string, modules: PythonModules, depth: number): PythonStaticValue | undefined {
  const object = node.childForFieldName('object');
  const name = node.childForFieldName('attribute')?.text;
  if (!object || !name) return undefined;
  let definition: { node: PythonNode; file: string } | undefined;
  if (object.type === 'identifier') {
    const instance = modules.lookup(file, object.text);
    const construction = instance?.kind === 'assignment' && instance.value ? unparenthesize(instance.value) : undefined;
    const classNode = construction?.type === 'call' ? construction.childForFieldName('function') : undefined;
    if (!instance || !construction || classNode?.type !== 'identifier') return undefined;
    const found = modules.lookup(instance.file, classNode.text);
    if (found?.kind !== 'class') return undefined;
    definition = found;
  } else if (object.type === 'attribute') {
    // `self.settings.X`, where __init__ keeps a settings instance: `self.settings = settings or get_settings()`.
    const written = selfAttributeValue(object, file, modules);
    if (!written || written === 'unknown') return undefined;
    definition = settingsClassOf(written.node, written.file, modules, 0);
  }
  if (!definition) return undefined;
  const bases = definition.node.childForFieldName('superclasses')?.text ?? '';
  if (!/\bBaseSettings\b/.test(bases)) return undefined;
  const written = classAttribute(definition.node, name);
  if (!written) return undefined;
  const value = resolvePythonValue(written, definition.file, modules, depth + 1);
  if (value.kind !== 'number' && value.kind !== 'string' && value.kind !== 'boolean') return undefined;
  // A field declared as timedelta: pydantic turns a value from the environment into one, whatever its default.
  if (/\btimedelta\b/.test(written.parent?.childForFieldName('type')?.text ?? '') && value.written === undefined) return undefined;
  return { ...value, configurable: { env: name, reference: `${object.text}.${name}`, variable: settingsVariable(definition.node, name, written) } };
}

/**
 * The environment variable pydantic reads for a settings field: the field's name after the
 * class's literal env_prefix, case-insensitive unless case_sensitive=True. Null when the class or
 * the field says something the review does not read (a computed prefix, an alias, a base class of
 * the project's that may set a prefix).
 */
function settingsVariable(classNode: PythonNode, name: string, value: PythonNode): { name: string; caseInsensitive: boolean } | null {
  const bases = classNode.childForFieldName('superclasses')?.text ?? '';
  if (!/^\(\s*(pydantic_settings\.)?BaseSettings\s*\)$/.test(bases)) return null;
  const body = classNode.childForFieldName('body')?.text ?? '';
  if (/\b(alias|validation_alias|env)\s*=/.test(value.text) || /\bvalidation_alias\b|\balias_generator\b/.test(body)) return null;
  let prefix = '';
  if (/\benv_prefix\b/.test(body)) {
    const literal = /\benv_prefix\s*[=:]\s*["']([\w-]*)["']/.exec(body);
    if (!literal) return null;
    prefix = literal[1]!;
  }
  const sensitive = /\bcase_sensitive\s*[=:]\s*True\b/.test(body);
  if (!sensitive && /\bcase_sensitive\b/.test(body) && !/\bcase_sensitive\s*[=:]\s*False\b/.test(body)) return null;
  return { name: `${prefix}${name}`, caseInsensitive: !sensitive };
}

/**
 * The project's pydantic `BaseSettings` class an expression gives an instance of: `Settings()`, a
 * call of a function annotated to return it (`get_settings() -> Settings`, often behind `@lru_cache`), a parameter annotated with it (`Optional[Settings]`, `Settings | None`),
 * and `a or b` when both sides give the same class. Undefined for anything else.
 */
function settingsClassOf(expression: PythonNode, file: string, modules: PythonModules, depth: number): { node: PythonNode; file: string } | undefined {
  if (depth > 4) return undefined;
  const target = unparenthesize(expression);
  const isSettings = (found: { node: PythonNode; file: string } | undefined) => (found && /\bBaseSettings\b/.test(found.node.childForFieldName('superclasses')?.text ?? '') ? found : undefined);
  if (target.type === 'boolean_operator') {
    if (target.childForFieldName('operator')?.text !== 'or') return undefined;
    const left = target.childForFieldName('left');
    const right = target.childForFieldName('right');
    const a = left ? settingsClassOf(left, file, modules, depth + 1) : undefined;
    const b = right ? settingsClassOf(right, file, modules, depth + 1) : undefined;
    return a && b && a.node.id === b.node.id ? a : undefined;
  }
  if (target.type === 'identifier') {
    const fn = enclosing(target, ['function_definition']);
    const parameter = fn?.childForFieldName('parameters') ? namedChildrenOf(fn.childForFieldName('parameters')!).find((p) => parameterName(p) === target.text) : undefined;
    const annotation = parameter?.childForFieldName('type');
    return annotation ? isSettings(annotatedClass(annotation, file, modules)) : undefined;
  }
  if (target.type !== 'call') return undefined;
  const callee = target.childForFieldName('function');
  if (callee?.type !== 'identifier') return undefined;
  const found = modules.lookup(file, callee.text);
  if (found?.kind === 'class') return isSettings({ node: found.node, file: found.file });
  if (found?.kind !== 'function') return undefined;
  const returns = found.node.childForFieldName('return_type');
  if (returns) return isSettings(annotatedClass(returns, found.file, modules));
  return undefined;
}

/** The project class an annotation names: `Settings`, `Optional[Settings]`, `Settings | None`. */
function annotatedClass(annotation: PythonNode, file: string, modules: PythonModules): { node: PythonNode; file: string } | undefined {
  const text = annotation.text.replace(/\s+/g, '');
  const match = /^(?:(?:typing\.)?Optional\[([A-Za-z_]\w*)\]|([A-Za-z_]\w*)(?:\|None)?)$/.exec(text);
  const name = match?.[1] ?? match?.[2];
  if (!name || name === 'None') return undefined;
  const found = modules.lookup(file, name);
  return found?.kind === 'class' ? { node: found.node, file: found.file } : undefined;
}

/**
 * `self._retry_policy` (assigned once, in __init__, or a class attribute nobody rebinds) and
 * `policies.DEFAULT_RETRY` (a constant of an imported project module).
 */
function attributeValue(node: PythonNode, file: string, modules: PythonModules, depth: number): PythonStaticValue | undefined {
  const written = selfAttributeValue(node, file, modules) ?? moduleAttributeValue(node, file, modules);
  if (!written || written === 'unknown') return undefined;
  return resolvePythonValue(written.node, written.file, modules, depth + 1);
}

/** The value a class body assigns to a name, when it assigns it exactly once. */
function classAttribute(classNode: PythonNode, name: string): PythonNode | undefined {
  const body = classNode.childForFieldName('body');
  if (!body) return undefined;
  const values: PythonNode[] = [];
  for (const statement of namedChildrenOf(body)) {
    const assignment = statement.type === 'expression_statement' ? namedChildrenOf(statement)[0] : undefined;
    if (assignment?.type !== 'assignment' && assignment?.type !== 'augmented_assignment') continue;
    if (assignment.childForFieldName('left')?.text !== name) continue;
    const right = assignment.childForFieldName('right');
    if (assignment.type !== 'assignment' || !right) return undefined;
    values.push(right);
  }
  return values.length === 1 ? values[0] : undefined;
}

/**
 * The value of a local variable assigned once in the enclosing function (`retry_policy =
 * RetryPolicy(...)` before the calls that use it); 'reassigned' when it is a parameter or assigned
 * more than once, undefined when the function does not bind it.
 */
function localAssignment(identifier: PythonNode): PythonNode | 'reassigned' | undefined {
  const fn = enclosing(identifier, ['function_definition']);
  const body = fn?.childForFieldName('body');
  if (!fn || !body) return undefined;
  const name = identifier.text;
  const parameters = fn.childForFieldName('parameters');
  if (parameters && parameters.descendantsOfType('identifier').some((p) => p?.text === name)) return 'reassigned';
  const values: PythonNode[] = [];
  let other = false;
  descendantsInScope(body, (node) => {
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type === 'identifier' && left.text === name) {
        if (node.type === 'assignment' && right) values.push(right);
        else other = true;
      } else if (left && left.type !== 'identifier' && left.descendantsOfType('identifier').some((id) => id?.text === name && id.parent?.type !== 'attribute')) other = true;
    } else if ((node.type === 'for_statement' || node.type === 'with_item' || node.type === 'named_expression') && node.descendantsOfType('identifier').some((id) => id?.text === name)) {
      const left = node.type === 'for_statement' ? node.childForFieldName('left') : node.type === 'named_expression' ? node.childForFieldName('name') : node.childForFieldName('value')?.childForFieldName('alias');
      if (left?.descendantsOfType('identifier').some((id) => id?.text === name) || left?.text === name) other = true;
    }
  });
  if (other || values.length > 1) return values.length || other ? 'reassigned' : undefined;
  return values[0];
}

function arithmetic(node: PythonNode, file: string, modules: PythonModules, depth: number): PythonStaticValue | undefined {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const operator = node.childForFieldName('operator')?.text;
  if (!left || !right) return undefined;
  const a = resolvePythonValue(left, file, modules, depth + 1);
  const b = resolvePythonValue(right, file, modules, depth + 1);
  const location = locateNode(file, node);
  if (a.kind === 'number' && b.kind === 'number') {
    // timedelta * n and n * timedelta stay durations; timedelta + timedelta too.
    const written = a.written !== undefined || b.written !== undefined ? node.text : undefined;
    const result = operator === '+' ? a.value + b.value : operator === '-' ? a.value - b.value : operator === '*' ? a.value * b.value : operator === '/' && b.value !== 0 ? a.value / b.value : undefined;
    if (result === undefined) return undefined;
    return { kind: 'number', value: result, location, ...(written ? { written } : {}) };
  }
  if (a.kind === 'string' && b.kind === 'string' && operator === '+') return { kind: 'string', value: a.value + b.value, location };
  return undefined;
}

function dictionary(node: PythonNode, file: string, modules: PythonModules, depth: number): PythonStaticValue {
  const object: StaticObject<PythonNode> = { kind: 'object', properties: new Map(), unknownSpreads: [], location: locateNode(file, node) };
  for (const entry of namedChildrenOf(node)) {
    if (entry.type === 'pair') {
      const key = entry.childForFieldName('key');
      const value = entry.childForFieldName('value');
      const name = key ? stringLiteral(key) : undefined;
      if (name === undefined || !value) {
        object.unknownSpreads.push({ text: entry.text, location: locateNode(file, entry) });
        continue;
      }
      object.properties.delete(name);
      object.properties.set(name, resolvePythonValue(value, file, modules, depth + 1));
    } else if (entry.type === 'dictionary_splat') {
      const operand = namedChildrenOf(entry)[0];
      if (operand) spreadInto(object, operand, file, modules, depth);
    }
  }
  return object;
}

/** Applies `**operand` to an object being built: its properties when it resolves, an unknown spread otherwise. */
export function spreadInto(object: StaticObject<PythonNode>, operand: PythonNode, file: string, modules: PythonModules, depth: number): void {
  const value = resolvePythonValue(operand, file, modules, depth + 1);
  if (value.kind === 'object') {
    for (const [key, property] of value.properties) {
      object.properties.delete(key);
      object.properties.set(key, property);
    }
    object.unknownSpreads.push(...value.unknownSpreads);
  } else {
    object.unknownSpreads.push({ text: `**${operand.text}`, location: locateNode(file, operand) });
  }
}

function call(node: PythonNode, file: string, modules: PythonModules, depth: number): PythonStaticValue | undefined {
  const callee = node.childForFieldName('function');
  if (!callee) return undefined;
  const name = modules.qualifiedName(file, callee);
  if (!name) return helperValue(node, file, modules, depth);
  const location = locateNode(file, node);
  if (TIMEDELTA.includes(name)) return timedelta(node, file, modules, depth);
  const args = callArguments(node);
  if (ENVIRONMENT_READS.includes(name)) return environmentDefault(node, args, file, modules, depth);
  if (CONVERSIONS.includes(name)) return conversion(name, node, args, file, modules, depth);
  if (RETRY_POLICY.includes(name)) {
    const object: StaticObject<PythonNode> = { kind: 'object', properties: new Map(), unknownSpreads: [], location };
    if (args.positional.length > 0 || args.starred) return undefined;
    for (const [key, value] of args.keywords) {
      const resolved = resolvePythonValue(value, file, modules, depth + 1);
      if (!isPythonDefault(key, resolved)) object.properties.set(RETRY_POLICY_FIELDS[key] ?? key, resolved);
    }
    for (const spread of args.spreads) object.unknownSpreads.push({ text: `**${spread.text}`, location: locateNode(file, spread) });
    return object;
  }
  if (DICT_BUILDERS.includes(name)) {
    if (args.positional.length > 1 || args.starred) return undefined;
    const object: StaticObject<PythonNode> = { kind: 'object', properties: new Map(), unknownSpreads: [], location };
    if (args.positional[0]) spreadInto(object, args.positional[0], file, modules, depth);
    for (const spread of args.spreads) spreadInto(object, spread, file, modules, depth);
    for (const [key, value] of args.keywords) {
      object.properties.delete(key);
      object.properties.set(key, resolvePythonValue(value, file, modules, depth + 1));
    }
    return object;
  }
  return helperValue(node, file, modules, depth);
}

/** `default_retry_policy()`: a project helper with no parameters that returns one expression. */
function helperValue(node: PythonNode, file: string, modules: PythonModules, depth: number): PythonStaticValue | undefined {
  const helper = helperReturnValue(node, file, modules);
  return helper ? resolvePythonValue(helper.node, helper.file, modules, depth + 1) : undefined;
}

/**
 * Values the Python SDK treats as "not set" although the TypeScript SDK would reject them:
 * maximum_attempts=0 is the dataclass default (unlimited), and a zero interval is falsy, so
 * apply_to_proto sends initial_interval * 100 for maximum_interval and the server's default for
 * initial_interval. Dropping them lets the engine read the policy with the Python SDK's meaning.
 */
function isPythonDefault(key: string, value: PythonStaticValue): boolean {
  if (value.kind === 'undefined') return true;
  if (value.kind !== 'number' || value.value !== 0) return false;
  return key === 'maximum_attempts' || key === 'maximum_interval' || key === 'initial_interval';
}

function timedelta(node: PythonNode, file: string, modules: PythonModules, depth: number): PythonStaticValue | undefined {
  const args = callArguments(node);
  if (args.starred || args.spreads.length > 0 || args.positional.length > TIMEDELTA_UNITS.length) return undefined;
  let ms = 0;
  let configurable: Configurable | undefined;
  const add = (unit: string, value: PythonNode): boolean => {
    const factor = TIMEDELTA_UNITS.find(([name]) => name === unit)?.[1];
    const resolved = resolvePythonValue(value, file, modules, depth + 1);
    if (factor === undefined || resolved.kind !== 'number') return false;
    ms += resolved.value * factor;
    configurable ??= resolved.configurable;
    return true;
  };
  for (const [index, value] of args.positional.entries()) if (!add(TIMEDELTA_UNITS[index]![0], value)) return undefined;
  for (const [unit, value] of args.keywords) if (!add(unit, value)) return undefined;
  return { kind: 'number', value: Math.round(ms * 1000) / 1000, location: locateNode(file, node), written: node.text, ...(configurable ? { configurable } : {}) };
}

/** The variable name of `os.environ.get("X", ...)` / `os.getenv("X", ...)`, with how the code reads it. */
function environmentRead(node: PythonNode, file: string, modules: PythonModules): Configurable | undefined {
  const target = unparenthesize(node);
  if (target.type !== 'call') return undefined;
  const callee = target.childForFieldName('function');
  const name = callee ? modules.qualifiedName(file, callee) : undefined;
  if (!name || !ENVIRONMENT_READS.includes(name)) return undefined;
  const first = callArguments(target).positional[0];
  const env = first ? stringLiteral(first) : undefined;
  return env === undefined ? undefined : { env, reference: `${name}("${env}")` };
}

/** `os.environ.get("X", default)`: the default, marked as configurable through X. */
function environmentDefault(node: PythonNode, args: ReturnType<typeof callArguments>, file: string, modules: PythonModules, depth: number): PythonStaticValue | undefined {
  const read = environmentRead(node, file, modules);
  const fallback = args.positional[1] ?? args.keywords.get('default');
  if (!read || !fallback) return undefined;
  return configurableDefault(resolvePythonValue(fallback, file, modules, depth + 1), read);
}

/** `os.getenv("X") or default`: the default when X is unset or empty. */
function environmentOrDefault(node: PythonNode, file: string, modules: PythonModules, depth: number): PythonStaticValue | undefined {
  if (!node.children.some((c) => c?.type === 'or')) return undefined;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const read = left ? environmentRead(left, file, modules) : undefined;
  if (!read || !right) return undefined;
  return configurableDefault(resolvePythonValue(right, file, modules, depth + 1), read);
}

function configurableDefault(value: PythonStaticValue, read: Configurable): PythonStaticValue | undefined {
  if (value.kind !== 'string' && value.kind !== 'number' && value.kind !== 'boolean') return undefined;
  return { ...value, configurable: value.configurable ?? read };
}

/** int(...), float(...), str(...) of a resolved value, keeping where it came from. */
function conversion(name: string, node: PythonNode, args: ReturnType<typeof callArguments>, file: string, modules: PythonModules, depth: number): PythonStaticValue | undefined {
  const argument = args.positional[0];
  if (!argument || args.positional.length !== 1 || args.keywords.size > 0 || args.spreads.length > 0 || args.starred) return undefined;
  const value = resolvePythonValue(argument, file, modules, depth + 1);
  if (value.kind !== 'string' && value.kind !== 'number') return undefined;
  const location = locateNode(file, node);
  const configurable = value.configurable ? { configurable: value.configurable } : {};
  if (name === 'str') return { kind: 'string', value: String(value.value), location, ...configurable };
  const text = String(value.value).trim().replace(/_/g, '');
  const valid = name === 'int' ? /^[-+]?\d+$/.test(text) || (value.kind === 'number') : text !== '' && Number.isFinite(Number(text));
  if (!valid) return undefined;
  const number = name === 'int' ? Math.trunc(Number(text)) : Number(text);
  return { kind: 'number', value: number, location, ...configurable };
}
