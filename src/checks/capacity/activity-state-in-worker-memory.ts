// Prevents activities that silently lose their inputs: one activity stores per-workflow state in a
// module-level Map of the worker process and another activity reads it back. Temporal may run the
// second one on another worker, or after this worker restarted; the entry is then missing.
// Info: whether a missing entry loses anything depends on what the entry holds (work the reader
// needs, or only optional hooks that default to doing nothing), which the review cannot tell.

import { defineCheck } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { ActivityImplementationFacts as ActivityImplementation, ModuleStateUse } from '../../model/types.js';

/** A key that names one workflow run: the state is per workflow, not a process-wide cache. */
const WORKFLOW_KEY = /workflow_?id|\brunId\b|workflowExecution/i;

interface StateGroup {
  name: string;
  declaration: ModuleStateUse['declaration'];
  uses: { implementation: ActivityImplementation; use: ModuleStateUse }[];
}

export default defineCheck({
  id: 'activity-state-in-worker-memory',
  area: 'capacity',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: "One activity stores per-workflow state in a module-level Map of the worker process and another reads it: on another worker or after a restart the entry is missing.",
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    const reviews = proxyReviews(model);
    const scheduled = (implementation: ActivityImplementation) => reviews.some((review) => review.uses.some((use) => use.implementations.includes(implementation)));
    const groups = new Map<string, StateGroup>();
    for (const implementation of model.activities) {
      if (!scheduled(implementation)) continue;
      for (const use of implementation.moduleState ?? []) {
        const key = `${use.declaration.file}:${use.declaration.line}:${use.declaration.column}`;
        const group = groups.get(key) ?? { name: use.name, declaration: use.declaration, uses: [] };
        group.uses.push({ implementation, use });
        groups.set(key, group);
      }
    }
    for (const group of groups.values()) {
      const writes = group.uses.filter((u) => u.use.op === 'write');
      const writers = [...new Set(writes.map((u) => u.implementation))];
      // An activity that fills the entry itself when it is missing (a read-through cache) does not depend on another one.
      const reads = group.uses.filter((u) => u.use.op === 'read' && !writers.includes(u.implementation) && u.use.key !== undefined && WORKFLOW_KEY.test(u.use.key));
      const readers = [...new Set(reads.map((u) => u.implementation))];
      if (writers.length === 0 || readers.length === 0) continue;
      const readerNames = readers.map((impl) => impl.name).sort();
      const writerNames = writers.map((impl) => impl.name).sort();
      const firstWrite = writes[0]!.use;
      const firstRead = reads[0]!.use;
      // Where the activity's own code reaches the use: the helper that holds it is shared.
      const at = (use: ModuleStateUse) => {
        const spot = use.via?.[0] ?? use.location;
        return `${relativePath(model.root, spot.file)}:${spot.line}`;
      };
      ctx.report({
        location: group.declaration,
        message:
          `\`${group.name}\` is a module-level collection in the worker process's memory, keyed by workflow: ${listNames(writerNames)} ${writerNames.length === 1 ? 'stores' : 'store'} entries in it ` +
          `(at ${at(firstWrite)}) and ${listNames(readerNames, 6)} only ${readerNames.length === 1 ? 'reads' : 'read'} them back ` +
          `(\`${firstRead.name}\` looked up by \`${firstRead.key}\`, reached at ${at(firstRead)}). Temporal runs each activity on whichever worker polls the task queue, and a retry or the next activity ` +
          `may run after this worker restarted or was redeployed: then the entry is missing, and ${readerNames.length === 1 ? 'the reader goes' : 'the readers go'} on without what was stored ` +
          `(the lookup returns undefined), silently or with an error, depending on the code.`,
        fix:
          'Keep per-workflow state where every worker can read it: pass it from the workflow as an activity argument (the workflow holds it in its history), ' +
          'store it in a database or object store keyed by workflow id, or rebuild it in the reading activity when the lookup misses.',
        related: [
          ...writes.slice(0, 4).map((u) => ({ ...(u.use.via?.[0] ?? u.use.location), message: `${u.implementation.name} stores an entry` })),
          ...reads.slice(0, 8).map((u) => ({ ...(u.use.via?.[0] ?? u.use.location), message: `${u.implementation.name} reads it back` })),
        ],
        data: { state: group.name, writers: writerNames, readers: readerNames },
      });
    }
  },
});
