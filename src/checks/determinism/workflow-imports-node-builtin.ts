// Prevents a worker that cannot start: the workflow bundler rejects workflow code that reaches a
// Node built-in or a non-workflow Temporal package, directly or through a library (TEMPORAL-FACTS.md §1).

import { relative } from '../../engine/run-checks.js';
import { disallowedImportChains } from '../../model/typescript/sandbox/import-chains.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-imports-node-builtin',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'Workflow code reaches a Node built-in or a non-workflow Temporal package, directly or through its imports',
  run(ctx) {
    const model = ctx.model;
    // TypeScript sandbox semantics; the Python sandbox's are workflow-nondeterministic-call and workflow-sandbox-disabled.
    if (!model || model.language === 'python') return;
    for (const chain of disallowedImportChains(model)) {
      const first = chain.steps[0]!;
      const files = chain.steps.map((step) => relative(ctx.root, step.from));
      const path = [...files, chain.specifier].join(' → ');
      const temporalPackage = chain.module.startsWith('@temporalio/');
      ctx.report({
        location: first.location,
        message:
          `Workflow code imports '${chain.specifier}' (${path}). The SDK's workflow bundler rejects ` +
          `${temporalPackage ? 'this Temporal package, which only works outside the workflow sandbox' : 'Node built-ins other than assert, url and util'}, ` +
          `so Worker.create fails with "importing the following disallowed modules" and no workflow runs.`,
        fix: temporalPackage
          ? `Import only types from '${chain.specifier}' (import type), keep its runtime use in activities, client or worker code, or list it in bundlerOptions.ignoreModules if it is never called in workflow code.`
          : `Move the code that needs '${chain.specifier}' into an activity, import only types from it (import type), or, if it is never called at run time, add '${chain.module}' to bundlerOptions.ignoreModules.`,
        related: chain.steps.map((step) => ({ ...step.location, message: `imports '${step.specifier}'` })),
        data: { module: chain.module, chain: [...files, chain.specifier], entry: relative(ctx.root, chain.entry) },
      });
    }
  },
});
