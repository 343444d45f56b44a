// Prevents Python workflows stuck on bad input: a conversion of received data that raises a plain
// exception (pydantic's ValidationError, an Enum's ValueError, a split unpacked into the wrong number
// of names) fails the workflow task instead of the workflow, and the server retries that task until
// the code changes. One finding per workflow type (or interceptor): its other conversions are related
// locations, so one fix is one finding.

import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { ConversionSite } from '../../model/python/python-workflow-conversions.js';
import { relative } from '../../engine/run-checks.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'workflow-conversion-fails-task',
  area: 'determinism',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Python workflow code converts data it received (model_validate, Enum(value), a split unpacked into names) with nothing to turn a failed conversion into an ApplicationError',
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    for (const group of model.workflowConversions ?? []) {
      const [first, ...rest] = group.sites;
      if (!first) continue;
      const who = group.interceptor
        ? `Workflow interceptor ${group.owners.join(', ')} (it runs inside every workflow of the workers that install it)`
        : `Workflow ${group.owners.join(', ')}`;
      const more = rest.length ? ` It does the same at ${rest.length} more place${rest.length > 1 ? 's' : ''} (related locations).` : '';
      ctx.report({
        location: first.location,
        message:
          `${who} ${describe(first)}${reached(first, ctx.root)}. ` +
          `That exception is not an ApplicationError: the Python SDK fails the workflow task instead of the workflow, and the server ` +
          `retries that task until the code is fixed and deployed, so the workflow looks Running but is stuck on this input.${more}`,
        fix:
          `Catch the conversion error where it happens and raise ApplicationError(message, type="InvalidInput", non_retryable=True) from it, ` +
          `or list ${first.errorType === 'ValidationError' ? 'pydantic.ValidationError (a ValueError)' : 'ValueError'} in ` +
          `@workflow.defn(failure_exception_types=[...]) or the worker's workflow_failure_exception_types so a bad input fails the workflow.`,
        ...(rest.length ? { related: rest.slice(0, 8).map((site) => ({ ...site.location, message: describe(site) + reached(site, ctx.root) })) } : {}),
        data: { owners: group.owners, interceptor: group.interceptor, kinds: group.sites.map((s) => s.kind), errorType: first.errorType },
      });
    }
  },
});

function describe(site: ConversionSite): string {
  switch (site.kind) {
    case 'model-validate':
      return `validates data it received with ${site.text}, which raises pydantic's ValidationError when the data does not fit the model`;
    case 'enum':
      return `builds an Enum member from data it received with ${site.text}, which raises ValueError for a value the Enum does not have`;
    case 'split-unpack':
      return `unpacks a split of text it received (${site.text}), which raises ValueError when the text holds another number of parts`;
  }
}

function reached(site: ConversionSite, root: string): string {
  return site.via.length ? ` (reached through ${site.via.map((v) => `${relative(root, v.file)}:${v.line}`).join(' → ')})` : '';
}
