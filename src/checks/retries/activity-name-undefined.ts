// Prevents activity and workflow code that reads a name the module never binds: `llm = make_llm()`
// in an activity of a module that neither defines nor imports make_llm. The NameError comes only
// when the line runs: in an activity every attempt that reaches it fails the same way, so the retry
// policy spends its attempts on a failure no retry can fix and the workflow gets the failure; in
// workflow code the NameError fails the workflow task, which the server retries until the code is
// fixed. Modules that can bind names out of sight (star imports, exec, globals()) are skipped.

import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { UndefinedName } from '../../model/python/python-undefined-names.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'activity-name-undefined',
  area: 'retries',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'Python activity or workflow code reads a bare name that its module never defines or imports: the line raises NameError on every run, and no retry can fix it',
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    // one finding per activity or workflow: its first unbound read, the others as related locations
    const groups = new Map<string, UndefinedName[]>();
    for (const use of model.undefinedNames ?? []) {
      const key = `${use.location.file} ${use.context} ${use.owner}`;
      groups.set(key, [...(groups.get(key) ?? []), use]);
    }
    for (const uses of groups.values()) {
      const [first, ...rest] = uses;
      if (!first) continue;
      const names = [...new Set(uses.map((use) => use.name))];
      const listed = names.map((name) => `\`${name}\``).join(', ');
      const owner = first.context === 'activity' ? `activity ${first.owner}` : `workflow ${first.owner}`;
      const inside = first.via ? `${first.via}(), which ${owner} calls,` : owner;
      const others = rest.length ? ` Every unbound read is listed (related locations).` : '';
      ctx.report({
        location: first.location,
        message:
          `${inside} reads ${listed}, but nothing binds ${names.length > 1 ? 'these names' : 'that name'} where the code runs: the module neither defines nor imports ${names.length > 1 ? 'them' : 'it'}, and ${names.length > 1 ? 'they are' : 'it is'} not a local, a parameter or a builtin. ` +
          `${consequence(uses)}${others}`,
        fix: `Import ${names.join(', ')} in this module (or define ${names.length > 1 ? 'them' : 'it'}), or use the name${names.length > 1 ? 's' : ''} the module does have.`,
        ...(rest.length ? { related: rest.slice(0, 8).map((use) => ({ ...use.location, message: `${use.name} read in ${use.via ?? use.owner}` })) } : {}),
        data: { names, context: first.context, owner: first.owner, via: first.via ?? null, places: uses.length, caught: uses.filter((use) => use.caught).length },
      });
    }
  },
});

function consequence(uses: UndefinedName[]): string {
  const [first] = uses;
  const caught = uses.filter((use) => use.caught);
  if (first && caught.length === uses.length) return caughtConsequence(first);
  const loud = uses.find((use) => !use.caught) ?? first!;
  const base =
    loud.context === 'activity'
      ? 'The line raises NameError whenever it runs, in every attempt: the retry policy retries a failure no retry can fix: forever when it sets no maximum_attempts; when it does, the workflow gets the activity failure once the attempts are spent.'
      : 'The line raises NameError when the workflow reaches it. That is not an ApplicationError: the SDK fails the workflow task and the server retries it until the code is fixed and deployed, so the run stays Running, stuck at this line.';
  if (!caught.length) return base;
  const lines = [...new Set(caught.map((use) => use.location.line))].join(', ');
  const clause = caught[0]!.caught!;
  return `${base} At line${caught.length > 1 ? 's' : ''} ${lines} the NameError is caught instead (\`${clause.clause}\`, line ${clause.line}): there ${loud.context === 'activity' ? 'the activity' : 'the workflow'} takes that handler's fallback path on every call.`;
}

/** The NameError is taken by a broad handler: nothing fails, the handler's path runs every time. */
function caughtConsequence(use: UndefinedName): string {
  const clause = use.caught!;
  const where = use.location.line === clause.line ? '' : ` (line ${clause.line})`;
  const who = use.context === 'activity' ? 'the activity' : 'the workflow';
  return `The line raises NameError whenever it runs, and \`${clause.clause}\`${where} catches it, so it never shows as a failure: ${who} takes that handler's fallback path on every call, and the code the try guards never does its work.`;
}
