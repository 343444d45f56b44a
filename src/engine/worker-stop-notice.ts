// How a worker's end mid-attempt reaches the server when no heartbeat tells it: a worker that shuts
// down gracefully on SIGTERM (the TypeScript SDK's Runtime does by default; a Python process that
// handles the signal) reports its in-flight attempts at once (cancelled, failed, or finished), so a
// deploy, scale-in or node drain is noticed right away. Only a crash (kill -9, out of memory, a lost
// host) leaves an attempt to its timeout, plus a redeploy of a worker whose process ignores SIGTERM.

import type { CheckContext } from '../checks/define-check.js';
import type { ActivityImplementationFacts } from '../model/types.js';
import type { WorkerDefinition } from '../model/typescript/types.js';

/**
 * True for a worker whose process nothing turns SIGTERM into a shutdown (the front-end's
 * sigtermShutdown, Python only), unless the project's container stops it with SIGINT instead
 * (`STOPSIGNAL SIGINT`, `stop_signal: SIGINT`, `dumb-init --rewrite 15:2`), which asyncio.run turns
 * into a cancellation of the main task and the worker into a graceful shutdown.
 */
export function sigtermUnhandled(worker: Pick<WorkerDefinition, 'sigtermShutdown'>, ctx: CheckContext): boolean {
  if (worker.sigtermShutdown !== 'none') return false;
  const files = ctx.globProjectFiles(['**/Dockerfile', '**/Dockerfile.*', '**/*.Dockerfile', '**/*.dockerfile', '**/*compose*.yml', '**/*compose*.yaml']);
  return !files.some((file) => /^\s*STOPSIGNAL\s+(SIGINT|2)\b|^\s*stop_signal\s*:\s*["']?SIGINT\b|--rewrite\s+15:2\b/im.test(ctx.readProjectFile(file) ?? ''));
}

/**
 * Whether a redeploy ends one of these activities' attempts without a word to the server: a worker
 * that may run them (registers one of them, or whose registration was not read) does not shut down
 * on SIGTERM.
 */
export function redeployUnannounced(implementations: readonly ActivityImplementationFacts[], ctx: CheckContext): boolean {
  const model = ctx.model;
  if (!model) return false;
  const names = new Set(implementations.map((impl) => impl.name));
  return model.workers.some(
    (worker) => (worker.activityNames === 'unknown' || worker.activityNames.some((name) => names.has(name))) && sigtermUnhandled(worker, ctx),
  );
}

/**
 * What ends an attempt unnoticed, for a sentence "When a worker <words> mid-attempt": a crash, and a
 * redeploy only when the worker process has no graceful shutdown.
 */
export function unnoticedStop(implementations: readonly ActivityImplementationFacts[], ctx: CheckContext): string {
  return redeployUnannounced(implementations, ctx)
    ? 'crashes (killed, out of memory, its host lost) or is redeployed (nothing in its process shuts the worker down on SIGTERM)'
    : 'crashes (killed, out of memory, its host lost)';
}
