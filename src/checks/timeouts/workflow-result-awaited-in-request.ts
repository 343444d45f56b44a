// Prevents HTTP requests that hang for as long as a workflow runs: a request handler that runs a
// workflow and waits for its result (`await client.execute_workflow(...)`, `await handle.result()`,
// `client.workflow.execute(...)`, `(await client.workflow.start(...)).result()`) with no execution
// or run timeout on the start and no timeout around the wait. Activities retry without end by
// default, so during an outage of a dependency the request holds its connection until a proxy or
// the caller gives up, while the workflow keeps running and applies its action later; a client
// retry of the request then starts a second run. Python: python-request-waits.ts.

import path from 'node:path';
import ts from 'typescript';
import { relativePath } from '../../model/typescript/locate.js';
import { callSitesOf } from '../../model/typescript/per-call-connections.js';
import { detachedCall } from '../../model/typescript/detached-calls.js';
import { closedStatusGuard, reachableAfter, sameVariable } from '../../model/typescript/handle-result-path.js';
import { requestContext, requestFileContext } from '../../model/typescript/observability/request-context.js';
import { withoutRunTimeout } from '../../engine/activity-policy/workflow-deadline.js';
import { activityRetriesBound, workflowRunBound } from '../../engine/activity-policy/workflow-run-bound.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import type { CodeModel } from '../../model/types.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { isToolCode } from '../../model/tool-code.js';
import type { PythonRequestWait } from '../../model/python/python-request-waits.js';
import type { TemporalModel, WorkflowStart } from '../../model/typescript/types.js';
import { defineCheck, type CheckContext } from '../define-check.js';

const FIX =
  'Bound the wait: set an execution timeout on the start (Python `execution_timeout=`, TypeScript `workflowExecutionTimeout`) above the longest expected run, ' +
  'and/or wrap the wait in a timeout (`asyncio.wait_for`, `Promise.race` with a timer) and answer 202 with the workflow id when it passes. ' +
  'For long or retry-prone work, start the workflow, return its id and let the caller poll (or use an update with a timeout); give the start a fixed workflow id so a retried request does not start a second run.';

const CONSEQUENCE =
  'the request holds its connection for the whole run, and nothing bounds how long that is: a worker backlog, or activities retrying through an outage of a dependency (the default retry policy never stops), ' +
  'holds the request until a load balancer, a gateway or the caller gives up, while the workflow keeps running and applies its action later; a retry of the request by the caller starts another run unless the workflow id is fixed.';

const GIVES_UP =
  'holds the request until a load balancer, a gateway or the caller gives up, while the workflow runs later and applies its action then; a retry of the request by the caller starts another run unless the workflow id is fixed.';

/**
 * What leaves the request waiting, as far as the started workflow's code shows it: when every
 * activity it schedules retries a bounded number of times, not an outage retried without end but a
 * worker that is down or a backlog on its task queue (and whatever else in its run has no bound);
 * the unlimited-retry sentence when some activity retries without limit, or when the review cannot
 * tell (the workflow or its activities not found, a policy it cannot read).
 */
function consequence(model: CodeModel, workflow: string | null | undefined): { text: string; activityRetries: 'bounded' | 'unlimited' | 'unknown' | 'cannot-fail' } {
  if (!workflow) return { text: CONSEQUENCE, activityRetries: 'unknown' };
  // Every activity the workflow runs cannot fail (its code, read in full, makes no call that can):
  // no outage is retried through; what holds the request is a worker that is down or behind.
  const failureFree = failureFreeActivities(model, workflow);
  if (failureFree) {
    const timeouts = model.language === 'python' ? 'execution_timeout or run_timeout' : 'workflowExecutionTimeout or workflowRunTimeout';
    return {
      text:
        `the request holds its connection for the whole run. No activity ${workflow} runs can fail (${listNames(failureFree, 3)}: ${failureFree.length === 1 ? 'its' : 'their'} code, read in full, makes no call that can fail), so no outage of a dependency holds it; ` +
        `what nothing bounds is the wait for a worker: with no ${timeouts} on the start, a worker that is down or a backlog on the task queue ${GIVES_UP}`,
      activityRetries: 'cannot-fail',
    };
  }
  const retries = activityRetriesBound(model, workflow);
  if (retries.kind === 'open' && retries.unlimited) return { text: CONSEQUENCE, activityRetries: 'unlimited' };
  if (retries.kind !== 'bounded') return { text: CONSEQUENCE, activityRetries: 'unknown' };
  const run = workflowRunBound(model, workflow);
  const timeouts = model.language === 'python' ? 'execution_timeout or run_timeout' : 'workflowExecutionTimeout or workflowRunTimeout';
  const retried = `every activity ${workflow} schedules retries a bounded number of times (${listNames(retries.activities, 3)}), so an outage of a dependency ends the run instead of holding it`;
  const text =
    run.kind === 'bounded'
      ? `the request holds its connection for the whole run. ${capitalize(retried)}; what nothing bounds is the wait for a worker: with no ${timeouts} on the start, a worker that is down or a backlog on the task queue ${GIVES_UP}`
      : `the request holds its connection for the whole run. ${capitalize(retried)}, but ${run.why}; that, or a worker that is down or a backlog on the task queue (the start sets no ${timeouts}), ${GIVES_UP}`;
  return { text, activityRetries: 'bounded' };
}

/** The activities the workflow runs, when there are some, every one is found and none can fail; undefined otherwise. */
function failureFreeActivities(model: CodeModel, workflow: string): string[] | undefined {
  if (model.language === 'python' && model.activityProxies.some((proxy) => proxy.workflowNames.length === 0)) return undefined;
  const reviews = proxyReviews(model).filter((review) => review.proxy.workflowNames.includes(workflow) && review.uses.length > 0);
  if (reviews.length === 0) return undefined;
  const uses = reviews.flatMap((review) => review.uses);
  if (uses.some((use) => use.implementations.length === 0)) return undefined;
  const implementations = uses.flatMap((use) => use.implementations) as { name: string; failureFree?: string }[];
  if (!implementations.every((implementation) => implementation.failureFree !== undefined && implementation.failureFree !== 'failures-swallowed')) return undefined;
  return [...new Set(implementations.map((implementation) => implementation.name))].sort();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const NEXT_ROUTE_FILE = /(^|\/)route\.[cm]?[jt]sx?$/;
const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const TEST_PATH = /(^|\/)(tests?|__tests__|spec|e2e)\/|\.(test|spec)\.[cm]?[jt]sx?$/;
/** Calls that bound a wait: `Promise.race([...])`, `withTimeout(p, ms)`, `pTimeout(p, ...)`. */
const BOUNDING_CALL = /(?:^|\.)(?:race|withTimeout|pTimeout|promiseTimeout|timeoutPromise|raceTimeout|withDeadline)$/;

export default defineCheck({
  id: 'workflow-result-awaited-in-request',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'An HTTP request handler runs a workflow and waits for its result with no execution timeout on the start and no timeout around the wait',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    if (python) {
      for (const found of python.requestWaits ?? []) reportPython(ctx, python, found);
      return;
    }
    for (const start of model.starts) {
      if (start.child || start.notRun || (start.method !== 'execute' && start.method !== 'start')) continue;
      if (!withoutRunTimeout(start.options)) continue;
      const file = relativePath(model.root, start.location.file);
      if (TEST_PATH.test(file) || isToolCode(file)) continue;
      const wait = start.method === 'execute' ? start.node : resultCall(start.node, model);
      if (!wait || boundedWait(wait)) continue;
      // `void client.workflow.execute(...)`, `setImmediate(() => handle.result().then(...))`: nothing waits here.
      if (detachedCall(wait, model)) continue;
      const context = handlerContext(start.node, model, ctx.root);
      if (context) {
        reportTypeScript(ctx, model, start, wait, context);
        continue;
      }
      // Every request path hands the run to a detached promise: the request does not wait, but this
      // process does; reported when what follows the wait writes the result.
      const background = handlerContext(start.node, model, ctx.root, true);
      if (!background?.detachedAt) continue;
      const write = writeOfResult(wait);
      if (write) reportBackground(ctx, model, start, write, background);
    }
  },
});

function reportPython(ctx: CheckContext, python: CodeModel, found: PythonRequestWait): void {
  const at = (location: { file: string; line: number }) => `${relativePath(ctx.root, location.file)}:${location.line}`;
  const certain = found.sites.some((site) => site.certain);
  const first = found.sites.find((site) => site.certain) ?? found.sites[0]!;
  const helpers = found.helpers.filter((helper) => helper !== found.function);
  // A sync bridge (`run_async(client.execute_workflow, ...)`) blocks the request's thread for the wait.
  const how =
    found.kind === 'execute'
      ? found.runner ? `runs \`execute_workflow\` through ${found.runner}, which blocks until the run ends` : 'awaits `execute_workflow`'
      : found.runner ? `starts it and waits for \`handle.result()\` through ${found.runner} (${at(found.wait)})` : `starts it and awaits \`handle.result()\` (${at(found.wait)})`;
  const where =
    first.location.file === found.location.file && first.location.line === found.location.line
      ? `${first.context}`
      : `${found.function} runs per request: it is reached from ${at(first.location)} (${first.context})${helpers.length > 0 ? ` through ${helpers.join(', ')}` : ''}`;
  const start = python.starts.find((candidate) => candidate.location.file === found.location.file && candidate.location.line === found.location.line && candidate.location.column === found.location.column)
    ?? python.starts.find((candidate) => candidate.location.file === found.location.file && candidate.location.line === found.location.line);
  const then = consequence(python, start?.workflowType);
  let message = `${found.function} runs the workflow ${found.workflow} and ${how}, with no execution_timeout or run_timeout on the start and no timeout around the wait; ${where}. So ${then.text}`;
  if (!certain) message += ' That this runs per HTTP request is read from a parameter name or type, which the review cannot confirm.';
  ctx.report({
    location: found.location,
    ...(certain ? {} : { severity: 'info' as const }),
    message,
    fix: FIX,
    related: [
      ...(found.kind === 'result' ? [{ ...found.wait, message: 'the result is awaited here with no timeout' }] : []),
      ...found.sites.slice(0, 3).map((site) => ({ ...site.location, message: `runs per request: ${site.context}` })),
    ],
    data: { workflow: found.workflow, function: found.function, kind: found.kind, helpers: found.helpers, certain, activityRetries: then.activityRetries },
  });
}

function reportTypeScript(ctx: CheckContext, model: TemporalModel, start: WorkflowStart, wait: ts.CallExpression, context: { text: string; certain: boolean; site?: ts.Node }): void {
  // A callback (`withClient(async (client) => client.workflow.execute(...))`) is named by the function around it.
  let name: string | undefined;
  for (let fn = enclosingFunction(start.node); fn && !name; fn = enclosingFunction(fn)) name = functionName(fn);
  name ??= 'this function';
  const waitAt = model.locate(wait);
  const callee = start.node.expression.getText().replace(/\s+/g, '');
  const how = start.method === 'execute' ? `awaits \`${callee.split('.').slice(-2).join('.')}\`` : `starts it and awaits \`result()\` (line ${waitAt.line})`;
  const siteText = context.site ? (() => {
    const location = model.locate(context.site!);
    return `it is called at ${relativePath(model.root, location.file)}:${location.line}, where ${context.text}`;
  })() : context.text;
  const then = consequence(model, start.workflowType);
  let message = `${name} runs the workflow ${start.workflowTypeText} and ${how}, with no workflowExecutionTimeout or workflowRunTimeout on the start and no timeout around the wait; it runs per request (${siteText}). So ${then.text}`;
  if (!context.certain) message += ' That this runs per request is read from the file\'s place, which the review cannot confirm.';
  ctx.report({
    location: start.location,
    ...(context.certain ? {} : { severity: 'info' as const }),
    message,
    fix: FIX,
    related: [
      ...(start.method === 'start' ? [{ ...waitAt, message: 'the result is awaited here with no timeout' }] : []),
      ...(context.site ? [{ ...model.locate(context.site), message: `runs per request: ${context.text}` }] : []),
    ],
    data: { workflow: start.workflowTypeText, function: name, kind: start.method, certain: context.certain, activityRetries: then.activityRetries },
  });
}

function reportBackground(ctx: CheckContext, model: TemporalModel, start: WorkflowStart, write: ts.CallExpression, context: { text: string; certain: boolean; site?: ts.Node; detachedAt?: ts.Node }): void {
  let name: string | undefined;
  for (let fn = enclosingFunction(start.node); fn && !name; fn = enclosingFunction(fn)) name = functionName(fn);
  name ??= 'this function';
  const at = (node: ts.Node) => {
    const location = model.locate(node);
    return `${relativePath(model.root, location.file)}:${location.line}`;
  };
  const writeAt = model.locate(write);
  const writeText = write.expression.getText().replace(/\s+/g, '');
  const detachedAt = context.detachedAt!;
  let message =
    `${name} waits for the workflow ${start.workflowTypeText} to finish and then writes its result (\`${writeText}\`, line ${writeAt.line}); it runs in a detached promise (${at(detachedAt)}) started per request (${context.site ? `${at(context.site)}, where ${context.text}` : context.text}). ` +
    'The request does not wait, but this process does, in the background: a restart or deploy during the run drops the promise, the workflow completes, and its result and the writes after it are lost; nothing collects the result later.';
  if (!context.certain) message += ' That this runs per request is read from the file\'s place, which the review cannot confirm.';
  ctx.report({
    location: start.location,
    ...(context.certain ? {} : { severity: 'info' as const }),
    message,
    fix: 'Persist the result in the workflow itself (an activity that writes it as the last step), or have something durable collect it (a workflow or job that waits on the run and writes, or a reconciler that looks up completed runs); the request can keep returning at once.',
    related: [
      { ...writeAt, message: 'the result is written here, after the wait, in the API process' },
      { ...model.locate(detachedAt), message: 'the waiting function is left running here: nothing durable waits for it' },
    ],
    data: { workflow: start.workflowTypeText, function: name, kind: start.method, certain: context.certain, background: true },
  });
}

/**
 * The `.result()` call on the handle a `workflow.start(...)` returns, on the same path through the
 * function: the variable the start initialized (not another of the same name in a sibling block),
 * after the start and not in another branch of a conditional around it (handle-result-path.ts). A
 * call that runs only once describe() says the run is closed returns at once and is no wait.
 */
function resultCall(call: ts.CallExpression, model: TemporalModel): ts.CallExpression | undefined {
  let node: ts.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent))) node = node.parent;
  const parent = node.parent;
  if (parent && ts.isPropertyAccessExpression(parent) && parent.name.text === 'result' && parent.parent && ts.isCallExpression(parent.parent)) return parent.parent;
  if (!parent || !ts.isVariableDeclaration(parent) || parent.initializer !== node || !ts.isIdentifier(parent.name)) return undefined;
  const handle = parent.name;
  const fn = enclosingFunction(call);
  if (!fn?.body) return undefined;
  const checker = model.checkerFor(call.getSourceFile().fileName);
  let found: ts.CallExpression | undefined;
  const visit = (inner: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && inner.expression.name.text === 'result' && ts.isIdentifier(inner.expression.expression) &&
      sameVariable(inner.expression.expression, handle, checker) && reachableAfter(call, inner) && !closedStatusGuard(inner)
    ) {
      found = inner;
      return;
    }
    if (inner !== fn.body && ts.isFunctionLike(inner)) return;
    ts.forEachChild(inner, visit);
  };
  visit(fn.body);
  return found;
}

/**
 * The wait is bounded: inside `Promise.race(...)` or a timeout helper, or its promise is not
 * awaited where it is made (kept and raced, or handed elsewhere) and the function races something.
 */
function boundedWait(wait: ts.CallExpression): boolean {
  const fn = enclosingFunction(wait);
  for (let current: ts.Node | undefined = wait.parent; current && current !== fn; current = current.parent) {
    if (ts.isCallExpression(current) && BOUNDING_CALL.test(current.expression.getText())) return true;
  }
  const text = fn?.getText() ?? '';
  return /Promise\.race\s*\(|\bsetTimeout\s*\(|\bwithTimeout\s*\(|\bpTimeout\s*\(/.test(text);
}

/**
 * Why the start runs per request: its own function, or a caller one or two levels up. A call that
 * leaves the promise running (`void p`, `p.catch(...)` not awaited, a fire-and-forget helper) does
 * not make its caller wait, so the chain is not followed through it; when only such calls were
 * found, the file's place does not count either.
 */
function handlerContext(node: ts.Node, model: TemporalModel, root: string, followDetached = false): { text: string; certain: boolean; site?: ts.Node; detachedAt?: ts.Node } | undefined {
  const own = certainContext(node, root);
  if (own) return followDetached ? undefined : { text: own, certain: true };
  let frontier: ts.Node[] = [node];
  const seen = new Set<ts.Node>();
  let detached = false;
  let detachedAt: ts.Node | undefined;
  for (let depth = 0; depth < 2; depth++) {
    const next: ts.Node[] = [];
    for (const current of frontier) {
      const fn = enclosingFunction(current);
      if (!fn || seen.has(fn)) continue;
      seen.add(fn);
      for (const site of callSitesOf(fn, model)) {
        if (detachedCall(site, model)) {
          detached = true;
          if (!followDetached) continue;
          detachedAt ??= site;
        }
        const context = certainContext(site, root);
        if (context) return { text: context, certain: true, site, ...(detachedAt ? { detachedAt } : {}) };
        next.push(site);
      }
    }
    frontier = next;
  }
  if (detached && !followDetached) return undefined;
  const file = requestFileContext(node.getSourceFile().fileName, root);
  return file ? { text: file, certain: false, ...(detachedAt ? { detachedAt } : {}) } : undefined;
}

/** Method names that write: `createMessage`, `save`, `upsertRun`, `persistArtifacts`, `recordResult`, `emit`, `publish`. */
const WRITE_METHOD = /^(?:create|save|insert|update|upsert|persist|record|store|delete)(?:[A-Z_]\w*)?$|^(?:emit|publish)(?:[A-Z_]\w*)?$/;
/** Objects that store or publish: repositories, services, database clients, ORMs, brokers. */
const WRITE_RECEIVER = /(?:^|\.)(?:prisma|db|database|knex|em|entityManager|orm|sequelize|mongoose|supabase)(?:\.|$)|(?:repo|repository|service|dao|store|model|collection|table|ledger|broker|emitter|publisher|bus|events)$/i;
/** Writes on the class itself whose names say they persist (`this.persistArtifacts(...)`). */
const SELF_WRITE = /^(?:save|persist|record|store|upsert|insert)(?:[A-Z_]\w*)?$/;

/**
 * A write after the wait that uses the workflow's result: a call on a repository, service,
 * database, ORM or broker object (`this.messagesService.createMessage(...)`, `prisma.run.update(...)`,
 * `this.events.emit(...)`) whose arguments use the result or a variable made from it, in the
 * function that waits.
 */
function writeOfResult(wait: ts.CallExpression): ts.CallExpression | undefined {
  let node: ts.Node = wait;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent))) node = node.parent;
  const fn = enclosingFunction(wait);
  if (!fn?.body) return undefined;
  // `await repo.save(await client.workflow.execute(...))`
  for (let current: ts.Node | undefined = node.parent; current && current !== fn; current = current.parent) {
    if (ts.isCallExpression(current) && isWrite(current) && current.arguments.some((argument) => argument.pos <= node.pos && node.end <= argument.end)) return current;
    if (ts.isStatement(current)) break;
  }
  const tainted = new Set<string>();
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && parent.initializer === node) bindingNames(parent.name, tainted);
  else if (parent && ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node && ts.isIdentifier(parent.left)) tainted.add(parent.left.text);
  if (tainted.size === 0) return undefined;
  const found: ts.CallExpression[] = [];
  const visit = (inner: ts.Node): void => {
    if (inner.end <= node.end) return;
    if (ts.isVariableDeclaration(inner) && inner.initializer && inner.pos >= node.end && uses(inner.initializer, tainted)) bindingNames(inner.name, tainted);
    if (ts.isForOfStatement(inner) && uses(inner.expression, tainted) && ts.isVariableDeclarationList(inner.initializer)) {
      for (const declaration of inner.initializer.declarations) bindingNames(declaration.name, tainted);
    }
    ts.forEachChild(inner, visit);
    if (ts.isCallExpression(inner) && inner.pos >= node.end && isWrite(inner) && inner.arguments.some((argument) => uses(argument, tainted))) found.push(inner);
  };
  visit(fn.body);
  // A stored write names the loss better than a publish to listeners.
  found.sort((a, b) => a.pos - b.pos);
  return found.find((call) => !/^(?:emit|publish)/.test(methodName(call))) ?? found[0];
}

function methodName(call: ts.CallExpression): string {
  const callee = skipParens(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
}

function isWrite(call: ts.CallExpression): boolean {
  const callee = skipParens(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  const receiver = callee.expression.getText().replace(/\s+/g, '').replace(/\?$/, '');
  if (receiver === 'this') return SELF_WRITE.test(method);
  return WRITE_METHOD.test(method) && WRITE_RECEIVER.test(receiver);
}

function skipParens(expr: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(expr) || ts.isNonNullExpression(expr)) expr = expr.expression;
  return expr;
}

function bindingNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) {
    into.add(name.text);
    return;
  }
  for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(element.name, into);
}

function uses(expr: ts.Node, names: Set<string>): boolean {
  let hit = false;
  const visit = (inner: ts.Node): void => {
    if (hit) return;
    if (ts.isIdentifier(inner) && names.has(inner.text)) {
      const parent = inner.parent;
      const isMemberName = (ts.isPropertyAccessExpression(parent) && parent.name === inner) || (ts.isPropertyAssignment(parent) && parent.name === inner);
      if (!isMemberName) hit = true;
      return;
    }
    ts.forEachChild(inner, visit);
  };
  visit(expr);
  return hit;
}

/** A handler shape in the code (a route decorator, a request parameter, a registration, a Next.js route export); not the file's place alone. */
export function certainContext(node: ts.Node, root: string): string | undefined {
  const fileName = node.getSourceFile().fileName;
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) && current.name && HTTP_METHODS.has(current.name.text) && NEXT_ROUTE_FILE.test(fileName.split(path.sep).join('/'))) {
      return `${current.name.text} is a Next.js route handler`;
    }
    if (ts.isVariableDeclaration(current) && ts.isIdentifier(current.name) && HTTP_METHODS.has(current.name.text) && NEXT_ROUTE_FILE.test(fileName.split(path.sep).join('/'))) {
      return `${current.name.text} is a Next.js route handler`;
    }
  }
  const text = requestContext(node, root);
  if (!text || text === requestFileContext(fileName, root)) return undefined;
  // Message, event and job consumers are not HTTP requests.
  if (/`(?:event|evt|message|msg|job)`|type `(?:SQSEvent|SNSEvent|EventBridgeEvent\w*|KafkaMessage|EachMessagePayload|ConsumeMessage|Job)`|@(?:EventPattern|MessagePattern|OnEvent|Process|Processor|SqsMessageHandler|RabbitSubscribe|Subscribe|SubscribeMessage|OnQueueActive)\b|given to \S*\.(?:subscribe|consume|process|on|eachMessage)\b/.test(text)) return undefined;
  return text;
}

export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current) || ts.isMethodDeclaration(current)) return current;
    if (ts.isSourceFile(current)) return undefined;
  }
  return undefined;
}

export function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name))) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  if (ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}
