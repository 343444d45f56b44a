// Points at a workflow loop whose only continue-as-new trigger is an exact size (`=== 50`, `=== 0`)
// of a collection that a signal or update handler fills. Messages arrive while the loop awaits its
// work, so the size moves by more than one between two checks, or sits at other values while
// traffic keeps up: the run never rolls over and the history grows towards the server's limit. A
// warning when some size compared is above zero (almost certainly meant as `>=`); info when the
// only trigger is an empty collection, which rolls over whenever traffic has a gap but never under
// a sustained burst. workflow-unbounded-history leaves the loop alone because it calls continueAsNew.

import { defineCheck } from '../define-check.js';
import { exactLengthRollovers } from '../../model/typescript/payload-types/exact-length-rollover.js';

export default defineCheck({
  id: 'continue-as-new-exact-length',
  area: 'payloads',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A workflow loop continues as new only when a collection that signal or update handlers fill has an exact size (=== 50, === 0): under sustained traffic the size skips or never reaches it and the history grows until the server terminates the run',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const hit of exactLengthRollovers(model)) {
      const growth = [...new Set(hit.growth.map((g) => `${g.kind} ${g.name}`))].join(', ');
      const where = hit.functionName ? `${hit.functionName}'s loop` : 'This workflow loop';
      const handler = `the ${hit.feed.kind === 'message' ? 'message' : hit.feed.kind} handler${hit.feed.name ? ` for '${hit.feed.name}'` : ''}`;
      const above = hit.sizes.filter((size) => size > 0);
      const fed = `${hit.collection} is filled by ${handler} (line ${hit.feed.location.line}: \`${hit.feed.text}\`), and messages arrive while the loop awaits its work (${growth})`;
      const limit = 'the history grows towards the 51,200-event / 50 MiB limit, where the server terminates the workflow';
      ctx.report({
        location: hit.location,
        ...(above.length ? {} : { severity: 'info' as const }),
        message: above.length
          ? `${where} continues as new only when \`${hit.condition}\` (line ${hit.location.line}). ${fed}, so between two checks the size can jump past ${above.join(' or ')} or stay at other sizes: under sustained traffic the comparison never holds, the run never continues as new, and ${limit}.`
          : `${where} continues as new only when \`${hit.condition}\` (line ${hit.location.line}), that is when ${hit.collection} is empty. ${fed}: that is fine while traffic has gaps, but under a sustained burst ${hit.collection} never drains, the run never continues as new, and ${limit}.`,
        fix: above.length
          ? `Compare with a threshold (\`${hit.collection}.${hit.sizeProperty} >= ${Math.max(...above)}\`), or continue as new when workflowInfo().continueAsNewSuggested is true, carrying the pending items into the new run's input.`
          : `Also continue as new when workflowInfo().continueAsNewSuggested is true, carrying the pending items into the new run's input.`,
        related: [
          { ...hit.feed.location, message: `${handler} fills ${hit.collection} here` },
          { ...hit.continueAsNew, message: 'the continue-as-new this condition guards' },
          { ...hit.loop, message: 'the loop' },
        ],
        data: { collection: hit.collection, condition: hit.condition, sizes: hit.sizes, handler: hit.feed.kind, ...(hit.feed.name ? { message: hit.feed.name } : {}), ...(hit.functionName ? { function: hit.functionName } : {}), growth: hit.growth.map((g) => ({ kind: g.kind, name: g.name })) },
      });
    }
  },
});
