// `from app.workflows.weekly import FullPipelineWorkflow` where the project's own module
// app/workflows/weekly.py binds no such name (the class is WeeklyFullPipelineWorkflow): the import
// raises ImportError when the importing module loads, so nothing in that module runs (its worker,
// its starts). Only imports that run whenever the module loads count (module level, or in a `with`
// block there), not ones under `if` or `try`. The imported module must be a file of the project
// the review read whole: one with a syntax error, or that binds names a reading cannot follow (star
// imports, exec, globals(), a module __getattr__, sys.modules), is left alone, and so is a name that
// is a submodule of the package on disk.

import fs from 'node:fs';
import path from 'node:path';
import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import { importRoots, type PythonModules } from './python-modules.js';
import { locateNode, moduleStatements, namedChildrenOf } from './python-syntax.js';
import { moduleTopLevelNames } from './python-undefined-names.js';

export interface MissingImport {
  location: SourceLocation;
  /** The module as written (`app.workflows.weekly`, `.weekly`). */
  module: string;
  name: string;
  /** The local name the import binds (the alias, else the name). */
  alias: string;
  /** The project file the module is. */
  target: string;
  /** Names of that module that differ from the missing one only by a prefix, a suffix or case (`WeeklyFullPipelineWorkflow`). */
  similar: string[];
}

export function pythonMissingImports(root: string, files: string[], modules: PythonModules, hasSyntaxError: (file: string) => boolean): MissingImport[] {
  const found: MissingImport[] = [];
  const roots = importRoots(root);
  const namesCache = new Map<string, Set<string> | undefined>();
  const namesOf = (file: string) => {
    if (!namesCache.has(file)) {
      const root = modules.files.get(file)?.tree.rootNode;
      namesCache.set(file, root && !hasSyntaxError(file) ? moduleTopLevelNames(root) : undefined);
    }
    return namesCache.get(file);
  };
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root) continue;
    const bindings = modules.importsOf(file);
    for (const statement of unconditionalImports(root)) {
      const moduleNode = statement.childForFieldName('module_name');
      if (!moduleNode) continue;
      for (const item of statement.childrenForFieldName('name')) {
        if (!item) continue;
        const name = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
        const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : name;
        if (!name || !alias || name.includes('.')) continue;
        const binding = bindings.get(alias);
        if (binding?.kind !== 'name' || !binding.file || binding.name !== name || binding.module !== moduleNode.text) continue;
        const target = binding.file;
        if (target === file) continue;
        const names = namesOf(target);
        if (!names || names.has(name)) continue;
        // Another file of the project with the same dotted name (a second source root, a copy) may be the one Python finds.
        if (!moduleNode.text.startsWith('.') && otherCandidates(moduleNode.text, file, roots, target, modules).some((other) => namesOf(other)?.has(name) !== false)) continue;
        // `from pkg import sub`: a submodule the review did not read (excluded, a data-only dir) still imports.
        if (path.basename(target) === '__init__.py' && existsAsModule(path.dirname(target), name)) continue;
        // A compiled module or a stub next to the source may be what Python loads.
        if (siblingBinary(target)) continue;
        const lower = name.toLowerCase();
        const similar = [...names].filter((n) => n !== name && n.length > 3 && (n.endsWith(name) || n.startsWith(name) || n.toLowerCase() === lower)).sort();
        found.push({ location: locateNode(file, item), module: moduleNode.text, name, alias, target, similar });
      }
    }
  }
  return found;
}

/** `from x import y` statements at module level or in a module-level `with` block: they run whenever the module loads. */
function unconditionalImports(root: PythonNode): PythonNode[] {
  const statements: PythonNode[] = [];
  const visit = (container: PythonNode) => {
    for (const statement of container === root ? moduleStatements(root) : namedChildrenOf(container)) {
      if (statement.type === 'import_from_statement') {
        if (!namedChildrenOf(statement).some((c) => c.type === 'wildcard_import')) statements.push(statement);
      } else if (statement.type === 'with_statement') {
        const body = statement.childForFieldName('body');
        if (body) visit(body);
      }
    }
  };
  visit(root);
  return statements;
}

function existsAsModule(dir: string, name: string): boolean {
  const candidate = path.join(dir, name);
  try {
    if (fs.existsSync(`${candidate}.py`) || fs.existsSync(path.join(candidate, '__init__.py'))) return true;
    return fs.statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

function siblingBinary(target: string): boolean {
  const dir = path.dirname(target);
  const stem = path.basename(target) === '__init__.py' ? undefined : path.basename(target, '.py');
  if (!stem) return false;
  try {
    return fs.readdirSync(dir).some((entry) => entry !== `${stem}.py` && entry.startsWith(`${stem}.`) && /\.(so|pyd|pyi)$/.test(entry));
  } catch {
    return false;
  }
}

/** The project's other files that `import dotted` could load, from the importing file's directory or another import root. */
function otherCandidates(dotted: string, fromFile: string, roots: string[], target: string, modules: PythonModules): string[] {
  const parts = dotted.split('.');
  const found = new Set<string>();
  for (const base of [path.dirname(fromFile), ...roots]) {
    const candidate = path.join(base, ...parts);
    for (const file of [`${candidate}.py`, path.join(candidate, '__init__.py')]) if (file !== target && modules.files.has(file)) found.add(file);
  }
  return [...found];
}
