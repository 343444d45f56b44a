// Options objects are often built in two steps: a literal, then property writes before the call
// (`const opts: WorkerOptions = {...}; if (env.max) opts.maxConcurrentActivityTaskExecutions = env.max;
// await Worker.create(opts)`). Reading only the literal would call those options unset. This
// applies the writes made in the same function, before the call, to the resolved literal: a write
// that always runs sets the property, one that runs on some paths only may set it.

import ts from 'typescript';
import { declarationOf } from './declarations.js';
import { locate, nodeText } from './locate.js';
import { mergeInto, resolveValue, unknownValue, type ResolveContext } from './resolve-value.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { StaticObject, StaticValue } from './types.js';

/**
 * The options value passed as `call.arguments[position]` with the writes to it applied, when that
 * argument is a local variable of the calling function; otherwise `value` unchanged.
 */
export function withWritesBeforeCall(call: ts.CallExpression, position: number, value: StaticValue, ctx: ResolveContext): StaticValue {
  const argument = call.arguments[position];
  if (!argument) return value;
  const identifier = skipOuterExpressions(argument);
  if (!ts.isIdentifier(identifier)) return value;
  const declaration = declarationOf(identifier, ctx.index);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return value;
  const scope = scopeOf(call);
  if (scopeOf(declaration) !== scope || declaration.getSourceFile() !== call.getSourceFile()) return value;

  const uses = usesBetween(scope, declaration, call, ctx);
  if (uses.length === 0) return value;
  // `let opts = {...}` does not resolve as a const would; with no reassignment it is the same.
  let base = value;
  if (base.kind !== 'object' && declaration.initializer && !uses.some((u) => u.kind === 'reassign')) {
    base = resolveValue(declaration.initializer, ctx);
  }
  if (base.kind !== 'object' || uses.some((u) => u.kind === 'reassign')) return value;

  // Resolved values are shared between their uses: write to a copy.
  const result: StaticObject = {
    kind: 'object',
    properties: new Map(base.properties),
    unknownSpreads: [...base.unknownSpreads],
    location: base.location,
    ...(base.maybeProperties ? { maybeProperties: new Map(base.maybeProperties) } : {}),
  };
  const always = new Set(ancestorsOf(call));
  for (const use of uses) apply(result, use, isConditional(use.node, always), ctx);
  return result;
}

type OptionsUse =
  /** `opts.key = value`, `opts['key'] = value`; key undefined when computed and unresolved. */
  | { kind: 'write'; node: ts.BinaryExpression; key: string | undefined; value: ts.Expression | undefined }
  /** `opts.tuner.x = ...`: the top-level property changes to something not tracked here. */
  | { kind: 'nested-write'; node: ts.Node; key: string | undefined }
  /** `Object.assign(opts, a, b)`. */
  | { kind: 'assign'; node: ts.CallExpression; sources: readonly ts.Expression[] }
  /** `configure(opts)`: the callee may set anything. */
  | { kind: 'escape'; node: ts.CallExpression }
  /** `opts = ...` */
  | { kind: 'reassign'; node: ts.Node };

function apply(target: StaticObject, use: OptionsUse, conditional: boolean, ctx: ResolveContext): void {
  switch (use.kind) {
    case 'write': {
      if (use.key === undefined) {
        target.unknownSpreads.push({ text: nodeText(use.node), location: locate(use.node) });
        return;
      }
      const compound = use.node.operatorToken.kind !== ts.SyntaxKind.EqualsToken;
      const value = use.value && !compound ? resolveValue(use.value, ctx) : unknownValue(use.node);
      // `opts.x ??= v` only writes when x is unset: conditional by itself.
      setProperty(target, use.key, value, conditional || isLogicalAssignment(use.node), use.node);
      return;
    }
    case 'nested-write':
      if (use.key === undefined) target.unknownSpreads.push({ text: nodeText(use.node), location: locate(use.node) });
      else setProperty(target, use.key, unknownValue(use.node), true, use.node);
      return;
    case 'assign':
      for (const source of use.sources) {
        const value = resolveValue(source, ctx);
        if (!conditional) {
          mergeInto(target, value, source);
          continue;
        }
        if (value.kind === 'object') {
          for (const [key, property] of value.properties) setProperty(target, key, property, true, source);
          target.unknownSpreads.push(...value.unknownSpreads);
        } else if (value.kind !== 'undefined' && value.kind !== 'null') {
          target.unknownSpreads.push({ text: nodeText(source), location: locate(source) });
        }
      }
      return;
    case 'escape':
      target.unknownSpreads.push({ text: nodeText(use.node), location: locate(use.node) });
      return;
    case 'reassign':
      return;
  }
}

/**
 * A write that always runs replaces the property. A conditional one over a written property
 * leaves it set to one of two values (an unknown); over an unset one it may set it.
 */
function setProperty(target: StaticObject, key: string, value: StaticValue, conditional: boolean, node: ts.Node): void {
  if (!conditional) {
    target.properties.delete(key);
    target.properties.set(key, value);
    target.maybeProperties?.delete(key);
    return;
  }
  if (target.properties.has(key)) {
    target.properties.set(key, unknownValue(node));
    return;
  }
  target.maybeProperties ??= new Map();
  target.maybeProperties.set(key, value);
}

/** Every use of the variable in its scope between its declaration and the call. */
function usesBetween(scope: ts.Node, declaration: ts.VariableDeclaration, call: ts.CallExpression, ctx: ResolveContext): OptionsUse[] {
  const name = (declaration.name as ts.Identifier).text;
  const uses: OptionsUse[] = [];
  const visit = (node: ts.Node): void => {
    if (node.pos >= call.getStart()) return;
    if (ts.isIdentifier(node) && node.text === name && node.end > declaration.end && node.parent !== declaration && declarationOf(node, ctx.index) === declaration) {
      const use = classify(node, call);
      if (use) uses.push(use);
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(scope, visit);
  return uses;
}

/** What a reference to the options variable does to it, or undefined when it only reads it. */
function classify(reference: ts.Identifier, call: ts.CallExpression): OptionsUse | undefined {
  let node: ts.Node = reference;
  while (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) {
    node = node.parent;
  }
  const parent = node.parent;
  if (ts.isBinaryExpression(parent) && parent.left === node && isAssignment(parent)) return { kind: 'reassign', node: parent };
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node) {
    const key = memberKey(parent);
    const holder = parent.parent;
    if (ts.isBinaryExpression(holder) && holder.left === parent && isAssignment(holder)) return { kind: 'write', node: holder, key, value: holder.right };
    if (ts.isDeleteExpression(holder)) return { kind: 'nested-write', node: holder, key };
    if (writesThrough(parent)) return { kind: 'nested-write', node: parent.parent, key };
    return undefined;
  }
  if (ts.isCallExpression(parent) && parent !== call && parent.arguments.includes(node as ts.Expression)) {
    if (isObjectAssign(parent) && parent.arguments[0] === node) return { kind: 'assign', node: parent, sources: parent.arguments.slice(1) };
    if (readsOnly(parent)) return undefined;
    return { kind: 'escape', node: parent };
  }
  return undefined;
}

/** `opts.tuner.x = 1`, `opts.activities[k] = f`: a write below a top-level property. */
function writesThrough(member: ts.Node): boolean {
  let node = member;
  while ((ts.isPropertyAccessExpression(node.parent) || ts.isElementAccessExpression(node.parent)) && node.parent.expression === node) node = node.parent;
  if (node === member) return false;
  return ts.isBinaryExpression(node.parent) && node.parent.left === node && isAssignment(node.parent);
}

function memberKey(member: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  if (ts.isPropertyAccessExpression(member)) return member.name.text;
  const argument = skipOuterExpressions(member.argumentExpression);
  return ts.isStringLiteralLike(argument) || ts.isNumericLiteral(argument) ? argument.text : undefined;
}

function isAssignment(expression: ts.BinaryExpression): boolean {
  const kind = expression.operatorToken.kind;
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function isLogicalAssignment(expression: ts.BinaryExpression): boolean {
  const kind = expression.operatorToken.kind;
  return kind === ts.SyntaxKind.QuestionQuestionEqualsToken || kind === ts.SyntaxKind.BarBarEqualsToken || kind === ts.SyntaxKind.AmpersandAmpersandEqualsToken;
}

function isObjectAssign(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'assign' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object';
}

/** Logging and serializing read the options; they do not change them. */
function readsOnly(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return false;
  return callee.expression.text === 'console' || (callee.expression.text === 'JSON' && callee.name.text === 'stringify');
}

/**
 * True when something between the write and the scope may skip it: a branch, a loop, a
 * short-circuit, a catch block or a callback. Constructs that also hold the call do not count:
 * when the call runs, they ran too.
 */
function isConditional(write: ts.Node, always: Set<ts.Node>): boolean {
  for (let node = write; node.parent && !always.has(node.parent); node = node.parent) {
    const parent = node.parent;
    if (ts.isIfStatement(parent) && parent.expression !== node) return true;
    if (ts.isIterationStatement(parent, false) || ts.isCaseOrDefaultClause(parent) || ts.isCatchClause(parent)) return true;
    if (ts.isConditionalExpression(parent) && parent.condition !== node) return true;
    if (ts.isBinaryExpression(parent) && parent.right === node && isShortCircuit(parent.operatorToken.kind)) return true;
    if (ts.isFunctionLike(parent)) return true;
  }
  return false;
}

function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

function ancestorsOf(node: ts.Node): ts.Node[] {
  const result: ts.Node[] = [];
  for (let current: ts.Node | undefined = node; current; current = current.parent) result.push(current);
  return result;
}

/** The function body or source file a node runs in. */
function scopeOf(node: ts.Node): ts.Node {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return current;
  }
  return node.getSourceFile();
}
