// The workflow id a project's wrapper around a client start receives from its callers:
// `startWorkflow(type, args, workflowId) { await client.workflow.start(type, { ..., workflowId }) }`
// called as `temporal.startWorkflow('notify', [input], \`notify-${id}-${Date.now()}\`)`. The id
// option is then a parameter, and its shape is that of each caller's argument. Followed through
// two wrappers at most (a caller that hands on its own parameter), across files, for functions and
// class methods the checker resolves (an injected service typed by its class). The id parameter is
// the option itself (`workflowId`, `workflowId: id`, read in a callback inside the wrapper too) or a field of an options parameter
// (`workflowId: options.workflowId`) that callers write as an object literal. The option may also be
// a const of the wrapper that reads the parameter with a fallback
// (`const workflowId = input.workflowId ?? \`invite-${input.userId}\``): a caller that passes the
// field decides the id; one that leaves it out of its object literal gets the fallback.

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
  /** The caller leaves the id out and the wrapper's fallback (`input.workflowId ?? ...`) is the id: `argument` is that fallback. */
  omitted?: true;
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
  /** `const workflowId = input.workflowId ?? \`...\``: the id when a caller's object literal leaves the field out. */
  fallback?: ts.Expression;
}

function follow(fn: ts.FunctionLikeDeclaration, slot: Slot, typeSlot: Slot | string | undefined, model: TemporalModel, level: number, inner: string[]): ForwardedId[] {
  const name = functionName(fn);
  if (!name) return [];
  const wrappers = [name, ...inner];
  const found: ForwardedId[] = [];
  for (const call of callsOfFunction(model, fn)) {
    const passed = argumentAt(call, slot);
    const argument = passed ?? (slot.fallback && omitsField(call, slot) ? slot.fallback : undefined);
    if (!argument) continue;
    const omitted = passed === undefined;
    const shape = described(expressionIdShape(argument, model), argument, model);
    // The type: known from an inner wrapper's call, or what this caller passes for it.
    const typeArgument = typeSlot && typeof typeSlot !== 'string' ? argumentAt(call, typeSlot) : undefined;
    const typeValue = typeArgument ? model.resolveValue(typeArgument) : undefined;
    const workflowType = typeof typeSlot === 'string' ? typeSlot : typeValue?.kind === 'string' ? typeValue.value : typeArgument ? workflowFunctionName(typeArgument, model) : null;
    if (shape.kind === 'random') {
      found.push({ call, argument, shape, wrappers, workflowType, ...(omitted ? { omitted: true as const } : {}) });
      continue;
    }
    if (level >= MAX_LEVELS) continue;
    // The caller hands on a parameter of its own: one more wrapper.
    const outer = enclosingFunction(call);
    const outerSlot = outer && !omitted ? parameterSlot(argument, outer, model) : undefined;
    if (!outer || !outerSlot) continue;
    const outerTypeSlot = workflowType ?? (typeArgument ? parameterSlot(typeArgument, outer, model) : undefined);
    found.push(...follow(outer, outerSlot, outerTypeSlot, model, level + 1, wrappers));
  }
  return found;
}

/**
 * `{ workflowId }` or `workflowId`, a const of the caller (`const workflowId = buildRunId('invite', userId)`):
 * a random id is described by that const's value, not the bare name.
 */
function described(shape: WorkflowIdShape, argument: ts.Expression, model: TemporalModel): WorkflowIdShape {
  if (shape.kind !== 'random') return shape;
  const node = skipOuterExpressions(argument);
  if (!ts.isIdentifier(node)) return shape;
  const declaration = valueDeclarationOf(node, model);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !ts.isIdentifier(declaration.name)) return shape;
  if (!ts.isVariableDeclarationList(declaration.parent) || !(declaration.parent.flags & ts.NodeFlags.Const)) return shape;
  const value = declaration.initializer.getText().replace(/\s+/g, ' ').replace(/\(\s/g, '(').replace(/,\s}/g, ' }');
  return { ...shape, text: `${node.text} = ${value}` };
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

/** Whether a call leaves the slot's value out: no argument at its position, or an object literal there without the field (and without spreads that could hold it). */
function omitsField(call: ts.CallExpression, slot: Slot): boolean {
  if (call.arguments.slice(0, slot.position + 1).some((argument) => ts.isSpreadElement(argument))) return false;
  const argument = call.arguments[slot.position];
  if (!argument) return true;
  if (slot.field === undefined) return false;
  const object = skipOuterExpressions(argument);
  if (!ts.isObjectLiteralExpression(object)) return false;
  return object.properties.every((property) => !ts.isSpreadAssignment(property) && property.name !== undefined && !ts.isComputedPropertyName(property.name) && property.name.text !== slot.field);
}

/**
 * The parameter of `fn` an expression reads (`workflowId`, the shorthand `{ workflowId }`,
 * `options.workflowId`), directly or through a const of `fn` that reads it with a fallback
 * (`const workflowId = input.workflowId ?? \`invite-${input.userId}\``).
 */
function parameterSlot(expression: ts.Expression, fn: ts.FunctionLikeDeclaration, model: TemporalModel): Slot | undefined {
  const node = skipOuterExpressions(expression) as ts.Expression;
  // `input.workflowId ?? \`invite-${input.userId}\``, written in the option or held by a const of `fn`.
  const withFallback = fallbackOf(node) ?? (ts.isIdentifier(node) ? fallbackConst(node, fn, model) : undefined);
  if (withFallback) {
    const slot = parameterSlot(withFallback.left, fn, model);
    return slot && !slot.fallback ? { ...slot, fallback: withFallback.right } : undefined;
  }
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

/** `const workflowId = input.workflowId ?? fallback` (or `||`), declared in `fn` itself: the two sides. */
function fallbackConst(identifier: ts.Identifier, fn: ts.FunctionLikeDeclaration, model: TemporalModel): { left: ts.Expression; right: ts.Expression } | undefined {
  const declaration = valueDeclarationOf(identifier, model);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer || !ts.isIdentifier(declaration.name)) return undefined;
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
  let scope: ts.Node | undefined = list.parent;
  while (scope && !ts.isFunctionLike(scope)) scope = scope.parent;
  if (scope !== fn) return undefined;
  return fallbackOf(declaration.initializer);
}

/** `left ?? right` or `left || right`: the two sides. */
function fallbackOf(expression: ts.Expression): { left: ts.Expression; right: ts.Expression } | undefined {
  const node = skipOuterExpressions(expression) as ts.Expression;
  if (!ts.isBinaryExpression(node)) return undefined;
  const operator = node.operatorToken.kind;
  if (operator !== ts.SyntaxKind.QuestionQuestionToken && operator !== ts.SyntaxKind.BarBarToken) return undefined;
  return { left: node.left, right: node.right };
}

function parameterOf(identifier: ts.Identifier, model: TemporalModel): ts.ParameterDeclaration | undefined {
  const declaration = valueDeclarationOf(identifier, model);
  return declaration && ts.isParameter(declaration) ? declaration : undefined;
}

function valueDeclarationOf(identifier: ts.Identifier, model: TemporalModel): ts.Node | undefined {
  if (ts.isShorthandPropertyAssignment(identifier.parent) && identifier.parent.name === identifier) {
    // `{ workflowId }`: the value is the variable of that name, not the property.
    return model.checkerFor(identifier.getSourceFile().fileName)?.getShorthandAssignmentValueSymbol(identifier.parent)?.valueDeclaration;
  }
  return model.declarationOf(identifier);
}

/** `start(userCreatedWorkflow, ...)`: the name of the workflow function a caller passes, when it declares one of the model's workflows. */
function workflowFunctionName(argument: ts.Expression, model: TemporalModel): string | null {
  const node = skipOuterExpressions(argument);
  if (!ts.isIdentifier(node)) return null;
  const fn = functionOfDeclaration(model.declarationOf(node));
  const workflow = fn && model.workflows.find((candidate) => candidate.node === fn);
  return workflow ? workflow.name : null;
}
