// Signal handlers registered under a new name on every call and never removed:
//
//   async function acquireLock(id: string) {
//     setHandler(defineSignal(`lock-acquired-${id}`), () => { ... });
//     await condition(...);
//   }
//   for (const id of ids) await acquireLock(id);
//
// Each call adds a handler the workflow keeps until the run ends: the handler table (and what each
// closure holds) grows with every call, and a signal sent under an old name still runs its stale
// handler. Only a name built from values (a template with substitutions, a concatenation) counts,
// and only when the registration runs more than once per run: inside a loop, or in a function of
// the workflow code called from a loop.

import ts from 'typescript';
import { enclosingFunction } from '../call-reach.js';
import { skipOuterExpressions } from '../temporal-api.js';
import type { SourceLocation, TemporalModel } from '../types.js';

export interface PerCallSignalHandler {
  /** The setHandler(...) call. */
  location: SourceLocation;
  /** The signal name as written (`` `lock-acquired-${id}` ``). */
  name: string;
  /** The function that registers it, when it is not the loop's own function. */
  helper?: string;
  /** The loop that makes the registration run again and again. */
  loop: SourceLocation;
}

const cache = new WeakMap<TemporalModel, PerCallSignalHandler[]>();

export function perCallSignalHandlers(model: TemporalModel): PerCallSignalHandler[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const found: PerCallSignalHandler[] = [];
  for (const file of model.workflowFiles) {
    if (!model.files.includes(file)) continue;
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !/\bsetHandler\b/.test(sourceFile.text)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && model.temporalApiOf(node.expression)?.name === 'setHandler') {
        const hit = perCall(node, model);
        if (hit) found.push(hit);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  cache.set(model, found);
  return found;
}

function perCall(call: ts.CallExpression, model: TemporalModel): PerCallSignalHandler | undefined {
  const [definitionArgument, handler] = call.arguments;
  if (!definitionArgument || !handler || isUndefined(handler)) return undefined;
  const definition = signalDefinition(definitionArgument, call, model);
  if (!definition) return undefined;
  const nameArgument = definition.arguments[0];
  if (!nameArgument || !builtFromValues(nameArgument)) return undefined;
  const fn = enclosingFunction(call);
  if (!fn?.body || removedLater(definitionArgument, call, fn.body, model)) return undefined;
  const loop = enclosingLoop(call, fn);
  if (loop) return { location: model.locate(call), name: nameArgument.getText(), loop: model.locate(loop) };
  const helper = functionName(fn);
  const callerLoop = helper ? loopCallingFunction(fn, model) : undefined;
  if (!helper || !callerLoop) return undefined;
  return { location: model.locate(call), name: nameArgument.getText(), helper, loop: model.locate(callerLoop) };
}

/** `defineSignal(name)` inline, or a local `const s = defineSignal(name)` declared in the same function. */
function signalDefinition(argument: ts.Expression, call: ts.CallExpression, model: TemporalModel): ts.CallExpression | undefined {
  const expression = skipOuterExpressions(argument);
  if (ts.isCallExpression(expression)) return model.temporalApiOf(expression.expression)?.name === 'defineSignal' ? expression : undefined;
  if (!ts.isIdentifier(expression)) return undefined;
  const declaration = model.declarationOf(expression);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  if (enclosingFunction(declaration) !== enclosingFunction(call)) return undefined;
  const initializer = skipOuterExpressions(declaration.initializer);
  return ts.isCallExpression(initializer) && model.temporalApiOf(initializer.expression)?.name === 'defineSignal' ? initializer : undefined;
}

/** A template with substitutions, or a `+` that joins a value into the name. */
function builtFromValues(name: ts.Expression): boolean {
  const expression = skipOuterExpressions(name);
  if (ts.isTemplateExpression(expression)) return expression.templateSpans.length > 0;
  return ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.PlusToken;
}

function isUndefined(expression: ts.Expression): boolean {
  const bare = skipOuterExpressions(expression);
  return (ts.isIdentifier(bare) && bare.text === 'undefined') || bare.kind === ts.SyntaxKind.NullKeyword || ts.isVoidExpression(bare);
}

/** The same definition is given `setHandler(def, undefined)` somewhere in the function: the handler is removed. */
function removedLater(definition: ts.Expression, call: ts.CallExpression, body: ts.Node, model: TemporalModel): boolean {
  const text = skipOuterExpressions(definition).getText();
  let removed = false;
  const visit = (node: ts.Node): void => {
    if (removed) return;
    if (node !== call && ts.isCallExpression(node) && model.temporalApiOf(node.expression)?.name === 'setHandler') {
      const [target, handler] = node.arguments;
      if (target && skipOuterExpressions(target).getText() === text && (!handler || isUndefined(handler))) removed = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
  return removed;
}

function enclosingLoop(node: ts.Node, fn: ts.Node): ts.IterationStatement | undefined {
  for (let child: ts.Node = node, current = node.parent; current && current !== fn; child = current, current = current.parent) {
    if (ts.isIterationStatement(current, false) && child === current.statement) return current;
  }
  return undefined;
}

function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

/** A call of the function, in workflow code, that sits in the body of a loop. */
function loopCallingFunction(fn: ts.FunctionLikeDeclaration, model: TemporalModel): ts.IterationStatement | undefined {
  const name = functionName(fn)!;
  for (const file of model.workflowFiles) {
    if (!model.files.includes(file)) continue;
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !sourceFile.text.includes(name)) continue;
    let loop: ts.IterationStatement | undefined;
    const visit = (node: ts.Node): void => {
      if (loop) return;
      if (ts.isCallExpression(node) && ts.isIdentifier(skipOuterExpressions(node.expression)) && (skipOuterExpressions(node.expression) as ts.Identifier).text === name) {
        const declaration = model.declarationOf(node.expression);
        const callee = declaration && (ts.isFunctionDeclaration(declaration) ? declaration : ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined);
        const caller = enclosingFunction(node);
        if (callee === fn && caller) loop = enclosingLoop(node, caller);
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
    if (loop) return loop;
  }
  return undefined;
}
