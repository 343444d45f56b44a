// Whether a workflow start serves one business entity (an order, a user) or the system itself (a
// cron job, a schedule, a singleton with a fixed workflow id). Search attributes exist to find the
// executions of one entity; a system workflow has none to be found by, and its fixed id or
// schedule id already finds it.

import ts from 'typescript';
import { isIdentifierName } from './identifier-name.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { StaticValue, TemporalModel, WorkflowStart } from '../types.js';
import type { StartPurpose } from '../../types.js';

export type { StartPurpose };

export function startPurpose(start: WorkflowStart, model: TemporalModel): StartPurpose {
  if (start.method === 'schedule') return { kind: 'system', reason: 'a schedule starts it' };
  const options = start.options?.kind === 'object' ? start.options : undefined;
  const cron = options?.properties.get('cronSchedule');
  if (cron && cron.kind !== 'undefined' && cron.kind !== 'null') {
    return { kind: 'system', reason: `it runs on a cron schedule${cron.kind === 'string' ? ` ('${cron.value}')` : ''}` };
  }
  const workflowId = options?.properties.get('workflowId');
  const keyInId = workflowId?.kind === 'unknown' && workflowId.node ? businessKeyInExpression(workflowId.node, model) : undefined;
  if (keyInId) return { kind: 'business', key: keyInId, inWorkflowId: true };
  const inputKey = businessKeyInArgs(options?.properties.get('args'), options !== undefined && options.unknownSpreads.length === 0, model);
  if (inputKey) return { kind: 'business', key: inputKey };
  if (workflowId?.kind === 'string') return { kind: 'system', reason: `its workflow id is fixed ('${workflowId.value}'), so at most one runs at a time` };
  const idKey = workflowId?.kind === 'unknown' && workflowId.node ? businessKeyInExpression(workflowId.node, model) : undefined;
  if (idKey) return { kind: 'business', key: idKey };
  // No input at all (`args: []`, or none): the run works on the whole system (an export, a sweep
  // started by hand), not on one customer or order.
  const args = options?.properties.get('args');
  const noInput = options !== undefined && options.unknownSpreads.length === 0 && (!args || args.kind === 'undefined' || (args.kind === 'array' && args.elements.length === 0));
  if (noInput) return { kind: 'system', reason: 'it takes no input, so it works on the system as a whole, not on one entity', input: 'its id carries no business key' };
  return { kind: 'business' };
}

/**
 * The first identifier-like name the start's input carries: an argument named `orderId`, an
 * object with an `orderId` property, or a value whose type has one. `args` absent (and no spread
 * that could add it) carries nothing; args that do not resolve may carry anything.
 */
function businessKeyInArgs(args: StaticValue | undefined, complete: boolean, model: TemporalModel): string | undefined {
  if (!args || args.kind === 'undefined') return complete ? undefined : 'args';
  if (args.kind !== 'array') return args.kind === 'unknown' && args.node ? (businessKeyInExpression(args.node, model) ?? 'args') : 'args';
  for (const element of args.elements) {
    const key = businessKeyInValue(element, model);
    if (key) return key;
  }
  return undefined;
}

function businessKeyInValue(value: StaticValue, model: TemporalModel): string | undefined {
  if (value.kind === 'object') {
    for (const [name, property] of value.properties) {
      // `{ queueWorkflowId: QUEUE_ID }`: a constant is the same for every execution, not an entity.
      if (isIdentifierName(name) && !isConstant(property)) return name;
      const nested = businessKeyInValue(property, model);
      if (nested) return nested;
    }
    return value.unknownSpreads.length > 0 ? value.unknownSpreads[0]!.text : undefined;
  }
  if (value.kind === 'array') {
    for (const element of value.elements) {
      const key = businessKeyInValue(element, model);
      if (key) return key;
    }
    return undefined;
  }
  if (value.kind === 'unknown') return value.node ? businessKeyInExpression(value.node, model) : value.text;
  // A literal is the same for every execution: no entity.
  return undefined;
}

/** `orderId`, `post.id`, `${user.email}`, or a value whose type has an identifier-like property. */
function businessKeyInExpression(node: ts.Node, model: TemporalModel): string | undefined {
  const expression = skipOuterExpressions(node as ts.Expression);
  if (ts.isTemplateExpression(expression)) {
    for (const span of expression.templateSpans) {
      const key = businessKeyInExpression(span.expression, model);
      if (key) return key;
    }
    return undefined;
  }
  const name = ts.isIdentifier(expression) ? expression.text : ts.isPropertyAccessExpression(expression) ? expression.name.text : undefined;
  if (name && isIdentifierName(name)) return name;
  // A string or number whose name says nothing (`day`, `batchSize`) is not an entity key.
  const checker = model.checkerFor(expression.getSourceFile().fileName);
  if (!checker) return undefined;
  const type = checker.getApparentType(checker.getTypeAtLocation(expression));
  const elementTypes = checker.isArrayType(type) || checker.isTupleType(type) ? checker.getTypeArguments(type as ts.TypeReference) : [type];
  for (const elementType of elementTypes) {
    if (elementType.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike)) continue;
    const property = checker.getApparentType(elementType).getProperties().find((p) => isIdentifierName(p.name));
    if (property) return name ? `${name}.${property.name}` : property.name;
  }
  return undefined;
}

function isConstant(value: StaticValue): boolean {
  return value.kind === 'string' || value.kind === 'number' || value.kind === 'boolean' || value.kind === 'null' || value.kind === 'undefined';
}
