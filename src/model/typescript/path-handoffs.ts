// Paths on one worker's local disk that TypeScript workflow code hands from one activity (or child
// workflow) to another: a path the workflow builds under /tmp or relative to the working directory
// (`const report = \`/tmp/reports/${id}.csv\``) and passes to two or more calls, or the result of an
// activity whose code returns a local path it makes (`fs.mkdtemp(...)`, `path.join(os.tmpdir(), ...)`,
// or a field of an object it returns holding one) that the workflow passes to another call. The
// Python front-end does the same in python-path-handoffs.ts.

import ts from 'typescript';
import { handoffsOfGroups, isLocalPath, type HeldLocalPath } from '../local-path.js';
import type { LocalPathHandoff, LocalPathReceiver, LocalPathUse, SourceLocation, StaticValue } from '../types.js';
import { activityTypeCalled } from './activity-calls.js';
import { functionOfDeclaration } from './declarations.js';
import type { ActivityProxy, TemporalModel } from './types.js';

interface Held extends HeldLocalPath {
  key: string;
  /** For a result: the object fields that hold a local path ('' never: a whole-value result is a path). */
  fields?: Map<string, string>;
}

const WRITE_FS = /^(writeFile|writeFileSync|appendFile|appendFileSync|mkdir|mkdirSync|createWriteStream|outputFile|outputJson|ensureDir|ensureDirSync|writeJson)$/;
const READ_FS = /^(readFile|readFileSync|createReadStream|readdir|readdirSync|readJson|stat|statSync|access|copyFile|copyFileSync)$/;
const DELETE_FS = /^(rm|rmSync|unlink|unlinkSync|rmdir|remove)$/;

function queueComputed(options: StaticValue | undefined): boolean {
  if (!options || options.kind !== 'object') return options !== undefined && options.kind !== 'undefined';
  const queue = options.properties.get('taskQueue');
  if (!queue) return options.unknownSpreads.length > 0;
  return queue.kind !== 'string';
}

export function localPathHandoffsOf(model: TemporalModel): LocalPathHandoff[] {
  const at = (l: SourceLocation) => `${l.file}:${l.line}:${l.column}`;
  const childAt = new Map(model.starts.filter((s) => s.child).map((s) => [at(s.location), s]));
  const proxies = (model.activityProxies as ActivityProxy[]).filter((p) => !p.testOnly);
  const returnsCache = new Map<string, Map<string, string> | undefined>();
  const returnsOf = (name: string) => {
    if (!returnsCache.has(name)) {
      const activity = model.activities.find((a) => a.name === name);
      returnsCache.set(name, activity ? returnedLocalPaths(activity.node, model) : undefined);
    }
    return returnsCache.get(name);
  };
  const handoffs: LocalPathHandoff[] = [];
  for (const workflow of model.workflows) {
    const body = workflow.node.body;
    if (!body) continue;
    const names = new Map<string, Held>();
    const groups = new Map<string, { held: Held; receivers: LocalPathReceiver[] }>();
    const computedFor = (name: string) =>
      proxies.some(
        (p) => (p.workflowNames.length === 0 || p.workflowNames.includes(workflow.name)) && p.usedActivityTypes !== 'all' && p.usedActivityTypes.some((u) => u.name === name) && queueComputed(p.options as StaticValue),
      );
    /** `const name = value` or `name = value`: what the name holds from here on. */
    const bind = (name: string, initializer: ts.Expression, here: SourceLocation): void => {
      let value = heldOf(initializer, names, here, name);
      const call = callOf(initializer);
      const type = !value && call ? activityTypeCalled(call.expression, model) : undefined;
      const fields = type ? returnsOf(type) : undefined;
      if (type && fields && call) {
        const producer = { name: type, kind: 'activity' as const, location: model.locate(call), how: fields.get('') ?? [...fields.values()][0]! };
        value = { key: at(here), expression: name, declaration: here, producer, ...(fields.has('') ? {} : { fields }) };
      }
      if (value) names.set(name, value);
      else names.delete(name);
    };
    const visit = (node: ts.Node): void => {
      ts.forEachChild(node, visit);
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        bind(node.name.text, node.initializer, model.locate(node));
        return;
      }
      // `projectDir = cloneResult.projectDir` on a `let` declared earlier.
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)) {
        bind(node.left.text, node.right, model.locate(node));
        return;
      }
      if (!ts.isCallExpression(node)) return;
      const location = model.locate(node);
      const type = activityTypeCalled(node.expression, model);
      const child = type ? undefined : childAt.get(at(location));
      if (!type && !child?.workflowType) return;
      let payload: readonly ts.Expression[] = node.arguments;
      if (child) {
        const options = node.arguments[1];
        const args = options && ts.isObjectLiteralExpression(options) ? options.properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'args') : undefined;
        payload = args && ts.isPropertyAssignment(args) && ts.isArrayLiteralExpression(args.initializer) ? args.initializer.elements : [];
      }
      const name = (type ?? child!.workflowType)!;
      const kind = type ? 'activity' : 'child';
      const computedQueue = type ? computedFor(type) : queueComputed(child!.options);
      const seenHere = new Set<string>();
      payload.forEach((argument, index) => {
        for (const held of valuesIn(argument, names, location)) {
          if (seenHere.has(held.key)) continue;
          seenHere.add(held.key);
          const direct = heldOf(argument, names, location)?.key === held.key;
          const implementation = type && direct ? model.activities.find((a) => a.name === type) : undefined;
          const ops = implementation ? parameterOps(implementation.node, index) : undefined;
          const group = groups.get(held.key) ?? { held, receivers: [] };
          group.receivers.push({ name, kind, location, computedQueue, ...(ops ? { ops } : {}) });
          groups.set(held.key, group);
        }
      });
    };
    visit(body);
    handoffs.push(...handoffsOfGroups(workflow.name, groups.values()));
  }
  return handoffs;
}

function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current) || ts.isAwaitExpression(current)) current = current.expression;
  return current;
}

function callOf(node: ts.Expression): ts.CallExpression | undefined {
  const target = unwrap(node);
  return ts.isCallExpression(target) ? target : undefined;
}

function valuesIn(node: ts.Expression, names: Map<string, Held>, at: SourceLocation, depth = 0): Held[] {
  const target = unwrap(node);
  const held = heldOf(target, names, at);
  if (held) return held.fields ? [] : [held];
  if (depth > 1) return [];
  if (ts.isArrayLiteralExpression(target)) return target.elements.flatMap((e) => valuesIn(e, names, at, depth + 1));
  if (ts.isObjectLiteralExpression(target)) {
    return target.properties.flatMap((p) => {
      if (ts.isPropertyAssignment(p)) return valuesIn(p.initializer, names, at, depth + 1);
      if (ts.isShorthandPropertyAssignment(p)) return valuesIn(p.name, names, at, depth + 1);
      return [];
    });
  }
  return [];
}

function heldOf(node: ts.Expression, names: Map<string, Held>, at: SourceLocation, boundTo?: string): Held | undefined {
  const target = unwrap(node);
  const key = boundTo ? `${at.file}:${at.line}:${at.column}` : `inline:${at.file}:${target.getText()}`;
  const expression = boundTo ?? target.getText();
  if (ts.isIdentifier(target)) return names.get(target.text);
  if ((ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) && ts.isIdentifier(target.expression)) {
    const holder = names.get(target.expression.text);
    const field = ts.isPropertyAccessExpression(target) ? target.name.text : ts.isStringLiteral(target.argumentExpression) ? target.argumentExpression.text : undefined;
    if (holder?.fields && field !== undefined && holder.fields.has(field)) {
      return {
        key: `${holder.key}#${field}`,
        expression: `${holder.expression}.${field}`,
        declaration: holder.declaration,
        ...(holder.producer ? { producer: { ...holder.producer, how: holder.fields.get(field)! } } : {}),
      };
    }
    return undefined;
  }
  if (ts.isStringLiteral(target) || ts.isNoSubstitutionTemplateLiteral(target)) {
    return isLocalPath(target.text) ? { key, expression, path: target.text, declaration: at } : undefined;
  }
  if (ts.isTemplateExpression(target)) {
    let base: Held | undefined;
    let text = target.head.text;
    target.templateSpans.forEach((span, index) => {
      const inner = index === 0 && target.head.text === '' ? heldOf(span.expression, names, at) : undefined;
      if (inner && !inner.fields) {
        base = inner;
        text = inner.path ?? `{${inner.expression}}`;
      } else text += `{${ts.isPropertyAccessExpression(span.expression) ? span.expression.name.text : span.expression.getText()}}`;
      text += span.literal.text;
    });
    if (base) return { key, expression, path: text, declaration: at, ...(base.producer ? { producer: base.producer } : {}) };
    return isLocalPath(text) ? { key, expression, path: text, declaration: at } : undefined;
  }
  if (ts.isCallExpression(target) && /(^|\.)(join|resolve)$/.test(target.expression.getText()) && /^(path\.)?(join|resolve)$/.test(target.expression.getText())) {
    const first = target.arguments[0];
    const base = first ? heldOf(first, names, at) : undefined;
    if (base && !base.fields) return { key, expression, path: `${base.path ?? `{${base.expression}}`}/…`, declaration: at, ...(base.producer ? { producer: base.producer } : {}) };
  }
  return undefined;
}

/** Project code the review reads to follow a helper (not a declaration file, not an installed package). */
function projectFunction(call: ts.CallExpression, model: TemporalModel): ts.FunctionLikeDeclaration | undefined {
  const fn = functionOfDeclaration(model.declarationOf(unwrap(call.expression)));
  if (!fn?.body) return undefined;
  const file = fn.getSourceFile().fileName;
  return file.endsWith('.d.ts') || /[\\/]node_modules[\\/]/.test(file) ? undefined : fn;
}

/**
 * How an expression of activity code makes a local path, or undefined: `mkdtemp(...)`, a path
 * under `os.tmpdir()` or `os.homedir()`, a `/tmp` literal, or the result of a project helper that
 * returns one (`cloneRepository(url)` returning its `mkdtempSync(...)`), the helper's parameters
 * bound to what the call passes (`worktreePathFor(os.homedir(), name)`), two helpers deep.
 */
function made(node: ts.Expression | undefined, locals: Map<string, string>, model: TemporalModel, depth: number): string | undefined {
  if (!node) return undefined;
  const target = unwrap(node);
  if (ts.isIdentifier(target)) return locals.get(target.text);
  if (ts.isCallExpression(target)) {
    const callee = target.expression.getText();
    if (/(^|\.)mkdtemp(Sync)?$/.test(callee)) return `${callee}(...)`;
    if (/(^|\.)(tmpdir|homedir)$/.test(callee)) return `${callee}()`;
    if (/^(path\.)?(join|resolve)$/.test(callee)) return made(target.arguments[0], locals, model, depth);
    if (depth >= 2) return undefined;
    const helper = projectFunction(target, model);
    if (!helper) return undefined;
    const bound = new Map<string, string>();
    helper.parameters.forEach((parameter, index) => {
      const how = ts.isIdentifier(parameter.name) ? made(target.arguments[index], locals, model, depth) : undefined;
      if (how) bound.set((parameter.name as ts.Identifier).text, how);
    });
    return returnedLocalPaths(helper, model, depth + 1, bound)?.get('');
  }
  if (ts.isTemplateExpression(target)) {
    if (target.head.text === '' && target.templateSpans[0]) return made(target.templateSpans[0].expression, locals, model, depth);
    return /^\/(tmp|var\/tmp)\/./.test(target.head.text) ? `\`${target.getText().slice(1, -1)}\`` : undefined;
  }
  if (ts.isStringLiteral(target) || ts.isNoSubstitutionTemplateLiteral(target)) return /^\/(tmp|var\/tmp)\/./.test(target.text) ? `'${target.text}'` : undefined;
  return undefined;
}

/**
 * The local paths a function returns that its own code makes: '' for the whole result, or fields
 * of an object literal it returns. `parameters`: what a helper's parameters hold at the call.
 */
function returnedLocalPaths(fn: ts.FunctionLikeDeclaration, model: TemporalModel, depth = 0, parameters?: Map<string, string>): Map<string, string> | undefined {
  const locals = new Map<string, string>(parameters);
  const result = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (node !== fn && ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const how = made(node.initializer, locals, model, depth);
      if (how) locals.set(node.name.text, how);
      else locals.delete(node.name.text);
    } else if (ts.isReturnStatement(node) && node.expression) {
      const whole = made(node.expression, locals, model, depth);
      const value = unwrap(node.expression);
      if (whole) result.set('', whole);
      else if (ts.isObjectLiteralExpression(value)) {
        for (const p of value.properties) {
          const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
          const how = ts.isPropertyAssignment(p) ? made(p.initializer, locals, model, depth) : ts.isShorthandPropertyAssignment(p) ? locals.get(p.name.text) : undefined;
          if (name && how) result.set(name, how);
        }
      }
    }
  };
  if (fn.body && ts.isBlock(fn.body)) visit(fn.body);
  else if (fn.body) {
    const whole = made(fn.body as ts.Expression, locals, model, depth);
    if (whole) result.set('', whole);
  }
  return result.size > 0 ? result : undefined;
}

/** What an activity's code does with the path in its parameter at the index: fs calls on it or a path joined under it. */
function parameterOps(fn: ts.FunctionLikeDeclaration, index: number): LocalPathUse['op'][] | undefined {
  const parameter = fn.parameters[index];
  if (!parameter || !ts.isIdentifier(parameter.name)) return undefined;
  const held = new Set([parameter.name.text]);
  const ops = new Set<LocalPathUse['op']>();
  const holds = (e: ts.Expression | undefined): boolean => {
    if (!e) return false;
    const t = unwrap(e);
    if (ts.isIdentifier(t)) return held.has(t.text);
    if (ts.isTemplateExpression(t)) return t.head.text === '' && holds(t.templateSpans[0]?.expression);
    if (ts.isCallExpression(t) && /^(path\.)?(join|resolve|dirname)$/.test(t.expression.getText())) return holds(t.arguments[0]);
    return false;
  };
  const visit = (node: ts.Node): void => {
    ts.forEachChild(node, visit);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && holds(node.initializer)) held.add(node.name.text);
    if (!ts.isCallExpression(node)) return;
    const callee = node.expression;
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
    if (/^(copyFile|copyFileSync|copy|rename|move)$/.test(method)) {
      if (holds(node.arguments[1])) ops.add('write');
      if (holds(node.arguments[0])) ops.add('read');
      return;
    }
    // `execFile('git', args, { cwd: dir })`: a process that runs in the directory needs it there.
    for (const argument of node.arguments) {
      const options = unwrap(argument);
      if (!ts.isObjectLiteralExpression(options)) continue;
      const cwd = options.properties.find((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'cwd');
      if (cwd && ((ts.isPropertyAssignment(cwd) && holds(cwd.initializer)) || (ts.isShorthandPropertyAssignment(cwd) && held.has(cwd.name.text)))) ops.add('read');
    }
    if (!holds(node.arguments[0])) return;
    if (WRITE_FS.test(method)) ops.add('write');
    else if (READ_FS.test(method)) ops.add('read');
    else if (DELETE_FS.test(method)) ops.add('delete');
    else if (!/^(join|resolve|dirname|basename|extname|log|info|debug|warn|error|String)$/.test(method)) ops.add('passed');
  };
  if (fn.body) visit(fn.body);
  return [...ops].sort();
}
