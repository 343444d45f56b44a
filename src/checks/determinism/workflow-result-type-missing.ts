// Prevents Python workflows that read an activity's (child workflow's) result as an object when the
// SDK hands it back as a dict: called by its name as a string with no `result_type=`, the result is
// decoded without a type hint, so a dataclass or pydantic model arrives as a dict and `result.field`
// raises AttributeError in workflow code (the facts: src/model/python/python-untyped-results.ts).

import { pythonModelOf } from '../../model/python/python-model-of.js';
import { relative } from '../../engine/run-checks.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-result-type-missing',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'Python workflow code calls an activity or child workflow by its name without result_type and reads the result as the class the implementation returns, which arrives as a dict',
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    for (const site of model.untypedResultReads ?? []) {
      const what = site.kind === 'activity' ? 'activity' : 'child workflow';
      const named = site.targets.map((t) => `"${t}"`).join(' or ');
      const where = `${relative(ctx.root, site.implementation.file)}:${site.implementation.line}`;
      const outcome = site.caught
        ? `an except clause around that read takes the error, so every run goes down its failure path`
        : `AttributeError is not a FailureError, so the workflow task fails and the server retries it until the code is fixed and deployed`;
      const more = site.others.length ? ` ${site.others.length} more call${site.others.length > 1 ? 's by name reach' : ' by name reaches'} the same read (related locations).` : '';
      ctx.report({
        location: site.location,
        message:
          `Workflow ${site.workflow} calls ${what} ${named} by name with ${site.call}(...) and no result_type=, then reads ${site.read.text} ` +
          `(line ${site.read.location.line}) as a ${site.returnType}, the class the implementation returns (${where}). ` +
          `Called by a string name, the SDK has no type hint for the result and the JSON payload converter returns it as a dict, ` +
          `so reading .${site.read.attribute} raises AttributeError: ${outcome}.${more}`,
        fix:
          `Pass result_type=${site.returnType} to ${site.call}(...), or call the ${what} by reference ` +
          `(${site.kind === 'activity' ? 'workflow.execute_activity(my_activity, ...)' : 'workflow.execute_child_workflow(MyWorkflow.run, ...)'}) so the SDK reads its return type.`,
        related: [
          { ...site.read.location, message: `reads .${site.read.attribute} of the result` },
          ...site.others.map((o) => ({ ...o, message: `another call by name without result_type whose result reaches this read` })),
        ],
        data: { workflow: site.workflow, targets: site.targets, returnType: site.returnType, attribute: site.read.attribute, caught: site.caught },
      });
    }
  },
});
