// Prevents runs stranded by a rollout: a worker whose task queue is named with the release
// (package.json version, GIT_SHA, BUILD_ID) polls a new queue after each deploy, so the runs
// started before it stay on the old queue and need the old workers to keep polling until they
// finish. A Kubernetes Deployment updated in place replaces them at once: when the repository's
// manifests show one, the runs are stranded; when they show one workload per release, they are not.

import path from 'node:path';
import { relative } from '../../engine/run-checks.js';
import { scanWorkloads, type Workload } from '../../engine/kubernetes-workloads.js';
import { workerIdentityOf, workerRollout, type MatchedBy, type WorkerRollout } from '../../engine/worker-rollout.js';
import { versionSource } from '../../model/typescript/version-names.js';
import { defineCheck } from '../define-check.js';

/** Worker Versioning options (TypeScript, then Python): with them the server routes runs by build id, not by queue name alone. */
const VERSIONING_OPTIONS = ['workerDeploymentOptions', 'buildId', 'useVersioning', 'deployment_config', 'build_id', 'use_worker_versioning'];

export default defineCheck({
  id: 'worker-task-queue-versioned',
  area: 'capacity',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'A worker task queue named with the release version or build id: runs started before a rollout need the old workers to keep polling',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    let workloads: Workload[] | undefined;
    for (const worker of model.workers) {
      // A front-end that reads the queue's expression itself (Python) says what names a release in it.
      const source = worker.taskQueueRelease !== undefined ? (worker.taskQueueRelease ?? undefined) : versionSource(worker.taskQueue, (node) => model.declarationOf(node));
      if (!source || !worker.taskQueue) continue;
      const at = `${relative(ctx.root, worker.location.file)}:${worker.location.line}`;
      const opening = `The worker at ${at} polls a task queue named with ${source}, so each release polls a new queue. Runs started before a rollout stay on the old queue`;
      const keepOld =
        `Keep the workers of each release running until no open run uses its queue (or use Worker Versioning / build ids instead of versioned queue names), ` +
        `and make sure the rollout does not replace them all at once.`;
      const versioning = VERSIONING_OPTIONS.find((key) => worker.options.kind === 'object' && (worker.options.properties.has(key) || worker.options.maybeProperties?.has(key)));
      workloads ??= scanWorkloads(ctx);
      const rollout: WorkerRollout = versioning ? { kind: 'no-manifests' } : workerRollout(workloads, workerIdentityOf(ctx, model, worker));
      if (rollout.kind === 'per-release') continue;
      const manifests = rollout.kind === 'in-place' || rollout.kind === 'undecided' ? rollout.workloads : [];
      const related = manifests.map((w) => ({ file: path.resolve(ctx.root, w.file), line: w.strategyLine, column: 1, message: `${w.kind} ${w.name || '(unnamed)'}` }));
      const data = { versionSource: source, rollout: rollout.kind, ...(manifests.length ? { manifests: manifests.map((w) => `${w.file}:${w.strategyLine}`) } : {}) };
      if (rollout.kind === 'in-place') {
        ctx.report({
          location: worker.taskQueue.location,
          severity: 'warning',
          message:
            `${opening}. ${describeWorkloads(rollout.workloads, rollout.matchedBy)}, ${rollout.workloads.length === 1 ? 'which is' : 'each'} updated in place: each rollout replaces the only workers that poll the previous release's queue, ` +
            `so runs still open on it (and the activities they schedule there) stop making progress until someone starts a worker of that release again.`,
          fix:
            `Deploy each release as a workload of its own (named with the version) and remove it only when no open run uses its queue, ` +
            `or use a fixed task queue with Worker Versioning (for example the Temporal Worker Controller) so the server keeps routing old runs to workers of their build.`,
          related,
          data,
        });
        continue;
      }
      const deployment =
        versioning !== undefined
          ? `The worker sets ${versioning}: whether the workers of older releases keep polling their queues depends on how it is deployed.`
          : rollout.kind === 'undecided'
            ? `${describeWorkloads(rollout.workloads, rollout.matchedBy)}, but whether a rollout keeps the old workers is not decided by the manifests: ${rollout.reason}.`
            : rollout.kind === 'unmatched'
              ? `None of the ${rollout.workloads} Kubernetes workloads in the repository's manifests could be matched to this worker (by command, image or name), so how it is rolled out is not known.`
              : `The repository has no Kubernetes manifest that shows how it is deployed.`;
      ctx.report({
        location: worker.taskQueue.location,
        message:
          `${opening}: they finish only if workers of the old release keep polling it until then; a deployment that replaces the old workers at once leaves them stalled. ${deployment}`,
        fix: keepOld,
        related,
        data,
      });
    }
  },
});

function describeWorkloads(workloads: Workload[], matchedBy: MatchedBy): string {
  const how = matchedBy === 'command' ? 'its container command runs the worker' : matchedBy === 'image' ? "its image is named for the worker's package" : 'it is the only workload named for a worker';
  const names = workloads.map((w) => `${w.kind} ${w.name || '(unnamed)'} (${w.file}:${w.strategyLine}${strategyLabel(w)})`);
  return workloads.length === 1 ? `It runs as ${names[0]} (matched: ${how})` : `It runs as one of ${names.join(', ')} (matched: ${how})`;
}

/** `, RollingUpdate` for a Deployment or StatefulSet; nothing when a template sets the strategy. */
function strategyLabel(workload: Workload): string {
  if (workload.strategy === 'templated' || workload.strategy === 'versioned') return '';
  if (workload.strategy !== 'default') return `, ${workload.strategy}`;
  return workload.kind === 'Rollout' ? '' : ', RollingUpdate by default';
}
