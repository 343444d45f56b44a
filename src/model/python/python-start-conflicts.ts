// Python HTTP request handlers that start a workflow with an id a repeated request builds again,
// and leave the "already started" refusal unhandled, for workflow-start-conflict-unhandled.
//
// temporalio 1.35: `Client.start_workflow` / `execute_workflow` take `id_conflict_policy`
// (default WorkflowIDConflictPolicy.UNSPECIFIED, which the server treats as FAIL); while a run with
// the id is open the start raises temporalio.exceptions.WorkflowAlreadyStartedError (a FailureError,
// a TemporalError, an Exception). Out of a FastAPI, Flask or Django view that is a 500.
//
// Reported when all hold:
// - a client start (not a child, not `start_signal=` / signal-with-start), no `**options`, no
//   id_conflict_policy, no TERMINATE_IF_RUNNING reuse policy;
// - the `id=` is derived (python-start-ids.ts: constant text and values that are not random) and
//   names a value of the function (a parameter or a local, `f"monitor-{target.slug}"`): a repeated
//   request builds it again; constant ids are workflow-id-collision's, random ones
//   workflow-start-id-random's;
// - the function is an HTTP request handler, or a helper one or two levels below one
//   (python-per-call-connections.ts), and no except clause on the way catches the error, except one
//   that only re-raises it or turns it into a 500 like any other error;
// - the id's values (followed through the names the function assigns, and into what a project
//   function it calls returns) hold nothing unique per request: a request id, a random or clock
//   value, a row the request creates (`Job.objects.create(...)`, whose key is new each time);
// - nothing on the way looks for the running workflow first (`describe()`, `get_workflow_handle`)
//   or names the error, and no other file registers a handler for it
//   (`@app.exception_handler(WorkflowAlreadyStartedError)` and the like).

import type { PythonStartCall } from './python-forwarded-calls.js';
import path from 'node:path';
import type { SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { className, enclosingTries, exceptClauses } from './python-caught-errors.js';
import { enclosingFunction, perRequestContext, usesOf, type PythonPerCallSite } from './python-per-call-connections.js';
import { pythonWorkflowIdShape } from './python-start-ids.js';
import { callArguments, descendantsInScope, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';
import { productionClientStarts } from './python-request-waits.js';
import { functionCalled } from './python-origins.js';

export interface PythonStartConflict {
  /** The start call. */
  location: SourceLocation;
  method: 'start_workflow' | 'execute_workflow';
  /** The workflow as written (first argument). */
  workflow: string;
  /** The `id=` as written. */
  idText: string;
  /** The id is a value the caller sends (a handler parameter or a field of one), not one the code builds. */
  supplied: boolean;
  /** The function the start is in. */
  function: string;
  /** Project functions between the start and the request handler (the start's own function included when it is not the handler). */
  helpers: string[];
  /** The request handler that reaches the start. */
  site: PythonPerCallSite;
  /** Except clauses on the way that take the error but only re-raise it or answer 500. */
  passedThrough: SourceLocation[];
}

const ALREADY_STARTED = /AlreadyStarted|already[\s_-]*started|ALREADY_EXISTS|already[\s_-]*(running|exists)/i;
/** Classes an except clause can name that take WorkflowAlreadyStartedError. */
const TAKING = new Set(['Exception', 'BaseException', 'TemporalError', 'FailureError', 'WorkflowAlreadyStartedError']);
const SERVER_ERROR = /\b500\b|HTTP_500|INTERNAL_SERVER_ERROR|InternalServerError|internal_server_error/;
const REGISTRATION = /exception_handler|add_exception_handler|errorhandler|register_error_handler|process_exception|@app\.middleware|BaseHTTPMiddleware|handler500|custom_exception_handler|EXCEPTION_HANDLER/;
/** The code answers a repeat already: a 409, a conflict error, an idempotency or duplicate check. */
const REPEAT_ANSWERED = /\b409\b|CONFLICT|Conflict|idempoten|dedup|\bduplicate/i;
/** Values unique per request (a request id, a trace id) or per call (a random or clock fallback): a repeat does not build the same id. */
const PER_REQUEST_VALUE = /\.objects\.create\s*\(|request_?id\b|\brequest\.id\b|correlation_?id|trace_?id|\w*(?:uuid|token_hex|token_urlsafe|random|randint)\w*\s*\(|\b(?:time|time_ns|now|utcnow)\s*\(/i;
const TEST_FILE = /(^|\/)(tests?|testing)\/|(^|\/)(test_[^/]*|[^/]*_test|conftest)\.py$/;
const MAX_HELPERS = 2;
const NOT_HTTP = / is an activity |handles messages|@[\w.]*\b(?:task|shared_task|receiver|subscriber)\b|`(?:event|evt|message|msg|job)`/;

export function pythonStartConflicts(root: string, startCalls: PythonStartCall[], modules: PythonModules): PythonStartConflict[] {
  const found: PythonStartConflict[] = [];
  const registered = handlerRegisteredElsewhere(root, modules);
  for (const { call, file, relative, method, args } of productionClientStarts(root, startCalls)) {
    if (args.spreads.length > 0 || args.keywords.has('id_conflict_policy') || args.keywords.has('start_signal')) continue;
    const reuse = args.keywords.get('id_reuse_policy');
    if (reuse && /TERMINATE_IF_RUNNING/.test(reuse.text)) continue;
    const id = args.keywords.get('id');
    if (!id) continue;
    const shape = pythonWorkflowIdShape(call, file, modules);
    const fn = enclosingFunction(call);
    if (!fn) continue;
    // `id=payload.workflow_id`, `id=workflow_id` (a path parameter): the caller names the run.
    const supplied = shape.kind === 'other' && callerSupplied(id, fn);
    if (shape.kind !== 'derived' && !supplied) continue;
    if (!supplied && !namesLocalValue(id, fn)) continue;
    if (valueTexts(id, fn, file, modules).some((text) => PER_REQUEST_VALUE.test(text))) continue;
    if ([...registered].some((other) => other !== file)) continue;
    const chain = handlerChain(call, fn, file, modules);
    if (!chain) continue;
    // A parameter of a helper may hold anything; only the handler's own parameters come from the request.
    if (supplied && chain.helpers.length > 0) continue;
    found.push({
      location: locateNode(file, call),
      method,
      workflow: (args.positional[0] ?? args.keywords.get('workflow'))?.text.replace(/\s+/g, ' ') ?? 'the workflow',
      idText: idText(id, fn),
      supplied,
      function: fn.childForFieldName('name')?.text ?? 'this function',
      helpers: chain.helpers,
      site: chain.site,
      passedThrough: chain.passedThrough,
    });
  }
  return found;
}

/** Files (not tests) that name the "already started" error beside an exception-handler registration. */
function handlerRegisteredElsewhere(root: string, modules: PythonModules): Set<string> {
  const files = new Set<string>();
  for (const [file, parsed] of modules.files) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    if (TEST_FILE.test(relative)) continue;
    const text = parsed.tree.rootNode.text;
    if (/AlreadyStarted/.test(text) && REGISTRATION.test(text)) files.add(file);
  }
  return files;
}

/**
 * The id names a value of the function: an identifier in it (an f-string field, an argument of a
 * helper that builds it, a name assigned once) is a parameter of the function or assigned in it.
 */
function namesLocalValue(id: PythonNode, fn: PythonNode): boolean {
  const locals = localNames(fn);
  const seen = new Set<string>();
  const visit = (node: PythonNode, depth: number): boolean => {
    const identifiers = node.type === 'identifier' ? [node] : node.descendantsOfType('identifier').filter((n): n is PythonNode => n !== null);
    for (const identifier of identifiers) {
      // `helper(x)`: the callee is not a value; `a.b`: only the root object counts.
      const parent = identifier.parent;
      if (parent?.type === 'call' && parent.childForFieldName('function')?.id === identifier.id) continue;
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) continue;
      if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === identifier.id) continue;
      const name = identifier.text;
      if (name === 'self' || name === 'cls') continue;
      if (locals.parameters.has(name)) return true;
      const values = locals.assigned.get(name);
      if (values && !seen.has(name) && depth < 3) {
        seen.add(name);
        if (values.some((value) => visit(value, depth + 1))) return true;
      }
    }
    return false;
  };
  return visit(unparenthesize(id), 0);
}

function localNames(fn: PythonNode): { parameters: Set<string>; assigned: Map<string, PythonNode[]> } {
  const parameters = new Set<string>();
  const list = fn.childForFieldName('parameters');
  for (const parameter of list ? namedChildrenOf(list) : []) {
    const identifier = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? namedChildrenOf(parameter).find((c) => c.type === 'identifier'));
    if (identifier) parameters.add(identifier.text);
  }
  const assigned = new Map<string, PythonNode[]>();
  const body = fn.childForFieldName('body');
  if (body) {
    descendantsInScope(body, (node) => {
      if (node.type === 'assignment') {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type === 'identifier' && right) assigned.set(left.text, [...(assigned.get(left.text) ?? []), right]);
      }
      if (node.type === 'for_statement') {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        for (const target of left ? (left.type === 'identifier' ? [left] : left.descendantsOfType('identifier')) : []) {
          if (target && right) assigned.set(target.text, [...(assigned.get(target.text) ?? []), right]);
        }
      }
    });
  }
  return { parameters, assigned };
}

/**
 * The request handler that reaches the start with nothing catching the error on the way: the
 * start's own function, or its callers one or two project functions up (call sites not inside a
 * try that takes the error). Undefined when a caught path, a look-up or a mention of the error
 * shows the code deals with it, or no handler is found.
 */
function handlerChain(call: PythonNode, fn: PythonNode, file: string, modules: PythonModules): { site: PythonPerCallSite; helpers: string[]; passedThrough: SourceLocation[] } | undefined {
  const passedThrough: SourceLocation[] = [];
  const walk = (node: PythonNode, current: PythonNode, currentFile: string, depth: number, helpers: string[], seen: Set<string>): { site: PythonPerCallSite; helpers: string[] } | undefined | 'handled' => {
    // Comments do not handle anything.
    const text = withoutComments(current.text);
    if (ALREADY_STARTED.test(text) || REPEAT_ANSWERED.test(text) || /\.describe\s*\(|get_workflow_handle\s*\(/.test(text)) return 'handled';
    const caught = catchAround(node, current, currentFile);
    if (caught === 'handled') return 'handled';
    passedThrough.push(...caught);
    const context = perRequestContext(current, currentFile, modules);
    if (context) {
      if (NOT_HTTP.test(context.context)) return undefined;
      return { site: { location: locateNode(currentFile, node), ...context }, helpers };
    }
    const name = current.childForFieldName('name')?.text;
    const key = `${currentFile}:${current.startIndex}`;
    if (!name || depth >= MAX_HELPERS || seen.has(key) || name === 'main' || name.startsWith('_main')) return undefined;
    seen.add(key);
    let result: { site: PythonPerCallSite; helpers: string[] } | undefined;
    for (const use of usesOf(current, currentFile, name, modules)) {
      if (use.kind !== 'call') continue;
      const caller = enclosingFunction(use.node);
      if (!caller) continue;
      const inner = walk(use.node, caller, use.file, depth + 1, [...helpers, name], seen);
      // One path that handles the error is enough to leave the start alone: the code knows about it.
      if (inner === 'handled') return 'handled';
      result ??= inner;
    }
    return result;
  };
  const result = walk(call, fn, file, 0, [], new Set());
  if (!result || result === 'handled') return undefined;
  return { ...result, passedThrough };
}

/**
 * How the try statements around the node (within the function) treat the error: 'handled' when a
 * clause takes it and does something other than re-raise it or answer 500; otherwise the clauses
 * that take it and pass it on (re-raise, or a 500 like any other error).
 */
function catchAround(node: PythonNode, fn: PythonNode, file: string): SourceLocation[] | 'handled' {
  const passed: SourceLocation[] = [];
  for (const tryStatement of enclosingTries(node, fn)) {
    const taking = exceptClauses(tryStatement).find((clause) => clause.classes.length === 0 || clause.classes.some((c) => TAKING.has(className(c)) || ALREADY_STARTED.test(c.text)));
    if (!taking) continue;
    if (!passesOn(taking.node, taking.alias)) return 'handled';
    passed.push(locateNode(file, taking.node));
  }
  return passed;
}

/** The except clause re-raises what it caught, or answers 500, with no test on the error. */
function passesOn(clause: PythonNode, alias: string | undefined): boolean {
  if (ALREADY_STARTED.test(withoutComments(clause.text))) return false;
  const body = namedChildrenOf(clause).find((c) => c.type === 'block');
  if (!body) return false;
  const statements = namedChildrenOf(body).filter((s) => s.type !== 'comment');
  if (statements.some((s) => s.type === 'if_statement' || s.type === 'match_statement' || s.type === 'try_statement')) return false;
  const last = statements[statements.length - 1];
  if (!last) return false;
  if (last.type === 'raise_statement') {
    const raised = namedChildrenOf(last)[0];
    if (!raised || (alias && raised.text === alias)) return true;
    return SERVER_ERROR.test(last.text);
  }
  if (last.type === 'return_statement') return SERVER_ERROR.test(last.text);
  return false;
}

function withoutComments(text: string): string {
  return text.replace(/(^|\s)#[^\n]*/g, '$1');
}

/** The id as written, with the value of a name the function assigns once (`workflow_id` = `f"extract-{name}"`). */
function idText(id: PythonNode, fn: PythonNode): string {
  const node = unparenthesize(id);
  const values = node.type === 'identifier' ? localNames(fn).assigned.get(node.text) : undefined;
  const text = values?.length === 1 ? `${node.text} (${values[0]!.text})` : node.text;
  return text.replace(/\s+/g, ' ');
}

/** The id is a parameter of the function with no default, or a field of one (`payload.workflow_id`, `body["id"]`). */
function callerSupplied(id: PythonNode, fn: PythonNode): boolean {
  let node = unparenthesize(id);
  while (node.type === 'attribute' || (node.type === 'subscript' && node.childForFieldName('subscript')?.type === 'string')) {
    const inner = node.type === 'attribute' ? node.childForFieldName('object') : node.childForFieldName('value');
    if (!inner) return false;
    node = unparenthesize(inner);
  }
  if (node.type !== 'identifier' || node.text === 'self' || node.text === 'cls') return false;
  const list = fn.childForFieldName('parameters');
  return (list ? namedChildrenOf(list) : []).some((parameter) => {
    if (parameter.type === 'identifier') return parameter.text === node.text;
    if (parameter.type === 'typed_parameter') return namedChildrenOf(parameter).find((c) => c.type === 'identifier')?.text === node.text;
    return false;
  });
}

/** What a function returns: each return's value, and for a name (`return job`) the values the function assigns it. */
function returnedTexts(fn: PythonNode): string[] {
  const body = fn.childForFieldName('body');
  if (!body) return [];
  const returned: PythonNode[] = [];
  const assignments: PythonNode[] = [];
  descendantsInScope(body, (node) => {
    const value = node.type === 'return_statement' ? namedChildrenOf(node)[0] : undefined;
    if (value) returned.push(unparenthesize(value));
    if (node.type === 'assignment') assignments.push(node);
  });
  return returned.flatMap((value) =>
    value.type === 'identifier'
      ? assignments.filter((a) => a.childForFieldName('left')?.text === value.text).map((a) => a.childForFieldName('right')?.text ?? '')
      : [value.text],
  );
}

/** The id's text and the values of the names the function assigns that it uses (three levels). */
function valueTexts(id: PythonNode, fn: PythonNode, file: string, modules: PythonModules): string[] {
  const assigned = localNames(fn).assigned;
  const texts: string[] = [];
  const seen = new Set<string>();
  const visit = (node: PythonNode, depth: number): void => {
    texts.push(node.text);
    if (depth >= 3) return;
    // `job = create_job(request, ...)`: what the project function returns (`Job.objects.create(...)`, a new row per request).
    const value = unparenthesize(node.type === 'await' ? (namedChildrenOf(node)[0] ?? node) : node);
    const callee = value.type === 'call' ? value.childForFieldName('function') : undefined;
    const called = callee ? functionCalled(callee, file, modules) : undefined;
    if (called) texts.push(...returnedTexts(called.fn));
    const identifiers = node.type === 'identifier' ? [node] : node.descendantsOfType('identifier').filter((n): n is PythonNode => n !== null);
    for (const identifier of identifiers) {
      const values = assigned.get(identifier.text);
      if (!values || seen.has(identifier.text)) continue;
      seen.add(identifier.text);
      for (const value of values) visit(value, depth + 1);
    }
  };
  visit(unparenthesize(id), 0);
  return texts;
}
