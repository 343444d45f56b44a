// Interprets expressions that name a module on disk, as workers pass `workflowsPath`:
// `require.resolve('./workflows')`, `path.join(__dirname, 'workflows')`,
// `fileURLToPath(new URL('./workflows.ts', import.meta.url))`,
// `join(dirname(fileURLToPath(import.meta.url)), 'workflows')`, plain strings. Static only.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { declarationOf } from './declarations.js';
import { skipOuterExpressions } from './temporal-api.js';
import { parameterValues } from './parameter-values.js';
import { workspacePackages, workspacePath } from './workspace-packages.js';

/** The absolute path an expression names (maybe without extension), or undefined. */
export function pathOfExpression(node: ts.Node, index: CodeIndex, depth = 0): string | undefined {
  if (depth > 10) return undefined;
  const expression = skipOuterExpressions(node);
  const directory = path.dirname(expression.getSourceFile().fileName);
  if (ts.isStringLiteralLike(expression)) return path.resolve(directory, expression.text);
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
        if (ts.isStringLiteralLike(inner)) parts.push(i === 0 && name === 'resolve' ? path.resolve(directory, inner.text) : inner.text);
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
  }
  return undefined;
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

/**
 * The paths an expression can name when a project's worker wrapper takes the workflowsPath from
 * its callers: `options.workflowsPath ?? require.resolve('./workflows')` inside
 * `getWorker(logger, options)`, called as `getWorker(logger, { workflowsPath: require.resolve('./workflows') })`
 * by each service. Every caller's value (and the fallback) that names a path; empty when none does.
 */
export function pathsPassedByCallers(node: ts.Node, index: CodeIndex, depth = 0): string[] {
  if (depth > 6) return [];
  const expression = skipOuterExpressions(node);
  if (ts.isBinaryExpression(expression) && (expression.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || expression.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    return unique([...pathsPassedByCallers(expression.left, index, depth + 1), ...pathsPassedByCallers(expression.right, index, depth + 1)]);
  }
  if (ts.isIdentifier(expression)) {
    const declaration = declarationOf(expression, index);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return pathsPassedByCallers(declaration.initializer, index, depth + 1);
    if (declaration && ts.isShorthandPropertyAssignment(declaration)) return [];
  }
  // options.workflowsPath where options is the wrapper's parameter: the property each call passes.
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression)) {
    const declaration = declarationOf(expression.expression, index);
    if (declaration && ts.isParameter(declaration)) {
      const values = parameterValues(declaration, index) ?? [];
      return unique(values.flatMap((value) => {
        const literal = objectLiteralOf(value, index);
        const property = literal?.properties.find((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === expression.name.text);
        if (!property) return [];
        const initializer = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
        return initializer ? pathsPassedByCallers(initializer, index, depth + 1) : [];
      }));
    }
  }
  const single = pathOfExpression(expression, index);
  return single ? [single] : [];
}

function objectLiteralOf(node: ts.Expression, index: CodeIndex): ts.ObjectLiteralExpression | undefined {
  const expression = skipOuterExpressions(node);
  if (ts.isObjectLiteralExpression(expression)) return expression;
  if (ts.isIdentifier(expression)) {
    const declaration = declarationOf(expression, index);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isObjectLiteralExpression(skipOuterExpressions(declaration.initializer))) {
      return skipOuterExpressions(declaration.initializer) as ts.ObjectLiteralExpression;
    }
  }
  return undefined;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
