// Interprets expressions that name a module on disk, as workers pass `workflowsPath`:
// `require.resolve('./workflows')`, `path.join(__dirname, 'workflows')`,
// `fileURLToPath(new URL('./workflows.ts', import.meta.url))`, plain strings. Static only.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { declarationOf } from './declarations.js';
import { skipOuterExpressions } from './temporal-api.js';
import { parameterValues } from './parameter-values.js';
import { workspacePath } from './workspace-packages.js';

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
