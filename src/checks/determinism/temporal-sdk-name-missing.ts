// Prevents code that stops at a name the Temporal SDK does not have: `workflow.RetryPolicy(...)`
// (RetryPolicy lives in temporalio.common) raises AttributeError when the line runs. In workflow
// code that exception is not an ApplicationError, so the SDK fails the workflow task and the server
// retries it until the code changes; in an activity every attempt fails; `from temporalio.workflow
// import RetryPolicy` stops the module from loading. The names are every top-level name of the
// module in any published release, so an old pinned SDK is never told a name it has is missing.
// The same holds for members of the SDK's client objects: `client.get_service_client()` on a
// temporalio.client.Client (the attribute is `service_client`) raises AttributeError, and a broad
// `except Exception` around it turns the rest of the try block into dead code that only logs.
// In workflow code, an `except Exception` on the way out of the run method (around the line, or
// around every call of the helper method holding it) that does not re-raise takes the
// AttributeError: no stuck task, the run goes down the handler's path (a warning, saying so).

import path from 'node:path';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { MissingSdkMember } from '../../model/python/python-sdk-members.js';
import type { MissingSdkName } from '../../model/python/python-sdk-names.js';
import { TEMPORALIO_MEMBERS_VERSIONS } from '../../model/python/temporalio-members.js';
import { TEMPORALIO_NAMES_VERSIONS } from '../../model/python/temporalio-names.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'temporal-sdk-name-missing',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'Python code reads a name from a temporalio module, or a member of a temporalio Client or WorkflowHandle, that no SDK release has (workflow.RetryPolicy, client.get_service_client): the line raises AttributeError or ImportError',
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    const groups = new Map<string, MissingSdkName[]>();
    for (const use of model.missingSdkNames ?? []) {
      const key = `${use.kind} ${use.module}.${use.name}`;
      groups.set(key, [...(groups.get(key) ?? []), use]);
    }
    for (const uses of groups.values()) {
      // the worst place first: workflow code whose AttributeError fails the task, then activities,
      // then workflow code where an except on the way out takes it, then the rest
      const order = (use: MissingSdkName) => (use.context === 'workflow' ? (use.caughtBy ? 2 : 0) : use.context === 'activity' ? 1 : 3);
      const [first, ...rest] = [...uses].sort((a, b) => order(a) - order(b));
      if (!first) continue;
      const where = rest.length ? ` The same name is read at ${rest.length} more place${rest.length > 1 ? 's' : ''} (related locations).` : '';
      // Every read is in workflow code whose callers catch the AttributeError: a wrongly worded failure, not a stuck run.
      const allCaught = uses.every((use) => use.context === 'workflow' && use.kind === 'attribute' && use.caughtBy);
      ctx.report({
        location: first.location,
        ...(allCaught ? { severity: 'warning' as const } : {}),
        message:
          `${first.module} has no ${first.name} in any SDK release (${TEMPORALIO_NAMES_VERSIONS})${first.foundIn ? `; ${first.name} is in ${first.foundIn}` : ''}. ` +
          `${first.caughtBy ? caughtConsequence(first, ctx.root) : consequence(first)}${where}`,
        fix: first.foundIn
          ? `Import it from ${first.foundIn} (from ${first.foundIn} import ${first.name}) and use it by that name.`
          : `Use a name ${first.module} has (see the SDK's API reference for your version).`,
        ...(rest.length ? { related: rest.slice(0, 8).map((use) => ({ ...use.location, message: `${use.text}${use.context === 'other' ? '' : ` (${use.context} code)`}` })) } : {}),
        data: {
          module: first.module,
          name: first.name,
          foundIn: first.foundIn ?? null,
          contexts: [...new Set(uses.map((use) => use.context))],
          ...(first.caughtBy ? { caughtBy: first.caughtBy.map((at) => `${path.relative(ctx.root, at.file).split(path.sep).join('/')}:${at.line}`) } : {}),
        },
      });
    }
    const members = new Map<string, MissingSdkMember[]>();
    for (const use of model.missingSdkMembers ?? []) {
      const key = `${use.className}.${use.name}`;
      members.set(key, [...(members.get(key) ?? []), use]);
    }
    for (const uses of members.values()) {
      const order = (use: MissingSdkMember) => (use.context === 'workflow' ? 0 : use.context === 'activity' ? 1 : 2);
      const [first, ...rest] = [...uses].sort((a, b) => order(a) - order(b));
      if (!first) continue;
      const short = first.className.slice(first.className.lastIndexOf('.') + 1);
      const nearest = first.nearest.length ? `; the nearest member${first.nearest.length > 1 ? 's are' : ' is'} ${first.nearest.join(', ')}` : '';
      const made = first.madeAt ? ` The value is a ${short}: ${first.madeAt.text} (${path.relative(ctx.root, first.madeAt.location.file).split(path.sep).join('/')}:${first.madeAt.location.line}).` : '';
      const where = rest.length ? ` The same member is read at ${rest.length} more place${rest.length > 1 ? 's' : ''} (related locations).` : '';
      ctx.report({
        location: first.location,
        message:
          `${first.className} has no ${first.name} in any SDK release (${TEMPORALIO_MEMBERS_VERSIONS})${nearest}.${made} ` +
          `${consequence({ kind: 'attribute', context: first.context, text: first.text, module: first.className })}${caughtText(first)}${where}`,
        fix: memberFix(first, short),
        ...(rest.length ? { related: rest.slice(0, 8).map((use) => ({ ...use.location, message: `${use.text}${use.context === 'other' ? '' : ` (${use.context} code)`}` })) } : {}),
        data: { class: first.className, name: first.name, nearest: first.nearest, caught: first.caught ? first.caught.clause : null, contexts: [...new Set(uses.map((use) => use.context))] },
      });
    }
  },
});

function memberFix(use: MissingSdkMember, short: string): string {
  // `client.close()`: no release has it, and nothing needs it
  if (use.className.endsWith('.Client') && /^(a?close|disconnect)$/.test(use.name)) {
    return 'Remove the call: a Client has nothing to close in any SDK release; its connection goes when the last reference to the client does.';
  }
  const receiver = use.text.slice(0, use.text.lastIndexOf('.'));
  return use.nearest.length
    ? `Use the member ${short} has (${use.nearest.map((name) => `${receiver}.${name}`).join(', ')}; see the SDK's API reference for your version).`
    : `Use a member ${short} has (see the SDK's API reference for your version).`;
}

function caughtText(use: MissingSdkMember): string {
  const caught = use.caught;
  if (!caught) return '';
  const rest = caught.restFrom === undefined ? '' : caught.restFrom === caught.restTo ? `line ${caught.restFrom}` : `lines ${caught.restFrom} to ${caught.restTo}`;
  return (
    ` The \`${caught.clause}\` at line ${caught.line} catches it${rest ? `, so the rest of the try block (${rest}) never runs` : ''}: ` +
    'every call takes the handler, and the failure shows only as what the handler does.'
  );
}

/**
 * A read in workflow code whose AttributeError an `except` on its way out of the run method takes
 * (in the function, or around every call of the helper holding it) and does not raise again: the
 * workflow task does not fail; the run goes down the handler's path with the wrong exception.
 */
function caughtConsequence(use: MissingSdkName, root: string): string {
  const at = use.caughtBy!;
  const lines = at.map((clause) => (clause.file === use.location.file ? `line ${clause.line}` : `${path.relative(root, clause.file).split(path.sep).join('/')}:${clause.line}`));
  const clauses = at.length === 1 ? `The \`except\` at ${lines[0]}` : `The \`except\` clauses at ${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;
  return (
    `\`${use.text}\` raises AttributeError when the workflow reaches it. ${clauses} ${at.length === 1 ? 'takes' : 'take'} that AttributeError on its way out of the run method and ${at.length === 1 ? 'does' : 'do'} not raise it again, ` +
    'so the workflow task does not fail and the run is not stuck: it goes down the handler\'s path every time, and what the handler records or returns is an AttributeError ' +
    `("module '${use.module}' has no attribute '${use.name}'"), not what this line meant to do.`
  );
}

function consequence(use: Pick<MissingSdkName, 'kind' | 'context' | 'text' | 'module'> & { name?: string }): string {
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
