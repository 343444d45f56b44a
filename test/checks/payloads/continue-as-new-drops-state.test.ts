// A continue-as-new whose new input, written in place, leaves out an input field or a trailing
// parameter the workflow reads (warning when it decides a branch or goes to an activity, info
// otherwise; one finding per call), or a collection signal handlers fill that is neither carried
// nor drained (info). Not reported: a spread of the old input, dataclasses.replace, an explicit
// carry or reset, an input built elsewhere, a collection carried in the arguments or drained by
// condition(...) / workflow.wait_condition(...) first.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import continueAsNewDropsState from '../../../src/checks/payloads/continue-as-new-drops-state.js';
import type { Finding } from '../../../src/engine/types.js';
import { review as reviewDir } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('continue-as-new-drops-state (TypeScript)', () => {
  const review = fixtureReview('continue-as-new-drops-state');
  const findings = review.run(continueAsNewDropsState);

  it('reports dropped fields, parameters and handler state; not spreads, explicit carries, inputs built elsewhere, another workflow type, a call with no argument, drained or carried queues, a lookup set', () => {
    expect(where(findings)).toEqual([
      'continue-as-new-drops-state warning src/workflows.ts:20',
      'continue-as-new-drops-state warning src/workflows.ts:46',
      'continue-as-new-drops-state warning src/workflows.ts:52',
      'continue-as-new-drops-state info src/workflows.ts:66',
      'continue-as-new-drops-state info src/workflows.ts:100',
    ]);
  });

  it('names each field with the line that reads it, deciding reads first', () => {
    const [sync, destructured, positional, inbox] = findings;
    expect(sync!.message).toContain('Workflow syncRepo continues as new (line 20) with a new input that leaves out what it reads as input.triggerEvaluation (line 17: `if (input.triggerEvaluation)`, a condition), input.pageSize (line 18:');
    expect(sync!.message).toContain('an activity or child workflow argument), input.label (line 19:');
    expect(sync!.message).toContain('triggerEvaluation, pageSize decide what it does');
    expect(sync!.related!.map((r) => r.line)).toEqual([17, 18, 19]);
    expect(sync!.fix).toContain('`{ ...input, cursor }`');
    expect(destructured!.message).toContain('leaves out triggerEvaluation (line 45: `if (triggerEvaluation)`, a condition)');
    expect(positional!.message).toContain('with arguments that leave out parameter dryRun (line 51: `if (!dryRun)`, a condition)');
    expect(positional!.fix).toBe('Pass dryRun on to continueAsNew as well.');
    expect(inbox!.message).toContain("without carrying pending, which the signal handler for 'addItem' fills (line 60: `pending.push(item)`) and the workflow reads (line 64:");
    expect(inbox!.fix).toContain('allHandlersFinished()');
  });

  it('is info when the dropped field decides nothing (only logged)', () => {
    const logged = findings[4]!;
    expect(logged.message).toContain('Workflow syncLogged continues as new (line 100) with a new input that leaves out input.label (line 98:');
    expect(logged.message).not.toContain('decide');
  });
});

describe('continue-as-new-drops-state (Python)', () => {
  const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-continue-as-new-drops-state');
  let findings: Finding[];
  beforeAll(async () => {
    findings = (await reviewDir({ dir: root, config: undefined })).findings.filter((f) => f.checkId === continueAsNewDropsState.id);
  }, 120_000);

  it('reports a dataclass (also an optional one) and a pydantic model rebuilt without a defaulted field, args=[...] without a trailing parameter, and a signal-filled queue; not replace, explicit carries, required fields, a call with no argument, drained or carried queues, a lookup set', () => {
    expect(where(findings)).toEqual([
      'continue-as-new-drops-state warning app/workflows.py:23',
      'continue-as-new-drops-state warning app/workflows.py:56',
      'continue-as-new-drops-state warning app/workflows.py:67',
      'continue-as-new-drops-state info app/workflows.py:86',
      'continue-as-new-drops-state warning app/workflows.py:182',
      'continue-as-new-drops-state warning app/workflows.py:201',
    ]);
  });

  it('names the fields, the reads and the Python fix', () => {
    const [sync, report, positional, inbox, optional] = findings;
    expect(sync!.message).toContain('Workflow SyncRepo continues as new (line 23) with a new input that leaves out what it reads as input.trigger_evaluation (line 19: `if input.trigger_evaluation`, a condition), input.page_size (line 21:');
    expect(sync!.message).toContain('input.label (line 22:');
    expect(sync!.message).not.toContain('tags');
    expect(sync!.fix).toContain('dataclasses.replace(input, ...)');
    expect(report!.message).toContain('leaves out input.include_archived (line 54: `if input.include_archived`, a condition)');
    expect(positional!.message).toContain('with arguments that leave out parameter dry_run (line 65: `if not dry_run`, a condition)');
    expect(positional!.fix).toBe('Pass dry_run on to continue_as_new (args=[...]) as well.');
    expect(inbox!.message).toContain("without carrying self._pending, which the signal handler for 'add_item' fills (line 79: `self._pending.append(item)`)");
    expect(inbox!.fix).toContain('workflow.all_handlers_finished()');
    expect(optional!.message).toContain('leaves out input.trigger_evaluation (line 180:');
  });

  it('reports a running total handed to an activity and not carried; not a per-run count that decides when to continue, nor a restored total', () => {
    const totals = findings[5]!;
    expect(totals.message).toContain('Workflow Totals continues as new (line 201) without carrying the running total self._pages_total (handed on at line 199:');
    expect(totals.message).not.toContain('_pages_this_run');
    expect(totals.data).toEqual({ kind: 'accumulator', workflow: 'Totals', variables: ['self._pages_total'] });
    expect(totals.fix).toBe('Add pages_total to the input, pass self._pages_total in the continue_as_new call, and set self._pages_total from the input at the start of the run.');
  });
});
