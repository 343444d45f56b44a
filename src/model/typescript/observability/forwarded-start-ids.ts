// The workflow id a project's wrapper around a client start receives from its callers:
// `startWorkflow(type, args, workflowId) { await client.workflow.start(type, { ..., workflowId }) }`
// called as `temporal.startWorkflow('notify', [input], \`notify-${id}-${Date.now()}\`)`. The id
// option is then a parameter, and its shape is that of each caller's argument. Followed through
// two wrappers at most (a caller that hands on its own parameter), across files, for functions and
// class methods the checker resolves (an injected service typed by its class). The id parameter is
// the option itself (`workflowId`, `workflowId: id`, read in a callback inside the wrapper too) or a field of an options parameter
// (`workflowId: options.workflowId`) that callers write as an object literal.

import ts from 'typescript';
import { enclosingFunction, enclosingFunctions } from '../call-reach.js';
import { functionName, functionOfDeclaration } from '../declarations.js';
import { callsOfFunction } from '../named-calls.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { TemporalModel, WorkflowStart } from '../types.js';
import { expressionIdShape, type WorkflowIdShape } from './workflow-id-shape.js';

export interface ForwardedId {
  /** The caller's call of the outermost wrapper, which passes the id. */
  call: ts.CallExpression;
  /** The id as the caller writes it. */
  argument: ts.Expression;
  shape: WorkflowIdShape;
  /** The wrappers the id goes through, outermost first (`startWorkflow`, or `notify`, `startWorkflow`). */
  wrappers: string[];
  /** The workflow type the caller passes, when the wrapper takes the type as a parameter too and the caller writes a string. */
  workflowType: string | null;
}

/** Levels of wrappers followed from the start outwards. */
const MAX_LEVELS = 2;

/** The ids the callers of the wrapper around `start` pass, with their shapes; empty when the start's id is not a wrapper's parameter. */
export function forwardedStartIds(start: WorkflowStart, model: TemporalModel): ForwardedId[] {
  if (start.child || start.method === 'schedule') return [];
  const options = start.options?.kind === 'object' ? start.options : undefined;
  const workflowId = options?.properties.get('workflowId');
  if (!workflowId || workflowId.kind !== 'unknown' || !workflowId.node) return [];
  // The wrapper is the function whose parameter the id is: the one around the start, or one
  // further out when the start sits in a callback (`getClient().then((client) => client.workflow.start(...))`).
  const fn = enclosingFunctions(start.node).find((candidate) => parameterSlot(workflowId.node as ts.Expression, candidate as ts.FunctionLikeDeclaration, model)) as ts.FunctionLikeDeclaration | undefined;
  if (!fn) return [];
  const slot = parameterSlot(workflowId.node as ts.Expression, fn, model);
  if (!slot) return [];
  const typeSlot = start.node.arguments[0] ? parameterSlot(start.node.arguments[0], fn, model) : undefined;
  return follow(fn, slot, typeSlot, model, 1, []);
}

/** Where a wrapper's parameter holds the value: its position, and the field of an options object when the value is `options.field`. */
interface Slot {
  position: number;
  field?: string;
}

function follow(fn: ts.FunctionLikeDeclaration, slot: Slot, typeSlot: Slot | string | undefined, model: TemporalModel, level: number, inner: string[]): ForwardedId[] {
  const name = functionName(fn);
  if (!name) return [];
  const wrappers = [name, ...inner];
  const found: ForwardedId[] = [];
  for (const call of callsOfFunction(model, fn)) {
    const argument = argumentAt(call, slot);
    if (!argument) continue;
    const shape = expressionIdShape(argument, model);
    // The type: known from an inner wrapper's call, or what this caller passes for it.
    const typeArgument = typeSlot && typeof typeSlot !== 'string' ? argumentAt(call, typeSlot) : undefined;
    const typeValue = typeArgument ? model.resolveValue(typeArgument) : undefined;
    const workflowType = typeof typeSlot === 'string' ? typeSlot : typeValue?.kind === 'string' ? typeValue.value : typeArgument ? workflowFunctionName(typeArgument, model) : null;
    if (shape.kind === 'random') {
      found.push({ call, argument, shape, wrappers, workflowType });
      continue;
    }
    if (level >= MAX_LEVELS) continue;
    // The caller hands on a parameter of its own: one more wrapper.
    const outer = enclosingFunction(call);
    const outerSlot = outer ? parameterSlot(argument, outer, model) : undefined;
    if (!outer || !outerSlot) continue;
    const outerTypeSlot = workflowType ?? (typeArgument ? parameterSlot(typeArgument, outer, model) : undefined);
    found.push(...follow(outer, outerSlot, outerTypeSlot, model, level + 1, wrappers));
  }
  return found;
}

/** The argument a call passes for the slot: the positional argument, or the field of the object literal it passes there. */
function argumentAt(call: ts.CallExpression, slot: Slot): ts.Expression | undefined {
  if (call.arguments.slice(0, slot.position + 1).some((argument) => ts.isSpreadElement(argument))) return undefined;
  const argument = call.arguments[slot.position];
  if (!argument) return undefined;
  if (slot.field === undefined) return argument;
  const object = skipOuterExpressions(argument);
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  for (const property of object.properties) {
    if (ts.isPropertyAssignment(property) && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text === slot.field) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property) && property.name.text === slot.field) return property.name;
  }
  return undefined;
}

/** The parameter of `fn` an expression reads (`workflowId`, the shorthand `{ workflowId }`, `options.workflowId`). */
function parameterSlot(expression: ts.Expression, fn: ts.FunctionLikeDeclaration, model: TemporalModel): Slot | undefined {
  const node = skipOuterExpressions(expression) as ts.Expression;
  if (ts.isIdentifier(node)) {
    const parameter = parameterOf(node, model);
    if (!parameter || parameter.parent !== fn || parameter.dotDotDotToken || !ts.isIdentifier(parameter.name)) return undefined;
    return { position: fn.parameters.indexOf(parameter) };
  }
  if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
    const parameter = parameterOf(node.expression, model);
    if (!parameter || parameter.parent !== fn || parameter.dotDotDotToken || !ts.isIdentifier(parameter.name)) return undefined;
    return { position: fn.parameters.indexOf(parameter), field: node.name.text };
  }
  return undefined;
}

function parameterOf(identifier: ts.Identifier, model: TemporalModel): ts.ParameterDeclaration | undefined {
  let declaration: ts.Node | undefined;
  if (ts.isShorthandPropertyAssignment(identifier.parent) && identifier.parent.name === identifier) {
    // `{ workflowId }`: the value is the variable of that name, not the property.
    declaration = model.checkerFor(identifier.getSourceFile().fileName)?.getShorthandAssignmentValueSymbol(identifier.parent)?.valueDeclaration;
  } else {
    declaration = model.declarationOf(identifier);
  }
  return declaration && ts.isParameter(declaration) ? declaration : undefined;
}

/** `start(userCreatedWorkflow, ...)`: the name of the workflow function a caller passes, when it declares one of the model's workflows. */
function workflowFunctionName(argument: ts.Expression, model: TemporalModel): string | null {
  const node = skipOuterExpressions(argument);
  if (!ts.isIdentifier(node)) return null;
  const fn = functionOfDeclaration(model.declarationOf(node));
  const workflow = fn && model.workflows.find((candidate) => candidate.node === fn);
  return workflow ? workflow.name : null;
}
