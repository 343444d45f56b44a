// Where a Python value comes from, followed statically as far as it is sound: through `await`,
// local and module variables (every assignment counts), `self.attr` written in the class,
// imported names, and the return values of the project's own functions and methods, with their
// parameters bound to the arguments of the call being followed. The search stops at calls that
// `isTarget` accepts (`Client.connect(...)`, `Runtime(...)`); anything it cannot follow is an
// `unknown` origin with the reason, never a guess.

import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, classMembers, descendantsInScope, enclosing, namedChildrenOf, unparenthesize, type CallArguments } from './python-syntax.js';

/** The call a function was entered through, so its parameters can be bound to the arguments. */
export interface CallBinding {
  fn: PythonNode;
  args: CallArguments;
  file: string;
  /** Whether the first parameter (self, cls) is bound by the call itself (`obj.method(...)`). */
  boundSelf: boolean;
  outer?: CallBinding;
}

export type Origin =
  | { kind: 'target'; node: PythonNode; file: string; binding?: CallBinding }
  | { kind: 'none' }
  | { kind: 'unknown'; node: PythonNode; file: string; why: string };

export type TargetTest = (call: PythonNode, file: string) => boolean;

const MAX_DEPTH = 10;

/** Source text for a message: one line, at most 60 characters. */
export function shortText(node: PythonNode): string {
  const line = node.text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

/**
 * The dotted name an expression spells, also when its head is bound by an import inside the
 * enclosing function (`from temporalio.runtime import Runtime` in `__init__`).
 */
export function qualifiedNameOf(node: PythonNode, file: string, modules: PythonModules): string | undefined {
  let head = node;
  while (head.type === 'attribute' && head.childForFieldName('object')) head = head.childForFieldName('object')!;
  if (head.type === 'identifier') {
    for (let fn = enclosing(node, ['function_definition']); fn; fn = enclosing(fn, ['function_definition'])) {
      const bound = importedInside(fn, head.text);
      if (bound) return node.type === 'identifier' ? bound : `${bound}${node.text.slice(head.text.length).replace(/\s+/g, '')}`;
    }
  }
  return modules.qualifiedName(file, node);
}

// Per tree: node ids are addresses in the tree's memory, reused once a tree is deleted.
const localImports = new WeakMap<object, Map<number, Map<string, string>>>();

/** `module.name` for a name an import statement in the function binds. */
function importedInside(fn: PythonNode, local: string): string | undefined {
  let byFunction = localImports.get(fn.tree);
  if (!byFunction) localImports.set(fn.tree, (byFunction = new Map()));
  let bindings = byFunction.get(fn.id);
  if (!bindings) {
    bindings = new Map();
    byFunction.set(fn.id, bindings);
    if (fn.text.includes('import')) readLocalImports(fn, bindings);
  }
  return bindings.get(local);
}

function readLocalImports(fn: PythonNode, bindings: Map<string, string>): void {
  const bind = (alias: string | undefined, name: string | undefined) => {
    if (alias && name && !bindings.has(alias)) bindings.set(alias, name);
  };
  for (const statement of fn.descendantsOfType(['import_from_statement', 'import_statement'])) {
    if (!statement) continue;
    if (statement.type === 'import_statement') {
      for (const item of namedChildrenOf(statement)) {
        const dotted = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
        const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : dotted?.split('.')[0];
        bind(alias, item.type === 'aliased_import' ? dotted : alias);
      }
      continue;
    }
    const moduleName = statement.childForFieldName('module_name');
    if (!moduleName || moduleName.type === 'relative_import') continue;
    for (const item of statement.childrenForFieldName('name')) {
      if (!item) continue;
      const name = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
      const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : name;
      bind(alias, name ? `${moduleName.text}.${name}` : undefined);
    }
  }
}

export function originsOf(node: PythonNode, file: string, modules: PythonModules, isTarget: TargetTest, binding?: CallBinding): Origin[] {
  return follow(node, file, { modules, isTarget, seen: new Set() }, binding, 0);
}

interface State {
  modules: PythonModules;
  isTarget: TargetTest;
  seen: Set<string>;
}

function follow(raw: PythonNode, file: string, state: State, binding: CallBinding | undefined, depth: number): Origin[] {
  let node = unparenthesize(raw);
  while (node.type === 'await') {
    const inner = namedChildrenOf(node)[0];
    if (!inner) break;
    node = unparenthesize(inner);
  }
  const unknown = (why: string): Origin[] => [{ kind: 'unknown', node, file, why }];
  if (depth > MAX_DEPTH) return unknown(`${node.text} is built through too many steps to follow`);
  const key = `${file}:${node.id}:${binding?.fn.id ?? ''}`;
  if (state.seen.has(key)) return [];
  state.seen.add(key);
  switch (node.type) {
    case 'none':
      return [{ kind: 'none' }];
    case 'call': {
      if (state.isTarget(node, file)) return [{ kind: 'target', node, file, ...(binding ? { binding } : {}) }];
      return throughCall(node, file, state, binding, depth);
    }
    case 'identifier':
      return throughName(node, file, state, binding, depth);
    case 'attribute':
      return throughAttribute(node, file, state, binding, depth);
    case 'boolean_operator':
    case 'conditional_expression': {
      // `runtime or default_runtime()`, `a if cond else b`: either operand may be the value.
      const operands = node.type === 'conditional_expression' ? [namedChildrenOf(node)[0], namedChildrenOf(node)[2]] : [node.childForFieldName('left'), node.childForFieldName('right')];
      return operands.flatMap((operand) => (operand ? follow(operand, file, state, binding, depth + 1) : []));
    }
    default:
      return unknown(`${shortText(node)} cannot be followed statically`);
  }
}

/** A call of one of the project's functions or methods: what its return statements return. */
function throughCall(call: PythonNode, file: string, state: State, binding: CallBinding | undefined, depth: number): Origin[] {
  const callee = call.childForFieldName('function');
  const target = callee ? functionCalled(callee, file, state.modules) : undefined;
  if (!target) return [{ kind: 'unknown', node: call, file, why: `${shortText(call)} is not a function of the project that can be followed` }];
  // The arguments are read in the caller's scope: the caller's binding goes along for them.
  const inner: CallBinding = { fn: target.fn, args: callArguments(call), file, boundSelf: target.boundSelf, ...(binding ? { outer: binding } : {}) };
  const returns = returnValues(target.fn);
  if (returns.length === 0) return [{ kind: 'unknown', node: call, file, why: `${shortText(call)} returns nothing that can be followed` }];
  return returns.flatMap((value) => follow(value, target.file, state, inner, depth + 1));
}

function throughName(identifier: PythonNode, file: string, state: State, binding: CallBinding | undefined, depth: number): Origin[] {
  const name = identifier.text;
  const fn = enclosing(identifier, ['function_definition']);
  if (fn) {
    const parameter = parameterNamed(fn, name);
    if (parameter) {
      if (binding && binding.fn.id === fn.id) {
        const argument = argumentFor(binding, parameter);
        if (argument) return follow(argument, binding.file, state, binding.outer, depth + 1);
      }
      if (parameter.default) return follow(parameter.default, file, state, binding, depth + 1);
      return [{ kind: 'unknown', node: identifier, file, why: `${name} is a parameter of ${fn.childForFieldName('name')?.text ?? 'a function'}, given by its callers` }];
    }
    const declaredGlobal = globalNames(fn).has(name);
    const locals = declaredGlobal ? [] : assignedValues(fn.childForFieldName('body'), name);
    if (locals.length) return locals.flatMap((value) => follow(value, file, state, binding, depth + 1));
  }
  // A module variable: its assignment at module level and in functions that declare it global.
  const root = identifier.tree.rootNode;
  const values = [...assignedValues(root, name, true)];
  for (const other of root.descendantsOfType('function_definition')) {
    if (other && globalNames(other).has(name)) values.push(...assignedValues(other.childForFieldName('body'), name));
  }
  if (values.length) {
    // Assignments in other functions run in their own calls: follow them without this binding,
    // except for the function being followed, whose parameters stay bound.
    return values.flatMap((value) => {
      const owner = enclosing(value, ['function_definition']);
      return follow(value, file, state, owner && binding && owner.id === binding.fn.id ? binding : undefined, depth + 1);
    });
  }
  const definition = state.modules.lookup(file, name);
  if (definition?.kind === 'assignment' && definition.value) return follow(definition.value, definition.file, state, undefined, depth + 1);
  return [{ kind: 'unknown', node: identifier, file, why: `${name} is not assigned anywhere that can be followed` }];
}

function throughAttribute(node: PythonNode, file: string, state: State, binding: CallBinding | undefined, depth: number): Origin[] {
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute')?.text;
  if (!object || !attribute) return [{ kind: 'unknown', node, file, why: `${shortText(node)} cannot be followed statically` }];
  if (object.type === 'identifier' && (object.text === 'self' || object.text === 'cls')) {
    // `self._client`: whatever the class's methods assign to it.
    const classNode = enclosing(node, ['class_definition']);
    const values = classNode ? selfAssignments(classNode, attribute) : [];
    if (values.length) {
      return values.flatMap((value) => {
        const owner = enclosing(value, ['function_definition']);
        return follow(value, file, state, owner && binding && owner.id === binding.fn.id ? binding : undefined, depth + 1);
      });
    }
  }
  if (object.type === 'identifier') {
    const imported = state.modules.importsOf(file).get(object.text);
    if (imported?.kind === 'module' && imported.file) {
      const definition = state.modules.lookup(imported.file, attribute);
      if (definition?.kind === 'assignment' && definition.value) return follow(definition.value, definition.file, state, undefined, depth + 1);
    }
  }
  return [{ kind: 'unknown', node, file, why: `${shortText(node)} cannot be followed statically` }];
}

/** The project function a callee names: `f`, `module.f`, `self.method`, `Class.method`. */
export function functionCalled(callee: PythonNode, file: string, modules: PythonModules): { fn: PythonNode; file: string; boundSelf: boolean } | undefined {
  const target = unparenthesize(callee);
  if (target.type === 'identifier') {
    const fn = enclosing(target, ['function_definition']);
    const nested = fn ? localFunction(fn, target.text) : undefined;
    if (nested) return { fn: nested, file, boundSelf: false };
    const definition = modules.lookup(file, target.text) ?? localImport(target, modules);
    return definition?.kind === 'function' ? { fn: definition.node, file: definition.file, boundSelf: false } : undefined;
  }
  if (target.type !== 'attribute') return undefined;
  const object = target.childForFieldName('object');
  const attribute = target.childForFieldName('attribute')?.text;
  if (!object || !attribute || object.type !== 'identifier') return undefined;
  if (object.text === 'self' || object.text === 'cls') {
    const classNode = enclosing(target, ['class_definition']);
    const method = classNode ? methodNamed(classNode, attribute) : undefined;
    return method ? { fn: method, file, boundSelf: true } : undefined;
  }
  const imported = modules.importsOf(file).get(object.text);
  if (imported?.kind === 'module' && imported.file) {
    const definition = modules.lookup(imported.file, attribute);
    return definition?.kind === 'function' ? { fn: definition.node, file: definition.file, boundSelf: false } : undefined;
  }
  const owner = modules.lookup(file, object.text);
  if (owner?.kind === 'class') {
    const method = methodNamed(owner.node, attribute);
    // `Class.method(...)`: a classmethod or staticmethod; cls is bound, self would not be.
    return method ? { fn: method, file: owner.file, boundSelf: isClassMethod(method) } : undefined;
  }
  return undefined;
}

/**
 * `from pkg.mod import f as g` inside the enclosing functions (an import deferred to call time):
 * the definition it binds, when the module is one file of the project.
 */
function localImport(identifier: PythonNode, modules: PythonModules): ReturnType<PythonModules['lookup']> {
  for (let fn = enclosing(identifier, ['function_definition']); fn; fn = enclosing(fn, ['function_definition'])) {
    for (const statement of fn.descendantsOfType('import_from_statement')) {
      const moduleName = statement?.childForFieldName('module_name');
      if (!statement || !moduleName || moduleName.type === 'relative_import') continue;
      for (const item of statement.childrenForFieldName('name')) {
        if (!item) continue;
        const name = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
        const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : name;
        if (alias !== identifier.text || !name) continue;
        const suffixes = [`/${moduleName.text.split('.').join('/')}.py`, `/${moduleName.text.split('.').join('/')}/__init__.py`];
        const candidates = [...modules.files.keys()].filter((file) => suffixes.some((suffix) => file.endsWith(suffix)));
        // Two files of the project end the same way: which one Python imports depends on sys.path.
        if (candidates.length !== 1) return undefined;
        return modules.lookup(candidates[0]!, name);
      }
    }
  }
  return undefined;
}

function methodNamed(classNode: PythonNode, name: string): PythonNode | undefined {
  return classMembers(classNode).find((member) => member.type === 'function_definition' && member.childForFieldName('name')?.text === name);
}

function isClassMethod(fn: PythonNode): boolean {
  const parent = fn.parent;
  return parent?.type === 'decorated_definition' && namedChildrenOf(parent).some((child) => child.type === 'decorator' && /^@\s*classmethod\b/.test(child.text));
}

function localFunction(fn: PythonNode, name: string): PythonNode | undefined {
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  let found: PythonNode | undefined;
  for (const statement of namedChildrenOf(body)) {
    const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
    if (definition?.type === 'function_definition' && definition.childForFieldName('name')?.text === name) found = definition;
  }
  return found;
}

/** The expressions a function's `return` statements return (nested functions left out). */
export function returnValues(fn: PythonNode): PythonNode[] {
  const body = fn.childForFieldName('body');
  const values: PythonNode[] = [];
  if (!body) return values;
  descendantsInScope(body, (node) => {
    if (node.type !== 'return_statement') return;
    const value = namedChildrenOf(node)[0];
    if (value) values.push(value);
  });
  return values;
}

interface Parameter {
  name: string;
  index: number;
  default?: PythonNode;
  keywordOnly: boolean;
}

function parametersOf(fn: PythonNode): Parameter[] {
  const list = fn.childForFieldName('parameters');
  const result: Parameter[] = [];
  if (!list) return result;
  let keywordOnly = false;
  let index = 0;
  for (const parameter of namedChildrenOf(list)) {
    if (parameter.type === 'keyword_separator' || parameter.type === 'list_splat_pattern') {
      keywordOnly = true;
      continue;
    }
    if (parameter.type === 'positional_separator' || parameter.type === 'dictionary_splat_pattern') continue;
    const nameNode = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier'));
    if (!nameNode) continue;
    const value = parameter.childForFieldName('value') ?? undefined;
    result.push({ name: nameNode.text, index: index++, ...(value ? { default: value } : {}), keywordOnly });
  }
  return result;
}

function parameterNamed(fn: PythonNode, name: string): Parameter | undefined {
  return parametersOf(fn).find((p) => p.name === name);
}

function argumentFor(binding: CallBinding, parameter: Parameter): PythonNode | undefined {
  const byName = binding.args.keywords.get(parameter.name);
  if (byName) return byName;
  if (parameter.keywordOnly) return undefined;
  const position = parameter.index - (binding.boundSelf ? 1 : 0);
  return position >= 0 ? binding.args.positional[position] : undefined;
}

function globalNames(fn: PythonNode): Set<string> {
  const names = new Set<string>();
  const body = fn.childForFieldName('body');
  if (!body) return names;
  descendantsInScope(body, (node) => {
    if (node.type === 'global_statement') for (const id of namedChildrenOf(node)) names.add(id.text);
  });
  return names;
}

/** Right-hand sides of `name = value` (and `name: T = value`) in a scope, nested functions left out. */
function assignedValues(scope: PythonNode | null, name: string, moduleLevelOnly = false): PythonNode[] {
  const values: PythonNode[] = [];
  if (!scope) return values;
  const visit = (node: PythonNode) => {
    for (const child of namedChildrenOf(node)) {
      if (child.type === 'function_definition' || child.type === 'class_definition' || child.type === 'lambda') continue;
      if (moduleLevelOnly && child.type === 'decorated_definition') continue;
      if (child.type === 'assignment') {
        const left = child.childForFieldName('left');
        const right = child.childForFieldName('right');
        if (left?.type === 'identifier' && left.text === name && right) values.push(right);
      }
      visit(child);
    }
  };
  visit(scope);
  return values;
}

/** `self.<name> = value` in any method of the class. */
function selfAssignments(classNode: PythonNode, name: string): PythonNode[] {
  const values: PythonNode[] = [];
  for (const assignment of classNode.descendantsOfType('assignment')) {
    if (!assignment) continue;
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    if (left?.type !== 'attribute' || !right) continue;
    const object = left.childForFieldName('object');
    if (object?.text === 'self' && left.childForFieldName('attribute')?.text === name && enclosing(assignment, ['class_definition'])?.id === classNode.id) values.push(right);
  }
  return values;
}
