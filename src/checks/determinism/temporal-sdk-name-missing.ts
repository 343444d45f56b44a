// Prevents code that stops at a name the Temporal SDK does not have: `workflow.RetryPolicy(...)`
// (RetryPolicy lives in temporalio.common) raises AttributeError when the line runs. In workflow
// code that exception is not an ApplicationError, so the SDK fails the workflow task and the server
// retries it until the code changes; in an activity every attempt fails; `from temporalio.workflow
// import RetryPolicy` stops the module from loading. The names are every top-level name of the
// module in any published release, so an old pinned SDK is never told a name it has is missing.

import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { MissingSdkName } from '../../model/python/python-sdk-names.js';
import { TEMPORALIO_NAMES_VERSIONS } from '../../model/python/temporalio-names.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'temporal-sdk-name-missing',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'Python code reads a name from a temporalio module that no SDK release has (workflow.RetryPolicy): the line raises AttributeError or ImportError',
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    const groups = new Map<string, MissingSdkName[]>();
    for (const use of model.missingSdkNames ?? []) {
      const key = `${use.kind} ${use.module}.${use.name}`;
      groups.set(key, [...(groups.get(key) ?? []), use]);
    }
    for (const uses of groups.values()) {
      // the worst place first: workflow code, then activities, then the rest
      const order = (use: MissingSdkName) => (use.context === 'workflow' ? 0 : use.context === 'activity' ? 1 : 2);
      const [first, ...rest] = [...uses].sort((a, b) => order(a) - order(b));
      if (!first) continue;
      const where = rest.length ? ` The same name is read at ${rest.length} more place${rest.length > 1 ? 's' : ''} (related locations).` : '';
      ctx.report({
        location: first.location,
        message:
          `${first.module} has no ${first.name} in any SDK release (${TEMPORALIO_NAMES_VERSIONS})${first.foundIn ? `; ${first.name} is in ${first.foundIn}` : ''}. ` +
          `${consequence(first)}${where}`,
        fix: first.foundIn
          ? `Import it from ${first.foundIn} (from ${first.foundIn} import ${first.name}) and use it by that name.`
          : `Use a name ${first.module} has (see the SDK's API reference for your version).`,
        ...(rest.length ? { related: rest.slice(0, 8).map((use) => ({ ...use.location, message: `${use.text}${use.context === 'other' ? '' : ` (${use.context} code)`}` })) } : {}),
        data: { module: first.module, name: first.name, foundIn: first.foundIn ?? null, contexts: [...new Set(uses.map((use) => use.context))] },
      });
    }
  },
});

function consequence(use: MissingSdkName): string {
  if (use.kind === 'import') return `\`from ${use.module} import ${use.name}\` raises ImportError when the module is loaded: whatever imports this file (the worker, when it is workflow or activity code) stops there.`;
  switch (use.context) {
    case 'workflow':
      return `\`${use.text}\` raises AttributeError when the workflow reaches it. That is not an ApplicationError: the SDK fails the workflow task and the server retries it until the code is fixed and deployed, so every run stays Running, stuck at this line.`;
    case 'activity':
      return `\`${use.text}\` raises AttributeError in every attempt of the activity, so its retry policy retries a failure no retry can fix (forever without maximum_attempts).`;
    case 'other':
      return `\`${use.text}\` raises AttributeError whenever this line runs.`;
  }
}
