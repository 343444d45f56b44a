// Which code of the workflow-sandbox files actually runs in the sandbox. A sandbox file's module
// top-level code always runs (the bundle evaluates every module it includes), but a function body
// runs only when workflow code calls it: a config module that workflow files import for a constant
// can hold a function that only client code calls, and that function's body never runs in the
// sandbox. Starting from the workflow functions (the exports of the bundle entry files and the
// model's workflows) and the top-level code of every sandbox file, the walk follows calls the
// model resolves to functions of the project, transitively. A function that reached code only
// passes around as a value (stored, returned, handed to an unknown callee) may or may not run:
// its status is 'maybe'.

import ts from 'typescript';
import { functionOfDeclaration } from '../declarations.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { TemporalModel } from '../types.js';
import { isReferencePosition } from './reference-position.js';
import { sandboxEntries } from './sandbox-entries.js';
import { sandboxFiles } from './sandbox-files.js';

/** 'runs': reached from workflow code through calls; 'maybe': only passed around as a value; 'never': not reached. */
export type SandboxReach = 'runs' | 'maybe' | 'never';

/** Array methods that call the function they are given on each element. */
const CALLING_METHODS = new Set(['map', 'forEach', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'flatMap', 'sort', 'then', 'catch', 'finally']);

const cache = new WeakMap<TemporalModel, SandboxReachMap>();

export class SandboxReachMap {
  private readonly status = new Map<string, 'runs' | 'maybe'>();
  private readonly queue: { fn: ts.Node; status: 'runs' | 'maybe' }[] = [];

  constructor(private readonly model: TemporalModel) {
    const files = sandboxFiles(model);
    for (const workflow of model.workflows) this.mark(workflow.node, 'runs');
    for (const entry of sandboxEntries(model)) {
      let exported: Map<string, ts.Declaration>;
      try {
        exported = model.exportsOf(entry.file);
      } catch {
        continue;
      }
      for (const declaration of exported.values()) {
        const fn = functionOfDeclaration(declaration);
        if (fn) this.mark(fn, 'runs');
      }
    }
    for (const file of files) {
      const sourceFile = model.sourceFile(file);
      if (sourceFile) this.walk(sourceFile, 'runs', true);
    }
    this.drain();
  }

  /** Whether the code at a node of a sandbox file runs: decided by its innermost function whose status is known. */
  reachOf(node: ts.Node): SandboxReach {
    let insideFunction = false;
    for (let current = node.parent; current; current = current.parent) {
      if (!ts.isFunctionLike(current)) continue;
      insideFunction = true;
      const known = this.status.get(keyOf(current));
      if (known) return known;
    }
    return insideFunction ? 'never' : 'runs';
  }

  private mark(fn: ts.Node, status: 'runs' | 'maybe'): void {
    const key = keyOf(fn);
    const known = this.status.get(key);
    if (known === 'runs' || known === status) return;
    this.status.set(key, status);
    this.queue.push({ fn, status });
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const { fn, status } = this.queue.shift()!;
      // Upgraded to 'runs' after being queued as 'maybe': the later entry walks it.
      if (this.status.get(keyOf(fn)) !== status) continue;
      const body = (fn as ts.FunctionLikeDeclaration).body;
      if (body) this.walk(body, status, false);
    }
  }

  /**
   * Visits code that runs with `status`. At module top level (`topLevel`), named functions are
   * only declared, not run; callbacks handed to top-level calls and IIFEs run. Inside a function
   * body, nested functions are taken to run with it (callbacks, handlers).
   */
  private walk(root: ts.Node, status: 'runs' | 'maybe', topLevel: boolean): void {
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && node !== root) {
        if (topLevel && isNamedFunction(node)) return;
        this.status.set(keyOf(node), this.status.get(keyOf(node)) === 'runs' ? 'runs' : status);
      }
      if (ts.isImportDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
      if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isDecorator(node)) {
        const fn = this.functionOf(skipOuterExpressions(node.expression) as ts.Expression);
        if (fn) this.mark(fn, status);
      } else if ((ts.isIdentifier(node) && isReferencePosition(node)) || (ts.isPropertyAccessExpression(node) && !isCallee(node))) {
        if (!isCallee(node) && !isPartOfPropertyAccess(node)) {
          const fn = this.functionOf(node as ts.Expression);
          if (fn) this.mark(fn, isCalledCallback(node) ? status : 'maybe');
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(root);
  }

  /** The project function (or class constructor) an expression names, when the model resolves it. */
  private functionOf(expression: ts.Expression): ts.Node | undefined {
    if (!ts.isIdentifier(expression) && !ts.isPropertyAccessExpression(expression)) return undefined;
    let declaration: ts.Declaration | undefined;
    try {
      declaration = this.model.declarationOf(expression);
    } catch {
      return undefined;
    }
    if (!declaration || declaration.getSourceFile().isDeclarationFile) return undefined;
    if (declaration.getSourceFile().fileName.includes('/node_modules/')) return undefined;
    if (ts.isClassLike(declaration)) return declaration.members.find(ts.isConstructorDeclaration);
    return functionOfDeclaration(declaration);
  }
}

/** The reach of the workflow-sandbox code of a model, computed on first use. */
export function sandboxReachOf(model: TemporalModel): SandboxReachMap {
  let reach = cache.get(model);
  if (!reach) {
    reach = new SandboxReachMap(model);
    cache.set(model, reach);
  }
  return reach;
}

/** By file and position: the same function seen through two programs' checkers is one function. */
function keyOf(node: ts.Node): string {
  return `${node.getSourceFile().fileName}:${node.pos}`;
}

/** A function bound to a name (declared, assigned to a variable or property, a method): run only when called. */
function isNamedFunction(node: ts.Node): boolean {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node)) return true;
  if (ts.isGetAccessor(node) || ts.isSetAccessor(node)) return true;
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
    let parent = node.parent;
    while (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent)) parent = parent.parent;
    return ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent) || ts.isExportAssignment(parent);
  }
  return false;
}

function isCallee(node: ts.Node): boolean {
  let current = node;
  while (ts.isParenthesizedExpression(current.parent) || ts.isNonNullExpression(current.parent)) current = current.parent;
  const parent = current.parent;
  return (ts.isCallExpression(parent) || ts.isNewExpression(parent) || ts.isDecorator(parent)) && parent.expression === current;
}

/** The `obj` of `obj.method`: the access as a whole is what is passed around. */
function isPartOfPropertyAccess(node: ts.Node): boolean {
  return ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node;
}

/**
 * Handed to a call that calls it while the caller runs: an array method (`items.map(format)`),
 * a promise callback, or the workflow API (`setHandler(signal, onSignal)`, `condition(ready)`).
 */
function isCalledCallback(node: ts.Node): boolean {
  const call = node.parent;
  if (!ts.isCallExpression(call) || !call.arguments.includes(node as ts.Expression)) return false;
  const callee = skipOuterExpressions(call.expression);
  if (ts.isPropertyAccessExpression(callee)) return CALLING_METHODS.has(callee.name.text) || callee.name.text === 'run';
  if (ts.isIdentifier(callee)) return ['setHandler', 'condition', 'defineQuery', 'defineSignal', 'defineUpdate'].includes(callee.text);
  return false;
}
