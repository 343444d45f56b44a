// Prevents runs stranded by a rollout: a worker whose task queue is named with the release
// (package.json version, GIT_SHA, BUILD_ID) polls a new queue after each deploy, so the runs
// started before it stay on the old queue and need the old workers to keep polling until they
// finish. Whether they do is a property of the deployment, which the code does not show.

import { relative } from '../../engine/run-checks.js';
import { versionSource } from '../../model/typescript/version-names.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'worker-task-queue-versioned',
  area: 'capacity',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'A worker task queue named with the release version or build id: runs started before a rollout need the old workers to keep polling',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const worker of model.workers) {
      const source = versionSource(worker.taskQueue, (node) => model.declarationOf(node));
      if (!source || !worker.taskQueue) continue;
      ctx.report({
        location: worker.taskQueue.location,
        message:
          `The worker at ${relative(ctx.root, worker.location.file)}:${worker.location.line} polls a task queue named with ${source}, so each release polls a new queue. ` +
          `Runs started before a rollout stay on the old queue: they finish only if workers of the old release keep polling it until then; ` +
          `a deployment that replaces the old workers at once leaves them stalled. The reviewer cannot see the deployment.`,
        fix:
          `Keep the workers of each release running until no open run uses its queue (or use Worker Versioning / build ids instead of versioned queue names), ` +
          `and make sure the rollout does not replace them all at once.`,
        data: { versionSource: source },
      });
    }
  },
});
