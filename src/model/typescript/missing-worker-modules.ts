// Relative imports that name no file, in code a worker loads when it starts: the worker's own
// module and everything it imports at load time (its activities among them), and the module graph
// of its workflowsPath, which the SDK bundles with webpack inside Worker.create. Node stops the
// process at such an import ("Cannot find module", ERR_MODULE_NOT_FOUND under ESM) and webpack
// fails the workflow bundle ("Module not found"), so the worker never polls.
//
// Left alone: package imports; imports erased at compile time (`import type`, bindings used only
// as types); dynamic `import()` and a require() inside a function (loaded only when called);
// modules a build step makes (a path through a build-output or codegen folder, a path a .gitignore
// of the code base covers, a name a package script mentions); and any file on disk that some
// resolution may pick (any extension, an index module, a package.json, another letter case).

import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import ts from 'typescript';
import { isToolCode } from '../tool-code.js';
import type { SourceLocation } from '../types.js';
import { locate, relativePath } from './locate.js';
import type { ImportEdge, TemporalModel, WorkerDefinition } from './types.js';

export interface MissingWorkerModule {
  /** The import (or re-export, or require) statement. */
  location: SourceLocation;
  /** The specifier as written (`./follow-up-activities`). */
  specifier: string;
  /** The path it names, without an extension (absolute). */
  target: string;
  /** The names the statement takes from the module; null when it takes the whole module (`export *`, `import * as`, require). */
  names: string[] | null;
  /** How the file takes it. */
  kind: 'import' | 'export' | 'require';
  /** The workers whose start loads the importing file, with the chain of files from the worker's root. */
  loadedBy: { worker: WorkerDefinition; via: 'worker' | 'workflows'; chain: string[] }[];
}

/** Folders a build or a code generator writes, absent from a checkout until it runs. */
const GENERATED_SEGMENT = /^(dist|build|out|output|target|\.next|\.build|bundles?|generated|__generated__|\.generated|gen|codegen|\.prisma|prisma-client|proto-gen|gql|graphql-types)$/i;
/** Module names of generated code (`schema.generated`, `api.gen`, `user_pb`, `service_grpc_pb`). */
const GENERATED_NAME = /([._-](generated|gen)$)|(_pb$)|(_grpc_pb$)|(\.pb$)/i;

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.json', '.node'];

export function missingWorkerModules(model: TemporalModel): MissingWorkerModule[] {
  const reviewed = new Set([...model.files, ...model.testFiles]);
  const found = new Map<string, MissingWorkerModule>();
  const generated = createGeneratedTest(model.root);
  for (const worker of model.workers) {
    if (worker.notRun || isToolCode(relativePath(model.root, worker.location.file))) continue;
    const roots: { files: string[]; via: 'worker' | 'workflows' }[] = [
      { files: [worker.location.file, ...(worker.factoryCall ? [worker.factoryCall.location.file] : [])], via: 'worker' },
      ...(worker.workflowsPath ? [{ files: [worker.workflowsPath], via: 'workflows' as const }] : []),
    ];
    for (const root of roots) {
      for (const { file, chain } of loadedFiles(root.files, model, reviewed)) {
        for (const edge of model.importsOf(file)) {
          const missing = missingTarget(edge, model, generated);
          if (!missing) continue;
          const key = `${edge.location.file}:${edge.location.line}:${edge.location.column}`;
          const entry = found.get(key) ?? { location: edge.location, specifier: edge.specifier, target: missing.target, names: missing.names, kind: missing.kind, loadedBy: [] };
          if (!entry.loadedBy.some((l) => l.worker === worker)) entry.loadedBy.push({ worker, via: root.via, chain });
          found.set(key, entry);
        }
      }
    }
  }
  return [...found.values()].sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line);
}

/** The reviewed files loaded with the roots (by imports that run at load), each with the files leading to it. */
function loadedFiles(roots: string[], model: TemporalModel, reviewed: Set<string>): { file: string; chain: string[] }[] {
  const chains = new Map<string, string[]>();
  const pending = roots.filter((file) => reviewed.has(file)).map((file) => ({ file, chain: [file] }));
  while (pending.length > 0) {
    const { file, chain } = pending.shift()!;
    if (chains.has(file)) continue;
    chains.set(file, chain);
    for (const edge of model.importsOf(file)) {
      if (!edge.atLoad || edge.typeOnly || !edge.resolved || !reviewed.has(edge.resolved) || chains.has(edge.resolved)) continue;
      pending.push({ file: edge.resolved, chain: [...chain, edge.resolved] });
    }
  }
  return [...chains].map(([file, chain]) => ({ file, chain }));
}

/** The path an unresolved relative import that runs at load names, when no file can answer it and no build step makes it. */
function missingTarget(edge: ImportEdge, model: TemporalModel, generated: (target: string, importer: string) => boolean): { target: string; names: string[] | null; kind: MissingWorkerModule['kind'] } | undefined {
  if (edge.resolved !== null || !edge.atLoad || !/^\.\.?(\/|$)/.test(edge.specifier) || edge.typeOnly) return undefined;
  const target = path.resolve(path.dirname(edge.from), edge.specifier);
  const relative = path.relative(model.root, target);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  if (existsAnyhow(target)) return undefined;
  if (generated(target, edge.from)) return undefined;
  const statement = statementAt(edge, model);
  if (statement && erasedImport(statement, model)) return undefined;
  const kind = statement && ts.isExportDeclaration(statement) ? 'export' : statement && ts.isImportDeclaration(statement) ? 'import' : 'require';
  return { target: target.replace(/\.(m|c)?[jt]sx?$/, ''), names: statement ? takenNames(statement) : null, kind };
}

/** Any file some resolution may take for the path: the path itself, with any extension (`.js` written for `.ts`), an index module, or the same name in another letter case. */
function existsAnyhow(target: string): boolean {
  const bare = target.replace(/\.(m|c)?[jt]sx?$/, '');
  const candidates = [target, bare, ...EXTENSIONS.map((e) => bare + e), ...EXTENSIONS.map((e) => path.join(target, `index${e}`)), path.join(target, 'package.json')];
  if (candidates.some((candidate) => fs.existsSync(candidate))) return true;
  // The same module name with another extension (a loader's `.graphql`, `.vue`), or another letter case.
  const directory = path.dirname(bare);
  const stem = path.basename(bare).toLowerCase();
  let entries: string[];
  try {
    entries = fs.readdirSync(directory);
  } catch {
    return false;
  }
  return entries.some((entry) => {
    const lower = entry.toLowerCase();
    return lower === stem || lower.startsWith(`${stem}.`);
  });
}

function statementAt(edge: ImportEdge, model: TemporalModel): ts.Node | undefined {
  const source = model.sourceFile(edge.from);
  if (!source) return undefined;
  const position = source.getPositionOfLineAndCharacter(edge.location.line - 1, edge.location.column - 1);
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || position < node.pos || position >= node.end) return;
    if (node.getStart(source) === position && (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isImportEqualsDeclaration(node) || ts.isCallExpression(node))) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return found;
}

/** The names an import or re-export takes; null for the whole module. */
function takenNames(statement: ts.Node): string[] | null {
  if (ts.isExportDeclaration(statement)) {
    const clause = statement.exportClause;
    if (!clause || !ts.isNamedExports(clause)) return null;
    return clause.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).getText());
  }
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!clause) return null;
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) return null;
    return [...(clause.name ? ['default'] : []), ...(named ? named.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).getText()) : [])];
  }
  return null;
}

/**
 * An import that compilers and tsx/esbuild drop: its bindings are used only as types (or not at
 * all). A side-effect import (`import './x'`) and every re-export stay.
 */
function erasedImport(statement: ts.Node, model: TemporalModel): boolean {
  let bindings: ts.Identifier[] = [];
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (!clause) return false;
    if (clause.name) bindings.push(clause.name);
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) bindings.push(named.name);
    else if (named) bindings.push(...named.elements.filter((e) => !e.isTypeOnly).map((e) => e.name));
  } else if (ts.isImportEqualsDeclaration(statement)) {
    bindings = [statement.name];
  } else return false;
  if (bindings.length === 0) return true;
  const names = new Set(bindings.map((b) => b.text));
  const own = new Set<ts.Node>(bindings);
  const source = statement.getSourceFile();
  const checker = model.checkerFor(source.fileName);
  const symbols = new Set(bindings.map((b) => checker?.getSymbolAtLocation(b)).filter((s): s is ts.Symbol => s !== undefined));
  let usedAsValue = false;
  const visit = (node: ts.Node): void => {
    if (usedAsValue) return;
    if (ts.isIdentifier(node) && names.has(node.text) && !own.has(node) && !isPropertyName(node) && !inTypePosition(node)) {
      const symbol = checker?.getSymbolAtLocation(node);
      if (!checker || !symbol || symbols.size === 0 || symbols.has(symbol) || (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node)) usedAsValue = true;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return !usedAsValue;
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
  if (ts.isQualifiedName(parent) && parent.right === node) return true;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isPropertySignature(parent) || ts.isMethodSignature(parent) || ts.isGetAccessor(parent) || ts.isSetAccessor(parent) || ts.isEnumMember(parent)) && parent.name === node) return true;
  if ((ts.isImportSpecifier(parent) || ts.isBindingElement(parent)) && parent.propertyName === node) return true;
  return false;
}

function inTypePosition(node: ts.Node): boolean {
  for (let parent = node.parent; parent && !ts.isSourceFile(parent); parent = parent.parent) {
    if (ts.isHeritageClause(parent)) return !(parent.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(parent.parent));
    if (ts.isTypeAliasDeclaration(parent) || ts.isInterfaceDeclaration(parent)) return true;
    if (ts.isExpressionWithTypeArguments(parent)) continue;
    if (ts.isTypeNode(parent)) return true;
    if (ts.isStatement(parent)) return false;
  }
  return false;
}

/**
 * True when a build step makes the path: it passes through a build-output or codegen folder, its
 * name is that of generated code, a .gitignore between the reviewed directory and the path covers
 * it, or a package script of a package holding the importer names it.
 */
function createGeneratedTest(root: string): (target: string, importer: string) => boolean {
  const ignoreFiles = new Map<string, IgnoreRule[] | null>();
  const rulesOf = (directory: string) => {
    if (!ignoreFiles.has(directory)) ignoreFiles.set(directory, readIgnoreFile(path.join(directory, '.gitignore')));
    return ignoreFiles.get(directory) ?? null;
  };
  const scripts = new Map<string, string>();
  const scriptsOf = (directory: string): string => {
    if (!scripts.has(directory)) scripts.set(directory, readScripts(path.join(directory, 'package.json')));
    return scripts.get(directory)!;
  };
  return (target, importer) => {
    const relative = path.relative(root, target).split(path.sep);
    if (relative.some((segment) => GENERATED_SEGMENT.test(segment))) return true;
    const bare = target.replace(/\.(m|c)?[jt]sx?$/, '');
    if (GENERATED_NAME.test(path.basename(bare))) return true;
    // .gitignore files from the reviewed directory down to the target's folder, in order: a later one decides.
    const candidates = [bare, ...['.ts', '.tsx', '.js', '.mjs', '.cjs'].map((e) => bare + e), path.join(bare, 'index.ts'), path.join(bare, 'index.js')];
    let directory = root;
    const directories = [root];
    for (const segment of path.relative(root, path.dirname(bare)).split(path.sep).filter(Boolean)) {
      directory = path.join(directory, segment);
      directories.push(directory);
    }
    if (candidates.some((candidate) => ignored(candidate, directories, rulesOf))) return true;
    // A package script that names the module or a folder on its path (`"codegen": "... -o src/api"`).
    const written = path.relative(path.dirname(importer), bare).split(path.sep).filter((segment) => segment !== '..' && segment !== '.');
    const words = written.filter((segment) => segment.length >= 3);
    for (let folder = path.dirname(importer); ; folder = path.dirname(folder)) {
      const text = scriptsOf(folder);
      if (text && words.some((word) => new RegExp(`(^|[\\s/'"=])${escape(word)}([\\s/'".]|$)`).test(text))) return true;
      if (folder === root || !folder.startsWith(root) || folder === path.dirname(folder)) break;
    }
    return false;
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type IgnoreRule = { negated: boolean; match: (relative: string) => boolean; directoryOnly: boolean };

/**
 * Git's reading: a path is ignored when the last rule matching it (a deeper .gitignore after a
 * shallower one, a later line after an earlier one) ignores it, or when a folder above it is ignored.
 */
function ignored(file: string, directories: string[], rulesOf: (directory: string) => IgnoreRule[] | null): boolean {
  const root = directories[0]!;
  const parts = path.relative(root, file).split(path.sep);
  for (let depth = 1; depth <= parts.length; depth++) {
    const prefix = path.join(root, ...parts.slice(0, depth));
    const isFolder = depth < parts.length;
    let decided = false;
    for (const directory of directories) {
      const relative = path.relative(directory, prefix);
      if (relative === '' || relative.startsWith('..')) continue;
      for (const rule of rulesOf(directory) ?? []) {
        if (rule.directoryOnly && !isFolder) continue;
        if (rule.match(relative.split(path.sep).join('/'))) decided = !rule.negated;
      }
    }
    if (decided) return true;
  }
  return false;
}

function readIgnoreFile(file: string): IgnoreRule[] | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    const directoryOnly = line.endsWith('/');
    line = line.replace(/\/+$/, '');
    if (!line) continue;
    const anchored = line.includes('/');
    const pattern = anchored ? line.replace(/^\//, '') : `**/${line}`;
    const match = picomatch(pattern, { dot: true });
    rules.push({ negated, match, directoryOnly });
  }
  return rules;
}

function readScripts(file: string): string {
  try {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { scripts?: Record<string, unknown> };
    return Object.values(json.scripts ?? {}).filter((v): v is string => typeof v === 'string').join('\n');
  } catch {
    return '';
  }
}
