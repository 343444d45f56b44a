// Activities that return raw MongoDB documents. The Python SDK's default payload converter writes
// an activity's result with json.dumps and its AdvancedJSONEncoder, which knows datetimes,
// dataclasses, pydantic models, iterables and UUIDs, and nothing else: the bson ObjectId in a
// pymongo document's `_id` makes it raise TypeError, after the activity's work is done, on every
// attempt.
//
// Counted: an activity whose `return` hands back what a synchronous pymongo collection's `find`,
// `find_one` or `aggregate` gave (the call itself, `list(...)` of it, a cursor method chained on it
// such as `.sort(...)`, `[d for d in cursor]`, or a variable assigned once to one of those), where
// the collection is one the blocking-call model follows to `pymongo.MongoClient(...)`; with an async
// client it follows to `pymongo.AsyncMongoClient(...)` or motor's `AsyncIOMotorClient(...)`, what is
// awaited: `await coll.find_one(...)`, `await cursor.to_list(...)` of a `find` or `aggregate` cursor,
// `[d async for d in cursor]`. Not counted
// (each one can keep the ObjectId out or convert it): a projection that is not a literal or that
// names `_id`; an aggregation pipeline that is not a literal list, or whose stages may replace the
// documents' `_id` (a `$group` without `$$ROOT` brought back by `$replaceRoot`, a `$project`,
// `$unset`, `$set` naming `_id`, any stage not known to keep the documents); any other `"_id"` in
// the activity's body (`doc["_id"] = str(doc["_id"])`, `doc.pop("_id")`); documents handed to a
// function (which may convert them in place); a project that passes its own `data_converter=`
// anywhere.

import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import { mongoObjectKind } from './python-blocking-calls.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, descendantsInScope, locateNode, namedChildrenOf, stringLiteral, unparenthesize } from './python-syntax.js';

export interface MongoDocumentReturn {
  /** `find`, `find_one` or `aggregate`. */
  method: string;
  /** The query call. */
  query: SourceLocation;
  /** The return statement. */
  returned: SourceLocation;
  /** The collection is an async client's (pymongo's AsyncMongoClient, motor). */
  async?: true;
}

const QUERIES = new Set(['find', 'find_one', 'aggregate']);
/** Cursor methods that hand back the same cursor. */
const CURSOR_CHAIN = new Set(['sort', 'limit', 'skip', 'batch_size', 'max_time_ms', 'hint', 'collation', 'allow_disk_use', 'comment']);
/** Aggregation stages that pass the documents through with their `_id`. */
const KEEPING_STAGES = new Set(['$match', '$sort', '$limit', '$skip', '$lookup', '$unwind', '$sample', '$graphLookup', '$geoNear', '$redact', '$project', '$addFields', '$set']);
/** Calls that read documents without changing them. */
const READING_CALLS = new Set(['list', 'len', 'print', 'bool', 'enumerate', 'sorted', 'reversed']);

interface Query {
  call: PythonNode;
  method: string;
  /** Variables the documents went through, innermost last. */
  names: string[];
  async?: true;
}

export function addMongoDocumentReturns(activities: PythonActivity[], files: string[], modules: PythonModules): void {
  if (customConverter(files, modules)) return;
  const scopes = new Map<string, unknown>();
  for (const activity of activities) {
    const found = mongoDocumentReturn(activity.node, activity.file, modules, scopes);
    if (found) activity.returnsMongoDocuments = found;
  }
}

/** Any `data_converter=` keyword in the project: a converter of its own may well encode ObjectId. */
function customConverter(files: string[], modules: PythonModules): boolean {
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root) continue;
    for (const argument of root.descendantsOfType('keyword_argument')) {
      if (argument?.childForFieldName('name')?.text === 'data_converter') return true;
    }
  }
  return false;
}

function mongoDocumentReturn(fn: PythonNode, file: string, modules: PythonModules, scopes: Map<string, unknown>): MongoDocumentReturn | undefined {
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  const returns: PythonNode[] = [];
  descendantsInScope(body, (node) => {
    if (node.type === 'return_statement') returns.push(node);
  });
  for (const statement of returns) {
    const value = namedChildrenOf(statement)[0];
    if (!value) continue;
    const query = queryOf(value, fn, file, modules, scopes, body, [], 0);
    if (!query || !keepsObjectId(query, fn, body)) continue;
    return { method: query.method, query: locateNode(file, query.call), returned: locateNode(file, statement), ...(query.async ? { async: true as const } : {}) };
  }
  return undefined;
}

/**
 * The pymongo query whose documents `expression` is, unchanged. With an async client (AsyncMongoClient,
 * motor) the documents are what is awaited: `await coll.find_one(...)`, and `await cursor.to_list(...)`
 * or `[d async for d in cursor]` of a cursor (`asyncCursor`: looking for one) that `coll.find(...)`
 * gives, or `coll.aggregate(...)` (motor) or `await coll.aggregate(...)` (AsyncMongoClient).
 */
function queryOf(expression: PythonNode, fn: PythonNode, file: string, modules: PythonModules, scopes: Map<string, unknown>, body: PythonNode, names: string[], depth: number, asyncCursor = false): Query | undefined {
  if (depth > 4) return undefined;
  const node = unparenthesize(expression);
  const isAsync = (object: PythonNode) => mongoObjectKind(object, fn, file, modules, scopes) === 'async';
  if (node.type === 'await') {
    const inner = namedChildrenOf(node)[0];
    const call = inner ? unparenthesize(inner) : undefined;
    const callee = call?.type === 'call' ? call.childForFieldName('function') : undefined;
    if (!call || callee?.type !== 'attribute') return undefined;
    const method = callee.childForFieldName('attribute')?.text;
    const object = callee.childForFieldName('object');
    if (!method || !object) return undefined;
    if (!asyncCursor && method === 'find_one') return isAsync(object) ? { call, method, names, async: true } : undefined;
    if (!asyncCursor && method === 'to_list') return queryOf(object, fn, file, modules, scopes, body, names, depth + 1, true);
    if (asyncCursor && method === 'aggregate') return isAsync(object) ? { call, method, names, async: true } : undefined;
    return undefined;
  }
  if (asyncCursor) {
    if (node.type === 'identifier') {
      const assigned = singleAssignment(node.text, body);
      return assigned ? queryOf(assigned, fn, file, modules, scopes, body, [...names, node.text], depth + 1, true) : undefined;
    }
    const callee = node.type === 'call' ? node.childForFieldName('function') : undefined;
    if (callee?.type !== 'attribute') return undefined;
    const method = callee.childForFieldName('attribute')?.text;
    const object = callee.childForFieldName('object');
    if (!method || !object) return undefined;
    if (method === 'find' || method === 'aggregate') return isAsync(object) ? { call: node, method, names, async: true } : undefined;
    return CURSOR_CHAIN.has(method) ? queryOf(object, fn, file, modules, scopes, body, names, depth + 1, true) : undefined;
  }
  if (node.type === 'call') {
    const callee = node.childForFieldName('function');
    if (!callee) return undefined;
    if (callee.type === 'identifier' && callee.text === 'list') {
      const args = callArguments(node);
      if (args.positional.length !== 1 || args.keywords.size > 0) return undefined;
      const inner = queryOf(args.positional[0]!, fn, file, modules, scopes, body, names, depth + 1);
      return inner && inner.method !== 'find_one' && !inner.async ? inner : undefined;
    }
    if (callee.type !== 'attribute') return undefined;
    const method = callee.childForFieldName('attribute')?.text;
    const object = callee.childForFieldName('object');
    if (!method || !object) return undefined;
    if (QUERIES.has(method)) return mongoObjectKind(object, fn, file, modules, scopes) === 'sync' ? { call: node, method, names } : undefined;
    if (CURSOR_CHAIN.has(method)) {
      const inner = queryOf(object, fn, file, modules, scopes, body, names, depth + 1);
      return inner && inner.method !== 'find_one' ? inner : undefined;
    }
    return undefined;
  }
  if (node.type === 'list_comprehension') {
    // `[doc for doc in cursor]`, `[doc async for doc in cursor]` (an `if` clause only filters).
    const element = namedChildrenOf(node)[0];
    const clauses = namedChildrenOf(node).filter((child) => child.type === 'for_in_clause');
    if (!element || element.type !== 'identifier' || clauses.length !== 1) return undefined;
    const clause = clauses[0]!;
    const target = clause.childForFieldName('left');
    const source = clause.childForFieldName('right');
    if (!target || !source || target.type !== 'identifier' || target.text !== element.text) return undefined;
    const asyncFor = clause.children.some((child) => child?.type === 'async');
    const inner = queryOf(source, fn, file, modules, scopes, body, names, depth + 1, asyncFor);
    return inner && inner.method !== 'find_one' ? inner : undefined;
  }
  if (node.type === 'identifier') {
    const assigned = singleAssignment(node.text, body);
    return assigned ? queryOf(assigned, fn, file, modules, scopes, body, [...names, node.text], depth + 1) : undefined;
  }
  return undefined;
}

/** The value of the one plain assignment to `name` in the body, when nothing else binds it. */
function singleAssignment(name: string, body: PythonNode): PythonNode | undefined {
  const values: PythonNode[] = [];
  let other = false;
  descendantsInScope(body, (node) => {
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier' && left.text === name) {
        const right = node.childForFieldName('right');
        if (node.type === 'assignment' && right) values.push(right);
        else other = true;
      } else if (left && left.type !== 'identifier' && left.descendantsOfType('identifier').some((id) => id?.text === name && id.parent?.type !== 'attribute' && id.parent?.type !== 'subscript')) {
        other = true;
      }
    } else if ((node.type === 'for_statement' || node.type === 'with_item' || node.type === 'as_pattern') && node.text.length > 0) {
      const target = node.type === 'for_statement' ? node.childForFieldName('left') : node.childForFieldName('alias') ?? undefined;
      if (target && target.descendantsOfType('identifier').some((id) => id?.text === name)) other = true;
    } else if (node.type === 'named_expression' && node.childForFieldName('name')?.text === name) {
      other = true;
    }
  });
  return !other && values.length === 1 ? values[0] : undefined;
}

/** False when the code may keep the ObjectId out of the documents, or convert it. */
function keepsObjectId(query: Query, fn: PythonNode, body: PythonNode): boolean {
  const args = callArguments(query.call);
  if (args.spreads.length > 0 || args.starred) return false;
  const skipped = new Set<number>();
  if (query.method === 'aggregate') {
    const pipelineArg = args.positional[0] ?? args.keywords.get('pipeline');
    if (!pipelineArg) return false;
    const pipeline = literalPipeline(pipelineArg, body);
    if (!pipeline || !pipelineKeepsId(pipeline)) return false;
    skipped.add(pipeline.id);
  } else {
    const filter = args.positional[0] ?? args.keywords.get('filter');
    if (filter) skipped.add(filter.id);
    const projection = args.keywords.get('projection') ?? args.positional[1];
    if (projection) {
      const node = unparenthesize(projection);
      if (node.type !== 'dictionary' && node.type !== 'list') return false;
      if (mentionsId(node)) return false;
    }
  }
  // Any other `"_id"` in the body: the documents' ObjectId is probably popped, deleted or converted.
  let other = false;
  descendantsInScope(body, (node) => {
    if (node.type !== 'string' || stringLiteral(node) !== '_id') return;
    for (let current: PythonNode | null = node; current && current.id !== body.id; current = current.parent) if (skipped.has(current.id)) return;
    other = true;
  });
  if (other) return false;
  return !handedOn(query.names, body);
}

function mentionsId(node: PythonNode): boolean {
  return node.descendantsOfType('string').some((s) => s !== null && stringLiteral(s) === '_id');
}

/** The pipeline as a list literal: written in the call, or a variable assigned once to one and never changed. */
function literalPipeline(argument: PythonNode, body: PythonNode): PythonNode | undefined {
  const node = unparenthesize(argument);
  if (node.type === 'list') return node;
  if (node.type !== 'identifier') return undefined;
  const value = singleAssignment(node.text, body);
  if (!value || unparenthesize(value).type !== 'list') return undefined;
  let changed = false;
  descendantsInScope(body, (n) => {
    if (n.type !== 'attribute') return;
    if (n.childForFieldName('object')?.text === node.text && n.parent?.type === 'call') changed = true;
  });
  return changed ? undefined : unparenthesize(value);
}

/** True when every stage is a dict literal and the documents that come out still carry the collection's `_id`. */
function pipelineKeepsId(pipeline: PythonNode): boolean {
  let raw = true;
  let groupedRoot = false;
  for (const stage of namedChildrenOf(pipeline)) {
    if (stage.type === 'comment') continue;
    if (stage.type !== 'dictionary') return false;
    const pairs = namedChildrenOf(stage).filter((child) => child.type === 'pair');
    if (pairs.length !== 1) return false;
    const key = pairs[0]!.childForFieldName('key');
    const value = pairs[0]!.childForFieldName('value');
    const name = key ? stringLiteral(key) : undefined;
    if (!name || !value) return false;
    if (name === '$group') {
      raw = false;
      groupedRoot = value.text.includes('$$ROOT');
    } else if (name === '$replaceRoot' || name === '$replaceWith') {
      raw = groupedRoot;
      groupedRoot = false;
    } else if (name === '$unset') {
      if (value.text.includes('_id')) raw = false;
    } else if (KEEPING_STAGES.has(name)) {
      if ((name === '$project' || name === '$addFields' || name === '$set') && mentionsId(value)) raw = false;
    } else {
      return false;
    }
  }
  return raw;
}

/** True when a variable holding the documents, or a loop variable over them, is passed to a function. */
function handedOn(names: string[], body: PythonNode): boolean {
  if (names.length === 0) return false;
  const watched = new Set(names);
  descendantsInScope(body, (node) => {
    if (node.type !== 'for_statement') return;
    const source = node.childForFieldName('right');
    const target = node.childForFieldName('left');
    if (source && target?.type === 'identifier' && watched.has(unparenthesize(source).text)) watched.add(target.text);
  });
  let handed = false;
  descendantsInScope(body, (node) => {
    if (node.type !== 'call') return;
    const callee = node.childForFieldName('function');
    if (callee?.type === 'identifier' && READING_CALLS.has(callee.text)) return;
    // A logger call reads them.
    if (callee?.type === 'attribute' && /log|logger|logging/i.test(callee.childForFieldName('object')?.text ?? '')) return;
    const args = callArguments(node);
    if ([...args.positional, ...args.keywords.values()].some((arg) => watched.has(unparenthesize(arg).text))) handed = true;
  });
  return handed;
}
