// Module-level state of workflow-sandbox files that functions mutate: `let`/`var` bindings that a
// function reassigns or increments, and module-level objects, arrays, Maps and Sets that a
// function writes to (property writes, `.push()`, `.set()`, ...). Writes made while the module
// initializes (top-level statements) are not counted: they run once, the same way every time.

import ts from 'typescript';
import type { SourceLocation, TemporalModel } from '../types.js';
import { isReferencePosition } from './reference-position.js';
import { sandboxFiles } from './sandbox-files.js';
import { sandboxReachOf } from './sandbox-reach.js';
import { nodeLocation } from './source-location.js';
import { functionOfDeclaration } from '../declarations.js';
import { skipOuterExpressions } from '../temporal-api.js';

export interface ModuleStateMutation {
  location: SourceLocation;
  /** `assignment`, `++`, `property write`, `.push()`, `Object.assign()`, ... */
  how: string;
}

export interface MutableModuleState {
  name: string;
  declarationKind: 'let' | 'var' | 'const';
  /** The variable's name in its declaration. */
  location: SourceLocation;
  /** Writes from inside functions, in file order (possibly in other files that import it). */
  mutations: ModuleStateMutation[];
}

const MUTATING_METHODS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear']);
const CONTAINER_CONSTRUCTORS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object']);

interface Candidate {
  state: MutableModuleState;
  /** Only property writes and mutating calls count for a const container. */
  reassignable: boolean;
}

export function mutableModuleState(model: TemporalModel): MutableModuleState[] {
  const files = sandboxFiles(model);
  const candidates = new Map<ts.Symbol, Candidate>();
  for (const file of files) {
    const sourceFile = model.sourceFile(file);
    const checker = model.checkerFor(file);
    if (!sourceFile || !checker) continue;
    for (const statement of sourceFile.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const flags = statement.declarationList.flags;
      const declarationKind = flags & ts.NodeFlags.Const ? 'const' : flags & ts.NodeFlags.Let ? 'let' : flags & (ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing) ? null : 'var';
      if (!declarationKind) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) continue;
        if (declarationKind === 'const' && !isContainerLiteral(declaration.initializer)) continue;
        const symbol = checker.getSymbolAtLocation(declaration.name);
        if (!symbol) continue;
        candidates.set(symbol, {
          state: { name: declaration.name.text, declarationKind, location: nodeLocation(sourceFile, declaration.name), mutations: [] },
          reassignable: declarationKind !== 'const',
        });
      }
    }
  }
  if (candidates.size === 0) return [];

  const atInit = initTimeReader(model, files);
  // A write in a function that workflow code never calls (a helper only client code uses) never runs in the sandbox.
  const reach = sandboxReachOf(model);
  for (const file of files) {
    const sourceFile = model.sourceFile(file);
    const checker = model.checkerFor(file);
    if (!sourceFile || !checker) continue;
    const visit = (node: ts.Node, inFunction: boolean): void => {
      if (inFunction && ts.isIdentifier(node) && isReferencePosition(node)) {
        const candidate = candidates.get(resolveAlias(checker.getSymbolAtLocation(node), checker) as ts.Symbol);
        const how = candidate ? mutationOf(node, candidate.reassignable) : null;
        if (candidate && how && !atInit(node) && reach.reachOf(node) !== 'never') candidate.state.mutations.push({ location: nodeLocation(sourceFile, node), how });
      }
      ts.forEachChild(node, (child) => visit(child, inFunction || (ts.isFunctionLike(node) && !ts.isSourceFile(node))));
    };
    visit(sourceFile, false);
  }
  return [...candidates.values()]
    .map((candidate) => candidate.state)
    .filter((state) => state.mutations.length > 0)
    .sort((a, b) => (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : a.location.line - b.location.line));
}

/** Array methods that run their callback at once, during the call. */
const RUN_NOW = new Set(['forEach', 'map', 'filter', 'reduce', 'flatMap', 'some', 'every', 'find']);
const MAX_CALLER_DEPTH = 3;

/**
 * Whether a node runs only while modules initialize: outside every function, or in a callback an
 * array method or an immediately invoked function runs during a top-level statement
 * (`definitions.forEach((d) => registry.set(d.name, d))`), or in a function (a registry's static
 * `set`) that only such code calls. A function with no caller in the sandbox files is not known to
 * run at init, so its writes still count.
 */
function initTimeReader(model: TemporalModel, files: Iterable<string>): (node: ts.Node) => boolean {
  let callers: Map<ts.Node, ts.CallExpression[]> | undefined;
  const callersOf = (fn: ts.Node): ts.CallExpression[] => {
    if (!callers) {
      callers = new Map();
      for (const file of files) {
        const sourceFile = model.sourceFile(file);
        if (!sourceFile) continue;
        const visit = (node: ts.Node): void => {
          if (ts.isCallExpression(node)) {
            const callee = functionOfDeclaration(model.declarationOf(node.expression));
            if (callee) callers!.set(callee, [...(callers!.get(callee) ?? []), node]);
          }
          ts.forEachChild(node, visit);
        };
        visit(sourceFile);
      }
    }
    return callers.get(fn) ?? [];
  };
  const runsAtInit = (node: ts.Node, depth: number): boolean => {
    for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
      if (!ts.isFunctionLike(current) || ts.isSourceFile(current)) continue;
      const call: ts.Node | undefined = current.parent && ts.isParenthesizedExpression(current.parent) ? current.parent.parent : current.parent;
      if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && call && ts.isCallExpression(call)) {
        const immediate = skipOuterExpressions(call.expression) === current;
        const eachCallback =
          call.arguments.includes(current as ts.Expression) && ts.isPropertyAccessExpression(call.expression) && RUN_NOW.has(call.expression.name.text);
        if (immediate || eachCallback) {
          current = call;
          continue;
        }
      }
      if (depth >= MAX_CALLER_DEPTH) return false;
      const calls = callersOf(current);
      return calls.length > 0 && calls.every((caller) => runsAtInit(caller, depth + 1));
    }
    return true;
  };
  return (node) => runsAtInit(node, 0);
}

function resolveAlias(symbol: ts.Symbol | undefined, checker: ts.TypeChecker): ts.Symbol | undefined {
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** `{...}`, `[...]`, `new Map()`, `new Set()`, ... (through `as`/`satisfies`). */
function isContainerLiteral(initializer: ts.Expression | undefined): boolean {
  let current = initializer;
  while (current && (ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isParenthesizedExpression(current))) current = current.expression;
  if (!current) return false;
  if (ts.isObjectLiteralExpression(current) || ts.isArrayLiteralExpression(current)) return true;
  return ts.isNewExpression(current) && ts.isIdentifier(current.expression) && CONTAINER_CONSTRUCTORS.has(current.expression.text);
}

/** How this reference mutates the state, or null for a read. */
function mutationOf(id: ts.Identifier, reassignable: boolean): string | null {
  const parent = id.parent;
  if (reassignable) {
    if (ts.isBinaryExpression(parent) && parent.left === id && isAssignmentOperator(parent.operatorToken.kind)) return 'assignment';
    if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && isIncrement(parent.operator)) return ts.tokenToString(parent.operator) ?? '++';
  }
  if (ts.isCallExpression(parent) && parent.arguments[0] === id && isObjectAssign(parent.expression)) return 'Object.assign()';
  // Walk up the property chain: state.orders[id] = x, state.items.push(x), delete state.x.
  let access: ts.Node = id;
  while ((ts.isPropertyAccessExpression(access.parent) || ts.isElementAccessExpression(access.parent)) && access.parent.expression === access) {
    access = access.parent;
    const above = access.parent;
    if (ts.isPropertyAccessExpression(access) && MUTATING_METHODS.has(access.name.text) && ts.isCallExpression(above) && above.expression === access) {
      return `.${access.name.text}()`;
    }
  }
  if (access === id) return null;
  const above = access.parent;
  if (ts.isBinaryExpression(above) && above.left === access && isAssignmentOperator(above.operatorToken.kind)) return 'property write';
  if ((ts.isPrefixUnaryExpression(above) || ts.isPostfixUnaryExpression(above)) && isIncrement(above.operator)) return 'property write';
  if (ts.isDeleteExpression(above)) return 'delete';
  return null;
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

function isIncrement(operator: ts.SyntaxKind): boolean {
  return operator === ts.SyntaxKind.PlusPlusToken || operator === ts.SyntaxKind.MinusMinusToken;
}

function isObjectAssign(callee: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && callee.name.text === 'assign';
}
