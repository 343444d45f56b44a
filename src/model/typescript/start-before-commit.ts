// TypeScript client starts that run inside an open database transaction, before the commit of the
// row the workflow is about (workflow-start-before-commit; the Python front-end reads the same in
// python-start-before-commit.ts):
//
//   await prisma.$transaction(async (tx) => {
//     const order = await tx.order.create({ data });
//     await client.workflow.start(fulfilOrder, { args: [order.id], ... });   // or a project wrapper
//   });
//
// The workflow can start, and its first activity look the row up, before the row is committed (it
// finds nothing, or the old values); and when the transaction rolls back after the start, the
// workflow runs on for a row that does not exist.
//
// Only a clear order in one function is read. Either the start (or a call of the project function
// that holds it, up to two functions up, when that function hands its own parameter to the start)
// sits directly in a transaction callback (`prisma.$transaction(async (tx) => ...)`,
// `dataSource.transaction(async (manager) => ...)`, `knex.transaction(async (trx) => ...)`,
// `db.transaction(async (tx) => ...)`, `sequelize.transaction(async (t) => ...)`, Kysely's
// `db.transaction().execute(async (trx) => ...)`) after a write on
// the callback's transaction client; or it sits after a write on a client whose transaction the
// same function opened (`queryRunner.startTransaction()`, `client.query('BEGIN')`, `const trx =
// await knex.transaction()`) and before its commit (`commitTransaction()`, `query('COMMIT')`,
// `trx.commit()`). The write must be recognisably one (a Prisma model delegate's create / update /
// delete, a query builder's insert / update / delete, an entity manager's save, a Sequelize call
// given `{ transaction: t }`, raw SQL that inserts, updates or deletes), it must run on every path
// to the start (not in a branch of its own, not in a catch or finally clause), and the workflow's
// input (`args`, `workflowId`, `signalArgs`) must name what it wrote: the row it returned (`const
// order = await tx.order.create(...)`), the entity it saved (`manager.save(order)`), the value
// given as the row's `id`, or a value the update's or delete's `where` reads.

import ts from 'typescript';
import { enclosingFunctions } from './call-reach.js';
import { functionName } from './declarations.js';
import { callsOfFunction } from './named-calls.js';
import { notProduction } from './observability/development-only.js';
import { shortText } from './short-text.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { StartBeforeCommitFacts } from '../types.js';
import type { TemporalModel } from './types.js';

/** How far up the start is followed through the functions that hold it. */
const MAX_HOPS = 2;
/** Client calls that start a workflow. */
const START_METHODS = new Set(['start', 'signalWithStart', 'execute']);
/** Options of a start that reach the workflow: its input and its id. */
const INPUT_OPTIONS = new Set(['args', 'workflowId', 'signalArgs']);
/** Methods that open a transaction callback. */
const TRANSACTION_METHODS = new Set(['$transaction', 'transaction']);
/** Prisma model delegate writes: `tx.order.create(...)`. */
const PRISMA_WRITES = new Set(['create', 'createMany', 'createManyAndReturn', 'update', 'updateMany', 'upsert', 'delete', 'deleteMany']);
/** Query builder and entity manager writes anywhere in a chain on the client: `tx.insert(t).values(v)`, `trx('t').update(v)`, `manager.save(row)`. */
const CHAIN_WRITES = new Set(['insert', 'update', 'delete', 'del', 'save', 'remove', 'upsert', 'softDelete', 'softRemove', 'insertInto', 'updateTable', 'deleteFrom']);
/** Sequelize writes, given `{ transaction: t }`. */
const SEQUELIZE_WRITES = new Set(['create', 'bulkCreate', 'update', 'destroy', 'save', 'upsert', 'increment', 'decrement', 'findOrCreate', 'restore', 'query']);
/** Calls that run SQL as written. */
const RAW_METHODS = new Set(['query', 'execute', 'raw', '$executeRaw', '$executeRawUnsafe', '$queryRaw', '$queryRawUnsafe']);
/** Writes whose entity argument is the row written: `manager.save(order)`, `tx.insert(t).values(row)`. */
const ENTITY_METHODS = new Set(['save', 'insert', 'upsert', 'remove', 'softRemove', 'values', 'bulkCreate']);
/** Writes whose `where` names the rows written. */
const WHERE_WRITES = new Set(['update', 'updateMany', 'upsert', 'delete', 'deleteMany', 'del', 'destroy', 'softDelete', 'updateTable', 'deleteFrom']);
/** SQL that writes. `SELECT ... FOR UPDATE` does not. */
const WRITE_STATEMENT = /\b(?:insert|update|delete|upsert|merge)\b/i;
const LOCKING_READ = /\bfor\s+(?:no\s+key\s+)?update\b/gi;
const BEGIN_STATEMENT = /^\s*(?:begin|start\s+transaction)\b/i;
const COMMIT_STATEMENT = /^\s*commit\b/i;
const ROLLBACK_STATEMENT = /^\s*rollback\b/i;
/** Temporal client methods that run the function they are given at once. */
const IN_PLACE_RUNNERS = new Set(['withDeadline', 'withMetadata', 'withAbortSignal']);
/** Text without which no file opens a transaction. */
const TRANSACTION_WORDS = /transaction|\bbegin\b/i;

type Found = Omit<StartBeforeCommitFacts, 'start' | 'workflow' | 'startText'>;

export function startsBeforeCommit(model: TemporalModel): StartBeforeCommitFacts[] {
  const found: StartBeforeCommitFacts[] = [];
  // Nothing opens a transaction anywhere: nothing to follow.
  if (!model.files.some((file) => TRANSACTION_WORDS.test(model.sourceFile(file)?.text ?? ''))) return found;
  const seen = new Set<string>();
  for (const start of model.starts) {
    if (start.child || !START_METHODS.has(start.method) || notProduction(start, model.root)) continue;
    const inputs = startInputs(start.node, model);
    if (inputs.length === 0) continue;
    for (const result of walk(start.node, inputs, model, 0, [])) {
      const key = `${result.location.file}:${result.location.line}:${result.location.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ ...result, start: start.location, startText: `client.workflow.${start.method}`, workflow: start.workflowType ?? start.workflowTypeText });
    }
  }
  return found;
}

/**
 * The expressions of the start's options that reach the workflow: the workflow's arguments (each
 * element of an `args` or `signalArgs` array written in place), then its id.
 */
function startInputs(call: ts.CallExpression, model: TemporalModel): ts.Expression[] {
  const options = objectLiteral(call.arguments[1], model);
  if (!options) return [];
  const byName = new Map<string, ts.Expression>();
  for (const property of options.properties) {
    if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && INPUT_OPTIONS.has(property.name.text)) byName.set(property.name.text, property.initializer);
    if (ts.isShorthandPropertyAssignment(property) && INPUT_OPTIONS.has(property.name.text)) byName.set(property.name.text, property.name);
  }
  return ['args', 'signalArgs', 'workflowId'].flatMap((name) => {
    const value = byName.get(name);
    if (!value) return [];
    const array = skipOuterExpressions(value);
    return ts.isArrayLiteralExpression(array) ? array.elements.filter((element) => !ts.isOmittedExpression(element)) : [value];
  });
}

/** The object literal an options argument is, written inline or held by a const declared with it. */
function objectLiteral(argument: ts.Expression | undefined, model: TemporalModel): ts.ObjectLiteralExpression | undefined {
  if (!argument) return undefined;
  const node = skipOuterExpressions(argument);
  if (ts.isObjectLiteralExpression(node)) return node;
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = model.declarationOf(node);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
  const initializer = skipOuterExpressions(declaration.initializer);
  return ts.isObjectLiteralExpression(initializer) ? initializer : undefined;
}

/** The places, at the start or at the calls of the functions that hold it, where the start runs before a commit. */
function walk(start: ts.Node, inputs: ts.Expression[], model: TemporalModel, hops: number, through: Found['through']): Found[] {
  const anchor = runsInPlace(start);
  const fn = enclosingFunctions(anchor)[0] as ts.FunctionLikeDeclaration | undefined;
  if (!fn) return [];
  const own = beforeCommit(anchor, fn, inputs, model);
  if (own) return [{ ...own, through, location: model.locate(anchor), call: shortText(anchor.getText(), 80) }];
  if (hops >= MAX_HOPS) return [];
  // A function that hands one of its parameters to the start: its callers choose the workflow's
  // input. The start may sit in a callback inside it (`getClient().then((c) => c.workflow.start(...))`).
  for (const candidate of enclosingFunctions(anchor) as ts.FunctionLikeDeclaration[]) {
    const forwarded = candidate.parameters.map((parameter, index) => ({ parameter, index })).filter(({ parameter }) => !parameter.dotDotDotToken && inputs.some((input) => mentionsParameter(input, parameter, model)));
    if (forwarded.length === 0) continue;
    const name = functionName(candidate);
    if (!name) return [];
    const results: Found[] = [];
    for (const call of callsOfFunction(model, candidate)) {
      if (call.arguments.some((argument) => ts.isSpreadElement(argument))) continue;
      const passed = forwarded.flatMap(({ index }) => (call.arguments[index] ? [call.arguments[index]!] : []));
      if (passed.length === 0) continue;
      results.push(...walk(call, passed, model, hops + 1, [...through, { function: name, call: model.locate(call) }]));
    }
    return results;
  }
  return [];
}

/**
 * The call that runs the node in place: the client's `withDeadline(deadline, () => start)`,
 * `withMetadata` or `withAbortSignal`, which call their function at once. Otherwise the node.
 */
function runsInPlace(node: ts.Node): ts.Node {
  let anchor = node;
  for (;;) {
    const fn = enclosingFunctions(anchor)[0];
    if (!fn || (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn))) return anchor;
    const call = fn.parent;
    if (!ts.isCallExpression(call) || !call.arguments.includes(fn as ts.Expression)) return anchor;
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || !IN_PLACE_RUNNERS.has(callee.name.text)) return anchor;
    anchor = call;
  }
}

/** The write before `anchor` and the commit after it, in `fn`, whose row `inputs` name. */
function beforeCommit(anchor: ts.Node, fn: ts.FunctionLikeDeclaration, inputs: ts.Expression[], model: TemporalModel): Omit<Found, 'through' | 'location' | 'call'> | undefined {
  if (inputs.length === 0 || inHandler(anchor, fn) || !fn.body || !ts.isBlock(fn.body)) return undefined;
  const callback = transactionCallback(fn);
  if (callback) {
    const parameter = fn.parameters[0];
    if (!parameter || !ts.isIdentifier(parameter.name)) return undefined;
    const onClient = (expression: ts.Expression) => ts.isIdentifier(expression) && model.declarationOf(expression) === parameter;
    const writes = writesIn(fn.body, onClient, model).filter((write) => write.node.end <= anchor.getStart() && !inHandler(write.node, fn) && onPath(write.node, anchor));
    const match = carried(writes, inputs, model);
    if (!match) return undefined;
    const callee = callback.call.expression;
    const text = `${shortText(callee.getText(), 50)}(${fn.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword) ? 'async ' : ''}(${fn.parameters.map((p) => p.name.getText()).join(', ')}) => ...)`;
    return {
      function: holderName(callback.call),
      write: { location: model.locate(match.write.node), text: writeText(match.write.node) },
      commit: { location: model.locate(callback.call), text, block: true, ends: 'the callback returns' },
      row: match.row,
      argument: match.argument,
    };
  }
  return explicitCommit(anchor, fn, fn.body, inputs, model);
}

/** `X.$transaction(fn)`, `X.transaction(fn)`, `X.transaction(options, fn)`: the call that runs `fn` as a transaction callback. */
function transactionCallback(fn: ts.FunctionLikeDeclaration): { call: ts.CallExpression } | undefined {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  let node: ts.Node = fn;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const call = node.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(node as ts.Expression)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  if (TRANSACTION_METHODS.has(callee.name.text)) return { call };
  // Kysely: db.transaction().execute(async (trx) => ...)
  const opener = skipOuterExpressions(callee.expression);
  if (callee.name.text === 'execute' && ts.isCallExpression(opener) && ts.isPropertyAccessExpression(opener.expression) && opener.expression.name.text === 'transaction') return { call };
  return undefined;
}

/** The name of the function a node sits in, skipping callbacks without one. */
function holderName(node: ts.Node): string {
  for (const fn of enclosingFunctions(node)) {
    const name = functionName(fn as ts.FunctionLikeDeclaration);
    if (name) return name;
  }
  return 'this function';
}

/**
 * A transaction the function opens on a client and commits after the anchor:
 * `queryRunner.startTransaction()` ... `queryRunner.commitTransaction()`, `client.query('BEGIN')`
 * ... `client.query('COMMIT')`, `const trx = await knex.transaction()` ... `trx.commit()`.
 */
function explicitCommit(anchor: ts.Node, fn: ts.FunctionLikeDeclaration, body: ts.Block, inputs: ts.Expression[], model: TemporalModel): Omit<Found, 'through' | 'location' | 'call'> | undefined {
  const marks: { node: ts.Node; client: string; kind: 'begin' | 'commit' | 'rollback' }[] = [];
  inScope(body, (node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      // `const trx = await knex.transaction()`: a transaction object without a callback
      const value = skipOuterExpressions(node.initializer);
      const call = ts.isAwaitExpression(value) ? skipOuterExpressions(value.expression) : undefined;
      if (call && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && call.expression.name.text === 'transaction' && !call.arguments.some((argument) => ts.isFunctionLike(skipOuterExpressions(argument)))) {
        marks.push({ node, client: node.name.text, kind: 'begin' });
      }
      return;
    }
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    const client = clientText(node.expression.expression);
    const method = node.expression.name.text;
    if (method === 'startTransaction') marks.push({ node, client, kind: 'begin' });
    else if (method === 'commitTransaction' || (method === 'commit' && node.arguments.length === 0)) marks.push({ node, client, kind: 'commit' });
    else if (method === 'rollbackTransaction' || (method === 'rollback' && node.arguments.length === 0)) marks.push({ node, client, kind: 'rollback' });
    else if (method === 'query' || method === 'execute') {
      const statement = sqlText(node.arguments[0]);
      if (statement === undefined) return;
      if (BEGIN_STATEMENT.test(statement)) marks.push({ node, client, kind: 'begin' });
      else if (COMMIT_STATEMENT.test(statement)) marks.push({ node, client, kind: 'commit' });
      else if (ROLLBACK_STATEMENT.test(statement)) marks.push({ node, client, kind: 'rollback' });
    }
  });
  const usable = (node: ts.Node) => !inHandler(node, fn) && onPath(node, anchor);
  const decided = new Set<string>();
  for (const commit of marks) {
    if (commit.kind !== 'commit' || commit.node.getStart() <= anchor.end || decided.has(commit.client) || !usable(commit.node)) continue;
    // the first commit after the anchor on a client decides for it
    decided.add(commit.client);
    const before = marks.filter((mark) => mark.client === commit.client && mark.node.end <= anchor.getStart());
    const last = before[before.length - 1];
    if (!last || last.kind !== 'begin' || !usable(last.node)) continue;
    const onClient = (expression: ts.Expression) => clientText(expression) === commit.client;
    const writes = writesIn(body, onClient, model).filter((write) => write.node.getStart() >= last.node.end && write.node.end <= anchor.getStart() && usable(write.node));
    const match = carried(writes, inputs, model);
    if (!match) continue;
    return {
      function: holderName(anchor),
      write: { location: model.locate(match.write.node), text: writeText(match.write.node) },
      commit: { location: model.locate(commit.node), text: shortText(commit.node.getText(), 80), block: false },
      row: match.row,
      argument: match.argument,
    };
  }
  return undefined;
}

/** A write as quoted in messages: on one line, a chain written over several lines joined up (`tx.insert(t).values(v)`). */
function writeText(node: ts.Node): string {
  return shortText(node.getText().replace(/\s*\n\s*\./g, '.'), 80);
}

function clientText(expression: ts.Expression): string {
  return skipOuterExpressions(expression).getText().replace(/\s+/g, '');
}

/** The text of a SQL argument written in place: a string, a template, or a tagged template (`sql\`BEGIN\``). */
function sqlText(argument: ts.Expression | undefined): string | undefined {
  if (!argument) return undefined;
  const node = skipOuterExpressions(argument);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.getText().slice(1, -1);
  if (ts.isTaggedTemplateExpression(node)) return node.template.getText().slice(1, -1);
  return undefined;
}

interface Write {
  node: ts.Node;
  /** The declarations of what the write wrote (the row it returned, the entity it saved, the id it gave, the values its where reads). */
  rows: ts.Node[];
}

/** The recognised writes on the client in a function body (not in functions nested in it). */
function writesIn(body: ts.Block, onClient: (expression: ts.Expression) => boolean, model: TemporalModel): Write[] {
  const writes: Write[] = [];
  inScope(body, (node) => {
    if (ts.isTaggedTemplateExpression(node)) {
      // Prisma's tx.$executeRaw`UPDATE ...`
      const tag = skipOuterExpressions(node.tag);
      if (ts.isPropertyAccessExpression(tag) && RAW_METHODS.has(tag.name.text) && onClient(tag.expression) && writesSql(node.template.getText())) {
        writes.push({ node, rows: [...resultBindings(node, model), ...valueDeclarations(node.template, undefined, model)] });
      }
      return;
    }
    if (!ts.isCallExpression(node) || isInnerChainCall(node)) return;
    const write = chainWrite(node, onClient, model);
    if (write) writes.push(write);
  });
  return writes;
}

/** A call whose result a further call of the same chain uses (`tx.insert(t)` in `tx.insert(t).values(v)`): the outermost call stands for the chain. */
function isInnerChainCall(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isNonNullExpression(node.parent) || ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  return ts.isPropertyAccessExpression(parent) && parent.expression === node && ts.isCallExpression(parent.parent) && parent.parent.expression === parent;
}

/** The calls of a chain, outermost first: `tx.insert(t).values(v).returning()` gives returning(), values(v), insert(t). */
function chainCalls(outer: ts.CallExpression): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  let node: ts.Expression = outer;
  for (;;) {
    node = skipOuterExpressions(node) as ts.Expression;
    if (ts.isCallExpression(node)) {
      calls.push(node);
      node = node.expression;
    } else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) node = node.expression;
    else return calls;
  }
}

/** The receivers along a callee, innermost last: `tx.order.create` gives tx.order, tx. */
function receivers(callee: ts.Expression): ts.Expression[] {
  const found: ts.Expression[] = [];
  let node = skipOuterExpressions(callee) as ts.Expression;
  while (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) {
    node = skipOuterExpressions(node.expression) as ts.Expression;
    found.push(node);
  }
  return found;
}

function methodOf(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/** The write a chain of calls makes on the client, if it is one. */
function chainWrite(outer: ts.CallExpression, onClient: (expression: ts.Expression) => boolean, model: TemporalModel): Write | undefined {
  const calls = chainCalls(outer);
  const innermost = calls[calls.length - 1]!;
  const chainOnClient = receivers(innermost.expression).some(onClient) || onClient(skipOuterExpressions(innermost.expression) as ts.Expression);
  const methods = calls.map(methodOf);
  if (chainOnClient) {
    for (const call of calls) {
      const method = methodOf(call);
      const callee = skipOuterExpressions(call.expression);
      if (!method || !ts.isPropertyAccessExpression(callee)) continue;
      const receiver = skipOuterExpressions(callee.expression);
      // Prisma: tx.order.create(...)
      if (PRISMA_WRITES.has(method) && ts.isPropertyAccessExpression(receiver) && receiver.name.text !== 'manager' && onClient(skipOuterExpressions(receiver.expression) as ts.Expression)) {
        return { node: outer, rows: [...resultBindings(outer, model), ...idValues(call, model), ...(WHERE_WRITES.has(method) ? whereValues(call, model) : [])] };
      }
      // Raw SQL on the client: tx.query('UPDATE ...', [id])
      if (RAW_METHODS.has(method) && onClient(receiver as ts.Expression)) {
        const statement = call.arguments[0] ? skipOuterExpressions(call.arguments[0]) : undefined;
        if (!statement || !writesSql(statement.getText())) return undefined;
        const sql = sqlText(call.arguments[0]) ?? '';
        const keyed = /^\s*(?:with\b[\s\S]*?\)\s*)?(?:update|delete)\b/i.test(sql);
        return { node: outer, rows: [...resultBindings(outer, model), ...(keyed ? call.arguments.flatMap((argument) => valueDeclarations(argument, onClient, model)) : [])] };
      }
    }
    if (methods.some((method) => method !== undefined && CHAIN_WRITES.has(method))) {
      const rows = [...resultBindings(outer, model)];
      for (const call of calls) {
        const method = methodOf(call);
        if (method && ENTITY_METHODS.has(method)) rows.push(...call.arguments.flatMap((argument) => entityDeclaration(argument, model)));
        if (method === 'where' || method === 'andWhere' || method === 'whereIn') rows.push(...call.arguments.flatMap((argument) => valueDeclarations(argument, onClient, model)));
        // TypeORM: manager.update(Order, { id }, values), manager.delete(Order, id)
        if ((method === 'update' || method === 'delete' || method === 'softDelete') && call.arguments.length >= 2 && onClient(skipOuterExpressions((skipOuterExpressions(call.expression) as ts.PropertyAccessExpression).expression) as ts.Expression)) {
          rows.push(...valueDeclarations(call.arguments[1]!, onClient, model));
        }
        rows.push(...idValues(call, model));
      }
      return { node: outer, rows };
    }
    return undefined;
  }
  // Sequelize: Order.create(values, { transaction: t }), order.save({ transaction: t })
  const method = methods[0];
  if (!method || !SEQUELIZE_WRITES.has(method) || !outer.arguments.some((argument) => passesTransaction(argument, onClient))) return undefined;
  if (method === 'query' && !(outer.arguments[0] && writesSql(outer.arguments[0].getText()))) return undefined;
  const rows = [...resultBindings(outer, model), ...idValues(outer, model)];
  if (method === 'save' || method === 'destroy' || method === 'update' || method === 'increment' || method === 'decrement' || method === 'restore') {
    const receiver = skipOuterExpressions((skipOuterExpressions(outer.expression) as ts.PropertyAccessExpression).expression);
    if (ts.isIdentifier(receiver)) rows.push(...entityDeclaration(receiver, model));
  }
  if (method === 'update' || method === 'destroy') rows.push(...outer.arguments.flatMap((argument) => whereOf(argument, onClient, model)));
  if (method === 'bulkCreate') rows.push(...(outer.arguments[0] ? entityDeclaration(outer.arguments[0], model) : []));
  return { node: outer, rows };
}

/** `{ transaction: t }` or `{ transaction }` with the client. */
function passesTransaction(argument: ts.Expression, onClient: (expression: ts.Expression) => boolean): boolean {
  const object = skipOuterExpressions(argument);
  if (!ts.isObjectLiteralExpression(object)) return false;
  return object.properties.some((property) => {
    if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'transaction') return onClient(skipOuterExpressions(property.initializer) as ts.Expression);
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === 'transaction') return onClient(property.name);
    return false;
  });
}

function writesSql(text: string): boolean {
  return WRITE_STATEMENT.test(text.replace(LOCKING_READ, ''));
}

/** `const row = await write`, `const [row] = await write`, `const { id } = await write`, `row = await write`. */
function resultBindings(write: ts.Node, model: TemporalModel): ts.Node[] {
  let node: ts.Node = write;
  while (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent) || ts.isAsExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === node) return bindingNames(parent.name, parent);
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node && ts.isIdentifier(parent.left)) {
    const declaration = model.declarationOf(parent.left);
    return declaration && isValueDeclaration(declaration) ? [declaration] : [];
  }
  return [];
}

function bindingNames(name: ts.BindingName, declaration: ts.VariableDeclaration): ts.Node[] {
  if (ts.isIdentifier(name)) return [declaration];
  return name.elements.flatMap((element) => (ts.isBindingElement(element) ? (ts.isIdentifier(element.name) ? [element] : bindingNames(element.name, declaration)) : []));
}

/** The declaration an entity argument names (`save(order)`, `save(Order, order)`): a variable or parameter. */
function entityDeclaration(argument: ts.Expression, model: TemporalModel): ts.Node[] {
  const node = skipOuterExpressions(argument);
  if (!ts.isIdentifier(node)) return [];
  const declaration = model.declarationOf(node);
  return declaration && isValueDeclaration(declaration) ? [declaration] : [];
}

/** The values given as the row's `id` in a write's arguments (`{ id: orderId }`, `data: { id }`), not those of related rows. */
function idValues(call: ts.CallExpression, model: TemporalModel): ts.Node[] {
  const found: ts.Node[] = [];
  const read = (object: ts.ObjectLiteralExpression, nested: boolean): void => {
    for (const property of object.properties) {
      if (ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'id') found.push(...entityDeclaration(property.initializer, model));
      else if (ts.isShorthandPropertyAssignment(property) && property.name.text === 'id') {
        const declaration = shorthandDeclaration(property, model);
        if (declaration) found.push(declaration);
      } else if (!nested && ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'data') {
        const data = skipOuterExpressions(property.initializer);
        if (ts.isObjectLiteralExpression(data)) read(data, true);
      }
    }
  };
  for (const argument of call.arguments) {
    const object = skipOuterExpressions(argument);
    if (ts.isObjectLiteralExpression(object)) read(object, false);
  }
  return found;
}

/** Prisma's `where: { ... }` in a write's arguments: the values it reads. */
function whereValues(call: ts.CallExpression, model: TemporalModel): ts.Node[] {
  return call.arguments.flatMap((argument) => whereOf(argument, () => false, model));
}

function whereOf(argument: ts.Expression, onClient: (expression: ts.Expression) => boolean, model: TemporalModel): ts.Node[] {
  const object = skipOuterExpressions(argument);
  if (!ts.isObjectLiteralExpression(object)) return [];
  return object.properties.flatMap((property) =>
    ts.isPropertyAssignment(property) && ts.isIdentifier(property.name) && property.name.text === 'where' ? valueDeclarations(property.initializer, onClient, model) : [],
  );
}

/** The variables and parameters an expression reads as values (not property names, callees or the client itself). */
function valueDeclarations(expression: ts.Node, onClient: ((expression: ts.Expression) => boolean) | undefined, model: TemporalModel): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isShorthandPropertyAssignment(node)) {
      const declaration = shorthandDeclaration(node, model);
      if (declaration) found.push(declaration);
      return;
    }
    if (ts.isIdentifier(node) && isValueUse(node) && !onClient?.(node)) {
      const declaration = ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node ? shorthandDeclaration(node.parent, model) : model.declarationOf(node);
      if (declaration && isValueDeclaration(declaration)) found.push(declaration);
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

function isValueUse(identifier: ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === identifier) return false;
  if (ts.isCallExpression(parent) && parent.expression === identifier) return false;
  return true;
}

function isValueDeclaration(node: ts.Node): boolean {
  return ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node);
}

function shorthandDeclaration(property: ts.ShorthandPropertyAssignment, model: TemporalModel): ts.Node | undefined {
  const symbol = model.checkerFor(property.getSourceFile().fileName)?.getShorthandAssignmentValueSymbol(property);
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  return declaration && isValueDeclaration(declaration) ? declaration : undefined;
}

/** The first write whose row one of the inputs names, with the row's name and the input. */
function carried(writes: Write[], inputs: ts.Expression[], model: TemporalModel): { write: Write; row: string; argument: string } | undefined {
  for (const write of writes) {
    for (const row of write.rows) {
      const input = inputs.find((candidate) => mentions(candidate, row, model));
      if (input) return { write, row: (row as ts.NamedDeclaration).name?.getText() ?? 'the row', argument: shortText(input.getText(), 80) };
    }
  }
  return undefined;
}

/** The expression reads the declaration as a value (`row`, `row.id`, `` `order-${row.id}` ``, `{ row }`). */
function mentions(expression: ts.Expression, declaration: ts.Node, model: TemporalModel): boolean {
  return valueDeclarations(expression, undefined, model).includes(declaration);
}

/** The expression reads the parameter (or a name destructured from it) as a value. */
function mentionsParameter(expression: ts.Expression, parameter: ts.ParameterDeclaration, model: TemporalModel): boolean {
  return valueDeclarations(expression, undefined, model).some((declaration) => declaration === parameter || (ts.isBindingElement(declaration) && ancestorParameter(declaration) === parameter));
}

function ancestorParameter(node: ts.Node): ts.ParameterDeclaration | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (ts.isParameter(current)) return current;
    if (ts.isFunctionLike(current) || ts.isBlock(current)) return undefined;
  }
  return undefined;
}

/** Visits the nodes of a function body, not those of functions nested in it. */
function inScope(body: ts.Node, visit: (node: ts.Node) => void): void {
  const walkNode = (node: ts.Node): void => {
    visit(node);
    if (ts.isFunctionLike(node)) return;
    ts.forEachChild(node, walkNode);
  };
  ts.forEachChild(body, walkNode);
}

/**
 * The branch that holds the node also holds the anchor: the node runs on every path to (or from)
 * the anchor, not in a branch of its own (`if (x) await tx.order.create(...)` beside the start).
 */
function onPath(node: ts.Node, anchor: ts.Node): boolean {
  let container: ts.Node | undefined;
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    const parent: ts.Node = current.parent;
    if (ts.isFunctionLike(parent)) return false;
    if (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) container = parent;
    else if (ts.isIfStatement(parent) && current !== parent.expression) container = current;
    else if (ts.isIterationStatement(parent, false) && parent.statement === current) container = current;
    else if (ts.isConditionalExpression(parent) && current !== parent.condition) container = current;
    else if (ts.isBinaryExpression(parent) && parent.right === current && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(parent.operatorToken.kind)) container = current;
    if (container) break;
  }
  return !!container && anchor.getStart() >= container.getStart() && anchor.end <= container.end;
}

/** The node sits in a catch or finally clause of `fn`: it runs on a failure path. */
function inHandler(node: ts.Node, fn: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent && current.parent !== fn; current = current.parent) {
    const parent = current.parent;
    if (ts.isCatchClause(parent)) return true;
    if (ts.isTryStatement(parent) && parent.finallyBlock === current) return true;
  }
  return false;
}
