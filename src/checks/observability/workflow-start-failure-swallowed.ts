// Keeps failed starts visible: a client start whose failure is caught and dropped (an empty
// `.catch(() => {})`, a catch that only lets WorkflowExecutionAlreadyStartedError through and does
// nothing for the rest) hides a start that never happened: the server was unreachable, the
// arguments did not serialise, the namespace or the search attributes were wrong. No workflow
// runs, no log line or error says why. A catch that only logs (and resets state, or returns
// nothing) and carries on is reported too: the request succeeds, the message is acknowledged or
// the activity completes, and nothing retries the start. A promise chain around the start
// (`getClient().then((c) => c.workflow.start(...)).catch(log)`) that its function does not wait
// for, reached from a request or webhook handler, is reported at the start: the handler answers
// before the start happened, and a webhook's sender does not deliver again. The Python front-end reads its except
// clauses itself (python-start-handling.ts) and hands the dropped failure over on the start.

import ts from 'typescript';
import { defineCheck, type CheckContext } from '../define-check.js';
import { startCallText } from '../../model/typescript/extract-starts.js';
import { locate } from '../../model/typescript/locate.js';
import { notProduction } from '../../model/typescript/observability/development-only.js';
import type { TemporalModel, WorkflowStart } from '../../model/typescript/types.js';
import { relative } from '../../engine/run-checks.js';
import { enclosingFunction } from '../../model/typescript/call-reach.js';
import { functionName } from '../../model/typescript/declarations.js';
import { onlyLogsAfterLocals } from '../../model/typescript/only-logs.js';
import { callsOfFunction } from '../../model/typescript/named-calls.js';
import { callersOf, committedBefore, type CommittedBefore, type FunctionCaller } from '../../model/typescript/observability/committed-before-start.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { DroppedStartFailure, WorkflowStartFacts } from '../../model/types.js';
import { doesNothing, handlerComments, handlerStatements, onlyLogsOrResets, otherErrorsPart, resultDropped, startHandling, type StartHandling } from '../../model/typescript/start-handling.js';
import { awaitedInFunction, promiseDropped } from '../../model/typescript/promise-use.js';
import { handlerReach } from '../../model/typescript/observability/handler-reach.js';

/** A comment that says the start may fail without consequence. */
const BEST_EFFORT =
  /best[- ]?effort|\bignor|non[- ]?critical|not critical|optional|non[- ]?fatal|not fatal|(don'?t|do not|should not|shouldn'?t|must not|never) (fail|block|break|stop)|fire[- ]and[- ]forget|\bswallow|\bnot (re-?)?(raising|raise|throwing|throw)\b|(don'?t|do not) (re-?)?(raise|throw)\b|want to (continue|carry on|proceed)|(continue|carry on|proceed) anyway/i;

/** The error of a start whose workflow id is taken, by class, name, helper or message. */
const ALREADY_STARTED = /AlreadyStarted|already[\s_-]*(started|running|exists)|ALREADY_EXISTS|AlreadyExists/i;

export default defineCheck({
  id: 'workflow-start-failure-swallowed',
  area: 'observability',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A client workflow start whose failure is caught and dropped, or only logged, without a rethrow, a record or a retry (other than WorkflowExecutionAlreadyStartedError), so a start that never happened leaves at most a log line',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    // starts under one catch (`cond ? start(a) : start(b)` in one try) are one finding at that catch
    const grouped = new Map<ts.CatchClause, { starts: WorkflowStart[]; dropped: DroppedStartFailure; lost: string | undefined; after: AfterCommit | undefined }>();
    for (const start of model.starts) {
      if (start.child || start.method === 'schedule') continue;
      if (start.droppedFailure !== undefined) {
        // A front-end that reads the handler itself (Python).
        if (start.droppedFailure && !notProduction(start as WorkflowStart, ctx.root)) report(ctx, start, start.droppedFailure, 'except clause', true, start.droppedFailure.lostRetry);
        continue;
      }
      const handling = startHandling(start.node);
      const forgotten = loggedAndForgotten(model, start, handling);
      if (forgotten && !notProduction(start, ctx.root)) reportForgotten(ctx, start, forgotten);
      if (!handling) {
        if (!forgotten && !notProduction(start, ctx.root)) reportThroughCaller(ctx, model, start);
        continue;
      }
      // `const handle = await start(...).catch(() => null)`: the caller tests the result
      if (handling.kind === 'promise' && !resultDropped(handling.catchCall)) continue;
      const { nodes, tested } = otherErrorsPart(handlerStatements(handling), ALREADY_STARTED);
      const nothing = doesNothing(nodes);
      // a chain nobody waits for, whose `.catch` only logs, run for a request or a message: reported at the start
      if (handling.kind === 'promise' && !nothing && !forgotten && promiseDropped(handling.catchCall) && onlyLogsOrResets(nodes, handling.handler)) {
        const reach = unawaitedReach(model, handling.catchCall, ctx.root);
        if (reach) {
          if (!notProduction(start, ctx.root)) reportUnawaited(ctx, start, handling, reach);
          continue;
        }
      }
      // a catch that only logs, whose function every caller fires and forgets, is reported there
      if (!nothing && (forgotten || !onlyLogsOrResets(nodes, handling.kind === 'try' ? enclosingFunction(handling.statement) : handling.handler))) continue;
      if (notProduction(start, ctx.root)) continue;
      const dropped: DroppedStartFailure = { location: handlerLocation(handling), alreadyStartedTested: tested, comments: handlerComments(handling), ...(nothing ? {} : { logged: true as const }) };
      const lost = nothing ? undefined : lostRetryAround(model, handling);
      if (handling.kind === 'try') {
        const group = grouped.get(handling.clause);
        if (group) group.starts.push(start);
        else grouped.set(handling.clause, { starts: [start], dropped, lost, after: nothing ? undefined : afterCommit(model, handling.statement, start) });
        continue;
      }
      report(ctx, start, dropped, '.catch handler', false, lost);
    }
    for (const { starts, dropped, lost, after } of grouped.values()) report(ctx, starts[0]!, dropped, 'catch', false, lost, { others: starts.slice(1), ...(after ? { after } : {}) });
  },
});

/** How many calls of the function that holds a start are read. */
const MAX_CALLER_CALLS = 5;

/**
 * A start awaited (or returned) without a handler in its own function: when every call of that
 * function the model resolves is awaited in a try (or chained to a `.catch`) whose handler drops or
 * only logs the failure, the handler is read as if it were around the start, and reported at the
 * first such call's handler.
 */
function reportThroughCaller(ctx: CheckContext, model: TemporalModel, start: WorkflowStart): void {
  const starter = enclosingFunction(start.node);
  if (!starter || !awaitedInFunction(start.node, starter)) return;
  const name = functionName(starter);
  if (!name) return;
  const calls = callsOfFunction(model, starter);
  if (calls.length === 0 || calls.length > MAX_CALLER_CALLS) return;
  let chosen: { dropped: DroppedStartFailure; handling: StartHandling; nothing: boolean } | undefined;
  for (const call of calls) {
    const handling = startHandling(call);
    if (!handling) return;
    if (handling.kind === 'promise' && !resultDropped(handling.catchCall)) return;
    const { nodes, tested } = otherErrorsPart(handlerStatements(handling), ALREADY_STARTED);
    const nothing = doesNothing(nodes);
    if (!nothing && !onlyLogsOrResets(nodes, handling.kind === 'try' ? enclosingFunction(handling.statement) : handling.handler)) return;
    const runner = handling.kind === 'try' ? 'await' : '.catch';
    const dropped: DroppedStartFailure = {
      location: handlerLocation(handling),
      alreadyStartedTested: tested,
      comments: handlerComments(handling),
      ...(nothing ? {} : { logged: true as const }),
      through: [{ function: name, at: start.location, runner, call: model.locate(call) }],
    };
    // where one call's handler only logs, the failure is not wholly silent: read the weaker one
    if (!chosen || (!nothing && chosen.nothing)) chosen = { dropped, handling, nothing };
  }
  if (!chosen) return;
  report(ctx, start, chosen.dropped, chosen.handling.kind === 'try' ? 'catch' : '.catch handler', false, chosen.nothing ? undefined : lostRetryAround(model, chosen.handling));
}

/** How many calls of the function that holds a start after a commit are named. */
const MAX_NAMED_CALLERS = 6;

/** A start after a transaction that committed the write it is for, and who calls its function. */
interface AfterCommit {
  committed: CommittedBefore;
  holder: string;
  callers: FunctionCaller[];
}

function afterCommit(model: TemporalModel, statement: ts.TryStatement, start: WorkflowStart): AfterCommit | undefined {
  const committed = committedBefore(statement, start.node, model);
  const fn = enclosingFunction(statement);
  const holder = fn && functionName(fn);
  if (!committed || !fn || !holder) return undefined;
  return { committed, holder, callers: callersOf(model, fn, MAX_NAMED_CALLERS) };
}

/** What the message says of a start after a commit: the write stays without its workflow, who calls, what a retry does. */
function afterCommitText(ctx: CheckContext, after: AfterCommit, several: boolean): string {
  const model = ctx.model!;
  const at = (node: ts.Node) => `${relative(ctx.root, node.getSourceFile().fileName)}:${model.locate(node).line}`;
  const transaction = after.committed.transaction;
  const callee = skipOuterExpressions(transaction.expression);
  const transactionText = ts.isPropertyAccessExpression(callee) ? `${callee.expression.getText().replace(/\s+/g, '')}.${callee.name.text}(...)` : 'the transaction';
  let text =
    ` ${several ? 'The starts run' : 'It runs'} after ${transactionText} at ${at(transaction)} has committed the write ${several ? 'they are' : 'it is'} for (the workflow's input reads its result, ${after.committed.names.map((n) => `\`${n}\``).join(', ')}): ` +
    'a failed start leaves that write in place without the workflow that should follow it.';
  const guard = after.committed.guard;
  if (guard) {
    text += ` A retried request does not make up for it: the start${several ? 's' : ''} only ${several ? 'run' : 'runs'} under \`if (${guard.expression.getText().replace(/\s+/g, ' ')})\`, a test of what the transaction returned, so a repeat that finds its write already made skips the start too.`;
  }
  const callers = after.callers;
  if (callers.length > 0) {
    // two calls in one caller are named once, with both lines
    const byCaller = new Map<string, FunctionCaller[]>();
    for (const c of callers) {
      const key = `${c.name}\0${c.call.getSourceFile().fileName}`;
      byCaller.set(key, [...(byCaller.get(key) ?? []), c]);
    }
    const describe = (group: FunctionCaller[]) => {
      const c = group[0]!;
      const lines = [at(c.call), ...group.slice(1).map((other) => `:${model.locate(other.call).line}`)].join(', ');
      return `${c.name} (${lines}${c.kind === 'graphql' ? ', a GraphQL resolver' : c.kind === 'inbound' ? ', an inbound handler' : c.kind === 'request' ? `, where ${c.context}` : ''})`;
    };
    const listed = [...byCaller.values()].map(describe);
    text += ` ${after.holder}() is called by ${listed.length > 1 ? `${listed.slice(0, -1).join(', ')} and ${listed[listed.length - 1]}` : listed[0]}`;
    const kinds = new Set(callers.map((c) => c.kind));
    const answers: string[] = [];
    if (kinds.has('graphql') || kinds.has('request')) answers.push('the request is answered with success');
    if (kinds.has('inbound')) answers.push('the inbound activity or message is acknowledged, so its sender does not deliver it again');
    text += answers.length > 0 ? `: ${answers.join(', and ')}.` : '.';
  }
  return text;
}

function report(
  ctx: CheckContext,
  start: WorkflowStartFacts,
  dropped: DroppedStartFailure,
  handler: string,
  python: boolean,
  lost?: string,
  extra: { others?: WorkflowStartFacts[]; after?: AfterCommit } = {},
): void {
  const others = extra.others ?? [];
  const after = extra.after;
  let what = python ? (start.callText ?? start.workflowTypeText) : startCallText(start as WorkflowStart);
  if (!python && others.length > 0) what = `${what} and ${others.map((other) => startCallText(other as WorkflowStart)).join(' and ')}`;
  const tested = dropped.alreadyStartedTested;
  // a comment that calls the start best effort is a decision, not an accident; a note still says nothing logs it
  const comment = BEST_EFFORT.exec(dropped.comments)?.[0];
  const droppedText = tested ? `every failure other than ${python ? 'WorkflowAlreadyStartedError' : 'WorkflowExecutionAlreadyStartedError'}` : 'every failure of the start';
  const logged = dropped.logged === true;
  // a logged failure is a warning where it defeats a retry (an activity's, a message's redelivery); elsewhere the caller may have other ways to notice
  // a start after a commit of the write it is for loses that write's workflow for good
  const severity = comment || (logged && !lost && !after) ? ('info' as const) : undefined;
  // the clause is around a call of the function that holds the start
  const base = (file: string) => file.split(/[\\/]/).pop();
  const through = (dropped.through ?? []).map((step, i) => `${i === 0 ? 'the start' : 'the call'} in ${step.function} (${base(step.at.file)}:${step.at.line}), run by ${step.runner === 'a call' ? 'a call' : step.runner} at ${base(step.call.file)}:${step.call.line}`).join(', ');
  if (through) what = `${what} (${through})`;
  const droppedPart = logged
    ? `This ${handler} logs ${droppedText} of ${what} and carries on: it does not ${python ? 're-raise' : 'rethrow'} it, return it, record it or retry`
    : `This ${handler} drops ${droppedText} of ${what} without logging or ${python ? 're-raising' : 'rethrowing'} it`;
  ctx.report({
    location: dropped.location,
    ...(severity ? { severity } : {}),
    message:
      droppedPart +
      (comment ? `; a comment calls it deliberate ('${comment}')${logged ? '. ' : ', but even a best-effort start should leave a log line when it fails. '}` : '. ') +
      (lost?.startsWith('activity ')
        ? `It runs in ${lost}: ${python ? 'a raise' : 'a rethrow'} would fail the attempt and Temporal would retry the activity, and the start with it. `
        : lost
          ? `It runs in a ${lost}: the message counts as handled and is not redelivered. `
          : '') +
      (logged
        ? 'When the start fails (the server is unreachable, the arguments do not serialise, the namespace or a search attribute is wrong), no workflow runs and the code that asked for it carries on as if it had' +
          (lost ? ': nothing retries the start, and only a log line says it never happened.' : after ? ': only a log line says it never happened.' : '; unless something else starts it again later, only a log line says it never happened.') +
          (after ? afterCommitText(ctx, after, others.length > 0) : '')
        : 'When the start fails (the server is unreachable, the arguments do not serialise, the namespace or a search attribute is wrong), no workflow runs and nothing says so: the caller carries on as if it had started.'),
    fix: logged
      ? python
        ? 'Re-raise after logging (so the caller, the message redelivery or the activity retry handles it), or record the start that never happened (mark the record failed, publish to a dead-letter queue, schedule a retry).'
        : 'Rethrow after logging (so the caller, the message redelivery or the activity retry handles it), or record the start that never happened (mark the record failed, publish to a dead-letter queue, schedule a retry).'
      : python
      ? tested
        ? 'Re-raise the other errors (`raise` in the clause that takes them), or at least log them with the workflow id.'
        : 'Catch only WorkflowAlreadyStartedError (if a duplicate start is expected) and re-raise or log every other error with the workflow id.'
      : tested
        ? 'Rethrow the other errors (`if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;`), or at least log them with the workflow id.'
        : 'Catch only WorkflowExecutionAlreadyStartedError (if a duplicate start is expected) and rethrow or log every other error with the workflow id.',
    related: [
      { ...start.location, message: 'the start whose failure is dropped' },
      ...others.map((other) => ({ ...other.location, message: 'another start under this catch' })),
      ...(after ? [{ ...ctx.model!.locate(after.committed.transaction), message: 'the transaction that commits the write before the start' }] : []),
      ...(after?.callers ?? []).slice(0, 4).map((c) => ({ ...ctx.model!.locate(c.call), message: `a call of ${after!.holder}()` })),
      ...(dropped.through ?? []).map((step) => ({ ...step.call, message: `the call that runs ${step.function}, whose failure this handler takes` })),
      ...(dropped.connectSkipped ? [{ ...dropped.connectSkipped, message: 'an earlier except clause that logs a failed client connect and returns before the start, the same loss one step earlier' }] : []),
    ],
    data: {
      workflowType: start.workflowType,
      ...(others.length > 0 ? { otherWorkflowTypes: others.map((other) => other.workflowType) } : {}),
      method: start.method,
      alreadyStartedTested: tested,
      ...(after ? { afterCommit: true, ...(after.committed.guard ? { retrySkipsStart: true } : {}) } : {}),
      ...(dropped.through?.length ? { through: dropped.through.map((step) => step.function).join(' < ') } : {}),
      ...(logged ? { loggedOnly: true } : {}),
      ...(comment ? { bestEffort: comment } : {}),
    },
  });
}

interface Forgotten {
  /** The catch that only logs the start's failure. */
  catchClause: ts.CatchClause;
  /** The function that holds that catch, and its name. */
  name: string;
  /** Its calls, none of which waits for the outcome. */
  calls: ts.CallExpression[];
}

/**
 * A start whose failure ends in a catch that only logs (around the start, or around the one call of
 * the function that holds the start, when that function lets the failure through), inside a
 * function every caller fires and forgets (`void svc.startX()`, a bare call not awaited). The
 * failure is logged, but the code that asked for the workflow carries on as if it ran, and nothing
 * retries the start or records that it failed.
 */
function loggedAndForgotten(model: TemporalModel, start: WorkflowStart, handling: StartHandling | undefined): Forgotten | undefined {
  let catchClause: ts.CatchClause | undefined;
  let holder: ts.FunctionLikeDeclaration | undefined;
  if (handling?.kind === 'try') {
    if (onlyLogsAfterLocals(handling.body)) {
      catchClause = handling.clause;
      holder = enclosingFunction(handling.statement);
    } else if (!rethrows(handling.body)) return undefined;
  } else if (handling) return undefined;
  if (!catchClause) {
    // The failure leaves the function that starts: one level up, the caller's catch only logs it.
    const starter = enclosingFunction(start.node);
    if (!starter || !awaitedInFunction(start.node, starter)) return undefined;
    const calls = callsOfFunction(model, starter);
    const logged = calls.map((call) => ({ call, handling: startHandling(call) })).filter((c) => c.handling?.kind === 'try' && onlyLogsAfterLocals(c.handling.body));
    if (calls.length === 0 || logged.length !== calls.length || logged.length !== 1) return undefined;
    const only = logged[0]!.handling as Extract<StartHandling, { kind: 'try' }>;
    catchClause = only.clause;
    holder = enclosingFunction(only.statement);
  }
  if (!holder) return undefined;
  const name = functionName(holder);
  if (!name) return undefined;
  const calls = callsOfFunction(model, holder);
  if (calls.length === 0 || !calls.every(promiseDropped)) return undefined;
  return { catchClause, name, calls };
}

function reportForgotten(ctx: CheckContext, start: WorkflowStart, forgotten: Forgotten): void {
  const model = ctx.model!;
  const what = startCallText(start);
  const first = forgotten.calls[0]!;
  const where = `${relative(ctx.root, first.getSourceFile().fileName)}:${model.locate(first).line}`;
  ctx.report({
    location: model.locate(first),
    severity: 'info',
    message:
      `This call fires ${forgotten.name}() and forgets it${forgotten.calls.length > 1 ? ` (so do its ${forgotten.calls.length - 1} other call${forgotten.calls.length > 2 ? 's' : ''})` : ''}, and ${forgotten.name}() only logs a failure of ${what}. ` +
      'When the start fails (the server is unreachable, the client is not connected, the arguments do not serialise), the code here carries on as if the workflow ran: ' +
      'whatever it created or promised for that workflow is left waiting, and nothing retries the start or records that it failed.',
    fix: `Await ${forgotten.name}() here and handle its failure (mark the record failed, return an error, or retry), or have it retry the start and record a start that never happened somewhere someone looks.`,
    related: [
      { ...model.locate(forgotten.catchClause), message: 'the catch that only logs the failure' },
      { ...start.location, message: 'the start' },
      ...forgotten.calls.slice(1, 4).map((call) => ({ ...model.locate(call), message: `another call that does not wait for ${forgotten.name}()` })),
    ],
    data: { workflowType: start.workflowType, method: start.method, loggedOnly: true, firedAndForgotten: where },
  });
}

/** The block throws (rethrows the error, or a new one): the failure leaves the function. */
function rethrows(block: ts.Block): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isThrowStatement(node)) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

/** Names of a message consumer: its file, class or function says it consumes, subscribes or handles messages. */
const CONSUMER = /consum|kafka|subscri|listener|on_?message|handle_?message|process_?message|queue_?worker/i;

/** What retry the handler defeats: the activity whose own body holds it, or the message consumer it runs in. */
function lostRetryAround(model: TemporalModel, handling: StartHandling): string | undefined {
  const node = handling.kind === 'try' ? handling.statement : handling.catchCall;
  const fn = enclosingFunction(node);
  if (!fn) return undefined;
  const activity = model.activities.find((candidate) => candidate.node === fn);
  if (activity) return `activity ${activity.name}`;
  const name = functionName(fn) ?? '';
  const owner = ts.findAncestor(fn.parent, ts.isClassLike)?.name?.text;
  const qualified = owner ? `${owner}.${name}` : name;
  const base = fn.getSourceFile().fileName.split('/').slice(-2).join('/');
  if (CONSUMER.test(qualified) || CONSUMER.test(base)) return `message consumer ${qualified || base}`;
  return undefined;
}

function handlerLocation(handling: StartHandling) {
  if (handling.kind === 'try') return locate(handling.clause);
  const callee = handling.catchCall.expression;
  return locate(ts.isPropertyAccessExpression(callee) ? callee.name : handling.catchCall);
}

/** How a start chain nobody waits for is reached from a request or message handler. */
interface UnawaitedReach {
  /** The function that holds the chain, and its name. */
  holder: ts.FunctionLikeDeclaration;
  name: string;
  /** The calls of the holder on the way to the handler (the holder itself is the handler: none). */
  calls: ts.CallExpression[];
  /** The call on the way up that runs inside the handler (the handler is a caller further out), if any. */
  entryCall?: ts.CallExpression;
  /** Why the handler runs once per request or message. */
  context: string;
  /** What the sender does with a failed answer: a webhook's sender and a broker redeliver. */
  sender?: 'webhook' | 'message consumer';
}

/** The calls of the function that holds the chain the message names. */
const MAX_REACH_CALLS = 8;

const WEBHOOK = /webhook/i;

/**
 * The request or message handler that runs the function holding the chain: that function itself,
 * or a caller up to three levels out (calls the checker resolves, `this.method(...)` included). A
 * handler that a decorator or a route registration declares wins over one read from a parameter's
 * name (`event`), which is kept when nothing further out declares one.
 */
function unawaitedReach(model: TemporalModel, catchCall: ts.CallExpression, root: string): UnawaitedReach | undefined {
  const holder = enclosingFunction(catchCall);
  const name = holder && functionName(holder);
  if (!holder || !name) return undefined;
  const direct = callsOfFunction(model, holder).slice(0, MAX_REACH_CALLS);
  const found = handlerReach(model, catchCall, holder);
  if (!found) return undefined;
  const entry = found.context.fn;
  const owner = ts.findAncestor(entry.parent, ts.isClassLike)?.name?.text ?? '';
  const file = relative(root, entry.getSourceFile().fileName);
  const names = [functionName(entry) ?? '', owner, file];
  const sender = names.some((text) => WEBHOOK.test(text)) ? ('webhook' as const) : names.some((text) => CONSUMER.test(text)) ? ('message consumer' as const) : undefined;
  return { holder, name, calls: direct, ...(found.entryCall ? { entryCall: found.entryCall } : {}), context: found.context.text, ...(sender ? { sender } : {}) };
}

/** A comment that only says the start is not waited for: the decision that loses the redelivery, not one to accept the loss. */
const NOT_WAITED_COMMENT = /fire[- ]and[- ]forget/gi;

function reportUnawaited(ctx: CheckContext, start: WorkflowStart, handling: Extract<StartHandling, { kind: 'promise' }>, reach: UnawaitedReach): void {
  const model = ctx.model!;
  const what = startCallText(start);
  const at = (node: ts.Node) => `${relative(ctx.root, node.getSourceFile().fileName)}:${model.locate(node).line}`;
  const callee = handling.catchCall.expression;
  const catchName = ts.isPropertyAccessExpression(callee) ? callee.name : handling.catchCall;
  const comments = handlerComments(handling);
  const decided = BEST_EFFORT.exec(comments.replace(NOT_WAITED_COMMENT, ''))?.[0];
  const notWaitedComment = comments.match(NOT_WAITED_COMMENT)?.[0];
  const callers = [...new Set(reach.calls.map((call) => functionName(enclosingFunction(call)!) ?? '').filter(Boolean))];
  const listed = callers.length > 4 ? [...callers.slice(0, 4), `${callers.length - 4} more`] : callers;
  const callerText = callers.length === 0 ? '' : ` It is called by ${listed.length > 1 ? `${listed.slice(0, -1).join(', ')} and ${listed[listed.length - 1]}` : listed[0]} (${reach.calls.slice(0, 4).map(at).join(', ')}).`;
  const answered = reach.sender === 'webhook' ? 'the webhook is answered' : reach.sender ? 'the message is acknowledged' : 'the request is answered';
  const severity = !reach.sender || decided ? ('info' as const) : undefined;
  ctx.report({
    location: start.location,
    ...(severity ? { severity } : {}),
    message:
      `${what} runs in a promise chain that ${reach.name}() does not wait for, and the chain's .catch (${at(catchName)}) only logs a failure.` +
      callerText +
      ` It runs for each request or message (${reach.entryCall ? `${at(reach.entryCall)}, where ` : ''}${reach.context}): ${answered} before the start has happened, and a start that fails later cannot change that answer` +
      (notWaitedComment ? ` (a comment says '${notWaitedComment}': that decides not to wait for the start, not what happens when it fails)` : '') +
      (decided ? `; a comment calls the loss deliberate ('${decided}')` : '') +
      '. ' +
      (reach.sender === 'webhook'
        ? 'The sender gets a success status and does not deliver the event again: when the start fails (the server is unreachable, the client cannot connect, the arguments do not serialise), no workflow runs, the event is lost, and only a log line says so.'
        : reach.sender
          ? 'The message counts as handled and is not redelivered: when the start fails (the server is unreachable, the client cannot connect, the arguments do not serialise), no workflow runs and only a log line says so.'
          : 'The caller is told it worked: when the start fails (the server is unreachable, the client cannot connect, the arguments do not serialise), no workflow runs, nothing retries the start, and only a log line says it never happened.'),
    fix:
      `Return the start's promise from ${reach.name}() and await it in its callers up to the handler, so a failed start answers with an error${reach.sender === 'webhook' ? ' status and the sender delivers the event again' : reach.sender ? ' and the message is redelivered' : ''} ` +
      '(with a workflow id built from the event\'s own key, a repeat finds the run already started); or record the start that never happened where something retries it (an outbox, a dead-letter queue).',
    related: [
      { ...model.locate(catchName), message: 'the .catch that only logs the failure' },
      ...reach.calls.slice(0, 4).map((call) => ({ ...model.locate(call), message: `a call of ${reach.name}(), which returns before the start happens` })),
      ...(reach.entryCall && !reach.calls.includes(reach.entryCall) ? [{ ...model.locate(reach.entryCall), message: 'the call in the request or message handler' }] : []),
    ],
    data: {
      workflowType: start.workflowType,
      method: start.method,
      loggedOnly: true,
      notWaited: reach.name,
      ...(reach.sender ? { lostRedelivery: reach.sender } : {}),
      ...(decided ? { bestEffort: decided } : {}),
    },
  });
}
