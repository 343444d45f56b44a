// A throw decided by the workflow's input alone: every condition that guards it (the `if` and
// `switch` tests around it, up to the function it is written in) reads only values derived from
// the parameters of a workflow function: property and element reads of them, pure array and
// string methods over them (`find`, `findIndex`, `some`, `includes`, `length`), literals, local
// consts initialised from such values, and loop variables over them. In a helper, its parameters
// count when every call of it passes such a value. Such a throw fires for a start that passes bad
// input, the same way on every attempt; it says nothing about the world at run time. Anything
// that reads an activity or child result, a handler's state, workflow info, time, a module
// variable or a value the reader cannot follow is not input-determined.

import ts from 'typescript';
import type { TemporalModel } from '../types.js';
import { callSitesOf } from '../per-call-connections.js';
import { skipOuterExpressions } from '../temporal-api.js';

/** Methods that read their receiver (and callbacks' results) without side effects or outside state. */
const PURE_METHODS = new Set([
  'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every', 'includes', 'indexOf', 'lastIndexOf', 'filter', 'map',
  'at', 'slice', 'join', 'flat', 'flatMap', 'keys', 'values', 'entries', 'has', 'get',
  'startsWith', 'endsWith', 'trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'split', 'match', 'test', 'toString',
]);
/** Methods whose callback receives the receiver's elements. */
const ELEMENT_CALLBACKS = new Set(['find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every', 'filter', 'map', 'flatMap', 'forEach']);
/** Global functions that only convert or test their argument. */
const PURE_FUNCTIONS = new Set(['String', 'Number', 'Boolean', 'isNaN', 'isFinite', 'parseInt', 'parseFloat']);
const PURE_STATICS: Record<string, Set<string>> = {
  Object: new Set(['keys', 'values', 'entries', 'hasOwn']),
  Array: new Set(['isArray']),
  Number: new Set(['isInteger', 'isFinite', 'isNaN']),
};
const MAX_HELPER_DEPTH = 3;

export interface InputDetermined {
  /** The property path a guard finds missing (`recipeData`), when the guard is a test for a missing input field. */
  missing?: string;
  /** The guarding condition as written, shortened. */
  condition: string;
}

/**
 * Whether the throw (or the assertion call) in `fn` is decided by the workflow's input alone; `workflows` are the workflow
 * functions whose parameters are input. Undefined when not, or when unsure.
 */
export function inputDetermined(statement: ts.ThrowStatement | ts.CallExpression, workflows: ReadonlySet<ts.Node>, model: TemporalModel): InputDetermined | undefined {
  const guards: ts.Expression[] = [];
  if (ts.isCallExpression(statement)) {
    if (!statement.arguments[0]) return undefined;
    guards.push(statement.arguments[0]);
  }
  // The tests around the statement, up to the function it is written in.
  let child: ts.Node = statement;
  for (let node = statement.parent; node; child = node, node = node.parent) {
    if (ts.isFunctionLike(node)) {
      // A callback over the input's elements (`input.items.forEach((item) => ...)`): its tests count, and its caller's too.
      const call = node.parent;
      const fromElements = call && ts.isCallExpression(call) && call.arguments.includes(node as ts.Expression) && elementCallback(call);
      if (!fromElements) break;
      continue;
    }
    if (ts.isIfStatement(node) && child !== node.expression) guards.push(node.expression);
    else if (ts.isCaseClause(node)) guards.push(node.parent.parent.expression, node.expression);
    else if (ts.isDefaultClause(node)) {
      guards.push(node.parent.parent.expression);
      for (const clause of node.parent.clauses) if (ts.isCaseClause(clause)) guards.push(clause.expression);
    } else if (ts.isCatchClause(node)) return undefined; // decided by what was caught
    else if (ts.isConditionalExpression(node) && child !== node.condition) guards.push(node.condition);
  }
  if (guards.length === 0) return undefined;
  const reader = new InputReader(workflows, model);
  if (!guards.every((guard) => reader.derived(guard, 0))) return undefined;
  // The closest test: the first found on the walk up.
  const tested = guards[0]!;
  const missing = missingPath(tested, workflows, model);
  const text = tested.getText().replace(/\s+/g, ' ');
  return { ...(missing ? { missing } : {}), condition: text.length > 80 ? `${text.slice(0, 77)}...` : text };
}

/** `input.items.find((item) => ...)`: a call of a method that hands its callback the receiver's elements. */
function elementCallback(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return ts.isPropertyAccessExpression(callee) && ELEMENT_CALLBACKS.has(callee.name.text);
}

class InputReader {
  private readonly seen = new Map<ts.Node, boolean>();

  constructor(
    private readonly workflows: ReadonlySet<ts.Node>,
    private readonly model: TemporalModel,
  ) {}

  derived(expression: ts.Expression, depth: number): boolean {
    const node = skipOuterExpressions(expression) as ts.Expression;
    if (isLiteral(node) || ts.isRegularExpressionLiteral(node)) return true;
    if (ts.isTemplateExpression(node)) return node.templateSpans.every((span) => this.derived(span.expression, depth));
    if (ts.isIdentifier(node)) return this.identifier(node, depth);
    if (ts.isPropertyAccessExpression(node)) return this.derived(node.expression, depth) || this.constantMember(node);
    if (ts.isElementAccessExpression(node)) return this.derived(node.expression, depth) && (this.derived(node.argumentExpression, depth) || this.loopCounter(node.argumentExpression));
    if (ts.isPrefixUnaryExpression(node)) return this.derived(node.operand, depth);
    if (ts.isTypeOfExpression(node)) return this.derived(node.expression, depth);
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind;
      if (operator >= ts.SyntaxKind.FirstAssignment && operator <= ts.SyntaxKind.LastAssignment) return false;
      if (operator === ts.SyntaxKind.InstanceOfKeyword) return this.derived(node.left, depth);
      return this.derived(node.left, depth) && this.derived(node.right, depth);
    }
    if (ts.isConditionalExpression(node)) return this.derived(node.condition, depth) && this.derived(node.whenTrue, depth) && this.derived(node.whenFalse, depth);
    if (ts.isArrayLiteralExpression(node)) return node.elements.every((element) => !ts.isSpreadElement(element) && this.derived(element, depth));
    if (ts.isCallExpression(node)) return this.call(node, depth);
    return false;
  }

  private call(call: ts.CallExpression, depth: number): boolean {
    const callee = skipOuterExpressions(call.expression);
    const argumentsDerived = () =>
      call.arguments.every((argument) => (ts.isArrowFunction(argument) || ts.isFunctionExpression(argument) ? this.callback(argument, depth) : this.derived(argument, depth)));
    if (ts.isIdentifier(callee)) return PURE_FUNCTIONS.has(callee.text) && this.isGlobal(callee) && argumentsDerived();
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const receiver = skipOuterExpressions(callee.expression);
    if (ts.isIdentifier(receiver) && PURE_STATICS[receiver.text]?.has(callee.name.text) && this.isGlobal(receiver)) return argumentsDerived();
    return PURE_METHODS.has(callee.name.text) && this.derived(callee.expression, depth) && argumentsDerived();
  }

  /** A callback of a pure method: what it returns reads only its parameters (the elements) and derived values. */
  private callback(fn: ts.ArrowFunction | ts.FunctionExpression, depth: number): boolean {
    if (ts.isBlock(fn.body)) {
      const statements = fn.body.statements;
      const only = statements.length === 1 ? statements[0] : undefined;
      return only !== undefined && ts.isReturnStatement(only) && only.expression !== undefined && this.derived(only.expression, depth);
    }
    return this.derived(fn.body, depth);
  }

  private isGlobal(identifier: ts.Identifier): boolean {
    const declaration = this.model.declarationOf(identifier);
    return !declaration || declaration.getSourceFile().isDeclarationFile;
  }

  /** `Status.Active` of an enum, or a property of a module const holding a literal. */
  private constantMember(access: ts.PropertyAccessExpression): boolean {
    const declaration = this.model.declarationOf(access);
    return declaration !== undefined && ts.isEnumMember(declaration);
  }

  private identifier(identifier: ts.Identifier, depth: number): boolean {
    if (identifier.text === 'undefined') return true;
    const declaration = this.model.declarationOf(identifier);
    if (!declaration) return false;
    const cached = this.seen.get(declaration);
    if (cached !== undefined) return cached;
    this.seen.set(declaration, false); // a cycle reads nothing new
    const result = this.declaration(declaration, depth);
    this.seen.set(declaration, result);
    return result;
  }

  private declaration(declaration: ts.Declaration, depth: number): boolean {
    if (ts.isEnumDeclaration(declaration) || ts.isEnumMember(declaration)) return true;
    // A destructured name: `const { a } = input`, `({ a }: Input)`, `for (const { a } of input.items)`.
    let named: ts.Node = declaration;
    while (ts.isBindingElement(named)) named = named.parent.parent;
    if (ts.isParameter(named)) return this.parameter(named, depth);
    if (!ts.isVariableDeclaration(named)) return false;
    const list = named.parent;
    if (!ts.isVariableDeclarationList(list)) return false;
    const loop = list.parent;
    if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return this.derived(loop.expression, depth);
    if ((list.flags & ts.NodeFlags.Const) === 0) return false;
    if (!named.initializer) return false;
    // A module-level const: only a literal (a shared object may be changed by any code).
    if (ts.isVariableStatement(list.parent) && ts.isSourceFile(list.parent.parent)) return isLiteral(skipOuterExpressions(named.initializer) as ts.Expression);
    return this.derived(named.initializer, depth);
  }

  private parameter(parameter: ts.ParameterDeclaration, depth: number): boolean {
    const fn = parameter.parent;
    if (this.workflows.has(fn)) return true;
    // A callback over a derived receiver's elements: `input.items.find((item) => item.id === id)`.
    const call = fn.parent;
    if (call && ts.isCallExpression(call) && call.arguments.includes(fn as ts.Expression)) {
      const callee = skipOuterExpressions(call.expression);
      return elementCallback(call) && ts.isPropertyAccessExpression(callee) && this.derived(callee.expression, depth);
    }
    // A helper's parameter: every call of it passes a derived value (or leaves it to a derived default).
    if (depth >= MAX_HELPER_DEPTH || parameter.dotDotDotToken || !(ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return false;
    const position = fn.parameters.indexOf(parameter);
    const sites = callSitesOf(fn as ts.FunctionLikeDeclaration, this.model);
    if (sites.length === 0) return false;
    return sites.every((site) => {
      if (site.arguments.some((argument, index) => index <= position && ts.isSpreadElement(argument))) return false;
      const argument = site.arguments[position];
      if (argument) return this.derived(argument, depth + 1);
      return parameter.initializer !== undefined && this.derived(parameter.initializer, depth + 1);
    });
  }

  /** `i` of `for (let i = 0; i < ...; i++)`: a counter used as the index of a derived array. */
  private loopCounter(expression: ts.Expression): boolean {
    const node = skipOuterExpressions(expression);
    if (!ts.isIdentifier(node)) return false;
    const declaration = this.model.declarationOf(node);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isVariableDeclarationList(declaration.parent)) return false;
    const loop = declaration.parent.parent;
    return ts.isForStatement(loop) && loop.initializer === declaration.parent && declaration.initializer !== undefined && isLiteral(skipOuterExpressions(declaration.initializer) as ts.Expression);
  }
}

function isLiteral(node: ts.Expression): boolean {
  return (
    ts.isStringLiteral(node) ||
    ts.isNumericLiteral(node) ||
    ts.isNoSubstitutionTemplateLiteral(node) ||
    node.kind === ts.SyntaxKind.TrueKeyword ||
    node.kind === ts.SyntaxKind.FalseKeyword ||
    node.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand))
  );
}

/**
 * `input.recipeData` of `!input.recipeData` (or `!recipeData` destructured from the input): the
 * property a test for a missing value looks at, written from the parameter; `||` of such tests
 * gives each path.
 */
function missingPath(condition: ts.Expression, workflows: ReadonlySet<ts.Node>, model: TemporalModel): string | undefined {
  const paths: string[] = [];
  const read = (expression: ts.Expression): boolean => {
    const node = skipOuterExpressions(expression) as ts.Expression;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.BarBarToken) return read(node.left) && read(node.right);
    let tested: ts.Expression | undefined;
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) tested = skipOuterExpressions(node.operand) as ts.Expression;
    else if (ts.isBinaryExpression(node) && [ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken].includes(node.operatorToken.kind)) {
      const nothing = (side: ts.Expression) => {
        const inner = skipOuterExpressions(side);
        return inner.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(inner) && inner.text === 'undefined');
      };
      tested = nothing(node.right) ? node.left : nothing(node.left) ? node.right : undefined;
    }
    if (!tested) return false;
    const path: string[] = [];
    let current = skipOuterExpressions(tested) as ts.Expression;
    while (ts.isPropertyAccessExpression(current)) {
      path.unshift(current.name.text);
      current = skipOuterExpressions(current.expression) as ts.Expression;
    }
    if (!ts.isIdentifier(current)) return false;
    let declaration: ts.Node | undefined = model.declarationOf(current);
    if (declaration && ts.isBindingElement(declaration)) {
      path.unshift(current.text);
      while (declaration && ts.isBindingElement(declaration)) declaration = declaration.parent.parent;
    }
    if (!declaration || !ts.isParameter(declaration) || !workflows.has(declaration.parent) || path.length === 0) return false;
    paths.push(path.join('.'));
    return true;
  };
  return read(condition) && paths.length > 0 ? paths.join(' or ') : undefined;
}
