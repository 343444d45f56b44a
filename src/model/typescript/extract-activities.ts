// Activity implementations: the exported functions of the modules the proxies' type arguments
// name (also functions exported as a factory's product), the functions of the object a factory
// returns when the type argument is `ReturnType<typeof factory>`, and the functions registered
// with Worker.create({ activities }) (namespace imports, object literals, factory functions
// returning objects of functions).

import ts from 'typescript';
import { catchesEveryFailure, failureFree, type FailureFree } from './failure-free-activity.js';
import { analyzeBehaviour } from './activity-behaviour.js';
import { classActivityMethods } from './activity-classes.js';
import { contractImplementations } from './contract-implementations.js';
import { declaredName, functionOfValue, producedFunction } from './activity-factories.js';
import { exportsOf, functionOfDeclaration } from './declarations.js';
import { property } from './extract-workers.js';
import { unfollowedCalls, unreadCallbacks } from './unfollowed-calls.js';
import { firstNetworkCall } from './transient-calls.js';
import { extractEach, type ExtractionFailure } from './extraction-guard.js';
import { runsInMemory } from './in-memory-activity.js';
import { manualBackoffOf } from './manual-backoff.js';
import { innerRetriesOf } from './inner-retries.js';
import { deadlineParametersOf } from './deadline-parameters.js';
import { locate } from './locate.js';
import { proxyImplementation } from './proxy-implementation.js';
import type { ResolveContext } from './resolve-value.js';
import type { ActivityImplementation, ActivityProxy, SourceLocation, WorkerDefinition } from './types.js';

export function extractActivities(proxies: ActivityProxy[], workers: WorkerDefinition[], ctx: ResolveContext, onFailure: ExtractionFailure, files: string[] = []): ActivityImplementation[] {
  const found = new Map<string, { name: string; fn: ts.FunctionLikeDeclaration; nameNode: ts.Node; wrapper?: ts.FunctionLikeDeclaration }>();
  const add = (name: string, fn: ts.FunctionLikeDeclaration, nameNode: ts.Node, wrapper?: ts.FunctionLikeDeclaration) => {
    const key = `${name}\u0000${fn.getSourceFile().fileName}\u0000${fn.pos}`;
    if (!found.has(key)) found.set(key, { name, fn, nameNode, ...(wrapper ? { wrapper } : {}) });
  };
  const implementations = proxies.flatMap((p) => (p.node.typeArguments?.[0] ? [proxyImplementation(p.node.typeArguments[0], ctx)] : []));
  for (const { name, fn, nameNode, wrapper } of implementations.flatMap((i) => i.produced)) add(name, fn, nameNode ?? declaredName(fn) ?? fn, wrapper);
  for (const file of new Set(implementations.flatMap((i) => i.modules))) {
    for (const [name, declaration] of exportsOf(file, ctx.index)) {
      const fn = functionOfDeclaration(declaration) ?? producedFunction(declaration, ctx);
      if (fn && name !== 'default' && !fn.getSourceFile().isDeclarationFile) add(name, fn, ts.getNameOfDeclaration(declaration) ?? fn);
    }
  }
  for (const proxy of proxies) {
    for (const { name, fn, method } of classActivityMethods(proxy, ctx.index)) add(name, fn, method.name);
  }
  for (const worker of workers) {
    const activities = property(worker.options, 'activities');
    if (activities?.kind !== 'object') continue;
    for (const [name, value] of activities.properties) {
      const fn = functionOfValue(value, ctx);
      if (fn && !fn.getSourceFile().isDeclarationFile) add(name, fn, declaredName(fn) ?? fn);
    }
  }
  // Activities a contract declares without a body and nothing above implements: the factories' objects that implement them.
  const implemented = new Set([...found.values()].map(({ name }) => name));
  const missing = new Set(proxies.flatMap((proxy) => proxy.exposedActivityTypes).filter((name) => !implemented.has(name)));
  for (const { name, fn, nameNode } of contractImplementations(proxies, missing, files, ctx)) add(name, fn, nameNode);
  const checker = (fn: ts.Node) => ctx.index.checkerFor(fn.getSourceFile().fileName);
  return extractEach([...found.values()], ({ fn }) => fn, 'an activity implementation', onFailure, ({ name, fn, nameNode, wrapper }): ActivityImplementation => {
    const behaviour = analyzeBehaviour(fn, ctx);
    // The wrapper runs around the body (a heartbeat timer, say); its throws and loops are its own.
    if (!behaviour.heartbeat && wrapper) behaviour.heartbeat = analyzeBehaviour(wrapper, ctx).heartbeat;
    const typeChecker = checker(fn);
    const manualBackoff = manualBackoffOf(fn, ctx);
    const innerRetries = innerRetriesOf(fn, ctx);
    const deadlineParameters = deadlineParametersOf(fn, ctx);
    const signature = typeChecker?.getSignatureFromDeclaration(fn);
    return {
      name,
      file: fn.getSourceFile().fileName,
      location: locate(nameNode),
      node: fn,
      heartbeat: behaviour.heartbeat,
      cancellation: behaviour.cancellation,
      thrownErrors: behaviour.thrownErrors,
      longRunning: behaviour.longRunning,
      moduleState: behaviour.moduleState,
      ...(behaviour.localPaths.length > 0 ? { localPaths: behaviour.localPaths } : {}),
      ...(behaviour.callTimeouts.length > 0 ? { callTimeouts: behaviour.callTimeouts } : {}),
      ...(behaviour.untimedCalls.length > 0 ? { untimedCalls: behaviour.untimedCalls } : {}),
      inMemory: runsInMemory(fn, ctx),
      ...optionalFailureFree(failureFree(fn, ctx), () => catchesEveryFailure(fn, ctx)),
      unfollowedCalls: unfollowedCalls(fn, ctx),
      ...optionalList('unreadCallbacks', behaviour.heartbeat ? [] : unreadCallbacks(fn, ctx)),
      networkCall: networkCallOf(fn, ctx),
      ...(manualBackoff ? { manualBackoff } : {}),
      ...(innerRetries.length > 0 ? { innerRetries } : {}),
      ...(deadlineParameters.length > 0 ? { deadlineParameters } : {}),
      parameterTypes: typeChecker ? fn.parameters.map((p) => typeChecker.getTypeAtLocation(p)) : [],
      returnType: signature ? typeChecker!.getReturnTypeOfSignature(signature) : undefined,
    };
  }).sort((a, b) => a.file.localeCompare(b.file) || a.location.line - b.location.line || a.name.localeCompare(b.name));
}

function optionalList<K extends string, T>(key: K, list: T[]): { [P in K]?: T[] } {
  return (list.length > 0 ? { [key]: list } : {}) as { [P in K]?: T[] };
}

function optionalFailureFree(value: FailureFree | undefined, caught: () => boolean): { failureFree?: FailureFree; failuresCaught?: boolean } {
  if (value) return { failureFree: value };
  return caught() ? { failuresCaught: true } : {};
}

/** The first awaited network call of an activity (in it or the helpers it calls), null when none. */
function networkCallOf(fn: ts.FunctionLikeDeclaration, ctx: ResolveContext): { text: string; location: SourceLocation } | null {
  const found = firstNetworkCall(fn, ctx);
  return found ? { text: found.text, location: locate(found.call) } : null;
}
