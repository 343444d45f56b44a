// Which module requests the SDK's workflow bundler rejects (TEMPORAL-FACTS.md §1): Node built-ins
// other than assert/url/util, with or without `node:`, and the non-workflow Temporal packages.
// Mirrors @temporalio/worker's bundler: the match is on the request as written, before
// resolution, and a request also matches every subpath of a listed module.

import { builtinModules } from 'node:module';

/** The only Node built-ins the sandbox provides (exact names: `assert/strict` is still rejected). */
export const ALLOWED_BUILTIN_MODULES: readonly string[] = ['assert', 'url', 'util'];

/** Temporal packages (and entry points) that only work outside the workflow sandbox. */
export const DISALLOWED_TEMPORAL_MODULES: readonly string[] = [
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/common/lib/internal-non-workflow',
  '@temporalio/interceptors-opentelemetry/lib/client',
  '@temporalio/interceptors-opentelemetry/lib/worker',
  '@temporalio/interceptors-opentelemetry-v2/lib/client',
  '@temporalio/interceptors-opentelemetry-v2/lib/worker',
  '@temporalio/testing',
  '@temporalio/core-bridge',
];

const builtins = new Set(builtinModules.map(stripNodePrefix));

/** The request without its `node:` scheme, as the bundler compares it. */
export function stripNodePrefix(request: string): string {
  return request.startsWith('node:') ? request.slice('node:'.length) : request;
}

function matches(request: string, modules: Iterable<string>): boolean {
  for (const module of modules) {
    if (request === module || request.startsWith(`${module}/`)) return true;
  }
  return false;
}

/**
 * The disallowed module a request names (without `node:`), or null when the bundler accepts it.
 * A `node:` request is a built-in even when this Node version does not list it (`node:test`).
 */
export function disallowedModuleOf(request: string): string | null {
  const bare = stripNodePrefix(request);
  if (ALLOWED_BUILTIN_MODULES.includes(bare)) return null;
  if (request.startsWith('node:') || builtins.has(bare) || builtins.has(bare.split('/')[0]!)) return bare;
  if (matches(bare, DISALLOWED_TEMPORAL_MODULES)) return bare;
  return null;
}

/**
 * True when `bundlerOptions.ignoreModules` stubs the request out. The SDK compares without the
 * `node:` scheme; entries written with it are accepted too, so a reader's intent wins.
 */
export function isIgnoredModule(request: string, ignoreModules: readonly string[]): boolean {
  if (ignoreModules.length === 0) return false;
  return matches(stripNodePrefix(request), ignoreModules.map(stripNodePrefix));
}

/**
 * Temporal packages the SDK itself bundles into every workflow (`@temporalio/workflow`,
 * `@temporalio/common`, ...): the reviewer does not walk into them.
 */
export function isSdkWorkflowPackage(request: string): boolean {
  return request.startsWith('@temporalio/') && disallowedModuleOf(request) === null;
}
