// Paths on the worker's own disk that a Python activity writes, reads or removes: in its body, in
// project functions it calls (three levels deep, the path passed as an argument), and in methods of
// a project object it builds (`etl = Etl(community_id)` then `etl.extract()`), where the path may be
// an attribute the constructor sets (`self.dump_dir = f"dumps/{community_id}"`).
//
// Only a path whose text the review can see counts, and only a local one: relative to the worker's
// working directory (`dumps/{id}`, `./out`) or under /tmp. A path from configuration or the
// environment may be a shared mount, an absolute path elsewhere may be a volume, and a URL or an
// object-store key is not a path on the disk: none of them is recorded.

import { isLocalPath as isLocal } from '../local-path.js';
import type { LocalPathUse, SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import type { PythonModules } from './python-modules.js';
import { parameterName } from './python-local-values.js';
import { callArguments, classMembers, descendantsInScope, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';

/** Calls that create or fill the path given as the argument at the index. */
const WRITES = new Map<string, number[]>([
  ['os.makedirs', [0]],
  ['os.mkdir', [0]],
  ['shutil.copy', [1]],
  ['shutil.copy2', [1]],
  ['shutil.copyfile', [1]],
  ['shutil.copytree', [1]],
  ['shutil.move', [1]],
  ['urllib.request.urlretrieve', [1]],
]);
/** Calls that read the path given as the argument at the index. */
const READS = new Map<string, number[]>([
  ['os.listdir', [0]],
  ['os.scandir', [0]],
  ['os.walk', [0]],
  ['glob.glob', [0]],
  ['glob.iglob', [0]],
  ['os.path.getsize', [0]],
  ['shutil.copy', [0]],
  ['shutil.copy2', [0]],
  ['shutil.copyfile', [0]],
  ['shutil.copytree', [0]],
  ['shutil.make_archive', [2]],
]);
/** Calls that remove the path given as the argument at the index. */
const DELETES = new Map<string, number[]>([
  ['shutil.rmtree', [0]],
  ['os.remove', [0]],
  ['os.unlink', [0]],
  ['os.rmdir', [0]],
]);
/** Calls that only look at or build the path: not a use. */
const NEUTRAL = new Set(['os.path.exists', 'os.path.isdir', 'os.path.isfile', 'os.path.join', 'os.path.basename', 'os.path.dirname', 'os.path.abspath', 'str', 'len', 'print', 'pathlib.Path', 'os.fspath']);
/** Methods of a pathlib.Path value. */
const PATH_METHODS: Record<string, LocalPathUse['op'] | 'neutral'> = {
  mkdir: 'write',
  write_text: 'write',
  write_bytes: 'write',
  touch: 'write',
  read_text: 'read',
  read_bytes: 'read',
  iterdir: 'read',
  glob: 'read',
  rglob: 'read',
  unlink: 'delete',
  rmdir: 'delete',
  exists: 'neutral',
  is_dir: 'neutral',
  is_file: 'neutral',
  joinpath: 'neutral',
};

interface PathValue {
  path: string;
  declaration: SourceLocation;
}

interface Scope {
  file: string;
  /** Local names and parameters that hold a path. */
  names: Map<string, PathValue>;
  /** Attributes of `self` that hold a path (set by the constructor of the object's class). */
  attributes: Map<string, PathValue>;
  via: SourceLocation[];
}

/** Adds `localPaths` to each activity whose code uses a local path it can see. */
export function addLocalPaths(activities: PythonActivity[], modules: PythonModules): void {
  for (const activity of activities) {
    if (activity.className) continue;
    const uses: LocalPathUse[] = [];
    const seen = new Set<string>();
    const file = activity.location.file;
    usesIn(activity.node, { file, names: new Map(), attributes: new Map(), via: [] }, modules, uses, seen);
    // Methods of project objects the activity builds in its body.
    const body = activity.node.childForFieldName('body');
    if (body) {
      const objects = new Map<string, { classNode: PythonNode; file: string }>();
      descendantsInScope(body, (node) => {
        if (node.type !== 'assignment') return;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type !== 'identifier' || right?.type !== 'call') return;
        const callee = right.childForFieldName('function');
        if (callee?.type !== 'identifier') return;
        const definition = modules.lookupAt(file, callee.text, node);
        if (definition?.kind === 'class') objects.set(left.text, { classNode: definition.node, file: definition.file });
      });
      descendantsInScope(body, (node) => {
        if (node.type !== 'call') return;
        const callee = node.childForFieldName('function');
        if (callee?.type !== 'attribute') return;
        const object = callee.childForFieldName('object');
        const method = callee.childForFieldName('attribute')?.text;
        const built = object?.type === 'identifier' ? objects.get(object.text) : undefined;
        if (!built || !method) return;
        const members = classMembers(built.classNode).filter((m) => m.type === 'function_definition');
        const constructor = members.find((m) => m.childForFieldName('name')?.text === '__init__');
        const target = members.find((m) => m.childForFieldName('name')?.text === method);
        if (!target) return;
        const attributes = constructor ? constructorPaths(constructor, built.file) : new Map<string, PathValue>();
        usesIn(target, { file: built.file, names: new Map(), attributes, via: [locateNode(file, node)] }, modules, uses, seen);
      });
    }
    if (uses.length > 0) activity.localPaths = uses;
  }
}

/** `self.x = <local path>` in a constructor. */
function constructorPaths(constructor: PythonNode, file: string): Map<string, PathValue> {
  const attributes = new Map<string, PathValue>();
  const scope: Scope = { file, names: new Map(), attributes, via: [] };
  const body = constructor.childForFieldName('body');
  if (!body) return attributes;
  descendantsInScope(body, (node) => {
    if (node.type !== 'assignment') return;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'attribute' || left.childForFieldName('object')?.text !== 'self' || !right) return;
    const name = left.childForFieldName('attribute')?.text;
    const value = pathOf(right, scope, locateNode(file, node));
    if (name && value && !attributes.has(name)) attributes.set(name, value);
  });
  return attributes;
}

/** The uses of local paths in one function, following project functions the path is passed to. */
function usesIn(fn: PythonNode, scope: Scope, modules: PythonModules, uses: LocalPathUse[], seen: Set<string>): void {
  // One visit per function and per set of paths it is given (a method called twice is read once).
  const key = `${fn.id}:${[...scope.names].map(([name, value]) => `${name}=${value.path}`).join(',')}:${[...scope.attributes.keys()].join(',')}`;
  if (seen.has(key)) return;
  seen.add(key);
  const body = fn.childForFieldName('body');
  if (!body) return;
  const names = new Map(scope.names);
  const local: Scope = { ...scope, names };
  const nodes: PythonNode[] = [];
  descendantsInScope(body, (node) => nodes.push(node));
  nodes.sort((a, b) => a.startIndex - b.startIndex);
  for (const node of nodes) {
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type === 'identifier' && right) {
        const value = pathOf(right, local, locateNode(scope.file, node));
        if (value) names.set(left.text, value);
        else names.delete(left.text);
      }
      continue;
    }
    if (node.type !== 'call') continue;
    classifyCall(node, local, modules, uses, seen);
  }
}

function classifyCall(call: PythonNode, scope: Scope, modules: PythonModules, uses: LocalPathUse[], seen: Set<string>): void {
  const callee = call.childForFieldName('function');
  if (!callee) return;
  const args = callArguments(call);
  const here = locateNode(scope.file, call);
  const record = (value: PathValue, op: LocalPathUse['op']) => {
    uses.push({
      path: value.path,
      declaration: value.declaration,
      op,
      location: here,
      ...(op === 'delete' && tolerantRemoval(call, args) ? { tolerant: true } : {}),
      ...(op === 'passed' ? { call: `${callee.text}(...)` } : {}),
      ...(scope.via.length > 0 ? { via: scope.via } : {}),
    });
  };
  // A method of a path value: `Path(p).mkdir()`, `p.write_text(...)`.
  if (callee.type === 'attribute') {
    const object = callee.childForFieldName('object');
    const method = callee.childForFieldName('attribute')?.text ?? '';
    const value = object ? pathOf(object, scope, here) : undefined;
    if (value && method in PATH_METHODS) {
      const op = PATH_METHODS[method]!;
      if (op !== 'neutral') record(value, op);
      return;
    }
  }
  const paths: { value: PathValue; index: number | string }[] = [];
  args.positional.forEach((arg, index) => {
    const value = pathOf(arg, scope, here);
    if (value) paths.push({ value, index });
  });
  for (const [name, arg] of args.keywords) {
    const value = pathOf(arg, scope, here);
    if (value) paths.push({ value, index: name });
  }
  if (paths.length === 0) return;
  const qualified = modules.qualifiedName(scope.file, callee);
  const name = qualified ?? (callee.type === 'identifier' ? callee.text : undefined);
  if (name === 'open' || name === 'io.open' || name === 'builtins.open') {
    const mode = args.positional[1] ?? args.keywords.get('mode');
    const text = mode ? unparenthesize(mode).text.replace(/^[rbuf]*["']|["']$/g, '') : 'r';
    for (const { value, index } of paths) if (index === 0 || index === 'file') record(value, /[wax+]/.test(text) ? 'write' : 'read');
    return;
  }
  if (name && NEUTRAL.has(name)) return;
  // Logging and string formatting only mention the path.
  if (callee.type === 'attribute' && /^(log|logger|logging|_log|_logger|LOGGER|LOG)$/.test(callee.childForFieldName('object')?.text ?? '')) return;
  if (callee.type === 'attribute' && ['format', 'join', 'append', 'extend', 'startswith', 'endswith', 'replace', 'split'].includes(callee.childForFieldName('attribute')?.text ?? '')) return;
  const table = name ? ([['write', WRITES], ['read', READS], ['delete', DELETES]] as const) : [];
  let known = false;
  for (const [op, calls] of table) {
    const indexes = calls.get(name!);
    if (!indexes) continue;
    known = true;
    for (const { value, index } of paths) if (typeof index === 'number' && indexes.includes(index)) record(value, op);
  }
  if (known) return;
  // A project function: follow the path into its parameter.
  const target = callee.type === 'identifier' ? modules.lookupAt(scope.file, callee.text, call) : undefined;
  if (target?.kind === 'function' && scope.via.length < 3) {
    const parameters = namedChildrenOf(target.node.childForFieldName('parameters') ?? target.node)
      .filter((p) => !['list_splat_pattern', 'dictionary_splat_pattern', 'keyword_separator', 'positional_separator'].includes(p.type));
    const bound = new Map<string, PathValue>();
    for (const { value, index } of paths) {
      const parameter = typeof index === 'number' ? parameters[index] : parameters.find((p) => parameterName(p) === index);
      const parameterText = parameter ? parameterName(parameter) : undefined;
      if (parameterText) bound.set(parameterText, value);
    }
    if (bound.size > 0) {
      usesIn(target.node, { file: target.file, names: bound, attributes: new Map(), via: [...scope.via, here] }, modules, uses, seen);
      return;
    }
  }
  // A method of the same object (`self.load_files(self.dump_dir)`) is followed with the same attributes.
  if (callee.type === 'attribute' && callee.childForFieldName('object')?.text === 'self' && scope.via.length < 3) {
    const method = callee.childForFieldName('attribute')?.text;
    let classNode: PythonNode | null = call.parent;
    while (classNode && classNode.type !== 'class_definition') classNode = classNode.parent;
    const target = classNode ? classMembers(classNode).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === method) : undefined;
    if (target) {
      const parameters = namedChildrenOf(target.childForFieldName('parameters') ?? target).filter((p) => p.type !== 'keyword_separator' && p.type !== 'positional_separator').slice(1);
      const bound = new Map<string, PathValue>();
      for (const { value, index } of paths) {
        const parameter = typeof index === 'number' ? parameters[index] : parameters.find((p) => parameterName(p) === index);
        const parameterText = parameter ? parameterName(parameter) : undefined;
        if (parameterText) bound.set(parameterText, value);
      }
      usesIn(target, { file: scope.file, names: bound, attributes: scope.attributes, via: [...scope.via, here] }, modules, uses, seen);
      return;
    }
  }
  for (const { value } of paths) record(value, 'passed');
}

/** The local path an expression holds, or undefined. */
function pathOf(node: PythonNode, scope: Scope, at: SourceLocation): PathValue | undefined {
  const target = unparenthesize(node);
  if (target.type === 'identifier') return scope.names.get(target.text);
  if (target.type === 'attribute') {
    if (target.childForFieldName('object')?.text === 'self') return scope.attributes.get(target.childForFieldName('attribute')?.text ?? '');
    return undefined;
  }
  if (target.type === 'string') {
    let text = '';
    let base: PathValue | undefined;
    for (const child of namedChildrenOf(target)) {
      if (child.type === 'string_content') text += child.text;
      else if (child.type === 'interpolation') {
        const expression = child.namedChildren.find((c) => c !== null && c.type !== 'format_specifier' && c.type !== 'type_conversion');
        // `f"{base}/file.xml"`: a file under a path already known.
        const inner = text === '' && expression ? pathOf(expression, scope, at) : undefined;
        if (inner) {
          base = inner;
          text = inner.path;
        } else text += `{${lastName(expression)}}`;
      } else if (child.type === 'escape_sequence') text += child.text;
    }
    if (base) return { path: text, declaration: base.declaration };
    return isLocal(text) ? { path: text, declaration: at } : undefined;
  }
  if (target.type === 'binary_operator' && target.childForFieldName('operator')?.text === '/') {
    const left = target.childForFieldName('left');
    const base = left ? pathOf(left, scope, at) : undefined;
    return base ? { path: `${base.path}/…`, declaration: base.declaration } : undefined;
  }
  if (target.type === 'call') {
    const callee = target.childForFieldName('function');
    const first = callArguments(target).positional[0];
    const calleeText = callee?.text ?? '';
    // os.path.join(base, ...), Path(base), str(base), os.path.abspath(base): the same place.
    if (first && /^(os\.path\.join|path\.join|Path|pathlib\.Path|str|os\.path\.abspath|os\.fspath)$/.test(calleeText)) {
      const base = pathOf(first, scope, at);
      if (!base) return undefined;
      return calleeText.endsWith('join') && callArguments(target).positional.length > 1 ? { path: `${base.path}/…`, declaration: base.declaration } : base;
    }
  }
  return undefined;
}

function lastName(expression: PythonNode | null | undefined): string {
  if (!expression) return '…';
  if (expression.type === 'identifier') return expression.text;
  if (expression.type === 'attribute') return expression.childForFieldName('attribute')?.text ?? '…';
  if (expression.type === 'subscript') {
    const key = expression.childForFieldName('subscript');
    const literal = key?.type === 'string' ? key.text.replace(/^["']|["']$/g, '') : undefined;
    return literal ?? '…';
  }
  return '…';
}

/**
 * `shutil.rmtree(p, ignore_errors=True)`, `Path.unlink(missing_ok=True)`, or a removal behind an
 * exists check or inside a `try`: it does not fail when the path is missing.
 */
function tolerantRemoval(call: PythonNode, args: ReturnType<typeof callArguments>): boolean {
  for (const name of ['ignore_errors', 'missing_ok']) if (args.keywords.get(name)?.type === 'true') return true;
  for (let current = call.parent; current && current.type !== 'function_definition'; current = current.parent) {
    if (current.type === 'if_statement' && /\bexists\(|\bis_dir\(|\bisdir\(/.test(current.childForFieldName('condition')?.text ?? '')) return true;
    if (current.type === 'try_statement') return true;
  }
  return false;
}

/**
 * What one function does with the path its parameter holds (`dst_path` in `open(dst_path, "w")`):
 * the operations of the uses the review can classify, following project functions as for an activity.
 */
export function parameterPathOps(fn: PythonNode, file: string, parameter: string, modules: PythonModules): Set<LocalPathUse['op']> {
  const uses: LocalPathUse[] = [];
  const at = locateNode(file, fn);
  const names = new Map<string, PathValue>([[parameter, { path: `{${parameter}}`, declaration: at }]]);
  usesIn(fn, { file, names, attributes: new Map(), via: [] }, modules, uses, new Set());
  // Logging or printing the path only mentions it.
  const mentions = (use: LocalPathUse) => use.op === 'passed' && /^(print|[\w.]*\b(log|logger|logging|_log|_logger|LOGGER|LOG)\.\w+)\(\.\.\.\)$/.test(use.call ?? '');
  return new Set(uses.filter((use) => !mentions(use)).map((use) => (use.op === 'delete' && use.tolerant ? 'passed' : use.op)));
}
