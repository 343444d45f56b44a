// Which activities a Python workflow schedules per execution, in the shape the load model reads
// (workflow-activity-calls.ts does the same for TypeScript). Each `workflow.execute_activity(...)`
// call in the workflow class counts once; one inside a loop, a comprehension, a lambda or a nested
// function has an unknown count. Calls in functions outside the workflow class cannot be tied to a
// workflow, so they are listed as uncounted rather than guessed.

import type { ActivityCallCount, WorkflowActivityCalls } from '../typescript/observability/workflow-activity-calls.js';
import type { ActivityProxy, WorkflowDefinition } from '../typescript/types.js';
import type { PythonModel } from './build-python-model.js';

export function pythonWorkflowActivityCalls(model: PythonModel, workflow: WorkflowDefinition): WorkflowActivityCalls {
  const calls: ActivityCallCount[] = [];
  const uncountedProxies: ActivityProxy[] = [];
  for (const call of model.activityProxies as ActivityProxy[]) {
    if (call.workflowNames.length === 0) {
      // A helper outside any workflow class: which workflow runs it, and how often, is not known.
      uncountedProxies.push(call);
      continue;
    }
    if (!call.workflowNames.includes(workflow.name)) continue;
    if (call.usedActivityTypes === 'all') {
      uncountedProxies.push(call);
      continue;
    }
    for (const use of call.usedActivityTypes) {
      calls.push({
        activityType: use.name,
        proxy: call,
        count: call.repeatedAt ? 'unknown' : 1,
        sites: [call.location],
        ...(call.repeatedAt ? { repeatedAt: call.repeatedAt } : {}),
      });
    }
  }
  calls.sort((a, b) => a.activityType.localeCompare(b.activityType) || a.proxy.id.localeCompare(b.proxy.id));
  return { workflow, calls, uncountedProxies };
}
