// Prevents workers that are never restarted: a liveness or readiness probe of the worker's
// Kubernetes workload that runs a command which always exits 0 (`node -e "process.exit(0)"`,
// `true`, `echo ok`) passes whatever the worker does, so a worker that is wedged or lost its
// connection to the Temporal server keeps its pod, and tasks wait on its task queue.

import path from 'node:path';
import { relative } from '../../engine/run-checks.js';
import { scanWorkloads, type Workload } from '../../engine/kubernetes-workloads.js';
import { probeChecksNothing } from '../../engine/probe-commands.js';
import { workerIdentityOf, workerRollout } from '../../engine/worker-rollout.js';
import { defineCheck } from '../define-check.js';

const CONSEQUENCE: Record<string, string> = {
  liveness: 'a worker that is wedged (an event loop blocked, pollers stopped) or lost its connection to the Temporal server is never restarted',
  readiness: 'a rollout counts a new worker ready (and stops the old ones) even when it never connects or polls its task queue',
};

export default defineCheck({
  id: 'worker-probe-checks-nothing',
  area: 'observability',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: "A liveness or readiness probe of a worker's Kubernetes workload whose command always succeeds",
  run(ctx) {
    const model = ctx.model;
    // Workloads are matched to workers through their entry points (as for worker-task-queue-versioned).
    if (!model || model.workers.length === 0) return;
    const workloads = scanWorkloads(ctx);
    if (workloads.length === 0) return;
    const reported = new Set<Workload>();
    for (const worker of model.workers) {
      const rollout = workerRollout(workloads, workerIdentityOf(ctx, model, worker));
      if (rollout.kind === 'no-manifests' || rollout.kind === 'unmatched') continue;
      for (const workload of rollout.workloads) {
        if (reported.has(workload)) continue;
        reported.add(workload);
        for (const container of workload.containers) {
          // A startup probe only delays the others: one that always passes loses nothing.
          const empty = container.probes.flatMap((probe) => {
            const command = probe.kind === 'startup' ? undefined : probeChecksNothing(probe.command);
            return command ? [{ ...probe, shown: command }] : [];
          });
          if (empty.length === 0) continue;
          const [first, ...rest] = empty;
          const kinds = empty.map((probe) => `${probe.kind} probe \`${probe.shown}\``).join(' and the ');
          const consequences = [...new Set(empty.map((probe) => CONSEQUENCE[probe.kind]))].join('; ');
          ctx.report({
            location: { file: path.resolve(ctx.root, workload.file), line: first!.line, column: 1 },
            message:
              `The ${kinds} of container ${container.name || '(unnamed)'} in ${workload.kind} ${workload.name || '(unnamed)'} (which runs the worker at ` +
              `${relative(ctx.root, worker.location.file)}:${worker.location.line}) always succeed${empty.length === 1 ? 's' : ''}, whatever state the worker is in: ${consequences}.`,
            fix:
              "Tie the probe to the worker's state: e.g. a small HTTP endpoint (or a file the worker process touches periodically) that reports healthy only while " +
              `${model.language === 'python' ? 'worker.is_running is True' : "worker.getState() is 'RUNNING'"}, so a stopped or failed worker fails the probe; or drop the probe rather than keep one that cannot fail.`,
            related: rest.map((probe) => ({ file: path.resolve(ctx.root, workload.file), line: probe.line, column: 1, message: `${probe.kind} probe` })),
            data: { workload: `${workload.kind} ${workload.name}`, container: container.name, probes: empty.map((probe) => ({ kind: probe.kind, command: probe.shown })) },
          });
        }
      }
    }
  },
});
