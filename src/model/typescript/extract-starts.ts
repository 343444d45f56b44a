// Workflow starts (client.workflow.start / execute / signalWithStart, executeChild / startChild,
// and the startWorkflow action of client.schedule.create) and search attribute key definitions.

import ts from 'typescript';
import { declarationOf, functionName, functionOfDeclaration } from './declarations.js';
import { optionsArgument, property } from './extract-workers.js';
import { locate, nodeText } from './locate.js';
import { callSitesOf, parameterValues } from './parameter-values.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';
import type { SearchAttributeKey, StaticValue, WorkflowStart, WorkflowStartMethod } from './types.js';

export function extractStart(call: ts.CallExpression, method: WorkflowStartMethod, ctx: ResolveContext): WorkflowStart {
  if (method === 'schedule') return extractScheduleStart(call, ctx);
  const first = call.arguments[0];
  const named = first ? workflowTypeOf(first, ctx) : null;
  const candidates = first && named === null ? (parameterWorkflowTypes(first, ctx) ?? listElementTypes(first, ctx)) : undefined;
  const workflowType = named ?? onlyListType(first, candidates, ctx);
  return {
    location: locate(call),
    method,
    workflowType,
    workflowTypeText: first ? nodeText(first) : '',
    ...(candidates && workflowType === null ? { workflowTypeCandidates: candidates } : {}),
    child: method === 'executeChild' || method === 'startChild',
    options: call.arguments[1] ? optionsArgument(call, 1, ctx) : undefined,
    node: call,
  };
}

/**
 * A project's start helper takes the workflow as a parameter (`startAsync(workflow, args, id)`):
 * the types its callers pass, when every call of the helper in the reviewed production code is
 * found (the helper is not passed on as a value) and each passes a workflow the model can name.
 * Undefined otherwise: a caller out of sight may pass any workflow.
 */
function parameterWorkflowTypes(argument: ts.Expression, ctx: ResolveContext): string[] | undefined {
  const expression = skipOuterExpressions(argument);
  if (!ts.isIdentifier(expression)) return undefined;
  const parameter = declarationOf(expression, ctx.index);
  if (!parameter || !ts.isParameter(parameter) || !ts.isIdentifier(parameter.name)) return undefined;
  const fn = parameter.parent;
  if (!ts.isFunctionLike(fn) || !('body' in fn)) return undefined;
  const sites = callSitesOf(fn as ts.FunctionLikeDeclaration, ctx.index);
  if (!sites?.complete || sites.calls.length === 0) return undefined;
  const values = parameterValues(parameter, ctx.index);
  if (!values || values.length !== sites.calls.length) return undefined;
  const types: string[] = [];
  for (const value of values) {
    // One level: a value that is itself a parameter is not followed further.
    const type = workflowTypeOf(value, ctx);
    if (type === null) return undefined;
    if (!types.includes(type)) types.push(type);
  }
  return types;
}

/** The array methods whose callback runs once per element with the element as its first parameter. */
const PER_ELEMENT = new Set(['map', 'forEach', 'flatMap']);

/**
 * A start in a walk over a list the code writes (`for (const s of SCHEDULES)`,
 * `SCHEDULES.map((s) => ...)`) that names its workflow by the element (`s.workflowType`,
 * `s['workflow']`, a destructured `{ workflowType }`, or the element itself): the type every
 * element names, in order, without repeats. Undefined when the list does not resolve to a closed
 * literal or an element does not name a type the model can read: the start's type stays unknown
 * rather than taken from one element.
 */
function listElementTypes(argument: ts.Expression, ctx: ResolveContext): string[] | undefined {
  const walked = walkedElement(argument, ctx);
  if (!walked) return undefined;
  const list = resolveValue(walked.list, ctx);
  if (list.kind !== 'array' || list.openSpread || list.elements.length === 0) return undefined;
  const types: string[] = [];
  for (const element of list.elements) {
    let value: StaticValue | undefined = element;
    if (walked.key !== undefined) {
      if (element.kind !== 'object') return undefined;
      value = element.properties.get(walked.key);
    }
    let type: string | null = null;
    if (value?.kind === 'string') type = value.value;
    else if (value?.kind === 'unknown' && value.node && ts.isExpression(value.node)) type = workflowTypeOf(value.node, ctx);
    if (type === null) return undefined;
    if (!types.includes(type)) types.push(type);
  }
  return types;
}

/** The type every element of a walked list names, when they all name the same one. */
function onlyListType(argument: ts.Expression | undefined, candidates: string[] | undefined, ctx: ResolveContext): string | null {
  return argument && candidates?.length === 1 && walkedElement(argument, ctx) ? candidates[0]! : null;
}

/** The list a loop variable (or per-element callback parameter) walks, and the key the argument reads from the element. */
function walkedElement(argument: ts.Expression, ctx: ResolveContext): { list: ts.Expression; key: string | undefined } | undefined {
  const expression = skipOuterExpressions(argument) as ts.Expression;
  let root: ts.Expression = expression;
  let key: string | undefined;
  if (ts.isPropertyAccessExpression(expression)) {
    root = skipOuterExpressions(expression.expression) as ts.Expression;
    key = expression.name.text;
  } else if (ts.isElementAccessExpression(expression)) {
    const argumentKey = skipOuterExpressions(expression.argumentExpression);
    if (!ts.isStringLiteralLike(argumentKey)) return undefined;
    root = skipOuterExpressions(expression.expression) as ts.Expression;
    key = argumentKey.text;
  }
  if (!ts.isIdentifier(root)) return undefined;
  let holder: ts.Node | undefined = declarationOf(root, ctx.index);
  // `for (const { workflowType } of SCHEDULES)`: the key the pattern reads.
  if (holder && ts.isBindingElement(holder) && key === undefined && ts.isObjectBindingPattern(holder.parent) && !holder.dotDotDotToken && ts.isIdentifier(holder.name)) {
    const name = holder.propertyName ?? holder.name;
    if (!ts.isIdentifier(name) && !ts.isStringLiteral(name)) return undefined;
    key = name.text;
    holder = holder.parent.parent;
  }
  if (!holder) return undefined;
  // A `const` loop variable: nothing in the turn gives it another value.
  if (ts.isVariableDeclaration(holder) && ts.isVariableDeclarationList(holder.parent) && (holder.parent.flags & ts.NodeFlags.Const) !== 0) {
    const loop = holder.parent.parent;
    if (ts.isForOfStatement(loop) && !loop.awaitModifier && loop.initializer === holder.parent && holder.parent.declarations.length === 1) return { list: loop.expression, key };
    return undefined;
  }
  if (ts.isParameter(holder)) {
    const fn = holder.parent;
    if (!(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || fn.parameters[0] !== holder || holder.dotDotDotToken) return undefined;
    const call = fn.parent;
    if (!ts.isCallExpression(call) || call.arguments[0] !== fn) return undefined;
    const callee = skipOuterExpressions(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || !PER_ELEMENT.has(callee.name.text)) return undefined;
    return { list: callee.expression, key };
  }
  return undefined;
}

/** `client.schedule.create({ scheduleId, spec, action: { type: 'startWorkflow', workflowType, taskQueue, ... } })`. */
function extractScheduleStart(call: ts.CallExpression, ctx: ResolveContext): WorkflowStart {
  const options = optionsArgument(call, 0, ctx);
  const action = property(options, 'action');
  const type = property(action, 'workflowType');
  const expression = type?.kind === 'unknown' && type.node && ts.isExpression(type.node) ? type.node : undefined;
  const named = type?.kind === 'string' ? type.value : expression ? workflowTypeOf(expression, ctx) : null;
  // A schedule helper that takes the workflow type as a parameter: the types its callers pass.
  // A schedule per element of a list the code writes: the type each element names.
  const candidates = named === null && expression ? (parameterWorkflowTypes(expression, ctx) ?? listElementTypes(expression, ctx)) : undefined;
  const workflowType = named ?? onlyListType(expression, candidates, ctx);
  return {
    location: locate(call),
    method: 'schedule',
    workflowType,
    workflowTypeText: type?.kind === 'string' ? `'${type.value}'` : type?.kind === 'unknown' ? type.text : '',
    ...(candidates && workflowType === null ? { workflowTypeCandidates: candidates } : {}),
    child: false,
    options: action,
    schedule: { id: property(options, 'scheduleId'), overlap: overlapPolicy(options) },
    node: call,
  };
}

/** `policies.overlap` as written; unknown when the options or the policies may set it out of sight. */
function overlapPolicy(options: StaticValue): StaticValue | undefined {
  const unknown = (text: string): StaticValue => ({ kind: 'unknown', text, location: options.location });
  if (options.kind !== 'object') return unknown('the schedule options');
  const policies = options.properties.get('policies');
  if (!policies) return options.unknownSpreads.length > 0 ? unknown(options.unknownSpreads[0]!.text) : undefined;
  if (policies.kind !== 'object') return unknown('policies');
  return policies.properties.get('overlap') ?? (policies.unknownSpreads.length > 0 ? unknown(policies.unknownSpreads[0]!.text) : undefined);
}

/** How reports name the call: `client.workflow.start(orderWorkflow)`, `executeChild(x)`, `client.schedule.create(x)`. */
export function startCallText(start: WorkflowStart): string {
  const what = start.workflowType ?? start.workflowTypeText;
  if (start.child) return `${start.method}(${what})`;
  return start.method === 'schedule' ? `client.schedule.create(${what})` : `client.workflow.${start.method}(${what})`;
}

/** A function reference gives its exported name; a string (or const) gives itself. */
function workflowTypeOf(argument: ts.Expression, ctx: ResolveContext): string | null {
  const expression = skipOuterExpressions(argument);
  if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) {
    const declaration = declarationOf(expression, ctx.index);
    const fn = functionOfDeclaration(declaration);
    if (fn) return functionName(fn) ?? null;
  }
  const value = resolveValue(argument, ctx);
  if (value.kind === 'string') return value.value;
  // An import the checker cannot follow (type-only or unresolved): the imported name is the type.
  if (ts.isIdentifier(expression)) {
    const binding = importBindings(expression.getSourceFile()).get(expression.text);
    if (binding && binding.imported !== '*' && binding.imported !== 'default') return binding.imported;
  }
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression)) {
    const binding = importBindings(expression.getSourceFile()).get(expression.expression.text);
    if (binding?.imported === '*') return expression.name.text;
  }
  return null;
}

export function extractSearchAttributeKey(call: ts.CallExpression, ctx: ResolveContext): SearchAttributeKey {
  const [nameArgument, typeArgument] = call.arguments;
  const name = nameArgument ? resolveValue(nameArgument, ctx) : undefined;
  let type: string | null = null;
  if (typeArgument) {
    const value = resolveValue(typeArgument, ctx);
    const expression = skipOuterExpressions(typeArgument);
    if (value.kind === 'string') type = value.value;
    else if (ts.isPropertyAccessExpression(expression)) type = expression.name.text;
  }
  const holder = call.parent;
  return {
    name: name?.kind === 'string' ? name.value : null,
    type,
    location: locate(call),
    variable: ts.isVariableDeclaration(holder) && holder.initializer === call ? holder : undefined,
  };
}
