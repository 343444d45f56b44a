// Prevents state leaking between workflow executions: module-level variables written by workflow
// functions live outside the workflow, so executions sharing the worker's V8 context (reuseV8Context,
// the default, TEMPORAL-FACTS.md §1) can see each other's values, and history does not record them.

import { relative } from '../../engine/run-checks.js';
import { mutableModuleState } from '../../model/typescript/sandbox/module-state.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-module-mutable-state',
  area: 'determinism',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'Module-level variables, objects, arrays, Maps or Sets in workflow files that workflow functions mutate',
  run(ctx) {
    const model = ctx.model;
    // TypeScript sandbox semantics; the Python sandbox's are workflow-nondeterministic-call and workflow-sandbox-disabled.
    if (!model || model.language === 'python') return;
    for (const state of mutableModuleState(model)) {
      const first = state.mutations[0]!;
      const where = `${relative(ctx.root, first.location.file)}:${first.location.line}`;
      ctx.report({
        location: state.location,
        message:
          `Module-level '${state.name}' is mutated by workflow code (${first.how} at ${where}). State outside the ` +
          `workflow function is not part of the workflow's history: with reuseV8Context it lives in a V8 context ` +
          `shared by many executions, so whenever module isolation does not hold (shared or preloaded modules, ` +
          `bundler changes) one execution sees another's values and replays diverge.`,
        fix: `Keep '${state.name}' inside the workflow function (or an object created per execution and passed to helpers), not at module level.`,
        related: state.mutations.slice(0, 5).map((mutation) => ({ ...mutation.location, message: `${mutation.how} of '${state.name}'` })),
        data: { variable: state.name, declarationKind: state.declarationKind, mutations: state.mutations.length },
      });
    }
  },
});
