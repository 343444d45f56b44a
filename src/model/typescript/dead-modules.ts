// Modules that nothing loads: a library module (no code of its own runs when it is loaded) that no
// file of the code base imports, re-exports, requires or imports dynamically, that the index
// module of its folder leaves out while re-exporting other modules of the folder, and that nothing
// names by path: no string in the code (a workflowsPath, `require.resolve('./trigger')`,
// `path.join(__dirname, 'trigger.js')`, a glob over its folder), no package.json (scripts, main,
// bin), Dockerfile, compose file, Procfile, Makefile, shell script, CI or config file, and no
// document. Its exported functions are called by nothing, so a workflow start in them never runs:
// a helper left behind after the callers moved elsewhere. Conservative on purpose: a module with a
// top-level statement that runs (a script run by hand), one exporting a name runtimes call by
// convention (a default export, `handler`, `GET`), one of a published package or of a package in
// a larger workspace, one holding workflows or activities, or one whose name any of those texts
// mentions, counts as loaded.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Directories whose files are not sources or entry declarations of the code base. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', 'dist', 'build', 'out', '.next', '.nuxt', 'coverage', '.turbo', '.cache', 'vendor', '__pycache__', '.venv', 'venv']);

/** JavaScript sources: they may import a TypeScript module (through its compiled name). */
const SCRIPT_SOURCE = /\.(js|mjs|cjs|jsx|vue|svelte|astro)$/;

/** Files that declare what runs or document how to run it. */
const ENTRY_TEXT = /(^|\/)(package\.json|Dockerfile[^/]*|[^/]*\.dockerfile|Procfile|Makefile|Justfile|Taskfile[^/]*|[^/]*\.(sh|bash|ya?ml|toml|md|mdx|txt|ini|cfg|conf|env|json|jsonc))$/i;

/** Files not read for names: lock files and source maps. */
const IGNORED_TEXT = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?)$|\.map$/;

/** Exported names that runtimes and frameworks call by convention: such a module is loaded by file. */
const CONVENTIONAL_EXPORTS = new Set(['default', 'handler', 'main', 'run', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'loader', 'action', 'config', 'middleware']);

/** Base names that entry points and frameworks use: never counted as unloaded. */
const ENTRY_NAMES = new Set(['index', 'main', 'server', 'app', 'worker', 'cli', 'bin', 'start', 'entry', 'handler', 'route', 'page', 'layout', 'middleware']);

const MAX_TEXT_FILES = 20_000;
const MAX_TEXT_BYTES = 1_000_000;

export interface DeadModules {
  /** Why nothing loads the file (a message fragment), or undefined when something may. */
  reason(file: string): string | undefined;
}

export function createDeadModules(
  root: string,
  files: string[],
  sourceFile: (file: string) => ts.SourceFile | undefined,
  /** Whether some reviewed file imports the file (statically, by re-export, require or a literal dynamic import). */
  isImported: (file: string) => boolean,
  /** Functions Temporal calls by registration: workflows and activities. */
  registered: Set<ts.Node>,
  /** Whether the file's package is published or part of a workspace larger than the reviewed code. */
  sharedOutside: (file: string) => boolean,
  /** The module specifiers of the reviewed code that resolve to no file (a path alias not followed). */
  unresolvedSpecifiers: () => string[],
): DeadModules {
  const registeredFiles = new Set([...registered].map((node) => node.getSourceFile().fileName));
  let corpus: { texts: { file: string; text: string }[]; strings: { file: string; value: string; pathArgument: boolean }[]; complete: boolean } | undefined;
  const load = () => {
    if (corpus) return corpus;
    const texts: { file: string; text: string }[] = [];
    const strings: { file: string; value: string; pathArgument: boolean }[] = [];
    const walked = walkTextFiles(root);
    for (const file of files) {
      const source = sourceFile(file);
      if (source) for (const { value, pathArgument } of stringsOf(source)) strings.push({ file, value, pathArgument });
    }
    const reviewed = new Set(files);
    for (const file of walked.files) {
      if (reviewed.has(file)) continue;
      let text: string;
      try {
        if (fs.statSync(file).size > MAX_TEXT_BYTES) continue;
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      if (SCRIPT_SOURCE.test(file)) for (const value of quotedStrings(text)) strings.push({ file, value, pathArgument: false });
      else texts.push({ file, text });
    }
    corpus = { texts, strings, complete: walked.complete };
    return corpus;
  };
  const reviewedFiles = new Set(files);
  const barrelLeavesOut = (file: string): boolean => {
    const folder = path.dirname(file);
    for (const name of ['index.ts', 'index.tsx', 'index.mts', 'index.cts']) {
      const barrel = path.join(folder, name);
      if (barrel === file || !reviewedFiles.has(barrel)) continue;
      const source = sourceFile(barrel);
      if (!source) continue;
      return source.statements.some(
        (statement) => ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text.startsWith('./'),
      );
    }
    return false;
  };
  const cache = new Map<string, string | undefined>();
  return {
    reason(file) {
      if (cache.has(file)) return cache.get(file);
      const result = decide(file);
      cache.set(file, result);
      return result;
    },
  };

  function decide(file: string): string | undefined {
    const source = sourceFile(file);
    if (!source || isImported(file) || registeredFiles.has(file) || sharedOutside(file)) return undefined;
    const extension = path.extname(file);
    const base = path.basename(file, extension);
    if (ENTRY_NAMES.has(base) || /\.(test|spec|stories|config|setup)$/.test(base)) return undefined;
    if (!libraryOnly(source)) return undefined;
    // The folder's public surface leaves it out: an index module next to it re-exports other
    // modules of the folder but not this one. Without such a barrel, an exported helper nothing
    // imports may be the API other code (not reviewed) calls.
    if (!barrelLeavesOut(file)) return undefined;
    const parent = path.basename(path.dirname(file));
    const { texts, strings, complete } = load();
    // Too many files to read them all: a mention may be in one not read.
    if (!complete) return undefined;
    if (unresolvedSpecifiers().some((specifier) => specifier.replace(/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, '').split('/').at(-1) === base)) return undefined;
    // Named by path in a declaration or a document: `node dist/trigger.js`, `"main": "src/trigger.ts"`.
    const byFile = new RegExp(`(^|[^\\w.-])${escape(base)}\\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)\\b`);
    const byPath = new RegExp(`(^|[^\\w.-])${escape(parent)}/${escape(base)}($|[^\\w.-])`);
    if (texts.some(({ text }) => text.includes(base) && (byFile.test(text) || byPath.test(text)))) return undefined;
    // Named by a string in the code: a path that resolves to it or ends with its folder and name,
    // its bare name, or a glob over a folder that holds it.
    const stem = file.slice(0, file.length - extension.length);
    for (const { file: holder, value, pathArgument } of strings) {
      if (holder === file) continue;
      if (!value.includes(base) && !value.includes(parent) && !value.includes('*')) continue;
      if (names(value, pathArgument, holder, stem, base, parent, file, root)) return undefined;
    }
    const relative = path.relative(root, file).split(path.sep).join('/');
    return `${relative} is a module nothing loads: no file of the code base imports, re-exports or requires it, and no string, package.json script or entry, Dockerfile or script names it, so its exported functions are never called`;
  }
}

/** True when the string may name the module at `stem` (its path without extension). */
function names(value: string, pathArgument: boolean, holder: string, stem: string, base: string, parent: string, file: string, root: string): boolean {
  const cleaned = value.replace(/^file:\/\//, '').replace(/\?.*$/, '');
  const withoutExtension = cleaned.replace(/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, '');
  if (withoutExtension === base) return true;
  // Its folder named as a path (`'./jobs'`, `` `${__dirname}/tasks/` ``, `path.join(__dirname, 'jobs')`):
  // a loader may take every module in it.
  const trimmed = cleaned.replace(/\/+$/, '');
  if (trimmed.split('/').at(-1) === parent && (trimmed.includes('/') || cleaned.endsWith('/') || pathArgument)) return true;
  if (cleaned.includes('*')) {
    // A glob over files (`./jobs/*.ts`, `src/**/*.js`), read from the string's file or the root.
    // A bare `*` (a CORS origin, a wildcard route) names no files; an ignore pattern loads nothing.
    if ((!cleaned.includes('/') && !cleaned.includes('.')) || cleaned.startsWith('!') || path.isAbsolute(cleaned)) return false;
    const pattern = globPattern(cleaned.replace(/^\.\//, ''));
    const compiled = file.replace(/\.(ts|tsx|mts|cts)$/, '.js');
    return [path.dirname(holder), root].some((folder) => {
      const relative = path.relative(folder, file).split(path.sep).join('/');
      const relativeCompiled = path.relative(folder, compiled).split(path.sep).join('/');
      return !relative.startsWith('..') && (pattern.test(relative) || pattern.test(relativeCompiled));
    });
  }
  if (withoutExtension.startsWith('.')) {
    const resolved = path.resolve(path.dirname(holder), withoutExtension);
    return resolved === stem || resolved === path.dirname(stem) + path.sep + base;
  }
  const segments = withoutExtension.split('/').filter(Boolean);
  if (segments.at(-1) !== base) return false;
  return segments.length === 1 || segments.at(-2) === parent || segments.at(-2) === 'dist' || segments.at(-2) === 'build' || segments.at(-2) === 'lib';
}

/** A module whose top level only declares: imports, exports, functions, classes, types and constants without top-level await. */
function libraryOnly(source: ts.SourceFile): boolean {
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement) || ts.isEmptyStatement(statement)) continue;
    if (ts.isExportAssignment(statement)) return false; // export default / export =
    if (ts.isExportDeclaration(statement)) {
      if (statement.exportClause && ts.isNamedExports(statement.exportClause) && statement.exportClause.elements.some((e) => CONVENTIONAL_EXPORTS.has(e.name.text))) return false;
      continue;
    }
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return false;
    const exported = modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
      if (exported && statement.name && CONVENTIONAL_EXPORTS.has(statement.name.text)) return false;
      if (ts.isClassDeclaration(statement) && (ts.getDecorators(statement)?.length ?? 0) > 0) return false;
      continue;
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (exported && ts.isIdentifier(declaration.name) && CONVENTIONAL_EXPORTS.has(declaration.name.text)) return false;
        if (declaration.initializer && containsTopLevelAwait(declaration.initializer)) return false;
      }
      continue;
    }
    // An expression, a loop, a try: code that runs when the module is loaded, as a script does.
    return false;
  }
  return true;
}

function containsTopLevelAwait(node: ts.Node): boolean {
  if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) return true;
  if (ts.isFunctionLike(node)) return false;
  return ts.forEachChild(node, containsTopLevelAwait) ?? false;
}

/** Every string literal and the literal parts of every template in the file; pathArgument when passed to `path.join` / `resolve`. */
function stringsOf(source: ts.SourceFile): { value: string; pathArgument: boolean }[] {
  const found: { value: string; pathArgument: boolean }[] = [];
  const isPathArgument = (node: ts.Node): boolean => {
    const call = node.parent;
    if (!call || !ts.isCallExpression(call) || !call.arguments.includes(node as ts.Expression)) return false;
    const callee = ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : ts.isIdentifier(call.expression) ? call.expression.text : '';
    return callee === 'join' || callee === 'resolve';
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node)) found.push({ value: node.text, pathArgument: isPathArgument(node) });
    else if (ts.isTemplateExpression(node)) {
      found.push({ value: node.head.text, pathArgument: false });
      for (const span of node.templateSpans) found.push({ value: span.literal.text, pathArgument: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The quoted strings of a script read as text (JavaScript not parsed by the review). */
function quotedStrings(text: string): string[] {
  const found: string[] = [];
  const pattern = /(['"`])([^'"`\n\\]{1,300})\1/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) found.push(match[2]!);
  return found;
}

function walkTextFiles(root: string): { files: string[]; complete: boolean } {
  const files: string[] = [];
  const pending = [root];
  let count = 0;
  const seen = new Set<string>();
  while (pending.length > 0) {
    const directory = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      const real = fs.realpathSync(directory);
      if (seen.has(real)) continue;
      seen.add(real);
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(full);
        continue;
      }
      if (!entry.isFile()) continue;
      const relative = full.split(path.sep).join('/');
      if (IGNORED_TEXT.test(relative)) continue;
      if (!SCRIPT_SOURCE.test(relative) && !ENTRY_TEXT.test(relative)) continue;
      if (++count > MAX_TEXT_FILES) return { files, complete: false };
      files.push(full);
    }
  }
  return { files, complete: true };
}

/** A glob as a regular expression over a relative path: `**` any folders, `*` one name's characters, `{a,b}` either. */
function globPattern(glob: string): RegExp {
  let pattern = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      pattern += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') pattern += '[^/]*';
    else if (c === '?') pattern += '[^/]';
    else if (c === '{') {
      braces++;
      pattern += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      pattern += ')';
    } else if (c === ',' && braces > 0) pattern += '|';
    else pattern += escape(c);
  }
  return new RegExp(`^${pattern}$`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
