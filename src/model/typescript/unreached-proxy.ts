// A module-level activity proxy that no workflow function can reach: every use of it sits in
// helpers whose callers, followed up through the code, end in module-level values that are not
// workflow functions (a `defineWorkflow({...})` config object, a const nothing names), never in a
// registered workflow. Temporal runs only workflow functions, so such a proxy never schedules an
// activity and its options never apply. Conservative: any use the walk cannot follow (a helper
// passed as a value, a class, a statement that runs at load, a name used where references are not
// traced, too many steps) counts as reached.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { findReferences } from './find-references.js';

const MAX_STEPS = 60;

export interface UnreachedContext {
  index: CodeIndex;
  importersOf(file: string): string[];
  /** The registered workflow functions. */
  workflowNodes: Set<ts.Node>;
}

/** The names of the module-level values the proxy's uses end in, when none is a workflow; undefined when it may be reached. */
export function unreachedProxy(references: ts.Node[], ctx: UnreachedContext): string[] | undefined {
  if (references.length === 0 || ctx.workflowNodes.size === 0) return undefined;
  const ends = new Set<string>();
  const visited = new Set<ts.Node>();
  const queue = [...references];
  let steps = 0;
  while (queue.length > 0) {
    if (++steps > MAX_STEPS) return undefined;
    const reference = queue.shift()!;
    if (ts.isExportSpecifier(reference.parent) || ts.isImportSpecifier(reference.parent) || ts.isTypeQueryNode(reference.parent)) continue;
    const holder = topLevelHolder(reference);
    if (!holder) return undefined;
    if (visited.has(holder.statement)) continue;
    visited.add(holder.statement);
    if (ctx.workflowNodes.has(holder.declaration) || (holder.value && ctx.workflowNodes.has(holder.value))) return undefined;
    const callable = holder.value !== undefined && (ts.isArrowFunction(holder.value) || ts.isFunctionExpression(holder.value) || ts.isFunctionDeclaration(holder.value));
    if (callable && !insideFunction(reference, holder.value!)) return undefined;
    const uses = findReferences(holder.name, ctx.index, ctx.importersOf).filter(
      (use) => !ts.isExportSpecifier(use.parent) && !ts.isImportSpecifier(use.parent) && !ts.isTypeQueryNode(use.parent),
    );
    if (!callable) {
      // A value that is not a function (a config object): Temporal cannot run it as a workflow.
      // Anything naming it may still call into it, and names re-exported further are not traced.
      if (uses.length > 0 || namedInImporters(holder.name, ctx)) return undefined;
      ends.add(holder.name.text);
      continue;
    }
    // A helper function: each use must call it; a helper handed on as a value is not followed.
    for (const use of uses) {
      if (!ts.isCallExpression(use.parent) || use.parent.expression !== use) return undefined;
      queue.push(use);
    }
    // A function nothing calls may be a workflow of a bundle the model did not locate: cannot tell.
    if (uses.length === 0) return undefined;
  }
  return ends.size > 0 ? [...ends].sort() : undefined;
}

interface Holder {
  statement: ts.Statement;
  declaration: ts.Node;
  name: ts.Identifier;
  /** The function or initializer the module-level name holds. */
  value?: ts.Node;
}

/** The module-level function or const whose body or initializer holds the node. */
function topLevelHolder(node: ts.Node): Holder | undefined {
  let current: ts.Node = node;
  while (current.parent && !ts.isSourceFile(current.parent)) current = current.parent;
  if (ts.isFunctionDeclaration(current) && current.name) return { statement: current, declaration: current, name: current.name, value: current };
  if (ts.isVariableStatement(current) && current.declarationList.flags & ts.NodeFlags.Const) {
    const declaration = current.declarationList.declarations.find((d) => d.pos <= node.pos && node.end <= d.end);
    if (!declaration || !ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
    let value: ts.Expression = declaration.initializer;
    while (ts.isParenthesizedExpression(value) || ts.isAsExpression(value) || ts.isSatisfiesExpression(value)) value = value.expression;
    return { statement: current, declaration, name: declaration.name, value };
  }
  return undefined;
}

function insideFunction(node: ts.Node, fn: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (current === fn) return true;
  return false;
}

/** Whether a file importing the name's module (directly or through re-exports) names it other than in an import or export list. */
function namedInImporters(name: ts.Identifier, ctx: UnreachedContext): boolean {
  const seen = new Set<string>([name.getSourceFile().fileName]);
  // Direct importers are searched by findReferences already; files reached through re-exports are not.
  const direct = new Set(ctx.importersOf(name.getSourceFile().fileName));
  const queue = [...direct];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (seen.size > 200) return true;
    const source = ctx.index.sourceFile(file);
    if (!source) return true;
    let named = false;
    let reexports = false;
    const visit = (node: ts.Node): void => {
      if (named) return;
      if (ts.isIdentifier(node) && node.text === name.text) {
        if (ts.isExportSpecifier(node.parent)) reexports = true;
        else if (!ts.isImportSpecifier(node.parent) && !direct.has(file)) named = true;
        return;
      }
      if (ts.isExportDeclaration(node) && !node.exportClause) reexports = true;
      ts.forEachChild(node, visit);
    };
    visit(source);
    if (named) return true;
    if (reexports) queue.push(...ctx.importersOf(file));
  }
  return false;
}
