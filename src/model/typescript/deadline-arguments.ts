// The deadlines workflows hand to activities that use an argument as their own deadline (see
// deadline-parameters.ts): each call site of such an activity in workflow code, with the value
// of that argument when it is a number written in the code (not one read from configuration).

import ts from 'typescript';
import { activityCallSites } from './observability/workflow-activity-calls.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { ActivityProxy, SourceLocation, TemporalModel } from './types.js';
import type { DeadlineParameterFacts } from '../types.js';

export interface DeadlineArgument {
  /** The activity call in workflow code. */
  location: SourceLocation;
  activityType: string;
  proxy: ActivityProxy;
  /** The deadline in milliseconds, and how it is written at the call. */
  ms: number;
  text: string;
  parameter: DeadlineParameterFacts;
}

const cache = new WeakMap<TemporalModel, DeadlineArgument[]>();

export function deadlineArguments(model: TemporalModel): DeadlineArgument[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const parametersOf = new Map<string, DeadlineParameterFacts[]>();
  for (const activity of model.activities) {
    if (activity.deadlineParameters) parametersOf.set(activity.name, [...(parametersOf.get(activity.name) ?? []), ...activity.deadlineParameters]);
  }
  const found: DeadlineArgument[] = [];
  if (parametersOf.size > 0) {
    for (const { call, name, proxy } of activityCallSites(model)) {
      for (const parameter of parametersOf.get(name) ?? []) {
        const value = argumentValue(argumentsOf(call)[parameter.parameter], parameter.property);
        if (!value) continue;
        const resolved = model.resolveValue(value);
        if (resolved.kind !== 'number' || resolved.configurable) continue;
        found.push({ location: model.locate(call), activityType: name, proxy, ms: resolved.value, text: value.getText(), parameter });
      }
    }
  }
  cache.set(model, found);
  return found;
}

/** The activity's arguments: `act(a, b)`, or the array of `act.executeWithOptions(options, [a, b])`. */
function argumentsOf(call: ts.CallExpression): readonly ts.Expression[] {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'executeWithOptions') {
    const list = call.arguments[1] && skipOuterExpressions(call.arguments[1]);
    return list && ts.isArrayLiteralExpression(list) ? list.elements : [];
  }
  return call.arguments;
}

/** The argument itself, or the field of an object literal argument. */
function argumentValue(argument: ts.Expression | undefined, property: string | undefined): ts.Expression | undefined {
  if (!argument || property === undefined) return argument;
  const object = skipOuterExpressions(argument);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  const field = object.properties.find((p) => p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === property);
  if (field && ts.isPropertyAssignment(field)) return field.initializer;
  if (field && ts.isShorthandPropertyAssignment(field)) return field.name;
  return undefined;
}
