// The throw statements a workflow can reach: in the workflow function, in functions and callbacks
// nested in it (signal and update handlers included), and in functions of workflow-sandbox files
// it calls or passes along. Left out: throws (and calls) inside a `try` whose `catch` does not
// rethrow the caught error unconditionally, rejections of a promise chained with `.catch(handler)`
// (or `.then(_, handler)`) whose handler does not rethrow it raw, and update validators (a
// validator's throw rejects the update). A function reached both ways is still read: one path that
// lets the error out is enough.

import ts from 'typescript';
import type { SourceLocation, TemporalModel } from '../types.js';
import { catchHandlerKeepsError, catchRethrowsError, promiseCatchHandler } from './caught-errors.js';
import { errorOrWrapped, rethrownCaughtVariable, rethrownTemporalFailure } from './rethrown-failure.js';
import { skipOuterExpressions } from '../temporal-api.js';
import { sandboxFiles } from './sandbox-files.js';
import { nodeLocation } from './source-location.js';
import { classifyThrownValue, TEMPORAL_FAILURE_CLASSES, type ThrownValue } from './thrown-value.js';
import { importedFunctionOf } from './imported-function.js';
import { inputDetermined, type InputDetermined } from './input-determined.js';
import { isNothing, missingActivityResult, missingAssertedResult, type MissingActivityResult } from './activity-null-result.js';
import { afterLoopExit, type AfterLoopExit } from './after-loop-exit.js';

export interface WorkflowThrow {
  location: SourceLocation;
  /** The thrown expression as written. */
  text: string;
  value: ThrownValue;
  /** Names of the workflows that reach this throw, sorted. */
  workflows: string[];
  /**
   * True for an invariant guard: the throw is all an `if` does, and its condition only tests a
   * value for null or undefined (`if (!token) throw new Error(...)`). Such guards are often there
   * for the type checker and unreachable in practice; reachability is beyond a static review.
   */
  nullGuard: boolean;
  /**
   * For a null guard: the activity whose result it tests, when that activity's implementation
   * shows a path returning null or undefined (a missing row): the guard is reachable.
   */
  missingResult?: MissingActivityResult;
  /** A call of Node's `assert` module (`assert(x)`, `assert.strictEqual(a, b)`): it throws an AssertionError when it fails. */
  assertion?: boolean;
  /**
   * For an assertion, the package it comes from when that is an invariant library
   * (`invariant(x)` from tiny-invariant): it throws a plain Error, not an AssertionError.
   */
  assertionModule?: string;
  /**
   * For a throw in a function the workflow calls (not in the workflow function itself): the call
   * in the workflow function through which each workflow reaches it, one per workflow.
   */
  reaches: { workflow: string; via: SourceLocation }[];
  /**
   * True for the call of an exhaustiveness helper (`assertNever(x: never)` that throws): reported
   * at the call in workflow code, since only a value the types did not foresee (a signal payload, a
   * record written by an older version) gets there.
   */
  exhaustive?: boolean;
  /**
   * The guarding conditions read only the workflow's input (see input-determined.ts): only a start
   * with bad input gets there, and it fails the same way on every attempt.
   */
  inputDetermined?: InputDetermined;
  /**
   * The throw directly follows a counted loop whose last turn returns or throws on every path: it
   * runs only when the loop does not reach that turn (see after-loop-exit.ts). A throw after a loop
   * that nothing leaves normally is not listed at all.
   */
  afterLoop?: AfterLoopExit;
}

type FunctionNode = ts.FunctionLikeDeclaration;

export function workflowThrows(model: TemporalModel): WorkflowThrow[] {
  const workflowCode = new Set(sandboxFiles(model));
  for (const workflow of model.workflows) workflowCode.add(workflow.file);
  const byLocation = new Map<string, WorkflowThrow>();
  const workflowNodes = new Set<ts.Node>(model.workflows.map((w) => w.node));

  for (const workflow of model.workflows) {
    const checker = model.checkerFor(workflow.file);
    // Each function is read once per mode; a function whose rejections are caught is read again
    // when some other path calls it with nothing catching.
    const visited = new Map<FunctionNode, boolean>([[workflow.node, false]]);
    const queue: { fn: FunctionNode; rejectionsCaught: boolean; via?: SourceLocation }[] = [{ fn: workflow.node, rejectionsCaught: false }];
    const record = (thrown: WorkflowThrow, via: SourceLocation | undefined): void => {
      if (!thrown.workflows.includes(workflow.name)) thrown.workflows.push(workflow.name);
      if (via && !thrown.reaches.some((reach) => reach.workflow === workflow.name)) thrown.reaches.push({ workflow: workflow.name, via });
    };
    let currentVia: SourceLocation | undefined;
    let callSite: SourceLocation | undefined;
    const follow = (target: FunctionNode | undefined, rejectionsCaught: boolean) => {
      if (!target || !target.body || !workflowCode.has(target.getSourceFile().fileName)) return;
      // An async function's throws reject its promise: a `.catch` on that promise handles them all.
      if (rejectionsCaught && isAsync(target)) return;
      const seen = visited.get(target);
      if (seen === false || seen === rejectionsCaught) return;
      visited.set(target, rejectionsCaught);
      const via = currentVia ?? callSite;
      queue.push({ fn: target, rejectionsCaught, ...(via ? { via } : {}) });
    };
    for (let index = 0; index < queue.length; index++) {
      const { fn, rejectionsCaught, via } = queue[index]!;
      currentVia = via;
      const sourceFile = fn.getSourceFile();
      if (!fn.body) continue;
      walkBody(fn.body, { caught: false, rejectionsCaught }, {
        onThrow(statement) {
          const location = nodeLocation(sourceFile, statement);
          const key = `${location.file}:${location.line}:${location.column}`;
          const existing = byLocation.get(key);
          if (existing) return record(existing, via);
          const fileChecker = model.checkerFor(sourceFile.fileName) ?? checker;
          // `err instanceof Error ? err : new Error(String(err))` rethrows what was caught.
          const caught = errorOrWrapped(statement.expression);
          let value = rethrownCaughtVariable(statement, model) ?? classifyThrownValue(caught ?? statement.expression, fileChecker);
          if (value.kind === 'rethrow') value = rethrownTemporalFailure(statement, model) ?? value;
          if (value.kind === 'unknown') value = temporalFailureByName(statement.expression, model) ?? value;
          // A throw the types rule out (the value it is about is narrowed to never there): it cannot run.
          if (fileChecker && unreachableByTypes(statement, fileChecker)) return;
          // A throw after a loop that never ends normally (`while (true)` with no break, a counted loop
          // whose last turn always returns): a defensive line, unreachable or nearly so.
          const afterLoop = afterLoopExit(statement);
          if (afterLoop?.kind === 'unreachable') return;
          const decided = value.kind === 'plain' ? inputDetermined(statement, workflowNodes, model) : undefined;
          const nullGuard = isNullGuard(statement, workflow.node);
          const missingResult = nullGuard && value.kind === 'plain' ? missingActivityResult(statement, model) : undefined;
          const thrown: WorkflowThrow = {
            location,
            text: statement.expression.getText(sourceFile),
            value,
            workflows: [],
            nullGuard,
            ...(missingResult ? { missingResult } : {}),
            reaches: [],
            ...(decided ? { inputDetermined: decided } : {}),
            ...(afterLoop ? { afterLoop } : {}),
          };
          byLocation.set(key, thrown);
          record(thrown, via);
        },
        onAssert(call) {
          const location = nodeLocation(sourceFile, call);
          const key = `${location.file}:${location.line}:${location.column}`;
          const existing = byLocation.get(key);
          if (existing) return record(existing, via);
          const fileChecker = model.checkerFor(sourceFile.fileName) ?? checker;
          const module = fileChecker ? assertModuleOf(call, fileChecker) : undefined;
          const invariant = module !== undefined && INVARIANT_MODULES.has(module);
          const decided = inputDetermined(call, workflowNodes, model);
          const nullGuard = isNullAssertion(call, workflow.node);
          const missingResult = nullGuard ? missingAssertedResult(call, model) : undefined;
          const thrown: WorkflowThrow = {
            location,
            text: call.getText(sourceFile),
            ...(decided ? { inputDetermined: decided } : {}),
            value: { kind: 'plain', typeNames: invariant ? ['Error'] : ['AssertionError', 'Error'], isError: true },
            ...(invariant ? { assertionModule: module } : {}),
            workflows: [],
            nullGuard,
            ...(missingResult ? { missingResult } : {}),
            assertion: true,
            reaches: [],
          };
          byLocation.set(key, thrown);
          record(thrown, via);
        },
        isAssert(call) {
          const fileChecker = model.checkerFor(sourceFile.fileName) ?? checker;
          return fileChecker !== undefined && assertModuleOf(call, fileChecker) !== undefined;
        },
        callbackCaught(call, slot, callback) {
          const fileChecker = model.checkerFor(sourceFile.fileName) ?? checker;
          if (!fileChecker) return false;
          const resolve = (expression: ts.Expression): FunctionNode | undefined => {
            const target = functionDeclarationOf(expression, fileChecker);
            return target && workflowCode.has(target.getSourceFile().fileName) ? target : undefined;
          };
          const target = resolve(call.expression);
          return target !== undefined && callsParameterOnlyCaught(target, slot, isAsync(callback), resolve, 0);
        },
        onCall(call, callRejectionsCaught) {
          const fileChecker = model.checkerFor(sourceFile.fileName) ?? checker;
          if (!fileChecker) return;
          // A call in the workflow function itself is where the workflow reaches what it leads to.
          callSite = via === undefined && fn === workflow.node ? nodeLocation(sourceFile, call) : undefined;
          const resolve = (expression: ts.Expression) => functionDeclarationOf(expression, fileChecker) ?? importedFunctionOf(expression, fileChecker, model);
          const callee = resolve(call.expression);
          const exhaustive = callee && workflowCode.has(callee.getSourceFile().fileName) ? exhaustivenessThrow(callee, model) : undefined;
          if (exhaustive) {
            const location = nodeLocation(sourceFile, call);
            const key = `${location.file}:${location.line}:${location.column}`;
            const existing = byLocation.get(key);
            if (existing && !existing.workflows.includes(workflow.name)) existing.workflows.push(workflow.name);
            if (!existing) byLocation.set(key, { location, text: call.getText(sourceFile), value: exhaustive, workflows: [workflow.name], nullGuard: false, exhaustive: true, reaches: [] });
          } else {
            follow(callee, callRejectionsCaught);
          }
          // executeChild(childWorkflow) runs the child in its own execution: its throws are its own.
          if (model.temporalApiOf(call.expression)) return;
          for (const argument of call.arguments) {
            if (ts.isIdentifier(argument) || ts.isPropertyAccessExpression(argument)) follow(resolve(argument), callRejectionsCaught);
          }
        },
      });
    }
  }
  const throws = [...byLocation.values()];
  for (const thrown of throws) {
    thrown.workflows.sort();
    thrown.reaches.sort((a, b) => compareText(a.workflow, b.workflow));
  }
  return throws.sort(
    (a, b) => compareText(a.location.file, b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column,
  );
}

interface BodyVisitor {
  onThrow(statement: ts.ThrowStatement): void;
  onCall(call: ts.CallExpression, rejectionsCaught: boolean): void;
  /** A call of Node's assert module that nothing around it catches. */
  onAssert(call: ts.CallExpression): void;
  isAssert(call: ts.CallExpression): boolean;
  /** The function the call passes `callback` to (at `slot`) calls it only where a catch handles its throws. */
  callbackCaught(call: ts.CallExpression, slot: CallbackSlot, callback: ts.Node): boolean;
}

interface Handling {
  /** Inside a try block whose catch handles the error: nothing thrown here leaves. */
  caught: boolean;
  /** Inside the receiver of a `.catch(handler)` chain: rejections are handled, synchronous throws are not. */
  rejectionsCaught: boolean;
}

/** Walks one function body, reporting the throws and calls that nothing around them catches. */
function walkBody(node: ts.Node, handling: Handling, visitor: BodyVisitor): void {
  if (ts.isThrowStatement(node)) {
    if (!handling.caught) visitor.onThrow(node);
  } else if (ts.isTryStatement(node)) {
    const handled = node.catchClause !== undefined && !catchRethrowsError(node.catchClause);
    walkBody(node.tryBlock, { ...handling, caught: handling.caught || handled }, visitor);
    if (node.catchClause) walkBody(node.catchClause.block, handling, visitor);
    if (node.finallyBlock) walkBody(node.finallyBlock, handling, visitor);
    return;
  } else if (ts.isFunctionDeclaration(node) || ts.isClassLike(node)) {
    return; // runs only when called; calls are followed by declaration
  } else if (ts.isFunctionLike(node) && isUpdateValidator(node)) {
    return;
  } else if (ts.isFunctionLike(node) && handling.rejectionsCaught && isAsync(node)) {
    return; // its throws reject the promise the `.catch` handles
  } else if (ts.isCallExpression(node)) {
    const handler = promiseCatchHandler(node);
    if (handler && !catchHandlerKeepsError(handler) && ts.isPropertyAccessExpression(node.expression)) {
      walkBody(node.expression.expression, { ...handling, rejectionsCaught: true }, visitor);
      for (const argument of node.arguments) walkBody(argument, handling, visitor);
      return;
    }
    if (!handling.caught) {
      if (visitor.isAssert(node)) visitor.onAssert(node);
      visitor.onCall(node, handling.rejectionsCaught);
      walkBody(node.expression, handling, visitor);
      forEachCallback(node, (child, slot) => walkBody(child, slot && visitor.callbackCaught(node, slot, child) ? { ...handling, caught: true } : handling, visitor));
      return;
    }
  }
  ts.forEachChild(node, (child) => walkBody(child, handling, visitor));
}

/**
 * `ApplicationFailure.nonRetryable(...)`, `ApplicationFailure.create(...)`, `new CancelledFailure(...)`
 * by the SDK import: read without the checker, which gives `any` when the SDK is not installed.
 */
function temporalFailureByName(expression: ts.Expression, model: TemporalModel): ThrownValue | undefined {
  let inner = expression;
  while (ts.isParenthesizedExpression(inner) || ts.isAsExpression(inner)) inner = inner.expression;
  let failureClass: ts.Expression;
  if (ts.isNewExpression(inner)) failureClass = inner.expression;
  else if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression)) failureClass = inner.expression.expression;
  else return undefined;
  const api = model.temporalApiOf(failureClass);
  return api && TEMPORAL_FAILURE_CLASSES.includes(api.name) ? { kind: 'failure', typeNames: [api.name] } : undefined;
}

/** Where a helper receives a callback: its parameter at `position`, or the property `key` of it. */
interface CallbackSlot {
  position: number;
  /** `runStep({ execute: async () => ... })`: the property of an options object. */
  key?: string;
}

/**
 * Hands each argument of a call to `visit`, with its slot when it is a callback: a function given as
 * the argument, or as a property of an object literal given as the argument (`{ execute: () => ... }`,
 * `{ execute() { ... } }`). Other properties and arguments come without a slot.
 */
function forEachCallback(call: ts.CallExpression, visit: (child: ts.Node, slot: CallbackSlot | undefined) => void): void {
  call.arguments.forEach((argument, position) => {
    if (isCallback(argument)) return visit(argument, { position });
    if (!ts.isObjectLiteralExpression(argument)) return visit(argument, undefined);
    for (const property of argument.properties) {
      const key = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
      const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isMethodDeclaration(property) ? property : undefined;
      if (key !== undefined && value && isCallback(value)) visit(value, { position, key });
      else visit(property, undefined);
    }
  });
}

function isCallback(node: ts.Node): boolean {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node);
}

/** How many helpers deep a callback is followed as it is handed on (`execute: () => options.execute()`). */
const MAX_HANDED_ON = 3;

/**
 * `withFallback(fn)` whose body calls `fn()` only inside a try whose catch handles the error (or
 * in a chain whose `.catch` does): a callback passed there does not throw out of the workflow. The
 * callback may be a property of an options parameter (`options.execute()`, or destructured), and
 * the helper may hand the call on inside a callback of its own to another helper that catches
 * (`runAttempt({ execute: () => options.execute(n) })`). Any other use of the parameter (stored,
 * passed on bare, the whole options object handed on, called outside a try) and the answer is no.
 */
function callsParameterOnlyCaught(
  fn: FunctionNode,
  slot: CallbackSlot,
  callbackIsAsync: boolean,
  resolve: (expression: ts.Expression) => FunctionNode | undefined,
  depth: number,
): boolean {
  const parameter = fn.parameters[slot.position]?.name;
  if (!parameter || !fn.body || depth > MAX_HANDED_ON) return false;
  // The name the callback goes by: the parameter, a destructured property, or (holder) the options
  // parameter whose property is called.
  let name: string | undefined;
  let holder: string | undefined;
  if (slot.key === undefined) name = ts.isIdentifier(parameter) ? parameter.text : undefined;
  else if (ts.isIdentifier(parameter)) holder = parameter.text;
  else if (ts.isObjectBindingPattern(parameter)) {
    const element = parameter.elements.find((e) => !e.dotDotDotToken && ts.isIdentifier(e.name) && (e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName.text : (e.name as ts.Identifier).text) === slot.key);
    name = element && ts.isIdentifier(element.name) ? element.name.text : undefined;
  }
  if (name === undefined && holder === undefined) return false;
  const isUse = (node: ts.Node): boolean =>
    name !== undefined
      ? ts.isIdentifier(node) && node.text === name && !ts.isBindingElement(node.parent) && node !== parameter
      : ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === holder && node.name.text === slot.key;
  let calls = 0;
  let escapes = false;
  const visit = (node: ts.Node, caught: boolean, rejectionsCaught: boolean): void => {
    if (escapes) return;
    if (isUse(node)) {
      const call = node.parent;
      if (!ts.isCallExpression(call) || call.expression !== node) escapes = true;
      // A `.catch` sees only rejections: an async callback's throws, not a synchronous callback's.
      else if (caught || (rejectionsCaught && callbackIsAsync)) calls++;
      else escapes = true;
      return;
    }
    // The whole options object handed on, stored or spread: the callback goes with it.
    if (holder !== undefined && ts.isIdentifier(node) && node.text === holder && node !== parameter && !ts.isPropertyAccessExpression(node.parent)) {
      escapes = true;
      return;
    }
    if (ts.isTryStatement(node)) {
      const handled = node.catchClause !== undefined && !catchRethrowsError(node.catchClause);
      visit(node.tryBlock, caught || handled, rejectionsCaught);
      if (node.catchClause) visit(node.catchClause, caught, rejectionsCaught);
      if (node.finallyBlock) visit(node.finallyBlock, caught, rejectionsCaught);
      return;
    }
    if (ts.isCallExpression(node)) {
      const handler = promiseCatchHandler(node);
      if (handler && !catchHandlerKeepsError(handler) && ts.isPropertyAccessExpression(node.expression)) {
        visit(node.expression.expression, caught, true);
        for (const argument of node.arguments) visit(argument, caught, rejectionsCaught);
        return;
      }
      // Handed on inside a callback of its own, to a helper that calls that one only caught.
      const inner = caught ? undefined : resolve(node.expression);
      if (inner && inner !== fn) {
        visit(node.expression, caught, rejectionsCaught);
        forEachCallback(node, (child, innerSlot) =>
          visit(child, caught || (innerSlot !== undefined && callsParameterOnlyCaught(inner, innerSlot, isAsync(child), resolve, depth + 1)), rejectionsCaught),
        );
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, caught, rejectionsCaught));
  };
  visit(fn.body, false, false);
  return calls > 0 && !escapes;
}

/**
 * The type checker says no value reaches the throw: the value it is about is narrowed to `never`
 * there. That is the `default:` clause of a switch whose cases cover every value of the
 * discriminant's type (a union of literals, an enum), the final `else` of an if/else-if chain whose
 * `===` tests cover them, or any throw that mentions a variable, parameter or property (declared
 * with another type) the checker narrows to `never` at that point
 * (`throw new Error(\`unknown kind ${kind}\`)` after every kind was handled).
 */
export function unreachableByTypes(statement: ts.ThrowStatement, checker: ts.TypeChecker): boolean {
  return inExhaustedDefault(statement, checker) || inExhaustedElse(statement, checker) || mentionsNeverValue(statement.expression, checker);
}

/** A variable, parameter or property in the thrown expression that the checker narrows to `never` here, though declared with another type. */
function mentionsNeverValue(expression: ts.Expression, checker: ts.TypeChecker): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
      // The name of a property access (`x.kind`'s `kind`) is judged with the access itself.
      const isName = ts.isIdentifier(node) && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node;
      if (!isName && (checker.getTypeAtLocation(node).flags & ts.TypeFlags.Never) !== 0) {
        const symbol = checker.getSymbolAtLocation(node);
        const declaration = symbol?.valueDeclaration;
        const declared = symbol && declaration && (ts.isVariableDeclaration(declaration) || ts.isParameter(declaration) || ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration) || ts.isBindingElement(declaration)) ? checker.getTypeOfSymbol(symbol) : undefined;
        if (declared && (declared.flags & ts.TypeFlags.Never) === 0) {
          found = true;
          return;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(expression);
  return found;
}

/**
 * The throw is the final `else` of an if/else-if chain whose conditions are all `x === literal`
 * (or `literal === x`, several joined by `||`) on the same expression, and those literals cover
 * every value of that expression's type (a union of literals, an enum).
 */
function inExhaustedElse(statement: ts.ThrowStatement, checker: ts.TypeChecker): boolean {
  let branch: ts.Node = statement;
  if (ts.isBlock(statement.parent) && statement.parent.statements[0] === statement) branch = statement.parent;
  const last = branch.parent;
  if (!last || !ts.isIfStatement(last) || last.elseStatement !== branch) return false;
  const conditions: ts.Expression[] = [];
  let chain: ts.IfStatement = last;
  conditions.push(chain.expression);
  while (ts.isIfStatement(chain.parent) && chain.parent.elseStatement === chain) {
    chain = chain.parent;
    conditions.push(chain.expression);
  }
  let subject: string | undefined;
  let subjectNode: ts.Expression | undefined;
  const covered = new Set<string>();
  const key = (t: ts.Type) => (t.isLiteral() ? `${typeof t.value}:${String(t.value)}` : checker.typeToString(t));
  const read = (condition: ts.Expression): boolean => {
    const expression = ts.isParenthesizedExpression(condition) ? condition.expression : condition;
    if (!ts.isBinaryExpression(expression)) return false;
    if (expression.operatorToken.kind === ts.SyntaxKind.BarBarToken) return read(expression.left) && read(expression.right);
    if (expression.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken) return false;
    const sides = [expression.left, expression.right];
    const literalSide = sides.find((side) => isLiteralType(checker.getTypeAtLocation(side)) && (ts.isLiteralExpression(side) || ts.isPropertyAccessExpression(side)));
    const other = sides.find((side) => side !== literalSide);
    if (!literalSide || !other) return false;
    const text = other.getText();
    if (subject !== undefined && subject !== text) return false;
    subject = text;
    subjectNode ??= other;
    const type = checker.getTypeAtLocation(literalSide);
    for (const t of type.isUnion() ? type.types : [type]) covered.add(key(t));
    return true;
  };
  if (!conditions.every(read) || !subjectNode) return false;
  // The type of the subject at the first test of the chain: before any narrowing by the chain.
  const first = conditions[conditions.length - 1]!;
  let firstSubject: ts.Expression | undefined;
  const find = (node: ts.Node): void => {
    if (firstSubject) return;
    if (ts.isExpression(node) && node.getText() === subject && !ts.isParenthesizedExpression(node)) firstSubject = node;
    else ts.forEachChild(node, find);
  };
  find(first);
  if (!firstSubject) return false;
  const type = checker.getTypeAtLocation(firstSubject);
  const members = type.isUnion() ? type.types : [type];
  return members.length > 0 && members.every(isLiteralType) && members.every((member) => covered.has(key(member)));
}

function isLiteralType(t: ts.Type): boolean {
  return t.isStringLiteral() || t.isNumberLiteral() || (t.flags & (ts.TypeFlags.BooleanLiteral | ts.TypeFlags.EnumLiteral)) !== 0;
}

/**
 * The throw sits in the `default:` clause of a switch whose cases already cover every value the
 * discriminant's type allows (`switch (kind) { case 'a': ... case 'b': ... default: throw ... }`
 * with `kind: 'a' | 'b'`, or an enum): the types say no value gets there.
 */
function inExhaustedDefault(statement: ts.ThrowStatement, checker: ts.TypeChecker): boolean {
  let clause: ts.Node | undefined = statement.parent;
  while (clause && !ts.isDefaultClause(clause) && !ts.isCaseClause(clause) && !ts.isFunctionLike(clause)) clause = clause.parent;
  if (!clause || !ts.isDefaultClause(clause)) return false;
  const switchStatement = clause.parent.parent;
  const type = checker.getTypeAtLocation(switchStatement.expression);
  const members = type.isUnion() ? type.types : [type];
  const literal = (t: ts.Type) => t.isStringLiteral() || t.isNumberLiteral() || (t.flags & (ts.TypeFlags.BooleanLiteral | ts.TypeFlags.EnumLiteral)) !== 0;
  if (members.length === 0 || !members.every(literal)) return false;
  // Compared by value: the type of a `case 'a':` expression is the fresh literal, not the union's member.
  const key = (t: ts.Type) => (t.isLiteral() ? `${typeof t.value}:${String(t.value)}` : checker.typeToString(t));
  const covered = new Set<string>();
  for (const other of clause.parent.clauses) {
    if (!ts.isCaseClause(other)) continue;
    const caseType = checker.getTypeAtLocation(other.expression);
    for (const t of caseType.isUnion() ? caseType.types : [caseType]) covered.add(key(t));
  }
  return members.every((member) => covered.has(key(member)));
}

/**
 * What an exhaustiveness helper throws: a function with a parameter declared `never` whose body
 * throws outside any try (`function assertNever(value: never): never { throw new Error(...) }`).
 * Undefined for any other function, and for one whose throw is a Temporal failure.
 */
function exhaustivenessThrow(fn: FunctionNode, model: TemporalModel): ThrownValue | undefined {
  if (!fn.body || !fn.parameters.some((parameter) => parameter.type?.kind === ts.SyntaxKind.NeverKeyword)) return undefined;
  let thrown: ts.ThrowStatement | undefined;
  const visit = (node: ts.Node): void => {
    if (thrown || ts.isTryStatement(node) || (ts.isFunctionLike(node) && node !== fn)) return;
    if (ts.isThrowStatement(node)) thrown = node;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  if (!thrown) return undefined;
  const value = classifyThrownValue(thrown.expression, model.checkerFor(fn.getSourceFile().fileName));
  return value.kind === 'plain' ? value : undefined;
}

function isAsync(fn: ts.Node): boolean {
  return ts.canHaveModifiers(fn) && (ts.getModifiers(fn) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword);
}

/** `{ validator: (...) => { ... } }` or `{ validator(...) { ... } }` passed to setHandler. */
function isUpdateValidator(fn: ts.SignatureDeclaration): boolean {
  const holder = ts.isMethodDeclaration(fn) ? fn : fn.parent;
  if (!holder || !(ts.isPropertyAssignment(holder) || ts.isMethodDeclaration(holder))) return false;
  return ts.isIdentifier(holder.name) && holder.name.text === 'validator' && ts.isObjectLiteralExpression(holder.parent);
}

/** The function a callee or a function reference resolves to, through imports. */
function functionDeclarationOf(expression: ts.Expression, checker: ts.TypeChecker): FunctionNode | undefined {
  let symbol = checker.getSymbolAtLocation(expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  for (const declaration of symbol?.declarations ?? []) {
    if (isFunctionWithBody(declaration)) return declaration;
    if (ts.isVariableDeclaration(declaration) && declaration.initializer) {
      const initializer = declaration.initializer;
      if ((ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) && initializer.body) return initializer;
    }
  }
  return undefined;
}

function isFunctionWithBody(node: ts.Node): node is FunctionNode {
  return (
    (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) &&
    node.body !== undefined
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A null guard on something other than the workflow's own input (input can be missing: that guard is reachable). */
function isNullGuard(statement: ts.ThrowStatement, workflow: ts.FunctionLikeDeclaration): boolean {
  const inputs = new Set<string>();
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) inputs.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
  };
  for (const parameter of workflow.parameters) collect(parameter.name);
  const roots: ts.Node[] = [];
  if (!isInvariantGuard(statement, (tested) => roots.push(tested)) || roots.length === 0) return false;
  return !roots.some((root) => ts.isIdentifier(root) && inputs.has(root.text));
}

function isInvariantGuard(statement: ts.ThrowStatement, onTested: (root: ts.Node) => void): boolean {
  let branch: ts.Node = statement;
  if (ts.isBlock(statement.parent)) {
    if (statement.parent.statements.length !== 1) return false;
    branch = statement.parent;
  }
  const ifStatement = branch.parent;
  return ts.isIfStatement(ifStatement) && ifStatement.thenStatement === branch && testsForNothing(ifStatement.expression, onTested);
}

/** `!x`, `!x.y`, `x == null`, `x === undefined`, `typeof x === 'undefined'`, and `||` of those. */
function testsForNothing(condition: ts.Expression, onTested: (root: ts.Node) => void): boolean {
  const expression = skipOuterExpressions(condition) as ts.Expression;
  if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken) {
    const operand = skipOuterExpressions(expression.operand) as ts.Expression;
    onTested(rootOf(operand));
    return ts.isIdentifier(operand) || ts.isPropertyAccessExpression(operand) || ts.isElementAccessExpression(operand);
  }
  if (ts.isBinaryExpression(expression)) {
    const operator = expression.operatorToken.kind;
    if (operator === ts.SyntaxKind.BarBarToken) return testsForNothing(expression.left, onTested) && testsForNothing(expression.right, onTested);
    if (operator === ts.SyntaxKind.EqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsEqualsToken) {
      if (isNothing(expression.right)) onTested(rootOf(expression.left));
      else if (isNothing(expression.left)) onTested(rootOf(expression.right));
      return isNothing(expression.left) || isNothing(expression.right);
    }
  }
  return false;
}

/** `a` of `a.b[c].d`: the variable a guard tests. */
function rootOf(node: ts.Node): ts.Node {
  let current = node;
  while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current) || ts.isTypeOfExpression(current)) current = current.expression;
  return current;
}

/**
 * The modules of Node's assert: the workflow bundler lets `assert` through (it is among the
 * SDK's allowed built-ins), and every function of it throws an AssertionError, a plain Error.
 */
const ASSERT_MODULES = new Set(['assert', 'node:assert', 'assert/strict', 'node:assert/strict']);

/**
 * Invariant libraries: `invariant(condition, message)` throws a plain Error ("Invariant failed",
 * "Invariant Violation") when the condition is falsy. Bundled into the workflow like any package.
 */
const INVARIANT_MODULES = new Set(['tiny-invariant', 'invariant', 'ts-invariant', '@epic-web/invariant']);

/**
 * The module an assertion call comes from: `assert(x)`, `assert.ok(x)`, `strict.equal(a, b)`,
 * `ok(x)` imported from one of Node's assert modules, or `invariant(x)` from an invariant library.
 */
function assertModuleOf(call: ts.CallExpression, checker: ts.TypeChecker): string | undefined {
  let callee = skipOuterExpressions(call.expression) as ts.Expression;
  if (ts.isPropertyAccessExpression(callee)) {
    if (['AssertionError', 'CallTracker'].includes(callee.name.text)) return undefined;
    callee = skipOuterExpressions(callee.expression) as ts.Expression;
  }
  if (!ts.isIdentifier(callee)) return undefined;
  const declaration = checker.getSymbolAtLocation(callee)?.declarations?.[0];
  if (!declaration) return undefined;
  let node: ts.Node | undefined = declaration;
  while (node && !ts.isImportDeclaration(node) && !ts.isImportEqualsDeclaration(node) && !ts.isVariableDeclaration(node) && !ts.isSourceFile(node)) node = node.parent;
  if (!node || ts.isSourceFile(node)) return undefined;
  const known = (specifier: string): string | undefined => (ASSERT_MODULES.has(specifier) || (INVARIANT_MODULES.has(specifier) && !ts.isPropertyAccessExpression(skipOuterExpressions(call.expression))) ? specifier : undefined);
  if (ts.isImportDeclaration(node)) return ts.isStringLiteral(node.moduleSpecifier) ? known(node.moduleSpecifier.text) : undefined;
  if (ts.isImportEqualsDeclaration(node)) {
    const reference = node.moduleReference;
    return ts.isExternalModuleReference(reference) && ts.isStringLiteral(reference.expression) ? known(reference.expression.text) : undefined;
  }
  const init = node.initializer && skipOuterExpressions(node.initializer);
  return init !== undefined &&
    ts.isCallExpression(init) &&
    ts.isIdentifier(init.expression) &&
    init.expression.text === 'require' &&
    init.arguments.length === 1 &&
    ts.isStringLiteral(init.arguments[0]!)
    ? known(init.arguments[0].text)
    : undefined;
}

/**
 * `assert(x)`, `assert.ok(x.y)`, `assert(x !== undefined)`, `assert(x != null)`: the assertion
 * form of an invariant guard on something other than the workflow's input (see isNullGuard).
 */
function isNullAssertion(call: ts.CallExpression, workflow: ts.FunctionLikeDeclaration): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text !== 'ok') return false;
  const first = call.arguments[0] && (skipOuterExpressions(call.arguments[0]) as ts.Expression);
  if (!first) return false;
  let tested: ts.Node | undefined;
  if (ts.isIdentifier(first) || ts.isPropertyAccessExpression(first) || ts.isElementAccessExpression(first)) tested = first;
  else if (ts.isBinaryExpression(first) && [ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(first.operatorToken.kind)) {
    if (isNothing(first.right)) tested = first.left;
    else if (isNothing(first.left)) tested = first.right;
  }
  if (!tested) return false;
  const root = rootOf(tested);
  const inputs = new Set<string>();
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) inputs.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
  };
  for (const parameter of workflow.parameters) collect(parameter.name);
  return !(ts.isIdentifier(root) && inputs.has(root.text));
}

