// The throw statements a workflow can reach: in the workflow function, in functions and callbacks
// nested in it (signal and update handlers included), and in functions of workflow-sandbox files
// it calls or passes along. Throws inside a `try` that has a `catch` are left out (the workflow
// handles them), and so are update validators (a validator's throw rejects the update).

import ts from 'typescript';
import type { SourceLocation, TemporalModel } from '../types.js';
import { sandboxFiles } from './sandbox-files.js';
import { nodeLocation } from './source-location.js';
import { classifyThrownValue, type ThrownValue } from './thrown-value.js';

export interface WorkflowThrow {
  location: SourceLocation;
  /** The thrown expression as written. */
  text: string;
  value: ThrownValue;
  /** Names of the workflows that reach this throw, sorted. */
  workflows: string[];
}

type FunctionNode = ts.FunctionLikeDeclaration;

export function workflowThrows(model: TemporalModel): WorkflowThrow[] {
  const workflowCode = new Set(sandboxFiles(model));
  for (const workflow of model.workflows) workflowCode.add(workflow.file);
  const byLocation = new Map<string, WorkflowThrow>();

  for (const workflow of model.workflows) {
    const checker = model.checkerFor(workflow.file);
    const visited = new Set<FunctionNode>([workflow.node]);
    const queue: FunctionNode[] = [workflow.node];
    const follow = (target: FunctionNode | undefined) => {
      if (target && !visited.has(target) && target.body && workflowCode.has(target.getSourceFile().fileName)) {
        visited.add(target);
        queue.push(target);
      }
    };
    for (let index = 0; index < queue.length; index++) {
      const fn = queue[index]!;
      const sourceFile = fn.getSourceFile();
      if (!fn.body) continue;
      walkBody(fn.body, false, {
        onThrow(statement) {
          const location = nodeLocation(sourceFile, statement);
          const key = `${location.file}:${location.line}:${location.column}`;
          const existing = byLocation.get(key);
          if (existing) {
            if (!existing.workflows.includes(workflow.name)) existing.workflows.push(workflow.name);
            return;
          }
          byLocation.set(key, {
            location,
            text: statement.expression.getText(sourceFile),
            value: classifyThrownValue(statement.expression, model.checkerFor(sourceFile.fileName) ?? checker),
            workflows: [workflow.name],
          });
        },
        onCall(call) {
          const fileChecker = model.checkerFor(sourceFile.fileName) ?? checker;
          if (!fileChecker) return;
          follow(functionDeclarationOf(call.expression, fileChecker));
          for (const argument of call.arguments) {
            if (ts.isIdentifier(argument) || ts.isPropertyAccessExpression(argument)) follow(functionDeclarationOf(argument, fileChecker));
          }
        },
      });
    }
  }
  const throws = [...byLocation.values()];
  for (const thrown of throws) thrown.workflows.sort();
  return throws.sort(
    (a, b) => compareText(a.location.file, b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column,
  );
}

interface BodyVisitor {
  onThrow(statement: ts.ThrowStatement): void;
  onCall(call: ts.CallExpression): void;
}

/** Walks one function body; `caught` is true inside a try block whose catch handles the error. */
function walkBody(node: ts.Node, caught: boolean, visitor: BodyVisitor): void {
  if (ts.isThrowStatement(node)) {
    if (!caught) visitor.onThrow(node);
  } else if (ts.isTryStatement(node)) {
    walkBody(node.tryBlock, caught || node.catchClause !== undefined, visitor);
    if (node.catchClause) walkBody(node.catchClause.block, caught, visitor);
    if (node.finallyBlock) walkBody(node.finallyBlock, caught, visitor);
    return;
  } else if (ts.isFunctionDeclaration(node) || ts.isClassLike(node)) {
    return; // runs only when called; calls are followed by declaration
  } else if (ts.isFunctionLike(node) && isUpdateValidator(node)) {
    return;
  } else if (ts.isCallExpression(node) && !caught) {
    visitor.onCall(node);
  }
  ts.forEachChild(node, (child) => walkBody(child, caught, visitor));
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
