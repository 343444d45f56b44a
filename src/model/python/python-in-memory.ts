// Whether a Python activity runs entirely in memory, the rule src/model/typescript/in-memory-activity.ts
// applies to TypeScript: its body, and the project helpers it calls, never wait on anything. No
// `await`, `async for` / `async with` or `yield`; no loop (a `for` or `while` statement, or a
// comprehension that calls something); and every call is one that only computes on values: a
// builtin (`len`, `dict`, `str`), a value helper of the standard library (`json.dumps`,
// `datetime.now`, `uuid.uuid4`), a log line, the activity's own context (`activity.info()`), a
// method of the activity's arguments (payloads, plain data) or a value method (`.strip()`,
// `.items()`), a project class built from values, or a project function (plain `def`) that is
// itself in memory. Anything else (a client's method, an unknown call, a sleep, a subprocess) may
// wait, and the answer is no. A stub that returns a constant dict is in memory.

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { functionTarget } from './python-activities.js';
import { classMembers, descendantsInScope, isAsyncFunction, namedChildrenOf } from './python-syntax.js';
import { catchesAll, exceptClauses } from './python-caught-errors.js';

/** Past this many nested helper calls the answer is "cannot tell", so not in memory. */
const MAX_CALL_DEPTH = 3;

const BUILTINS = new Set([
  'str', 'int', 'float', 'bool', 'bytes', 'dict', 'list', 'set', 'tuple', 'frozenset', 'len', 'isinstance', 'issubclass', 'min', 'max', 'sum', 'abs',
  'round', 'sorted', 'reversed', 'enumerate', 'zip', 'range', 'any', 'all', 'repr', 'format', 'getattr', 'hasattr', 'type', 'hash', 'id', 'divmod',
  'ord', 'chr', 'print', 'super', 'object',
  'Exception', 'ValueError', 'TypeError', 'KeyError', 'RuntimeError', 'NotImplementedError', 'LookupError', 'AssertionError', 'IndexError',
]);

/** Standard-library calls that compute on values (no I/O, no wait). */
const VALUE_CALLS = new Set([
  'json.dumps', 'json.loads',
  'datetime.datetime', 'datetime.datetime.now', 'datetime.datetime.utcnow', 'datetime.datetime.fromisoformat', 'datetime.datetime.fromtimestamp',
  'datetime.timedelta', 'datetime.date', 'datetime.date.today', 'datetime.timezone',
  'time.time', 'time.monotonic', 'time.perf_counter', 'time.time_ns',
  'uuid.uuid4', 'uuid.uuid1', 'uuid.UUID',
  'os.getenv', 'os.environ.get',
  'hashlib.sha256', 'hashlib.md5', 'hashlib.sha1',
  're.compile', 're.match', 're.search', 're.sub', 're.findall', 're.fullmatch', 're.split',
  'dataclasses.asdict', 'copy.copy', 'copy.deepcopy', 'math.ceil', 'math.floor',
  'temporalio.activity.info', 'temporalio.activity.in_activity', 'temporalio.activity.is_cancelled',
  'temporalio.exceptions.ApplicationError',
]);

/** Methods that only read or reshape a value in memory, whatever it is. */
const VALUE_METHODS = new Set([
  'items', 'keys', 'values', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'split', 'rsplit', 'splitlines', 'join', 'format', 'replace',
  'startswith', 'endswith', 'isoformat', 'encode', 'decode', 'title', 'capitalize', 'model_dump', 'model_dump_json', 'to_dict', 'total_seconds',
  'hexdigest', 'append', 'extend',
]);

const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'log']);

export function pythonRunsInMemory(fn: PythonNode, file: string, modules: PythonModules): boolean {
  return inMemory(fn, file, modules, 0, new Set());
}

/**
 * Whether the activity performs no I/O: the rule above, but loops and comprehensions are allowed
 * (iterating over a value reads no file and no network), and a method of a local name bound only
 * from the activity's arguments or literals (`for deal in context.get("deals", []): deal.get("name")`)
 * counts as a method of the arguments. Every call must still be a builtin, a value helper of the
 * standard library, a log line, a value method or a project function that performs no I/O either:
 * an unknown call counts as possible I/O. Such an activity cannot fail because a dependency is down.
 * A `raise`, an `assert` or a parsing call (`json.loads`) leaves it out: it states a failure of its
 * input, which the retry checks report as such.
 */
export function pythonPerformsNoIO(fn: PythonNode, file: string, modules: PythonModules): boolean {
  return inMemory(fn, file, modules, 0, new Set(), 'raises', true);
}

/**
 * Whether the activity cannot fail into Temporal's retry policy: in memory by the rule above and,
 * stricter, no `raise` or `assert`, no method of an argument (its type is not read), no call that
 * parses text (`json.loads`, `datetime.fromisoformat`, `uuid.UUID`), no project class with bases of
 * its own, in its body and the project helpers it calls. A stub that logs and returns a dict passes.
 */
export function pythonCannotFail(fn: PythonNode, file: string, modules: PythonModules): boolean {
  return inMemory(fn, file, modules, 0, new Set(), 'all');
}

/** Value calls that raise on their input: not failure-free. */
const PARSING_CALLS = new Set(['json.loads', 'datetime.datetime.fromisoformat', 'datetime.datetime.fromtimestamp', 'uuid.UUID', 're.compile', 're.match', 're.search', 're.sub', 're.findall', 're.fullmatch', 're.split', 'temporalio.exceptions.ApplicationError']);

/**
 * How much besides waiting disqualifies: 'none' only waits; 'raises' also a raise, an assert or a
 * parsing call (a failure the activity states: it is no longer free of failures that repeat);
 * 'all' also a method of an argument and a project class with bases (pythonCannotFail).
 */
type Strictness = 'none' | 'raises' | 'all';

function inMemory(fn: PythonNode, file: string, modules: PythonModules, depth: number, seen: Set<number>, strict: Strictness = 'none', loops = false): boolean {
  if (seen.has(fn.id)) return true;
  seen.add(fn.id);
  const body = fn.childForFieldName('body');
  if (!body) return false;
  const parameters = parameterNames(fn);
  if (loops && depth === 0) for (const name of boundFromArguments(body, parameters)) parameters.add(name);
  return nodeInMemory(body, false, fn, file, modules, parameters, depth, seen, strict, loops);
}

/** The reading of inMemory over one node of fn's body (with the node itself when `self` is set, else its descendants). */
function nodeInMemory(
  root: PythonNode,
  self: boolean,
  fn: PythonNode,
  file: string,
  modules: PythonModules,
  parameters: Set<string>,
  depth: number,
  seen: Set<number>,
  strict: Strictness,
  loops: boolean,
): boolean {
  let waits = false;
  const visit = (node: PythonNode): void => {
    if (waits) return;
    switch (node.type) {
      case 'for_statement':
      case 'while_statement':
        if (!loops || node.children.some((c) => c?.type === 'async')) waits = true;
        return;
      case 'await':
      case 'yield':
      case 'function_definition':
      case 'lambda':
      case 'class_definition':
        waits = true;
        return;
      case 'raise_statement':
      case 'assert_statement':
        if (strict !== 'none') waits = true;
        return;
      case 'with_statement':
        if (node.children.some((c) => c?.type === 'async')) waits = true;
        return;
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        if (!loops && node.descendantsOfType('call').length > 0) waits = true;
        if (loops && node.descendantsOfType('for_in_clause').some((clause) => clause.children.some((c) => c?.type === 'async'))) waits = true;
        return;
      case 'call':
        if (!valueCall(node, fn, file, modules, parameters, depth, seen, strict, loops)) waits = true;
        return;
    }
  };
  if (self) {
    visit(root);
    if (root.type === 'function_definition' || root.type === 'class_definition' || root.type === 'lambda') return !waits;
  }
  descendantsInScope(root, visit);
  return !waits;
}

/**
 * Whether the activity catches every failure around its whole body and returns normally: each
 * statement of its body is an import, or cannot fail by pythonCannotFail's reading, or is a `try`
 * with a clause that takes every exception (bare `except:`, `Exception`, `BaseException`) whose
 * every clause, `else` and `finally` cannot fail by that reading either (no `raise`, so no
 * re-raise; no call that can fail), with at least one such `try`. What the try block calls may fail
 * or hang: a failure is caught and the activity returns, so an attempt fails only by its timeout or
 * the loss of its worker. `try: ...urlopen(...)... except Exception as e: logger.error(e); return
 * False` is the usual shape. An import before the try fails only when the module is missing, the
 * same on every attempt and never because of an outage. Not set when pythonCannotFail holds.
 */
export function pythonCatchesEveryFailure(fn: PythonNode, file: string, modules: PythonModules): boolean {
  const body = fn.childForFieldName('body');
  if (!body) return false;
  const parameters = parameterNames(fn);
  const seen = new Set<number>([fn.id]);
  const cannotFail = (node: PythonNode, self: boolean) => nodeInMemory(node, self, fn, file, modules, parameters, 0, seen, 'all', false);
  let caught = false;
  for (const statement of namedChildrenOf(body)) {
    if (statement.type === 'comment' || statement.type === 'import_statement' || statement.type === 'import_from_statement') continue;
    if (statement.type === 'try_statement') {
      const clauses = exceptClauses(statement);
      if (!clauses.some(catchesAll)) return false;
      for (const part of namedChildrenOf(statement)) {
        if (part.id === statement.childForFieldName('body')?.id || part.type === 'comment') continue;
        // except clauses (their class expressions are names), else and finally clauses.
        if (!cannotFail(part, false)) return false;
      }
      caught = true;
      continue;
    }
    if (!cannotFail(statement, true)) return false;
  }
  return caught;
}

function valueCall(call: PythonNode, fn: PythonNode, file: string, modules: PythonModules, parameters: Set<string>, depth: number, seen: Set<number>, strict: Strictness, loops: boolean): boolean {
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  const qualified = modules.qualifiedName(file, callee);
  if (callee.type === 'identifier' && qualified === callee.text && BUILTINS.has(callee.text) && !parameters.has(callee.text)) return true;
  if (strict !== 'none' && qualified && PARSING_CALLS.has(qualified)) return false;
  if (qualified && VALUE_CALLS.has(qualified)) return true;
  if (callee.type === 'attribute') {
    const method = callee.childForFieldName('attribute')?.text ?? '';
    const object = callee.childForFieldName('object');
    // `logger.info(...)`, `activity.logger.warning(...)`, `logging.info(...)`: one log line.
    if (LOG_METHODS.has(method) && object && /^(?:.*\.)?(?:_?log|_?logger|logging|\w+_logger|LOGGER|LOG)$/i.test(object.text)) return true;
    if (VALUE_METHODS.has(method)) return true;
    // A method of an argument of the activity: arguments are payloads, plain data.
    let root: PythonNode | null = object ?? null;
    // With loops allowed, through the calls of that data too: `deal.get("attributes", {}).get("amount")`.
    while (root && (root.type === 'attribute' || root.type === 'subscript' || (loops && root.type === 'call'))) {
      root = root.type === 'call' ? (root.childForFieldName('function')?.type === 'attribute' ? root.childForFieldName('function')!.childForFieldName('object') : null) : root.childForFieldName(root.type === 'attribute' ? 'object' : 'value');
    }
    if (strict !== 'all' && root?.type === 'identifier' && parameters.has(root.text) && depth === 0) return true;
  }
  if (depth >= MAX_CALL_DEPTH) return false;
  const target = functionTarget(callee, fn, file, modules);
  if (target) return !isAsyncFunction(target.node) && inMemory(target.node, target.file, modules, depth + 1, seen, strict, loops);
  // A project class built from values: no `__init__` of its own (a dataclass, a model) or one in memory.
  if (callee.type === 'identifier') {
    const definition = modules.lookup(file, callee.text);
    if (definition?.kind === 'class') {
      const init = classMembers(definition.node).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === '__init__');
      const bases = definition.node.childForFieldName('superclasses');
      if (strict === 'all' && bases && namedChildrenOf(bases).length > 0) return false;
      const plainBases = !bases || namedChildrenOf(bases).every((b) => /^(?:object|BaseModel|Exception|ApplicationError|\w*Error|TypedDict|NamedTuple|Enum|str)$/.test(b.text) || b.type === 'keyword_argument');
      return plainBases && (!init || inMemory(init, definition.file, modules, depth + 1, seen, strict, loops));
    }
  }
  return false;
}

/** The parameters of the function other than `self` and `cls`. */
function parameterNames(fn: PythonNode): Set<string> {
  const names = new Set<string>();
  const parameters = fn.childForFieldName('parameters');
  for (const parameter of parameters ? namedChildrenOf(parameters) : []) {
    const name = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier'));
    if (name && name.text !== 'self' && name.text !== 'cls') names.add(name.text);
  }
  return names;
}

/**
 * Local names of a function bound only from its arguments or literals, by assignment or as a loop
 * variable (`deals = context.get("deals", [])`, `for deal in deals[:10]`): plain data, like the
 * arguments. A name bound anywhere from something else (a module global, a call) is left out.
 */
function boundFromArguments(body: PythonNode, parameters: Set<string>): Set<string> {
  const bindings = new Map<string, PythonNode[]>();
  const bind = (target: PythonNode | null, value: PythonNode | null) => {
    if (!target || !value) return;
    const names = target.type === 'identifier' ? [target] : target.descendantsOfType('identifier');
    for (const name of names) bindings.set(name.text, [...(bindings.get(name.text) ?? []), value]);
  };
  descendantsInScope(body, (node) => {
    if (node.type === 'assignment' || node.type === 'augmented_assignment') bind(node.childForFieldName('left'), node.childForFieldName('right'));
    else if (node.type === 'for_statement' || node.type === 'for_in_clause') bind(node.childForFieldName('left'), node.childForFieldName('right'));
    else if (node.type === 'named_expression') bind(node.childForFieldName('name'), node.childForFieldName('value'));
    else if (node.type === 'with_item' || node.type === 'as_pattern' || node.type === 'global_statement' || node.type === 'nonlocal_statement') {
      for (const name of node.descendantsOfType('identifier')) bindings.set(name.text, [...(bindings.get(name.text) ?? []), node]);
    }
  });
  const known = new Set(parameters);
  const derived = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, values] of bindings) {
      if (derived.has(name) || parameters.has(name)) continue;
      if (values.every((value) => fromData(value, known))) {
        derived.add(name);
        known.add(name);
        changed = true;
      }
    }
  }
  return derived;
}

/** An expression that reads only the known names and literals: `context.get("deals", []) or []`, `deals[:10]`. */
function fromData(node: PythonNode, known: Set<string>): boolean {
  switch (node.type) {
    case 'identifier':
      return known.has(node.text);
    case 'string':
    case 'concatenated_string':
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return true;
    case 'list':
    case 'tuple':
    case 'dictionary':
    case 'set':
    case 'pair':
    case 'parenthesized_expression':
    case 'boolean_operator':
    case 'conditional_expression':
    case 'expression_list':
      return namedChildrenOf(node).every((child) => child.type === 'comment' || fromData(child, known));
    case 'keyword_argument':
      return fromData(node.childForFieldName('value')!, known);
    case 'attribute':
      return fromData(node.childForFieldName('object')!, known);
    case 'subscript':
      return fromData(node.childForFieldName('value')!, known);
    case 'call': {
      // `context.get("deals", [])`: a method of known data, whose arguments are data too.
      const callee = node.childForFieldName('function');
      const args = node.childForFieldName('arguments');
      return callee?.type === 'attribute' && fromData(callee.childForFieldName('object')!, known) && (!args || namedChildrenOf(args).every((arg) => fromData(arg, known)));
    }
    default:
      return false;
  }
}
