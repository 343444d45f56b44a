// Temporal runs an activity at least once: an attempt that did its side effect and then failed or
// ran past its startToCloseTimeout is retried, and the retry does the side effect again. This check
// names activities whose proxy allows more than one attempt and that do something a second time
// matters for (see repeated-side-effects.ts):
//
// - warning: the activity sends a Temporal signal whose handler, in the reviewed workflows, appends
//   each delivery to a list or a counter without looking first. The server does not deduplicate
//   signals, so a retried attempt enqueues the request twice.
// - info: a signal whose handler is not in the reviewed code, or a library call named for a
//   submission (`sendX`, `submitX`, `publishX`, `chargeX`, `transferX`) with no idempotency key in
//   its arguments. Many services deduplicate by a field this reading cannot see, so it stays a note.
// - info: a create with no way to recognise a repeat (repeated-creates.ts; Python:
//   python-repeated-creates.ts): a database insert followed by an awaited step that can fail, or
//   an object made at an outside service. A unique constraint out of sight may refuse the repeat.
// - warning: a Stripe create without the `idempotencyKey` request option (Python `idempotency_key`):
//   Stripe recognises a repeat by nothing else, so a retry after a lost answer makes a second object.
// - info: an insert whose primary key comes from the activity's input, with no conflict handling:
//   the retry does not duplicate the row but fails on its key, on every attempt.
// - warning: a send through a known provider (outside-sends.ts: an email, a text message, a paid
//   prediction), reached directly or through the project's wrappers, followed by a step that can
//   fail the attempt (or once per item of a loop); info when it is the last step.
// These two are also read under a written retry policy whose maximumAttempts comes from
// configuration (not a literal 1): the proxy retries, how often is not known.

import { defineCheck, type FindingDraft } from '../define-check.js';
import { describeTimeout, listNames } from '../../engine/activity-policy/describe-policy.js';
import { policyData, proxyReviews, type ProxyReview } from '../../engine/activity-policy/proxy-review.js';
import { unregisteredActivityCalls } from '../../engine/activity-policy/unregistered.js';
import { relativePath } from '../../model/typescript/locate.js';
import { compareServiceFirst } from '../../model/tool-code.js';
import { repeatedSideEffects, type RepeatedSideEffect } from '../../model/typescript/repeated-side-effects.js';
import { repeatedCreates, type RepeatedCreate } from '../../model/typescript/repeated-creates.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { uniqueKeysFor, type DeclaredUniqueKey } from '../../model/declared-unique-keys.js';
import type { ActivityImplementation, SourceLocation } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'activity-retry-repeats-side-effect',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'An activity retried more than once sends a Temporal signal whose handler appends each delivery, submits something without an idempotency key (an email, a text message or a paid prediction through a known provider, directly or through project wrappers), or creates something with no way to recognise a repeat (an insert followed by a step that can fail, an object at a service, a Stripe create without an idempotency key): a retry does it twice; or inserts a row keyed by its input with no conflict clause: a retry fails on the key',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    const effectsOf = new Map<ActivityImplementation, RepeatedSideEffect[]>();
    const effects = (implementation: ActivityImplementation): RepeatedSideEffect[] => {
      let known = effectsOf.get(implementation);
      if (!known) {
        if (python) {
          // Python: only creates are read (python-repeated-creates.ts), matched by where the activity is defined.
          known = (python.repeatedCreates ?? []).filter((found) => found.activityLocation.file === implementation.location.file && found.activityLocation.line === implementation.location.line).map((found) => found.effect);
        } else {
          known = repeatedSideEffects(implementation.node, model).filter(reportable);
          // A submission after a write already names the write a retry repeats.
          if (!known.some((effect) => effect.kind === 'submit' && effect.earlierWrite)) {
            known.push(...repeatedCreates(implementation.node, model).map(createEffect));
          }
        }
        effectsOf.set(implementation, known);
      }
      return known;
    };
    const unregistered = unregisteredActivityCalls(model);
    // One finding per side effect and retry policy: the same call reached from several proxies with
    // the same attempts and timeout (versioned copies of a workflow) is one defect, not one per proxy.
    const groups = new Map<string, Group>();
    const reviews = proxyReviews(model)
      .filter((review) => review.uses.length > 0 && !review.proxy.testOnly)
      .sort((a, b) => compareServiceFirst(ctx.root, a.proxy.location, b.proxy.location));
    for (const review of reviews) {
      // Attempts the server allows (0 = unlimited); a policy that cannot be read is not guessed at,
      // except for the creates whose repeat is certain (a key from the input, an SDK key not passed)
      // under a written retry policy whose maximumAttempts is not a literal 1.
      const unread = attemptsUnread(review);
      if (!unread && (!review.retry.known || review.retry.policy.maximumAttempts === 1)) continue;
      const missing = new Set(unregistered.filter((call) => call.proxy.id === review.proxy.id).map((call) => call.use.name));
      for (const use of review.uses) {
        if (missing.has(use.type)) continue;
        for (const implementation of use.implementations as ActivityImplementation[]) {
          if (!implementation.node) continue;
          for (const effect of effects(implementation)) {
            if (unread && effect.create?.keyedBy === undefined && !effect.create?.sdk) continue;
            // A send reached with a later step and one reached as the last step are told apart (their severity differs).
            const later = effect.send?.later ? `${effect.send.later.location.file}:${effect.send.later.location.line}` : '';
            // So are sends after different writes: each write is named.
            const write = effect.earlierWrite ? `${effect.earlierWrite.location.file}:${effect.earlierWrite.location.line}` : '';
            // And a create returned once from one returned per item of a loop (their messages differ).
            const each = effect.create?.last?.reason === 'returned' && effect.create.last.each ? 'each' : '';
            // And a row keyed by the input from one whose key a caller on the way draws fresh (one fails on the key, the other duplicates).
            const keyed = effect.create?.keyedBy ?? '';
            const last = effect.create?.last?.reason ?? '';
            const key: string = [effect.kind, effect.location.file, effect.location.line, effect.location.column, attemptsKey(review), timeoutKey(review), later, write, each, keyed, last].join('|');
            const group: Group = groups.get(key) ?? { effect, reviews: [], activities: [] };
            if (!group.reviews.includes(review)) group.reviews.push(review);
            if (!group.activities.includes(use.type)) group.activities.push(use.type);
            groups.set(key, group);
          }
        }
      }
    }
    for (const group of groups.values()) ctx.report(finding(group, ctx.root));
  },
});

interface Group {
  effect: RepeatedSideEffect;
  /** The proxies that schedule an activity reaching the effect with this policy, first one first. */
  reviews: ProxyReview[];
  activities: string[];
}

function createEffect(found: RepeatedCreate): RepeatedSideEffect {
  return {
    kind: 'create',
    location: found.location,
    text: found.text,
    via: found.via,
    create: {
      store: found.store,
      what: found.what,
      ...(found.later ? { later: found.later } : {}),
      ...(found.last ? { last: found.last } : {}),
      ...(found.keyedBy !== undefined ? { keyedBy: found.keyedBy } : {}),
      ...(found.sdk ? { sdk: found.sdk } : {}),
      ...(found.table ? { table: found.table } : {}),
      ...(found.columns ? { columns: found.columns } : {}),
      ...(found.also ? { also: found.also } : {}),
    },
  };
}

/** A signal whose handler is known to be idempotent is not a defect. */
function reportable(effect: RepeatedSideEffect): boolean {
  return effect.kind !== 'signal' || effect.signal?.handler !== 'idempotent';
}

/**
 * The retry policy is written but cannot be read as a whole (a helper builds it from
 * configuration), and its maximumAttempts is not a literal 1: the proxy retries, how often is unread.
 */
function attemptsUnread(review: ProxyReview): { text?: string } | undefined {
  if (review.retry.known) return undefined;
  const retry = review.options.retry;
  if (!('maximumAttempts' in retry)) return undefined;
  const attempts = retry.maximumAttempts;
  if (attempts.state === 'set') return attempts.value === 1 ? undefined : {};
  if (attempts.state === 'absent') return {};
  return attempts.state === 'unknown' ? { text: attempts.text } : undefined;
}

function attemptsKey(review: ProxyReview): string {
  if (review.retry.known) return String(review.retry.policy.maximumAttempts);
  const retry = review.options.retry;
  return 'maximumAttempts' in retry && retry.maximumAttempts.state === 'set' ? String(retry.maximumAttempts.value) : 'unread';
}

function timeoutKey(review: ProxyReview): string {
  const startToClose = review.timeouts.startToClose;
  return startToClose.known ? String(startToClose.ms) : 'unknown';
}

function finding(group: Group, root: string): FindingDraft {
  const { effect, reviews, activities } = group;
  const first = reviews[0]!;
  const where = (location: { file: string; line: number }) => `${relativePath(root, location.file)}:${location.line}`;
  const retry = first.options.retry;
  const written = 'maximumAttempts' in retry ? retry.maximumAttempts : undefined;
  const attempts = first.retry.known ? first.retry.policy.maximumAttempts : written?.state === 'set' ? written.value : written?.state === 'absent' ? 0 : undefined;
  const allowed =
    attempts === undefined
      ? `a number of attempts set by \`${written && 'text' in written ? written.text : 'configuration'}\`, which this review cannot read (anything but 1 retries)`
      : attempts === 0
        ? 'unlimited attempts (no maximumAttempts)'
        : `up to ${attempts} attempts`;
  const startToClose = first.timeouts.startToClose;
  const timeout = startToClose.known && Number.isFinite(startToClose.ms) ? ` or runs past its startToCloseTimeout (${describeTimeout(startToClose)})` : '';
  const others = reviews.length > 1 ? ` (the same policy is used by ${listNames(reviews.slice(1).map((review) => where(review.proxy.location)))})` : '';
  const via = effect.via.length > 0 ? ` (through ${where(effect.via[0]!)})` : '';
  const names = listNames(activities);
  const verb = (singular: string, plural: string) => (activities.length > 1 ? plural : singular);
  // A signal whose handler appends, and a create at an SDK that recognises a repeat only by a key the call does not pass (Stripe).
  // And a send through a known provider (an email, a text message, a paid prediction) followed by a step whose failure reruns it.
  const send = effect.kind === 'submit' ? effect.send : undefined;
  const warning = (effect.kind === 'signal' && effect.signal?.handler === 'appends') || effect.create?.sdk !== undefined || send?.later !== undefined;
  const keyed = effect.create?.keyedBy;
  // The unique keys the project declares for the table (a Prisma schema, a SQL migration, a SQLAlchemy model).
  const declared = effect.create?.store === 'database' && effect.create.table && keyed === undefined ? uniqueKeysFor(root, effect.create.table, effect.create.columns) : undefined;
  const refusedBy = declared?.covers;
  const createdLast = effect.create?.last;
  const eachDropped = createdLast?.reason === 'returned' && createdLast.each === true;
  const keyText = (key: DeclaredUniqueKey) => `(${key.columns.join(', ')}) at ${where(key)}`;
  let what: string;
  if (effect.kind === 'signal') {
    const signal = effect.signal?.name ? `signal ${effect.signal.name}` : 'a signal';
    const handler = warning
      ? `its handler (${where(effect.signal!.handlerLocation!)}) appends every delivery without checking for a repeat, so a retry queues the request twice`
      : effect.signal?.handlerLocation
        ? `its handler (${where(effect.signal.handlerLocation)}) calls code this review does not judge, and the arguments carry no request id it could drop a repeat by`
        : 'its handler is not in the reviewed code and the arguments carry no request id it could drop a repeat by';
    what = `${names} ${verb('sends', 'send')} ${signal} with \`${effect.text}\` at ${where(effect.location)}${via}. The server does not deduplicate signals sent by separate calls; ${handler}.`;
  } else if (effect.kind === 'create') {
    const create = effect.create!;
    const later = create.later;
    const last = create.last;
    const refused = refusedBy
      ? `${later ? (later.nextIteration ? `, once per item (${where(later.location)})` : `, then awaits \`${later.text}\` at ${where(later.location)}`) : eachDropped ? ', once per item, as the loop\'s last step, and hands the new rows back to the workflow' : ', as its last step'}. ` +
        `The table has a unique key on ${keyText(refusedBy)}, and the insert sets it: ` +
        (later
          ? `when ${later.nextIteration ? 'a later item fails' : 'that step fails'}, the retry runs the activity from the top and its insert${later.nextIteration ? ' of an item already stored' : ''} fails on that key instead of adding a second row`
          : `when the attempt ends after the insert${eachDropped ? 's' : ''} committed but before the server records its result (a worker crash or restart, a lost completion, an attempt past its startToCloseTimeout), the retry's insert${eachDropped ? 's fail' : ' fails'} on that key instead of adding a second row`) +
        (eachDropped
          ? ', and since a failing item is dropped, the retry succeeds but hands back none of the rows the first attempt stored: the workflow goes on without them'
          : ', and unless that error is handled every retry fails the same way, so the workflow fails although the row exists')
      : undefined;
    const after = refused !== undefined ? refused : keyed !== undefined
      ? later
        ? later.nextIteration
          ? `, with its primary key from the input (\`${keyed}\`), once per item (${where(later.location)}): when a later item fails, the retry runs the activity from the top and its insert of the first item fails on a key that is already stored, so every retry fails and the workflow fails although the rows exist`
          : `, with its primary key from the input (\`${keyed}\`), then awaits \`${later.text}\` at ${where(later.location)}: when that fails, the retry runs the activity from the top and its insert fails on the key the first attempt stored, so every retry fails and the workflow fails although the row exists`
        : `, as its last step, with its primary key from the input (\`${keyed}\`): when the attempt ends after the insert committed but before the server records its result (a worker crash or restart, a lost completion, an attempt past its startToCloseTimeout), every retry fails on that key and the workflow fails although the row exists`
      : later
      ? later.nextIteration
        ? `, and it runs once per item (${where(later.location)}): when a later item fails, the retry runs the activity from the top and creates the items already done again`
        : `, then awaits \`${later.text}\` at ${where(later.location)}: when that fails, the retry runs the activity from the top and creates ${create.what} again`
      : last?.reason === 'returned' && last.each
        ? `, once per item, as the loop's last step, and hands the new rows back to the workflow (a failing item is dropped, so only the end of the attempt repeats them): when the attempt ends after the inserts committed but before the server records its result (a worker crash or restart, a lost completion, an attempt past its startToCloseTimeout), the retry inserts every row again and the workflow goes on with the second set: the first are duplicates the workflow never hears of`
      : last?.reason === 'returned'
        ? `, as its last step, and hands the new row back to the workflow: when the attempt ends after the insert committed but before the server records its result (a worker crash or restart, a lost completion, an attempt past its startToCloseTimeout), the retry inserts a second row and the workflow goes on with that one: the first is a duplicate the workflow never hears of`
        : last?.reason === 'outside'
          ? `, as its last step, to store the answer of \`${last.call.text}\` at ${where(last.call.location)}: when that call runs past the startToCloseTimeout${startToClose.known && Number.isFinite(startToClose.ms) ? ` (${describeTimeout(startToClose)})` : ''}, the server schedules a retry, but nothing in the activity observes the cancellation, so the timed-out attempt still inserts when the answer arrives, and the retry makes the call again and inserts a second row`
          : '';
    const lost =
      create.store === 'service'
        ? `${later ? '; and' : ';'} if the answer is lost after the service acted (a timeout, a reset connection), the attempt fails and the retry creates it again`
        : '';
    // Further inserts the same retry repeats: each is its own place to fix.
    const also = (create.also ?? [])
      .map((other) => `${other.what} with \`${other.text}\` at ${where(other.location)}${other.via.length > 0 && other.via[0]!.line !== effect.via[0]?.line ? ` (through ${where(other.via[0]!)})` : ''}${other.later.nextIteration ? ', once per item' : `, before \`${other.later.text}\` at ${where(other.later.location)}`}`)
      .join('; ');
    what =
      `${names} ${verb('creates', 'create')} ${create.what} with \`${effect.text}\` at ${where(effect.location)}${via}${after}${lost}. ` +
      (also ? `Its other inserts are repeated the same way: ${also}. ` : '') +
      (refusedBy
        ? `Nothing lets the insert meet its own row: no conflict clause (ON CONFLICT DO NOTHING, an upsert), no lookup of it first${eachDropped ? '' : ', no catch of the duplicate-key error'}.`
        : keyed !== undefined
        ? `Nothing lets the insert meet its own row: no conflict clause (onConflictDoNothing, ON CONFLICT DO NOTHING), no lookup of the id first, no catch of the duplicate-key error${later && !later.nextIteration ? ', and no transaction around both steps' : ''}.`
        : create.sdk
          ? `${create.sdk.name} recognises a repeated create only by its \`${create.sdk.option}\` request option, and the call passes none (nor is the object looked up first).`
          : `Nothing makes the create idempotent: no upsert or conflict clause, no lookup of it first, no idempotency key or deterministic id${create.store === 'database' && later && !later.nextIteration ? ', and no transaction around both steps' : ''}.`);
  } else if (send) {
    const starts = /prediction|generation/.test(send.what);
    const before = effect.earlierWrite ? ` after writing with \`${effect.earlierWrite.text}\` at ${where(effect.earlierWrite.location)}` : '';
    const again = starts ? 'starts another (and pays for it)' : 'sends it again';
    const later = send.later;
    const after = later
      ? later.nextIteration
        ? `, once per item (${where(later.location)}): when a later item fails, the retry runs the activity from the top and ${starts ? 'starts the ones already started again' : 'sends the ones already sent again'}`
        : `, then awaits \`${later.text}\` at ${where(later.location)}: when that fails, the retry runs the activity from the top and ${again}`
      : `: when its answer is lost after ${send.service} accepted the call, or the attempt runs past its startToCloseTimeout, the retry ${again}`;
    what =
      `${names} ${verb(starts ? 'starts' : 'sends', starts ? 'start' : 'send')} ${send.what} through ${send.service} with \`${effect.text}\` at ${where(effect.location)}${via}${before}${after}. ` +
      `Nothing lets ${send.service} recognise the repeat (no idempotency key is passed), and nothing checks first whether it was ${starts ? 'started' : 'sent'}.`;
  } else {
    const before = effect.earlierWrite ? ` after writing with \`${effect.earlierWrite.text}\` at ${where(effect.earlierWrite.location)}` : '';
    what = `${names} ${verb('submits', 'submit')} with \`${effect.text}\` at ${where(effect.location)}${via}${before}, with no idempotency key in the arguments: a retry submits again${effect.earlierWrite ? ' and repeats the write' : ''}, and a receiver that refuses the repeat (a duplicate or nonce error) fails the activity although the first submission went through.`;
  }
  const message =
    `This proxy allows ${allowed}${others}: an attempt that fails${timeout} after its side effect is retried, and the retry does it again. ${what} ` +
    'Temporal runs an activity at least once.' +
    (warning
      ? ''
      : send
        ? ` Info: a retry ${/prediction|generation/.test(send.what) ? 'starts a second one' : 'sends it twice'} only when the answer is lost or the attempt times out after the call.`
      : effect.kind === 'create'
        ? keyed !== undefined
          ? ' Info: once the row is stored, no retry of this activity can succeed.'
          : refusedBy
          ? eachDropped
            ? ' Info: the retry does not duplicate the rows; it loses them.'
            : ' Info: the retry does not duplicate the row; once it is stored, no retry of this activity can succeed.'
          : declared && declared.others.length > 0
          ? ` Info: the table declares a unique key on ${listNames(declared.others.slice(0, 3).map(keyText))}${declared.others.length > 3 ? ' and others' : ''}: if the insert sets ${declared.others.length > 1 ? 'one of them' : 'it'} to the same value${declared.others.some((key) => key.columns.length > 1) ? 's' : ''} on the retry, the retry fails on that key instead of duplicating (and, unless that error is handled, fails on every attempt).`
          : effect.create!.store === 'database'
          ? ' Info: a unique constraint this review cannot see may refuse the repeat (the retry then fails instead of duplicating).'
          : ' Info: the service may deduplicate by a field this review cannot see.'
        : ' Info: the receiver may deduplicate by a field this review cannot see.');
  const fix = effect.kind === 'create'
    ? refusedBy
      ? (refusedBy.columns.every((column) => /^\w+$/.test(column))
          ? `Let the insert meet its own row on that key: \`INSERT ... ON CONFLICT (${refusedBy.columns.join(', ')}) DO NOTHING\` (SQL) or an upsert on it (Prisma \`upsert\`, Supabase \`.upsert(rows, { onConflict: '${refusedBy.columns.join(',')}' })\`, Drizzle \`.onConflictDoNothing()\`); `
          : 'Let the insert meet its own row on that key: `INSERT ... ON CONFLICT DO NOTHING` (SQL), or `.onConflictDoNothing()` (Drizzle); ') +
        'or look the row up by that key before inserting, or catch the duplicate-key error and use the stored row.'
      : keyed !== undefined
      ? 'Let the insert meet its own row: `.onConflictDoNothing()` (Drizzle), `INSERT ... ON CONFLICT (id) DO NOTHING` (SQL), `upsert` or `createMany({ data, skipDuplicates: true })` (Prisma), `.onConflict(\'id\').ignore()` (Knex); ' +
        'or look the row up by that id before inserting, or catch the duplicate-key error and return the stored row.'
      : effect.create!.sdk
      ? `Pass the \`${effect.create!.sdk.option}\` request option, made once in the workflow (the workflow id plus a step name, or an id in the activity input) so every attempt sends the same one: \`${effect.create!.sdk.example}\`; ` +
        `${effect.create!.sdk.name} then answers a retry with the object the first attempt created. Or look the object up first (by a metadata field you set) before creating it again.`
      : effect.create!.store === 'database'
      ? 'Make the insert idempotent: an upsert or INSERT ... ON CONFLICT DO NOTHING on a key the workflow fixes (its input id, or the workflow id plus a step name), a lookup of the row before creating it, ' +
        'or one transaction around the insert and the steps after it; or move the later step into its own activity so a failure there does not rerun the insert.'
      : 'Pass an idempotency key made once in the workflow (the workflow id plus a step name) if the service takes one, or look the object up (by a name or reference you chose) before creating it again; ' +
        'or give the create its own activity and keep what it returned in the workflow, so a failure in a later step does not create it again.'
    : send
    ? /prediction|generation/.test(send.what)
      ? `Keep the ${send.service} job's id so a retry finds it instead of starting another: start it in its own activity and wait for it in a second one (the workflow keeps the id), ` +
        'or record the id (heartbeat details, a row keyed by the workflow id) and look it up before starting again; and bound the wait with a heartbeat so a stuck attempt is noticed early.'
      : `Make the send happen once: pass an idempotency key made once in the workflow (the workflow id plus a step name) if ${send.service} takes one, ` +
        'or record that it was sent (a row keyed by that id) and check it before sending; or move the send into its own activity after the steps that can fail, so their failure does not rerun it.'
    : warning
    ? 'Put a request id in the signal arguments (made once in the workflow, e.g. uuid4(), so every attempt sends the same one) and have the handler skip an id it has seen; ' +
      'or schedule the activity from its own proxy with retry.maximumAttempts: 1 and have the workflow check the status before it tries again.'
    : 'Pass an idempotency key made once in the workflow (the workflow id plus a step name, or uuid4()) so the receiver can drop a repeat; ' +
      'or check before the write (look the record or the submission up first), or schedule the activity from its own proxy with retry.maximumAttempts: 1 and a status check in the workflow before it tries again.';
  const related: (SourceLocation & { message: string })[] = [
    ...effect.via.map((location, index) => ({ ...location, message: index === 0 ? 'the activity\'s call that leads to it' : 'a call on the way to it' })),
    { ...effect.location, message: effect.kind === 'signal' ? 'the signal a retry sends again' : effect.kind === 'create' ? 'the create a retry makes again' : send ? `the ${/prediction|generation/.test(send.what) ? 'start' : 'send'} a retry makes again` : 'the call a retry makes again' },
    ...(send?.later && !send.later.nextIteration ? [{ ...send.later.location, message: 'the later step whose failure reruns the activity' }] : []),
    ...(effect.create?.later && !effect.create.later.nextIteration ? [{ ...effect.create.later.location, message: 'the later step whose failure reruns the activity' }] : []),
    ...(effect.create?.last?.reason === 'outside' ? [{ ...effect.create.last.call.location, message: 'the outside call whose answer the insert stores' }] : []),
    ...(effect.create?.also ?? []).map((other) => ({ ...other.location, message: 'another insert the retry repeats' })),
    ...(effect.signal?.handlerLocation
      ? [{ ...effect.signal.handlerLocation, message: `the handler of ${effect.signal.name ?? 'the signal'}${warning ? ', which appends each delivery' : ''}` }]
      : []),
    ...(effect.earlierWrite ? [{ ...effect.earlierWrite.location, message: 'a write done before it, which a retry repeats too' }] : []),
    ...reviews.slice(1).map((review) => ({ ...review.proxy.location, message: 'another proxy with the same policy' })),
  ];
  return {
    location: first.proxy.location,
    severity: warning ? 'warning' : 'info',
    message,
    fix,
    related,
    data: {
      ...policyData(first),
      activityTypes: activities,
      proxies: reviews.map((review) => review.proxy.id),
      sideEffect: {
        kind: effect.kind,
        call: effect.text,
        ...(effect.signal ? { signal: effect.signal.name, handler: effect.signal.handler } : {}),
        ...(effect.earlierWrite ? { earlierWrite: effect.earlierWrite.text } : {}),
        ...(send ? { sends: send.what, service: send.service, ...(send.later ? { laterStep: send.later.text, nextIteration: send.later.nextIteration } : {}) } : {}),
        ...(effect.create ? { store: effect.create.store, created: effect.create.what, ...(effect.create.keyedBy !== undefined ? { keyedBy: effect.create.keyedBy } : {}), ...(refusedBy ? { uniqueKey: refusedBy.columns } : {}), ...(effect.create.sdk ? { sdk: effect.create.sdk.name } : {}), ...(effect.create.later ? { laterStep: effect.create.later.text, nextIteration: effect.create.later.nextIteration } : {}), ...(effect.create.last ? { lastStep: effect.create.last.reason, ...(effect.create.last.reason === 'returned' && effect.create.last.each ? { eachItem: true } : {}), ...(effect.create.last.reason === 'outside' ? { outsideCall: effect.create.last.call.text } : {}) } : {}) } : {}),
      },
    },
  };
}
