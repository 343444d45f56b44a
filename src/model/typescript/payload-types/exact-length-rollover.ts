// Workflow loops whose only continue-as-new trigger is an exact size of a collection that a signal
// or update handler fills:
//
//   const queue: Job[] = [];
//   setHandler(enqueue, (job) => { queue.push(job); });
//   while (true) {
//     await condition(() => queue.length > 0);
//     await process(queue.shift()!);
//     if (queue.length === 50) await continueAsNew(queue);
//   }
//
// Messages arrive while the loop awaits its work, so between two checks the size can move by more
// than one, or sit at other values for as long as traffic keeps up: the comparison never holds, the
// run never rolls over and the history grows towards the server's limit. A comparison with 0 rolls
// over when the queue drains, which a sustained burst never lets it do. The loop calls
// continueAsNew, so workflow-unbounded-history leaves it alone.

import ts from 'typescript';
import { containsAwait } from '../loop-shape.js';
import { enclosingFunction } from '../call-reach.js';
import { functionName, functionOfDeclaration } from '../declarations.js';
import { continueAsNewCalls } from '../continue-as-new-calls.js';
import { shortText } from '../short-text.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { SourceLocation, TemporalModel } from '../types.js';
import { guardingCondition, mentionsGuardProperty } from './success-counted-rollover.js';
import { helperContinuesAsNew, historyGrowthOf, type HistoryGrowth } from './unbounded-loops.js';

export interface ExactLengthRollover {
  /** The condition that triggers continue-as-new (`queue.length === 50`). */
  location: SourceLocation;
  condition: string;
  /** The collection as written (`queue`, `this.pending`). */
  collection: string;
  /** `length` or `size`, as the first comparison reads it. */
  sizeProperty: string;
  /** The sizes compared with (`[0, 50]`). */
  sizes: number[];
  /** The handler code that fills the collection. */
  feed: { location: SourceLocation; text: string; kind: 'signal' | 'update' | 'message'; name?: string };
  continueAsNew: SourceLocation;
  loop: SourceLocation;
  /** The function the loop is in. */
  functionName?: string;
  /** What each round schedules (first few). */
  growth: HistoryGrowth[];
}

/** A comparison `collection.length === size` (or `!collection.length`, size 0). */
interface ExactSize {
  collection: ts.Expression;
  property: string;
  size: number;
}

/** Calls that add to an array, a Set or a Map in place. */
const FILLING = new Set(['push', 'unshift', 'splice', 'add', 'set']);
const SIZES = new Set(['length', 'size']);

const cache = new WeakMap<TemporalModel, ExactLengthRollover[]>();

export function exactLengthRollovers(model: TemporalModel): ExactLengthRollover[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const found: ExactLengthRollover[] = [];
  for (const file of model.workflowFiles) {
    if (!model.files.includes(file)) continue;
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !/\bcontinueAsNew\b|\bContinueAsNew\b/.test(sourceFile.text) || !/\bsetHandler\b/.test(sourceFile.text)) continue;
    const handlers = messageHandlers(sourceFile, model);
    if (!handlers.length) continue;
    const visit = (node: ts.Node): void => {
      if ((ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isForStatement(node)) && runsUntilStopped(node)) {
        const hit = exactLengthRollover(node, handlers, model);
        if (hit) found.push(hit);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  cache.set(model, found);
  return found;
}

/** `while (true)`, `for (;;)`, `do ... while (true)`, or a loop that runs until a flag says stop (`while (!this.stopped)`). */
function runsUntilStopped(loop: ts.WhileStatement | ts.DoStatement | ts.ForStatement): boolean {
  if (ts.isForStatement(loop) && (loop.initializer || loop.incrementor)) return false;
  const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
  if (!condition) return true;
  const bare = skipOuterExpressions(condition);
  if (bare.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (!ts.isPrefixUnaryExpression(bare) || bare.operator !== ts.SyntaxKind.ExclamationToken) return false;
  const flag = skipOuterExpressions(bare.operand);
  return ts.isIdentifier(flag) || (ts.isPropertyAccessExpression(flag) && !SIZES.has(flag.name.text));
}

function exactLengthRollover(loop: ts.WhileStatement | ts.DoStatement | ts.ForStatement, handlers: MessageHandler[], model: TemporalModel): ExactLengthRollover | undefined {
  // Reading the server's suggestion or the history length rolls the run over whatever the size does.
  if (mentionsGuardProperty(loop)) return undefined;
  const rollovers = continueAsNewCalls(loop.statement, model);
  if (!rollovers.length || callsRollingHelper(loop.statement, model)) return undefined;
  if (breaksToRolloverAfter(loop, model)) return undefined;
  let condition: ts.Expression | undefined;
  const sizes: ExactSize[] = [];
  for (const call of rollovers) {
    const guard = guardingCondition(call, loop.statement);
    if (!guard) return undefined;
    const terms = exactSizes(guard, model);
    if (!terms) return undefined;
    condition ??= guard;
    sizes.push(...terms);
  }
  if (!condition) return undefined;
  // Every size compared must be one a handler moves: a collection only the loop fills one item a
  // round reaches any size on its way up.
  let feed: ExactLengthRollover['feed'] | undefined;
  for (const term of sizes) {
    const termFeed = feedOf(term.collection, handlers, model);
    if (!termFeed) return undefined;
    feed ??= termFeed;
  }
  if (!feed) return undefined;
  // `while (queue.length > 0) {...}` or `queue.splice(0)` right before `if (queue.length === 0)`: the comparison always holds there.
  if (sizes.some((term) => term.size === 0 && emptiedJustBefore(term.collection, condition!, model))) return undefined;
  const growth = historyGrowthOf(loop.statement, model);
  if (!growth.length) return undefined;
  const fn = enclosingFunction(loop);
  const name = fn && functionName(fn);
  return {
    location: model.locate(condition),
    condition: condition.getText(),
    collection: skipOuterExpressions(sizes[0]!.collection).getText(),
    sizeProperty: sizes[0]!.property,
    sizes: [...new Set(sizes.map((term) => term.size))],
    feed,
    continueAsNew: model.locate(rollovers[0]!),
    loop: model.locate(loop),
    ...(name ? { functionName: name } : {}),
    growth: growth.slice(0, 3),
  };
}

/**
 * The comparisons of a condition made only of exact sizes joined by `||`: `queue.length === 50`,
 * `50 == queue.length`, `pending.size === 0`, `!queue.length`. Undefined when any part is
 * something else (a threshold, a counter, a flag, `&&`).
 */
function exactSizes(condition: ts.Expression, model: TemporalModel): ExactSize[] | undefined {
  const terms: ExactSize[] = [];
  const visit = (expression: ts.Expression): boolean => {
    const current = skipOuterExpressions(expression) as ts.Expression;
    if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.BarBarToken) return visit(current.left) && visit(current.right);
    if (ts.isPrefixUnaryExpression(current) && current.operator === ts.SyntaxKind.ExclamationToken) {
      const collection = sizeOf(current.operand);
      if (!collection) return false;
      terms.push({ collection, property: (skipOuterExpressions(current.operand) as ts.PropertyAccessExpression).name.text, size: 0 });
      return true;
    }
    if (!ts.isBinaryExpression(current)) return false;
    const operator = current.operatorToken.kind;
    if (operator !== ts.SyntaxKind.EqualsEqualsEqualsToken && operator !== ts.SyntaxKind.EqualsEqualsToken) return false;
    for (const [side, other] of [[current.left, current.right], [current.right, current.left]] as const) {
      const collection = sizeOf(side);
      if (!collection) continue;
      const value = model.resolveValue(other);
      if (value.kind !== 'number' || !Number.isInteger(value.value) || value.value < 0) return false;
      terms.push({ collection, property: (skipOuterExpressions(side) as ts.PropertyAccessExpression).name.text, size: value.value });
      return true;
    }
    return false;
  };
  return visit(condition) && terms.length ? terms : undefined;
}

/** `queue` in `queue.length` / `pending.size`, when the collection is a name or a property chain. */
function sizeOf(expression: ts.Expression): ts.Expression | undefined {
  const current = skipOuterExpressions(expression);
  if (!ts.isPropertyAccessExpression(current) || !SIZES.has(current.name.text)) return undefined;
  return collectionKey(current.expression) ? current.expression : undefined;
}

/** What a collection expression names: the declaration (or class, for `this`) it starts from and the property path after it. */
interface CollectionKey {
  root: ts.Node;
  path: string;
}

function collectionKey(expression: ts.Expression, model?: TemporalModel): CollectionKey | undefined {
  let current = skipOuterExpressions(expression);
  const path: string[] = [];
  while (ts.isPropertyAccessExpression(current)) {
    path.unshift(current.name.text);
    current = skipOuterExpressions(current.expression);
  }
  if (current.kind === ts.SyntaxKind.ThisKeyword) {
    let owner: ts.Node | undefined = current.parent;
    while (owner && !ts.isClassLike(owner)) owner = owner.parent;
    return owner ? { root: owner, path: path.join('.') } : undefined;
  }
  if (!ts.isIdentifier(current)) return undefined;
  if (!model) return { root: current, path: path.join('.') };
  const declaration = model.declarationOf(current);
  return declaration ? { root: declaration, path: path.join('.') } : undefined;
}

function sameCollection(a: ts.Expression, b: ts.Expression, model: TemporalModel): boolean {
  const left = collectionKey(a, model);
  const right = left && collectionKey(b, model);
  return !!left && !!right && left.root === right.root && left.path === right.path;
}

interface MessageHandler {
  body: ts.Node;
  kind: 'signal' | 'update' | 'message';
  name?: string;
}

/** The signal and update handlers a file registers with setHandler (inline, or a function named there). */
function messageHandlers(sourceFile: ts.SourceFile, model: TemporalModel): MessageHandler[] {
  const handlers: MessageHandler[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && model.temporalApiOf(node.expression)?.name === 'setHandler' && node.arguments.length >= 2) {
      const [definition, handler] = node.arguments as unknown as [ts.Expression, ts.Expression];
      const bare = skipOuterExpressions(handler);
      const fn = ts.isArrowFunction(bare) || ts.isFunctionExpression(bare) ? bare : functionOfDeclaration(model.declarationOf(bare));
      const described = describeDefinition(definition, model);
      if (fn?.body && described.kind !== 'query') handlers.push({ body: fn.body, kind: described.kind, ...(described.name ? { name: described.name } : {}) });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return handlers;
}

const DEFINITION_KINDS: Record<string, 'signal' | 'update' | 'query'> = { defineSignal: 'signal', defineUpdate: 'update', defineQuery: 'query' };

/** Whether setHandler's first argument is a signal, update or query definition, and its name. */
export function describeDefinition(definition: ts.Expression, model: TemporalModel): { kind: 'signal' | 'update' | 'query' | 'message'; name?: string } {
  let current = skipOuterExpressions(definition);
  if (ts.isIdentifier(current) || ts.isPropertyAccessExpression(current)) {
    const declaration = model.declarationOf(current);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) current = skipOuterExpressions(declaration.initializer);
  }
  if (!ts.isCallExpression(current)) return { kind: 'message' };
  const kind = DEFINITION_KINDS[model.temporalApiOf(current.expression)?.name ?? ''];
  const nameArgument = current.arguments[0] && skipOuterExpressions(current.arguments[0]);
  const name = nameArgument && ts.isStringLiteralLike(nameArgument) ? nameArgument.text : undefined;
  return { kind: kind ?? 'message', ...(name ? { name } : {}) };
}

/**
 * The first place a handler fills the collection: `queue.push(job)`, `pending.add(id)`,
 * `byId.set(id, item)`, or `queue = [...queue, ...jobs]` (a new value that is not an empty one).
 */
function feedOf(collection: ts.Expression, handlers: MessageHandler[], model: TemporalModel): ExactLengthRollover['feed'] | undefined {
  for (const handler of handlers) {
    let feed: ts.Node | undefined;
    const visit = (current: ts.Node): void => {
      if (feed) return;
      if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && FILLING.has(current.expression.name.text) && sameCollection(current.expression.expression, collection, model)) {
        feed = current;
        return;
      }
      if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.EqualsToken && !isEmpty(current.right) && sameCollection(current.left, collection, model)) {
        feed = current;
        return;
      }
      ts.forEachChild(current, visit);
    };
    visit(handler.body);
    if (feed) return { location: model.locate(feed), text: feedText(feed), kind: handler.kind, ...(handler.name ? { name: handler.name } : {}) };
  }
  return undefined;
}

/** `queue.push(job)` as written when short, else `queue.push(...)`. */
function feedText(feed: ts.Node): string {
  const whole = shortText(feed.getText(), 48);
  if (!whole.endsWith('...') || !ts.isCallExpression(feed)) return whole;
  return `${shortText(feed.expression.getText(), 44)}(...)`;
}

/** `[]`, `new Set()`, `new Map()`: a reset, which does not fill anything. */
function isEmpty(expression: ts.Expression): boolean {
  const current = skipOuterExpressions(expression);
  if (ts.isArrayLiteralExpression(current)) return current.elements.length === 0;
  return ts.isNewExpression(current) && (!current.arguments || current.arguments.length === 0);
}

/** The loop calls a function of the project that continues as new: its own trigger, not read here. */
function callsRollingHelper(body: ts.Node, model: TemporalModel): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || (ts.isFunctionLike(current) && current !== body)) return;
    if (ts.isCallExpression(current) && !model.temporalApiOf(current.expression) && helperContinuesAsNew(current, model)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(body);
  return found;
}

/** The loop can break out, and its function continues as new after it: another way to roll over. */
function breaksToRolloverAfter(loop: ts.IterationStatement, model: TemporalModel): boolean {
  let breaks = false;
  const visit = (current: ts.Node, inner: boolean): void => {
    if (breaks || ts.isFunctionLike(current)) return;
    if (ts.isBreakStatement(current) && (current.label ? ts.isLabeledStatement(loop.parent) && loop.parent.label.text === current.label.text : !inner)) breaks = true;
    else ts.forEachChild(current, (child) => visit(child, inner || ts.isIterationStatement(child, false) || ts.isSwitchStatement(child)));
  };
  visit(loop.statement, false);
  if (!breaks) return false;
  const fn = enclosingFunction(loop);
  if (!fn?.body) return false;
  return continueAsNewCalls(fn.body, model).some((call) => call.getStart() >= loop.getEnd());
}

/**
 * Between the last await before the `if` (in the same block) and the `if`, the loop empties the
 * collection: a loop that runs while it has items (`while (queue.length > 0)`), `queue.splice(0)`,
 * `queue.clear()`, `queue = []`, `queue.length = 0`. No message can arrive in between, so
 * `queue.length === 0` always holds there.
 */
function emptiedJustBefore(collection: ts.Expression, condition: ts.Expression, model: TemporalModel): boolean {
  const statement = condition.parent;
  if (!ts.isIfStatement(statement) || !ts.isBlock(statement.parent)) return false;
  const statements = statement.parent.statements;
  for (let index = statements.indexOf(statement) - 1; index >= 0; index--) {
    const before = statements[index]!;
    if ((ts.isWhileStatement(before) || ts.isDoStatement(before)) && readsSize(before.expression, collection, model)) return true;
    if (containsAwait(before)) return false;
    if (empties(before, collection, model)) return true;
  }
  return false;
}

function readsSize(node: ts.Node, collection: ts.Expression, model: TemporalModel): boolean {
  let reads = false;
  const visit = (current: ts.Node): void => {
    if (reads) return;
    if (ts.isPropertyAccessExpression(current) && SIZES.has(current.name.text) && sameCollection(current.expression, collection, model)) reads = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return reads;
}


/** `queue.splice(0)`, `queue.clear()`, `queue = []`, `queue.length = 0` in a statement (not in nested functions). */
function empties(node: ts.Node, collection: ts.Expression, model: TemporalModel): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found || ts.isFunctionLike(current)) return;
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && sameCollection(current.expression.expression, collection, model)) {
      const method = current.expression.name.text;
      const first = current.arguments[0] && skipOuterExpressions(current.arguments[0]);
      if (method === 'clear' || (method === 'splice' && current.arguments.length === 1 && first && ts.isNumericLiteral(first) && first.text === '0')) found = true;
    }
    if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuterExpressions(current.left);
      const right = skipOuterExpressions(current.right);
      if (isEmpty(current.right) && sameCollection(current.left, collection, model)) found = true;
      if (ts.isPropertyAccessExpression(left) && left.name.text === 'length' && ts.isNumericLiteral(right) && right.text === '0' && sameCollection(left.expression, collection, model)) found = true;
    }
    if (!found) ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}
