// proxyActivities / proxyLocalActivities calls and executeWithOptions overrides: resolved
// options, the implementation module named by the type argument, the activity types exposed and
// actually used, and the workflows that use each proxy.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { enclosingFunctions } from './call-reach.js';
import { findReferences } from './find-references.js';
import { activityCallsHandled } from './handled-activity-calls.js';
import { locate, relativeId } from './locate.js';
import { optionsArgument } from './extract-workers.js';
import { implementationFilesOf, proxyImplementation } from './proxy-implementation.js';
import { unreachedProxy } from './unreached-proxy.js';
import { testOnlyGuard } from './test-only-proxy.js';
import { mergeInto, resolveValue, type ResolveContext } from './resolve-value.js';
import type { ActivityProxy, ActivityTypeUse, StaticObject, StaticValue } from './types.js';

export interface ProxyEnvironment {
  ctx: ResolveContext;
  /** For each function a workflow reaches through calls (itself included), the workflows' names. */
  workflowsReaching: Map<ts.Node, string[]>;
  importersOf(file: string): string[];
  /** The registered workflow functions, when the workflow modules were located without guessing. */
  workflowNodes?: Set<ts.Node>;
}

export function extractProxies(calls: { call: ts.CallExpression; kind: 'remote' | 'local' }[], env: ProxyEnvironment): ActivityProxy[] {
  const proxies: ActivityProxy[] = [];
  for (const { call, kind } of calls) {
    const index = env.ctx.index;
    const location = locate(call);
    const typeArgument = call.typeArguments?.[0];
    const usage = collectUsage(call, env);
    const workflowNames = workflowsUsing([call, ...usage.references], env);
    const unreached = workflowNames.length === 0 && usage.used !== 'all' && env.workflowNodes ? unreachedProxy(usage.references, { index, importersOf: env.importersOf, workflowNodes: env.workflowNodes }) : undefined;
    const base: ActivityProxy = {
      id: relativeId(index.root, location),
      kind,
      origin: 'proxy',
      location,
      options: optionsArgument(call, 0, env.ctx),
      implementationFiles: typeArgument ? implementationFilesOf(proxyImplementation(typeArgument, env.ctx), index) : [],
      usedActivityTypes: usage.used,
      exposedActivityTypes: typeArgument ? exposedTypes(typeArgument, index) : [],
      workflowNames,
      ...(unreached ? { unreachedFrom: unreached } : {}),
      ...(usage.testOnly ? { testOnly: usage.testOnly } : {}),
      node: call,
    };
    proxies.push(base);
    for (const override of usage.overrides) {
      const overrideLocation = locate(override.call);
      proxies.push({
        ...base,
        id: relativeId(index.root, overrideLocation),
        origin: 'override',
        baseProxyId: base.id,
        location: overrideLocation,
        options: mergeOptions(base.options, override.call.arguments[0] ? resolveValue(override.call.arguments[0], env.ctx) : undefined, override.call),
        usedActivityTypes: [override.activity],
        workflowNames: workflowsUsing([override.call], env),
        node: override.call,
      });
    }
  }
  return proxies;
}

interface Usage {
  used: ActivityTypeUse[] | 'all';
  references: ts.Node[];
  overrides: { call: ts.CallExpression; activity: ActivityTypeUse }[];
  /** The test-mode flag every use of the proxy variable sits behind, when there is one. */
  testOnly?: ReturnType<typeof testOnlyGuard>;
}

function collectUsage(call: ts.CallExpression, env: ProxyEnvironment): Usage {
  const used: ActivityTypeUse[] = [];
  const usage: Usage = { used, references: [], overrides: [] };
  let escapes = false;
  const holder = outermostExpression(call);
  const index = env.ctx.index;
  const referencesOf = (name: ts.Identifier) => findReferences(name, index, env.importersOf);

  const useDestructured = (pattern: ts.ObjectBindingPattern) => {
    for (const element of pattern.elements) {
      if (element.dotDotDotToken) {
        escapes = true;
        continue;
      }
      const nameNode = element.propertyName ?? element.name;
      const name = ts.isIdentifier(nameNode) || ts.isStringLiteral(nameNode) ? nameNode.text : undefined;
      if (name === undefined) {
        escapes = true;
        continue;
      }
      const activity: ActivityTypeUse = { name, location: locate(element) };
      if (!ts.isIdentifier(element.name)) {
        used.push(activity);
        continue;
      }
      const references = findReferences(element.name, index, env.importersOf);
      // `const { notify } = proxyActivities(...)` with `notify` named nowhere else and not
      // exported: no workflow calls it, so the proxy never schedules it and its options never
      // apply to it (a binding left over after the call was removed).
      if (references.length === 0 && !exportedBinding(element.name)) continue;
      used.push(activity);
      if (activityCallsHandled(references, referencesOf)) activity.handled = true;
      for (const reference of references) {
        usage.references.push(reference);
        const override = executeWithOptionsCall(reference);
        if (override) usage.overrides.push({ call: override, activity });
      }
    }
  };

  const useMember = (expression: ts.Expression): boolean => {
    const container = outermostExpression(expression);
    const access = container.parent;
    if (ts.isPropertyAccessExpression(access) && access.expression === container) {
      const activity: ActivityTypeUse = { name: access.name.text, location: locate(access.name), ...(activityCallsHandled([access], referencesOf) ? { handled: true } : {}) };
      used.push(activity);
      const override = executeWithOptionsCall(access);
      if (override) usage.overrides.push({ call: override, activity });
      return true;
    }
    if (ts.isElementAccessExpression(access) && access.expression === container && ts.isStringLiteralLike(access.argumentExpression)) {
      used.push({ name: access.argumentExpression.text, location: locate(access.argumentExpression) });
      return true;
    }
    if (ts.isVariableDeclaration(access) && access.initializer === container && ts.isObjectBindingPattern(access.name)) {
      useDestructured(access.name);
      return true;
    }
    return false;
  };

  // Where the proxy object goes: the call itself, or each call of a factory that returns it.
  const seen = new Set<ts.Node>();
  const useValue = (value: ts.Expression, depth: number): void => {
    const outer = valueHolder(value);
    if (seen.has(outer)) return;
    seen.add(outer);
    const owner = outer.parent;
    if (ts.isVariableDeclaration(owner) && owner.initializer === outer) {
      if (ts.isObjectBindingPattern(owner.name)) useDestructured(owner.name);
      else if (ts.isIdentifier(owner.name)) {
        const references = findReferences(owner.name, index, env.importersOf);
        if (depth === 0 && seen.size === 1) usage.testOnly = testOnlyGuard(references);
        for (const reference of references) {
          usage.references.push(reference);
          if (ts.isTypeQueryNode(reference.parent) || ts.isExportSpecifier(reference.parent)) continue;
          // `acts.charge(...)`, or the proxy handed on: held by another const, or returned by a
          // selector (`if (test) return testActs; return acts;`) whose calls are then followed.
          useValue(reference, depth);
        }
      } else escapes = true;
      return;
    }
    const factory = depth < MAX_FACTORY_DEPTH ? factoryReturning(outer) : undefined;
    if (factory) {
      // `const proxyFor = (taskQueue) => proxyActivities<T>({ taskQueue })`: the proxy is used
      // through each `proxyFor(q)`, and only for what those calls take from it.
      const calls = factoryCalls(factory, index, env.importersOf);
      if (calls === undefined) escapes = true;
      else
        for (const factoryCall of calls) {
          usage.references.push(factoryCall);
          useValue(factoryCall, depth + 1);
        }
      return;
    }
    if (!useMember(outer)) escapes = true;
  };
  useValue(holder, 0);
  usage.used = escapes
    ? 'all'
    : used.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
  return usage;
}

/** Proxies handed out by factory functions, followed this many factories deep. */
const MAX_FACTORY_DEPTH = 2;

/** The name of the function that returns this expression: `return <expression>` or `() => <expression>`. */
function factoryReturning(expression: ts.Expression): ts.Identifier | undefined {
  const parent = expression.parent;
  let fn: ts.Node | undefined;
  if (ts.isArrowFunction(parent) && parent.body === expression) fn = parent;
  else if (ts.isReturnStatement(parent)) {
    fn = parent.parent;
    while (fn && !ts.isFunctionLike(fn)) fn = fn.parent;
  }
  if (!fn) return undefined;
  if (ts.isFunctionDeclaration(fn)) return fn.name;
  const holder = fn.parent;
  return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(holder) && holder.initializer === fn && ts.isIdentifier(holder.name)
    ? holder.name
    : undefined;
}

/** Every call of a factory; undefined when the factory itself is passed around (its proxies escape). */
function factoryCalls(name: ts.Identifier, index: CodeIndex, importersOf: (file: string) => string[]): ts.CallExpression[] | undefined {
  const calls: ts.CallExpression[] = [];
  for (const reference of findReferences(name, index, importersOf)) {
    if (ts.isTypeQueryNode(reference.parent) || ts.isExportSpecifier(reference.parent)) continue;
    const used = outermostExpression(reference);
    if (!ts.isCallExpression(used.parent) || used.parent.expression !== used) return undefined;
    calls.push(used.parent);
  }
  return calls;
}

/** `x.executeWithOptions(...)` where x is the given expression. */
function executeWithOptionsCall(expression: ts.Expression): ts.CallExpression | undefined {
  const container = outermostExpression(expression);
  const access = container.parent;
  if (!ts.isPropertyAccessExpression(access) || access.name.text !== 'executeWithOptions') return undefined;
  return ts.isCallExpression(access.parent) && access.parent.expression === access ? access.parent : undefined;
}

/**
 * The expression that holds a value: its outermost parentheses or casts, and a conditional that
 * picks it (`test ? testActs : acts`), since what takes the conditional's value may get this one.
 */
function valueHolder(node: ts.Expression): ts.Expression {
  let current = outermostExpression(node);
  while (ts.isConditionalExpression(current.parent) && current.parent.condition !== current) current = outermostExpression(current.parent);
  return current;
}

function outermostExpression(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    (ts.isParenthesizedExpression(current.parent) || ts.isAsExpression(current.parent) || ts.isNonNullExpression(current.parent) || ts.isSatisfiesExpression(current.parent)) &&
    current.parent.expression === current
  ) {
    current = current.parent;
  }
  return current;
}

function workflowsUsing(nodes: ts.Node[], env: ProxyEnvironment): string[] {
  const names = new Set<string>();
  for (const node of nodes) {
    for (const fn of enclosingFunctions(node)) for (const name of env.workflowsReaching.get(fn) ?? []) names.add(name);
  }
  return [...names].sort();
}

function mergeOptions(base: StaticValue, override: StaticValue | undefined, call: ts.CallExpression): StaticValue {
  const merged: StaticObject = { kind: 'object', properties: new Map(), unknownSpreads: [], location: locate(call) };
  mergeInto(merged, base, call);
  if (override) mergeInto(merged, override, call.arguments[0]!);
  return merged;
}

function isCallable(property: ts.Symbol, at: ts.Node, checker: ts.TypeChecker): boolean {
  // Declarations settle most properties without computing their types.
  const declaration = property.valueDeclaration;
  if (declaration && (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration) || ts.isMethodSignature(declaration))) return true;
  if (declaration && (ts.isClassDeclaration(declaration) || ts.isEnumDeclaration(declaration))) return false;
  return checker.getTypeOfSymbolAtLocation(property, at).getCallSignatures().length > 0;
}

function exposedTypes(typeNode: ts.TypeNode, index: CodeIndex): string[] {
  const checker = index.checkerFor(typeNode.getSourceFile().fileName);
  if (!checker) return [];
  const type = checker.getTypeFromTypeNode(typeNode);
  // Exported classes and constants are not activities: only callable properties are.
  return checker
    .getPropertiesOfType(type)
    .filter((p) => isCallable(p, typeNode, checker))
    .map((p) => p.name)
    .sort();
}

/** Whether the variable statement that declares the binding is exported, or an `export { name }` names it. */
function exportedBinding(name: ts.Identifier): boolean {
  let node: ts.Node = name;
  while (node.parent && !ts.isSourceFile(node.parent) && !ts.isVariableStatement(node)) node = node.parent;
  if (!ts.isVariableStatement(node)) return true;
  if (node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  if (!ts.isSourceFile(node.parent)) return false;
  return node.parent.statements.some(
    (s) => ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause !== undefined && ts.isNamedExports(s.exportClause) && s.exportClause.elements.some((e) => (e.propertyName ?? e.name).text === name.text),
  );
}
