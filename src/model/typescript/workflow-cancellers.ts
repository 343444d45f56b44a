// What in the reviewed code cancels a given workflow type (TEMPORAL-FACTS.md; @temporalio/workflow
// workflow.ts startChildWorkflowExecutionNextHandler):
// - a `handle.cancel()` whose handle starts or gets this type (workflow-cancel-calls.ts);
// - a child start of this type whose parent is cancelled: cancelling the parent cancels its root
//   scope, and the SDK then sends a cancellation to every child started in a cancellable scope
//   that has not completed, unless the child's cancellationType is ABANDON. A child started with
//   startChild and parentClosePolicy ABANDON is detached by its author (the parent usually returns
//   right after starting it) and is not counted;
// - a child start with parentClosePolicy REQUEST_CANCEL: the server cancels it when the parent closes;
// - a child start inside a cancellation scope that the code cancels (`scope.cancel()`,
//   `CancellationScope.current().cancel()` in it) or that has a timeout (`withTimeout`).
// A cancel whose workflow type cannot be told may be a cancel of any workflow, except of the one
// whose own child it cancels: it is reported as unattributed.

import ts from 'typescript';
import { isShieldingCall, workflowCodeReached } from './cancelled-scope-cleanup.js';
import { relativePath } from './locate.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { SourceLocation, StaticValue, TemporalModel, WorkflowStart } from './types.js';
import { workflowCancelCalls } from './workflow-cancel-calls.js';

export interface Canceller {
  /** `cancelled`: the code cancels this type; `unattributed`: it cancels a workflow whose type is not known. */
  kind: 'cancelled' | 'unattributed';
  location: SourceLocation;
  /** How, for messages: `client.ts:5 cancels it`. */
  how: string;
}

const cache = new WeakMap<TemporalModel, Map<string, Canceller | null>>();

/** The first thing in the code that cancels workflow type `name` (a sure cancel before an unattributed one); null when nothing does. */
export function cancellerOf(model: TemporalModel, name: string): Canceller | null {
  let byName = cache.get(model);
  if (!byName) cache.set(model, (byName = new Map()));
  return find(model, name, byName, new Set());
}

function find(model: TemporalModel, name: string, known: Map<string, Canceller | null>, visiting: Set<string>): Canceller | null {
  const cached = known.get(name);
  if (cached !== undefined) return cached;
  if (visiting.has(name)) return null;
  visiting.add(name);
  const where = (location: SourceLocation) => `${relativePath(model.root, location.file)}:${location.line}`;
  const candidates: Canceller[] = [];
  for (const cancel of workflowCancelCalls(model)) {
    if (cancel.types.includes(name)) candidates.push({ kind: 'cancelled', location: cancel.location, how: `${where(cancel.location)} cancels a handle of ${name}` });
  }
  for (const start of model.starts.filter((s) => s.child && s.workflowType === name)) {
    const parents = workflowsReaching(model, start.node);
    // A parent that starts the child in a mode (`{ dryRun: false }`) the child's code branches on
    // runs only some of its paths: whether that run reaches a given cleanup is not read.
    const mode = modeFlagBranchedOn(start, model);
    const sure: Canceller['kind'] = mode ? 'unattributed' : 'cancelled';
    const modeText = mode ? `; it starts it with ${mode}, which its code branches on, so whether that run reaches this cleanup is not known` : '';
    const parentText = parents.length > 0 ? parents.join(', ') : 'its parent';
    if (/REQUEST_CANCEL/.test(optionText(start, 'parentClosePolicy'))) {
      candidates.push({ kind: 'cancelled', location: start.location, how: `${parentText} starts it (${where(start.location)}) with parentClosePolicy REQUEST_CANCEL, so it is cancelled when ${parentText} closes first` });
      continue;
    }
    if (!followsParentCancellation(start)) continue;
    const scope = cancelledScopeAround(start.node, model);
    if (scope) {
      const cancels = scope.timeout ? `whose timeout cancels it (${where(scope.location)})` : `that ${where(scope.location)} cancels`;
      candidates.push({ kind: sure, location: scope.location, how: `it is started as a child (${where(start.location)}) in a cancellation scope ${cancels}${modeText}` });
      continue;
    }
    for (const parent of parents) {
      const above = find(model, parent, known, visiting);
      if (!above) continue;
      const how =
        above.kind === 'cancelled'
          ? `it is a child of ${parent} (${where(start.location)}), which is cancelled (${above.how}), and a cancelled parent cancels its children${modeText}`
          : `it is a child of ${parent} (${where(start.location)}), and ${above.how}`;
      candidates.push({ kind: above.kind === 'cancelled' ? sure : 'unattributed', location: above.location, how });
    }
  }
  for (const cancel of workflowCancelCalls(model)) {
    if (cancel.types.length > 0) continue;
    // A workflow cancelling its own child does not cancel itself.
    if (cancel.starts.length > 0 && cancel.starts.every((start) => start.child && workflowsReaching(model, start.node).includes(name))) continue;
    const what = cancel.starts.length > 0 ? `the workflow started at ${where(cancel.starts[0]!.location)}, whose type the tool cannot tell` : 'a workflow whose type the tool cannot tell (a handle from an id it cannot trace)';
    candidates.push({ kind: 'unattributed', location: cancel.location, how: `${where(cancel.location)} cancels ${what}` });
  }
  const result = candidates.find((c) => c.kind === 'cancelled') ?? candidates[0] ?? null;
  visiting.delete(name);
  // A result found while a cycle was open may be incomplete; cache only from the outermost call.
  if (visiting.size === 0 || result) known.set(name, result);
  return result;
}

/** Not in a non-cancellable scope, cancellationType not ABANDON, and not a startChild its author detached with parentClosePolicy ABANDON. */
function followsParentCancellation(start: WorkflowStart): boolean {
  for (let node: ts.Node | undefined = start.node.parent; node; node = node.parent) if (isShieldingCall(node)) return false;
  if (/ABANDON/.test(optionText(start, 'cancellationType'))) return false;
  return !(start.method === 'startChild' && /ABANDON/.test(optionText(start, 'parentClosePolicy')));
}

/**
 * A scope around the start that the code cancels: the start runs in the callback of
 * `CancellationScope.withTimeout(...)`, of `CancellationScope.cancellable(fn)` whose callback calls
 * `CancellationScope.current().cancel()`, or of `scope.run(fn)` where `scope.cancel()` is called.
 */
function cancelledScopeAround(startCall: ts.CallExpression, model: TemporalModel): { location: SourceLocation; timeout: boolean } | undefined {
  for (let node: ts.Node = startCall; node.parent; node = node.parent) {
    const parent = node.parent;
    if (!ts.isCallExpression(parent) || !parent.arguments.includes(node as ts.Expression)) continue;
    const callee = skipOuterExpressions(parent.expression);
    if (!ts.isPropertyAccessExpression(callee)) continue;
    const target = skipOuterExpressions(callee.expression);
    const onClass = /CancellationScope$/.test(target.getText());
    if (onClass && callee.name.text === 'withTimeout') return { location: model.locate(parent), timeout: true };
    if (onClass && callee.name.text === 'cancellable') {
      const current = currentScopeCancel(node);
      if (current) return { location: model.locate(current), timeout: false };
    }
    if (callee.name.text === 'run' && ts.isIdentifier(target)) {
      const declaration = model.declarationOf(target);
      const initializer = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? skipOuterExpressions(declaration.initializer) : undefined;
      if (!initializer || !ts.isNewExpression(initializer) || !/CancellationScope$/.test(initializer.expression.getText())) continue;
      const cancel = cancelOf(declaration!, model);
      if (cancel) return { location: model.locate(cancel), timeout: false };
    }
  }
  return undefined;
}

/** `CancellationScope.current().cancel()` inside a callback. */
function currentScopeCancel(callback: ts.Node): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'cancel') {
      const receiver = skipOuterExpressions(node.expression.expression);
      if (ts.isCallExpression(receiver) && /CancellationScope\.current$/.test(receiver.expression.getText())) found = node;
    }
    ts.forEachChild(node, visit);
  };
  visit(callback);
  return found;
}

/** `scope.cancel()` on the variable holding a scope, in the function that declares it. */
function cancelOf(declaration: ts.Declaration, model: TemporalModel): ts.CallExpression | undefined {
  let container: ts.Node | undefined = declaration.parent;
  while (container && !ts.isFunctionLike(container) && !ts.isSourceFile(container)) container = container.parent;
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'cancel' && node.arguments.length === 0) {
      const receiver = skipOuterExpressions(node.expression.expression);
      if (ts.isIdentifier(receiver) && model.declarationOf(receiver) === declaration) found = node;
    }
    ts.forEachChild(node, visit);
  };
  if (container) visit(container);
  return found;
}

/** The workflows whose code (the function and the workflow-code helpers it calls) contains a node. */
export function workflowsReaching(model: TemporalModel, node: ts.Node): string[] {
  const names: string[] = [];
  for (const workflow of model.workflows) {
    const reached = new Set<ts.Node>(reachedBy(model, workflow.node));
    for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
      if (reached.has(current)) {
        names.push(workflow.name);
        break;
      }
    }
  }
  return [...new Set(names)].sort();
}

const reachCache = new WeakMap<ts.Node, ts.Node[]>();
function reachedBy(model: TemporalModel, root: ts.FunctionLikeDeclaration): ts.Node[] {
  let reached = reachCache.get(root);
  if (!reached) reachCache.set(root, (reached = workflowCodeReached(model, root)));
  return reached;
}

/**
 * `flag: false` (or true) in an object the start passes as an argument, when the child's code
 * tests that property in a condition: the text `flag: false`, else undefined.
 */
function modeFlagBranchedOn(start: WorkflowStart, model: TemporalModel): string | undefined {
  const options = start.node.arguments[1] ? skipOuterExpressions(start.node.arguments[1]) : undefined;
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  const args = options.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'args');
  const list = args ? skipOuterExpressions(args.initializer) : undefined;
  if (!list || !ts.isArrayLiteralExpression(list)) return undefined;
  const flags = new Map<string, string>();
  for (const element of list.elements) {
    const object = skipOuterExpressions(element);
    if (!ts.isObjectLiteralExpression(object)) continue;
    for (const property of object.properties) {
      if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
      const value = property.initializer.kind;
      if (value === ts.SyntaxKind.TrueKeyword || value === ts.SyntaxKind.FalseKeyword) flags.set(property.name.text, property.getText());
    }
  }
  if (flags.size === 0) return undefined;
  const child = model.workflows.find((w) => w.name === start.workflowType);
  if (!child) return undefined;
  for (const fn of reachedBy(model, child.node)) {
    let found: string | undefined;
    const visit = (node: ts.Node): void => {
      if (found) return;
      const condition = ts.isIfStatement(node) ? node.expression : ts.isConditionalExpression(node) ? node.condition : undefined;
      if (condition) {
        const test = (inner: ts.Node): void => {
          if (found) return;
          if (ts.isPropertyAccessExpression(inner) && flags.has(inner.name.text)) found = flags.get(inner.name.text);
          else ts.forEachChild(inner, test);
        };
        test(condition);
      }
      ts.forEachChild(node, visit);
    };
    if ((fn as ts.FunctionLikeDeclaration).body) visit((fn as ts.FunctionLikeDeclaration).body!);
    if (found) return found;
  }
  return undefined;
}

/** An option of a start as written (`ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON`, `'ABANDON'`); '' when unset or unknown. */
function optionText(start: WorkflowStart, name: string): string {
  const options: StaticValue | undefined = start.options;
  if (!options || options.kind !== 'object') return '';
  const value = options.properties.get(name);
  if (!value) return '';
  if (value.kind === 'string') return value.written ?? value.value;
  if (value.kind === 'number') return value.written ?? '';
  return value.kind === 'unknown' ? value.text : '';
}
