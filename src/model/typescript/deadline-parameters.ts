// Arguments an activity uses as its own deadline: a parameter (or a field of an options
// parameter) compared with the elapsed time inside a loop that sleeps between polls, e.g.
// `const start = Date.now(); while (true) { if (Date.now() - start > args.timeoutMs) throw ...; await sleep(2000); }`.
// A workflow that passes a deadline no shorter than the attempt's startToCloseTimeout never sees
// that code run: the server's timeout ends the attempt first.

import ts from 'typescript';
import { loopSign } from './activity-behaviour.js';
import { declarationOf } from './declarations.js';
import { isLoopStatement } from './loop-shape.js';
import { locate, nodeSnippet } from './locate.js';
import type { ResolveContext } from './resolve-value.js';
import type { DeadlineParameterFacts } from '../types.js';

/** Calls that read the clock. */
const CLOCK_READS = new Set(['Date.now', 'performance.now']);
const CLOCK_METHODS = new Set(['getTime', 'valueOf']);

interface ParameterRef {
  parameter: number;
  property?: string;
}

export function deadlineParametersOf(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): DeadlineParameterFacts[] {
  if (!fn.body) return [];
  const parameters = parameterDeclarations(fn);
  if (parameters.size === 0) return [];
  const found = new Map<string, DeadlineParameterFacts>();
  const visitLoops = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && node !== fn) return;
    if (isLoopStatement(node) && loopSign(node, ctx)?.kind === 'poll') {
      for (const comparison of comparisonsIn(node)) {
        const expanded = [comparison, ...initializersOf(comparison, fn, ctx)];
        if (!expanded.some(readsClock)) continue;
        for (const ref of expanded.flatMap((part) => parameterRefs(part, parameters, ctx))) {
          const key = `${ref.parameter}.${ref.property ?? ''}`;
          if (!found.has(key)) found.set(key, { ...ref, location: locate(comparison), text: nodeSnippet(comparison) });
        }
      }
    }
    ts.forEachChild(node, visitLoops);
  };
  visitLoops(fn.body);
  return [...found.values()];
}

/** Each parameter's declaration, and each field destructured from one, with what it stands for. */
function parameterDeclarations(fn: ts.FunctionLikeDeclaration): Map<ts.Node, ParameterRef> {
  const declarations = new Map<ts.Node, ParameterRef>();
  fn.parameters.forEach((parameter, index) => {
    if (ts.isIdentifier(parameter.name)) declarations.set(parameter, { parameter: index });
    else if (ts.isObjectBindingPattern(parameter.name)) {
      for (const element of parameter.name.elements) {
        const key = element.propertyName ?? element.name;
        if (!element.dotDotDotToken && ts.isIdentifier(element.name) && ts.isIdentifier(key)) declarations.set(element, { parameter: index, property: key.text });
      }
    }
  });
  return declarations;
}

/** `<`, `<=`, `>`, `>=` comparisons in the loop (its condition included), outside callbacks. */
function comparisonsIn(loop: ts.IterationStatement): ts.BinaryExpression[] {
  const comparisons: ts.BinaryExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isBinaryExpression(node) && isOrdering(node.operatorToken.kind)) comparisons.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(loop, visit);
  return comparisons;
}

function isOrdering(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.LessThanToken || kind === ts.SyntaxKind.LessThanEqualsToken || kind === ts.SyntaxKind.GreaterThanToken || kind === ts.SyntaxKind.GreaterThanEqualsToken;
}

/** What the variables of a comparison were set to in the activity (`deadline = Date.now() + ms`): one level. */
function initializersOf(node: ts.Node, fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): ts.Expression[] {
  const initializers: ts.Expression[] = [];
  const visit = (current: ts.Node): void => {
    if (ts.isIdentifier(current)) {
      const declaration = declarationOf(current, ctx.index);
      if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && declaration.pos >= fn.pos && declaration.end <= fn.end) initializers.push(declaration.initializer);
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return initializers;
}

function readsClock(node: ts.Node): boolean {
  if (ts.isCallExpression(node)) {
    const callee = node.expression;
    if (CLOCK_READS.has(callee.getText())) return true;
    if (ts.isPropertyAccessExpression(callee) && CLOCK_METHODS.has(callee.name.text) && node.arguments.length === 0) return true;
  }
  return ts.forEachChild(node, (child) => readsClock(child) || undefined) ?? false;
}

/** The parameters (or their fields) an expression reads. */
function parameterRefs(node: ts.Node, parameters: Map<ts.Node, ParameterRef>, ctx: ResolveContext): ParameterRef[] {
  const refs: ParameterRef[] = [];
  const visit = (current: ts.Node): void => {
    if (ts.isIdentifier(current) && !(ts.isPropertyAccessExpression(current.parent) && current.parent.name === current)) {
      const declaration = declarationOf(current, ctx.index);
      const ref = declaration ? parameters.get(declaration) : undefined;
      if (ref) {
        // `args.timeoutMs` of a whole-object parameter names one of its fields.
        const parent = current.parent;
        if (ref.property === undefined && ts.isPropertyAccessExpression(parent) && parent.expression === current) refs.push({ ...ref, property: parent.name.text });
        else refs.push(ref);
      }
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return refs;
}
