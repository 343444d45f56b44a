// How a workflow start names its execution: derived from the entity's keys (`bootstrap-${workspace}`,
// `temporal/${type}/${ids.join('/')}`), random (`uuid4()`, `nanoid()`), or left to the SDK. A
// derived id finds one entity's run without search attributes; a random one finds nothing.

import ts from 'typescript';
import { functionOfDeclaration } from '../declarations.js';
import { relativePath } from '../locate.js';
import { propertyValue } from '../object-literal.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { SourceLocation, TemporalModel, WorkflowStart } from '../types.js';

export type WorkflowIdShape =
  /** Constant text and values that do not change between starts of the same entity. */
  | { kind: 'derived'; text: string }
  /**
   * A fresh value at every start (`uuidv4()`, `nanoid()`, `Date.now()`): the id finds nothing, unless
   * a key comes before the random part (`sync-${tenantId}-${Date.now()}`): then `keyedPrefix` is set
   * and one entity's runs are listed with `WorkflowId STARTS_WITH 'sync-<tenant>-'`.
   */
  | {
      kind: 'random';
      text: string;
      keyedPrefix?: true;
      /** `runId ?? uuid()`: the random part is only the fallback when this (the left side) is missing. */
      fallback?: string;
      /** Where the random values are written when not in the id expression (`job.id`, set in the object a project function returns). */
      origins?: (SourceLocation & { fallback?: string })[];
    }
  /** No workflowId on a child start: the SDK makes a random one. */
  | { kind: 'generated' }
  | { kind: 'other' };

/** Calls that return a new value each time: id generators and clocks. */
const RANDOM_CALLS = new Set([
  'uuid', 'uuid4', 'uuidv4', 'uuidV4', 'v4', 'v1', 'v7', 'uuidv7', 'uuidV7', 'randomUUID', 'nanoid', 'ulid', 'cuid', 'cuid2', 'createId',
  'random', 'randomBytes', 'randomInt', 'now',
]);

/**
 * Names of id generators beyond the list: `generateUUIDv4`, `newUuid`, `createRandomUuid`,
 * `makeGuid`, `generateUlid` (a project's or a library's helper).
 */
const RANDOM_NAME = /^(generate|gen|create|make|new|random)_?(random_?|unique_?)?(uuid|guid|nanoid|ulid|cuid|uniqid|shortid)(_?v?[1467])?$/i;
/** `generateId()`, `newId()`, `generateUniqueId()`: a generator when called without a key. */
const ID_GENERATOR = /^(generate|gen|make|new)_?(random_?|unique_?)?id$/i;
/** Libraries whose exports make a fresh value at every call, with those exports (`default` for the default export). */
const RANDOM_MODULES = new Map<string, Set<string>>([
  ['uuid', new Set(['v1', 'v4', 'v6', 'v7'])],
  ['nanoid', new Set(['nanoid'])],
  ['nanoid/non-secure', new Set(['nanoid'])],
  ['ulid', new Set(['ulid'])],
  ['ulidx', new Set(['ulid'])],
  ['cuid', new Set(['default'])],
  ['@paralleldrive/cuid2', new Set(['createId'])],
  ['uniqid', new Set(['default'])],
  ['shortid', new Set(['default', 'generate'])],
  ['crypto', new Set(['randomUUID', 'randomBytes', 'randomInt'])],
  ['node:crypto', new Set(['randomUUID', 'randomBytes', 'randomInt'])],
]);

/** Returns followed into project helpers (`getBootstrapWorkflowId` calling an inner builder). */
const MAX_DEPTH = 3;

export function workflowIdShape(start: WorkflowStart, model: TemporalModel): WorkflowIdShape {
  const options = start.options?.kind === 'object' ? start.options : undefined;
  if (!options) return { kind: 'other' };
  const workflowId = options.properties.get('workflowId');
  if (!workflowId || workflowId.kind === 'undefined') {
    return start.child && options.unknownSpreads.length === 0 ? { kind: 'generated' } : { kind: 'other' };
  }
  if (workflowId.kind !== 'unknown' || !workflowId.node) return { kind: 'other' };
  return expressionIdShape(workflowId.node as ts.Expression, model);
}

/** The shape of an expression used as a workflow id (the start's option, or what a caller passes to a wrapper's id parameter). */
export function expressionIdShape(expression: ts.Expression, model: TemporalModel): WorkflowIdShape {
  const node = skipOuterExpressions(expression) as ts.Expression;
  const trace: Trace = {};
  const shape = shapeOf(node, model, 0, trace);
  if (shape === 'other') return { kind: shape };
  // One line in the message, however the call was formatted.
  const oneLine = (n: ts.Node) => n.getText().replace(/\s+/g, ' ').replace(/\(\s/g, '(').replace(/,\s}/g, ' }');
  let text = oneLine(node);
  if (shape === 'derived') return { kind: shape, text };
  const origins = trace.origins?.map((origin) => ({ ...model.locate(origin.value), ...(origin.fallback ? { fallback: origin.fallback } : {}) }));
  if (trace.origins && trace.origins.length > 0 && origins) {
    const first = origins[0]!;
    const more = origins.length - 1;
    text += `, set to ${oneLine(trace.origins[0]!.value)} at ${relativePath(model.root, first.file)}:${first.line}${more > 0 ? ` and ${more} more random value${more > 1 ? 's' : ''}` : ''}`;
  }
  return {
    kind: 'random',
    text,
    ...(shape === 'keyed-random' ? { keyedPrefix: true as const } : {}),
    ...(trace.fallback ? { fallback: trace.fallback } : {}),
    ...(origins && origins.length > 0 ? { origins } : {}),
  };
}

/** What made an id random, collected while reading it: a `??` fallback, values written in an object elsewhere. */
interface Trace {
  fallback?: string;
  origins?: { value: ts.Expression; fallback?: string }[];
}

export type Shape = 'derived' | 'random' | 'keyed-random' | 'other';

/**
 * How an id expression written anywhere is made (the id passed to `getHandle`): 'random' or
 * 'keyed-random' when a part of it is a fresh value at every evaluation, written in place, held
 * in a const, or returned by a project function (three levels).
 */
export function idExpressionShape(expression: ts.Expression, model: TemporalModel): Shape {
  return shapeOf(expression, model, 0);
}

function shapeOf(expression: ts.Expression, model: TemporalModel, depth: number, trace?: Trace): Shape {
  const node = skipOuterExpressions(expression) as ts.Expression;
  // `p.runId ?? `workflow-${uuid()}``: random whenever the left side can be missing.
  if (ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    const left = shapeOf(node.left, model, depth, trace);
    if (left === 'random' || left === 'keyed-random') return left;
    const right = shapeOf(node.right, model, depth, trace);
    if (right === 'random' || right === 'keyed-random') {
      if (!canBeMissing(node.left, model)) return left;
      if (trace && !trace.fallback) trace.fallback = node.left.getText().replace(/\s+/g, ' ');
      return right;
    }
    return left === 'derived' && right === 'derived' ? 'derived' : 'other';
  }
  // `job.id`, where `job` is an object a project function builds (`return { id: `action-${uniqueStamp()}`, ... }`).
  if (ts.isPropertyAccessExpression(node) && depth < MAX_DEPTH) {
    const values = objectLiterals(node.expression, model, 0).flatMap((literal) => {
      const value = propertyValue(literal, node.name.text);
      return value ? [value] : [];
    });
    if (values.length > 0) return valuesShape(values, model, depth + 1, trace);
  }
  if (ts.isTemplateExpression(node)) {
    const constant = node.head.text !== '' || node.templateSpans.some((span) => span.literal.text !== '');
    return partsShape(node.templateSpans.map((span) => span.expression), constant, model, depth, trace);
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const parts = concatenated(node);
    const constant = parts.some((part) => ts.isStringLiteralLike(part) && part.text !== '');
    return partsShape(parts.filter((part) => !ts.isStringLiteralLike(part)), constant, model, depth, trace);
  }
  if (ts.isCallExpression(node)) {
    // A generator called directly, or one drawn in the call's receiver or arguments (a callback
    // too: `'xxxxxxxx-4xxx'.replace(/x/g, () => (Math.random() * 16).toString(16))`).
    if (isRandomCall(node) || containsRandomCall(node)) return 'random';
    // `[prefix, ...keys].join('-')`.
    const callee = skipOuterExpressions(node.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'join' && ts.isArrayLiteralExpression(skipOuterExpressions(callee.expression))) {
      const elements = (skipOuterExpressions(callee.expression) as ts.ArrayLiteralExpression).elements;
      const constant = elements.some((e) => ts.isStringLiteralLike(e) && e.text !== '');
      return partsShape(elements.filter((e) => !ts.isStringLiteralLike(e)), constant, model, depth, trace);
    }
    if (depth >= MAX_DEPTH) return 'other';
    const fn = functionOfDeclaration(model.declarationOf(callee));
    if (!fn?.body || fn.getSourceFile().isDeclarationFile || fn.getSourceFile().fileName.includes('/node_modules/')) return 'other';
    const returned = ts.isBlock(fn.body) ? returnedValues(fn.body) : [fn.body];
    const shapes = returned.map((value) => shapeOf(value, model, depth + 1, trace));
    // A helper without parameters that draws a random or clock value anywhere in its body (in a
    // callback too: `'xxxxxxxx-xxxx'.replace(/x/g, () => ...Math.random()...)`) makes a new id each call.
    if (fn.parameters.length === 0 && !shapes.includes('derived') && containsRandomCall(fn.body)) return 'random';
    if (shapes.length === 0) return 'other';
    if (shapes.includes('random')) return 'random';
    if (shapes.includes('keyed-random')) return 'keyed-random';
    return shapes.every((shape) => shape === 'derived') ? 'derived' : 'other';
  }
  if (ts.isIdentifier(node) && depth < MAX_DEPTH) {
    // `const workflowId = buildWorkflowId(params)`: the value of a const is its initializer. In a
    // shorthand property (`{ workflowId }`, a caller's argument to a wrapper) the value is the variable of that name.
    const declaration = ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node
      ? model.checkerFor(node.getSourceFile().fileName)?.getShorthandAssignmentValueSymbol(node.parent)?.valueDeclaration
      : model.declarationOf(node);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && isConst(declaration)) {
      return shapeOf(declaration.initializer, model, depth + 1, trace);
    }
    // `let workflowId: string;` then one `workflowId = ...` (in a try, say): the value is that assignment.
    const only = declaration && ts.isVariableDeclaration(declaration) && !declaration.initializer ? onlyAssignment(declaration) : undefined;
    if (only) return shapeOf(only, model, depth + 1, trace);
  }
  return 'other';
}

/**
 * Derived when there is constant text and no part is random; random when a part is, written in
 * place or held by a variable whose value is random (`const id = crypto.randomUUID()`);
 * keyed-random when a value that is not random (a key) comes before the first random part.
 */
function partsShape(parts: readonly ts.Expression[], constant: boolean, model: TemporalModel, depth: number, trace?: Trace): Shape {
  // A part that is a project helper's result (`${uniqueStamp()}`, where `uniqueStamp = () => Date.now().toString(36) + ...`) or a fallback to one.
  const followed = (part: ts.Expression) => {
    const inner = skipOuterExpressions(part);
    return ts.isIdentifier(inner) || ts.isCallExpression(inner) || ts.isPropertyAccessExpression(inner) || (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken);
  };
  const isRandom = (part: ts.Expression) =>
    containsRandomCall(part) || (depth < MAX_DEPTH && followed(part) && shapeOf(part, model, depth + 1, trace) === 'random');
  const firstRandom = parts.findIndex(isRandom);
  if (firstRandom === 0) return 'random';
  if (firstRandom > 0) return 'keyed-random';
  return constant ? 'derived' : 'other';
}

/** The value of the one assignment to a variable declared without a value, in the function that declares it. */
function onlyAssignment(declaration: ts.VariableDeclaration): ts.Expression | undefined {
  if (!ts.isIdentifier(declaration.name)) return undefined;
  const name = declaration.name.text;
  let scope: ts.Node | undefined = declaration.parent;
  while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (!scope) return undefined;
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && ts.isIdentifier(node.left) && node.left.text === name) {
      if (node.operatorToken.kind === ts.SyntaxKind.EqualsToken) values.push(node.right);
      else if (node.operatorToken.kind >= ts.SyntaxKind.FirstCompoundAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastCompoundAssignment) values.push(node.left, node.left);
    }
    if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && ts.isIdentifier(node.operand) && node.operand.text === name) values.push(node.operand, node.operand);
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return values.length === 1 ? values[0] : undefined;
}

function concatenated(node: ts.Expression): ts.Expression[] {
  const inner = skipOuterExpressions(node) as ts.Expression;
  if (ts.isBinaryExpression(inner) && inner.operatorToken.kind === ts.SyntaxKind.PlusToken) return [...concatenated(inner.left), ...concatenated(inner.right)];
  return [inner];
}

/** What a function body returns, outside nested functions; `return null` (no id) is left out. */
function returnedValues(body: ts.Block): ts.Expression[] {
  const values: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const value = skipOuterExpressions(node.expression) as ts.Expression;
      if (value.kind !== ts.SyntaxKind.NullKeyword && !(ts.isIdentifier(value) && value.text === 'undefined')) values.push(value);
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return values;
}

function isRandomCall(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
  if (RANDOM_CALLS.has(name) || RANDOM_NAME.test(name)) return true;
  if (call.arguments.length === 0 && ID_GENERATOR.test(name)) return true;
  // `import { v4 as makeId } from 'uuid'`, `import cuid from 'cuid'`, `const { v4: id } = require('uuid')`.
  return ts.isIdentifier(callee) && importedRandom(callee);
}

/** Whether an identifier is bound in its file to a random export of a generator library. */
function importedRandom(identifier: ts.Identifier): boolean {
  const name = identifier.text;
  for (const statement of identifier.getSourceFile().statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const exports = RANDOM_MODULES.get(statement.moduleSpecifier.text);
      const clause = statement.importClause;
      if (!exports || !clause) continue;
      if (clause.name?.text === name) return exports.has('default');
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        const element = bindings.elements.find((e) => e.name.text === name);
        if (element) return exports.has((element.propertyName ?? element.name).text);
      }
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer && skipOuterExpressions(declaration.initializer);
        if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'require') continue;
        const module = init.arguments[0];
        const exports = module && ts.isStringLiteral(module) ? RANDOM_MODULES.get(module.text) : undefined;
        if (!exports) continue;
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name) return exports.has('default');
        if (ts.isObjectBindingPattern(declaration.name)) {
          const element = declaration.name.elements.find((e) => ts.isIdentifier(e.name) && e.name.text === name);
          const imported = element && (element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : name);
          if (imported) return exports.has(imported);
        }
      }
    }
  }
  return false;
}

function containsRandomCall(node: ts.Node): boolean {
  if (ts.isCallExpression(node) && isRandomCall(node)) return true;
  // `new Date()` is the clock.
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && !node.arguments?.length) return true;
  return ts.forEachChild(node, containsRandomCall) ?? false;
}

function isConst(declaration: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
}

/**
 * The shape of a property that several objects set (the rows of a dispatch table): random when
 * one of them is. The random values are kept as origins, those without a fallback first.
 */
function valuesShape(values: ts.Expression[], model: TemporalModel, depth: number, trace?: Trace): Shape {
  const read = values.map((value) => {
    const own: Trace = {};
    return { value, own, shape: shapeOf(value, model, depth, own) };
  });
  const random = read.filter((r) => r.shape === 'random' || r.shape === 'keyed-random');
  if (random.length > 0) {
    random.sort((a, b) => Number(a.own.fallback !== undefined) - Number(b.own.fallback !== undefined));
    if (trace) {
      trace.origins ??= random.map((r) => ({ value: r.value, ...(r.own.fallback ? { fallback: r.own.fallback } : {}) }));
      // Every random value is a fallback: the id is random only when the key is missing.
      if (!trace.fallback && random.every((r) => r.own.fallback !== undefined)) trace.fallback = random[0]!.own.fallback;
    }
    return random.some((r) => r.shape === 'random') ? 'random' : 'keyed-random';
  }
  return read.every((r) => r.shape === 'derived') ? 'derived' : 'other';
}

/** Whether the left side of `a ?? b` can be null or undefined by its type (any, unknown, optional; every type without strictNullChecks). */
function canBeMissing(left: ts.Expression, model: TemporalModel): boolean {
  const file = left.getSourceFile().fileName;
  const project = model.projects.find((p) => p.program.getSourceFile(file) !== undefined);
  const checker = project?.checker ?? model.checkerFor(file);
  if (!checker || !project) return true;
  const options = project.program.getCompilerOptions();
  if (!(options.strictNullChecks ?? options.strict ?? false)) return true;
  const type = checker.getTypeAtLocation(left);
  const missing = ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void;
  if (type.flags & missing) return true;
  return type.isUnion() && type.types.some((member) => (member.flags & missing) !== 0);
}

/** Calls followed to the objects they return (`jobFor(...)` returning `config.toJob(payload)` returning `{ id, ... }`). */
const MAX_OBJECT_DEPTH = 4;

/** The object literals an expression can evaluate to: written in place, held by a const, or returned by project functions. */
function objectLiterals(expression: ts.Expression, model: TemporalModel, depth: number): ts.ObjectLiteralExpression[] {
  let node = skipOuterExpressions(expression) as ts.Expression;
  if (ts.isAwaitExpression(node)) node = skipOuterExpressions(node.expression) as ts.Expression;
  if (ts.isObjectLiteralExpression(node)) return [node];
  if (depth >= MAX_OBJECT_DEPTH) return [];
  if (ts.isConditionalExpression(node)) return [...objectLiterals(node.whenTrue, model, depth + 1), ...objectLiterals(node.whenFalse, model, depth + 1)];
  if (ts.isIdentifier(node)) {
    const declaration = model.declarationOf(node);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && isConst(declaration)) return objectLiterals(declaration.initializer, model, depth + 1);
    return [];
  }
  if (ts.isCallExpression(node)) {
    return calledFunctions(node.expression, model).flatMap((fn) => {
      if (!fn.body) return [];
      const returned = ts.isBlock(fn.body) ? returnedValues(fn.body) : [fn.body];
      return returned.flatMap((value) => objectLiterals(value, model, depth + 1));
    });
  }
  return [];
}

/**
 * The project functions a callee names: the declared function, or, for a function-typed member
 * of an interface or type (`config.toJob(payload)` with `toJob: (payload) => Job`), the functions
 * that objects of that type give the member in the project's files.
 */
function calledFunctions(callee: ts.Expression, model: TemporalModel): ts.FunctionLikeDeclaration[] {
  const declaration = model.declarationOf(skipOuterExpressions(callee));
  const inProject = (fn: ts.FunctionLikeDeclaration) => !fn.getSourceFile().isDeclarationFile && !fn.getSourceFile().fileName.includes('/node_modules/');
  const fn = functionOfDeclaration(declaration);
  if (fn) return inProject(fn) ? [fn] : [];
  if (!declaration || !(ts.isPropertySignature(declaration) || ts.isMethodSignature(declaration)) || !ts.isIdentifier(declaration.name)) return [];
  if (declaration.getSourceFile().isDeclarationFile || declaration.getSourceFile().fileName.includes('/node_modules/')) return [];
  const name = declaration.name.text;
  const found: ts.FunctionLikeDeclaration[] = [];
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    const checker = model.checkerFor(file);
    if (!sourceFile || !checker || !sourceFile.text.includes(name)) continue;
    const visit = (node: ts.Node): void => {
      if ((ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node)) && ts.isObjectLiteralExpression(node.parent) && node.name && ts.isIdentifier(node.name) && node.name.text === name) {
        const member = checker.getContextualType(node.parent)?.getProperty(name);
        const implementation = functionOfDeclaration(node);
        if (implementation && member?.declarations?.includes(declaration)) found.push(implementation);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}
