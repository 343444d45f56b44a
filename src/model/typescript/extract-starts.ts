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
  const workflowType = first ? workflowTypeOf(first, ctx) : null;
  const candidates = first && workflowType === null ? parameterWorkflowTypes(first, ctx) : undefined;
  return {
    location: locate(call),
    method,
    workflowType,
    workflowTypeText: first ? nodeText(first) : '',
    ...(candidates ? { workflowTypeCandidates: candidates } : {}),
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

/** `client.schedule.create({ scheduleId, spec, action: { type: 'startWorkflow', workflowType, taskQueue, ... } })`. */
function extractScheduleStart(call: ts.CallExpression, ctx: ResolveContext): WorkflowStart {
  const options = optionsArgument(call, 0, ctx);
  const action = property(options, 'action');
  const type = property(action, 'workflowType');
  const expression = type?.kind === 'unknown' && type.node && ts.isExpression(type.node) ? type.node : undefined;
  const workflowType = type?.kind === 'string' ? type.value : expression ? workflowTypeOf(expression, ctx) : null;
  // A schedule helper that takes the workflow type as a parameter: the types its callers pass.
  const candidates = workflowType === null && expression ? parameterWorkflowTypes(expression, ctx) : undefined;
  return {
    location: locate(call),
    method: 'schedule',
    workflowType,
    workflowTypeText: type?.kind === 'string' ? `'${type.value}'` : type?.kind === 'unknown' ? type.text : '',
    ...(candidates ? { workflowTypeCandidates: candidates } : {}),
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
