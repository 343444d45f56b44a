// Whether a worker bundles its workflow code when it starts. `Worker.create({ workflowsPath })`
// runs the SDK's webpack bundler inside Worker.create, and `workflowBundle: await
// bundleWorkflowCode(...)` does the same in the worker's own process; only `workflowBundle:
// { codePath }` (or `{ code }` read from a file built earlier) skips it. When the code chooses
// between the two with a condition (`production ? { codePath } : { workflowsPath }`), the
// condition is returned with the environment variable it reads, so a check can tell which value
// selects the prebuilt bundle.

import ts from 'typescript';
import { singleReturnedExpression } from './resolve-call.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { SourceLocation, TemporalModel, WorkerDefinition } from './types.js';

const MAX_STEPS = 8;

type Source =
  | { kind: 'bundles'; how: 'workflowsPath' | 'bundleWorkflowCode'; node: ts.Node }
  | { kind: 'prebuilt' }
  | { kind: 'other' }
  | { kind: 'conditional'; condition: ts.Expression; prebuiltWhen: boolean; bundling: Extract<Source, { kind: 'bundles' }> };

export type StartupBundling =
  /** Bundles at every start, whatever the environment. */
  | { kind: 'always'; how: 'workflowsPath' | 'bundleWorkflowCode'; location: SourceLocation }
  /** Bundles at start unless `condition` (which reads `env`) picks the prebuilt bundle. */
  | {
      kind: 'conditional';
      how: 'workflowsPath' | 'bundleWorkflowCode';
      location: SourceLocation;
      /** Where the choice is made: the declaration the condition names, else the condition itself. */
      conditionLocation: SourceLocation;
      conditionText: string;
      env: string;
      /** True when the prebuilt bundle is the branch taken when the condition holds. */
      prebuiltWhen: boolean;
      /** Evaluates the condition for a value of `env` (undefined: unset); undefined when it cannot tell. */
      evaluate(value: string | undefined): boolean | undefined;
      /** String literals the condition compares the variable with (candidate values). */
      literals: string[];
    };

/** How the worker gets its workflow code at start, when it bundles then; undefined otherwise. */
export function startupBundling(worker: WorkerDefinition, model: TemporalModel): StartupBundling | undefined {
  const argument = worker.node.arguments[0];
  if (!argument || passesNoWorkflowCode(worker)) return undefined;
  const source = optionsSource(argument, model, 0);
  if (source.kind === 'bundles') return { kind: 'always', how: source.how, location: model.locate(source.node) };
  if (source.kind !== 'conditional') return undefined;
  const env = environmentOfCondition(source.condition, model);
  // A choice that reads no environment variable (where the module runs from, say) cannot be
  // decided from the deployment files: left alone.
  if (!env) return undefined;
  const conditionNode = skipOuterExpressions(source.condition);
  const declared = ts.isIdentifier(conditionNode) ? model.declarationOf(conditionNode) : undefined;
  return {
    kind: 'conditional',
    how: source.bundling.how,
    location: model.locate(source.bundling.node),
    conditionLocation: model.locate(declared && ts.isVariableDeclaration(declared) ? declared : source.condition),
    conditionText: (declared && ts.isVariableDeclaration(declared) && declared.initializer ? declared.initializer : source.condition).getText(),
    env: env.name,
    prebuiltWhen: source.prebuiltWhen,
    evaluate: (value) => {
      const result = evaluate(source.condition, model, env.name, value, 0);
      return result === UNKNOWN ? undefined : Boolean(result);
    },
    literals: env.literals,
  };
}

/**
 * True when the worker's options, as read, carry neither workflowsPath nor workflowBundle and no
 * spread may bring them: a factory called without its workflows (`includeWorkflows ? { workflowsPath } : {}`)
 * makes an activity-only worker, though the options written name a workflowsPath.
 */
function passesNoWorkflowCode(worker: WorkerDefinition): boolean {
  const options = worker.options;
  if (!worker.factoryCall || options.kind !== 'object') return false;
  const keys = ['workflowsPath', 'workflowBundle'];
  if (keys.some((key) => options.properties.has(key) || options.maybeProperties?.has(key))) return false;
  return !options.unknownSpreads.some((spread) => !spread.keys || keys.some((key) => spread.keys!.includes(key)));
}

/** The options object (or what a spread in it brings) as a workflow code source. */
function optionsSource(node: ts.Node, model: TemporalModel, steps: number): Source {
  if (steps > MAX_STEPS) return { kind: 'other' };
  const expression = skipOuterExpressions(node);
  if (ts.isAwaitExpression(expression)) return optionsSource(expression.expression, model, steps + 1);
  if (ts.isIdentifier(expression)) {
    const initializer = initializerOf(expression, model);
    return initializer ? optionsSource(initializer, model, steps + 1) : { kind: 'other' };
  }
  if (ts.isCallExpression(expression)) {
    const returned = returnedBy(expression, model);
    return returned ? optionsSource(returned, model, steps + 1) : { kind: 'other' };
  }
  if (ts.isConditionalExpression(expression)) {
    return conditional(expression, optionsSource(expression.whenTrue, model, steps + 1), optionsSource(expression.whenFalse, model, steps + 1));
  }
  if (!ts.isObjectLiteralExpression(expression)) return { kind: 'other' };
  let found: Source = { kind: 'other' };
  for (const property of expression.properties) {
    if (ts.isSpreadAssignment(property)) {
      const spread = optionsSource(property.expression, model, steps + 1);
      if (spread.kind !== 'other') found = spread;
      continue;
    }
    const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
    const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
    if (!value) continue;
    if (name === 'workflowsPath' && !isUndefined(value)) found = { kind: 'bundles', how: 'workflowsPath', node: value };
    else if (name === 'workflowBundle') found = bundleSource(value, model, steps + 1);
  }
  return found;
}

/** A workflowBundle value: a bundle built in this process, a prebuilt one, or a choice of both. */
function bundleSource(node: ts.Node, model: TemporalModel, steps: number): Source {
  if (steps > MAX_STEPS) return { kind: 'other' };
  const expression = skipOuterExpressions(node);
  if (ts.isAwaitExpression(expression)) return bundleSource(expression.expression, model, steps + 1);
  if (ts.isIdentifier(expression)) {
    const initializer = initializerOf(expression, model);
    return initializer ? bundleSource(initializer, model, steps + 1) : { kind: 'other' };
  }
  if (ts.isCallExpression(expression)) {
    const api = model.temporalApiOf(expression.expression);
    if (api?.name === 'bundleWorkflowCode') return { kind: 'bundles', how: 'bundleWorkflowCode', node: expression };
    const returned = returnedBy(expression, model);
    return returned ? bundleSource(returned, model, steps + 1) : { kind: 'other' };
  }
  if (ts.isConditionalExpression(expression)) {
    return conditional(expression, bundleSource(expression.whenTrue, model, steps + 1), bundleSource(expression.whenFalse, model, steps + 1));
  }
  if (ts.isObjectLiteralExpression(expression)) {
    for (const property of expression.properties) {
      const name = property.name && ts.isIdentifier(property.name) ? property.name.text : undefined;
      if (name === 'codePath') return { kind: 'prebuilt' };
      if (name === 'code') {
        const value = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
        // `{ code: bundle.code }` of a bundle built here; code read from a file was built earlier.
        const inner = value ? bundleSource(ts.isPropertyAccessExpression(skipOuterExpressions(value)) ? (skipOuterExpressions(value) as ts.PropertyAccessExpression).expression : value, model, steps + 1) : undefined;
        return inner?.kind === 'bundles' || inner?.kind === 'conditional' ? inner : { kind: 'prebuilt' };
      }
    }
  }
  return { kind: 'other' };
}

/** A condition that picks between bundling here and a prebuilt bundle; anything else is not a choice. */
function conditional(node: ts.ConditionalExpression, whenTrue: Source, whenFalse: Source): Source {
  if (whenTrue.kind === 'bundles' && whenFalse.kind === 'prebuilt') return { kind: 'conditional', condition: node.condition, prebuiltWhen: false, bundling: whenTrue };
  if (whenFalse.kind === 'bundles' && whenTrue.kind === 'prebuilt') return { kind: 'conditional', condition: node.condition, prebuiltWhen: true, bundling: whenFalse };
  // One branch bundles, the other has no workflows at all (a worker for activities only): the
  // worker bundles whenever it runs workflows.
  if (whenTrue.kind === 'bundles' && whenFalse.kind === 'other') return whenTrue;
  if (whenFalse.kind === 'bundles' && whenTrue.kind === 'other') return whenFalse;
  return { kind: 'other' };
}

function isUndefined(node: ts.Node): boolean {
  const expression = skipOuterExpressions(node);
  return (ts.isIdentifier(expression) && expression.text === 'undefined') || expression.kind === ts.SyntaxKind.NullKeyword;
}

/** The initializer of the const an identifier names, when it is a plain variable. */
function initializerOf(identifier: ts.Identifier, model: TemporalModel): ts.Expression | undefined {
  const declaration = model.declarationOf(identifier);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  return declaration.initializer;
}

/** What a project function called here returns, when it has one return. */
function returnedBy(call: ts.CallExpression, model: TemporalModel): ts.Expression | undefined {
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return undefined;
  const declaration = model.declarationOf(callee);
  let fn: ts.FunctionLikeDeclaration | undefined;
  if (declaration && (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration))) fn = declaration;
  else if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) {
    const initializer = skipOuterExpressions(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) fn = initializer;
  }
  if (!fn?.body || fn.getSourceFile().isDeclarationFile) return undefined;
  return singleReturnedExpression(fn.body);
}

// A tiny evaluator for the conditions code uses to pick a bundle by environment:
// `process.env.NODE_ENV === 'production'`, `['production', 'test'].includes(NODE_ENV)` with
// `const { NODE_ENV = 'development' } = process.env`, `!isDev`, `a && b`, `a || b`.

const UNKNOWN = Symbol('unknown');
type Value = string | boolean | undefined | typeof UNKNOWN;

/** The one environment variable a condition reads (through consts), with the strings it compares it with. */
function environmentOfCondition(condition: ts.Expression, model: TemporalModel): { name: string; literals: string[] } | undefined {
  const names = new Set<string>();
  const literals = new Set<string>();
  const visit = (node: ts.Node, steps: number): void => {
    if (steps > MAX_STEPS) return;
    const env = environmentRead(node, model);
    if (env) {
      names.add(env.name);
      if (env.fallback !== undefined) literals.add(env.fallback);
      return;
    }
    if (ts.isStringLiteralLike(node)) literals.add(node.text);
    if (ts.isIdentifier(node)) {
      const initializer = initializerOf(node, model);
      if (initializer) visit(initializer, steps + 1);
      return;
    }
    ts.forEachChild(node, (child) => visit(child, steps));
  };
  visit(condition, 0);
  return names.size === 1 ? { name: [...names][0]!, literals: [...literals] } : undefined;
}

/** `process.env.X`, `process.env['X']`, or a name destructured from process.env (with its default). */
function environmentRead(node: ts.Node, model: TemporalModel): { name: string; fallback?: string } | undefined {
  const expression = skipOuterExpressions(node);
  if (ts.isPropertyAccessExpression(expression) && isProcessEnv(expression.expression)) return { name: expression.name.text };
  if (ts.isElementAccessExpression(expression) && isProcessEnv(expression.expression) && ts.isStringLiteralLike(expression.argumentExpression)) {
    return { name: expression.argumentExpression.text };
  }
  if (ts.isIdentifier(expression)) {
    const declaration = model.declarationOf(expression);
    if (declaration && ts.isBindingElement(declaration) && ts.isObjectBindingPattern(declaration.parent) && ts.isVariableDeclaration(declaration.parent.parent)) {
      const initializer = declaration.parent.parent.initializer;
      if (initializer && isProcessEnv(initializer)) {
        const key = declaration.propertyName && ts.isIdentifier(declaration.propertyName) ? declaration.propertyName.text : ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
        const fallback = declaration.initializer && ts.isStringLiteralLike(declaration.initializer) ? declaration.initializer.text : undefined;
        if (key) return { name: key, ...(fallback !== undefined ? { fallback } : {}) };
      }
    }
  }
  return undefined;
}

function isProcessEnv(node: ts.Node): boolean {
  const expression = skipOuterExpressions(node);
  return ts.isPropertyAccessExpression(expression) && expression.name.text === 'env' && ts.isIdentifier(expression.expression) && expression.expression.text === 'process';
}

function evaluate(node: ts.Node, model: TemporalModel, env: string, value: string | undefined, steps: number): Value {
  if (steps > MAX_STEPS) return UNKNOWN;
  const expression = skipOuterExpressions(node);
  const read = environmentRead(expression, model);
  if (read) return read.name === env ? (value ?? read.fallback) : UNKNOWN;
  if (ts.isStringLiteralLike(expression)) return expression.text;
  if (expression.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (expression.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isIdentifier(expression)) {
    const initializer = initializerOf(expression, model);
    return initializer ? evaluate(initializer, model, env, value, steps + 1) : UNKNOWN;
  }
  if (ts.isPrefixUnaryExpression(expression) && expression.operator === ts.SyntaxKind.ExclamationToken) {
    const operand = evaluate(expression.operand, model, env, value, steps + 1);
    return operand === UNKNOWN ? UNKNOWN : !operand;
  }
  if (ts.isBinaryExpression(expression)) {
    const operator = expression.operatorToken.kind;
    const left = evaluate(expression.left, model, env, value, steps + 1);
    const right = evaluate(expression.right, model, env, value, steps + 1);
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) {
      if (left !== UNKNOWN && !left) return left;
      return left === UNKNOWN ? UNKNOWN : right;
    }
    if (operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken) {
      if (left === UNKNOWN) return UNKNOWN;
      if (operator === ts.SyntaxKind.BarBarToken ? left : left !== undefined) return left;
      return right;
    }
    if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
    if (operator === ts.SyntaxKind.EqualsEqualsEqualsToken || operator === ts.SyntaxKind.EqualsEqualsToken) return left === right;
    if (operator === ts.SyntaxKind.ExclamationEqualsEqualsToken || operator === ts.SyntaxKind.ExclamationEqualsToken) return left !== right;
    return UNKNOWN;
  }
  // `['production', 'test'].includes(x)`
  if (ts.isCallExpression(expression) && ts.isPropertyAccessExpression(expression.expression) && expression.expression.name.text === 'includes' && expression.arguments.length === 1) {
    const list = skipOuterExpressions(expression.expression.expression);
    const items = ts.isArrayLiteralExpression(list) ? list.elements.map((element) => (ts.isStringLiteralLike(element) ? element.text : UNKNOWN)) : undefined;
    const argument = evaluate(expression.arguments[0]!, model, env, value, steps + 1);
    if (!items || items.includes(UNKNOWN) || argument === UNKNOWN) return UNKNOWN;
    return typeof argument === 'string' && items.includes(argument);
  }
  return UNKNOWN;
}
