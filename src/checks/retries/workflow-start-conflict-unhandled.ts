// A repeated request (a double click, a client retry, a second form submit) that finds its workflow
// already running: an HTTP request handler starts a workflow with an id built from the request's
// data or an entity's key, so the repeat builds the same id, and nothing handles the conflict. With
// the default conflict policy (UNSPECIFIED, which the server treats as FAIL) Temporal refuses the
// second start while the first run is open, which is the point of such an id (no second run), but
// the refusal is thrown out of the handler: WorkflowExecutionAlreadyStartedError
// (@temporalio/client 1.24, from @temporalio/common) / WorkflowAlreadyStartedError (temporalio 1.35,
// temporalio.exceptions), and the caller gets a 500 instead of the running workflow or a 409.
//
// Left alone: `workflowIdConflictPolicy` / `id_conflict_policy` set, TERMINATE_IF_RUNNING, a
// signal-with-start or a child, a try/catch (try/except) on the way from the start to the handler
// that does more than re-throw or answer 500, code that names the error or looks up the running
// workflow first (`describe()`, `getHandle`), another file that registers a handler for it, ids
// that are random (workflow-start-id-random) or constant (workflow-id-collision), and handlers
// known only from the file's place. The Python front-end reads it itself (python-start-conflicts.ts).

import path from 'node:path';
import ts from 'typescript';
import { defineCheck, type CheckContext } from '../define-check.js';
import { relativePath } from '../../model/typescript/locate.js';
import { startCallText } from '../../model/typescript/extract-starts.js';
import { callSitesOf } from '../../model/typescript/per-call-connections.js';
import { notProduction } from '../../model/typescript/observability/development-only.js';
import { workflowIdShape } from '../../model/typescript/observability/workflow-id-shape.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import { callbackOuterCall } from '../../model/typescript/start-handling.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { PythonStartConflict } from '../../model/python/python-start-conflicts.js';
import { isToolCode } from '../../model/tool-code.js';
import type { SourceLocation } from '../../model/types.js';
import type { TemporalModel, WorkflowStart } from '../../model/typescript/types.js';
import { certainContext, enclosingFunction, functionName } from '../timeouts/workflow-result-awaited-in-request.js';

const ALREADY_STARTED = /AlreadyStarted|already[\s_-]*started|ALREADY_EXISTS|already[\s_-]*(running|exists)/i;
const SERVER_ERROR = /\b500\b|INTERNAL_SERVER_ERROR|InternalServerError/;
const REGISTRATION = /@Catch\b|ExceptionFilter|setErrorHandler|\.onError\s*\(|errorHandler|ErrorHandler|middleware/i;
/** The code answers a repeat already: a 409, a conflict error, an idempotency or duplicate check. */
const REPEAT_ANSWERED = /\b409\b|CONFLICT|Conflict|idempoten|dedup|\bduplicate/i;
/** Values unique per request (a framework's request id, a trace id) or per call (a random fallback): a repeat does not build the same id. */
const PER_REQUEST_VALUE = /request_?id\b|\breq\.id\b|\brequest\.id\b|correlation_?id|trace_?id|\w*(?:uuid|nanoid|ulid|cuid|random)\w*\s*\(|\bDate\.now\s*\(/i;
const TEST_PATH = /(^|\/)(tests?|__tests__|spec|e2e)\/|\.(test|spec)\.[cm]?[jt]sx?$/;
const MAX_HELPERS = 2;

const TS_FIX =
  "Catch WorkflowExecutionAlreadyStartedError around the start and answer with the running workflow (`client.workflow.getHandle(workflowId)`) or a 409 Conflict; " +
  "or set `workflowIdConflictPolicy: 'USE_EXISTING'` on the start, which then returns a handle to the running workflow instead of throwing.";
const PY_FIX =
  'Catch temporalio.exceptions.WorkflowAlreadyStartedError around the start and answer with the running workflow (`client.get_workflow_handle(id)`) or a 409 Conflict; ' +
  'or pass `id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING`, which makes the start return a handle to the running workflow instead of raising.';

export default defineCheck({
  id: 'workflow-start-conflict-unhandled',
  area: 'retries',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description:
    'An HTTP request handler starts a workflow with an id a repeated request builds again, and nothing handles the "already started" error: a second request while the run is open gets a 500 instead of the running workflow or a 409',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    if (python) {
      for (const found of python.startConflicts ?? []) reportPython(ctx, found);
      return;
    }
    const registered = registeredFiles(model, ctx.root);
    for (const start of model.starts) {
      if (start.child || start.notRun || (start.method !== 'start' && start.method !== 'execute')) continue;
      const options = start.options;
      if (options?.kind !== 'object' || options.unknownSpreads.length > 0) continue;
      if (options.properties.has('workflowIdConflictPolicy') || options.maybeProperties?.has('workflowIdConflictPolicy')) continue;
      const reuse = options.properties.get('workflowIdReusePolicy') ?? options.maybeProperties?.get('workflowIdReusePolicy');
      if (reuse && /TERMINATE_IF_RUNNING/.test(reuse.kind === 'string' ? reuse.value : reuse.kind === 'unknown' ? reuse.text : '')) continue;
      const file = relativePath(model.root, start.location.file);
      if (TEST_PATH.test(file) || isToolCode(file) || notProduction(start, ctx.root)) continue;
      const shape = workflowIdShape(start, model);
      if (shape.kind !== 'derived') continue;
      const idValue = options.properties.get('workflowId');
      const idNode = idValue?.kind === 'unknown' ? (idValue.node as ts.Expression | undefined) : undefined;
      if (!idNode || !namesLocalValue(idNode, model, 0)) continue;
      if (valueTexts(idNode, model, 0).some((text) => PER_REQUEST_VALUE.test(text))) continue;
      if ([...registered].some((other) => other !== start.location.file)) continue;
      const chain = handlerChain(start.node, model, ctx.root);
      if (!chain) continue;
      reportTypeScript(ctx, model, start, shape.text, chain);
    }
  },
});

interface Chain {
  text: string;
  /** The call in the handler that reaches the start (undefined when the start is in the handler). */
  site?: ts.Node;
  helpers: string[];
  passedThrough: ts.CatchClause[];
}

function reportTypeScript(ctx: CheckContext, model: TemporalModel, start: WorkflowStart, idText: string, chain: Chain): void {
  let name: string | undefined;
  for (let fn = enclosingFunction(start.node); fn && !name; fn = enclosingFunction(fn)) name = functionName(fn);
  name ??= 'this function';
  const where = chain.site
    ? (() => {
        const location = model.locate(chain.site!);
        return `it runs per request: it is reached from ${relativePath(model.root, location.file)}:${location.line}, where ${chain.text}${chain.helpers.length > 1 ? ` (through ${chain.helpers.join(', ')})` : ''}`;
      })()
    : `it runs per request: ${chain.text}`;
  const passed = chain.passedThrough.map((clause) => model.locate(clause));
  const passedText = passed.length > 0 ? ` The catch at ${passed.map((p) => `${relativePath(model.root, p.file)}:${p.line}`).join(', ')} only re-throws it or answers 500 like any other error.` : '';
  ctx.report({
    location: start.location,
    message:
      `${name} calls ${startCallText(start)} with workflow id ${idText}, which a repeated request (a double click, a client retry, a second form submit) builds again; ${where}. ` +
      'Nothing handles the conflict: no workflowIdConflictPolicy, no catch that tells this error apart on the way from the start to the handler, no error handler for it elsewhere. ' +
      'While the first run is open Temporal refuses the second start (good: no second run), but the refusal (WorkflowExecutionAlreadyStartedError) surfaces as a server error: the caller gets a 500 instead of the running workflow or a 409 Conflict.' +
      passedText,
    fix: TS_FIX,
    related: [
      ...(chain.site ? [{ ...model.locate(chain.site), message: `runs per request: ${chain.text}` }] : []),
      ...passed.map((p) => ({ ...p, message: 'this catch only re-throws the error or answers 500' })),
    ],
    data: { workflowType: start.workflowType, method: start.method, workflowId: idText, helpers: chain.helpers },
  });
}

function reportPython(ctx: CheckContext, found: PythonStartConflict): void {
  const at = (location: SourceLocation) => `${relativePath(ctx.root, location.file)}:${location.line}`;
  const site = found.site;
  const sameSpot = site.location.file === found.location.file && site.location.line === found.location.line;
  const where = sameSpot
    ? `it runs per request: ${site.context}`
    : `it runs per request: it is reached from ${at(site.location)} (${site.context})${found.helpers.length > 1 ? ` through ${found.helpers.join(', ')}` : ''}`;
  const passedText = found.passedThrough.length > 0 ? ` The except clause at ${found.passedThrough.map(at).join(', ')} only re-raises it or answers 500 like any other error.` : '';
  let message =
    `${found.function} calls client.${found.method}(${found.workflow}) with id=${found.idText}, ${found.supplied ? 'which the caller sends, so a repeated request (a double click, a client retry, a second form submit) sends it again' : 'which a repeated request (a double click, a client retry, a second form submit) builds again'}; ${where}. ` +
    'Nothing handles the conflict: no id_conflict_policy, no except clause that tells this error apart on the way from the start to the handler, no exception handler for it elsewhere. ' +
    'While the first run is open Temporal refuses the second start (good: no second run), but the refusal (WorkflowAlreadyStartedError) surfaces as a server error: the caller gets a 500 instead of the running workflow or a 409 Conflict.' +
    passedText;
  if (!site.certain) message += ' That this runs per HTTP request is read from a parameter name or type, which the review cannot confirm.';
  ctx.report({
    location: found.location,
    message,
    fix: PY_FIX,
    related: [
      ...(sameSpot ? [] : [{ ...site.location, message: `runs per request: ${site.context}` }]),
      ...found.passedThrough.map((location) => ({ ...location, message: 'this except clause only re-raises the error or answers 500' })),
    ],
    data: { workflow: found.workflow, method: found.method, workflowId: found.idText, supplied: found.supplied, helpers: found.helpers, certain: site.certain },
  });
}

/** Files (not tests) that name the "already started" error beside an error-handler registration. */
function registeredFiles(model: TemporalModel, root: string): Set<string> {
  const files = new Set<string>();
  for (const file of model.files) {
    if (TEST_PATH.test(path.relative(root, file).split(path.sep).join('/'))) continue;
    const text = model.sourceFile(file)?.text ?? '';
    if (/AlreadyStarted/.test(text) && REGISTRATION.test(text)) files.add(file);
  }
  return files;
}

/**
 * The id names a value of the call: a parameter, or a local of a function (a destructured request
 * field, a variable whose value does). Module constants and environment values alone do not.
 */
function namesLocalValue(expression: ts.Expression, model: TemporalModel, depth: number): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      if (parent && ts.isPropertyAccessExpression(parent) && parent.name === node) return;
      if (parent && ts.isCallExpression(parent) && skipOuterExpressions(parent.expression) === node) return;
      const declaration = model.declarationOf(node);
      if (!declaration) return;
      if (ts.isParameter(declaration) || ts.isBindingElement(declaration)) {
        found = inFunction(declaration);
        return;
      }
      if (ts.isVariableDeclaration(declaration) && inFunction(declaration)) {
        if (!declaration.initializer || depth >= 3) found = true;
        else found = namesLocalValue(declaration.initializer, model, depth + 1);
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

/** The id's text and the values of the local consts it names (three levels). */
function valueTexts(expression: ts.Expression, model: TemporalModel, depth: number): string[] {
  const texts = [expression.getText()];
  if (depth >= 3) return texts;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const declaration = model.declarationOf(node);
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && inFunction(declaration)) texts.push(...valueTexts(declaration.initializer, model, depth + 1));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return texts;
}

function inFunction(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return true;
  return false;
}

/** The request handler that reaches the start with nothing catching the error on the way. */
function handlerChain(start: ts.CallExpression, model: TemporalModel, root: string): Chain | undefined {
  const passedThrough: ts.CatchClause[] = [];
  const seen = new Set<ts.Node>();
  const walk = (node: ts.Node, depth: number, helpers: string[]): Omit<Chain, 'passedThrough'> | undefined | 'handled' => {
    const fn = enclosingFunction(node);
    if (!fn) return undefined;
    // `client.withDeadline(deadline, () => client.workflow.start(...))`, `getClient().then((c) => c.workflow.start(...))`:
    // the outer call fails with the start, so the code around it is read as the start's own
    const outer = callbackOuterCall(fn);
    if (outer) {
      if (ALREADY_STARTED.test(withoutComments(fn.getText()))) return 'handled';
      return walk(outer, depth, helpers);
    }
    // Comments do not handle anything ("if already running, this returns the existing handle").
    const text = withoutComments(fn.getText());
    if (ALREADY_STARTED.test(text) || REPEAT_ANSWERED.test(text) || /\.describe\s*\(|\bgetHandle\s*\(/.test(text)) return 'handled';
    const caught = catchAround(node, fn);
    if (caught === 'handled') return 'handled';
    passedThrough.push(...caught);
    const context = certainContext(node, root);
    if (context) return { text: context, ...(depth > 0 ? { site: node } : {}), helpers };
    if (depth >= MAX_HELPERS || seen.has(fn)) return undefined;
    seen.add(fn);
    const name = functionName(fn) ?? 'a helper';
    let result: Omit<Chain, 'passedThrough'> | undefined;
    for (const site of callSitesOf(fn, model)) {
      const inner = walk(site, depth + 1, [...helpers, name]);
      if (inner === 'handled') return 'handled';
      result ??= inner;
    }
    return result;
  };
  const result = walk(start, 0, []);
  if (!result || result === 'handled') return undefined;
  return { ...result, passedThrough };
}

/** How the try statements and `.catch(...)` around the call, within the function, treat the error. */
function catchAround(call: ts.Node, fn: ts.Node): ts.CatchClause[] | 'handled' {
  const passed: ts.CatchClause[] = [];
  let node: ts.Node = call;
  while (node.parent && (ts.isAwaitExpression(node.parent) || ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent))) node = node.parent;
  // `start(...).catch(...)`, `start(...).then(...).catch(...)`.
  for (let current: ts.Node = call; current.parent && ts.isPropertyAccessExpression(current.parent) && current.parent.expression === current; ) {
    const access = current.parent;
    if (access.name.text === 'catch') return 'handled';
    if (access.name.text !== 'then' || !access.parent || !ts.isCallExpression(access.parent)) break;
    if (access.parent.arguments.length > 1) return 'handled';
    current = access.parent;
  }
  for (let current: ts.Node = call; current.parent && current !== fn; current = current.parent) {
    const parent = current.parent;
    if (ts.isTryStatement(parent) && parent.tryBlock === current && parent.catchClause) {
      if (!passesOn(parent.catchClause)) return 'handled';
      passed.push(parent.catchClause);
    }
  }
  return passed;
}

/** The catch re-throws what it caught, hands it to `next`, or answers 500, with no test on the error. */
function passesOn(clause: ts.CatchClause): boolean {
  if (ALREADY_STARTED.test(withoutComments(clause.getText()))) return false;
  const variable = clause.variableDeclaration && ts.isIdentifier(clause.variableDeclaration.name) ? clause.variableDeclaration.name.text : undefined;
  const statements = clause.block.statements;
  if (statements.some((s) => ts.isIfStatement(s) || ts.isSwitchStatement(s) || ts.isTryStatement(s))) return false;
  const last = statements[statements.length - 1];
  if (!last) return false;
  if (ts.isThrowStatement(last)) {
    const thrown = skipOuterExpressions(last.expression);
    if (variable && ts.isIdentifier(thrown) && thrown.text === variable) return true;
    return SERVER_ERROR.test(last.getText());
  }
  if (ts.isReturnStatement(last) || ts.isExpressionStatement(last)) {
    const text = last.getText();
    if (variable && new RegExp(`^(?:return\\s+)?next\\s*\\(\\s*${variable}\\s*\\)`).test(text)) return true;
    return SERVER_ERROR.test(text);
  }
  return false;
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1');
}
