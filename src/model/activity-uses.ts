// Which activity types a proxy really schedules, and the implementations behind them: the join
// between `activityProxies` and `activities` that the retry and timeout checks share, for a model
// of any language.

import type { ActivityImplementationFacts as ActivityImplementation, ActivityProxyFacts as ActivityProxy, CodeModel, SourceLocation } from './types.js';

export interface ActivityUse {
  /** The activity type. */
  type: string;
  /** Where the workflow takes it from the proxy; absent when the proxy escapes ('all'). */
  location?: SourceLocation;
  /** True when every place the workflows take it from the proxy calls it inside a handling try/catch (see ActivityTypeUse.handled). */
  handled?: boolean;
  /**
   * The implementations registered under this type. Several only when more than one module
   * exports a function of that name and the type argument does not tell them apart.
   */
  implementations: ActivityImplementation[];
}

/** The activity types a proxy schedules (every exposed type when it escapes), sorted by name. */
export function activityUsesOf(model: CodeModel, proxy: ActivityProxy): ActivityUse[] {
  const uses = new Map<string, ActivityUse>();
  const add = (type: string, location?: SourceLocation, handled?: boolean) => {
    const known = uses.get(type);
    if (known) {
      if (known.handled && !handled) delete known.handled;
      return;
    }
    uses.set(type, { type, ...(location ? { location } : {}), ...(handled ? { handled } : {}), implementations: implementationsOf(model, proxy, type) });
  };
  if (proxy.usedActivityTypes === 'all') for (const type of proxy.exposedActivityTypes) add(type);
  else for (const use of proxy.usedActivityTypes) add(use.name, use.location, use.handled);
  return [...uses.values()].sort((a, b) => a.type.localeCompare(b.type));
}

function implementationsOf(model: CodeModel, proxy: ActivityProxy, type: string): ActivityImplementation[] {
  const named = model.activities.filter((activity) => activity.name === type);
  if (named.length <= 1) return named;
  // The type argument names the implementation module; re-exports may put the function elsewhere,
  // so fall back to every same-named activity only when none sits in those files.
  const inTypeArgument = named.filter((activity) => proxy.implementationFiles.includes(activity.file));
  return inTypeArgument.length > 0 ? inTypeArgument : named;
}

/** Every implementation a proxy's uses reach, without duplicates. */
export function implementationsUsedBy(uses: ActivityUse[]): ActivityImplementation[] {
  const seen = new Set<ActivityImplementation>();
  for (const use of uses) for (const implementation of use.implementations) seen.add(implementation);
  return [...seen];
}

/**
 * The implementations some workflow can schedule: what the proxies' uses reach (every exposed type
 * of a proxy that escapes). An exported helper the activity calls directly, or an old version left
 * exported but never taken from a proxy, never crosses Temporal and is not here.
 */
export function scheduledActivities(model: CodeModel): Set<ActivityImplementation> {
  const scheduled = new Set<ActivityImplementation>();
  for (const proxy of model.activityProxies) {
    for (const implementation of implementationsUsedBy(activityUsesOf(model, proxy))) scheduled.add(implementation);
  }
  return scheduled;
}

const thrownCache = new WeakMap<CodeModel, Set<string>>();

/** Every error type some activity of the model throws (resolved types only). */
export function thrownErrorTypes(model: CodeModel): Set<string> {
  let types = thrownCache.get(model);
  if (!types) {
    types = new Set();
    for (const activity of model.activities) for (const error of activity.thrownErrors) if (error.type) types.add(error.type);
    thrownCache.set(model, types);
  }
  return types;
}
