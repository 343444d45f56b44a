// References to globals the workflow sandbox lacks or forbids (TEMPORAL-FACTS.md §1). Only the
// real globals count: a local variable, parameter or import that happens to be named `crypto` or
// `fetch` is the program's own binding. The checker decides: a name is global when it resolves to
// nothing or only to ambient declarations (lib.*.d.ts, @types/node, `declare global`).

import ts from 'typescript';
import type { SourceLocation, TemporalModel } from '../types.js';
import { isReferencePosition } from './reference-position.js';
import { sandboxFiles } from './sandbox-files.js';
import { sandboxReachOf, type SandboxReach } from './sandbox-reach.js';
import { nodeLocation } from './source-location.js';

/** Absent from the sandbox: using one is a ReferenceError that fails the workflow task. */
export const UNAVAILABLE_GLOBALS: readonly string[] = [
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'process',
  'Buffer',
  'fetch',
  'crypto',
  'performance',
  'structuredClone',
  'require',
];

/** Present but throwing DeterminismViolationError when used. */
export const DETERMINISM_VIOLATING_GLOBALS: readonly string[] = ['WeakRef', 'FinalizationRegistry'];

export interface GlobalReference {
  name: string;
  location: SourceLocation;
  /** The expression as written, up to its property chain (`process.env.API_URL`), for messages. */
  text: string;
  /**
   * Whether the use runs in the sandbox: 'runs' when reached from workflow code (or at a sandbox
   * module's top level), 'maybe' when its function is only passed around as a value. Uses in
   * functions that workflow code never reaches are not listed. Always 'runs' for one file alone.
   */
  reach: Exclude<SandboxReach, 'never'>;
}

/**
 * Every reference to one of `names` as a global in the project's workflow-sandbox files, in file
 * order, that can run in the sandbox: a use in the body of a function that workflow code never
 * calls (a config module's helper that only client code calls) does not.
 */
export function globalReferences(model: TemporalModel, names: readonly string[]): GlobalReference[] {
  const references: GlobalReference[] = [];
  const reach = sandboxReachOf(model);
  for (const file of sandboxFiles(model)) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile) continue;
    for (const reference of globalReferencesInFile(sourceFile, model.checkerFor(file), names, (node) => reach.reachOf(node))) {
      references.push(reference);
    }
  }
  return references;
}

/** The same for one file (the ESLint rules call this with the checker of their parser services). */
export function globalReferencesInFile(
  sourceFile: ts.SourceFile,
  checker: ts.TypeChecker | undefined,
  names: readonly string[],
  reachOf: (node: ts.Node) => SandboxReach = () => 'runs',
): GlobalReference[] {
  const wanted = new Set(names);
  const references: GlobalReference[] = [];
  const seen = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isIdentifier(node) && wanted.has(node.text) && isUnsafeGlobalUse(node, checker)) {
      const location = nodeLocation(sourceFile, node);
      const key = `${node.text}:${location.line}`;
      const reach = reachOf(node);
      if (!seen.has(key) && reach !== 'never') {
        seen.add(key);
        references.push({ name: node.text, location, text: chainText(node, sourceFile), reach });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return references;
}

function isUnsafeGlobalUse(id: ts.Identifier, checker: ts.TypeChecker | undefined): boolean {
  if (!isReferencePosition(id)) return false;
  if (ts.isTypeOfExpression(id.parent)) return false; // `typeof process` never throws
  if (isGuardedByTypeof(id)) return false;
  if (id.text === 'require' && isStaticRequire(id)) return false;
  if (id.text === 'process' && isNodeEnvRead(id)) return false;
  return !checker || isGlobalSymbol(referencedSymbol(id, checker));
}

function referencedSymbol(id: ts.Identifier, checker: ts.TypeChecker): ts.Symbol | undefined {
  if (ts.isShorthandPropertyAssignment(id.parent)) return checker.getShorthandAssignmentValueSymbol(id.parent);
  return checker.getSymbolAtLocation(id);
}

/** Unresolved, or declared only ambiently: in a script .d.ts (lib files) or a `declare global` block. */
function isGlobalSymbol(symbol: ts.Symbol | undefined): boolean {
  if (!symbol) return true;
  const declarations = symbol.declarations ?? [];
  if (declarations.length === 0) return true;
  return declarations.every((declaration) => {
    const sourceFile = declaration.getSourceFile();
    if (!sourceFile.isDeclarationFile) return false;
    if (!ts.isExternalModule(sourceFile)) return true;
    for (let node: ts.Node = declaration; node.parent; node = node.parent) {
      if (ts.isModuleDeclaration(node) && (node.flags & ts.NodeFlags.GlobalAugmentation) !== 0) return true;
    }
    return false;
  });
}

/**
 * `require('x')` and `require.resolve('x')` with a literal path are replaced by the bundler at
 * build time (the module is bundled), so they work; any other use of `require` reaches the
 * missing global at run time.
 */
function isStaticRequire(id: ts.Identifier): boolean {
  let call: ts.Node = id.parent;
  if (ts.isPropertyAccessExpression(call) && call.expression === id && call.name.text === 'resolve') call = call.parent;
  if (!ts.isCallExpression(call)) return false;
  const callee = call.expression;
  if (callee !== id && !(ts.isPropertyAccessExpression(callee) && callee.expression === id)) return false;
  const argument = call.arguments[0];
  return call.arguments.length === 1 && argument !== undefined && (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument));
}

/** The bundler (webpack in development mode) replaces `process.env.NODE_ENV` with a string at build time. */
function isNodeEnvRead(id: ts.Identifier): boolean {
  const env = id.parent;
  if (!ts.isPropertyAccessExpression(env) || env.expression !== id || env.name.text !== 'env') return false;
  const read = env.parent;
  return ts.isPropertyAccessExpression(read) && read.expression === env && read.name.text === 'NODE_ENV';
}

/** Inside the branch of `typeof X !== 'undefined' && ...`, `if (typeof X ...)` or `typeof X ... ? ... : ...`. */
function isGuardedByTypeof(id: ts.Identifier): boolean {
  for (let current: ts.Node = id; current.parent; current = current.parent) {
    const parent = current.parent;
    if (ts.isBinaryExpression(parent) && parent.right === current && isLogical(parent.operatorToken.kind)) {
      if (mentionsTypeof(parent.left, id.text)) return true;
    }
    if (ts.isConditionalExpression(parent) && parent.condition !== current && mentionsTypeof(parent.condition, id.text)) return true;
    if (ts.isIfStatement(parent) && parent.expression !== current && mentionsTypeof(parent.expression, id.text)) return true;
    if ((ts.isBlock(parent) || ts.isSourceFile(parent)) && ts.isStatement(current) && followsTypeofGuard(parent.statements, current, id.text)) {
      return true;
    }
    if (ts.isFunctionLike(parent) || ts.isSourceFile(parent)) return false;
  }
  return false;
}

/** `if (typeof process === 'undefined') return;` earlier in the same block. */
function followsTypeofGuard(statements: ts.NodeArray<ts.Statement>, statement: ts.Statement, name: string): boolean {
  for (const earlier of statements) {
    if (earlier === statement) return false;
    if (ts.isIfStatement(earlier) && mentionsTypeof(earlier.expression, name)) return true;
  }
  return false;
}

function isLogical(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
}

function mentionsTypeof(node: ts.Node, name: string): boolean {
  if (ts.isTypeOfExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name) return true;
  return ts.forEachChild(node, (child) => mentionsTypeof(child, name) || undefined) ?? false;
}

/** `process.env.API_URL` for the `process` of that chain; the identifier alone otherwise. */
function chainText(id: ts.Identifier, sourceFile: ts.SourceFile): string {
  let node: ts.Node = id;
  while (ts.isPropertyAccessExpression(node.parent) && node.parent.expression === node) node = node.parent;
  return node.getText(sourceFile);
}
