// Workflow definitions: the exported functions of each worker's workflowsPath module (and what it
// re-exports), or, without workers, of modules that import @temporalio/workflow. Plus their
// signal/query/update handlers.

import ts from 'typescript';
import type { CodeIndex } from './code-index.js';
import { functionsReachedFrom } from './call-reach.js';
import { declarationOf, exportsOf, functionOfDeclaration } from './declarations.js';
import type { ExtractionFailure } from './extraction-guard.js';
import { locate } from './locate.js';
import { resolveValue, type ResolveContext } from './resolve-value.js';
import { importBindings, isTemporalApi, skipOuterExpressions, temporalApiOf } from './temporal-api.js';
import type { WorkerDefinition, WorkflowDefinition, WorkflowHandler, WorkflowHandlerKind } from './types.js';

/** Where workflows are exported from: worker modules (with the worker's id) and other known roots. */
export interface WorkflowSources {
  /**
   * Modules whose exports are workflows: a worker's workflowsPath, or a bundleWorkflowCode workflowsPath;
   * `via` when it was read from the working directory's packages or from a worker factory's callers.
   */
  modules: { file: string; workerId?: string; via?: 'working-directory' | 'callers' }[];
  /** Modules recognised by their use of @temporalio/workflow, when some worker's module is unknown. */
  guessed: string[];
  /**
   * For a worker whose workflowsPath comes from the callers of a wrapper (by worker id): the values
   * where following those callers stopped, so a module passed there is unknown.
   */
  unfollowed?: Map<string, { nodes: ts.Node[]; missing: string[] }>;
}

export function extractWorkflows(sources: WorkflowSources, files: string[], ctx: ResolveContext, onFailure: ExtractionFailure): WorkflowDefinition[] {
  const modelled = new Set(files);
  const byNode = new Map<ts.Node, WorkflowDefinition>();
  const add = (name: string, fn: ts.FunctionLikeDeclaration, nameNode: ts.Node, workerId?: string) => {
    if (!modelled.has(fn.getSourceFile().fileName)) return;
    let workflow = byNode.get(fn);
    if (!workflow) {
      let handlers: WorkflowHandler[] = [];
      const openHandlers: NonNullable<WorkflowDefinition['openHandlers']> = [];
      try {
        handlers = extractHandlers(fn, ctx, openHandlers);
      } catch (error) {
        onFailure(fn, `the handlers of workflow ${name}`, error);
        openHandlers.push({ kind: 'signal', reason: 'its handlers could not be read', location: locate(nameNode) }, { kind: 'update', reason: 'its handlers could not be read', location: locate(nameNode) });
      }
      workflow = { name, file: fn.getSourceFile().fileName, location: locate(nameNode), node: fn, handlers, ...(openHandlers.length > 0 ? { openHandlers } : {}), workerIds: [] };
      byNode.set(fn, workflow);
    }
    if (workerId && !workflow.workerIds.includes(workerId)) workflow.workerIds.push(workerId);
  };
  for (const { file, workerId } of sources.modules) {
    for (const [name, declaration] of exportsOf(file, ctx.index)) {
      const fn = functionOfDeclaration(declaration);
      if (fn && name !== 'default') add(name, fn, ts.getNameOfDeclaration(declaration) ?? fn, workerId);
    }
  }
  const candidates: { name: string; fn: ts.FunctionLikeDeclaration; declaration: ts.Declaration }[] = [];
  for (const file of sources.guessed) {
    for (const [name, declaration] of exportsOf(file, ctx.index)) {
      const fn = functionOfDeclaration(declaration);
      if (fn && name !== 'default' && isAsync(fn) && fn.getSourceFile().fileName === file) candidates.push({ name, fn, declaration });
    }
  }
  // A function other code calls directly is a helper the workflows share, not a workflow type.
  const calledDirectly = candidates.length > 0 ? directlyCalledFunctions(files, new Set(candidates.map((c) => c.name)), ctx.index) : new Set<ts.Node>();
  for (const { name, fn, declaration } of candidates) {
    if (!calledDirectly.has(fn)) add(name, fn, ts.getNameOfDeclaration(declaration) ?? fn);
  }
  return [...byNode.values()].sort((a, b) => a.file.localeCompare(b.file) || a.location.line - b.location.line || a.name.localeCompare(b.name));
}

/** True when some worker's workflows cannot be located, so modules are recognised by their imports. */
export function workflowsModuleUnknown(workers: WorkerDefinition[]): boolean {
  return workers.length === 0 || workers.some((w) => w.workflowsUnresolved);
}

/**
 * Files that use @temporalio/workflow as a value (an API call, not only a type such as
 * `LoggerSinks` imported without `import type`), and @temporalio/activity not at all.
 */
export function workflowModulesWithoutWorker(files: string[], index: CodeIndex): string[] {
  return files.filter((file) => {
    const sourceFile = index.sourceFile(file);
    if (!sourceFile || !sourceFile.text.includes('@temporalio/workflow')) return false;
    const bindings = [...importBindings(sourceFile).entries()];
    const names = bindings.filter(([, b]) => b.module === '@temporalio/workflow' && !b.typeOnly).map(([local]) => local);
    if (names.length === 0 || !usesAsValue(sourceFile, new Set(names))) return false;
    // A module that runs in an activity (its Context, heartbeats) is activity code that borrows an
    // SDK enum or type from @temporalio/workflow; the workflow bundler would reject it anyway.
    const activityNames = bindings.filter(([, b]) => b.module === '@temporalio/activity' && !b.typeOnly).map(([local]) => local);
    return !(activityNames.length > 0 && usesAsValue(sourceFile, new Set(activityNames)));
  });
}

/** Whether any of the local names is referenced outside type positions and import declarations. */
function usesAsValue(sourceFile: ts.SourceFile, names: Set<string>): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || ts.isImportDeclaration(node) || ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isIdentifier(node) && names.has(node.text) && !isDeclarationName(node)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node) || (ts.isPropertyDeclaration(parent) && parent.name === node) || (ts.isMethodDeclaration(parent) && parent.name === node);
}

/** Functions some reviewed code calls by name (`helper(x)`, `ns.helper(x)`), resolved through imports. */
function directlyCalledFunctions(files: string[], names: Set<string>, index: CodeIndex): Set<ts.Node> {
  const called = new Set<ts.Node>();
  for (const file of files) {
    const sourceFile = index.sourceFile(file);
    if (!sourceFile) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = skipOuterExpressions(node.expression);
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (name !== undefined && names.has(name)) {
          const declaration = declarationOf(callee as ts.Identifier | ts.PropertyAccessExpression, index);
          const fn = declaration ? functionOfDeclaration(declaration) : undefined;
          if (fn) called.add(fn);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return called;
}

function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  if (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return true;
  return fn.type !== undefined && /^Promise\b/.test(fn.type.getText());
}

const DEFINE_KINDS: Record<string, WorkflowHandlerKind> = { defineSignal: 'signal', defineQuery: 'query', defineUpdate: 'update' };

const DEFAULT_HANDLERS: Record<string, WorkflowHandlerKind> = { setDefaultSignalHandler: 'signal', setDefaultUpdateHandler: 'update', setDefaultQueryHandler: 'query' };

/**
 * setHandler calls in the workflow and in the helpers it calls. `open` receives the registrations
 * that may take other names: a default handler, a setHandler whose definition or name does not resolve.
 */
function extractHandlers(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext, open: NonNullable<WorkflowDefinition['openHandlers']> = []): WorkflowHandler[] {
  const handlers: WorkflowHandler[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isTemporalApi(node.expression, ctx.index, 'setHandler') && node.arguments[0]) {
      const handler = handlerFromDefinition(node.arguments[0], node, ctx);
      if (handler) handlers.push(handler);
      if (!handler || handler.name === null) {
        const reason = `a setHandler whose name the reviewer cannot resolve (\`${node.arguments[0].getText().slice(0, 60)}\`)`;
        for (const kind of handler ? [handler.kind] : (['signal', 'update'] as const)) open.push({ kind, reason, location: locate(node) });
      }
    } else if (ts.isCallExpression(node)) {
      const api = temporalApiOf(node.expression, ctx.index, Object.keys(DEFAULT_HANDLERS));
      const kind = api ? DEFAULT_HANDLERS[api.name] : undefined;
      if (kind) open.push({ kind, reason: `a default ${kind} handler (${api!.name})`, location: locate(node) });
    }
    ts.forEachChild(node, visit);
  };
  for (const reached of functionsReachedFrom(fn, ctx.index)) {
    if (ts.isFunctionLike(reached) && 'body' in reached && reached.body) visit(reached.body);
  }
  return handlers.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
}

function handlerFromDefinition(definition: ts.Expression, setHandlerCall: ts.CallExpression, ctx: ResolveContext): WorkflowHandler | undefined {
  let expression = skipOuterExpressions(definition);
  if (ts.isIdentifier(expression) || ts.isPropertyAccessExpression(expression)) {
    const declaration = declarationOf(expression, ctx.index);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) expression = skipOuterExpressions(declaration.initializer);
  }
  if (!ts.isCallExpression(expression)) return undefined;
  const api = temporalApiOf(expression.expression, ctx.index, Object.keys(DEFINE_KINDS));
  const kind = api ? DEFINE_KINDS[api.name] : undefined;
  if (!kind) return undefined;
  const nameValue = expression.arguments[0] ? resolveValue(expression.arguments[0], ctx) : undefined;
  const checker = ctx.index.checkerFor(expression.getSourceFile().fileName);
  const typeArguments = expression.typeArguments ?? ts.factory.createNodeArray<ts.TypeNode>();
  const argsNode = kind === 'signal' ? typeArguments[0] : typeArguments[1];
  const resultNode = kind === 'signal' ? undefined : typeArguments[0];
  return {
    kind,
    name: nameValue?.kind === 'string' ? nameValue.value : null,
    location: locate(setHandlerCall),
    definitionLocation: locate(expression),
    argTypes: checker && argsNode ? tupleElementTypes(argsNode, checker) : [],
    resultType: checker && resultNode ? checker.getTypeFromTypeNode(resultNode) : undefined,
  };
}

function tupleElementTypes(node: ts.TypeNode, checker: ts.TypeChecker): ts.Type[] {
  if (ts.isTupleTypeNode(node)) {
    return node.elements.map((element) => checker.getTypeFromTypeNode(ts.isNamedTupleMember(element) ? element.type : element));
  }
  const type = checker.getTypeFromTypeNode(node);
  return checker.isTupleType(type) ? [...checker.getTypeArguments(type as ts.TypeReference)] : [type];
}
