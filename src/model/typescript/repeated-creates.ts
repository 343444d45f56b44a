// Creates that a retried activity makes twice. Temporal runs an activity at least once: an attempt
// that created something and then failed is run again from the top, and creates it again. Read
// here, in the activity's body and the project helpers it calls:
//
// - a database insert: Prisma `x.model.create({ data })` / `createMany({ data })` (without
//   `skipDuplicates: true`), Drizzle/Knex/Supabase `insert(...)` and Kysely `insertInto(...)` with
//   no `onConflict...`/`ignore`/`merge` in the chain, Mongo `insertOne`/`insertMany`, and raw SQL
//   `INSERT` without `ON CONFLICT`/`ON DUPLICATE KEY`/`IGNORE`. It counts only when another
//   awaited step runs after it (later in the function, after the call that leads to it in a
//   caller, or the next turn of a loop around it) and can fail the attempt: an insert that is the
//   attempt's last step repeats only when the attempt's result is lost, which is rare, unless it
//   hands its new row back to the workflow (the first row is then left behind) or stores the answer
//   of an outside call made just before it (an attempt past its timeout keeps running and inserts
//   while its retry inserts too): see lastStepRepeat.
// - a call to an outside service that creates something: an awaited library method named
//   `create...`, `post...`, `reply...` or `reply` (`recall.createBot`, `slack.chat.postMessage`,
//   `comment.reply`), or an HTTP POST (`fetch(url, { method: 'POST' })`, `axios.post`) made by a
//   function named `create...`. The answer of a network call can be lost after the service acted,
//   so it counts even as the last step. A bare `create` counts on a Stripe client
//   (`stripe.products.create(params)`) when no request options carry `idempotencyKey`.
// - an insert whose primary key comes from a parameter (`id: artifact.id`) with no conflict
//   handling: the retry fails on the key rather than duplicating, with a later step or as the last
//   step (a retry after the commit), unless a catch drops or names the duplicate (keyConflictHandled).
//
// Rows are read from object literals, a `map` to them, a variable, or the one value a project
// function returns (`data: buildChildData({...})`). After the first create, up to MAX_ALSO further
// inserts that a later step repeats (one per transaction) are named with it.
//
// Left alone: an insert with a deterministic id not read from a parameter (not `randomUUID()`) or a
// property named for an idempotency key, a call whose arguments carry a key, a create preceded by
// a lookup of the same table or on the same client (`findFirst`, `findUnique`, `select ... from`,
// `getX`/`listX`/`findX`; not a Prisma lookup by `id` alone before a create that sets no id: it
// reads another row, a parent), and later steps inside the same transaction callback (`$transaction`,
// `transaction`): a failure there rolls the insert back, so the retry finds nothing to repeat.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { propertyValue } from './object-literal.js';
import { locate } from './locate.js';
import { skipOuterExpressions } from './temporal-api.js';
import { quietSupabaseStep } from './throwing-awaits.js';
import { sqlInsertColumns } from '../declared-unique-keys.js';
import { callText, carriesKey, conditionValue, failureDroppedWithin, literalFlags, projectFunction, projectFunctionThroughAlias } from './repeated-side-effects.js';
import type { SourceLocation, TemporalModel } from './types.js';

const MAX_CALL_DEPTH = 4;
/** Further repeated inserts named with the first one. */
const MAX_ALSO = 3;

export interface RepeatedCreate {
  /** A database row, or an object at an outside service. */
  store: 'database' | 'service';
  location: SourceLocation;
  /** The call as written, shortened. */
  text: string;
  /** What is created: "a meetingBotSession row", "a row in users", "an object at recall". */
  what: string;
  via: SourceLocation[];
  /** The awaited step after the create that can fail the attempt; for a loop, the create itself. */
  later?: { location: SourceLocation; text: string; nextIteration: boolean };
  /** An insert that is the attempt's last step, still repeated (see lastStepRepeat). */
  last?: LastStepRepeat;
  /** The row's primary key, taken from the input with no conflict handling: the retry fails on it (see inputKey). */
  keyedBy?: string;
  /** A well-known SDK whose create takes an idempotency key the call does not pass (see stripeCreate). */
  sdk?: { name: string; option: string; example: string };
  /** The table (or Prisma model) a database insert writes to, and the columns its rows set when they can all be read. */
  table?: string;
  columns?: string[];
  /** Further inserts of the same activity that a failing later step (or the next item) repeats too. */
  also?: { location: SourceLocation; text: string; what: string; via: SourceLocation[]; later: { location: SourceLocation; text: string; nextIteration: boolean } }[];
}

/**
 * Why an insert with nothing after it is still repeated: its new row goes back to the workflow
 * (`returned`: a retry after the commit leaves the first row orphaned), or it stores the answer of
 * an outside call made just before it (`outside`: an attempt past its timeout keeps running and
 * inserts while its retry inserts too).
 */
export type LastStepRepeat = { reason: 'returned'; each?: boolean } | { reason: 'outside'; call: { location: SourceLocation; text: string } } | { reason: 'keyed' };

/** Tables that keep a row per attempt on purpose: a log, an audit trail, a history. */
const LOG_TABLE = /history|History|audit|Audit|telemetry|metric|(^|_)logs?($|_)|Logs?($|[A-Z_])|^logs?[A-Z]/;
const PRISMA_CREATE = new Set(['create', 'createMany', 'createManyAndReturn']);
const SERVICE_CREATE = /^(create|post|reply)([A-Z_]\w*)?$/;
/** A POST that signs in or reads (`postLogin`, `postQuery`, `postJson`): nothing is created at the service. */
const POST_NOT_CREATE = /^post_?(Login|Logout|Auth\w*|Sign[IiOoUu]\w*|Token|Session|Query|Search|Graph[Qq][Ll]|Form|Json|JSON|Request|Data|Raw)$/;
/** Factories and local objects named create...: not a record at a service. */
const LOCAL_CREATE =
  /(Client|Connection|Pool|Context|Logger|Instance|Hash|Hmac|Url|URL|Signature|Token|Provider|Session|Stream|Element|Server|Interface|Agent|Worker|Transport|Schema|Cipheriv|Decipheriv|Cipher|Decipher|Sign|Verify|Builder|Canvas|Completion|Completions|Embedding|Embeddings|Transcription|Translation|Moderation|Image|Speech|Span|Tracer|Counter|Histogram|Gauge|Meter|Child|Timer|Page|Browser|Directory|Dir|Table|Index|Bucket|Queue|Topic|Subscription|Router|Store|Cache|Model|Job|Task|Parser|Reader|Writer|Proxy|Error|Key|Object|Node|Fragment|Range|Function|Factory|Handler|Config|Adapter|Service|Middleware|Action|Selector|Slice|Reducer|Ref|Signal|Scope)$/;
const LOCAL_RECEIVER = /^(port|parentPort|worker|window|self|channel|parent|globalThis|document|Object|Promise|Array|Reflect|fs|crypto|path|os|http|https|net|stream|zlib|readline|child_process|vm|util)$/;
const RESPONSE_RECEIVER = /^(res|response|reply|ctx|context)$/i;
const LOOKUP_NAME = /^(find\w*|get\w*|list\w*|search\w*|retrieve\w*|fetch\w*|count\w*|exists?\w*|query\w*|select\w*|upsert\w*|lookup\w*)$/;
const CONFLICT_NAME = /^(onConflict\w*|onDuplicateKey\w*|ignore|orIgnore|merge|upsert)$/;
const RANDOM_ID = /\b(randomUUID|uuid\w*|v4|cuid2?|createId|nanoid|ulid|ObjectId|random\w*|Date\.now)\s*\(/;
const IDEMPOTENCY_KEY = /idempot|dedup|request_?id|client_?token|nonce|unique_?id/i;
const TRANSACTION_NAME = /^\$?(transaction|transact|withTransaction|runInTransaction|begin)$/i;
const SAFE_AWAIT = /^(sleep|delay|setTimeout|heartbeat|log|debug|info|warn|error|trace)$/;
const LOG_RECEIVER = /^(console|log|logger|Logger|this\.logger|activityLogger)$/;

/**
 * The first create of the activity that a retry repeats, with the step after it that fails the
 * attempt; none when every create is idempotent, or is a database insert with nothing after it.
 */
export function repeatedCreates(fn: ts.FunctionLikeDeclaration, model: TemporalModel): RepeatedCreate[] {
  const visited = new Set<ts.Node>();
  let found: RepeatedCreate | undefined;
  const also: NonNullable<RepeatedCreate['also']> = [];
  const done = (): boolean => found !== undefined && also.length >= MAX_ALSO;
  // The transactions of the inserts named: a second insert in the same one is the same repeat, with the same fix.
  const named = new Set<ts.Node>();
  const sameTransaction = (node: ts.Node, current: ts.FunctionLikeDeclaration): boolean => {
    const transaction = outermostTransaction(node, current);
    if (!transaction) return false;
    if (named.has(transaction)) return true;
    named.add(transaction);
    return false;
  };
  // An HTTP POST counts as a create only in an activity named create... (and a helper named so).
  const activityCreates = /^create[A-Z_]/.test(functionName(fn) ?? '');
  const visitFunction = (current: ts.FunctionLikeDeclaration, via: SourceLocation[], frames: Frame[], flags: Map<ts.Node, boolean>): void => {
    if (done() || visited.has(current) || !current.body) return;
    visited.add(current);
    // A project helper whose own name says it creates something at a service (`createFlyMachine`) counts its POST too, whatever the activity is called.
    const own = current !== fn ? functionName(current) : undefined;
    const named = activityCreates ? functionName(current) : own && /^create[A-Z]/.test(own) && !LOCAL_CREATE.test(own) && !/(Session|Token|Client|Connection|Signature|Url|URL|Embeddings?|Completion|Summary|Prompt|Message|Response|Payload|Request|Body|Headers?)$/.test(own) ? own : undefined;
    const visit = (node: ts.Node): void => {
      if (done()) return;
      // A branch a caller switches off with a literal argument (`postInternal(x, false)`) is not followed.
      if (ts.isIfStatement(node) || ts.isConditionalExpression(node)) {
        const value = switchedBy(ts.isIfStatement(node) ? node.expression : node.condition, flags, model);
        if (value !== undefined) {
          const taken = ts.isIfStatement(node) ? (value ? node.thenStatement : node.elseStatement) : value ? node.whenTrue : node.whenFalse;
          if (taken) visit(taken);
          return;
        }
      }
      // A helper's parameter holding the rows (`createPersona(persona)` inserting `persona`) is read as the argument its caller passed.
      boundArguments = parameterArguments(frames, current);
      const candidate = createAt(node, named, model);
      boundArguments = new Map();
      if (candidate) {
        const path = [...frames, { fn: current, call: node }];
        // A key a caller on the way draws fresh (`saveRow(randomUUID())`) is not the input's: no retry fails on it.
        // That insert makes a new row on every attempt, like one whose id is drawn in place.
        if (candidate.keyedBy !== undefined && freshKeyOnTheWay(path, candidate.keyedBy, model)) {
          // A unique key on that column never refuses the retry's row: its value is new.
          const column = candidate.keyedBy.split(':')[0]!.trim().toLowerCase();
          if (candidate.columns) candidate.columns = candidate.columns.filter((name) => name.toLowerCase() !== column);
          delete candidate.keyedBy;
          candidate.freshId = true;
        }
        if (!lookedUpFirst(path, candidate) && !path.some((frame) => guardedByLookup(frame.call, frame.fn, model) || findOrCreate(frame.call, frame.fn))) {
          const later = laterStep(path, candidate.inTransaction === true, model);
          if (found) {
            // After the first: another insert with a fresh id that a failing later step repeats too (another place, another fix).
            if (candidate.store === 'database' && later && candidate.keyedBy === undefined && !sameTransaction(node, current)) also.push({ location: locate(node), text: candidate.text, what: candidate.what, via, later });
            return;
          }
          // A row keyed by the input: its retry fails on the key even when the insert was the last step (a lost completion).
          const keyedLast = !later && candidate.keyedBy !== undefined && !candidate.inTransaction && !keyConflictHandled(path) ? ({ reason: 'keyed' } as const) : undefined;
          const last = !later && candidate.store === 'database' ? (candidate.keyedBy !== undefined ? keyedLast : lastStepRepeat(path, node, candidate, model)) : undefined;
          if ((later && !(candidate.keyedBy !== undefined && keyConflictHandled(path))) || last || candidate.store === 'service') {
            sameTransaction(node, current);
            found = {
              store: candidate.store,
              location: locate(node),
              text: candidate.text,
              what: candidate.what,
              via,
              ...(later ? { later } : {}),
              ...(last ? { last } : {}),
              ...(candidate.keyedBy !== undefined ? { keyedBy: candidate.keyedBy } : {}),
              ...(candidate.sdk ? { sdk: candidate.sdk } : {}),
              ...(candidate.store === 'database' && candidate.target ? { table: candidate.target } : {}),
              ...(candidate.columns ? { columns: candidate.columns } : {}),
            };
            return;
          }
        }
      } else if (ts.isCallExpression(node) && via.length < MAX_CALL_DEPTH) {
        const callee = projectFunctionThroughAlias(node, model);
        if (callee) visitFunction(callee, [...via, locate(node)], [...frames, { fn: current, call: node }], literalFlags(callee, node, flags, model));
      }
      ts.forEachChild(node, visit);
    };
    visit(current.body);
  };
  visitFunction(fn, [], [], new Map());
  if (found && also.length > 0) found.also = also;
  return found ? [found] : [];
}

interface Frame {
  fn: ts.FunctionLikeDeclaration;
  call: ts.Node;
}

/** The arguments the calls on the way pass to the parameters of the functions they reach (set while a call is read as a create). */
let boundArguments = new Map<ts.Node, ts.Expression>();

/** Each function's parameters on the path (the callee of each frame's call, ending with `current`), bound to the arguments the call passes. */
function parameterArguments(frames: Frame[], current: ts.FunctionLikeDeclaration): Map<ts.Node, ts.Expression> {
  const bound = new Map<ts.Node, ts.Expression>();
  frames.forEach((frame, index) => {
    const callee = index + 1 < frames.length ? frames[index + 1]!.fn : current;
    if (!ts.isCallExpression(frame.call)) return;
    const args = frame.call.arguments;
    callee.parameters.forEach((parameter, position) => {
      const argument = args[position];
      if (argument && !parameter.dotDotDotToken && ts.isIdentifier(parameter.name) && !args.slice(0, position + 1).some(ts.isSpreadElement)) bound.set(parameter, argument);
    });
  });
  return bound;
}

interface Candidate {
  store: 'database' | 'service';
  text: string;
  what: string;
  /** Prisma model, table or client: an earlier lookup on it means the code looks before it creates. */
  target?: string;
  /** The receiver of a service call, for `getX`/`listX` on the same client before it. */
  receiver?: string;
  /** A database call on a transaction handle (`tx.insert`, `trx('t').insert`). */
  inTransaction?: boolean;
  /** The insert hands back the new row or its generated id (`RETURNING`, Prisma `create`, `.returning()`, `insertOne`). */
  returnsRow?: boolean;
  /** The row's primary key comes from the input (`id: artifact.id`): a retry fails on it rather than duplicating. */
  keyedBy?: string;
  /** No row sets its primary key (or it is drawn at random): the insert makes a row no earlier lookup by id can find. */
  freshId?: boolean;
  sdk?: { name: string; option: string; example: string };
  /** The columns the rows set, when every row is an object literal with plain names (or the SQL lists them). */
  columns?: string[];
}

const TRANSACTION_HANDLE = /^(tx|trx|txn|transaction|t|manager|entityManager|session)$/;

function createAt(node: ts.Node, functionName: string | undefined, model: TemporalModel): Candidate | undefined {
  if (ts.isTaggedTemplateExpression(node)) return rawSqlInsert(node.template, node, model);
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuterExpressions(node.expression);
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  // Raw SQL: db.query(`INSERT INTO ...`), client.execute('insert into ...').
  const first = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
  if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first) || ts.isTemplateExpression(first))) {
    const raw = rawSqlInsert(first, node, model);
    if (raw) return raw;
  }
  if (!ts.isPropertyAccessExpression(callee)) return httpPost(node, functionName, model);
  const receiver = skipOuterExpressions(callee.expression) as ts.Expression;
  if (PRISMA_CREATE.has(method)) {
    const options = first && ts.isObjectLiteralExpression(first) ? first : undefined;
    const data = options && propertyValue(options, 'data');
    if (!data) return method === 'create' ? stripeCreate(node, receiver, model) : undefined; // not Prisma (an LLM `completions.create(...)`, a factory, Stripe)
    if (method !== 'create' && options && isTrue(propertyValue(options, 'skipDuplicates'))) return undefined;
    if (!rowsReadable(data, model)) return undefined;
    if (rowsKeyed(data, model) && rowsBuilt(data, model)) return undefined;
    const keyedBy = rowsKeyed(data, model) ? inputKey(data, model) : undefined;
    if (rowsKeyed(data, model) && !keyedBy) return undefined;
    const table = ts.isPropertyAccessExpression(receiver) ? receiver.name.text : receiver.getText();
    if ((!keyedBy && setsUniqueField(data, table, model)) || LOG_TABLE.test(table)) return undefined;
    return { store: 'database', text: callText(node), what: `${method === 'create' ? article(table) : ''}${table} row${method === 'create' ? '' : 's'}`, target: table, inTransaction: TRANSACTION_HANDLE.test(rootName(receiver) ?? ''), returnsRow: method === 'create', ...(keyedBy ? { keyedBy } : { freshId: true }), ...withColumns(rowColumns(data, model)) };
  }
  if (method === 'insert' || method === 'insertInto' || method === 'insertOne' || method === 'insertMany') return queryInsert(node, method, receiver, model);
  return serviceCreate(node, method, receiver, model) ?? httpPost(node, functionName, model);
}

/** `INSERT INTO t ...` without ON CONFLICT / ON DUPLICATE KEY / IGNORE / OR REPLACE / WHERE NOT EXISTS, and without an id column. */
function rawSqlInsert(template: ts.Expression, node: ts.Node, model: TemporalModel): Candidate | undefined {
  const text = ts.isTemplateExpression(template) ? template.getText() : (template as ts.StringLiteral).text;
  const match = /^\s*insert\s+into\s+[`"']?([\w.]+)[`"']?\s*(\(([^)]*)\))?/i.exec(text);
  if (!match) return undefined;
  if (/on\s+conflict|on\s+duplicate\s+key|insert\s+(or\s+)?ignore|or\s+replace|not\s+exists|merge\s+into/i.test(text)) return undefined;
  // An id column: the row is keyed by what fills it. Read only `VALUES ($1, ...)` with the values in an
  // array argument whose element for the id is read from a parameter (`[c.id, ...]`): keyed by the input.
  let keyedBy: string | undefined;
  if (match[3] && /(^|[\s,"`])(id|_id)([\s,"`]|$)/i.test(match[3])) {
    keyedBy = ts.isCallExpression(node) ? sqlIdArgument(text, match[3], node, model) : undefined;
    if (!keyedBy) return undefined;
  }
  const table = match[1]!;
  if (LOG_TABLE.test(table)) return undefined;
  const shown = ts.isCallExpression(node) ? callText(node) : `${(node as ts.TaggedTemplateExpression).tag.getText()}\`INSERT INTO ${table} ...\``;
  const handle = ts.isCallExpression(node) ? skipOuterExpressions(node.expression) : (node as ts.TaggedTemplateExpression).tag;
  const root = ts.isPropertyAccessExpression(handle) ? rootName(handle.expression) : ts.isIdentifier(handle) ? handle.text : undefined;
  const columns = ts.isTemplateExpression(template) ? undefined : sqlInsertColumns(text);
  return { store: 'database', text: shown, what: `a row in ${table}`, target: table, inTransaction: TRANSACTION_HANDLE.test(root ?? ''), returnsRow: /\breturning\b/i.test(text), ...(keyedBy ? { keyedBy } : {}), ...withColumns(columns) };
}

/**
 * `INSERT INTO t (id, name) VALUES ($1, $2)` called with `[c.id, c.name]`: the id's value, as
 * `id: c.id`, when it is read from a parameter; undefined otherwise.
 */
function sqlIdArgument(text: string, columnList: string, call: ts.CallExpression, model: TemporalModel): string | undefined {
  const columns = columnList.split(',').map((column) => column.trim().replace(/^[`"']|[`"']$/g, '').toLowerCase());
  const index = columns.findIndex((column) => column === 'id' || column === '_id');
  const values = /\bvalues\s*\(([^)]*)\)/i.exec(text)?.[1]?.split(',').map((value) => value.trim());
  const placeholder = values?.[index];
  const position = placeholder && /^\$\d+$/.test(placeholder) ? Number(placeholder.slice(1)) - 1 : placeholder === '?' && values!.slice(0, index).every((value) => value === '?') ? index : undefined;
  const list = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
  if (position === undefined || !list || !ts.isArrayLiteralExpression(list)) return undefined;
  const element = list.elements[position];
  if (!element || ts.isSpreadElement(element) || !fromParameter(element, model)) return undefined;
  return `${columns[index]}: ${element.getText()}`;
}

/** Drizzle `db.insert(t).values(...)`, Knex `knex('t').insert(rows)`, Supabase `from('t').insert(rows)`, Kysely `insertInto(t)`, Mongo `insertOne`. */
function queryInsert(call: ts.CallExpression, method: string, receiver: ts.Expression, model: TemporalModel): Candidate | undefined {
  const chain = outerChain(call);
  if (chain.some((link) => CONFLICT_NAME.test(link.name))) return undefined;
  const inner = receiverChain(receiver);
  let table: string | undefined;
  let rows: ts.Expression | undefined;
  if (method === 'insertOne' || method === 'insertMany') {
    rows = call.arguments[0];
    table = ts.isPropertyAccessExpression(receiver) ? receiver.name.text : ts.isCallExpression(receiver) ? stringArgument(receiver) : receiver.getText();
  } else if (method === 'insertInto' || chain.some((link) => link.name === 'values')) {
    // Drizzle / Kysely: the table is the argument, the rows come in .values(...).
    table = call.arguments[0] && skipOuterExpressions(call.arguments[0]).getText();
    rows = chain.find((link) => link.name === 'values')?.call.arguments[0];
  } else {
    // Knex `knex('t').insert(rows)` / `trx('t').insert(rows)` / `knex.insert(rows).into('t')`; Supabase `.from('t').insert(rows)`.
    const from = inner.find((link) => link.name === 'from' || link.name === 'table' || link.name === 'into');
    const into = chain.find((link) => link.name === 'into');
    table = from ? stringArgument(from.call) : into ? stringArgument(into.call) : ts.isCallExpression(receiver) ? stringArgument(receiver) : undefined;
    if (!table) return undefined;
    rows = call.arguments[0];
    const options = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
    if (options && ts.isObjectLiteralExpression(options) && (propertyValue(options, 'onConflict') || isTrue(propertyValue(options, 'ignoreDuplicates')) || isTrue(propertyValue(options, 'upsert')))) return undefined;
  }
  if (!table || LOG_TABLE.test(table) || !rows || !rowsReadable(rows, model)) return undefined;
  if (rowsKeyed(rows, model) && rowsBuilt(rows, model)) return undefined;
  const keyedBy = rowsKeyed(rows, model) ? inputKey(rows, model) : undefined;
  if (rowsKeyed(rows, model) && !keyedBy) return undefined;
  return {
    ...(keyedBy ? { keyedBy } : {}),
    store: 'database',
    text: callText(call),
    what: `a row in ${table}`,
    target: table.replace(/^.*\./, ''),
    ...withColumns(rowColumns(rows, model)),
    inTransaction: TRANSACTION_HANDLE.test(rootName(receiver) ?? ''),
    // Supabase `.from('t').insert(row).select()` hands back the inserted rows.
    returnsRow: method === 'insertOne' || chain.some((link) => link.name === 'returning' || link.name === 'returningAll' || (link.name === 'select' && inner.some((from) => from.name === 'from'))),
  };
}

/** An awaited library method named create.../post.../reply... that makes something at a service. */
function serviceCreate(call: ts.CallExpression, method: string, receiver: ts.Expression, model: TemporalModel): Candidate | undefined {
  if (method === 'create') return stripeCreate(call, receiver, model);
  if (!SERVICE_CREATE.test(method) && method !== 'reply') return undefined;
  if (method === 'post') return undefined; // a generic verb: an HTTP client
  if (LOCAL_CREATE.test(method) || POST_NOT_CREATE.test(method)) return undefined;
  const root = rootName(receiver);
  if (root && (LOCAL_RECEIVER.test(root) || RESPONSE_RECEIVER.test(root))) return undefined;
  if (ts.isIdentifier(receiver) && RESPONSE_RECEIVER.test(receiver.text)) return undefined;
  if (!isAwaited(call)) return undefined;
  const project = projectFunction(call, model);
  // A project helper is followed instead, unless it is a client method that posts (then the call is the create).
  if (project && !postsItself(project)) return undefined;
  if (call.arguments.some((argument) => carriesKey(argument, model, 0))) return undefined;
  const client = receiver.getText().replace(/\s+/g, '');
  return { store: 'service', text: callText(call), what: `something at the service behind \`${client}\``, receiver: client };
}

/** Stripe resources whose `create` makes a lasting object (a second one is a real duplicate), by the singular shown. */
const STRIPE_RESOURCES: Record<string, string> = {
  products: 'product', prices: 'price', paymentLinks: 'payment link', webhookEndpoints: 'webhook endpoint', customers: 'customer',
  paymentIntents: 'payment intent', setupIntents: 'setup intent', subscriptions: 'subscription', subscriptionSchedules: 'subscription schedule',
  subscriptionItems: 'subscription item', invoices: 'invoice', invoiceItems: 'invoice item', charges: 'charge', refunds: 'refund',
  transfers: 'transfer', payouts: 'payout', coupons: 'coupon', promotionCodes: 'promotion code', taxRates: 'tax rate', plans: 'plan',
  accounts: 'connected account', creditNotes: 'credit note', quotes: 'quote', topups: 'top-up',
};

/**
 * Stripe `<client>.<resource>.create(params)` with no request options carrying `idempotencyKey`:
 * Stripe recognises a repeated create only by that key, so a retry after a lost answer makes a
 * second live object. Request options the reading cannot see (a variable, a parameter) count as a key.
 */
function stripeCreate(call: ts.CallExpression, receiver: ts.Expression, model: TemporalModel): Candidate | undefined {
  if (!ts.isPropertyAccessExpression(receiver)) return undefined;
  const resource = STRIPE_RESOURCES[receiver.name.text];
  if (!resource || !stripeClient(skipOuterExpressions(receiver.expression) as ts.Expression, model)) return undefined;
  if (!isAwaited(call) && !ts.isReturnStatement(call.parent)) return undefined;
  const options = call.arguments[1];
  if (options) {
    if (rowsBuilt(options, model)) return undefined;
    const objects = rowObjects(options, model);
    if (!objects || objects.some((object) => object.properties.some((property) => ts.isSpreadAssignment(property) || /idempot/i.test(property.name?.getText() ?? '')))) return undefined;
  }
  if (call.arguments.some((argument) => carriesKey(argument, model, 0))) return undefined;
  const client = receiver.getText().replace(/\s+/g, '');
  return {
    store: 'service',
    text: callText(call),
    what: `a Stripe ${resource}`,
    receiver: client,
    sdk: { name: 'Stripe', option: 'idempotencyKey', example: `${client}.create(params, { idempotencyKey })` },
  };
}

/** A Stripe client: named so (`stripe`, `this.stripeClient`), made by `new Stripe(...)`, or typed `Stripe` (directly or by the project function that returns it). */
function stripeClient(client: ts.Expression, model: TemporalModel): boolean {
  if (/^(this\.)?_?stripe\w*$/i.test(client.getText())) return true;
  if (!ts.isIdentifier(client)) return false;
  const declaration = model.declarationOf(client);
  if (!declaration || !(ts.isVariableDeclaration(declaration) || ts.isParameter(declaration))) return false;
  if (declaration.type && /^Stripe$/.test(declaration.type.getText())) return true;
  if (!declaration.initializer) return false;
  let init = skipOuterExpressions(declaration.initializer);
  if (ts.isAwaitExpression(init)) init = skipOuterExpressions(init.expression);
  if (ts.isNewExpression(init)) return /^Stripe$/.test(init.expression.getText());
  if (!ts.isCallExpression(init)) return false;
  const maker = projectFunction(init, model);
  return maker !== undefined && ((maker.type !== undefined && /^(Promise<)?Stripe>?$/.test(maker.type.getText())) || /\bnew\s+Stripe\s*\(/.test(maker.getText()));
}

/** `fetch(url, { method: 'POST' })`, `axios.post(...)` or a helper given `{ method: 'POST' }`, in a function named create... */
function httpPost(call: ts.CallExpression, functionName: string | undefined, model: TemporalModel): Candidate | undefined {
  if (!functionName || !/^create[A-Z_]/.test(functionName) || /(Session|Token|Client|Connection|Signature|Url|URL)$/.test(functionName)) return undefined;
  if (!isAwaited(call) && !ts.isReturnStatement(call.parent)) return undefined;
  const callee = skipOuterExpressions(call.expression);
  const posts =
    call.arguments.some((argument) => {
      const value = skipOuterExpressions(argument);
      if (!ts.isObjectLiteralExpression(value)) return false;
      const method = propertyValue(value, 'method');
      return method !== undefined && (ts.isStringLiteral(method) || ts.isNoSubstitutionTemplateLiteral(method)) && method.text.toUpperCase() === 'POST';
    }) ||
    (ts.isPropertyAccessExpression(callee) && callee.name.text === 'post' && /^(axios|got|ky|http|httpClient|api|apiClient|client|request|superagent)$/i.test(rootName(callee.expression) ?? ''));
  if (!posts || call.arguments.some((argument) => carriesKey(argument, model, 0))) return undefined;
  return { store: 'service', text: callText(call), what: 'something at the service it POSTs to' };
}

/** A project function that itself sends an HTTP request (a client object's `createBot` that fetches). */
function postsItself(fn: ts.FunctionLikeDeclaration): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (name === 'fetch' || name === 'post' || name === 'request') found = true;
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}

// --- rows ------------------------------------------------------------------------------------------

/**
 * Object literals of the rows: the object, an array of them, `items.map((x) => ({...}))`, a variable
 * holding one, or what a project function returns (`buildChildData({...})`, one return). `built`
 * is set when the rows come from such a function: its parameters are not the activity's input.
 */
function rowObjects(node: ts.Expression, model: TemporalModel, depth = 0, built?: { through: boolean }): ts.ObjectLiteralExpression[] | undefined {
  const current = skipOuterExpressions(node) as ts.Expression;
  if (ts.isObjectLiteralExpression(current)) return [current];
  if (ts.isArrayLiteralExpression(current)) {
    const all: ts.ObjectLiteralExpression[] = [];
    for (const element of current.elements) {
      const rows = ts.isSpreadElement(element) ? undefined : rowObjects(element, model, depth + 1, built);
      if (!rows) return undefined;
      all.push(...rows);
    }
    return all;
  }
  if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && current.expression.name.text === 'map') {
    const mapper = current.arguments[0] && skipOuterExpressions(current.arguments[0]);
    if (mapper && (ts.isArrowFunction(mapper) || ts.isFunctionExpression(mapper))) {
      if (ts.isBlock(mapper.body)) {
        const returned = mapper.body.statements.filter(ts.isReturnStatement).map((statement) => statement.expression);
        if (returned.length !== 1 || !returned[0]) return undefined;
        return rowObjects(returned[0], model, depth + 1, built);
      }
      return rowObjects(mapper.body, model, depth + 1, built);
    }
    return undefined;
  }
  if (ts.isCallExpression(current) && depth < 3) {
    // A project function that builds the rows: its one returned value.
    const builder = projectFunction(current, model);
    if (!builder?.body) return undefined;
    const returned = ts.isBlock(builder.body) ? returnedValues(builder.body) : [builder.body];
    if (returned.length !== 1) return undefined;
    if (built) built.through = true;
    return rowObjects(returned[0]!, model, depth + 1, built);
  }
  if (ts.isIdentifier(current) && depth < 3) {
    const declaration = model.declarationOf(current);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) return rowObjects(declaration.initializer, model, depth + 1, built);
    const argument = declaration && ts.isParameter(declaration) ? boundArguments.get(declaration) : undefined;
    if (argument) return rowObjects(argument, model, depth + 1, built);
  }
  return undefined;
}

/** The values a function body returns (not in nested functions); a bare `return` counts as one. */
function returnedValues(body: ts.Block): ts.Expression[] {
  const values: ts.Expression[] = [];
  let bare = false;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node)) {
      if (node.expression) values.push(node.expression);
      else bare = true;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return bare ? [] : values;
}

/** The rows are made by a project function: an id in them may come from anywhere. */
function rowsBuilt(node: ts.Expression, model: TemporalModel): boolean {
  const built = { through: false };
  rowObjects(node, model, 0, built);
  return built.through;
}

function rowsReadable(node: ts.Expression, model: TemporalModel): boolean {
  return rowObjects(node, model) !== undefined;
}

/** A row with a deterministic id (`id: input.id`, not `randomUUID()`) or a property named for an idempotency key. */
function rowsKeyed(node: ts.Expression, model: TemporalModel): boolean {
  const rows = rowObjects(node, model) ?? [];
  return rows.some((row) =>
    row.properties.some((property) => {
      if (ts.isSpreadAssignment(property)) return true; // fields this reading cannot see, an id among them perhaps
      const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : '';
      if (IDEMPOTENCY_KEY.test(name)) return true;
      if (name !== 'id' && name !== '_id') return false;
      const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
      return value !== undefined && !RANDOM_ID.test(value.getText()) && !randomVariable(value, model);
    }),
  );
}

/**
 * The primary key every row takes from the input (`id: artifact.id`, `id: input.runId`, `_id: jobId`
 * with `jobId` a parameter): a retry of the insert gets the same key and fails on it, where a
 * generated id would have made a duplicate. Not for rows that spread fields in or carry a key named
 * for idempotency (left alone as before).
 */
function inputKey(node: ts.Expression, model: TemporalModel): string | undefined {
  const rows = rowObjects(node, model) ?? [];
  let shown: string | undefined;
  for (const row of rows) {
    let key: string | undefined;
    for (const property of row.properties) {
      if (ts.isSpreadAssignment(property)) return undefined;
      const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : '';
      if (IDEMPOTENCY_KEY.test(name)) return undefined;
      if (name !== 'id' && name !== '_id') continue;
      const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
      if (!value || !fromParameter(value, model)) return undefined;
      key = `${name}: ${value.getText()}`;
    }
    if (!key) return undefined;
    shown ??= key;
  }
  return shown;
}

/**
 * The parameter the key is read from is given, by a caller on the way from the activity, a value
 * drawn fresh (`randomUUID()`, a variable holding one): each attempt makes a new key.
 */
function freshKeyOnTheWay(path: Frame[], keyedBy: string, model: TemporalModel): boolean {
  let root = /:\s*([A-Za-z_$][\w$]*)/.exec(keyedBy)?.[1];
  for (let index = path.length - 1; index > 0 && root; index--) {
    const { fn } = path[index]!;
    const position = fn.parameters.findIndex((parameter) => boundNames(parameter.name).includes(root!));
    const call = path[index - 1]!.call;
    if (position < 0 || !ts.isCallExpression(call)) return false;
    const argument = call.arguments[position];
    if (!argument) return false;
    if (RANDOM_ID.test(argument.getText()) || randomVariable(argument, model)) return true;
    let current = skipOuterExpressions(argument);
    while (ts.isPropertyAccessExpression(current) || ts.isNonNullExpression(current)) current = skipOuterExpressions(current.expression);
    root = ts.isIdentifier(current) ? current.text : undefined;
  }
  return false;
}

/** `artifact.id`, `input.run.id`, `runId`: a value read from a parameter (or a name destructured from one). */
function fromParameter(value: ts.Expression, model: TemporalModel): boolean {
  let current = skipOuterExpressions(value);
  while (ts.isPropertyAccessExpression(current) || ts.isNonNullExpression(current)) current = skipOuterExpressions(current.expression);
  if (!ts.isIdentifier(current)) return false;
  let declaration: ts.Node | undefined = model.declarationOf(current);
  while (declaration && (ts.isBindingElement(declaration) || ts.isObjectBindingPattern(declaration) || ts.isArrayBindingPattern(declaration))) declaration = declaration.parent;
  return declaration !== undefined && ts.isParameter(declaration);
}

/**
 * The code handles a conflict on the key: the insert (or the call leading to it) sits in a try
 * whose catch never throws or names a duplicate (`23505`, `P2002`, `unique`, `duplicate`,
 * `already exists`), or has a `.catch(...)` chained on it.
 */
function keyConflictHandled(path: Frame[]): boolean {
  return path.some(({ fn, call }) => {
    for (let child: ts.Node = call, current = call.parent; current && child !== fn; child = current, current = current.parent) {
      if (ts.isTryStatement(current) && current.tryBlock === child && current.catchClause) {
        if (failureDroppedWithin(call, current.parent ?? fn) || /23505|P2002|E11000|ER_DUP|unique|duplicate|already\s*exists|conflict/i.test(current.catchClause.getText())) return true;
      }
      if (ts.isPropertyAccessExpression(current) && current.expression === child && current.name.text === 'catch') return true;
    }
    return false;
  });
}

/**
 * The rows set every field of a unique key of the Prisma model (`@unique`, `@@unique([a, b])` in a
 * schema.prisma of the project): the database refuses a repeat, so the retry cannot duplicate.
 */
function setsUniqueField(data: ts.Expression, table: string, model: TemporalModel): boolean {
  const keys = prismaUniqueKeys(model).get(table.toLowerCase());
  if (!keys) return false;
  const rows = rowObjects(data, model) ?? [];
  return rows.length > 0 && rows.every((row) => {
    const names = new Set(row.properties.map((property) => (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : '')));
    return keys.some((key) => key.every((field) => names.has(field)));
  });
}

function withColumns(columns: string[] | undefined): { columns?: string[] } {
  return columns && columns.length > 0 ? { columns } : {};
}

/** The names every row sets, when each row is an object literal of plain properties (no spread, no computed name). */
function rowColumns(data: ts.Expression, model: TemporalModel): string[] | undefined {
  const rows = rowObjects(data, model);
  if (!rows || rows.length === 0) return undefined;
  let common: Set<string> | undefined;
  for (const row of rows) {
    const names = new Set<string>();
    for (const property of row.properties) {
      if (!(ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) return undefined;
      // A value that may be null (`x || null`, `x ?? undefined`, `null`) never collides on a unique key.
      if (ts.isPropertyAssignment(property) && mayBeNull(property.initializer)) continue;
      names.add(property.name.text);
    }
    common = common ? new Set([...common].filter((name) => names.has(name))) : names;
  }
  return common ? [...common] : undefined;
}

function mayBeNull(value: ts.Expression): boolean {
  const current = skipOuterExpressions(value) as ts.Expression;
  if (current.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(current) && current.text === 'undefined')) return true;
  if (ts.isBinaryExpression(current) && (current.operatorToken.kind === ts.SyntaxKind.BarBarToken || current.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) return mayBeNull(current.right);
  if (ts.isConditionalExpression(current)) return mayBeNull(current.whenTrue) || mayBeNull(current.whenFalse);
  return false;
}

const uniqueKeysCache = new WeakMap<TemporalModel, Map<string, string[][]>>();

/** Unique keys by Prisma model (lower-cased), read from the project's .prisma files. */
function prismaUniqueKeys(model: TemporalModel): Map<string, string[][]> {
  const cached = uniqueKeysCache.get(model);
  if (cached) return cached;
  const keys = new Map<string, string[][]>();
  const files: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 6 || files.length > 20) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.') && entry.name !== 'dist') walk(path.join(dir, entry.name), depth + 1);
      else if (entry.isFile() && entry.name.endsWith('.prisma')) files.push(path.join(dir, entry.name));
    }
  };
  walk(model.root, 0);
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const match of text.matchAll(/^\s*model\s+(\w+)\s*\{([^}]*)\}/gm)) {
      const found: string[][] = [];
      for (const line of match[2]!.split('\n')) {
        const compound = /@@(?:unique|id)\s*\(\s*(?:fields\s*:\s*)?\[([^\]]*)\]/.exec(line);
        if (compound) found.push(compound[1]!.split(',').map((field) => field.trim().replace(/\(.*$/, '')).filter(Boolean));
        else {
          const field = /^\s*(\w+)\s+\S+.*@(unique|id)\b/.exec(line);
          // An @id with a default is made by the database: a row without it gets a new one each time.
          if (field && !(field[2] === 'id' && /@default\(/.test(line))) found.push([field[1]!]);
        }
      }
      if (found.length > 0) keys.set(match[1]!.toLowerCase(), found);
    }
  }
  uniqueKeysCache.set(model, keys);
  return keys;
}

function randomVariable(value: ts.Expression, model: TemporalModel): boolean {
  const current = skipOuterExpressions(value);
  if (!ts.isIdentifier(current)) return false;
  const declaration = model.declarationOf(current);
  return declaration !== undefined && ts.isVariableDeclaration(declaration) && declaration.initializer !== undefined && RANDOM_ID.test(declaration.initializer.getText());
}

// --- lookups ---------------------------------------------------------------------------------------

/** A read of the same table or on the same client before the create, in the function that creates or a caller on the way. */
function lookedUpFirst(path: Frame[], candidate: Candidate): boolean {
  const target = candidate.target?.toLowerCase();
  const receiver = candidate.receiver;
  return path.some(({ fn, call }) => {
    let seen = false;
    const before = call.getStart();
    const visit = (node: ts.Node): void => {
      if (seen || node.getStart() >= before) return;
      if (ts.isCallExpression(node)) {
        const callee = skipOuterExpressions(node.expression);
        if (ts.isPropertyAccessExpression(callee) && LOOKUP_NAME.test(callee.name.text)) {
          const on = skipOuterExpressions(callee.expression);
          const onText = on.getText().replace(/\s+/g, '');
          // prisma.meeting.findFirst; not a lookup by id (`findUnique({ where: { id: parentId } })`) before an insert whose id is new: it cannot find that row.
          if (target && ts.isPropertyAccessExpression(on) && on.name.text.toLowerCase() === target && !(candidate.freshId && lookupById(node))) seen = true;
          if (receiver && onText === receiver) seen = true; // recall.getBot before recall.createBot
          if (target && callee.name.text === 'from' && node.arguments.some((a) => a.getText().replace(/['"`]/g, '').toLowerCase().replace(/^.*\./, '') === target)) seen = true; // select().from(users)
          // Supabase / Knex: `supabase.from('entities').select(...)`, awaited at once or kept in a
          // variable (`let query = ...select(...).eq(...)`, then `await query.maybeSingle()`).
          if (target && /^select$/.test(callee.name.text) && tableOfChain(on) === target) seen = true;
        }
        const first = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
        if (target && first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first) || ts.isTemplateExpression(first))) {
          if (new RegExp(`^\\s*select\\b[\\s\\S]*\\bfrom\\s+[\`"']?${escape(target)}\\b`, 'i').test(first.getText().slice(1, -1))) seen = true;
        }
      }
      ts.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
    return seen;
  });
}

/** The table a query-builder chain starts from: `supabase.from('entities')`, `knex('entities')`, lower-cased. */
function tableOfChain(expression: ts.Node): string | undefined {
  for (let current: ts.Node = expression; ; ) {
    if (ts.isCallExpression(current)) {
      const callee = skipOuterExpressions(current.expression);
      const first = current.arguments[0] && skipOuterExpressions(current.arguments[0]);
      const named = first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) ? first.text.toLowerCase().replace(/^.*\./, '') : undefined;
      if (ts.isPropertyAccessExpression(callee) && /^(from|table)$/.test(callee.name.text)) return named;
      if (ts.isIdentifier(callee) && /^(knex|db|trx)$/i.test(callee.text)) return named;
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      current = skipOuterExpressions(callee.expression);
    } else if (ts.isPropertyAccessExpression(current)) {
      current = skipOuterExpressions(current.expression);
    } else return undefined;
  }
}

/** A Prisma lookup whose only condition is the primary key: `findUnique({ where: { id: parentId } })`. */
function lookupById(call: ts.CallExpression): boolean {
  const options = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  const where = options && ts.isObjectLiteralExpression(options) ? propertyValue(options, 'where') : undefined;
  const condition = where && skipOuterExpressions(where);
  if (!condition || !ts.isObjectLiteralExpression(condition) || condition.properties.length !== 1) return false;
  const property = condition.properties[0]!;
  const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : '';
  return (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) && (name === 'id' || name === '_id');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// --- an insert that is the last step ---------------------------------------------------------------

/** Receivers of database calls: a call on them is a query, not a call to an outside service. */
const DATABASE_RECEIVER = /\b(db|database|pool|knex|prisma|sql|conn|connection|client|tx|trx|pg|postgres|supabase|drizzle|kysely|repo|repository|cache|redis|mongo|collection|model|em|manager|dataSource|queryRunner)\b/i;
/** Methods of an outside client that wait on the network: a connector's fetch, a scraper, an LLM. */
const OUTSIDE_METHOD = /^(fetch|scrape|crawl|execute|generateText|generateObject|streamText|streamObject|generateContent|sendMessage|invoke|ainvoke)$/;
const HTTP_RECEIVER = /^(axios|got|ky|superagent|httpClient|apiClient|api)$/;
const HTTP_METHOD = /^(get|post|put|patch|delete|request)$/;
const LLM_CHAIN = /\.(chat\.completions|completions|messages|responses|embeddings)\.create$/;
/** Code that stops on a cancellation: a timed-out attempt that observes it does not go on to insert. */
const OBSERVES_CANCELLATION = /cancellationSignal|\.cancelled\b|AbortSignal|abortSignal|CancelledFailure/;

/**
 * An insert with no later step that still repeats in a way the code can see: the new row (or its
 * generated id) goes back to the workflow, so a retry after the commit (a worker crash, a lost
 * completion, an attempt past its timeout) leaves a row nothing tracks; or the insert stores the
 * answer of an outside call made just before it (a connector, an LLM, an HTTP request), so an
 * attempt whose call runs past the startToCloseTimeout is retried while it keeps running, and both
 * insert. Only a plain path: no transaction, no callback, no loop around the insert on the way.
 */
function lastStepRepeat(path: Frame[], node: ts.Node, candidate: Candidate, model: TemporalModel): LastStepRepeat | undefined {
  if (candidate.inTransaction) return undefined;
  // One loop on the way is read when each turn's new row is collected into a list the function returns (`ids.push(created.id)`).
  let each = false;
  for (const { fn, call } of path) {
    for (let current = call.parent; current && current !== fn; current = current.parent) {
      if (isLoop(current) && !each && candidate.returnsRow && collectedAndReturned(call, current, fn)) {
        each = true;
        continue;
      }
      if (ts.isFunctionLike(current) || isLoop(current)) return undefined;
      if (ts.isCallExpression(current) && TRANSACTION_NAME.test(calleeName(current))) return undefined;
    }
  }
  if (candidate.returnsRow && path.every(({ fn, call }) => flowsToReturn(call, fn) || (each && collectedAndReturned(call, undefined, fn)))) return each ? { reason: 'returned', each } : { reason: 'returned' };
  if (each) return undefined;
  const own = path[path.length - 1]!;
  if (OBSERVES_CANCELLATION.test(path[0]!.fn.getText()) || OBSERVES_CANCELLATION.test(own.fn.getText())) return undefined;
  const outside = outsideAnswer(node, own.fn, model);
  return outside ? { reason: 'outside', call: { location: locate(outside), text: callText(outside) } } : undefined;
}

/** The expression whose value is the call's: through `await`, parentheses, casts, and the rest of a chain (`.insert(row).select().single()`). */
function valueOf(call: ts.Node): ts.Node {
  let current: ts.Node = call;
  for (;;) {
    const parent = current.parent;
    if (!parent) return current;
    if (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isNonNullExpression(parent)) current = parent;
    else if (ts.isPropertyAccessExpression(parent) && parent.expression === current && parent.parent && ts.isCallExpression(parent.parent) && parent.parent.expression === parent) current = parent.parent;
    else return current;
  }
}

/**
 * The call's value, in a loop of the function, is pushed onto a list declared outside the loop that
 * the function returns: `const created = await create(x); ids.push(created.id)` ... `return ids`.
 */
function collectedAndReturned(call: ts.Node, loop: ts.IterationStatement | undefined, fn: ts.FunctionLikeDeclaration): boolean {
  let enclosing = loop;
  for (let current = call.parent; !enclosing && current && current !== fn; current = current.parent) if (isLoop(current)) enclosing = current;
  if (!enclosing || !fn.body) return false;
  const value = valueOf(call);
  const parent = value.parent;
  const names = parent && ts.isVariableDeclaration(parent) && parent.initializer === value ? new Set(boundNames(parent.name)) : undefined;
  let list: string | undefined;
  const visit = (node: ts.Node): void => {
    if (list || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'push' && ts.isIdentifier(node.expression.expression)) {
      const pushed = node.arguments.some((argument) => argument === value || valueOf(argument) === value || (names !== undefined && mentions(argument, names)));
      if (pushed) list = node.expression.expression.text;
    }
    ts.forEachChild(node, visit);
  };
  visit(enclosing.statement);
  if (!list) return false;
  const listName = list;
  // Declared in the function, outside the loop, and named by a return.
  let declared = false;
  const find = (node: ts.Node): void => {
    if (declared || (ts.isFunctionLike(node) && node !== fn) || node === enclosing) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === listName) declared = true;
    ts.forEachChild(node, find);
  };
  find(fn.body);
  if (!declared) return false;
  // The list itself, or as a property of the returned object (`{ ids }`), not a value computed from it (`ids.length`).
  const isList = (expression: ts.Expression): boolean => {
    const value = skipOuterExpressions(expression);
    if (ts.isIdentifier(value)) return value.text === listName;
    return ts.isObjectLiteralExpression(value) && value.properties.some((property) => (ts.isShorthandPropertyAssignment(property) && property.name.text === listName) || (ts.isPropertyAssignment(property) && isList(property.initializer)));
  };
  let returned = false;
  const findReturn = (node: ts.Node): void => {
    if (returned || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isReturnStatement(node) && node.expression && isList(node.expression)) returned = true;
    ts.forEachChild(node, findReturn);
  };
  findReturn(fn.body);
  return returned;
}

/** The call's value is what the function returns: `return await create(...)`, or a variable holding it that a return names. */
function flowsToReturn(call: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  const current = valueOf(call);
  const parent = current.parent;
  if (!parent) return false;
  if (ts.isReturnStatement(parent) || (parent === fn && ts.isArrowFunction(fn))) return true;
  if (!ts.isVariableDeclaration(parent) || parent.initializer !== current) return false;
  const names = new Set(boundNames(parent.name));
  let returned = false;
  const visit = (node: ts.Node): void => {
    if (returned || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isReturnStatement(node) && node.expression && mentions(node.expression, names, true)) returned = true;
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return returned;
}

function boundNames(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isBindingElement(element) ? boundNames(element.name) : []));
}

/** The node names one of the variables; with `values`, not only through a count of it (`created.length`), which is not the rows. */
function mentions(node: ts.Node, names: Set<string>, values = false): boolean {
  let found = false;
  const visit = (inner: ts.Node): void => {
    if (found) return;
    if (values && ts.isPropertyAccessExpression(inner) && /^(length|size|count)$/.test(inner.name.text) && ts.isIdentifier(inner.expression) && names.has(inner.expression.text)) return;
    if (ts.isIdentifier(inner) && names.has(inner.text) && !(ts.isPropertyAccessExpression(inner.parent) && inner.parent.name === inner)) found = true;
    ts.forEachChild(inner, visit);
  };
  visit(node);
  return found;
}

/**
 * The awaited outside call whose answer the insert stores: a variable the insert's arguments name
 * (directly or through one more variable) holds `await connector.fetch(...)`, `await fetch(url)`,
 * an LLM call, or a project helper that makes one, earlier in the same function.
 */
function outsideAnswer(insert: ts.Node, fn: ts.FunctionLikeDeclaration, model: TemporalModel): ts.CallExpression | undefined {
  const start = insert.getStart();
  const values = ts.isCallExpression(insert) ? insert.arguments : ts.isTaggedTemplateExpression(insert) && ts.isTemplateExpression(insert.template) ? insert.template.templateSpans.map((span) => span.expression) : [];
  const seen = new Set<ts.Node>();
  const from = (node: ts.Node, depth: number): ts.CallExpression | undefined => {
    let result: ts.CallExpression | undefined;
    const visit = (inner: ts.Node): void => {
      if (result) return;
      if (ts.isIdentifier(inner) && !(ts.isPropertyAccessExpression(inner.parent) && inner.parent.name === inner)) {
        let declaration: ts.Node | undefined = model.declarationOf(inner);
        while (declaration && (ts.isBindingElement(declaration) || ts.isObjectBindingPattern(declaration) || ts.isArrayBindingPattern(declaration))) declaration = declaration.parent;
        if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && !seen.has(declaration) && declaration.getStart() < start && withinFunction(declaration, fn)) {
          seen.add(declaration);
          const init = skipOuterExpressions(declaration.initializer);
          const call = ts.isAwaitExpression(init) ? skipOuterExpressions(init.expression) : undefined;
          if (call && ts.isCallExpression(call) && outsideCall(call, model, 0)) result = call;
          else if (depth < 2) result = from(declaration.initializer, depth + 1);
        }
      }
      ts.forEachChild(inner, visit);
    };
    visit(node);
    return result;
  };
  for (const value of values) {
    const found = from(value, 0);
    if (found) return found;
  }
  return undefined;
}

function withinFunction(node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (current === fn) return true;
    if (ts.isFunctionLike(current)) return false;
  }
  return false;
}

/** A call that waits on an outside service: HTTP, an LLM client, a connector or scraper, or a project helper (two deep) that makes one. */
function outsideCall(call: ts.CallExpression, model: TemporalModel, depth: number): boolean {
  const callee = skipOuterExpressions(call.expression);
  const project = projectFunction(call, model);
  if (project) {
    if (depth >= 2 || !project.body) return false;
    let found = false;
    const visit = (node: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(node) && outsideCall(node, model, depth + 1)) found = true;
      ts.forEachChild(node, visit);
    };
    visit(project.body);
    return found;
  }
  if (ts.isIdentifier(callee)) return callee.text === 'fetch' || callee.text === 'axios' || callee.text === 'got' || callee.text === 'generateText' || callee.text === 'generateObject';
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  const receiver = skipOuterExpressions(callee.expression) as ts.Expression;
  const receiverText = receiver.getText().replace(/\s+/g, '');
  if (method === 'create' && LLM_CHAIN.test(callee.getText().replace(/\s+/g, ''))) return true;
  if (HTTP_METHOD.test(method) && HTTP_RECEIVER.test(rootName(receiver) ?? '')) return true;
  return OUTSIDE_METHOD.test(method) && !DATABASE_RECEIVER.test(receiverText) && !LOCAL_RECEIVER.test(rootName(receiver) ?? '');
}

// --- the step after ----------------------------------------------------------------------------------

/**
 * The first awaited step that runs after the create and can fail the attempt: later in the
 * function that creates (after the transaction callback around it, if any), in a `finally`, the
 * next turn of a loop around it, or after the call leading to it in each caller on the way.
 */
export function laterStep(path: Frame[], inTransaction: boolean, model?: TemporalModel): RepeatedCreate['later'] {
  // A transaction in a caller holds everything below it: the search starts after it, in that caller.
  const outer = path.findIndex(({ fn, call }) => outermostTransaction(call, fn) !== undefined);
  // An insert on a transaction handed in (`tx.insert(...)`) whose transaction is out of sight is left alone.
  if (outer < 0 && inTransaction) return undefined;
  const first = outer < 0 ? path.length - 1 : outer;
  for (let index = first; index >= 0; index--) {
    const { fn, call } = path[index]!;
    let start: ts.Node = outermostTransaction(call, fn) ?? call;
    for (let child = start, parent = start.parent; parent && child !== fn.body && child !== fn; child = parent, parent = parent.parent) {
      if (ts.isBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) || ts.isSourceFile(parent)) {
        const statements = parent.statements;
        for (const statement of statements.slice(statements.indexOf(child as ts.Statement) + 1)) {
          const step = awaitedStep(excludingContrary(statement, start, fn), fn, model);
          if (step) return { location: locate(step), text: callText(step), nextIteration: false };
        }
      } else if (ts.isTryStatement(parent) && parent.tryBlock === child && parent.finallyBlock) {
        const step = awaitedStep(parent.finallyBlock, fn, model);
        if (step) return { location: locate(step), text: callText(step), nextIteration: false };
      } else if (isLoop(parent) && parent.statement === child && ts.isCallExpression(start)) {
        // The next turn's create can fail the attempt, unless a catch in the loop drops its failure, or
        // each turn is its own transaction (code that commits item by item is written to be resumed).
        if (!failureDroppedWithin(start, child) && start === call) return { location: locate(start), text: callText(start), nextIteration: true };
      } else if (ts.isFunctionLike(parent) && parent !== fn && isEachCallback(parent) && ts.isCallExpression(start)) {
        if (!failureDroppedWithin(start, child) && start === call) return { location: locate(start), text: callText(start), nextIteration: true };
        return undefined;
      } else if (ts.isFunctionLike(parent) && parent !== fn) {
        // A callback other than a transaction's or a map's: where it runs is not followed.
        return undefined;
      }
    }
    start = call;
  }
  return undefined;
}

/**
 * A following `if` whose condition contradicts one around the create (`if (a) { create }` then
 * `if (b && !a) { ... }`) runs its else branch only: the then branch is not after the create.
 */
function excludingContrary(statement: ts.Statement, start: ts.Node, fn: ts.FunctionLikeDeclaration): ts.Node {
  if (!ts.isIfStatement(statement)) return statement;
  const around = new Set<string>();
  for (let child: ts.Node = start, current = start.parent; current && current !== fn; child = current, current = current.parent) {
    if (ts.isIfStatement(current) && current.thenStatement === child) for (const term of conjuncts(current.expression)) around.add(term);
  }
  const contrary = conjuncts(statement.expression).some((term) => (term.startsWith('!') ? around.has(term.slice(1)) : around.has(`!${term}`)));
  return contrary ? (statement.elseStatement ?? ts.factory.createEmptyStatement()) : statement;
}

function conjuncts(expression: ts.Expression): string[] {
  const current = skipOuterExpressions(expression) as ts.Expression;
  if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return [...conjuncts(current.left), ...conjuncts(current.right)];
  return [current.getText().replace(/\s+/g, '')];
}

/** `a && b` is false when a literal flag makes one side false; otherwise as conditionValue reads it. */
function switchedBy(condition: ts.Expression, flags: Map<ts.Node, boolean>, model: TemporalModel): boolean | undefined {
  const current = skipOuterExpressions(condition) as ts.Expression;
  if (ts.isBinaryExpression(current) && current.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
    return switchedBy(current.left, flags, model) === false || switchedBy(current.right, flags, model) === false ? false : undefined;
  }
  return conditionValue(current, flags, model);
}

/** `(await findPending(qx)) ?? (await createJob(qx))`: the create runs only when the lookup found nothing. */
function findOrCreate(node: ts.Node, fn: ts.FunctionLikeDeclaration): boolean {
  for (let child: ts.Node = node, current = node.parent; current && current !== fn && !ts.isStatement(current); child = current, current = current.parent) {
    if (!ts.isBinaryExpression(current) || current.right !== child) continue;
    const operator = current.operatorToken.kind;
    if (operator !== ts.SyntaxKind.QuestionQuestionToken && operator !== ts.SyntaxKind.BarBarToken) continue;
    let looks = false;
    const visit = (inner: ts.Node): void => {
      if (looks) return;
      if (ts.isCallExpression(inner) && LOOKUP_NAME.test(calleeName(inner))) looks = true;
      ts.forEachChild(inner, visit);
    };
    visit(current.left);
    if (looks) return true;
  }
  return false;
}

function calleeName(call: ts.CallExpression): string {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
}

/**
 * The create sits under an `if` that tests a record the activity looked up
 * (`const enrollment = await db.enrollment.findUnique(...)`; `if (enrollment.status === 'ACTIVE')`):
 * the code checks state before it creates, and a retry reads that state again.
 */
export function guardedByLookup(node: ts.Node, fn: ts.FunctionLikeDeclaration, model: TemporalModel): boolean {
  for (let child: ts.Node = node, current = node.parent; current && current !== fn; child = current, current = current.parent) {
    if (!ts.isIfStatement(current) || (current.thenStatement !== child && current.elseStatement !== child)) continue;
    let looked = false;
    const visit = (inner: ts.Node): void => {
      if (looked) return;
      // A variable named for a record that may exist already (`existingBilling`, `priorJob`).
      if (ts.isIdentifier(inner) && /^(existing|prior|found|previous)/i.test(inner.text)) looked = true;
      if (ts.isIdentifier(inner)) {
        let declaration: ts.Node | undefined = model.declarationOf(inner);
        while (declaration && (ts.isBindingElement(declaration) || ts.isObjectBindingPattern(declaration) || ts.isArrayBindingPattern(declaration))) declaration = declaration.parent;
        if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
          let init = skipOuterExpressions(declaration.initializer);
          if (ts.isAwaitExpression(init)) init = skipOuterExpressions(init.expression);
          // A lookup by name (`findUnique`, `lookupJob`), or a `get...` into a variable named for an existing record.
          const name = ts.isCallExpression(init) ? calleeName(init) : '';
          if (/^(find\w*|lookup\w*)$/.test(name) || (/^get\w*/.test(name) && ts.isIdentifier(inner) && /^(existing|prior|found|current|previous)/i.test(inner.text))) looked = true;
          // Supabase / query builders: `await supabase.from('t').select(...).eq(...).maybeSingle()`.
          if (ts.isCallExpression(init) && /\.select\(/.test(init.getText()) && !/\.(insert|update|upsert|delete)\(/.test(init.getText())) looked = true;
        }
      }
      ts.forEachChild(inner, visit);
    };
    visit(current.expression);
    if (looked) return true;
  }
  return false;
}

/** The outermost transaction call (`prisma.$transaction(async (tx) => ...)`, `db.transaction(...)`) whose callback holds the node, within fn. */
function outermostTransaction(node: ts.Node, fn: ts.FunctionLikeDeclaration): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  for (let current = node.parent; current && current !== fn; current = current.parent) {
    if (ts.isCallExpression(current)) {
      const callee = skipOuterExpressions(current.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      if (TRANSACTION_NAME.test(name)) found = current;
    }
  }
  return found;
}

/** The first awaited call in a statement (not in a nested function, not one whose failure a catch drops, not a log or a sleep). */
function awaitedStep(statement: ts.Node, fn: ts.FunctionLikeDeclaration, model?: TemporalModel): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isAwaitExpression(node)) {
      const call = skipOuterExpressions(node.expression);
      // A Supabase query resolves `{ data, error }` instead of throwing: it fails the attempt only when the code throws on its error.
      if (ts.isCallExpression(call) && !safeCall(call) && !failureDroppedWithin(call, statement) && !(model && quietSupabaseStep(node, fn, model))) {
        found = call;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}

function safeCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  if (SAFE_AWAIT.test(name) && (ts.isIdentifier(callee) || name === 'heartbeat' || LOG_RECEIVER.test((callee as ts.PropertyAccessExpression).expression.getText()))) return true;
  return ts.isPropertyAccessExpression(callee) && LOG_RECEIVER.test(callee.expression.getText());
}

function isLoop(node: ts.Node): node is ts.IterationStatement {
  return ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node) || ts.isWhileStatement(node) || ts.isDoStatement(node);
}

/** A callback given to `map`/`forEach`/`flatMap`: it runs once per item. */
function isEachCallback(fn: ts.Node): boolean {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call)) return false;
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && /^(map|forEach|flatMap)$/.test(callee.name.text);
}

// --- small readings --------------------------------------------------------------------------------

function isAwaited(call: ts.Node): boolean {
  let current = call.parent;
  while (current && (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current))) current = current.parent;
  return current !== undefined && ts.isAwaitExpression(current);
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an ' : 'a ';
}

function isTrue(node: ts.Expression | undefined): boolean {
  return node !== undefined && skipOuterExpressions(node).kind === ts.SyntaxKind.TrueKeyword;
}

function stringArgument(call: ts.CallExpression): string | undefined {
  const first = call.arguments[0] && skipOuterExpressions(call.arguments[0]);
  return first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) ? first.text : first && ts.isIdentifier(first) ? first.text : undefined;
}

/** The calls chained after this one: `db.insert(t).values(v).onConflictDoNothing()` gives values, onConflictDoNothing. */
function outerChain(call: ts.CallExpression): { name: string; call: ts.CallExpression }[] {
  const links: { name: string; call: ts.CallExpression }[] = [];
  let current: ts.Node = call;
  while (current.parent && ts.isPropertyAccessExpression(current.parent) && current.parent.parent && ts.isCallExpression(current.parent.parent)) {
    links.push({ name: current.parent.name.text, call: current.parent.parent });
    current = current.parent.parent;
  }
  return links;
}

/** The calls before this one in its receiver: `supabase.from('t').insert(...)` gives from. */
function receiverChain(receiver: ts.Expression): { name: string; call: ts.CallExpression }[] {
  const links: { name: string; call: ts.CallExpression }[] = [];
  let current = skipOuterExpressions(receiver);
  while (ts.isCallExpression(current) || ts.isPropertyAccessExpression(current)) {
    if (ts.isCallExpression(current)) {
      const callee = skipOuterExpressions(current.expression);
      if (ts.isPropertyAccessExpression(callee)) links.push({ name: callee.name.text, call: current });
      current = skipOuterExpressions(callee);
    } else current = skipOuterExpressions(current.expression);
  }
  return links;
}

function rootName(expression: ts.Expression): string | undefined {
  let current = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(current) || ts.isCallExpression(current) || ts.isElementAccessExpression(current)) {
    current = skipOuterExpressions(current.expression);
  }
  if (ts.isIdentifier(current)) return current.text;
  if (current.kind === ts.SyntaxKind.ThisKeyword) return 'this';
  return undefined;
}

/** The name a function is known by: its own, its method's, or the variable or property it is assigned to. */
function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name))) return fn.name.text;
  const parent = fn.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}
