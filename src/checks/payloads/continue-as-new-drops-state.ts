// Points at a continue-as-new whose new input leaves out state the workflow uses:
//
// - an input field (or a trailing positional parameter) that the workflow reads and that the new
//   input, written in place as an object literal without spread, does not carry: the next run
//   silently starts with the default. A warning when the field decides something (a condition, an
//   activity's or child's argument), info otherwise.
// - (info) a collection that signal or update handlers fill, that the workflow reads, and that the
//   continue-as-new neither carries nor waits to see drained: messages the old run received and
//   had not processed yet are lost.
//
// Only what can be seen whole is judged: `...input`, `dataclasses.replace(input, ...)`, an
// identifier or a call as the new input carry what the review cannot list, and are left alone.

import { defineCheck } from '../define-check.js';
import type { DroppedContinueAsNewState } from '../../model/continue-as-new-drops.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { droppedContinueAsNewState } from '../../model/typescript/payload-types/continue-as-new-drops.js';
import type { TemporalModel } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'continue-as-new-drops-state',
  area: 'payloads',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: "A workflow continues as new with an input that leaves out a field, parameter or handler-filled collection the workflow uses: the next run silently resets it",
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    const hits = python ? (python.droppedContinueAsNewState ?? []) : droppedContinueAsNewState(model as TemporalModel);
    for (const hit of hits) {
      const lang = python ? 'python' : 'typescript';
      if (hit.kind === 'handler-state') {
        const feed = hit.feed!;
        const handler = `the ${feed.kind === 'message' ? 'message' : feed.kind} handler${feed.name ? ` for '${feed.name}'` : ''}`;
        ctx.report({
          location: hit.continueAsNew,
          severity: 'info',
          message:
            `Workflow ${hit.workflow} continues as new (line ${hit.continueAsNew.line}) without carrying ${hit.name}, which ${handler} fills (line ${feed.location.line}: \`${feed.text}\`) and the workflow reads (line ${hit.read.line}: \`${hit.readText}\`). ` +
            `Nothing waits for it to drain before the call (no \`condition\` that tests it empty, no allHandlersFinished), so messages the old run received and had not processed yet are lost: the new run starts with ${hit.name} empty.`,
          fix: lang === 'python'
            ? `Pass what is still in ${hit.name} to the new run's input, or wait before continuing as new: \`await workflow.wait_condition(lambda: not ${hit.name} and workflow.all_handlers_finished())\`.`
            : `Pass what is still in ${hit.name} to the new run's input, or wait before continuing as new: \`await condition(() => ${hit.name}.length === 0 && allHandlersFinished())\`.`,
          related: [
            { ...feed.location, message: `${handler} fills ${hit.name} here` },
            { ...hit.read, message: `the workflow reads ${hit.name} here` },
          ],
          data: { kind: hit.kind, workflow: hit.workflow, variable: hit.name, handler: feed.kind, ...(feed.name ? { message: feed.name } : {}) },
        });
      }
    }
    // Running totals (Python), one finding per continue-as-new call: the next run counts from the start value again.
    const totalsByCall = new Map<string, DroppedContinueAsNewState[]>();
    for (const hit of hits) {
      if (hit.kind !== 'accumulator') continue;
      const key = `${hit.continueAsNew.file}:${hit.continueAsNew.line}:${hit.continueAsNew.column}`;
      totalsByCall.set(key, [...(totalsByCall.get(key) ?? []), hit]);
    }
    for (const group of totalsByCall.values()) {
      const first = group[0]!;
      const names = group.map((hit) => hit.name);
      const plural = names.length > 1;
      ctx.report({
        location: first.continueAsNew,
        message:
          `Workflow ${first.workflow} continues as new (line ${first.continueAsNew.line}) without carrying ${plural ? 'the running totals' : 'the running total'} ${group.map((hit) => `${hit.name} (handed on at line ${hit.read.line}: \`${hit.readText}\`)`).join(', ')}, which it adds to. ` +
          `${plural ? 'They start' : `${names[0]} starts`} at the __init__ value in every run and the new input does not restore ${plural ? 'them' : 'it'}, so the next run counts from the start again and reports or stores lower totals than the workflow has reached.`,
        fix: `Add ${names.map((name) => name.replace(/^self\._?/, '')).join(', ')} to the input, pass ${names.join(', ')} in the continue_as_new call, and set ${plural ? 'them' : names[0]} from the input at the start of the run.`,
        related: group.map((hit) => ({ ...hit.read, message: `the workflow hands ${hit.name} on here` })),
        data: { kind: 'accumulator', workflow: first.workflow, variables: names },
      });
    }
    // Fields and parameters: one finding per continue-as-new call, naming each one left out.
    const byCall = new Map<string, DroppedContinueAsNewState[]>();
    for (const hit of hits) {
      if (hit.kind === 'handler-state' || hit.kind === 'accumulator') continue;
      const key = `${hit.continueAsNew.file}:${hit.continueAsNew.line}:${hit.continueAsNew.column}`;
      byCall.set(key, [...(byCall.get(key) ?? []), hit]);
    }
    for (const group of byCall.values()) {
      const python = model.language === 'python';
      const first = group[0]!;
      // The ones that decide something first.
      const ordered = [...group.filter((hit) => hit.use !== 'other'), ...group.filter((hit) => hit.use === 'other')];
      const deciding = ordered.filter((hit) => hit.use !== 'other');
      const listed = ordered.map((hit) => `${describe(hit)} (line ${hit.read.line}: \`${hit.readText}\`${hit.use === 'condition' ? ', a condition' : hit.use === 'activity' ? ', an activity or child workflow argument' : ''})`);
      const names = ordered.map((hit) => hit.name);
      const plural = names.length > 1;
      const onlyParameters = group.every((hit) => hit.kind === 'parameter');
      const lead = ordered.find((hit) => hit.holder) ?? first;
      const keep = python
        ? `\`dataclasses.replace(${lead.holder ?? 'input'}, ...)\` / \`model_copy(update=...)\``
        : `a spread of the old input (\`{ ...${lead.holder ?? 'input'}, cursor }\`)`;
      ctx.report({
        location: first.continueAsNew,
        ...(deciding.length ? {} : { severity: 'info' as const }),
        message:
          `Workflow ${first.workflow} continues as new (line ${first.continueAsNew.line}) with ${onlyParameters ? `arguments that leave out ${plural ? 'what it reads as ' : ''}` : `a new input that leaves out ${plural ? 'what it reads as ' : ''}`}${listed.join(', ')}. ` +
          `The next run silently gets ${python ? 'the declared default' : 'undefined (or the default)'} instead of the value this run was started with, so from the second run on the workflow behaves as if ${plural ? 'they' : names[0]} had never been set` +
          (deciding.length ? `, and ${deciding.map((hit) => hit.name).join(', ')} decide${deciding.length > 1 ? '' : 's'} what it does. ` : '. ') +
          (onlyParameters
            ? `If ${plural ? 'a value is' : 'the value is'} meant for the first run only, passing its reset value explicitly says so.`
            : `If ${plural ? 'a value is' : 'the value is'} meant for the first run only, writing its reset value in the new input says so.`),
        fix: onlyParameters
          ? `Pass ${names.join(', ')} on to ${python ? 'continue_as_new (args=[...])' : 'continueAsNew'} as well.`
          : `Carry ${names.join(', ')} into the new input${lead.holder ? ` (\`${python ? `${lead.name}=${lead.holder}.${lead.name}` : `${lead.name}: ${lead.holder}.${lead.name}`}\`)` : ''}, or build it with ${keep} so every field not changed is kept.`,
        related: ordered.map((hit) => ({ ...hit.read, message: `the workflow reads ${hit.name} here` })),
        data: { workflow: first.workflow, fields: ordered.map((hit) => ({ kind: hit.kind, name: hit.name, use: hit.use, line: hit.read.line })), ...(lead.holder ? { parameter: lead.holder } : {}), ...(lead.holderType ? { type: lead.holderType } : {}) },
      });
    }
  },
});

/** `input.flag`, `parameter dryRun`, `flag` (a destructured field). */
function describe(hit: DroppedContinueAsNewState): string {
  if (hit.kind === 'parameter') return `parameter ${hit.name}`;
  return hit.holder ? `${hit.holder}.${hit.name}` : hit.name;
}
