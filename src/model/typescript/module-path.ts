// Interprets expressions that name a module on disk, as workers pass `workflowsPath`:
// `require.resolve('./workflows')`, `path.join(__dirname, 'workflows')`,
// `fileURLToPath(new URL('./workflows.ts', import.meta.url))`,
// `join(dirname(fileURLToPath(import.meta.url)), 'workflows')`, plain strings. Static only.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { calledFunction, declarationOf } from './declarations.js';
import { skipOuterExpressions } from './temporal-api.js';
import { parameterValues } from './parameter-values.js';
import { workspacePackages, workspacePath } from './workspace-packages.js';

/** The absolute path an expression names (maybe without extension), or undefined. */
export function pathOfExpression(node: ts.Node, index: CodeIndex, depth = 0): string | undefined {
  if (depth > 10) return undefined;
  const expression = skipOuterExpressions(node);
  const directory = path.dirname(expression.getSourceFile().fileName);
  if (ts.isStringLiteralLike(expression)) return path.resolve(directory, expression.text);
  if (ts.isTemplateExpression(expression)) {
    const text = textOfExpression(expression, index, depth + 1);
    return text === undefined ? undefined : path.resolve(directory, text);
  }
  if (ts.isIdentifier(expression)) {
    if (expression.text === '__dirname') return directory;
    if (expression.text === '__filename') return expression.getSourceFile().fileName;
    const declaration = declarationOf(expression, index);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
      return pathOfExpression(declaration.initializer, index, depth + 1);
    }
    // A wrapper's parameter: the path every call passes (or the default), when they agree.
    if (declaration && ts.isParameter(declaration)) return onlyValue(parameterValues(declaration, index), (value) => pathOfExpression(value, index, depth + 1));
    return undefined;
  }
  if (ts.isPropertyAccessExpression(expression)) {
    const text = expression.getText();
    if (text === 'import.meta.dirname') return directory;
    if (text === 'import.meta.url' || text === 'import.meta.filename') return expression.getSourceFile().fileName;
    if (expression.name.text === 'pathname' || expression.name.text === 'href') return pathOfExpression(expression.expression, index, depth + 1);
    return undefined;
  }
  if (ts.isNewExpression(expression)) {
    // new URL('./workflows.ts', import.meta.url)
    const [relative, base] = expression.arguments ?? [];
    if (ts.isIdentifier(expression.expression) && expression.expression.text === 'URL' && relative && ts.isStringLiteralLike(skipOuterExpressions(relative))) {
      const baseFile = base ? pathOfExpression(base, index, depth + 1) : undefined;
      const from = baseFile ? path.dirname(baseFile) : directory;
      return path.resolve(from, (skipOuterExpressions(relative) as ts.StringLiteralLike).text);
    }
    return undefined;
  }
  // `fs.existsSync(jsPath) ? jsPath : tsPath`: the module both branches name, compiled or source.
  if (ts.isConditionalExpression(expression)) {
    return sameModule(pathOfExpression(expression.whenTrue, index, depth + 1), pathOfExpression(expression.whenFalse, index, depth + 1));
  }
  if (ts.isCallExpression(expression)) {
    const callee = skipOuterExpressions(expression.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    const args = expression.arguments;
    if (name === 'resolve' && ts.isPropertyAccessExpression(callee) && /^(require|import\.meta)$/.test(callee.expression.getText())) {
      const specifier = args[0] ? specifierLiteral(args[0], index) : undefined;
      // A package name: the installed package, else a package of the workspace by its name.
      if (specifier && ts.isStringLiteralLike(specifier) && !specifier.text.startsWith('.') && !path.isAbsolute(specifier.text)) {
        const fromFile = specifier.getSourceFile().fileName;
        const resolved = index.resolveModule(fromFile, specifier.text, specifier);
        if (resolved && !/\.d\.[mc]?ts$/.test(resolved)) return resolved;
        return workspacePath(index.root, specifier.text) ?? resolved ?? undefined;
      }
      return args[0] ? pathOfExpression(args[0], index, depth + 1) : undefined;
    }
    if (name === 'fileURLToPath' && args[0]) return pathOfExpression(args[0], index, depth + 1);
    // dirname(fileURLToPath(import.meta.url)): the directory of the module, as in ES modules.
    if (name === 'dirname' && args.length === 1) {
      const inner = pathOfExpression(args[0]!, index, depth + 1);
      return inner === undefined ? undefined : path.dirname(inner);
    }
    if (name === 'join' || name === 'resolve') {
      const parts: string[] = [];
      for (const [i, argument] of args.entries()) {
        const inner = skipOuterExpressions(argument);
        const literal = ts.isStringLiteralLike(inner) ? inner.text : ts.isTemplateExpression(inner) ? textOfExpression(inner, index, depth + 1) : undefined;
        if (literal !== undefined) parts.push(i === 0 && name === 'resolve' ? path.resolve(directory, literal) : literal);
        else if (ts.isTemplateExpression(inner)) return undefined;
        else {
          const part = pathOfExpression(inner, index, depth + 1);
          if (part === undefined) return undefined;
          parts.push(part);
        }
      }
      if (parts.length === 0) return undefined;
      const joined = name === 'join' ? path.join(...parts) : path.resolve(...parts);
      return path.isAbsolute(joined) ? joined : path.resolve(directory, joined);
    }
    // A helper of the code base (`resolveWorkflowsPath()`): the module every return names.
    const helper = calledFunction(expression, index);
    if (helper?.body && ts.isBlock(helper.body) && helper.parameters.length === 0) {
      const returned = returnedExpressions(helper.body);
      if (returned.length === 0) return undefined;
      let found: string | undefined;
      for (const value of returned) {
        const modulePath = pathOfExpression(value, index, depth + 1);
        found = found === undefined ? modulePath : sameModule(found, modulePath);
        if (found === undefined) return undefined;
      }
      return found;
    }
  }
  return undefined;
}

/**
 * The text a path segment written as a template names: `index${runtimeExtension}` where
 * `runtimeExtension = path.extname(currentFilePath) || '.js'` is the extension of the module that
 * runs (`.ts` for the source read here, `.js` once compiled: the same module either way).
 */
function textOfExpression(node: ts.Node, index: CodeIndex, depth: number): string | undefined {
  if (depth > 10) return undefined;
  const expression = skipOuterExpressions(node);
  if (ts.isStringLiteralLike(expression)) return expression.text;
  if (ts.isTemplateExpression(expression)) {
    let text = expression.head.text;
    for (const span of expression.templateSpans) {
      const part = textOfExpression(span.expression, index, depth + 1);
      if (part === undefined) return undefined;
      text += part + span.literal.text;
    }
    return text;
  }
  if (ts.isIdentifier(expression)) {
    const declaration = declarationOf(expression, index);
    const isConst = declaration && ts.isVariableDeclaration(declaration) && (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
    return isConst && declaration.initializer ? textOfExpression(declaration.initializer, index, depth + 1) : undefined;
  }
  // `extname(file) || '.js'`: the extension when the file has one, which a module path always does.
  if (ts.isBinaryExpression(expression) && (expression.operatorToken.kind === ts.SyntaxKind.BarBarToken || expression.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) {
    const left = textOfExpression(expression.left, index, depth + 1);
    return left ? left : textOfExpression(expression.right, index, depth + 1);
  }
  if (ts.isCallExpression(expression) && expression.arguments.length === 1) {
    const callee = skipOuterExpressions(expression.expression);
    const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    if (name === 'extname') {
      const file = pathOfExpression(expression.arguments[0]!, index, depth + 1);
      return file === undefined ? undefined : path.extname(file);
    }
  }
  return undefined;
}

/** The expressions a function body returns, not counting nested functions. */
function returnedExpressions(body: ts.Block): ts.Expression[] {
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/**
 * The module two paths name, when they name one: the same path, or the compiled `.js` and the
 * `.ts` source of one module (the TypeScript file is returned).
 */
function sameModule(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (a === b) return a;
  const stem = (p: string): string => p.replace(/\.(m|c)?(j|t)sx?$/, '');
  if (stem(a) !== stem(b)) return undefined;
  return /\.(m|c)?tsx?$/.test(a) ? a : /\.(m|c)?tsx?$/.test(b) ? b : undefined;
}

/**
 * The string literal a module specifier comes from: written in place, or through consts and a
 * wrapper's parameter (`bundle(workflowsPath = '~/workflows')` ... `require.resolve(workflowsPath)`).
 */
function specifierLiteral(node: ts.Node, index: CodeIndex, depth = 0): ts.Node | undefined {
  const expression = skipOuterExpressions(node);
  if (depth > 5 || !ts.isIdentifier(expression)) return expression;
  const declaration = declarationOf(expression, index);
  if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return specifierLiteral(declaration.initializer, index, depth + 1);
  if (declaration && ts.isParameter(declaration)) {
    const literal = onlyValue(parameterValues(declaration, index), (value) => {
      const found = specifierLiteral(value, index, depth + 1);
      return found && ts.isStringLiteralLike(found) ? found : undefined;
    });
    if (literal) return literal;
  }
  return expression;
}

/** The one result every value gives, or undefined when there is none, one fails, or they differ. */
function onlyValue<T extends string | ts.StringLiteralLike>(values: ts.Expression[] | undefined, read: (value: ts.Expression) => T | undefined): T | undefined {
  if (!values || values.length === 0) return undefined;
  const results = values.map(read);
  if (results.some((r) => r === undefined)) return undefined;
  const keys = new Set(results.map((r) => (typeof r === 'string' ? r : `${(r as ts.StringLiteralLike).getSourceFile().fileName}:${(r as ts.StringLiteralLike).text}`)));
  return keys.size === 1 ? results[0] : undefined;
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];

/** The TypeScript source a module path stands for: tries extensions, .js → .ts, index files. */
export function sourceFileForModulePath(modulePath: string, index: CodeIndex): string | undefined {
  const candidates: string[] = [];
  const withoutJs = modulePath.replace(/\.(m|c)?jsx?$/, '');
  if (SOURCE_EXTENSIONS.some((e) => modulePath.endsWith(e))) candidates.push(modulePath);
  for (const extension of SOURCE_EXTENSIONS) candidates.push(withoutJs + extension);
  for (const extension of SOURCE_EXTENSIONS) candidates.push(path.join(modulePath, `index${extension}`));
  // Compiled output next to sources: lib/workflows.js → src/workflows.ts.
  const compiled = withoutJs.match(/^(.*)[\\/](lib|dist|build)[\\/](.*)$/);
  if (compiled) for (const extension of SOURCE_EXTENSIONS) candidates.push(path.join(compiled[1]!, 'src', compiled[3]! + extension));
  return candidates.find((candidate) => index.sourceFile(candidate) !== undefined) ?? candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

/**
 * The relative path an expression names against the process's working directory, not against the
 * file: `path.resolve('./src/workflows')`, `path.resolve(process.cwd(), 'src/workflows')`,
 * `path.join(process.cwd(), 'src/workflows')`. A shared worker package (a framework of the code
 * base) that each service runs from its own directory writes its workflowsPath this way.
 */
export function workingDirectoryRelativePath(node: ts.Node): string | undefined {
  const expression = skipOuterExpressions(node);
  if (!ts.isCallExpression(expression)) return undefined;
  const callee = skipOuterExpressions(expression.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.getText() !== 'path') return undefined;
  const name = callee.name.text;
  const args = expression.arguments.map((a) => skipOuterExpressions(a));
  const fromCwd = args[0] !== undefined && ts.isCallExpression(args[0]) && args[0].expression.getText() === 'process.cwd';
  const parts = fromCwd ? args.slice(1) : args;
  if (name !== 'resolve' && !(name === 'join' && fromCwd)) return undefined;
  if (parts.length === 0 || !parts.every((p) => ts.isStringLiteralLike(p))) return undefined;
  const texts = parts.map((p) => (p as ts.StringLiteralLike).text);
  if (texts.some((t) => path.isAbsolute(t))) return undefined;
  return path.join(...texts);
}

/**
 * The modules a working-directory-relative path names, tried from the root and from every package
 * of the workspace (each service that starts the shared worker from its own directory).
 */
export function modulesFromEveryPackage(relative: string, index: CodeIndex): string[] {
  const directories = [index.root, ...workspacePackages(index.root).values()];
  const found = new Set<string>();
  for (const directory of directories) {
    const module = sourceFileForModulePath(path.join(directory, relative), index);
    if (module && index.sourceFile(module)) found.add(module);
  }
  return [...found].sort();
}

/** How many wrapper functions a workflowsPath is followed through to the caller that writes it. */
const MAX_WRAPPER_LEVELS = 3;

/** What the callers of a worker wrapper pass: the paths read, and the values that could not be read. */
export interface CallerPaths {
  paths: string[];
  /** Values (or parameters without calls) where following stopped: a module passed there is unknown. */
  unfollowed: ts.Node[];
  /** True when the value comes from a wrapper's parameter, so from its callers. */
  fromCallers: boolean;
  /** Paths only read as a fallback (`options.workflowsPath ?? require.resolve('./workflows')`). */
  fallbacks: string[];
}

/**
 * The paths an expression can name when a project's worker wrapper takes the workflowsPath from
 * its callers: `options.workflowsPath ?? require.resolve('./workflows')` inside
 * `getWorker(logger, options)`, called as `getWorker(logger, { workflowsPath: require.resolve('./workflows') })`
 * by each service. Followed through up to three wrappers that hand the options object on
 * (`temporalManager.createWorker(options)` -> `workerManager.createWorker(options)` -> Worker.create),
 * through destructured parameters and variables holding object literals. Every caller's value (and
 * the fallback) that names a path, and the places where following stopped.
 */
export function pathsPassedByCallers(node: ts.Node, index: CodeIndex): CallerPaths {
  const found: CallerPaths = { paths: [], unfollowed: [], fromCallers: false, fallbacks: [] };
  followValue(node, index, 0, 0, found);
  const paths = unique(found.paths);
  return { paths, unfollowed: [...new Set(found.unfollowed)], fromCallers: found.fromCallers, fallbacks: unique(found.fallbacks).filter((p) => !paths.includes(p)) };
}

function followValue(node: ts.Node, index: CodeIndex, levels: number, depth: number, found: CallerPaths): void {
  if (depth > 12) return void found.unfollowed.push(node);
  const expression = skipOuterExpressions(node);
  if (ts.isBinaryExpression(expression) && (expression.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || expression.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    followValue(expression.left, index, levels, depth + 1, found);
    // The fallback: read like the rest, but a module missing there may never be asked for.
    const alternative: CallerPaths = { paths: [], unfollowed: [], fromCallers: false, fallbacks: [] };
    followValue(expression.right, index, levels, depth + 1, alternative);
    found.fallbacks.push(...alternative.paths, ...alternative.fallbacks);
    found.unfollowed.push(...alternative.unfollowed);
    found.fromCallers ||= alternative.fromCallers;
    return;
  }
  if (ts.isConditionalExpression(expression)) {
    followValue(expression.whenTrue, index, levels, depth + 1, found);
    followValue(expression.whenFalse, index, levels, depth + 1, found);
    return;
  }
  if (ts.isIdentifier(expression)) {
    const declaration = declarationOf(expression, index);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return followValue(declaration.initializer, index, levels, depth + 1, found);
    if (declaration && ts.isShorthandPropertyAssignment(declaration)) return;
    // `{ workflowsPath }` destructured from a parameter or a variable: that object's property.
    if (declaration && ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent) && !declaration.dotDotDotToken) {
      const key = declaration.propertyName ?? declaration.name;
      const holder = declaration.parent.parent;
      if (ts.isIdentifier(key) || ts.isStringLiteral(key)) {
        if (ts.isParameter(holder)) return followParameterProperty(holder, key.text, index, levels, depth, found, declaration.initializer);
        if (ts.isVariableDeclaration(holder) && holder.initializer) return followProperty(holder.initializer, key.text, index, levels, depth + 1, found, declaration.initializer);
      }
      return void found.unfollowed.push(expression);
    }
    if (declaration && ts.isParameter(declaration)) {
      // A wrapper's parameter holding the path itself: what each call passes.
      found.fromCallers = true;
      if (levels >= MAX_WRAPPER_LEVELS) return void found.unfollowed.push(expression);
      const values = parameterValues(declaration, index);
      if (!values) return void found.unfollowed.push(declaration);
      for (const value of values) followValue(value, index, levels + 1, depth + 1, found);
      return;
    }
  }
  // options.workflowsPath where options is a wrapper's parameter (or a variable): the property each call passes.
  if (ts.isPropertyAccessExpression(expression) && !/^(pathname|href)$/.test(expression.name.text) && !/^(import\.meta|process\.env)\b/.test(expression.getText())) {
    const object = skipOuterExpressions(expression.expression);
    if (ts.isIdentifier(object) && object.text !== '__dirname') {
      const declaration = declarationOf(object, index);
      if (declaration && (ts.isParameter(declaration) || (ts.isVariableDeclaration(declaration) && declaration.initializer))) {
        return followProperty(object, expression.name.text, index, levels, depth + 1, found);
      }
    }
  }
  const single = pathOfExpression(expression, index);
  if (single) found.paths.push(single);
  else found.unfollowed.push(expression);
}

/** The value of property `key` of an object expression, read where the object is written. */
function followProperty(node: ts.Node, key: string, index: CodeIndex, levels: number, depth: number, found: CallerPaths, fallback?: ts.Expression): void {
  if (depth > 12) return void found.unfollowed.push(node);
  const expression = skipOuterExpressions(node);
  if (ts.isObjectLiteralExpression(expression)) {
    // The last written property wins; one that is not written may come from a spread.
    for (const element of [...expression.properties].reverse()) {
      if ((ts.isPropertyAssignment(element) || ts.isShorthandPropertyAssignment(element)) && element.name && (ts.isIdentifier(element.name) || ts.isStringLiteral(element.name)) && element.name.text === key) {
        const initializer = ts.isPropertyAssignment(element) ? element.initializer : element.name;
        return followValue(initializer, index, levels, depth + 1, found);
      }
      if (ts.isSpreadAssignment(element)) {
        // A spread that does not carry the key leaves the property written before it.
        const before = found.paths.length + found.unfollowed.length + found.fallbacks.length;
        followProperty(element.expression, key, index, levels, depth + 1, found);
        if (found.paths.length + found.unfollowed.length + found.fallbacks.length > before) return;
      }
    }
    // Not passed: the wrapper's default for it, if any.
    if (fallback) followValue(fallback, index, levels, depth + 1, found);
    return;
  }
  if (ts.isIdentifier(expression)) {
    const declaration = declarationOf(expression, index);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return followProperty(declaration.initializer, key, index, levels, depth + 1, found, fallback);
    if (declaration && ts.isParameter(declaration)) return followParameterProperty(declaration, key, index, levels, depth, found, fallback);
  }
  found.unfollowed.push(expression);
}

/** Property `key` of a wrapper's parameter: the property of the object each call passes. */
function followParameterProperty(parameter: ts.ParameterDeclaration, key: string, index: CodeIndex, levels: number, depth: number, found: CallerPaths, fallback?: ts.Expression): void {
  found.fromCallers = true;
  if (levels >= MAX_WRAPPER_LEVELS) return void found.unfollowed.push(parameter);
  const values = parameterValues(parameter, index);
  if (!values) return void found.unfollowed.push(parameter);
  for (const value of values) {
    // A parameter whose default is an object literal: its property, as a call that leaves it out gets.
    followProperty(value, key, index, levels + 1, depth + 1, found, fallback);
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
