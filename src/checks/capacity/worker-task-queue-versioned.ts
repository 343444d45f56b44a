// Prevents runs stranded by a rollout: a worker whose task queue is named with the release
// (package.json version, GIT_SHA, BUILD_ID) polls a new queue after each deploy, so the runs
// started before it stay on the old queue and need the old workers to keep polling until they
// finish. A Kubernetes Deployment updated in place replaces them at once: when the repository's
// manifests show one, the runs are stranded; when they show one workload per release, they are not.

import fs from 'node:fs';
import path from 'node:path';
import { relative } from '../../engine/run-checks.js';
import { scanWorkloads, type Workload } from '../../engine/kubernetes-workloads.js';
import { workerIdentityOf, workerRollout, type MatchedBy, type WorkerRollout } from '../../engine/worker-rollout.js';
import { versionSource } from '../../model/typescript/version-names.js';
import { defineCheck } from '../define-check.js';
import { workerVersioningOption } from '../../model/worker-versioning.js';


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
    // Starts whose task queue is named with the release of their own build.
    const releaseStarts = model.starts.flatMap((start) => {
      if (start.child) return [];
      const queue = start.options?.kind === 'object' ? start.options.properties.get('taskQueue') : undefined;
      const source = start.taskQueueRelease !== undefined ? (start.taskQueueRelease ?? undefined) : versionSource(queue, (node) => model.declarationOf(node));
      return source ? [{ start, source }] : [];
    });
    for (const worker of model.workers) {
      // A front-end that reads the queue's expression itself (Python) says what names a release in it.
      const source = worker.taskQueueRelease !== undefined ? (worker.taskQueueRelease ?? undefined) : versionSource(worker.taskQueue, (node) => model.declarationOf(node));
      if (!source || !worker.taskQueue) continue;
      const at = `${relative(ctx.root, worker.location.file)}:${worker.location.line}`;
      const opening = `The worker at ${at} polls a task queue named with ${source}, so each release polls a new queue. Runs started before a rollout stay on the old queue`;
      const keepOld =
        `Keep the workers of each release running until no open run uses its queue (or use Worker Versioning / build ids instead of versioned queue names), ` +
        `and make sure the rollout does not replace them all at once.`;
      const versioning = workerVersioningOption(worker);
      workloads ??= scanWorkloads(ctx);
      const rollout: WorkerRollout = versioning ? { kind: 'no-manifests' } : workerRollout(workloads, workerIdentityOf(ctx, model, worker));
      if (rollout.kind === 'per-release') continue;
      const manifests = rollout.kind === 'in-place' || rollout.kind === 'undecided' ? rollout.workloads : [];
      const starters = startersOf(ctx.root, worker.location.file, releaseStarts);
      const related = [
        ...manifests.map((w) => ({ file: path.resolve(ctx.root, w.file), line: w.strategyLine, column: 1, message: `${w.kind} ${w.name || '(unnamed)'}` })),
        ...starters.map(({ start, source: startSource }) => ({ ...start.location, message: `starts ${start.workflowType ?? 'a workflow'} on a task queue named with ${startSource}` })),
      ];
      const data = {
        versionSource: source,
        rollout: rollout.kind,
        ...(manifests.length ? { manifests: manifests.map((w) => `${w.file}:${w.strategyLine}`) } : {}),
        ...(starters.length ? { releaseNamedStarts: starters.map(({ start, package: pkg }) => ({ at: `${relative(ctx.root, start.location.file)}:${start.location.line}`, package: pkg, samePackage: pkg === starters.workerPackage })) } : {}),
      };
      const startSentence = describeStarters(ctx.root, starters);
      if (rollout.kind === 'in-place') {
        ctx.report({
          location: worker.taskQueue.location,
          severity: 'warning',
          message:
            `${opening}. ${describeWorkloads(rollout.workloads, rollout.matchedBy)}, ${rollout.workloads.length === 1 ? 'which is' : 'each'} updated in place: each rollout replaces the only workers that poll the previous release's queue, ` +
            `so runs still open on it (and the activities they schedule there) stop making progress until someone starts a worker of that release again.` + startSentence,
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
          `${opening}: they finish only if workers of the old release keep polling it until then; a deployment that replaces the old workers at once leaves them stalled. ${deployment}` + startSentence,
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

interface ReleaseStart {
  start: { location: { file: string; line: number; column: number }; workflowType: string | null };
  source: string;
}

type Starters = (ReleaseStart & { package: string })[] & { workerPackage: string };

/** The release-named starts, each with the deployable package (nearest package.json / pyproject.toml) it lives in. */
function startersOf(root: string, workerFile: string, starts: ReleaseStart[]): Starters {
  const workerPackage = packageOf(root, workerFile);
  const starters = starts.map((s) => ({ ...s, package: packageOf(root, s.start.location.file) }));
  return Object.assign(starters, { workerPackage });
}

/**
 * A sentence naming the starts whose task queue is named with the release of their own build; when
 * they live in another deployable package than the worker, the two builds' versions can drift.
 */
function describeStarters(root: string, starters: Starters): string {
  if (starters.length === 0) return '';
  const at = (s: ReleaseStart) => `${relative(root, s.start.location.file)}:${s.start.location.line}`;
  const elsewhere = starters.filter((s) => s.package !== starters.workerPackage);
  const names = starters.slice(0, 3).map(at).join(', ') + (starters.length > 3 ? ` and ${starters.length - 3} more` : '');
  const opening = ` The code that starts workflows names the task queue the same way (${names}).`;
  if (elsewhere.length === 0) return opening;
  const packages = [...new Set(elsewhere.map((s) => s.package || '(repository root)'))].join(', ');
  return (
    `${opening} ${elsewhere.length === starters.length ? 'Those starts are' : `${elsewhere.length} of them are`} in ${packages}, outside the worker's package (${starters.workerPackage || '(repository root)'}): ` +
    `the release in the name is the one built into the process that starts the run, so when the app that starts workflows and the worker are deployed at different versions, new runs start on a queue no worker polls.`
  );
}

const packageCache = new Map<string, string>();

/** The directory (relative to root) of the nearest package.json, pyproject.toml or setup.py above the file; '' for the root. */
function packageOf(root: string, file: string): string {
  let dir = path.dirname(file);
  const key = `${root}\0${dir}`;
  const cached = packageCache.get(key);
  if (cached !== undefined) return cached;
  let found = '';
  while (dir.startsWith(root) && dir !== root) {
    if (['package.json', 'pyproject.toml', 'setup.py'].some((name) => fs.existsSync(path.join(dir, name)))) {
      found = relative(root, dir);
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  packageCache.set(key, found);
  return found;
}
