// Memoised initialisers that the worker process runs before it creates its worker: a module-level
// singleton behind an accessor (`let CONFIG = null; export default function config() { if (!CONFIG)
// { CONFIG = loadConfig(); } return CONFIG; }`) that the function calling Worker.create also calls
// first. By the time any activity calls the accessor the value is set, so the initialiser's I/O and
// throws never happen inside an activity: a failure there stops the worker at start-up.
// Also the guard of a value the process sets once through a setter (`let app = null; export
// function setApp(a) { app = a; } export function getApp() { if (!app) throw new Error('call
// setApp() first'); return app; }`), when the code base calls the setter: the throw fires only in
// a process that never set it up, a start-up bug that retrying an activity neither causes nor
// cures, not a failure of the work.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { calledFunction } from './declarations.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { WorkerDefinition } from './types.js';

/** The `if (!X) { X = ... }` blocks of accessors that some worker's creating function calls. */
export function startupInitialisers(workers: WorkerDefinition[], index: CodeIndex): Set<ts.Node> {
  const initialisers = new Set<ts.Node>();
  for (const worker of workers) {
    const creator = enclosingFunction(worker.node);
    if (!creator?.body) continue;
    const visit = (node: ts.Node): void => {
      // Only calls that run before Worker.create, in the creating function's own body.
      if (node.getStart() >= worker.node.getStart() || (ts.isFunctionLike(node) && node !== creator)) return;
      if (ts.isCallExpression(node)) {
        const accessor = calledFunction(node, index);
        const initialiser = accessor && memoisedInitialiser(accessor);
        if (initialiser) initialisers.add(initialiser);
      }
      ts.forEachChild(node, visit);
    };
    visit(creator.body);
  }
  if (workers.length > 0) for (const guard of setterGuards(index)) initialisers.add(guard);
  return initialisers;
}

/** A guard's text: `if (!name) throw` (or `== null`), read before parsing to skip most files. */
const GUARD_TEXT = /if\s*\(\s*!?\s*[A-Za-z_$][\w$]*\s*(?:={2,3}\s*(?:null|undefined)\s*)?\)\s*\{?\s*throw\b/;

/** The `if (!X) throw ...` guards of module variables that a setter called elsewhere assigns. */
function setterGuards(index: CodeIndex): ts.IfStatement[] {
  const guards: ts.IfStatement[] = [];
  for (const file of index.files) {
    const sourceFile = index.sourceFile(file);
    if (!sourceFile || !GUARD_TEXT.test(sourceFile.text)) continue;
    const setters = new Map<string, string>();
    for (const statement of sourceFile.statements) {
      if (!ts.isFunctionDeclaration(statement) || !statement.name || !statement.body) continue;
      const [only, ...rest] = statement.body.statements;
      if (!only || rest.length > 0 || !ts.isExpressionStatement(only)) continue;
      const assigned = skipOuterExpressions(only.expression);
      if (ts.isBinaryExpression(assigned) && assigned.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(assigned.left) && isModuleVariable(assigned.left.text, sourceFile)) {
        setters.set(assigned.left.text, statement.name.text);
      }
    }
    if (setters.size === 0) continue;
    for (const statement of sourceFile.statements) {
      if (!ts.isFunctionDeclaration(statement) || !statement.body) continue;
      for (const inner of statement.body.statements) {
        if (!ts.isIfStatement(inner) || inner.elseStatement || !onlyThrows(inner.thenStatement)) continue;
        const name = absentTest(inner.expression);
        const setter = name === undefined ? undefined : setters.get(name);
        if (setter && calledElsewhere(setter, sourceFile, index)) guards.push(inner);
      }
    }
  }
  return guards;
}

function onlyThrows(statement: ts.Statement): boolean {
  if (ts.isThrowStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.length === 1 && ts.isThrowStatement(statement.statements[0]!);
}

/** Some other reviewed file calls the setter by name (the process that starts the worker sets it up). */
function calledElsewhere(setter: string, home: ts.SourceFile, index: CodeIndex): boolean {
  const call = new RegExp(`\\b${setter}\\s*\\(`);
  return index.files.some((file) => {
    const sourceFile = file === home.fileName ? undefined : index.sourceFile(file);
    return sourceFile !== undefined && call.test(sourceFile.text);
  });
}

function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current)) return current as ts.FunctionLikeDeclaration;
  return undefined;
}

/** The top-level `if (!X) { ... X = ...; }` of a function, X a module-level variable: it runs once per process. */
function memoisedInitialiser(fn: ts.FunctionLikeDeclaration): ts.IfStatement | undefined {
  if (!fn.body || !ts.isBlock(fn.body)) return undefined;
  for (const statement of fn.body.statements) {
    if (!ts.isIfStatement(statement) || statement.elseStatement) continue;
    const name = absentTest(statement.expression);
    if (name && isModuleVariable(name, fn.getSourceFile()) && assigns(statement.thenStatement, name)) return statement;
  }
  return undefined;
}

/** `!X`, `X == null`, `X === null`, `X === undefined`: the name tested for absence. */
function absentTest(condition: ts.Expression): string | undefined {
  const expression = skipOuterExpressions(condition);
  if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken) {
    const operand = skipOuterExpressions(expression.operand);
    return ts.isIdentifier(operand) ? operand.text : undefined;
  }
  if (ts.isBinaryExpression(expression) && [ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken].includes(expression.operatorToken.kind)) {
    const left = skipOuterExpressions(expression.left);
    const right = skipOuterExpressions(expression.right);
    const empty = (e: ts.Node) => e.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined');
    if (ts.isIdentifier(left) && empty(right)) return left.text;
    if (ts.isIdentifier(right) && empty(left)) return right.text;
  }
  return undefined;
}

function isModuleVariable(name: string, sourceFile: ts.SourceFile): boolean {
  return sourceFile.statements.some(
    (statement) =>
      ts.isVariableStatement(statement) &&
      !(statement.declarationList.flags & ts.NodeFlags.Const) &&
      statement.declarationList.declarations.some((declaration) => ts.isIdentifier(declaration.name) && declaration.name.text === name),
  );
}

function assigns(statement: ts.Statement, name: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || (ts.isFunctionLike(node))) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipOuterExpressions(node.left)) && (skipOuterExpressions(node.left) as ts.Identifier).text === name) found = true;
    else ts.forEachChild(node, visit);
  };
  visit(statement);
  return found;
}
