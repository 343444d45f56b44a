// Connects the files of a Python project: which module each import names, resolved within the
// project (packages, relative imports, `src/` layouts and the package dirs pyproject.toml or
// setup.cfg declare), and what a name in a file refers to. Imports of installed packages
// (temporalio, datetime) keep their dotted name so extractors can recognise the SDK's API.

import fs from 'node:fs';
import path from 'node:path';
import type { ParsedPythonFile, PythonNode } from './parse-python.js';
import { moduleStatements, namedChildrenOf } from './python-syntax.js';

/** What a name bound by an import refers to. */
export type ImportBinding =
  /** `import a.b as m`, `from a import b` when b is a module: the module's dotted name and file. */
  | { kind: 'module'; module: string; file: string | undefined }
  /** `from a.b import name`: a name inside a module. */
  | { kind: 'name'; module: string; name: string; file: string | undefined };

/** A top-level definition: a function, a class or an assignment `NAME = value`. */
export interface ModuleDefinition {
  file: string;
  name: string;
  node: PythonNode;
  kind: 'function' | 'class' | 'assignment';
  /** For assignments: the assigned expression. */
  value?: PythonNode;
}

export interface PythonModules {
  files: Map<string, ParsedPythonFile>;
  /** The bindings each file's imports create, by local name. */
  importsOf(file: string): Map<string, ImportBinding>;
  /** Modules `from x import *` pulls in. */
  starImportsOf(file: string): string[];
  /** The definition a name refers to in a file, following project imports. */
  lookup(file: string, name: string): ModuleDefinition | undefined;
  /** The definition a name refers to where `at` uses it: an import inside an enclosing function counts too. */
  lookupAt(file: string, name: string, at: PythonNode): ModuleDefinition | undefined;
  /** The import binding a name has where `at` uses it: an import inside an enclosing function first, then the module's. */
  importBindingAt(file: string, name: string, at: PythonNode): ImportBinding | undefined;
  /** The dotted name an expression spells with its imports applied (`td` -> `datetime.timedelta`), or undefined. */
  qualifiedName(file: string, node: PythonNode): string | undefined;
  /** Imports that name a module inside the project that could not be found. */
  unresolved: { file: string; line: number; module: string }[];
}

export function createPythonModules(root: string, parsed: ParsedPythonFile[]): PythonModules {
  const files = new Map(parsed.map((p) => [p.file, p]));
  const roots = importRoots(root);
  const topLevelPackages = new Set<string>();
  for (const file of files.keys()) {
    for (const base of roots) {
      const relative = path.relative(base, file);
      if (!relative.startsWith('..') && !path.isAbsolute(relative)) topLevelPackages.add(relative.split(path.sep)[0]!.replace(/\.py$/, ''));
    }
  }
  const unresolved: PythonModules['unresolved'] = [];
  const importCache = new Map<string, { bindings: Map<string, ImportBinding>; stars: string[] }>();
  const definitionCache = new Map<string, Map<string, ModuleDefinition>>();

  const moduleFile = (dotted: string, fromFile: string): string | undefined => {
    const parts = dotted.split('.');
    // A script's own directory is on sys.path (`python worker.py`), then the project's roots.
    for (const base of [path.dirname(fromFile), ...roots]) {
      const candidate = path.join(base, ...parts);
      for (const file of [`${candidate}.py`, path.join(candidate, '__init__.py')]) if (files.has(file)) return file;
    }
    return undefined;
  };

  const relativeModule = (fromFile: string, dots: number, rest: string): { module: string; base: string } => {
    let base = path.dirname(fromFile);
    for (let i = 1; i < dots; i++) base = path.dirname(base);
    return { module: rest, base };
  };

  const fileIn = (base: string, dotted: string): string | undefined => {
    const candidate = dotted ? path.join(base, ...dotted.split('.')) : base;
    for (const file of [`${candidate}.py`, path.join(candidate, '__init__.py')]) if (files.has(file)) return file;
    return undefined;
  };

  const importsFor = (file: string) => {
    const cached = importCache.get(file);
    if (cached) return cached;
    const source = files.get(file);
    const entry = { bindings: new Map<string, ImportBinding>(), stars: [] as string[] };
    importCache.set(file, entry);
    if (source) bindImports(file, source.tree.rootNode, entry, noteUnresolved);
    return entry;
  };

  // Imports inside a function body (`def start(): from app.workflows import Sync`), by function.
  const localImportCache = new Map<number, Map<string, ImportBinding>>();
  const localImportsOf = (file: string, fn: PythonNode): Map<string, ImportBinding> => {
    const cached = localImportCache.get(fn.id);
    if (cached) return cached;
    const entry = { bindings: new Map<string, ImportBinding>(), stars: [] as string[] };
    localImportCache.set(fn.id, entry.bindings);
    const body = fn.childForFieldName('body');
    // Unresolved local imports are not reported: the module-level ones already say what is missing.
    if (body) bindImports(file, body, entry, () => undefined);
    return entry.bindings;
  };

  function bindImports(
    file: string,
    container: PythonNode,
    entry: { bindings: Map<string, ImportBinding>; stars: string[] },
    noteUnresolved: (file: string, statement: PythonNode, module: string, target: string | undefined, relative?: boolean) => void,
  ): void {
    const { bindings, stars } = entry;
    const visit = (node: PythonNode) => {
      for (const statement of namedChildrenOf(node)) {
        if (statement.type === 'import_statement') {
          for (const item of namedChildrenOf(statement)) {
            const dotted = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
            if (!dotted) continue;
            const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : undefined;
            const target = moduleFile(dotted, file);
            noteUnresolved(file, statement, dotted, target);
            // `import a.b` binds `a`; `import a.b as m` binds m to a.b.
            if (alias) bindings.set(alias, { kind: 'module', module: dotted, file: target });
            else {
              const head = dotted.split('.')[0]!;
              bindings.set(head, { kind: 'module', module: head, file: moduleFile(head, file) });
            }
          }
        } else if (statement.type === 'import_from_statement') {
          const moduleNode = statement.childForFieldName('module_name');
          if (!moduleNode) continue;
          let module: string;
          let target: string | undefined;
          let base: string | undefined;
          if (moduleNode.type === 'relative_import') {
            const prefix = namedChildrenOf(moduleNode).find((c) => c.type === 'import_prefix')?.text ?? '.';
            const rest = namedChildrenOf(moduleNode).find((c) => c.type === 'dotted_name')?.text ?? '';
            const relative = relativeModule(file, prefix.length, rest);
            base = relative.base;
            module = `${prefix}${rest}`;
            target = fileIn(relative.base, rest);
            if (!target && rest && !existsOnDisk([relative.base], rest)) noteUnresolved(file, statement, module, undefined, true);
          } else {
            module = moduleNode.text;
            target = moduleFile(module, file);
            noteUnresolved(file, statement, module, target);
          }
          if (namedChildrenOf(statement).some((c) => c.type === 'wildcard_import')) {
            if (target) stars.push(target);
            continue;
          }
          for (const item of statement.childrenForFieldName('name')) {
            if (!item) continue;
            const name = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
            const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : name;
            if (!name || !alias) continue;
            // `from pkg import sub` may name a submodule rather than a name in pkg/__init__.py.
            const submodule = base !== undefined ? fileIn(base, module.replace(/^\.+/, '') ? `${module.replace(/^\.+/, '')}.${name}` : name) : moduleFile(`${module}.${name}`, file);
            if (submodule) bindings.set(alias, { kind: 'module', module: `${module}.${name}`, file: submodule });
            else bindings.set(alias, { kind: 'name', module, name, file: target });
          }
        } else if (statement.type === 'if_statement' || statement.type === 'try_statement' || statement.type === 'block' || statement.type === 'else_clause' || statement.type === 'except_clause' || statement.type === 'finally_clause') {
          // `if TYPE_CHECKING:` and `try: import x except ImportError:` blocks still bind names.
          visit(statement);
        } else if (statement.type === 'with_statement') {
          // `with workflow.unsafe.imports_passed_through(): from .activities import x`
          const body = statement.childForFieldName('body');
          if (body) visit(body);
        }
      }
    };
    visit(container);
  }

  const seenUnresolved = new Set<string>();
  function noteUnresolved(file: string, statement: PythonNode, module: string, target: string | undefined, relative = false): void {
    if (target) return;
    // Only a module that looks like the project's own (relative, or a top-level package of it) is missing; others are installed packages.
    if (!relative && !topLevelPackages.has(module.split('.')[0]!)) return;
    // Test code and other files left out of the review still exist.
    if (!relative && existsOnDisk([path.dirname(file), ...roots], module)) return;
    const key = `${file}:${module}`;
    if (seenUnresolved.has(key)) return;
    seenUnresolved.add(key);
    unresolved.push({ file, line: statement.startPosition.row + 1, module });
  }

  const definitionsOf = (file: string): Map<string, ModuleDefinition> => {
    const cached = definitionCache.get(file);
    if (cached) return cached;
    const definitions = new Map<string, ModuleDefinition>();
    definitionCache.set(file, definitions);
    const source = files.get(file);
    if (!source) return definitions;
    for (const statement of moduleStatements(source.tree.rootNode)) {
      if (statement.type === 'function_definition' || statement.type === 'class_definition') {
        const name = statement.childForFieldName('name')?.text;
        if (name) definitions.set(name, { file, name, node: statement, kind: statement.type === 'class_definition' ? 'class' : 'function' });
      } else if (statement.type === 'expression_statement') {
        const assignment = namedChildrenOf(statement)[0];
        if (assignment?.type !== 'assignment') continue;
        const left = assignment.childForFieldName('left');
        const right = assignment.childForFieldName('right');
        if (left?.type === 'identifier' && right) definitions.set(left.text, { file, name: left.text, node: assignment, kind: 'assignment', value: right });
      }
    }
    return definitions;
  };

  const lookup = (file: string, name: string, depth = 0): ModuleDefinition | undefined => {
    if (depth > 8) return undefined;
    const own = definitionsOf(file).get(name);
    if (own) return own;
    const binding = importsFor(file).bindings.get(name);
    if (binding?.kind === 'name' && binding.file) return lookup(binding.file, binding.name, depth + 1);
    for (const star of importsFor(file).stars) {
      const found = lookup(star, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  };

  const qualifiedName = (file: string, node: PythonNode): string | undefined => {
    if (node.type === 'identifier') {
      // A name the module does not import may be imported inside an enclosing function
      // (`from datetime import timedelta` in the handler that starts the workflow).
      const binding = importsFor(file).bindings.get(node.text) ?? localImportAt(file, node.text, node);
      if (!binding) return definitionsOf(file).has(node.text) ? undefined : node.text;
      return binding.kind === 'module' ? binding.module : `${binding.module}.${binding.name}`;
    }
    if (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute');
      if (!object || !attribute) return undefined;
      const head = qualifiedName(file, object);
      return head ? `${head}.${attribute.text}` : undefined;
    }
    return undefined;
  };

  /** The binding of a name by an import inside a function enclosing the node, innermost first. */
  const localImportAt = (file: string, name: string, at: PythonNode): ImportBinding | undefined => {
    for (let node: PythonNode | null = at.parent; node; node = node.parent) {
      if (node.type !== 'function_definition') continue;
      const binding = localImportsOf(file, node).get(name);
      if (binding) return binding;
    }
    return undefined;
  };

  /** A name as seen at a node: imports of the enclosing functions first, then the module's. */
  const lookupAt = (file: string, name: string, at: PythonNode): ModuleDefinition | undefined => {
    for (let node: PythonNode | null = at.parent; node; node = node.parent) {
      if (node.type !== 'function_definition') continue;
      const binding = localImportsOf(file, node).get(name);
      if (binding?.kind === 'name' && binding.file) return lookup(binding.file, binding.name);
    }
    return lookup(file, name);
  };

  const importBindingAt = (file: string, name: string, at: PythonNode): ImportBinding | undefined =>
    localImportAt(file, name, at) ?? importsFor(file).bindings.get(name);

  return {
    files,
    importsOf: (file) => importsFor(file).bindings,
    importBindingAt,
    lookupAt,
    starImportsOf: (file) => importsFor(file).stars,
    lookup: (file, name) => lookup(file, name),
    qualifiedName,
    get unresolved() {
      for (const file of files.keys()) importsFor(file);
      return unresolved;
    },
  };
}

function existsOnDisk(bases: string[], dotted: string): boolean {
  return bases.some((base) => {
    const candidate = path.join(base, ...dotted.split('.'));
    return fs.existsSync(`${candidate}.py`) || fs.existsSync(path.join(candidate, '__init__.py')) || isNamespacePackage(candidate);
  });
}

/** A directory without __init__.py that holds Python modules is a namespace package (PEP 420), importable as is. */
function isNamespacePackage(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory() && fs.readdirSync(dir, { withFileTypes: true }).some((e) => (e.isFile() && e.name.endsWith('.py')) || (e.isDirectory() && !e.name.startsWith('.') && e.name !== '__pycache__'));
  } catch {
    return false;
  }
}

/**
 * Where absolute imports start: the reviewed directory, its `src/`, and every project directory
 * (one with pyproject.toml, setup.cfg, setup.py or requirements.txt) with the package dirs it declares.
 */
export function importRoots(root: string): string[] {
  const roots = new Set<string>([root]);
  const consider = (dir: string) => {
    if (fs.existsSync(path.join(dir, 'src'))) roots.add(path.join(dir, 'src'));
    for (const declared of declaredPackageDirs(dir)) roots.add(path.resolve(dir, declared));
  };
  consider(root);
  for (const dir of projectDirs(root, 3)) {
    roots.add(dir);
    consider(dir);
  }
  return [...roots].filter((dir) => fs.existsSync(dir));
}

/** Files that mark a project directory: packaging metadata, or the requirements a deployment installs (`backend/requirements.txt` next to `backend/app/`). */
const PROJECT_FILES = new Set(['pyproject.toml', 'setup.cfg', 'setup.py', 'requirements.txt']);

function projectDirs(root: string, depth: number): string[] {
  const found: string[] = [];
  const walk = (dir: string, level: number) => {
    if (level > depth) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (level > 0 && entries.some((e) => e.isFile() && PROJECT_FILES.has(e.name))) found.push(dir);
    for (const entry of entries) {
      if (entry.isDirectory() && !IGNORED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(path.join(dir, entry.name), level + 1);
    }
  };
  walk(root, 0);
  return found;
}

/** Directories never reviewed: virtual environments, caches, build output. */
export const IGNORED_DIRS = new Set(['node_modules', '__pycache__', 'venv', 'env', 'site-packages', 'build', 'dist', '.venv', '.tox', '.nox', '.git', '.mypy_cache', '.pytest_cache']);

/** `from = "src"` (poetry), `package-dir = {"" = "src"}` (setuptools), `package_dir = =src` (setup.cfg). */
function declaredPackageDirs(dir: string): string[] {
  const dirs: string[] = [];
  const read = (name: string) => {
    try {
      return fs.readFileSync(path.join(dir, name), 'utf8');
    } catch {
      return '';
    }
  };
  const pyproject = read('pyproject.toml');
  for (const match of pyproject.matchAll(/\bfrom\s*=\s*["']([^"']+)["']/g)) dirs.push(match[1]!);
  for (const match of pyproject.matchAll(/^\s*""\s*=\s*["']([^"']+)["']/gm)) dirs.push(match[1]!);
  for (const match of pyproject.matchAll(/package-dir\s*=\s*\{\s*""\s*=\s*["']([^"']+)["']/g)) dirs.push(match[1]!);
  const setupCfg = read('setup.cfg');
  for (const match of setupCfg.matchAll(/package_dir\s*=\s*\n?\s*=\s*(\S+)/g)) dirs.push(match[1]!);
  return dirs;
}
