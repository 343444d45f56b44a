// Memoised initialisers that the worker process runs before it creates its worker: a module-level
// singleton behind an accessor (`let CONFIG = null; export default function config() { if (!CONFIG)
// { CONFIG = loadConfig(); } return CONFIG; }`) that the function calling Worker.create also calls
// first. By the time any activity calls the accessor the value is set, so the initialiser's I/O and
// throws never happen inside an activity: a failure there stops the worker at start-up.

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
  return initialisers;
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
