// Prevents activity code from running inside the workflow sandbox: a value import of an activity
// module bundles it (and its I/O dependencies) into workflow code, which fails the build or the task.

import { relative } from '../../engine/run-checks.js';
import { activityModuleImports } from '../../model/typescript/sandbox/activity-imports.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-imports-activity-implementation',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'A value import (not `import type`) of an activity implementation module into workflow code',
  run(ctx) {
    const model = ctx.model;
    // TypeScript sandbox semantics; the Python sandbox's are workflow-nondeterministic-call and workflow-sandbox-disabled.
    if (!model || model.language === 'python') return;
    for (const found of activityModuleImports(model)) {
      const module = relative(ctx.root, found.activityModule);
      ctx.report({
        location: found.location,
        message:
          `Workflow code imports the activity implementation module ${module} as a value. The bundler puts the ` +
          `activity code and everything it imports into the workflow sandbox: Node APIs there fail the bundle or the ` +
          `workflow task, and calling an activity function directly skips Temporal's scheduling, retries and timeouts.`,
        fix: `Import only its types (import type * as activities from '${found.specifier}') and call the activities through proxyActivities<typeof activities>(...).`,
        related: [{ file: found.activityModule, line: 1, column: 1, message: 'activity implementation module' }],
        data: { activityModule: module },
      });
    }
  },
});
