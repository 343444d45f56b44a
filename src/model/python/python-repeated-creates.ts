// Creates that a retried Python activity makes twice (the TypeScript reading is
// ../typescript/repeated-creates.ts). Read in the activity's body and the project functions and
// methods it calls, two levels down:
//
// - a database insert that is durable before a later step can fail: SQLAlchemy `session.add(x)` /
//   `add_all(...)`, or a Core `session.execute(insert(Model).values(...))` with no conflict clause
//   on any form of the statement, followed by `commit()` on the same session and then another awaited step;
//   raw SQL `INSERT` (without ON CONFLICT / ON DUPLICATE KEY / IGNORE) passed to `execute`, or a
//   Supabase `.table('t').insert(...)`, followed by another awaited step. An insert that is the
//   last step, or that is committed together with everything after it, is left alone: a failure
//   before the commit rolls it back, and after it nothing is left to fail but the commit's answer;
//   except when the added row (or its id) is what the activity returns: a retry after a committed
//   attempt whose completion was lost inserts a second row (`last: returned`; for a Core insert, a
//   `.returning(...)` whose result is returned). A `session.add` or Core insert with no commit of its
//   own is durable when an enclosing `with ...session.begin():` (or `engine.begin()`) closes, in the
//   function or a caller. A function that catches `IntegrityError` is taken to handle the repeat.
// - a call to an outside service that creates something: a library method named `create_...`,
//   `post_...`, `reply_...` or `reply` (`comment.reply(text)`, `client.create_issue(...)`) that
//   no project function is named after; its answer can be lost after the service acted, so it
//   counts even as the last step.
//
// Left alone: a row built with a deterministic id (`Model(id=input.id)`, not `uuid4()`), an
// argument named for an idempotency key, a lookup of the same model or on the same client before
// the create (`select(Model)`, `session.get(Model, ...)`, `client.get_x`, `get_or_create`).

import type { SourceLocation } from '../types.js';
import type { RepeatedSideEffect } from '../typescript/repeated-side-effects.js';
import type { PythonNode } from './parse-python.js';
import type { PythonActivity } from './python-activities.js';
import { functionTarget } from './python-activities.js';
import type { PythonModules } from './python-modules.js';
import { classMembers, descendantsInScope, locateNode, namedChildrenOf, stringLiteral } from './python-syntax.js';
import { helperReturnValue, selfAttributeValue } from './python-attribute-values.js';
import { ALREADY_DONE, outsideSend } from '../outside-sends.js';
import { sqlInsertColumns } from '../declared-unique-keys.js';

export interface PythonRepeatedCreate {
  activity: string;
  activityLocation: SourceLocation;
  effect: RepeatedSideEffect;
}

const HELPER_DEPTH = 2;
/** Tables that keep a row per attempt on purpose: a log, an audit trail, a history. */
const LOG_TABLE = /history|History|audit|Audit|telemetry|metric|(^|_)logs?($|_)|Logs?($|[A-Z_])|^logs?[A-Z]/;
const SERVICE_CREATE = /^(create|post|reply)_\w+$|^reply$|^chat_postMessage$/;
const LOCAL_CREATE =
  /(client|engine|session|task|tasks|connection|pool|context|logger|parser|app|all|index|table|tables|bucket|collection|queue|topic|schema|model|agent|llm|completion|completions|embedding|embeddings|tool|span|tracer|meter|counter|histogram|gauge|subprocess_exec|subprocess_shell|future|server|endpoint|directory|dir|folder|token|signature|hash|url|job|workflow|schedule|handle|graph|chain|prompt|template|key|instance|service|config|factory|handler|message_id|id)$/;
const LOCAL_RECEIVER = /^(os|asyncio|loop|shutil|pathlib|tempfile|subprocess|threading|multiprocessing|concurrent|json|re|time|datetime|logging|logger|log|self)$/;
const KEY_ARGUMENT = /idempot|dedup|request_?id|client_?token|nonce|unique_?id/i;
const RANDOM_ID = /\b(uuid\d?|uuid4|uuid1|uuid7|ulid|token_hex|token_urlsafe|random\w*|cuid|nanoid|ObjectId|time\.time)\s*\(/;
const SAFE_AWAIT = /^(sleep|heartbeat|debug|info|warning|warn|error|exception|critical|log|refresh|close|aclose|quit|disconnect|rollback)$/;
const LOG_RECEIVER = /^(logger|log|logging|LOGGER|LOG|activity\.logger|self\.logger|self\.log)$/;
const LOOKUP_NAME = /^(get\w*|find\w*|list\w*|search\w*|fetch\w*|query|select|filter\w*|exists|count|get_or_create|upsert\w*|merge)$/;

interface Scope {
  fn: PythonNode;
  file: string;
  via: SourceLocation[];
  /** The call in each caller that leads here, outermost first, with its function. */
  frames: Frame[];
}

interface Frame {
  fn: PythonNode;
  call: PythonNode;
  file: string;
}

/** The creates, and the sends through a known provider (an email, a text message, a paid prediction), each activity repeats on a retry. */
export function pythonRepeatedCreates(activities: PythonActivity[], modules: PythonModules): PythonRepeatedCreate[] {
  const found: PythonRepeatedCreate[] = [];
  const projectNames = projectFunctionNames(modules);
  for (const activity of activities) {
    const effect = firstCreate(activity, modules, projectNames);
    if (effect) found.push({ activity: activity.name, activityLocation: activity.location, effect });
    const send = firstSend(activity, modules);
    if (send) found.push({ activity: activity.name, activityLocation: activity.location, effect: send });
  }
  return found;
}

const SEND_DEPTH = 3;

/**
 * The first library call of the activity, in its body or the project functions and methods it
 * calls (three levels down, through `x = Client()`, `self._client`, a factory that returns a
 * project class), that sends through a known provider (outside-sends.ts) with no idempotency key,
 * not under a check of what was sent, and not in a try whose except drops its failure.
 */
function firstSend(activity: PythonActivity, modules: PythonModules): RepeatedSideEffect | undefined {
  return firstInCalls(activity, modules, SEND_DEPTH, (node, scope) => {
    const send = sendAt(node, scope);
    if (!send) return undefined;
    const path = [...scope.frames, { fn: scope.fn, call: node, file: scope.file }];
    if (path.some((frame) => checkedFirst(frame.call, frame.fn) || failureDropped(frame.call, frame.fn))) return 'skip';
    // A loop in a caller around the call leading to the send sends again for the items already done.
    const later = laterStep(path, true);
    return { kind: 'submit', location: locateNode(scope.file, node), text: shortText(node), via: scope.via, send: { ...send, ...(later ? { later } : {}) } };
  });
}

/**
 * Walks the calls of the activity's body and of the project functions and methods they reach
 * (`depth` levels down). `visit` sees each call: a result ends the walk, 'skip' leaves the call
 * without following it, undefined follows it into the project function it names.
 */
function firstInCalls(
  activity: PythonActivity,
  modules: PythonModules,
  depth: number,
  visit: (call: PythonNode, scope: Scope) => RepeatedSideEffect | 'skip' | undefined,
): RepeatedSideEffect | undefined {
  const scopes: Scope[] = [{ fn: activity.node, file: activity.location.file, via: [], frames: [] }];
  const seen = new Set<number>([activity.node.id]);
  for (let index = 0; index < scopes.length; index++) {
    const scope = scopes[index]!;
    const body = scope.fn.childForFieldName('body');
    if (!body) continue;
    let result: RepeatedSideEffect | undefined;
    descendantsInScope(body, (node) => {
      if (result || node.type !== 'call') return;
      const found = visit(node, scope);
      if (found === 'skip') return;
      if (found) {
        result = found;
        return;
      }
      if (scope.via.length >= depth) return;
      const target = callTarget(node, scope, modules);
      if (!target || seen.has(target.node.id)) return;
      seen.add(target.node.id);
      scopes.push({ fn: target.node, file: target.file, via: [...scope.via, locateNode(scope.file, node)], frames: [...scope.frames, { fn: scope.fn, call: node, file: scope.file }] });
    });
    if (result) return result;
  }
  return undefined;
}

/** A call through a known provider with no argument carrying an idempotency key. */
function sendAt(call: PythonNode, scope: Scope): ReturnType<typeof outsideSend> {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'attribute') return undefined;
  const method = callee.childForFieldName('attribute')?.text ?? '';
  const object = callee.childForFieldName('object');
  const written = (object?.text ?? '').replace(/\s+/g, '').replace(/\([^()]*\)/g, '');
  // A local made by a constructor is read as the constructor (`server = smtplib.SMTP(...)`, then
  // `server.sendmail(...)`), so a plainly named connection is still known by its library.
  const made = object ? constructedBy(object) : undefined;
  const receiver = made ? made + written.slice(object!.text.length) : written;
  const args = call.childForFieldName('arguments');
  const first = args ? namedChildrenOf(args)[0]?.text : undefined;
  const send = outsideSend({ method, receiver, ...(first !== undefined ? { firstArgument: first } : {}), imports: (pkg) => importsPackage(scope.fn, pkg) });
  if (!send) return undefined;
  if (args && namedChildrenOf(args).some((argument) => (argument.type === 'keyword_argument' && KEY_ARGUMENT.test(argument.childForFieldName('name')?.text ?? '')) || /idempot|dedup/i.test(argument.text))) return undefined;
  return send;
}

/**
 * The constructor a local name holds, when every value it is given in its function is one call of
 * the same dotted name (`server = smtplib.SMTP(host)`, `with smtplib.SMTP_SSL(host) as conn:`):
 * the dotted name, or undefined (a parameter, an attribute, another value).
 */
function constructedBy(name: PythonNode): string | undefined {
  if (name.type !== 'identifier') return undefined;
  let fn: PythonNode | null = name.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  if (!fn) return undefined;
  const parameters = fn.childForFieldName('parameters');
  if (parameters?.descendantsOfType('identifier').some((p) => p?.text === name.text)) return undefined;
  const made = new Set<string>();
  for (const use of fn.descendantsOfType('identifier')) {
    if (use?.text !== name.text || !use.parent || use.id === name.id) continue;
    const parent = use.parent;
    let value: PythonNode | null | undefined;
    if (parent.type === 'assignment' && parent.childForFieldName('left')?.id === use.id) value = parent.childForFieldName('right');
    else if (parent.type === 'as_pattern_target' && parent.parent?.type === 'as_pattern') value = namedChildrenOf(parent.parent)[0];
    else if (/^(for_statement|for_in_clause|named_expression|augmented_assignment|pattern_list|tuple_pattern|global_statement|nonlocal_statement)$/.test(parent.type)) return undefined;
    else continue;
    const callee = value?.type === 'call' ? value.childForFieldName('function') : undefined;
    if (!callee || !/^(identifier|attribute)$/.test(callee.type)) return undefined;
    made.add(callee.text.replace(/\s+/g, ''));
  }
  return made.size === 1 ? [...made][0] : undefined;
}

function importsPackage(node: PythonNode, pkg: RegExp): boolean {
  let root: PythonNode = node;
  while (root.parent) root = root.parent;
  for (const match of root.text.matchAll(/^\s*(?:import|from)\s+([\w.]+)/gm)) {
    const name = match[1]!;
    if (pkg.test(name) || pkg.test(name.split('.')[0]!)) return true;
  }
  return false;
}

/**
 * The code looks at what was done before the call: an `if` around it, or one before it that
 * returns, raises or continues, whose condition tests a sent, existing or processed state.
 */
function checkedFirst(call: PythonNode, fn: PythonNode): boolean {
  for (let current = call.parent; current && current.id !== fn.id; current = current.parent) {
    if ((current.type === 'if_statement' || current.type === 'elif_clause') && ALREADY_DONE.test(current.childForFieldName('condition')?.text ?? '')) return true;
    if (current.type === 'conditional_expression' && ALREADY_DONE.test(current.text)) return true;
  }
  const body = fn.childForFieldName('body');
  let found = false;
  if (body) {
    descendantsInScope(body, (node) => {
      if (found || node.type !== 'if_statement' || node.startIndex >= call.startIndex) return;
      const consequence = node.childForFieldName('consequence');
      if (ALREADY_DONE.test(node.childForFieldName('condition')?.text ?? '') && consequence && namedChildrenOf(consequence).some((s) => /^(return_statement|raise_statement|continue_statement)$/.test(s.type))) found = true;
    });
  }
  return found;
}

/** The call sits in a try (within fn) whose except clauses never raise: its failure does not fail the attempt. */
function failureDropped(call: PythonNode, fn: PythonNode): boolean {
  for (let current = call.parent; current && current.id !== fn.id; current = current.parent) {
    if (current.type !== 'try_statement') continue;
    const body = current.childForFieldName('body');
    if (!body || call.startIndex < body.startIndex || call.endIndex > body.endIndex) continue;
    const clauses = namedChildrenOf(current).filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
    if (clauses.length > 0 && clauses.every((clause) => !/\braise\b/.test(clause.text))) return true;
  }
  return false;
}

function firstCreate(activity: PythonActivity, modules: PythonModules, projectNames: Set<string>): RepeatedSideEffect | undefined {
  return firstInCalls(activity, modules, HELPER_DEPTH, (node, scope) => {
    const candidate = createAt(node, scope, modules, projectNames);
    if (!candidate) return undefined;
    let path = [...scope.frames, { fn: scope.fn, call: candidate.durableAt ?? node, file: scope.file }];
    if (candidate.needsTransaction || candidate.blockCommits) {
      // session.add with no commit of its own: durable when an enclosing `with session.begin()` closes.
      const calls = [...scope.frames, { fn: scope.fn, call: node, file: scope.file }];
      const index = calls.map((frame) => transactionAround(frame.call, frame.fn)).findLastIndex((found) => found !== undefined);
      if (index < 0 && candidate.needsTransaction) return 'skip';
      if (index >= 0) path = [...calls.slice(0, index), { ...calls[index]!, call: transactionAround(calls[index]!.call, calls[index]!.fn)! }];
    }
    if (lookedUpFirst(path, candidate)) return 'skip';
    // A caught unique violation (`except IntegrityError:` then a lookup) is the code recognising the repeat.
    if (candidate.store === 'database' && [...scope.frames, { fn: scope.fn }].some((frame) => /\b(IntegrityError|UniqueViolation\w*)\b/.test(frame.fn.text))) return 'skip';
    const later = laterStep(path);
    const last = !later && candidate.row && rowReturned([...scope.frames, { fn: scope.fn, call: node, file: scope.file }], candidate.row, candidate.rowResult === true) ? { reason: 'returned' as const } : undefined;
    if (!later && !last && candidate.store === 'database') return 'skip';
    return {
      kind: 'create',
      location: locateNode(scope.file, node),
      text: shortText(node),
      via: scope.via,
      create: {
        store: candidate.store,
        what: candidate.what,
        ...(later ? { later } : {}),
        ...(last ? { last } : {}),
        ...(candidate.sdk ? { sdk: candidate.sdk } : {}),
        ...(candidate.store === 'database' && candidate.target ? { table: candidate.target } : {}),
        ...(candidate.columns ? { columns: candidate.columns } : {}),
      },
    };
  });
}

interface Candidate {
  store: 'database' | 'service';
  what: string;
  /** For session.add: the commit that makes the row durable; later steps count from there. */
  durableAt?: PythonNode;
  /** The model class, table or client text: an earlier lookup of it means the code looks first. */
  target?: string;
  receiver?: string;
  /** session.add with no commit after it in its function: an enclosing `with session.begin()` makes it durable. */
  needsTransaction?: boolean;
  /** Raw SQL: durable at its call (autocommit) or its commit, unless an enclosing `with conn.transaction()` / `begin()` holds it to the block's end. */
  blockCommits?: boolean;
  /** The name bound to the added row (`session.add(row)`, or `row = Model(...)`): a return of it hands the row to the workflow. */
  row?: string;
  /** `row` is the result of an `insert(...).returning(...)`: any read of it (`result.scalar_one()`) is the new row's value. */
  rowResult?: boolean;
  /** A well-known SDK whose create takes an idempotency key the call does not pass (Stripe). */
  sdk?: { name: string; option: string; example: string };
  /** The columns the insert sets, when the SQL lists them. */
  columns?: string[];
}

function createAt(call: PythonNode, scope: Scope, modules: PythonModules, projectNames: Set<string>): Candidate | undefined {
  const callee = call.childForFieldName('function');
  if (!callee || callee.type !== 'attribute') return undefined;
  const method = callee.childForFieldName('attribute')?.text ?? '';
  const receiver = callee.childForFieldName('object');
  if (!receiver) return undefined;
  const args = call.childForFieldName('arguments');
  // SQLAlchemy: session.add(Model(...)) / add_all([...]) made durable by a later commit on the same session.
  if ((method === 'add' || method === 'add_all') && /session|db|sess/i.test(receiver.text)) {
    const row = args ? namedChildrenOf(args)[0] : undefined;
    const model = row ? constructedModel(row, scope) : undefined;
    if (!model || model.keyed || LOG_TABLE.test(model.name)) return undefined;
    const commit = commitAfter(call, receiver.text, scope.fn);
    const what = `${article(model.name)}${model.name} row`;
    const rowName = method === 'add' && row?.type === 'identifier' ? row.text : undefined;
    if (!commit) return { store: 'database', what, needsTransaction: true, target: model.name, ...(rowName ? { row: rowName } : {}) };
    return { store: 'database', what, durableAt: commit, target: model.name, ...(rowName ? { row: rowName } : {}) };
  }
  // Raw SQL through execute(...) / text(...), or asyncpg's fetch/fetchrow/fetchval: INSERT without a conflict clause.
  if (method === 'execute' || method === 'executemany' || method === 'fetchrow' || method === 'fetchval' || method === 'fetch') {
    const first = args ? namedChildrenOf(args)[0] : undefined;
    // SQLAlchemy Core: execute(insert(Model).values(...)), durable like session.add (a commit after it, or an enclosing begin()).
    const core = first ? coreInsert(first, call, scope) : undefined;
    if (core === 'idempotent') return undefined;
    if (core && (method === 'execute' || method === 'executemany')) {
      if (core.keyed || LOG_TABLE.test(core.name)) return undefined;
      const what = `${article(core.name)}${core.name} row`;
      const rowName = core.returning ? resultName(call) : undefined;
      const row = rowName ? { row: rowName, rowResult: true } : {};
      const commit = commitAfter(call, receiver.text, scope.fn);
      if (!commit) return { store: 'database', what, needsTransaction: true, target: core.name, ...row };
      return { store: 'database', what, durableAt: commit, target: core.name, ...row };
    }
    const sql = first ? sqlText(first) : undefined;
    const match = sql ? /^\s*insert\s+into\s+[`"']?([\w.]+)/i.exec(sql) : null;
    if (!match || /on\s+conflict|on\s+duplicate\s+key|insert\s+(or\s+)?ignore|or\s+replace|not\s+exists/i.test(sql!)) return undefined;
    if (sqlKeyed(sql!) || LOG_TABLE.test(match[1]!)) return undefined;
    // `row = await conn.fetchrow("INSERT ... RETURNING *")`: the new row, which a return can hand to the workflow.
    const rowName = /\breturning\b/i.test(sql!) ? resultName(call) : undefined;
    // A commit on the same session or connection after it makes it durable (SQLAlchemy `text(...)`); asyncpg commits at once.
    const commit = commitAfter(call, receiver.text, scope.fn);
    const listed = sqlInsertColumns(sql!);
    const columns = listed ? { columns: listed } : {};
    return { store: 'database', what: `a row in ${match[1]}`, target: match[1]!.replace(/^.*\./, ''), ...columns, blockCommits: true, ...(commit ? { durableAt: commit } : {}), ...(rowName ? { row: rowName, rowResult: true } : {}) };
  }
  // Supabase: client.table('t').insert(rows).execute()
  if (method === 'insert' && receiver.type === 'call') {
    const inner = receiver.childForFieldName('function');
    const innerName = inner?.type === 'attribute' ? inner.childForFieldName('attribute')?.text : undefined;
    if (innerName !== 'table' && innerName !== 'from_') return undefined;
    const table = stringLiteral(namedChildrenOf(receiver.childForFieldName('arguments')!)[0]!) ?? undefined;
    if (!table || LOG_TABLE.test(table) || /on_conflict|upsert|ignore_duplicates/.test(call.parent?.parent?.text ?? '')) return undefined;
    const rows = args ? namedChildrenOf(args)[0] : undefined;
    if (!rows || rows.type !== 'dictionary' || dictionaryKeyed(rows)) return undefined;
    return { store: 'database', what: `a row in ${table}`, target: table };
  }
  // Stripe: `stripe.Product.create(...)`, `stripe_client.products.create(...)` without `idempotency_key`.
  if (method === 'create' || method === 'create_async') {
    const stripe = stripeCreate(receiver, args);
    if (stripe !== undefined) return stripe === false ? undefined : stripe;
  }
  // A library method that creates something at a service.
  if (!SERVICE_CREATE.test(method) || LOCAL_CREATE.test(method) || /^post_(log_?in|log_?out|auth\w*|sign_?(in|out|up)|query|search|graphql|form|json|request|data|raw)$/.test(method)) return undefined;
  const root = rootName(receiver);
  if (root && LOCAL_RECEIVER.test(root)) return undefined;
  if (projectNames.has(method) || functionTarget(callee, scope.fn, scope.file, modules)) return undefined;
  if (args && namedChildrenOf(args).some((argument) => argument.type === 'keyword_argument' && KEY_ARGUMENT.test(argument.childForFieldName('name')?.text ?? ''))) return undefined;
  return { store: 'service', what: `something at the service behind \`${receiver.text}\``, receiver: receiver.text };
}

/** Stripe resources whose create makes a lasting object: the class (`stripe.Product`) and the StripeClient service (`client.products`). */
const STRIPE_CLASSES: Record<string, string> = {
  Product: 'product', Price: 'price', PaymentLink: 'payment link', WebhookEndpoint: 'webhook endpoint', Customer: 'customer',
  PaymentIntent: 'payment intent', SetupIntent: 'setup intent', Subscription: 'subscription', SubscriptionSchedule: 'subscription schedule',
  SubscriptionItem: 'subscription item', Invoice: 'invoice', InvoiceItem: 'invoice item', Charge: 'charge', Refund: 'refund',
  Transfer: 'transfer', Payout: 'payout', Coupon: 'coupon', PromotionCode: 'promotion code', TaxRate: 'tax rate', Plan: 'plan',
  Account: 'connected account', CreditNote: 'credit note', Quote: 'quote', Topup: 'top-up',
};
const STRIPE_SERVICES: Record<string, string> = Object.fromEntries(
  Object.entries(STRIPE_CLASSES).map(([name, shown]) => [`${name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}s`, shown]),
);

/**
 * A Stripe create (`stripe.Customer.create(...)`, or `<stripe client>.customers.create(...)`):
 * a candidate when no `idempotency_key` (or `options`, or `**kwargs` the reading cannot see) is
 * passed; false when one is; undefined when the call is not Stripe's.
 */
function stripeCreate(receiver: PythonNode, args: PythonNode | null | undefined): Candidate | false | undefined {
  if (receiver.type !== 'attribute') return undefined;
  const resource = receiver.childForFieldName('attribute')?.text ?? '';
  const client = receiver.childForFieldName('object');
  if (!client) return undefined;
  const shown = client.text === 'stripe' ? STRIPE_CLASSES[resource] : /(^|\.|_)stripe(_?client)?$/i.test(client.text) ? STRIPE_SERVICES[resource] : undefined;
  if (!shown) return undefined;
  const passed = args ? namedChildrenOf(args) : [];
  if (passed.some((argument) => argument.type === 'dictionary_splat' || (argument.type === 'keyword_argument' && /^(idempotency_key|options)$/.test(argument.childForFieldName('name')?.text ?? '')))) return false;
  if (passed.some((argument) => argument.type === 'keyword_argument' && KEY_ARGUMENT.test(argument.childForFieldName('name')?.text ?? ''))) return false;
  const option = 'idempotency_key';
  const example = client.text === 'stripe' ? `${receiver.text}.create(..., idempotency_key=key)` : `${receiver.text}.create(params, options={"idempotency_key": key})`;
  return { store: 'service', what: `a Stripe ${shown}`, receiver: receiver.text, sdk: { name: 'Stripe', option, example } };
}

/** The class a row is built from (`Model(...)`, or a variable assigned one in the function), and whether it gets a deterministic id. */
function constructedModel(row: PythonNode, scope: Scope): { name: string; keyed: boolean } | undefined {
  let construction: PythonNode | undefined = row.type === 'call' ? row : undefined;
  if (row.type === 'identifier') {
    descendantsInScope(scope.fn, (node) => {
      if (construction || node.type !== 'assignment') return;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.text === row.text && right?.type === 'call') construction = right;
    });
  }
  if (!construction) return undefined;
  const fn = construction.childForFieldName('function');
  const name = fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  if (!name || !/^[A-Z]/.test(name)) return undefined; // a model class, by convention capitalised
  const args = construction.childForFieldName('arguments');
  const keyed = args
    ? namedChildrenOf(args).some((argument) => {
        if (argument.type === 'dictionary_splat') return true;
        if (argument.type !== 'keyword_argument') return false;
        const key = argument.childForFieldName('name')?.text ?? '';
        const value = argument.childForFieldName('value')?.text ?? '';
        return KEY_ARGUMENT.test(key) || ((key === 'id' || key === '_id') && !RANDOM_ID.test(value));
      })
    : false;
  return { name, keyed };
}

function dictionaryKeyed(dictionary: PythonNode): boolean {
  return namedChildrenOf(dictionary).some((pair) => {
    if (pair.type !== 'pair') return pair.type === 'dictionary_splat';
    const key = stringLiteral(pair.childForFieldName('key')!) ?? '';
    const value = pair.childForFieldName('value')?.text ?? '';
    return KEY_ARGUMENT.test(key) || ((key === 'id' || key === '_id') && !RANDOM_ID.test(value));
  });
}

/** The first `<session>.commit()` after the add, in the statements that follow it in the same function. */
function commitAfter(add: PythonNode, session: string, fn: PythonNode): PythonNode | undefined {
  let found: PythonNode | undefined;
  forEachFollowing(add, fn, (statement) => {
    if (found) return true;
    const visit = (node: PythonNode): void => {
      if (found) return;
      if (node.type === 'call') {
        const callee = node.childForFieldName('function');
        if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'commit' && callee.childForFieldName('object')?.text === session) found = node;
      }
      descendantsInScope(node, (child) => {
        if (!found && child.type === 'call') visit(child);
      });
    };
    visit(statement);
    return found !== undefined;
  });
  return found;
}

/**
 * The first awaited step after `node` (the create, or the commit that makes it durable) that can
 * fail the attempt, in the function and after the call leading to it in each caller; for a loop
 * around the create, the create itself on the next turn.
 */
function laterStep(path: Frame[], callerLoops = false): NonNullable<RepeatedSideEffect['create']>['later'] {
  for (let index = path.length - 1; index >= 0; index--) {
    const { fn, call, file } = path[index]!;
    let later: NonNullable<RepeatedSideEffect['create']>['later'];
    const loop = forEachFollowing(call, fn, (statement) => {
      const step = awaitedStep(statement);
      if (step) later = { location: locateNode(file, step), text: shortText(step), nextIteration: false };
      return step !== undefined;
    });
    if (later) return later;
    if (loop && (index === path.length - 1 || callerLoops)) return { location: locateNode(file, call), text: shortText(call), nextIteration: true };
  }
  return undefined;
}

/**
 * Calls `visit` on each statement that runs after `node` in its function (following statements in
 * each enclosing block, a `finally`), stopping when it returns true. Returns true when a loop of
 * the function encloses the node (its next turn runs the node again).
 */
function forEachFollowing(node: PythonNode, fn: PythonNode, visit: (statement: PythonNode) => boolean): boolean {
  let inLoop = false;
  for (let child: PythonNode = node, parent = node.parent; parent && child.id !== fn.id; child = parent, parent = parent.parent) {
    if (parent.type === 'block' || parent.type === 'module') {
      let started = false;
      for (const statement of namedChildrenOf(parent)) {
        if (started && visit(statement)) return inLoop;
        if (statement.id === child.id) started = true;
      }
      const owner = parent.parent;
      if (owner && (owner.type === 'for_statement' || owner.type === 'while_statement') && owner.childForFieldName('body')?.id === parent.id) inLoop = true;
      if (owner?.type === 'try_statement') {
        const final = namedChildrenOf(owner).find((c) => c.type === 'finally_clause');
        if (final && visit(final)) return inLoop;
      }
    }
    if (parent.type === 'function_definition' || parent.type === 'lambda') break;
  }
  return inLoop;
}

/** The first awaited call of a statement that can fail: not a log, a sleep or a heartbeat, not under a try whose except never raises. */
function awaitedStep(statement: PythonNode): PythonNode | undefined {
  let found: PythonNode | undefined;
  const visit = (node: PythonNode): void => {
    if (found) return;
    if (node.type === 'await') {
      const call = namedChildrenOf(node)[0];
      if (call?.type === 'call' && !safeCall(call) && !dropped(call, statement)) {
        found = call;
        return;
      }
    }
    descendantsInScope(node, (child) => {
      if (!found && child.type === 'await') visit(child);
    });
  };
  visit(statement);
  return found;
}

function safeCall(call: PythonNode): boolean {
  const callee = call.childForFieldName('function');
  if (!callee) return true;
  const name = callee.type === 'attribute' ? (callee.childForFieldName('attribute')?.text ?? '') : callee.text;
  const receiver = callee.type === 'attribute' ? (callee.childForFieldName('object')?.text ?? '') : '';
  return SAFE_AWAIT.test(name) || LOG_RECEIVER.test(receiver);
}

/** Inside a try (within the statement) whose except clauses never raise: its failure does not fail the attempt. */
function dropped(call: PythonNode, statement: PythonNode): boolean {
  for (let current = call.parent; current && current.id !== statement.parent?.id; current = current.parent) {
    if (current.type === 'try_statement') {
      const clauses = namedChildrenOf(current).filter((c) => c.type === 'except_clause');
      if (clauses.length > 0 && clauses.every((clause) => !/\braise\b/.test(clause.text))) {
        const body = current.childForFieldName('body');
        if (body && call.startIndex >= body.startIndex && call.endIndex <= body.endIndex) return true;
      }
    }
  }
  return false;
}

/** A read of the same model or table, or on the same client, before the create. */
function lookedUpFirst(path: Frame[], candidate: Candidate): boolean {
  return path.some(({ fn, call }) => {
    let seen = false;
    const body = fn.childForFieldName('body');
    if (!body) return false;
    descendantsInScope(body, (node) => {
      if (seen || node.type !== 'call' || node.startIndex >= call.startIndex) return;
      const callee = node.childForFieldName('function');
      const name = callee?.type === 'attribute' ? (callee.childForFieldName('attribute')?.text ?? '') : (callee?.text ?? '');
      const receiver = callee?.type === 'attribute' ? (callee.childForFieldName('object')?.text ?? '') : '';
      if (name === 'get_or_create') seen = true;
      if (candidate.receiver && receiver === candidate.receiver && LOOKUP_NAME.test(name)) seen = true;
      if (candidate.target && (LOOKUP_NAME.test(name) || name === 'execute' || name === 'scalar' || name === 'scalars')) {
        const text = node.text;
        if (new RegExp(`\\b${candidate.target}\\b`).test(text) && /select|query|get|from|filter/i.test(text)) seen = true;
      }
    });
    return seen;
  });
}

/**
 * The outermost `with ... <session>.begin():` (or asyncpg `async with conn.transaction():`) statement
 * around the call in its function (its end commits), if any.
 */
function transactionAround(call: PythonNode, fn: PythonNode): PythonNode | undefined {
  let found: PythonNode | undefined;
  for (let current = call.parent; current && current.id !== fn.id; current = current.parent) {
    if (current.type !== 'with_statement') continue;
    const clause = namedChildrenOf(current).find((child) => child.type === 'with_clause');
    if (clause && /\b\w*(session|sess|db|engine|conn|connection)\w*(\(\s*\))?\.(begin|transaction)\(\s*\)/i.test(clause.text)) found = current;
  }
  return found;
}

/** Database functions that draw a fresh id: a row whose id column takes one is not keyed. */
const SQL_RANDOM_ID = /^\s*(gen_random_uuid|uuid_generate_v[14]\w*|uuid_generate_v7|uuidv[47]|newid|uuid)\s*\(\s*\)(\s*::\s*\w+)?\s*$/i;

/**
 * The INSERT sets its id column (`INSERT INTO t (id, ...)`) from something other than a fresh id
 * drawn by the database (`gen_random_uuid()`): a deterministic id, which a retry meets.
 */
function sqlKeyed(sql: string): boolean {
  const match = /^\s*insert\s+into\s+[`"']?[\w.]+[`"']?\s*\(([^)]*)\)\s*values\s*\(/i.exec(sql);
  if (!match) return /\(\s*[`"]?(id|_id)[`"]?\s*[,)]/i.test(sql);
  const columns = match[1]!.split(',').map((column) => column.trim().replace(/^[`"]|[`"]$/g, '').toLowerCase());
  const index = columns.findIndex((column) => column === 'id' || column === '_id');
  if (index < 0) return false;
  const values = topLevelItems(sql.slice(match.index + match[0].length));
  const value = values?.[index];
  return value === undefined || !SQL_RANDOM_ID.test(value);
}

/** The comma-separated items of a parenthesised list whose opening parenthesis was just read, up to its closing one. */
function topLevelItems(text: string): string[] | undefined {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') {
      if (depth === 0) return [...items, current];
      depth--;
    }
    if (char === ',' && depth === 0) {
      items.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  return undefined;
}

/**
 * The added row goes back to the workflow: the function with the add returns the row (or a value
 * read from it, directly or through one variable), and each caller returns what the call gave it.
 */
function rowReturned(calls: Frame[], row: string, anyRead = false): boolean {
  for (let index = calls.length - 1; index >= 0; index--) {
    const { fn, call } = calls[index]!;
    if (index === calls.length - 1) {
      if (!returnsName(fn, row, anyRead)) return false;
      continue;
    }
    let current: PythonNode = call;
    while (current.parent && (current.parent.type === 'await' || current.parent.type === 'parenthesized_expression')) current = current.parent;
    const parent = current.parent;
    if (parent?.type === 'return_statement') continue;
    if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== current.id) return false;
    const left = parent.childForFieldName('left');
    if (left?.type !== 'identifier' || !returnsName(fn, left.text)) return false;
  }
  return true;
}

/** A return of the function mentions the name, or a variable assigned from an expression mentioning it. */
function returnsName(fn: PythonNode, name: string, anyRead = false): boolean {
  const names = new Set([name]);
  // The row itself or its id (`row`, `row.id`, `row.scan_id`), not another field such as `row.name`;
  // for the result of an `insert(...).returning(...)`, any read of it (`result.scalar_one()`).
  const names_ = (child: PythonNode): boolean => {
    if (child.type !== 'identifier' || !names.has(child.text)) return false;
    const parent = child.parent;
    if (parent?.type !== 'attribute') return true;
    if (parent.childForFieldName('attribute')?.id === child.id) return false;
    if (anyRead && child.text === name) return parent.childForFieldName('attribute')?.text !== 'rowcount';
    return /^(id|pk|uuid|ulid|\w+_id)$/.test(parent.childForFieldName('attribute')?.text ?? '');
  };
  const mentions = (node: PythonNode | null | undefined): boolean => {
    if (!node) return false;
    if (node.type === 'identifier') return names.has(node.text);
    let found = false;
    descendantsInScope(node, (child) => {
      if (!found && names_(child)) found = true;
    });
    return found;
  };
  const body = fn.childForFieldName('body');
  if (!body) return false;
  descendantsInScope(body, (node) => {
    // A list the row is appended to (`approvals.append(approval)`): returning the list, or an item of it, returns the row.
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const list = callee?.type === 'attribute' ? callee.childForFieldName('object') : undefined;
      const args = node.childForFieldName('arguments');
      if (list?.type === 'identifier' && /^(append|extend|insert)$/.test(callee!.childForFieldName('attribute')?.text ?? '') && args && namedChildrenOf(args).some((argument) => argument.type === 'identifier' && names.has(argument.text))) names.add(list.text);
      return;
    }
    if (node.type !== 'assignment') return;
    const left = node.childForFieldName('left');
    if (left?.type === 'identifier' && mentions(node.childForFieldName('right'))) names.add(left.text);
  });
  let returned = false;
  descendantsInScope(body, (node) => {
    if (!returned && node.type === 'return_statement' && mentions(namedChildrenOf(node)[0])) returned = true;
  });
  return returned;
}

/** A project function or method the call reaches: plain functions, `self.x`, and `repo.x` on a `repo = Class(...)` of the function. */
function callTarget(call: PythonNode, scope: Scope, modules: PythonModules): { file: string; node: PythonNode } | undefined {
  const callee = call.childForFieldName('function');
  if (!callee) return undefined;
  const direct = functionTarget(callee, scope.fn, scope.file, modules);
  if (direct) return direct;
  if (callee.type !== 'attribute') return undefined;
  const object = callee.childForFieldName('object');
  const method = callee.childForFieldName('attribute')?.text;
  if (!object || !method) return undefined;
  // `self._client.run(...)` with `self._client = ReplicateClient()` written once (in __init__).
  if (object.type === 'attribute') {
    const written = selfAttributeValue(object, scope.file, modules);
    if (!written || written === 'unknown' || written.node.type !== 'call') return undefined;
    return methodOfConstruction(written.node, written.file, method, modules);
  }
  if (object.type !== 'identifier') return undefined;
  // `EmailService.send_via_smtp(...)`: a static or class method called on a project class (imported
  // at the top of the file or inside the function).
  if (/^[A-Z]/.test(object.text)) {
    const definition = modules.lookupAt(scope.file, object.text, call) ?? onlyClassNamed(object.text, modules);
    if (definition?.kind === 'class') {
      const member = classMembers(definition.node).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === method);
      const decorators = member?.parent?.type === 'decorated_definition' ? namedChildrenOf(member.parent).filter((d) => d.type === 'decorator').map((d) => d.text) : [];
      return member && decorators.some((d) => /^@(staticmethod|classmethod)$/.test(d)) ? { file: definition.file, node: member } : undefined;
    }
  }
  let className: string | undefined;
  let made: PythonNode | undefined;
  descendantsInScope(scope.fn, (node) => {
    if (className || made || node.type !== 'assignment' || node.childForFieldName('left')?.text !== object.text) return;
    const right = node.childForFieldName('right');
    const fn = right?.type === 'call' ? right.childForFieldName('function') : undefined;
    if (fn?.type === 'identifier' && modules.lookupAt(scope.file, fn.text, node)?.kind === 'function') made = right!;
    else if (fn?.type === 'identifier') className = fn.text;
  });
  // `notification = make_notification()`: a project factory whose one return builds a project class.
  if (made) {
    const returned = helperReturnValue(made, scope.file, modules);
    if (returned?.node.type === 'identifier') {
      // `get_database()` returning `_instance`, set by `_instance = Database()` in the factory: a lazily made singleton.
      const construction = singletonConstruction(returned.node);
      return construction ? methodOfConstruction(construction, returned.file, method, modules) : undefined;
    }
    return returned && returned.node.type === 'call' ? methodOfConstruction(returned.node, returned.file, method, modules) : undefined;
  }
  if (!className) {
    // A module-level instance: `_repo = Repository()` at the top of the file.
    let root: PythonNode = scope.fn;
    while (root.parent) root = root.parent;
    for (const statement of namedChildrenOf(root)) {
      const assignment = statement.type === 'expression_statement' ? namedChildrenOf(statement)[0] : undefined;
      if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== object.text) continue;
      const right = assignment.childForFieldName('right');
      const fn = right?.type === 'call' ? right.childForFieldName('function') : undefined;
      if (fn?.type === 'identifier') className = fn.text;
    }
  }
  if (!className) return undefined;
  const definition = modules.lookupAt(scope.file, className, call);
  if (definition?.kind !== 'class') return undefined;
  const member = classMembers(definition.node).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === method);
  return member ? { file: definition.file, node: member } : undefined;
}

/**
 * The one construction a factory's returned name is given in the factory itself (`_instance =
 * Database()` under `global _instance`, then `return _instance`); none when it is given anything else there.
 */
function singletonConstruction(returned: PythonNode): PythonNode | undefined {
  let fn: PythonNode | null = returned.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  const body = fn?.childForFieldName('body');
  if (!body) return undefined;
  const made: PythonNode[] = [];
  let other = false;
  descendantsInScope(body, (node) => {
    if (node.type !== 'assignment' || node.childForFieldName('left')?.text !== returned.text) return;
    const right = node.childForFieldName('right');
    if (right?.type === 'call' && right.childForFieldName('function')?.type === 'identifier') made.push(right);
    else other = true;
  });
  return made.length === 1 && !other ? made[0] : undefined;
}

/** The method `name` of the project class a construction (`ReplicateClient(...)`) builds. */
function methodOfConstruction(construction: PythonNode, file: string, name: string, modules: PythonModules): { file: string; node: PythonNode } | undefined {
  const fn = construction.childForFieldName('function');
  if (fn?.type !== 'identifier') return undefined;
  const definition = modules.lookupAt(file, fn.text, construction) ?? onlyClassNamed(fn.text, modules);
  if (definition?.kind !== 'class') return undefined;
  const member = classMembers(definition.node).find((m) => m.type === 'function_definition' && m.childForFieldName('name')?.text === name);
  return member ? { file: definition.file, node: member } : undefined;
}

/** The one class of the project with this name (a class imported inside a function is not in the file's bindings). */
function onlyClassNamed(name: string, modules: PythonModules): { kind: 'class'; file: string; node: PythonNode } | undefined {
  const found: { kind: 'class'; file: string; node: PythonNode }[] = [];
  for (const [file, parsed] of modules.files) {
    for (const statement of namedChildrenOf(parsed.tree.rootNode)) {
      const definition = statement.type === 'decorated_definition' ? statement.childForFieldName('definition') : statement;
      if (definition?.type === 'class_definition' && definition.childForFieldName('name')?.text === name) found.push({ kind: 'class', file, node: definition });
    }
  }
  return found.length === 1 ? found[0] : undefined;
}

/** The names of every function and method defined in the project: a method named so is project code. */
function projectFunctionNames(modules: PythonModules): Set<string> {
  const names = new Set<string>();
  for (const parsed of modules.files.values()) {
    const visit = (node: PythonNode): void => {
      if (node.type === 'function_definition') {
        const name = node.childForFieldName('name')?.text;
        if (name) names.add(name);
      }
      for (const child of namedChildrenOf(node)) visit(child);
    };
    visit(parsed.tree.rootNode);
  }
  return names;
}

/** A conflict clause or a copy from a select (which may filter the rows already there): the insert recognises a repeat. */
const CORE_IDEMPOTENT = /on_conflict_do_(nothing|update)|on_duplicate_key_update|prefix_with\([^)]*\b(IGNORE|REPLACE)\b|\.from_select\(|\.merge\(/i;

/**
 * A SQLAlchemy Core insert passed to execute: `insert(Model).values(...)` (`insert` imported from
 * sqlalchemy or one of its dialects, or `sa.insert`), given directly or through a variable assigned
 * earlier in the function. 'idempotent' when any form of the statement has a conflict clause.
 */
function coreInsert(statement: PythonNode, call: PythonNode, scope: Scope): { name: string; keyed: boolean; returning: boolean } | 'idempotent' | undefined {
  const forms: PythonNode[] = [];
  const seen = new Set<number>();
  const collect = (expression: PythonNode, depth: number): void => {
    if (seen.has(expression.id) || depth > 4) return;
    seen.add(expression.id);
    forms.push(expression);
    const root = chainRoot(expression);
    if (root.type !== 'identifier') return;
    // The statement built in a variable: every assignment to it before the execute.
    descendantsInScope(scope.fn, (node) => {
      if (node.type !== 'assignment' || node.startIndex >= call.startIndex || node.childForFieldName('left')?.text !== root.text) return;
      const right = node.childForFieldName('right');
      if (right) collect(right, depth + 1);
    });
  };
  collect(statement, 0);
  const imported = sqlalchemyInsertNames(scope.fn);
  let found: { model: PythonNode; chain: PythonNode } | undefined;
  for (const form of forms) {
    if (found) break;
    const root = chainRoot(form);
    if (root.type !== 'call') continue;
    const fn = root.childForFieldName('function');
    const rootArgs = root.childForFieldName('arguments');
    const model = rootArgs ? namedChildrenOf(rootArgs)[0] : undefined;
    if (!fn || !model || (model.type !== 'identifier' && model.type !== 'attribute')) continue;
    const named = fn.type === 'identifier' ? imported.has(fn.text) : fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'insert' && /^(sa|sqlalchemy|postgresql|mysql|sqlite|\w+\.dialects\.\w+)$/.test(fn.childForFieldName('object')?.text ?? '');
    if (named) found = { model, chain: form };
  }
  if (!found) return undefined;
  if (forms.some((form) => CORE_IDEMPOTENT.test(form.text))) return 'idempotent';
  const modelText = found.model.text.replace(/\.__table__$/, '');
  const name = modelText.replace(/^.*\./, '');
  if (!/^[A-Z]/.test(name) && !/table/i.test(name)) return undefined;
  // Rows given a deterministic id or an idempotency key: in `.values(...)` or the execute's parameters.
  const rowSources: PythonNode[] = [];
  for (const form of forms) {
    descendantsInScope(form, (node) => {
      if (node.type !== 'call') return;
      const callee = node.childForFieldName('function');
      if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'values') rowSources.push(node.childForFieldName('arguments')!);
    });
    if (form.type === 'call') {
      const callee = form.childForFieldName('function');
      if (callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'values') rowSources.push(form.childForFieldName('arguments')!);
    }
  }
  const callArgs = call.childForFieldName('arguments');
  rowSources.push(...(callArgs ? namedChildrenOf(callArgs).slice(1) : []));
  const keyed = rowSources.some((source) => rowsKeyed(source, scope.fn));
  return { name, keyed, returning: forms.some((form) => /\.returning\(/.test(form.text)) };
}

/** The start of a method chain: `insert(M)` in `insert(M).values(...).returning(...)`, `stmt` in `stmt.values(...)`. */
function chainRoot(expression: PythonNode): PythonNode {
  let current = expression;
  for (;;) {
    if (current.type === 'parenthesized_expression' && namedChildrenOf(current)[0]) {
      current = namedChildrenOf(current)[0]!;
      continue;
    }
    if (current.type !== 'call') return current;
    const callee = current.childForFieldName('function');
    if (callee?.type !== 'attribute') return current;
    current = callee.childForFieldName('object')!;
  }
}

/** The local names `insert` is imported under from sqlalchemy (or sqlmodel, or a dialect module). */
function sqlalchemyInsertNames(fn: PythonNode): Set<string> {
  let root: PythonNode = fn;
  while (root.parent) root = root.parent;
  const names = new Set<string>();
  for (const match of root.text.matchAll(/from\s+(?:sqlalchemy|sqlmodel)[\w.]*\s+import\s+(\([^)]*\)|[^\n]*)/g)) {
    for (const item of match[1]!.replace(/[()]/g, '').split(',')) {
      const parts = /^\s*insert(?:\s+as\s+(\w+))?\s*$/.exec(item.replace(/#.*$/gm, ''));
      if (parts) names.add(parts[1] ?? 'insert');
    }
  }
  return names;
}

/** Rows carrying a deterministic id or an idempotency key: keyword arguments, dict literals, or dicts built in the function for a named list. */
function rowsKeyed(source: PythonNode, fn: PythonNode): boolean {
  const keyedArgument = (argument: PythonNode): boolean => {
    if (argument.type === 'dictionary_splat') return true;
    if (argument.type !== 'keyword_argument') return false;
    const key = argument.childForFieldName('name')?.text ?? '';
    const value = argument.childForFieldName('value')?.text ?? '';
    return KEY_ARGUMENT.test(key) || ((key === 'id' || key === '_id') && !RANDOM_ID.test(value));
  };
  const nodes = source.type === 'argument_list' ? namedChildrenOf(source) : [source];
  if (nodes.some(keyedArgument)) return true;
  let keyed = false;
  const inspect = (node: PythonNode): void => {
    if (keyed) return;
    if (node.type === 'dictionary' && dictionaryKeyed(node)) keyed = true;
    descendantsInScope(node, (child) => {
      if (!keyed && child.type === 'dictionary' && dictionaryKeyed(child)) keyed = true;
    });
  };
  for (const node of nodes) {
    if (node.type === 'keyword_argument') continue;
    // A list named here is built in the function: its dicts are the rows.
    inspect(node.type === 'identifier' ? fn : node);
  }
  return keyed;
}

/** The variable the execute's result is bound to: `result = await session.execute(...)`, `row = (await session.execute(...)).scalar_one()`. */
function resultName(call: PythonNode): string | undefined {
  let current: PythonNode = call;
  while (current.parent && ['await', 'parenthesized_expression', 'attribute', 'call'].includes(current.parent.type)) current = current.parent;
  const parent = current.parent;
  if (parent?.type !== 'assignment' || parent.childForFieldName('right')?.id !== current.id) return undefined;
  const left = parent.childForFieldName('left');
  return left?.type === 'identifier' ? left.text : undefined;
}

function sqlText(node: PythonNode): string | undefined {
  if (node.type === 'string' || node.type === 'concatenated_string') return stringLiteral(node) ?? node.text.replace(/^[a-zA-Z]*["']+|["']+$/g, '');
  if (node.type === 'call' && node.childForFieldName('function')?.text.endsWith('text')) {
    const inner = namedChildrenOf(node.childForFieldName('arguments')!)[0];
    return inner ? sqlText(inner) : undefined;
  }
  return undefined;
}

function rootName(node: PythonNode): string | undefined {
  let current: PythonNode | null = node;
  while (current && (current.type === 'attribute' || current.type === 'call' || current.type === 'subscript')) {
    current = current.type === 'attribute' ? current.childForFieldName('object') : current.type === 'call' ? current.childForFieldName('function') : current.childForFieldName('value');
  }
  return current?.type === 'identifier' ? current.text : undefined;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an ' : 'a ';
}

function shortText(call: PythonNode): string {
  const callee = (call.childForFieldName('function')?.text ?? call.text).replace(/\s+/g, '');
  return `${callee.length > 70 ? `...${callee.slice(-67)}` : callee}(...)`;
}
