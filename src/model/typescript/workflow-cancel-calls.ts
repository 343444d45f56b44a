// Where the reviewed code cancels a workflow, and which workflow type it cancels: `handle.cancel()`
// on a WorkflowHandle (client) or an ExternalWorkflowHandle (workflow code). A handle is known as
// a workflow handle by the receiver's type from the checker, or, when the checker cannot see the
// SDK's types, by the call that returned it. Its workflow type comes from the call that returned
// it: a start of that type, `getHandle<typeof x>(id)`, or an id traced to the workflowId a start
// sets (the same variable, or the same string or template shape). A cancel whose handle cannot be
// traced has no type: a cancel anywhere in a repository says nothing about one workflow.

import ts from 'typescript';
import { functionName, functionOfDeclaration } from './declarations.js';
import { skipOuterExpressions } from './temporal-api.js';
import type { SourceLocation, TemporalModel, WorkflowStart } from './types.js';

export interface WorkflowCancel {
  location: SourceLocation;
  /** Workflow types the cancelled handle starts or gets; empty when the tool cannot tell. */
  types: string[];
  /** Starts whose workflowId the handle's id matches (a child start: the parent cancels its own child). */
  starts: WorkflowStart[];
}

const HANDLE_TYPE = /WorkflowHandle/;
/** Calls that return a workflow handle, for code whose SDK types the checker cannot see. */
const HANDLE_CALLS = new Set(['getExternalWorkflowHandle', 'getHandle', 'getWorkflowHandle', 'startChild']);
const BY_ID = new Set(['getExternalWorkflowHandle', 'getHandle', 'getWorkflowHandle']);

const cache = new WeakMap<TemporalModel, WorkflowCancel[]>();

export function workflowCancelCalls(model: TemporalModel): WorkflowCancel[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const found = handleCalls(model, 'cancel').map(({ location, types, starts }) => ({ location, types, starts }));
  cache.set(model, found);
  return found;
}

export interface WorkflowTerminate extends WorkflowCancel {
  node: ts.CallExpression;
}

const terminateCache = new WeakMap<TemporalModel, WorkflowTerminate[]>();

/**
 * Where the reviewed code terminates a workflow: `handle.terminate(reason?)` on a client
 * WorkflowHandle, recognised the same way as a cancel (the receiver's type, or the call that
 * returned the handle).
 */
export function workflowTerminateCalls(model: TemporalModel): WorkflowTerminate[] {
  const cached = terminateCache.get(model);
  if (cached) return cached;
  const found = handleCalls(model, 'terminate');
  terminateCache.set(model, found);
  return found;
}

function handleCalls(model: TemporalModel, method: 'cancel' | 'terminate'): WorkflowTerminate[] {
  const found: WorkflowTerminate[] = [];
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    const checker = model.checkerFor(file);
    // Cheap text filter first: asking the checker for every call is not.
    if (!sourceFile || !checker || !sourceFile.text.includes(`.${method}(`)) continue;
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        node.expression.name.text === method &&
        node.arguments.length <= (method === 'cancel' ? 0 : 2)
      ) {
        const receiver = node.expression.expression;
        const source = handleSource(receiver, model);
        const type = checker.getTypeAtLocation(receiver);
        const name = (type.aliasSymbol ?? type.getSymbol())?.getName() ?? '';
        // Workflow code's handles (getExternalWorkflowHandle, startChild) have no terminate: only a client handle counts.
        const external = /External|Child/.test(name) || (source !== undefined && ['getExternalWorkflowHandle', 'startChild'].includes(calleeName(source)));
        if ((HANDLE_TYPE.test(name) || source) && !(method === 'terminate' && external)) {
          found.push({ node, location: model.locate(node), ...targetOf(source, model) });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

/** The call that returned the handle: `getHandle(id).cancel()`, or a variable initialized by `await start(...)`. */
export function handleSource(receiver: ts.Expression, model: TemporalModel): ts.CallExpression | undefined {
  let expression = skipOuterExpressions(receiver);
  if (ts.isIdentifier(expression)) {
    const declaration = model.declarationOf(expression);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    expression = skipOuterExpressions(declaration.initializer);
  }
  while (ts.isAwaitExpression(expression)) expression = skipOuterExpressions(expression.expression);
  if (!ts.isCallExpression(expression)) return undefined;
  const call = expression;
  return HANDLE_CALLS.has(calleeName(call)) || model.starts.some((start) => start.node === call) ? call : undefined;
}

/**
 * The workflow types a handle targets and how they were found: the start that returned it, the
 * type argument of getHandle, or the workflowId shape of starts. `foreignId`: the handle is got by
 * an id of a literal shape that no start of the project sets.
 */
export function handleTarget(source: ts.CallExpression | undefined, model: TemporalModel): { types: string[]; by?: 'typed' | 'started' | 'id'; foreignId?: string } {
  if (!source) return { types: [] };
  const { types, starts } = targetOf(source, model);
  if (types.length === 0) {
    // An id of a literal shape (`partner-${id}`) that no start of the project sets: presumably a
    // workflow another service starts.
    const id = BY_ID.has(calleeName(source)) && !typeArgumentName(source, model) && starts.length === 0 ? source.arguments[0] : undefined;
    const shape = id ? idShape(id, model, 0) : undefined;
    return shape ? { types, foreignId: shape } : { types };
  }
  if (model.starts.some((start) => start.node === source)) return { types, by: 'started' };
  return { types, by: starts.length > 0 ? 'id' : 'typed' };
}

function targetOf(source: ts.CallExpression | undefined, model: TemporalModel): Omit<WorkflowCancel, 'location'> {
  const none = { types: [], starts: [] };
  if (!source) return none;
  const started = model.starts.find((start) => start.node === source);
  if (started) return { types: started.workflowType ? [started.workflowType] : [], starts: [started] };
  if (!BY_ID.has(calleeName(source))) return none;
  const typed = typeArgumentName(source, model);
  if (typed) return { types: [typed], starts: [] };
  const id = source.arguments[0];
  if (!id) return none;
  const starts = model.starts.filter((start) => sameWorkflowId(id, start, model));
  if (starts.length === 0 || starts.some((start) => !start.workflowType)) return { types: [], starts };
  return { types: [...new Set(starts.map((start) => start.workflowType!))], starts };
}

/** `getHandle<typeof orderWorkflow>(id)`: the workflow named by the type argument. */
function typeArgumentName(call: ts.CallExpression, model: TemporalModel): string | undefined {
  const argument = call.typeArguments?.[0];
  if (!argument || !ts.isTypeQueryNode(argument)) return undefined;
  const name = argument.exprName;
  const identifier = ts.isIdentifier(name) ? name : name.right;
  const fn = functionOfDeclaration(model.declarationOf(identifier));
  return (fn && functionName(fn)) ?? identifier.text;
}

/** The handle's id is the workflowId a start sets: the same variable, or the same string or template shape. */
function sameWorkflowId(id: ts.Expression, start: WorkflowStart, model: TemporalModel): boolean {
  const written = workflowIdOf(start, model);
  if (!written) return false;
  const idDeclaration = variableOf(id, model);
  if (idDeclaration && idDeclaration === written.declaration) return true;
  const shape = idShape(id, model, 0);
  return shape !== undefined && shape === idShape(written.value, model, 0);
}

function workflowIdOf(start: WorkflowStart, model: TemporalModel): { value: ts.Expression; declaration?: ts.Declaration } | undefined {
  const options = start.node.arguments[1] ? skipOuterExpressions(start.node.arguments[1]) : undefined;
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  for (const property of options.properties) {
    if (!property.name || !ts.isIdentifier(property.name) || property.name.text !== 'workflowId') continue;
    if (ts.isPropertyAssignment(property)) return { value: property.initializer, declaration: variableOf(property.initializer, model) };
    if (ts.isShorthandPropertyAssignment(property)) {
      const symbol = model.checkerFor(start.node.getSourceFile().fileName)?.getShorthandAssignmentValueSymbol(property);
      return { value: property.name, declaration: symbol?.valueDeclaration };
    }
  }
  return undefined;
}

/** The variable or parameter an identifier names. */
function variableOf(expression: ts.Expression, model: TemporalModel): ts.Declaration | undefined {
  const node = skipOuterExpressions(expression);
  if (!ts.isIdentifier(node)) return undefined;
  const declaration = model.declarationOf(node);
  return declaration && (ts.isVariableDeclaration(declaration) || ts.isParameter(declaration)) ? declaration : undefined;
}

/**
 * The literal shape of an id: the string itself, or a template with each substitution as `*`
 * (`order-${id}` is `order-*`). Undefined when it has no literal text to compare.
 */
function idShape(expression: ts.Expression, model: TemporalModel, depth: number): string | undefined {
  const node = skipOuterExpressions(expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text.length > 0 ? `"${node.text}"` : undefined;
  if (ts.isTemplateExpression(node)) {
    const shape = node.head.text + node.templateSpans.map((span) => `*${span.literal.text}`).join('');
    return shape.replace(/\*/g, '').length > 0 ? `\`${shape}\`` : undefined;
  }
  if (ts.isIdentifier(node) && depth < 2) {
    const declaration = model.declarationOf(node);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0) {
      return idShape(declaration.initializer, model, depth + 1);
    }
  }
  return undefined;
}

function calleeName(call: ts.CallExpression): string {
  const callee = skipOuterExpressions(call.expression);
  return ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
}
