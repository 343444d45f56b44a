// Calls that operate on the local filesystem one file at a time (`fs.promises.unlink`, `stat`,
// `readFile`, fs-extra's `pathExists`), directly or through a small project helper that only makes
// such calls (`fileExists(p)` around `fs.access(p)`). They complete in milliseconds: a loop whose
// only awaits are these finishes in seconds even over thousands of entries, and its duration does
// not depend on another system being up, which is what a heartbeat is there to watch.

import ts from 'typescript';
import { calledFunction } from './declarations.js';
import type { ResolveContext } from './resolve-value.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';

const FS_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'fs-extra', 'graceful-fs']);

/** Modules that re-export fs-extra under the name `fs` (`import { fs } from 'zx'`). */
const FS_REEXPORTS = new Set(['zx']);

/**
 * Operations on one file or one directory entry. Not whole-tree copies or moves (`copy`, `cp`,
 * `move`), whose time grows with what they copy, nor streams, which are signs of their own.
 */
const SINGLE_FILE_OPERATIONS = new Set([
  'access',
  'stat',
  'lstat',
  'exists',
  'pathExists',
  'readFile',
  'readJson',
  'readJSON',
  'writeFile',
  'writeJson',
  'writeJSON',
  'outputFile',
  'outputJson',
  'appendFile',
  'unlink',
  'rm',
  'rmdir',
  'remove',
  'mkdir',
  'mkdirp',
  'mkdirs',
  'ensureDir',
  'ensureFile',
  'readdir',
  'rename',
  'chmod',
  'chown',
  'realpath',
  'readlink',
  'symlink',
  'utimes',
  'truncate',
  'mkdtemp',
]);

/** How many project helpers deep a call is followed to see that it only touches local files. */
const MAX_HELPER_DEPTH = 2;

/** True when `expression` (what is awaited) is a local single-file operation or a helper that only makes them. */
export function isLocalFileCall(expression: ts.Expression, ctx: ResolveContext, depth = 0): boolean {
  const call = skipOuterExpressions(expression);
  if (!ts.isCallExpression(call)) return false;
  if (isFsOperation(call)) return true;
  // `fs.unlink(p).catch(ignoreMissing)`: the handler runs only when the file operation fails.
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'catch') return isLocalFileCall(callee.expression, ctx, depth);
  if (depth >= MAX_HELPER_DEPTH) return false;
  const helper = calledFunction(call, ctx.index);
  if (!helper?.body || helper.getSourceFile().fileName.includes('/node_modules/')) return false;
  return onlyLocalFileWork(helper.body, ctx, depth + 1);
}

/** `fs.unlink(p)`, `fs.promises.stat(p)`, `unlink(p)` imported from 'fs/promises', zx's `fs.pathExists(p)`. */
function isFsOperation(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  const bindings = importBindings(call.getSourceFile());
  if (ts.isIdentifier(callee)) {
    const binding = bindings.get(callee.text);
    return binding !== undefined && FS_MODULES.has(binding.module) && SINGLE_FILE_OPERATIONS.has(binding.imported);
  }
  if (!ts.isPropertyAccessExpression(callee) || !SINGLE_FILE_OPERATIONS.has(callee.name.text)) return false;
  let receiver = skipOuterExpressions(callee.expression);
  // `fs.promises.stat`
  if (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'promises') receiver = skipOuterExpressions(receiver.expression);
  if (!ts.isIdentifier(receiver)) return false;
  const binding = bindings.get(receiver.text);
  if (!binding) return false;
  if (FS_MODULES.has(binding.module)) return binding.imported === '*' || binding.imported === 'default' || binding.imported === 'promises';
  return FS_REEXPORTS.has(binding.module) && binding.imported === 'fs';
}

/**
 * A helper body whose awaits and returned promises are all local file operations (at least one):
 * `try { await fs.access(p); return true; } catch { return false; }`. A helper that returns
 * `fetch(url)` without awaiting it is not one; one that returns `JSON.parse(...)` may still be.
 */
function onlyLocalFileWork(body: ts.Node, ctx: ResolveContext, depth: number): boolean {
  let seen = 0;
  let other = false;
  const waitedOn = (expression: ts.Expression, awaited: boolean): void => {
    if (isLocalFileCall(expression, ctx, depth)) seen++;
    else if (awaited || isThenable(expression, ctx)) other = true;
  };
  const visit = (node: ts.Node): void => {
    if (other || ts.isFunctionLike(node)) return;
    if (ts.isForOfStatement(node) && node.awaitModifier) other = true;
    else if (ts.isAwaitExpression(node)) waitedOn(node.expression, true);
    else if (ts.isReturnStatement(node) && node.expression && ts.isCallExpression(skipOuterExpressions(node.expression))) waitedOn(node.expression, false);
    ts.forEachChild(node, visit);
  };
  // An arrow function with an expression body returns that expression.
  if (!ts.isBlock(body)) waitedOn(body as ts.Expression, false);
  else visit(body);
  return !other && seen > 0;
}

/** The checker says the value has a `then` (a promise): returning it makes the caller wait on it. Unknown counts as one. */
export function isThenable(expression: ts.Expression, ctx: ResolveContext): boolean {
  const checker = ctx.index.checkerFor(expression.getSourceFile().fileName);
  if (!checker) return true;
  const type = checker.getTypeAtLocation(expression);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  return type.getProperty('then') !== undefined;
}
