// TypeScript workflows whose continue-as-new leaves state behind (see ../../continue-as-new-drops.ts):
//
//   export async function sync(input: SyncInput) {            // SyncInput has `triggerEvaluation?: boolean`
//     if (input.triggerEvaluation) await evaluate(input.repoId);
//     ...
//     await continueAsNew<typeof sync>({ repoId: input.repoId, cursor: next });   // the flag is gone
//   }
//
// Only what can be seen whole is judged: the new input must be an object literal without spread
// written in the call (an identifier, a call or `...input` carries what the review cannot list),
// the parameter's type must have a known list of properties, and a field is reported only when the
// workflow reads it outside the continue-as-new call. Positional parameters left off the end of the
// call (`continueAsNew(a, b)` for `wf(a, b, c?)`) are judged the same way.
//
// Handler state: a variable declared in the workflow function that a setHandler callback fills
// (push / unshift / splice / add / set), that the workflow's own code reads, and that the
// continue-as-new arguments do not mention, with no wait for it to drain (a `condition` that tests
// it empty, `allHandlersFinished`) and no test of it around the call.

import ts from 'typescript';
import { continueAsNewCalls } from '../continue-as-new-calls.js';
import { activityTypeCalled } from '../activity-calls.js';
import { functionOfDeclaration } from '../declarations.js';
import { shortText } from '../short-text.js';
import { skipOuterExpressions } from '../temporal-api.js';
import { describeDefinition } from './exact-length-rollover.js';
import type { TemporalModel, WorkflowDefinition } from '../types.js';
import { pickRead, type DroppedContinueAsNewState, type DroppedStateUse } from '../../continue-as-new-drops.js';

const FILLING = new Set(['push', 'unshift', 'splice', 'add', 'set']);
const CHILD_STARTS = new Set(['executeChild', 'startChild']);

interface Read {
  node: ts.Node;
  use: DroppedStateUse;
}

const cache = new WeakMap<TemporalModel, DroppedContinueAsNewState[]>();

export function droppedContinueAsNewState(model: TemporalModel): DroppedContinueAsNewState[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const found: DroppedContinueAsNewState[] = [];
  const seen = new Set<ts.Node>();
  for (const workflow of model.workflows) {
    const fn = workflow.node;
    if (!fn.body || seen.has(fn) || !model.files.includes(workflow.file)) continue;
    seen.add(fn);
    if (!/\bcontinueAsNew\b|\bmakeContinueAsNewFunc\b/.test(fn.body.getText())) continue;
    const calls = continueAsNewCalls(fn.body, model, { intoCallbacks: true }).filter((call): call is ts.CallExpression => ts.isCallExpression(call) && continuesThisWorkflow(call, workflow, model));
    if (!calls.length) continue;
    for (const call of calls) {
      found.push(...droppedInputs(call, workflow, model));
      found.push(...droppedHandlerState(call, workflow, model));
    }
  }
  cache.set(model, found);
  return found;
}

/** `continueAsNew(...)` / `continueAsNew<typeof thisWorkflow>(...)`, or a makeContinueAsNewFunc function that names no other workflow type. */
function continuesThisWorkflow(call: ts.CallExpression, workflow: WorkflowDefinition, model: TemporalModel): boolean {
  const typeArgument = call.typeArguments?.[0];
  if (typeArgument) {
    if (!ts.isTypeQueryNode(typeArgument) || !ts.isIdentifier(typeArgument.exprName)) return false;
    const named = functionOfDeclaration(model.declarationOf(typeArgument.exprName));
    if (named !== workflow.node) return false;
  }
  if (model.temporalApiOf(call.expression)?.name === 'continueAsNew') return true;
  // makeContinueAsNewFunc({ workflowType: 'other', ... }): another workflow's input.
  const declaration = model.declarationOf(skipOuterExpressions(call.expression));
  const initializer = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
  if (!initializer || !ts.isCallExpression(initializer)) return false;
  if (initializer.typeArguments?.length) return false;
  const options = initializer.arguments[0] && skipOuterExpressions(initializer.arguments[0]);
  if (!options) return true;
  if (!ts.isObjectLiteralExpression(options)) return false;
  return !options.properties.some((property) => !property.name || (ts.isIdentifier(property.name) && property.name.text === 'workflowType') || ts.isSpreadAssignment(property));
}

// ---------------------------------------------------------------------------------------------
// Input fields and positional parameters

function droppedInputs(call: ts.CallExpression, workflow: WorkflowDefinition, model: TemporalModel): DroppedContinueAsNewState[] {
  const fn = workflow.node;
  const parameters = fn.parameters;
  if (!parameters.length || parameters.some((p) => p.dotDotDotToken)) return [];
  if (call.arguments.some((argument) => ts.isSpreadElement(argument))) return [];
  // `continueAsNew()` with no argument at all: a deliberate fresh start, not a forgotten one.
  if (call.arguments.length === 0) return [];
  const found: DroppedContinueAsNewState[] = [];
  parameters.forEach((parameter, index) => {
    const argument = call.arguments[index];
    if (!argument) {
      // Left off the end: the next run gets the default (or undefined).
      if (!ts.isIdentifier(parameter.name)) return;
      const reads = readsOf(fn, call, (node) => ts.isIdentifier(node) && node.text === (parameter.name as ts.Identifier).text && isUseOf(node, parameter, model), model);
      const read = pickRead(reads);
      if (read) found.push(entry('parameter', parameter.name.text, workflow, call, read, model));
      return;
    }
    const literal = skipOuterExpressions(argument);
    if (!ts.isObjectLiteralExpression(literal)) return;
    const written = writtenKeys(literal);
    if (!written) return;
    for (const field of fieldsOf(parameter, model)) {
      if (written.has(field.name)) continue;
      const reads = readsOf(fn, call, field.isRead, model);
      const read = pickRead(reads);
      if (!read) continue;
      found.push({
        ...entry('field', field.name, workflow, call, read, model),
        ...(ts.isIdentifier(parameter.name) ? { holder: parameter.name.text } : {}),
        ...(parameter.type && ts.isTypeReferenceNode(parameter.type) ? { holderType: parameter.type.typeName.getText() } : {}),
      });
    }
  });
  return found;
}

function entry(kind: DroppedContinueAsNewState['kind'], name: string, workflow: WorkflowDefinition, call: ts.CallExpression, read: Read, model: TemporalModel): DroppedContinueAsNewState {
  return { kind, workflow: workflow.name, name, continueAsNew: model.locate(call), read: model.locate(read.node), readText: readText(read.node), use: read.use };
}

/** The keys an object literal writes; undefined when it spreads or computes a key (the whole list is not known). */
function writtenKeys(literal: ts.ObjectLiteralExpression): Set<string> | undefined {
  const keys = new Set<string>();
  for (const property of literal.properties) {
    if (ts.isSpreadAssignment(property)) return undefined;
    const name = property.name;
    if (!name) return undefined;
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) keys.add(name.text);
    else return undefined;
  }
  return keys;
}

interface Field {
  name: string;
  /** True for a node that reads this field of the parameter. */
  isRead: (node: ts.Node) => boolean;
}

/**
 * The properties of a parameter's type, each with a test for its reads: `input.x` / `input['x']`
 * for a named parameter, the bound name for a destructured one (`{ repoId, cursor }: Input`).
 */
function fieldsOf(parameter: ts.ParameterDeclaration, model: TemporalModel): Field[] {
  const checker = model.checkerFor(parameter.getSourceFile().fileName);
  if (!checker) return [];
  const name = parameter.name;
  if (ts.isObjectBindingPattern(name)) {
    if (name.elements.some((element) => element.dotDotDotToken)) return [];
    const fields: Field[] = [];
    const known = propertyNames(parameter, checker);
    if (!known) return [];
    for (const element of name.elements) {
      const key = element.propertyName ? (ts.isIdentifier(element.propertyName) || ts.isStringLiteral(element.propertyName) ? element.propertyName.text : undefined) : ts.isIdentifier(element.name) ? element.name.text : undefined;
      if (!key || !ts.isIdentifier(element.name)) return [];
      const bound = element.name;
      fields.push({ name: key, isRead: (node) => ts.isIdentifier(node) && node !== bound && node.text === bound.text && isUseOf(node, element, model) });
    }
    return fields;
  }
  if (!ts.isIdentifier(name)) return [];
  const known = propertyNames(parameter, checker);
  if (!known) return [];
  return known.map((key) => ({
    name: key,
    isRead: (node) => {
      if (ts.isPropertyAccessExpression(node) && node.name.text === key) return isParameterReference(node.expression, parameter, model);
      if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === key) return isParameterReference(node.expression, parameter, model);
      // `const { x } = input`
      if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent) && ts.isVariableDeclaration(node.parent.parent) && node.parent.parent.initializer) {
        const key2 = node.propertyName ?? node.name;
        return ts.isIdentifier(key2) && key2.text === key && !node.dotDotDotToken && isParameterReference(node.parent.parent.initializer, parameter, model);
      }
      return false;
    },
  }));
}

/** The property names of a parameter's declared type: an object type with a fixed list (no index signature, no union of shapes, not any). */
function propertyNames(parameter: ts.ParameterDeclaration, checker: ts.TypeChecker): string[] | undefined {
  if (!parameter.type) return undefined;
  let type = checker.getTypeAtLocation(parameter.type);
  type = checker.getNonNullableType(type);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return undefined;
  if (type.isUnion() || type.isIntersection() && type.types.some((part) => part.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))) return undefined;
  if (!(type.flags & ts.TypeFlags.Object) && !type.isIntersection()) return undefined;
  if (checker.getIndexInfosOfType(type).length) return undefined;
  if (checker.isArrayLikeType(type)) return undefined;
  const properties = checker.getPropertiesOfType(type);
  if (!properties.length) return undefined;
  const names: string[] = [];
  for (const property of properties) {
    const declaration = property.valueDeclaration ?? property.declarations?.[0];
    // Methods and getters of a class are not data the converter carries.
    if (declaration && (ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration) || ts.isGetAccessorDeclaration(declaration))) continue;
    names.push(property.getName());
  }
  return names;
}

function isParameterReference(expression: ts.Expression, parameter: ts.ParameterDeclaration, model: TemporalModel): boolean {
  const bare = skipOuterExpressions(expression);
  return ts.isIdentifier(bare) && ts.isIdentifier(parameter.name) && bare.text === parameter.name.text && isUseOf(bare, parameter, model);
}

function isUseOf(identifier: ts.Identifier, declaration: ts.Node, model: TemporalModel): boolean {
  return model.declarationOf(identifier) === declaration;
}

/** The nodes of the workflow function that pass `test`, outside the continue-as-new call, with how each is used. */
function readsOf(fn: ts.FunctionLikeDeclaration, call: ts.CallExpression, test: (node: ts.Node) => boolean, model: TemporalModel): Read[] {
  const reads: Read[] = [];
  const visit = (node: ts.Node): void => {
    if (node === call) return;
    if (test(node)) {
      // Written rather than read (`input.x = ...`): not a use.
      if (isWritten(node)) return;
      // `const { flag } = input`: judged where the bound name is used.
      if (ts.isBindingElement(node) && ts.isIdentifier(node.name)) {
        const bound = node.name;
        const uses: Read[] = [];
        const collect = (current: ts.Node): void => {
          if (current === call) return;
          if (ts.isIdentifier(current) && current !== bound && current.text === bound.text && isUseOf(current, node, model)) uses.push({ node: current, use: useOf(current, model) });
          else ts.forEachChild(current, collect);
        };
        if (fn.body) collect(fn.body);
        const best = pickRead(uses);
        reads.push(best ?? { node, use: 'other' });
        return;
      }
      reads.push({ node, use: useOf(node, model) });
      return;
    }
    ts.forEachChild(node, visit);
  };
  if (fn.body) visit(fn.body);
  return reads;
}

function isWritten(node: ts.Node): boolean {
  const parent = node.parent;
  return ts.isBinaryExpression(parent) && parent.left === node && parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

/** How a read is used: in the test of a branch or loop, in an activity's (or child's) arguments, or otherwise. */
function useOf(node: ts.Node, model: TemporalModel): DroppedStateUse {
  let used: DroppedStateUse = 'other';
  for (let child: ts.Node = node, current = node.parent; current; child = current, current = current.parent) {
    if (ts.isFunctionLike(current) || ts.isSourceFile(current)) break;
    if ((ts.isIfStatement(current) || ts.isWhileStatement(current) || ts.isDoStatement(current) || ts.isSwitchStatement(current)) && current.expression === child) return 'condition';
    if (ts.isForStatement(current) && current.condition === child) return 'condition';
    if (ts.isConditionalExpression(current) && current.condition === child) return 'condition';
    if (ts.isBinaryExpression(current) && current.left === child && (current.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || current.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return 'condition';
    if (ts.isCallExpression(current) && current.arguments.includes(child as ts.Expression)) {
      if (activityTypeCalled(current.expression, model) || CHILD_STARTS.has(model.temporalApiOf(current.expression)?.name ?? '')) used = 'activity';
    }
    if (ts.isStatement(current)) break;
  }
  return used;
}

function readText(node: ts.Node): string {
  let statement: ts.Node = node;
  while (statement.parent && !ts.isStatement(statement) && !ts.isFunctionLike(statement.parent)) statement = statement.parent;
  if (ts.isIfStatement(statement) || ts.isWhileStatement(statement)) return shortText(`${ts.isIfStatement(statement) ? 'if' : 'while'} (${statement.expression.getText()})`, 60);
  return shortText(statement.getText().split('\n')[0]!.trim(), 60);
}

// ---------------------------------------------------------------------------------------------
// Handler state

function droppedHandlerState(call: ts.CallExpression, workflow: WorkflowDefinition, model: TemporalModel): DroppedContinueAsNewState[] {
  const fn = workflow.node;
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return [];
  // Waiting for every handler to finish before continuing as new is the documented way to drain.
  if (/\ballHandlersFinished\b/.test(body.getText())) return [];
  // Arguments built by a function of the project may carry anything.
  if (call.arguments.some((argument) => callsLocalFunction(argument))) return [];
  const found: DroppedContinueAsNewState[] = [];
  for (const statement of body.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer || !isCollection(declaration.initializer)) continue;
      const variable = declaration.name;
      const isUse = (node: ts.Node): node is ts.Identifier => ts.isIdentifier(node) && node !== variable && node.text === variable.text && isUseOf(node, declaration, model);
      // Pending work: the workflow's own code takes items out of it (shift, pop, splice, clear, `= []`).
      // A set or map it only looks things up in is state of another kind (a dedup index, a cache).
      if (!consumedByWorkflow(body, isUse, model)) continue;
      if (carriedInto(call, body, declaration, model)) continue;
      const feed = handlerFeed(body, isUse, model);
      if (!feed) continue;
      if (testedAround(call, body, isUse) || drainedByCondition(body, isUse, model)) continue;
      const reads = workflowReads(body, call, isUse, model);
      const read = pickRead(reads);
      if (!read) continue;
      found.push({ ...entry('handler-state', variable.text, workflow, call, read, model), feed });
    }
  }
  return found;
}

const CONSUMING = new Set(['shift', 'pop', 'splice', 'clear']);

/** The workflow's own code (not a handler) takes items out of the collection or empties it. */
function consumedByWorkflow(body: ts.Node, isUse: (node: ts.Node) => boolean, model: TemporalModel): boolean {
  let consumed = false;
  const visit = (node: ts.Node): void => {
    if (consumed) return;
    if (ts.isCallExpression(node) && model.temporalApiOf(node.expression)?.name === 'setHandler') return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && CONSUMING.has(node.expression.name.text) && isUse(skipOuterExpressions(node.expression.expression))) consumed = true;
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipOuterExpressions(node.left);
      const right = skipOuterExpressions(node.right);
      if (isUse(left) && ts.isArrayLiteralExpression(right) && right.elements.length === 0) consumed = true;
      if (ts.isPropertyAccessExpression(left) && left.name.text === 'length' && isUse(skipOuterExpressions(left.expression))) consumed = true;
    }
    if (!consumed) ts.forEachChild(node, visit);
  };
  visit(body);
  return consumed;
}

/**
 * The continue-as-new arguments carry the collection, directly or through what the workflow builds
 * from it: a variable whose initializer mentions it (`const next = { queue: pending }`), one
 * assigned from it, or one filled with it (`state.pending = pending`, `seen.push(...pending)`,
 * `Object.assign(state, { pending })`), followed a few steps.
 */
function carriedInto(call: ts.CallExpression, body: ts.Node, collection: ts.Node, model: TemporalModel): boolean {
  const carriers = new Set<ts.Node>([collection]);
  const carries = (node: ts.Node): boolean => mentions(node, (current) => ts.isIdentifier(current) && carriers.has(model.declarationOf(current) as ts.Node));
  const rootOf = (expression: ts.Expression): ts.Node | undefined => {
    let current = skipOuterExpressions(expression);
    while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = skipOuterExpressions(current.expression);
    return ts.isIdentifier(current) ? model.declarationOf(current) : undefined;
  };
  for (let round = 0; round < 4; round++) {
    const before = carriers.size;
    const visit = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && node.initializer && !carriers.has(node) && carries(node.initializer)) carriers.add(node);
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && carries(node.right)) {
        const root = rootOf(node.left);
        if (root) carriers.add(root);
      }
      if (ts.isCallExpression(node) && node.arguments.some((argument) => carries(argument))) {
        const callee = skipOuterExpressions(node.expression);
        // `seen.push(...pending)`, `byId.set(key, pending)`, `Object.assign(state, { pending })`.
        const target = !ts.isPropertyAccessExpression(callee)
          ? undefined
          : callee.name.text === 'assign' && node.arguments[0]
            ? rootOf(node.arguments[0])
            : FILLING.has(callee.name.text)
              ? rootOf(callee.expression)
              : undefined;
        if (target) carriers.add(target);
      }
      ts.forEachChild(node, visit);
    };
    visit(body);
    if (carriers.size === before) break;
  }
  return call.arguments.some((argument) => carries(argument));
}

/** `[]`, `new Set()`, `new Map()`, `[...]`: a collection the workflow keeps. */
function isCollection(initializer: ts.Expression): boolean {
  const bare = skipOuterExpressions(initializer);
  if (ts.isArrayLiteralExpression(bare)) return true;
  return ts.isNewExpression(bare) && ts.isIdentifier(bare.expression) && (bare.expression.text === 'Set' || bare.expression.text === 'Map' || bare.expression.text === 'Array');
}

function mentions(node: ts.Node, test: (node: ts.Node) => boolean): boolean {
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (test(current)) found = true;
    else ts.forEachChild(current, visit);
  };
  visit(node);
  return found;
}

/** A call of a plain function (`buildState()`, `this.snapshot()`): what it returns is not visible here. */
function callsLocalFunction(node: ts.Node): boolean {
  return mentions(node, (current) => {
    if (!ts.isCallExpression(current)) return false;
    const callee = skipOuterExpressions(current.expression);
    return ts.isIdentifier(callee) || (ts.isPropertyAccessExpression(callee) && skipOuterExpressions(callee.expression).kind === ts.SyntaxKind.ThisKeyword);
  });
}

/** The first place a setHandler callback in the workflow fills the variable. */
function handlerFeed(body: ts.Node, isUse: (node: ts.Node) => boolean, model: TemporalModel): DroppedContinueAsNewState['feed'] {
  let feed: DroppedContinueAsNewState['feed'];
  const visit = (node: ts.Node): void => {
    if (feed) return;
    if (ts.isCallExpression(node) && model.temporalApiOf(node.expression)?.name === 'setHandler' && node.arguments.length >= 2) {
      const handler = skipOuterExpressions(node.arguments[1]!);
      const fn = ts.isArrowFunction(handler) || ts.isFunctionExpression(handler) ? handler : functionOfDeclaration(model.declarationOf(handler));
      const fill = fn?.body && firstFill(fn.body, isUse);
      if (fill) {
        const described = describeDefinition(node.arguments[0]!, model);
        if (described.kind !== 'query') feed = { location: model.locate(fill), text: shortText(fill.getText(), 48), kind: described.kind, ...(described.name ? { name: described.name } : {}) };
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return feed;
}

function firstFill(body: ts.Node, isUse: (node: ts.Node) => boolean): ts.Node | undefined {
  let fill: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (fill) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && FILLING.has(node.expression.name.text) && isUse(skipOuterExpressions(node.expression.expression))) {
      fill = node;
      return;
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && isUse(skipOuterExpressions(node.left))) {
      const right = skipOuterExpressions(node.right);
      // `queue = [...queue, job]`: a fill; `queue = []`: a reset.
      if (ts.isArrayLiteralExpression(right) && right.elements.length > 0) fill = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return fill;
}

/** An if or loop around the continue-as-new tests the variable (`if (!pending.length) await continueAsNew(...)`). */
function testedAround(call: ts.Node, body: ts.Node, isUse: (node: ts.Node) => boolean): boolean {
  for (let current = call.parent; current && current !== body; current = current.parent) {
    if (ts.isFunctionLike(current)) break;
    if ((ts.isIfStatement(current) || ts.isWhileStatement(current) || ts.isDoStatement(current)) && mentions(current.expression, isUse)) return true;
    if (ts.isForStatement(current) && current.condition && mentions(current.condition, isUse)) return true;
    if (ts.isConditionalExpression(current) && mentions(current.condition, isUse)) return true;
  }
  return false;
}

/** `await condition(() => pending.length === 0)` (any condition whose predicate reads the variable and can hold when it is empty). */
function drainedByCondition(body: ts.Node, isUse: (node: ts.Node) => boolean, model: TemporalModel): boolean {
  return mentions(body, (node) => {
    if (!ts.isCallExpression(node) || model.temporalApiOf(node.expression)?.name !== 'condition') return false;
    const predicate = node.arguments[0];
    return !!predicate && mentions(predicate, isUse) && testsEmpty(predicate, isUse);
  });
}

function testsEmpty(predicate: ts.Node, isUse: (node: ts.Node) => boolean): boolean {
  return mentions(predicate, (node) => {
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return mentions(node.operand, isUse);
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      const zero = [node.left, node.right].some((side) => ts.isNumericLiteral(skipOuterExpressions(side)) && (skipOuterExpressions(side) as ts.NumericLiteral).text === '0');
      const equal = operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken || operator === ts.SyntaxKind.LessThanEqualsToken;
      return zero && equal && mentions(node, isUse);
    }
    return false;
  });
}

/** Reads of the variable by the workflow's own code (not in setHandler callbacks, not in the continue-as-new call). */
function workflowReads(body: ts.Node, call: ts.Node, isUse: (node: ts.Node) => boolean, model: TemporalModel): Read[] {
  const reads: Read[] = [];
  const visit = (node: ts.Node): void => {
    if (node === call) return;
    if (ts.isCallExpression(node) && model.temporalApiOf(node.expression)?.name === 'setHandler') return;
    if (isUse(node)) {
      if (!isWritten(node)) reads.push({ node, use: useOf(node, model) });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return reads;
}
