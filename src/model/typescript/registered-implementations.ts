// Activities of a proxy whose type argument is written in the workflow file itself (an inline type
// literal `proxyActivities<{ charge(id: string): Promise<void> }>()`, or an interface or type alias
// declared beside the proxy): the type names no implementation module, but the workers that run
// the proxy's workflows register each activity under its name. A member resolves to the function
// those workers register under its name when that is the only function of that name: every polling
// worker that registers the name registers the same function, no polling worker's activity set is
// unreadable, and no other module of the project exports a different function of that name.

import ts from 'typescript';
import { registeredActivityKeys } from './activity-registration.js';
import { functionOfValue } from './activity-factories.js';
import { declarationOf, exportsOf, functionOfDeclaration } from './declarations.js';
import { property } from './extract-workers.js';
import { pollingWorkers } from '../activity-registration.js';
import type { ResolveContext } from './resolve-value.js';
import type { ActivityProxy, WorkerDefinition, WorkflowDefinition } from './types.js';

export interface RegisteredResolution {
  proxy: ActivityProxy;
  /** The exposed activity types no single registered implementation was found for. */
  unresolved: string[];
  /** The type argument named implementation files of its own (a payload type's module, the local interface's file). */
  namedFiles: boolean;
}

/** Whether the proxy's type argument is declared in the workflow file itself (inline, or a local interface or alias of a type literal). */
export function localActivityType(typeNode: ts.TypeNode, ctx: ResolveContext): boolean {
  if (ts.isTypeLiteralNode(typeNode)) return true;
  if (!ts.isTypeReferenceNode(typeNode) || !ts.isIdentifier(typeNode.typeName) || typeNode.typeArguments) return false;
  const declaration = declarationOf(typeNode.typeName, ctx.index);
  if (!declaration || declaration.getSourceFile() !== typeNode.getSourceFile()) return false;
  return ts.isInterfaceDeclaration(declaration) || (ts.isTypeAliasDeclaration(declaration) && ts.isTypeLiteralNode(declaration.type));
}

/**
 * Adds to the implementation files of each proxy with a local activity type the files of the
 * registered implementations of its members, and says which members stay unresolved.
 */
export function resolveByRegistration(
  proxies: ActivityProxy[],
  workflows: WorkflowDefinition[],
  workers: WorkerDefinition[],
  files: string[],
  ctx: ResolveContext,
): RegisteredResolution[] {
  const results: RegisteredResolution[] = [];
  let exported: Map<string, Set<ts.Node>> | undefined;
  const resolvedById = new Map<string, string[]>();
  for (const proxy of proxies) {
    if (proxy.origin !== 'proxy') continue;
    const typeNode = proxy.node.typeArguments?.[0];
    if (!typeNode || !localActivityType(typeNode, ctx)) continue;
    const running = workflows.filter((workflow) => proxy.workflowNames.includes(workflow.name) && workflow.workerIds.length > 0);
    const polling = running.length > 0 ? pollingWorkers(proxy, running.flatMap((workflow) => workflow.workerIds), workers) : [];
    const added = new Set<string>();
    const unresolved: string[] = [];
    for (const name of proxy.exposedActivityTypes) {
      // Already implemented by a module the type names (its payload types' module exports it).
      if (proxy.implementationFiles.some((file) => functionOfDeclaration(exportsOf(file, ctx.index).get(name)))) continue;
      const fn = registeredFunction(name, polling, ctx);
      exported ??= exportedFunctions(files, ctx);
      const others = [...(exported.get(name) ?? [])].filter((other) => other !== fn);
      if (fn && others.length === 0) added.add(fn.getSourceFile().fileName);
      else unresolved.push(name);
    }
    const namedFiles = proxy.implementationFiles.length > 0;
    const implementationFiles = [...new Set([...proxy.implementationFiles, ...added])].sort();
    proxy.implementationFiles = implementationFiles;
    resolvedById.set(proxy.id, implementationFiles);
    results.push({ proxy, unresolved, namedFiles });
  }
  for (const proxy of proxies) {
    const files = proxy.origin === 'override' && proxy.baseProxyId ? resolvedById.get(proxy.baseProxyId) : undefined;
    if (files) proxy.implementationFiles = files;
  }
  return results;
}

/** The one function the workers register under the name; undefined when none, several, or a worker's set is unreadable. */
function registeredFunction(name: string, workers: WorkerDefinition[], ctx: ResolveContext): ts.FunctionLikeDeclaration | undefined {
  if (workers.length === 0) return undefined;
  let found: ts.FunctionLikeDeclaration | undefined;
  for (const worker of workers) {
    const keys = registeredActivityKeys(worker);
    if (keys === 'unknown') return undefined;
    if (!keys.includes(name)) continue;
    const activities = property(worker.options, 'activities');
    // A key written after the literal on some paths only may hold another function.
    if (activities?.kind !== 'object' || activities.maybeProperties?.has(name)) return undefined;
    const value = activities.properties.get(name);
    const fn = value ? functionOfValue(value, ctx) : undefined;
    if (!fn || fn.getSourceFile().isDeclarationFile || (found && found !== fn)) return undefined;
    found = fn;
  }
  return found;
}

/** The functions the project's modules export, by exported name (re-exports followed to one function). */
function exportedFunctions(files: string[], ctx: ResolveContext): Map<string, Set<ts.Node>> {
  const byName = new Map<string, Set<ts.Node>>();
  for (const file of files) {
    const sourceFile = ctx.index.sourceFile(file);
    if (!sourceFile || sourceFile.isDeclarationFile) continue;
    for (const [name, declaration] of exportsOf(file, ctx.index)) {
      if (name === 'default') continue;
      const fn = functionOfDeclaration(declaration);
      if (!fn || fn.getSourceFile().isDeclarationFile) continue;
      const set = byName.get(name) ?? new Set<ts.Node>();
      set.add(fn);
      byName.set(name, set);
    }
  }
  return byName;
}
