// Uses of a path on the worker's own disk from activity code: `fs.writeFile(path, ...)`,
// `createReadStream(path)`, `rm(dir, { recursive: true })` and the like, from Node's fs modules or
// fs-extra, where the path's text is visible in the same function: a literal, a template, a
// `const` built with path.join from os.tmpdir(), process.cwd() or a relative directory. A path
// that comes from a parameter, the environment or configuration is not recorded (it may be a
// shared mount), nor an absolute path outside /tmp.

import ts from 'typescript';
import { isLocalPath } from '../local-path.js';
import { declarationOf } from './declarations.js';
import { locate } from './locate.js';
import type { ResolveContext } from './resolve-value.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';
import type { LocalPathUse, SourceLocation } from './types.js';

const FS_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'fs-extra']);
const PATH_MODULES = new Set(['path', 'node:path']);
const OS_MODULES = new Set(['os', 'node:os']);

/** fs functions (with their Sync twins) and what they do to the path at each argument index. */
const FS_OPS: Record<string, [LocalPathUse['op'], number][]> = {
  writeFile: [['write', 0]],
  appendFile: [['write', 0]],
  createWriteStream: [['write', 0]],
  mkdir: [['write', 0]],
  mkdirp: [['write', 0]],
  ensureDir: [['write', 0]],
  outputFile: [['write', 0]],
  outputJson: [['write', 0]],
  writeJson: [['write', 0]],
  copyFile: [['read', 0], ['write', 1]],
  cp: [['read', 0], ['write', 1]],
  copy: [['read', 0], ['write', 1]],
  readFile: [['read', 0]],
  readJson: [['read', 0]],
  createReadStream: [['read', 0]],
  readdir: [['read', 0]],
  opendir: [['read', 0]],
  rm: [['delete', 0]],
  rmdir: [['delete', 0]],
  unlink: [['delete', 0]],
  remove: [['delete', 0]],
};

/** The fs function a call names, or undefined when it is not one. */
function fsFunction(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  const bindings = importBindings(call.getSourceFile());
  let name: string | undefined;
  let root: ts.Node = callee;
  if (ts.isPropertyAccessExpression(callee)) {
    name = callee.name.text;
    root = skipOuterExpressions(callee.expression);
    // `fs.promises.writeFile`
    if (ts.isPropertyAccessExpression(root) && root.name.text === 'promises') root = skipOuterExpressions(root.expression);
    if (!ts.isIdentifier(root)) return undefined;
    const binding = bindings.get(root.text);
    if (!binding || !FS_MODULES.has(binding.module) || (binding.imported !== '*' && binding.imported !== 'default' && binding.imported !== 'promises')) return undefined;
  } else if (ts.isIdentifier(callee)) {
    const binding = bindings.get(callee.text);
    if (!binding || !FS_MODULES.has(binding.module) || binding.imported === '*' || binding.imported === 'default') return undefined;
    name = binding.imported;
  }
  if (!name) return undefined;
  return name.replace(/Sync$/, '');
}

/** The uses of local paths a call makes, when it is an fs call given a path the review can read. */
export function localPathUses(call: ts.CallExpression, ctx: ResolveContext): LocalPathUse[] {
  const fn = fsFunction(call);
  const ops = fn ? FS_OPS[fn] : undefined;
  if (!ops) return [];
  const uses: LocalPathUse[] = [];
  for (const [op, index] of ops) {
    const argument = call.arguments[index];
    const value = argument ? pathOf(argument, ctx, 0) : undefined;
    if (value && isLocalPath(value.path)) uses.push({ path: value.path, declaration: value.declaration, op, location: locate(call), ...(op === 'delete' && tolerantRemoval(call) ? { tolerant: true } : {}) });
  }
  return uses;
}

interface PathValue {
  path: string;
  declaration: SourceLocation;
}

function moduleOf(identifier: ts.Identifier): string | undefined {
  return importBindings(identifier.getSourceFile()).get(identifier.text)?.module;
}

/** `os.tmpdir()` / `tmpdir()`, `process.cwd()`. */
function baseDirectory(node: ts.Node): string | undefined {
  if (!ts.isCallExpression(node) || node.arguments.length > 0) return undefined;
  const callee = skipOuterExpressions(node.expression);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    if (callee.name.text === 'tmpdir' && OS_MODULES.has(moduleOf(callee.expression) ?? '')) return '/tmp';
    if (callee.name.text === 'cwd' && callee.expression.text === 'process') return '.';
  }
  if (ts.isIdentifier(callee) && callee.text === 'tmpdir' && OS_MODULES.has(moduleOf(callee) ?? '')) return '/tmp';
  return undefined;
}

/** The last name of an expression, for a computed part: `input.orderId` -> `orderId`. */
function partName(node: ts.Node): string {
  const target = skipOuterExpressions(node);
  if (ts.isIdentifier(target)) return target.text;
  if (ts.isPropertyAccessExpression(target)) return target.name.text;
  return '…';
}

/** The path an expression holds, when its text is visible in the code. */
function pathOf(node: ts.Node, ctx: ResolveContext, depth: number): PathValue | undefined {
  if (depth > 4) return undefined;
  const target = skipOuterExpressions(node);
  const here = locate(target);
  if (ts.isStringLiteral(target) || ts.isNoSubstitutionTemplateLiteral(target)) return { path: target.text, declaration: here };
  if (ts.isTemplateExpression(target)) {
    let text = target.head.text;
    let declaration = here;
    target.templateSpans.forEach((span, index) => {
      const inner = index === 0 && text === '' ? (pathOf(span.expression, ctx, depth + 1) ?? baseValue(span.expression)) : undefined;
      if (inner) {
        text = inner.path;
        declaration = inner.declaration;
      } else text += `{${partName(span.expression)}}`;
      text += span.literal.text;
    });
    return { path: text, declaration };
  }
  const base = baseValue(target);
  if (base) return base;
  if (ts.isIdentifier(target)) {
    const declaration = declarationOf(target, ctx.index);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
    const value = pathOf(declaration.initializer, ctx, depth + 1);
    return value ? { path: value.path, declaration: locate(declaration) } : undefined;
  }
  if (ts.isCallExpression(target) && target.arguments.length > 0) {
    const callee = skipOuterExpressions(target.expression);
    const joiner =
      (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && PATH_MODULES.has(moduleOf(callee.expression) ?? '') && ['join', 'resolve'].includes(callee.name.text)) ||
      (ts.isIdentifier(callee) && PATH_MODULES.has(moduleOf(callee) ?? '') && ['join', 'resolve'].includes(importBindings(callee.getSourceFile()).get(callee.text)?.imported ?? ''));
    if (!joiner) return undefined;
    const first = pathOf(target.arguments[0]!, ctx, depth + 1) ?? baseValue(target.arguments[0]!);
    if (!first) return undefined;
    const rest = target.arguments.slice(1).map((argument) => {
      const inner = skipOuterExpressions(argument);
      if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) return inner.text;
      if (ts.isTemplateExpression(inner)) return inner.head.text + inner.templateSpans.map((span) => `{${partName(span.expression)}}${span.literal.text}`).join('');
      return `{${partName(inner)}}`;
    });
    return { path: [first.path, ...rest].join('/').replace(/^\.\/\.\//, './'), declaration: first.declaration.line === here.line ? here : first.declaration };
  }
  return undefined;
}

function baseValue(node: ts.Node): PathValue | undefined {
  const base = baseDirectory(skipOuterExpressions(node));
  return base ? { path: base, declaration: locate(node) } : undefined;
}

/** `rm(p, { force: true })`, or a removal inside `if (existsSync(p))`: it does not fail when the path is missing. */
function tolerantRemoval(call: ts.CallExpression): boolean {
  const options = call.arguments[1] ? skipOuterExpressions(call.arguments[1]) : undefined;
  if (options && ts.isObjectLiteralExpression(options)) {
    const force = options.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'force');
    if (force && ts.isPropertyAssignment(force) && force.initializer.kind === ts.SyntaxKind.TrueKeyword) return true;
  }
  for (let current: ts.Node | undefined = call.parent; current && !ts.isFunctionLike(current); current = current.parent) {
    if (ts.isIfStatement(current) && /\bexists(Sync)?\(|\baccess(Sync)?\(|pathExists/.test(current.expression.getText())) return true;
    if (ts.isTryStatement(current) && current.catchClause && current.tryBlock.pos <= call.pos && call.end <= current.tryBlock.end) return true;
  }
  return false;
}
