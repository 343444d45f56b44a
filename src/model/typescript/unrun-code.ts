// Whether a Worker.create or a workflow start sits in code that nothing runs: inside a function or
// method that no reviewed file refers to (or only functions that are themselves never referred
// to), so the worker is never created and the workflow never started by this code. Such code is
// kept for later, or replaced by another path (the live workers are created elsewhere); findings
// about production behaviour there are notes, not defects.
//
// References are found by name, not through the checker: every identifier or string with the
// function's name, in every reviewed and test file, counts unless it only declares that name (the
// function itself, an interface member, an import or export specifier). A name shared with other
// code therefore keeps the function alive: a wrong "never called" would hide a real finding, a
// missed one only leaves it as it was. Code that a framework calls by convention stays alive: a
// decorated method, a lifecycle hook, a default export, an object-literal method, an accessor,
// the exports of a published package or of one package of a larger workspace, the exports of a
// module no reviewed file imports (it may be loaded by file name) or one imported whole (`import *
// as activities`: registered by the object, not by name), and workflows and activities.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Methods that frameworks call by name (NestJS, Angular, Lit, web components), and constructors. */
const LIFECYCLE_NAMES = new Set([
  'constructor',
  'onModuleInit',
  'onModuleDestroy',
  'onApplicationBootstrap',
  'onApplicationShutdown',
  'beforeApplicationShutdown',
  'ngOnInit',
  'ngOnDestroy',
  'connectedCallback',
  'disconnectedCallback',
]);

/** Exported names that runtimes call by convention: serverless handlers, route handlers. */
const CONVENTIONAL_EXPORTS = new Set(['handler', 'main', 'run', 'default', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'loader', 'action']);

/** How many callers deep the search follows functions that are themselves unreferenced. */
const MAX_DEPTH = 6;

type Named = ts.FunctionDeclaration | ts.MethodDeclaration | ts.VariableDeclaration | ts.PropertyDeclaration;

export interface UnrunCode {
  /** Why the code at `node` never runs (a message fragment), or undefined when it may run. */
  reason(node: ts.Node): string | undefined;
}

/**
 * `files` are every file a reference could be in (reviewed and test files); `sourceFile` reads one.
 */
export function createUnrunCode(
  root: string,
  files: string[],
  sourceFile: (file: string) => ts.SourceFile | undefined,
  checkerFor: (file: string) => ts.TypeChecker | undefined,
  /**
   * How other reviewed files import the file: 'whole' when one takes every export at once (`import
   * * as`, `export *`, require, a dynamic import), 'named' when they import names only, 'none'.
   */
  imported: (file: string) => 'whole' | 'named' | 'none',
  /** Functions Temporal calls by registration, not by name: workflows and activities. */
  registered: Set<ts.Node>,
): UnrunCode {
  const known = new Set(files);
  // Reviewing one package of a larger workspace: its exports may be used by packages not reviewed.
  const partOfLargerWorkspace = insideWorkspace(path.dirname(root));
  const occurrences = new Map<string, ts.Node[]>();
  const occurrencesOf = (name: string): ts.Node[] => {
    const cached = occurrences.get(name);
    if (cached) return cached;
    const found: ts.Node[] = [];
    for (const file of files) {
      const source = sourceFile(file);
      if (!source || !source.text.includes(name)) continue;
      const visit = (node: ts.Node): void => {
        if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isStringLiteralLike(node)) && node.text === name && !declaresOnly(node)) found.push(node);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    occurrences.set(name, found);
    return found;
  };

  /** True when nothing that may run refers to `fn`. */
  const unreferenced = (fn: Named, visiting: Set<Named>): boolean => {
    if (visiting.size > MAX_DEPTH || runByConvention(fn) || implementsOutsideMember(fn, known, checkerFor)) return false;
    // An export of a module no reviewed file imports may be loaded by convention (a framework's
    // file-based routes or jobs, a serverless handler): only an unused export of a module the
    // code does load counts as unused.
    if (registered.has(fn) || (ts.isVariableDeclaration(fn) && fn.initializer && registered.has(fn.initializer))) return false;
    if (isExported(fn) && (partOfLargerWorkspace || imported(fn.getSourceFile().fileName) !== 'named')) return false;
    const name = nameOf(fn);
    if (!name) return false;
    visiting.add(fn);
    try {
      for (const occurrence of occurrencesOf(name)) {
        if (within(occurrence, fn)) continue; // recursion
        const caller = enclosingFunction(occurrence);
        if (caller === 'top-level' || caller === 'opaque') return false;
        if (visiting.has(caller)) continue; // a cycle of functions nothing else calls
        if (!unreferenced(caller, visiting)) return false;
      }
      return true;
    } finally {
      visiting.delete(fn);
    }
  };

  return {
    reason(node) {
      const fn = enclosingFunction(node);
      if (fn === 'top-level' || fn === 'opaque') return undefined;
      if (!unreferenced(fn, new Set())) return undefined;
      const name = describe(fn);
      return `it is in ${name}, which nothing in the reviewed code calls or refers to (directly or through its callers)`;
    },
  };
}

/** The named function whose call runs `node`; anonymous callbacks belong to the function around them. */
function enclosingFunction(node: ts.Node): Named | 'top-level' | 'opaque' {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isSourceFile(current)) return 'top-level';
    if (ts.isFunctionDeclaration(current)) return current.name ? current : 'opaque';
    if (ts.isMethodDeclaration(current)) return ts.isClassLike(current.parent) ? current : 'opaque';
    if (ts.isConstructorDeclaration(current) || ts.isAccessor(current) || ts.isClassStaticBlockDeclaration(current)) return 'opaque';
    if (ts.isArrowFunction(current) || ts.isFunctionExpression(current)) {
      const parent = skipParentheses(current);
      if (ts.isVariableDeclaration(parent) && parent.initializer && ts.isIdentifier(parent.name)) return parent;
      if (ts.isPropertyDeclaration(parent) && ts.isClassLike(parent.parent)) return parent;
      if (ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent) || ts.isExportAssignment(parent)) return 'opaque';
      // a callback (`process.on('SIGTERM', () => ...)`) or an immediately run function: its caller runs it
    }
  }
  return 'top-level';
}

function skipParentheses(node: ts.Node): ts.Node {
  let parent = node.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent))) parent = parent.parent;
  return parent;
}

function nameOf(fn: Named): string | undefined {
  const name = fn.name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

function describe(fn: Named): string {
  const name = nameOf(fn)!;
  const owner = fn.parent && ts.isClassLike(fn.parent) && fn.parent.name ? `${fn.parent.name.text}.` : '';
  return `${owner}${name}`;
}

/** Whether a directory or one above it is the root of a workspace (npm, yarn, pnpm, lerna, nx, turbo). */
export function insideWorkspace(directory: string): boolean {
  for (let current = directory; ; current = path.dirname(current)) {
    if (['pnpm-workspace.yaml', 'lerna.json', 'nx.json', 'turbo.json'].some((name) => fs.existsSync(path.join(current, name)))) return true;
    const manifest = path.join(current, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ('workspaces' in (JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, unknown>)) return true;
      } catch {
        // not JSON: no workspace declared there
      }
    }
    if (path.dirname(current) === current) return false;
  }
}

/** `export function`, `export const`, a method of an exported class, or a name in an export list. */
function isExported(fn: Named): boolean {
  const statement = ts.isVariableDeclaration(fn) ? fn.parent?.parent : ts.isClassLike(fn.parent) ? fn.parent : fn;
  const modifiers = statement && ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
  if (modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  const name = ts.isClassLike(fn.parent) ? fn.parent.name?.text : nameOf(fn);
  return fn.getSourceFile().statements.some(
    (s) => ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause) && s.exportClause.elements.some((e) => (e.propertyName ?? e.name).text === name),
  );
}

/** Called by a framework or a runtime without a reference in the code. */
function runByConvention(fn: Named): boolean {
  const name = nameOf(fn);
  if (!name || LIFECYCLE_NAMES.has(name)) return true;
  if ((ts.isMethodDeclaration(fn) || ts.isPropertyDeclaration(fn)) && (ts.getDecorators(fn)?.length ?? 0) > 0) return true;
  const statement = ts.isVariableDeclaration(fn) ? fn.parent?.parent : fn;
  const modifiers = statement && ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
  const exported = modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) || exportedByList(fn, name);
  if (modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return true;
  if (exported && CONVENTIONAL_EXPORTS.has(name)) return true;
  // A method of an exported class, or an exported function, of a package other code installs.
  const classExported = ts.isClassLike(fn.parent) && (ts.getModifiers(fn.parent as ts.ClassDeclaration) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if ((exported || classExported) && publishedPackage(fn.getSourceFile().fileName)) return true;
  return false;
}

/**
 * A method that a class it extends or an interface it implements declares outside the reviewed
 * code (a framework base class, `NestInterceptor.intercept`): the framework calls it.
 */
function implementsOutsideMember(fn: Named, known: Set<string>, checkerFor: (file: string) => ts.TypeChecker | undefined): boolean {
  if (!(ts.isMethodDeclaration(fn) || ts.isPropertyDeclaration(fn)) || !ts.isClassLike(fn.parent)) return false;
  const clauses = fn.parent.heritageClauses ?? [];
  if (clauses.length === 0) return false;
  const name = nameOf(fn)!;
  const checker = checkerFor(fn.getSourceFile().fileName);
  if (!checker) return true; // cannot tell: keep it
  let unresolved = false;
  let local = false;
  for (const clause of clauses) {
    for (const heritage of clause.types) {
      const type = checker.getTypeAtLocation(heritage);
      const member = type.getProperty(name);
      if (!member) {
        // an unresolved base or interface (its package not installed) may declare anything
        if (type.flags & ts.TypeFlags.Any || type.getProperties().length === 0) unresolved = true;
        continue;
      }
      const declarations = member.declarations ?? [];
      if (declarations.some((d) => !known.has(d.getSourceFile().fileName))) return true;
      if (declarations.length > 0) local = true;
    }
  }
  // A member of the project's own interface (`implements ITemporalManager`) is called through that
  // interface or the class, which the name search sees; an unresolved one might declare it too.
  return unresolved && !local;
}

/** `export { createWorker as default }` */
function exportedByList(fn: Named, name: string): boolean {
  if (!ts.isFunctionDeclaration(fn) && !ts.isVariableDeclaration(fn)) return false;
  return fn.getSourceFile().statements.some(
    (s) => ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause) && s.exportClause.elements.some((e) => (e.propertyName ?? e.name).text === name && e.name.text === 'default'),
  );
}

/** Whether the nearest package.json describes a package others install (not private, with an entry point). */
const published = new Map<string, boolean>();
export function publishedPackage(file: string): boolean {
  for (let directory = path.dirname(file); ; directory = path.dirname(directory)) {
    const manifest = path.join(directory, 'package.json');
    if (published.has(manifest)) return published.get(manifest)!;
    if (fs.existsSync(manifest)) {
      let result = false;
      try {
        const json = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, unknown>;
        result = json.private !== true && ['main', 'exports', 'module', 'types', 'typings'].some((key) => key in json);
      } catch {
        result = true; // unreadable: do not claim the code is unused
      }
      published.set(manifest, result);
      return result;
    }
    if (path.dirname(directory) === directory) return false;
  }
}

/** An occurrence that only declares the name: the function itself, an interface member, an import or export specifier. */
function declaresOnly(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent)) return true;
  if (
    (ts.isFunctionDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isMethodSignature(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isVariableDeclaration(parent)) &&
    parent.name === node
  ) {
    // `const x = createWorker` declares x, not createWorker: only the name itself declares
    return true;
  }
  return false;
}

function within(node: ts.Node, container: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) if (current === container) return true;
  return false;
}
