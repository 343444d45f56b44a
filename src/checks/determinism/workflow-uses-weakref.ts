// Prevents workflow tasks that fail with DeterminismViolationError: the sandbox forbids WeakRef and
// FinalizationRegistry because garbage collection timing differs between execution and replay (TEMPORAL-FACTS.md §1).

import { DETERMINISM_VIOLATING_GLOBALS, globalReferences } from '../../model/typescript/sandbox/global-references.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-uses-weakref',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'Workflow code uses WeakRef or FinalizationRegistry',
  run(ctx) {
    const model = ctx.model;
    // TypeScript sandbox semantics; the Python sandbox's are workflow-nondeterministic-call and workflow-sandbox-disabled.
    if (!model || model.language === 'python') return;
    for (const reference of globalReferences(model, DETERMINISM_VIOLATING_GLOBALS)) {
      const maybe = reference.reach === 'maybe';
      ctx.report({
        location: reference.location,
        // Its function is only passed around as a value: whether workflow code calls it is not decided.
        ...(maybe ? { severity: 'warning' as const } : {}),
        message:
          `Workflow code uses ${reference.name}${maybe ? ' in a function passed around as a value (the reviewer cannot tell whether workflow code calls it)' : ''}. The sandbox throws DeterminismViolationError on it, because ` +
          `garbage collection runs at different times during execution and replay; the workflow task fails on every attempt.`,
        fix: 'Hold the object with a plain reference (or a Map keyed by id) and release it explicitly when the workflow is done with it.',
        data: { global: reference.name, reach: reference.reach },
      });
    }
  },
});
