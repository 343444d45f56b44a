// Module-level state of workflow-sandbox files that functions mutate: `let`/`var` bindings that a
// function reassigns or increments, and module-level objects, arrays, Maps and Sets that a
// function writes to (property writes, `.push()`, `.set()`, ...). Writes made while the module
// initializes (top-level statements) are not counted: they run once, the same way every time.

import ts from 'typescript';
import type { SourceLocation, TemporalModel } from '../types.js';
import { isReferencePosition } from './reference-position.js';
import { sandboxFiles } from './sandbox-files.js';
import { nodeLocation } from './source-location.js';

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

  for (const file of files) {
    const sourceFile = model.sourceFile(file);
    const checker = model.checkerFor(file);
    if (!sourceFile || !checker) continue;
    const visit = (node: ts.Node, inFunction: boolean): void => {
      if (inFunction && ts.isIdentifier(node) && isReferencePosition(node)) {
        const candidate = candidates.get(resolveAlias(checker.getSymbolAtLocation(node), checker) as ts.Symbol);
        const how = candidate ? mutationOf(node, candidate.reassignable) : null;
        if (candidate && how) candidate.state.mutations.push({ location: nodeLocation(sourceFile, node), how });
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
