// Python client starts that run inside an open database transaction, before the commit of the row
// the workflow is about (workflow-start-before-commit):
//
//   session.add(suggestion)
//   await session.flush()
//   await start_suggestion_workflow(suggestion.id)   # a project wrapper around client.start_workflow
//   await session.commit()
//
// The workflow can start, and its first activity look the row up, before the row is committed (it
// finds nothing, or the old values); and when the commit fails or the transaction rolls back, the
// workflow runs on for a row that does not exist.
//
// Only a clear order in one function is read: a write on a session or connection (`add`, `add_all`,
// `merge`, `delete`, `flush`, `bulk_save_objects`, `execute` of an INSERT / UPDATE / DELETE) after
// its last commit, then the start (or a call of the project function that holds it, up to two
// functions up, when the function hands its own parameter to the start), then `commit()` on the
// same receiver, none of them in an except or finally clause; or the start inside a transaction
// block (`with session.begin():`, `async with conn.transaction():`, Django's `with
// transaction.atomic():`) after a write in the same block, which commits when the block ends. The
// workflow's input (its arguments or its id) must name the written row (`session.add(row)` then
// `start(row.id)`) or a value the written statement carries (`execute(update(...).where(Order.id
// == order_id))` then `start(order_id)`).

import type { PythonStartCall } from './python-forwarded-calls.js';
import type { StartBeforeCommitFacts } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { enclosingFunction, usesOf } from './python-per-call-connections.js';
import { productionClientStarts } from './python-request-waits.js';
import { functionCalled } from './python-origins.js';
import { callArguments, descendantsInScope, enclosing, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';

/** The neutral facts (src/model/types.ts), as the Python front-end fills them. */
export type PythonStartBeforeCommit = StartBeforeCommitFacts;

/** How far up the start is followed through the functions that hold it. */
const MAX_HOPS = 2;
/** Session and connection methods that write (or send written rows to the database). */
const WRITES = new Set(['add', 'add_all', 'merge', 'delete', 'flush', 'bulk_save_objects', 'bulk_insert_mappings', 'bulk_update_mappings', 'execute', 'executemany', 'exec']);
/** Statements an `execute` runs that write. */
const WRITE_STATEMENT = /\b(?:insert|update|delete|upsert)\b/i;
/** Context managers that open a transaction and commit when the block ends. */
const TRANSACTION_BLOCK = /^(?:[\w.]+\.)?(?:begin|begin_nested|transaction)$|^(?:[\w.]*\.)?atomic$/;
/** Django writes: `Model.objects.create(...)`, `row.save()`. */
const DJANGO_CREATE = /\.objects\.(?:create|get_or_create|update_or_create|bulk_create)$/;

export function pythonStartsBeforeCommit(root: string, startCalls: PythonStartCall[], modules: PythonModules): PythonStartBeforeCommit[] {
  const found: PythonStartBeforeCommit[] = [];
  const seen = new Set<string>();
  for (const { call, file, args } of productionClientStarts(root, startCalls)) {
    const workflowNode = args.positional[0] ?? args.keywords.get('workflow');
    const inputs = [...args.positional.slice(1), ...['arg', 'args', 'id'].flatMap((key) => (args.keywords.has(key) ? [args.keywords.get(key)!] : []))];
    const workflow = workflowNode ? workflowNode.text : 'the workflow';
    for (const result of walk(call, file, inputs, modules, 0, [])) {
      const key = `${result.location.file}:${result.location.line}:${result.location.column}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ ...result, start: locateNode(file, call), workflow });
    }
  }
  return found;
}

type Found = Omit<PythonStartBeforeCommit, 'start' | 'workflow'>;

/** The places, at the start or at the calls of the functions that hold it, where the start runs before a commit. */
function walk(anchor: PythonNode, file: string, inputs: PythonNode[], modules: PythonModules, hops: number, through: Found['through']): Found[] {
  const fn = enclosingFunction(anchor);
  if (!fn) return [];
  const own = beforeCommit(anchor, file, fn, inputs);
  if (own) return [{ ...own, through, location: locateNode(file, anchor), call: shortText(anchor), function: fn.childForFieldName('name')?.text ?? 'this function' }];
  if (hops >= MAX_HOPS) return [];
  // The function hands one of its parameters to the start: its callers choose the workflow's input.
  const name = fn.childForFieldName('name')?.text;
  if (!name) return [];
  const parameters = parameterNames(fn);
  const forwarded = parameters.map((parameter, index) => ({ parameter, index })).filter(({ parameter }) => parameter !== 'self' && parameter !== 'cls' && inputs.some((input) => mentions(input, parameter)));
  if (forwarded.length === 0) return [];
  const results: Found[] = [];
  for (const use of usesOf(fn, file, name, modules)) {
    if (use.kind !== 'call') continue;
    const callee = use.node.childForFieldName('function');
    const resolved = callee ? functionCalled(callee, use.file, modules) : undefined;
    const offset = resolved?.boundSelf || parameters[0] === 'self' || parameters[0] === 'cls' ? 1 : 0;
    const callArgs = callArguments(use.node);
    const passed = forwarded.flatMap(({ parameter, index }) => {
      const byKeyword = callArgs.keywords.get(parameter);
      if (byKeyword) return [byKeyword];
      const byPosition = callArgs.positional[index - offset];
      return byPosition && index - offset >= 0 ? [byPosition] : [];
    });
    if (passed.length === 0) continue;
    results.push(...walk(use.node, use.file, passed, modules, hops + 1, [...through, { function: name, call: locateNode(use.file, use.node) }]));
  }
  return results;
}

/** The write before `anchor` and the commit after it, in `fn`, whose row `inputs` name. */
function beforeCommit(anchor: PythonNode, file: string, fn: PythonNode, inputs: PythonNode[]): Omit<Found, 'through' | 'location' | 'call' | 'function'> | undefined {
  if (inputs.length === 0 || inHandler(anchor, fn)) return undefined;
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  // A transaction block around the anchor: it commits when the block ends.
  for (let node = anchor.parent; node && node.id !== fn.id; node = node.parent) {
    if (node.type !== 'with_statement') continue;
    const block = transactionBlock(node);
    if (!block) continue;
    const blockBody = node.childForFieldName('body');
    if (!blockBody) continue;
    const writes = writesIn(blockBody, block.receivers, block.django).filter((write) => write.node.endIndex <= anchor.startIndex && !inHandler(write.node, fn) && onPath(write.node, anchor));
    const match = carried(writes, inputs);
    if (match) return { write: { location: locateNode(file, match.write.node), text: shortText(match.write.node) }, commit: { location: locateNode(file, node), text: block.text, block: true }, row: match.row, argument: match.argument };
  }
  // An explicit commit after the anchor on the receiver of a write before it.
  const calls: { node: PythonNode; receiver: string; method: string }[] = [];
  descendantsInScope(body, (node) => {
    if (node.type !== 'call') return;
    const callee = node.childForFieldName('function');
    if (callee?.type !== 'attribute') return;
    const receiver = callee.childForFieldName('object');
    const method = callee.childForFieldName('attribute')?.text;
    if (!receiver || !method) return;
    calls.push({ node, receiver: receiver.text, method });
  });
  for (const commit of calls) {
    if (commit.method !== 'commit' || commit.node.startIndex <= anchor.endIndex || inHandler(commit.node, fn) || !onPath(commit.node, anchor)) continue;
    if (callArguments(commit.node).positional.length > 0) continue;
    // the last commit of the receiver before the anchor: writes before it are committed
    const lastCommit = calls.filter((c) => c.receiver === commit.receiver && c.method === 'commit' && c.node.endIndex <= anchor.startIndex && onPath(c.node, anchor)).pop();
    const writes = calls
      .filter((c) => c.receiver === commit.receiver && c.node.endIndex <= anchor.startIndex && (!lastCommit || c.node.startIndex > lastCommit.node.endIndex) && !inHandler(c.node, fn) && onPath(c.node, anchor))
      .flatMap((c) => {
        const write = sessionWrite(c.node, c.method, c.receiver);
        return write ? [write] : [];
      });
    const match = carried(writes, inputs);
    if (match) return { write: { location: locateNode(file, match.write.node), text: shortText(match.write.node) }, commit: { location: locateNode(file, commit.node), text: shortText(commit.node), block: false }, row: match.row, argument: match.argument };
    // the first commit after the anchor on a receiver decides for it
  }
  return undefined;
}

interface Write {
  node: PythonNode;
  /** Names of the rows or values the write carries. */
  rows: string[];
}

/** `with session.begin():`, `async with engine.begin() as conn:`, `async with conn.transaction():`, `with transaction.atomic():`. */
function transactionBlock(statement: PythonNode): { receivers: Set<string>; django: boolean; text: string } | undefined {
  const clause = namedChildrenOf(statement).find((child) => child.type === 'with_clause');
  for (const item of clause ? namedChildrenOf(clause) : []) {
    let value = item.childForFieldName('value') ?? namedChildrenOf(item)[0];
    let alias: string | undefined;
    if (value?.type === 'as_pattern') {
      alias = value.childForFieldName('alias')?.text ?? namedChildrenOf(value)[1]?.text;
      value = namedChildrenOf(value)[0];
    }
    if (value?.type !== 'call') continue;
    const callee = value.childForFieldName('function');
    if (!callee || !TRANSACTION_BLOCK.test(callee.text)) continue;
    const text = `with ${value.text.replace(/\s+/g, ' ')}`;
    if (/(^|\.)atomic$/.test(callee.text)) return { receivers: new Set(), django: true, text };
    if (callee.type !== 'attribute') continue;
    const receiver = callee.childForFieldName('object')?.text;
    const receivers = new Set<string>();
    if (receiver) receivers.add(receiver);
    if (alias) receivers.add(alias.replace(/^\(|\)$/g, ''));
    return { receivers, django: false, text };
  }
  return undefined;
}

/** The writes in a transaction block's body, on its receivers (or Django's model writes). */
function writesIn(body: PythonNode, receivers: Set<string>, django: boolean): Write[] {
  const writes: Write[] = [];
  descendantsInScope(body, (node) => {
    if (node.type !== 'call') return;
    const callee = node.childForFieldName('function');
    if (callee?.type !== 'attribute') return;
    const receiver = callee.childForFieldName('object')?.text ?? '';
    const method = callee.childForFieldName('attribute')?.text ?? '';
    if (django) {
      if (DJANGO_CREATE.test(callee.text)) {
        const target = assignedTo(node);
        if (target) writes.push({ node, rows: [target] });
      } else if (method === 'save' && /^[a-z_]\w*$/.test(receiver)) writes.push({ node, rows: [receiver] });
      return;
    }
    if (!receivers.has(receiver)) return;
    const write = sessionWrite(node, method, receiver);
    if (write) writes.push(write);
  });
  return writes;
}

/** A session or connection call that writes, with the names it carries. */
function sessionWrite(call: PythonNode, method: string, receiver: string): Write | undefined {
  if (!WRITES.has(method)) return undefined;
  const args = callArguments(call);
  if (method === 'flush') return { node: call, rows: [] };
  if (method === 'add' || method === 'merge' || method === 'delete') {
    const row = args.positional[0] ? unparenthesize(args.positional[0]) : undefined;
    return { node: call, rows: row?.type === 'identifier' ? [row.text] : [] };
  }
  if (method === 'add_all' || method === 'bulk_save_objects') {
    const list = args.positional[0] ? unparenthesize(args.positional[0]) : undefined;
    const rows = list && (list.type === 'list' || list.type === 'tuple') ? namedChildrenOf(list).filter((item) => item.type === 'identifier').map((item) => item.text) : [];
    return { node: call, rows };
  }
  // execute: a write statement as text or built (`insert(Order).values(...)`), with the values it names
  const statement = args.positional[0];
  if (!statement || !WRITE_STATEMENT.test(statement.text)) return undefined;
  return { node: call, rows: valueNames(call, receiver) };
}

/** Lower-case names an execute call's arguments read (not callees, attributes or keyword names). */
function valueNames(call: PythonNode, receiver: string): string[] {
  const names = new Set<string>();
  const list = call.childForFieldName('arguments');
  for (const identifier of list ? list.descendantsOfType('identifier') : []) {
    if (!identifier || !/^[a-z_]\w*$/.test(identifier.text) || identifier.text === 'self' || identifier.text === receiver) continue;
    const parent = identifier.parent;
    if (parent?.type === 'call' && parent.childForFieldName('function')?.id === identifier.id) continue;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) continue;
    if (parent?.type === 'attribute' && parent.parent?.type === 'call' && parent.parent.childForFieldName('function')?.id === parent.id) continue;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === identifier.id) continue;
    names.add(identifier.text);
  }
  return [...names];
}

/** The first write whose row one of the inputs names, with the name and the input. */
function carried(writes: Write[], inputs: PythonNode[]): { write: Write; row: string; argument: string } | undefined {
  // an `add` names the row; a later `flush` sends it: report the add
  for (const write of writes) {
    for (const row of write.rows) {
      const input = inputs.find((candidate) => mentions(candidate, row));
      if (input) return { write, row, argument: shortText(input) };
    }
  }
  return undefined;
}

/** The expression reads the name (as a value, `row`, `row.id`, `f"x-{row.id}"`; not an attribute or keyword name). */
function mentions(expression: PythonNode, name: string): boolean {
  const nodes = expression.type === 'identifier' ? [expression] : expression.descendantsOfType('identifier');
  return nodes.some((node) => {
    if (!node || node.text !== name) return false;
    const parent = node.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === node.id) return false;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === node.id) return false;
    return !enclosing(node, ['lambda']) || enclosing(node, ['lambda'])!.startIndex < expression.startIndex;
  });
}

/** `row = Model.objects.create(...)`: the name the call's result is bound to. */
function assignedTo(call: PythonNode): string | undefined {
  let node = call;
  while (node.parent && (node.parent.type === 'await' || node.parent.type === 'parenthesized_expression')) node = node.parent;
  const parent = node.parent;
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== node.id) return undefined;
  const left = parent.childForFieldName('left');
  if (left?.type === 'identifier') return left.text;
  // `row, created = Model.objects.get_or_create(...)`
  const first = left && (left.type === 'pattern_list' || left.type === 'tuple_pattern') ? namedChildrenOf(left)[0] : undefined;
  return first?.type === 'identifier' ? first.text : undefined;
}

/**
 * The block that holds the node's statement also holds the anchor: the node runs on every path
 * to (or from) the anchor, not in a branch of its own (`if x: session.add(row)` beside the start).
 */
function onPath(node: PythonNode, anchor: PythonNode): boolean {
  const block = enclosing(node, ['block']);
  return !!block && anchor.startIndex >= block.startIndex && anchor.endIndex <= block.endIndex;
}

/** The node sits in an except or finally clause of `fn`: it runs on a failure path. */
function inHandler(node: PythonNode, fn: PythonNode): boolean {
  for (let current = node.parent; current && current.id !== fn.id; current = current.parent) {
    if (current.type === 'except_clause' || current.type === 'except_group_clause' || current.type === 'finally_clause') return true;
  }
  return false;
}

function parameterNames(fn: PythonNode): string[] {
  const parameters = fn.childForFieldName('parameters');
  if (!parameters) return [];
  return namedChildrenOf(parameters).map((parameter) => {
    if (parameter.type === 'identifier') return parameter.text;
    const name = parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((child) => child.type === 'identifier');
    return name?.text ?? '';
  });
}

function shortText(node: PythonNode): string {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
