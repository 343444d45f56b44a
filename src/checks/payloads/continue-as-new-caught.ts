// Keeps continue-as-new working. In TypeScript `await continueAsNew(...)` never returns: it rejects
// with a ContinueAsNew error, and the SDK continues the workflow as new only when that error leaves
// the workflow function. A `catch` around the call (or around a helper that makes it) that does not
// throw the caught error again takes it: the run completes with the catch's return value, fails
// with the ApplicationFailure the catch throws, or goes on after the try, and never rolls over; the
// history that continue-as-new was there to cap keeps growing, or a long-running loop stops after
// one round. Error when the catch never lets it out; warning when it may, under a condition the
// review cannot weigh; info when it throws it again at its end and only earlier branches keep it. Python: `workflow.continue_as_new()` raises ContinueAsNewError, a
// BaseException, so only a bare `except:` or `except BaseException:` takes it.

import { defineCheck } from '../define-check.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import type { CaughtContinueAsNew } from '../../model/caught-continue-as-new.js';
import type { SourceLocation } from '../../model/types.js';
import { caughtContinueAsNew } from '../../model/typescript/caught-continue-as-new.js';
import type { TemporalModel } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'continue-as-new-caught',
  area: 'payloads',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'A catch in workflow code takes the error continue-as-new throws and does not throw it again, so the workflow never continues as new',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    const found = python ? (python.caughtContinueAsNew ?? []) : caughtContinueAsNew(model as TemporalModel);
    for (const hit of found) {
      ctx.report({
        location: hit.location,
        // A catch that ends by throwing the error again keeps it only in the branches before that,
        // often under a check of the run's own state (a cancel flag): a note.
        severity: hit.verdict === 'swallows' ? 'error' : hit.endsRethrowing ? 'info' : 'warning',
        message: message(hit, python !== undefined),
        fix: python
          ? 'Let ContinueAsNewError through: catch `Exception` instead of everything (ContinueAsNewError is a BaseException, so `except Exception:` does not take it), ' +
            'or raise it again first (`except BaseException as e: if isinstance(e, workflow.ContinueAsNewError): raise`), or call continue_as_new() after the try.'
          : 'Throw it again first: `catch (err) { if (err instanceof ContinueAsNew) throw err; ... }` (ContinueAsNew from @temporalio/workflow), ' +
            'or call continueAsNew() after the try/catch, once the work it guards is done.',
        related: [
          { ...hit.callLocation, message: hit.via ? `the continue-as-new, in ${hit.via}, that the catch takes` : 'the continue-as-new the catch takes' },
          ...distinctCalls(hit).map((location) => ({ ...location, message: 'another continue-as-new the same catch takes' })),
          ...(hit.unclearAt ? [{ ...hit.unclearAt.location, message: `what decides whether the catch lets it out: ${hit.unclearAt.text}` }] : []),
        ],
        data: {
          verdict: hit.verdict,
          outcome: hit.outcome,
          caught: hit.caught,
          ...(hit.via ? { via: hit.via } : {}),
          inLoop: hit.inLoop,
          ...(hit.functionName ? { function: hit.functionName } : {}),
        },
      });
    }
  },
});

/** The other continue-as-new calls the catch takes, each once (a helper reached along several paths is one call). */
function distinctCalls(hit: CaughtContinueAsNew): SourceLocation[] {
  const key = (l: SourceLocation) => `${l.file}:${l.line}:${l.column ?? 0}`;
  const seen = new Set([key(hit.callLocation)]);
  return hit.otherCalls.filter((location) => !seen.has(key(location)) && seen.add(key(location)) !== undefined);
}

function message(hit: CaughtContinueAsNew, python: boolean): string {
  const call = python ? 'workflow.continue_as_new()' : 'continueAsNew()';
  const where = `${call} at line ${hit.callLocation.line}${hit.via ? ` (in ${hit.via}, which the try calls)` : ''}`;
  const error = python ? 'ContinueAsNewError' : 'ContinueAsNew error';
  const how = python
    ? `${where} does not return: it raises ${error}, a BaseException, and the SDK continues the workflow as new only when that exception leaves the workflow method. ` +
      `This \`${hit.caught}\` takes it (\`except Exception:\` would not)`
    : `${where} does not return: it throws a ${error}, and the SDK continues the workflow as new only when that error leaves the workflow function. ` +
      `This \`${hit.caught}\` takes every error thrown in the try`;
  const lets =
    hit.verdict === 'swallows'
      ? python
        ? ' and does not raise it again.'
        : ' and never throws it again.'
      : hit.outcome === 'continues-again' && hit.unclearAt
        ? `; it continues as new itself (${hit.unclearAt.text}), with arguments other than those of the call it took.`
        : hit.endsRethrowing
        ? `; it throws it again at its end, but not when ${hit.unclearAt ? `\`${hit.unclearAt.text}\`` : 'a condition before that'} holds, which the review cannot weigh (a check of the run's own state, such as a cancel flag, is false whenever the workflow continues as new).`
        : `, and whether it lets it out depends on ${hit.unclearAt ? `\`${hit.unclearAt.text}\`` : 'a condition'} the review cannot weigh.`;
  const unclear = hit.verdict === 'unclear' && hit.outcome !== 'continues-again';
  const instead = (unclear ? ' When it does not,' : ' Instead') + (
    hit.outcome === 'throws-failure'
      ? ` the run fails with the failure the ${python ? 'clause raises' : 'catch throws'}`
      : hit.outcome === 'throws-other'
        ? python
          ? ' the clause raises an exception of its own, which fails the run (or, for an exception the SDK does not treat as a failure, the workflow task, which retries until the code changes)'
          : ' the catch throws an error of its own: an ApplicationFailure fails the run, a plain Error fails the workflow task, which retries until the code changes'
        : hit.outcome === 'returns'
          ? ` the run completes with what the ${python ? 'clause' : 'catch'} returns`
          : hit.outcome === 'continues-again'
            ? ' the run continues as new with the catch\'s arguments, not the ones the try computed'
            : hit.inLoop
              ? ' the code after the try runs and the loop goes round again'
              : ' the code after the try runs and the run completes');
  if (hit.outcome === 'continues-again') return `${how}${lets} The run continues as new with the catch's arguments, and the state the try passed on is lost.`;
  return (
    how + lets + instead +
    (unclear ? ': it does not continue as new' : ': it never continues as new') + consequence(hit)
  );
}

/**
 * What not continuing as new costs: where the catch lets the loop go round, the history the
 * continue-as-new was meant to cap keeps growing in one run; where the run fails or completes
 * instead, a workflow meant to run on in fresh runs stops at the first continue-as-new.
 */
function consequence(hit: { outcome: string; inLoop?: boolean }): string {
  if (hit.outcome === 'goes-on' && hit.inLoop) {
    return ', so the history continue-as-new was meant to cap keeps growing in one run (towards the 51,200-event / 50 MiB limit).';
  }
  if (hit.outcome === 'goes-on') return ', so the run ends at the end of the workflow function instead of going on in a fresh run.';
  return ', so a workflow meant to run on in fresh runs stops at the first continue-as-new.';
}
