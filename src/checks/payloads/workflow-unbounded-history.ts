// Prevents workflows the server terminates for history size: a loop that keeps scheduling
// activities, timers or child workflows (or waiting for signals) without continue-as-new grows the
// history until the 51,200-event / 50 MiB limit. A loop bounded by its input is only `info`: it is
// fine until the input reaches the size the message gives. A fixed bound (`i < 1000`) that already
// passes the 10,240-event warning is a warning: every run that goes the distance gets there.

import { defineCheck } from '../define-check.js';
import { locate } from '../../model/typescript/locate.js';
import { HISTORY_LIMIT_EVENTS, HISTORY_WARNING_EVENTS, unboundedLoops, type TurnWait, type UnboundedLoop } from '../../model/typescript/payload-types/index.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import type { HistoryLoopFacts } from '../../model/types.js';
import { formatDuration } from '../../engine/duration.js';

export default defineCheck({
  id: 'workflow-unbounded-history',
  area: 'payloads',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A workflow loops over activities, timers, children or signals with no bound and no continue-as-new',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    // A loop in a helper that several workflows call is reported once, for the first of them.
    const reported = new Set<string>();
    for (const { workflow, loops } of loopsByWorkflow(model)) {
      for (const loop of loops) {
        const key = `${loop.location.file}:${loop.location.line}:${loop.location.column}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const growth = [...new Set(loop.growth.map((g) => `${g.kind} ${g.name}`))].join(', ');
        const related = loop.growth.slice(0, 3).map((g) => ({ ...g.location, message: `${g.kind} ${g.name}` }));
        const data = { workflow: workflow.name, growth: loop.growth.map((g) => ({ kind: g.kind, name: g.name })), bound: loop.bound.kind, eventsPerIteration: loop.eventsPerIteration, ...(upTo(loop) ? { eventsUpTo: upTo(loop) } : {}) };
        const bound = loop.bound;
        if ('outerGuard' in loop && loop.outerGuard) {
          const outer = loop.outerGuard;
          ctx.report({
            location: loop.location,
            severity: 'info',
            message:
              (outer.helper
                ? `Workflow ${workflow.name} loops (\`${loop.text}\`) in ${outer.helper}(), which it calls only from a loop that continues as new (line ${outer.location.line}); `
                : `Workflow ${workflow.name} loops (\`${loop.text}\`) inside a loop that checks the history length or continues as new (line ${outer.location.line}); `) +
              `each iteration adds about ${loop.eventsPerIteration} history events${branches(loop)} (${growth}). ` +
              'The outer loop rolls the history over as long as this loop ends: it has a way out, but what ends it (a signal, a result) is not fixed in advance.',
            fix: `If this loop can run for long, check workflowInfo().continueAsNewSuggested inside it too, or return to the outer loop when it is set.`,
            related: [{ ...outer.location, message: 'the loop that continues as new' }, ...related],
            data: { ...data, outerGuard: `${outer.location.line}` },
          });
          continue;
        }
        const rerun = 'signalRerun' in loop ? loop.signalRerun : undefined;
        if (rerun) {
          // One pass per burst of messages: it goes on only while messages keep arriving during every pass.
          ctx.report({
            location: loop.location,
            severity: 'info',
            message:
              `Workflow ${workflow.name} repeats its loop (\`${loop.text}\`) only when ${listMessages(rerun.messages)} sets \`${rerun.flag}\` again while a pass runs: ` +
              `the loop resets it at line ${rerun.reset.line}, before it waits, and stops on the first pass during which no message arrived. ` +
              `Each pass adds about ${loop.eventsPerIteration} history events${branches(loop)} (${growth}), and the loop goes on only while messages keep arriving during every pass, ` +
              'so its length follows how often the senders send them (people editing, say), not the code. ' +
              `A sender that signals continuously (a progress stream every few seconds) would keep it going without bound: about ${Math.floor(HISTORY_WARNING_EVENTS / loop.eventsPerIteration).toLocaleString('en-US')} passes in a row reach the ${HISTORY_WARNING_EVENTS.toLocaleString('en-US')}-event warning.`,
            fix: 'If a sender can signal that often, continue as new when workflowInfo().continueAsNewSuggested is true, carrying the flag over to the next run.',
            related: [{ ...rerun.reset, message: `resets ${rerun.flag} on every pass` }, ...related],
            data: { ...data, rerunFlag: rerun.flag, rerunMessages: rerun.messages, iterationsToWarning: Math.floor(HISTORY_WARNING_EVENTS / loop.eventsPerIteration) },
          });
          continue;
        }
        const paced = 'messagePaced' in loop ? loop.messagePaced : undefined;
        if (paced) {
          // One round per message: the history grows at the pace of whoever sends them.
          const iterations = Math.floor(HISTORY_WARNING_EVENTS / loop.eventsPerIteration);
          ctx.report({
            location: loop.location,
            severity: 'info',
            message:
              `Workflow ${workflow.name}'s loop (\`${loop.text}\`) goes round only after condition (line ${paced.wait.line}) is released by a message (state set by ${listMessages(paced.messages)}, and reset before each wait); every other path leaves the loop. ` +
              `Each round adds about ${loop.eventsPerIteration} history events${branches(loop)} (${growth}), so about ${iterations.toLocaleString('en-US')} rounds reach the ${HISTORY_WARNING_EVENTS.toLocaleString('en-US')}-event warning (the server terminates the workflow at ${HISTORY_LIMIT_EVENTS.toLocaleString('en-US')}): ` +
              'the loop repeats once per message, as fast as people or systems send them, fine unless one run takes that many rounds.',
            fix: 'If one run can take that many rounds, continue as new when workflowInfo().continueAsNewSuggested is true, carrying the state the next run needs.',
            related: [{ ...paced.wait, message: 'each round waits here for a message' }, ...related],
            data: { ...data, pacedBy: paced.messages, iterationsToWarning: iterations },
          });
          continue;
        }
        const fan = 'fanOut' in loop ? loop.fanOut : undefined;
        if (fan && bound.kind === 'bounded') {
          // One child per item, all in this run: the history holds every child's events, and the
          // count is the collection's size, which only the data decides.
          const iterations = Math.floor(HISTORY_WARNING_EVENTS / loop.eventsPerIteration);
          const over = bound.limit !== undefined && bound.limit > iterations;
          ctx.report({
            location: loop.location,
            severity: over ? 'warning' : 'info',
            message:
              `Workflow ${workflow.name} starts a child workflow for every item of ${bound.by} (\`${loop.text}\`), all in the same run, ` +
              `and each item adds about ${loop.eventsPerIteration} history events${branches(loop)} (${growth}). ` +
              (over
                ? `At the limit of ${bound.limit!.toLocaleString('en-US')} items that is about ${(bound.limit! * loop.eventsPerIteration).toLocaleString('en-US')} events, past the ${HISTORY_WARNING_EVENTS.toLocaleString('en-US')}-event warning (about ${iterations.toLocaleString('en-US')} items reach it).`
                : `About ${iterations.toLocaleString('en-US')} items reach the ${HISTORY_WARNING_EVENTS.toLocaleString('en-US')}-event warning (the server terminates the workflow at ${HISTORY_LIMIT_EVENTS.toLocaleString('en-US')}): fine while ${('collection' in bound && bound.collection) || bound.by} stays below that.`) +
              (fan.direct ? ` The children are started together: past ${PENDING_CHILDREN_LIMIT.toLocaleString('en-US')} pending at once, the server fails the workflow task that starts more.` : ''),
            fix: `If the collection can grow that large, start the children in batches of a fixed size and continue as new between batches, or give each child a range of items to work through.`,
            related,
            data: { ...data, by: bound.by, fanOut: true, iterationsToWarning: iterations, ...(bound.limit !== undefined ? { limit: bound.limit } : {}) },
          });
          continue;
        }
        if (bound.kind === 'bounded' && 'pacedBy' in bound && bound.pacedBy) {
          // One round per message: the history grows at the pace of whoever sends them.
          const iterations = Math.floor(HISTORY_WARNING_EVENTS / loop.eventsPerIteration);
          const paced = bound.pacedBy;
          if (paced.handlers.length === 0) {
            // The wait's state is cleared and nothing sets it again: the loop cannot go round past it.
            ctx.report({
              location: loop.location,
              severity: 'info',
              message:
                `Workflow ${workflow.name}'s loop (\`${loop.text}\`) goes round only after workflow.wait_condition (line ${paced.wait.line}), on state it clears before waiting and that no signal or update handler of the workflow sets again; every other path leaves the loop. ` +
                'Once a round waits there it does not go on, so the loop adds no more history; the run stays parked at that wait.',
              fix: 'If a person or system is meant to release the wait (a "fixed, try again" signal), add the signal handler that sets that state; otherwise fail the workflow instead of waiting.',
              related: [{ ...paced.wait, message: 'nothing releases this wait' }, ...related],
              data: { ...data, pacedBy: [], iterationsToWarning: iterations },
            });
            continue;
          }
          ctx.report({
            location: loop.location,
            severity: 'info',
            message:
              `Workflow ${workflow.name}'s loop (\`${loop.text}\`) goes round only after workflow.wait_condition (line ${paced.wait.line}) is released by a message (state set by ${listHandlers(paced.handlers)}); every other path leaves the loop. ` +
              `Each round adds about ${loop.eventsPerIteration} history events${branches(loop)} (${growth}), so about ${iterations.toLocaleString('en-US')} rounds reach the ${HISTORY_WARNING_EVENTS.toLocaleString('en-US')}-event warning (the server terminates the workflow at ${HISTORY_LIMIT_EVENTS.toLocaleString('en-US')}): ` +
              'the history grows as fast as people or systems send those messages, fine unless one run takes that many rounds.',
            fix: 'If one run can take that many rounds, continue as new when workflow.info().is_continue_as_new_suggested() is true, carrying the state the next run needs.',
            related: [{ ...paced.wait, message: 'each round waits here for a message' }, ...related],
            data: { ...data, pacedBy: paced.handlers, iterationsToWarning: iterations },
          });
          continue;
        }
        const wait = 'turnWait' in loop ? loop.turnWait : undefined;
        const status = 'statusWait' in loop ? loop.statusWait : undefined;
        if (status && wait?.ms && bound.kind === 'none') {
          // A wait for a status before a batch, then continue-as-new: a few events per wait, and only
          // while the status holds. Info when days of waiting without a break reach the warning.
          const perHour = (loop.eventsPerIteration * HOUR_MS) / wait.ms;
          const hours = HISTORY_WARNING_EVENTS / perHour;
          if (hours >= STATUS_WAIT_MIN_HOURS) {
            ctx.report({
              location: loop.location,
              severity: 'info',
              message:
                `Workflow ${workflow.name} waits in a loop (\`${loop.text}\`) until activity ${status.reads.join(', ')} reads a status that lets it go on, and continues as new after it (line ${status.rollover.line}). ` +
                `Each turn sleeps at least ${formatDuration(wait.ms)} (\`${wait.text}\`, line ${wait.location.line}) and adds about ${loop.eventsPerIteration} history events (${growth}), about ${formatRate(perHour)} an hour: ` +
                `only ${hours < 48 ? `about ${Math.round(hours)} hours` : daysOf(hours * HOUR_MS)} of waiting without a break reach the ${HISTORY_WARNING_EVENTS.toLocaleString('en-US')}-event warning.`,
              fix: 'Nothing to do if the status clears within hours; if the wait can last days, also leave the loop and continue as new when workflowInfo().continueAsNewSuggested is true.',
              related: [{ ...wait.location, message: 'the sleep every turn waits on' }, { ...status.rollover, message: 'continues as new after the wait' }, ...related],
              data: { ...data, statusReads: status.reads, minimumTurnMs: wait.ms, eventsPerHour: Math.round(perHour), hoursToWarning: Math.round(hours) },
            });
            continue;
          }
        }
        const slow = slowGrowth(loop.eventsPerIteration, wait);
        const warns = bound.kind !== 'bounded' || (bound.limit !== undefined && bound.limit > Math.floor(HISTORY_WARNING_EVENTS / loop.eventsPerIteration));
        if (warns && slow && wait) {
          const opened = bound.kind === 'bounded' ? `Workflow ${workflow.name} loops (\`${loop.text}\`) up to ${bound.limit!.toLocaleString('en-US')} times (${bound.by})` : opening(workflow.name, loop);
          ctx.report({
            location: loop.location,
            severity: 'info',
            message:
              (wait.timedOut
                ? `${opened}, but it goes round only when \`${wait.text}\` (line ${wait.location.line}) times out after ${formatDuration(slow.turnMs)} (when the condition holds, the loop's own test ends it): `
                : `${opened}, but every turn sleeps at least ${formatDuration(slow.turnMs)} (\`${wait.text}\`, line ${wait.location.line}): `) +
              `~${loop.eventsPerIteration} history events per turn${branches(loop)} (${growth}), one turn per >= ${formatDuration(slow.turnMs)}: about ${slow.years} to reach the ${HISTORY_WARNING_EVENTS.toLocaleString('en-US')}-event warning.`,
            fix: `Nothing to do while the ${wait.timedOut ? 'timeout' : 'sleep'} stays that long; if it can get shorter, call continueAsNew when workflowInfo().continueAsNewSuggested is true.`,
            related: [{ ...wait.location, message: wait.timedOut ? 'the wait every turn that goes round timed out on' : 'the sleep every turn waits on' }, ...related],
            data: { ...data, minimumTurnMs: slow.turnMs, timeToWarningMs: slow.ms, ...(wait.timedOut ? { turnTimedOut: true } : {}) },
          });
          continue;
        }
        if (bound.kind === 'bounded') {
          const iterations = Math.floor(HISTORY_WARNING_EVENTS / loop.eventsPerIteration);
          if (bound.limit !== undefined && bound.limit > iterations) {
            // A fixed bound past the warning is no "fine while": every full run gets there.
            const events = bound.limit * loop.eventsPerIteration;
            ctx.report({
              location: loop.location,
              message:
                `Workflow ${workflow.name} loops (\`${loop.text}\`) up to ${bound.limit.toLocaleString('en-US')} times (${bound.by}), and each iteration adds about ${loop.eventsPerIteration} history events${branches(loop)} (${growth}). ` +
                `About ${iterations.toLocaleString('en-US')} iterations reach the ${HISTORY_WARNING_EVENTS.toLocaleString('en-US')}-event warning, so a run that goes the full ${bound.limit.toLocaleString('en-US')} writes about ${events.toLocaleString('en-US')} events` +
                (events >= HISTORY_LIMIT_EVENTS ? `, past the ${HISTORY_LIMIT_EVENTS.toLocaleString('en-US')} at which the server terminates the workflow.` : ` (the server terminates the workflow at ${HISTORY_LIMIT_EVENTS.toLocaleString('en-US')}), and every replay and cache miss gets slower on the way.`),
              fix: `Lower the bound below ${iterations.toLocaleString('en-US')}, or continueAsNew when workflowInfo().continueAsNewSuggested is true instead of after a fixed count.`,
              related,
              data: { ...data, by: bound.by, limit: bound.limit, iterationsToWarning: iterations, eventsAtLimit: events },
            });
            continue;
          }
          ctx.report({
            location: loop.location,
            severity: 'info',
            message:
              `Workflow ${workflow.name} loops (\`${loop.text}\`) as many times as ${bound.by}${bound.limit !== undefined ? ` (${bound.limit})` : ''}, and each iteration adds about ${loop.eventsPerIteration} history events${branches(loop)} (${growth}). ` +
              `About ${upTo(loop) ? `${Math.floor(HISTORY_WARNING_EVENTS / upTo(loop)!).toLocaleString('en-US')} (every branch taken) to ` : ''}${iterations.toLocaleString('en-US')} iterations reach the ${HISTORY_WARNING_EVENTS.toLocaleString('en-US')}-event warning (the server terminates the workflow at 51,200): fine while ${('collection' in bound && bound.collection) || bound.by} stays below that.`,
            fix: 'If it can grow past that, process it in batches and continueAsNew between them (or fan out to child workflows).',
            related,
            data: { ...data, by: bound.by, iterationsToWarning: iterations },
          });
          continue;
        }
        if (wait && wait.ms === undefined) {
          // Every turn waits for a time computed from data (until a token expires, an interval from
          // the input): how soon the warning comes depends on values preflight cannot see.
          const turns = Math.ceil(HISTORY_WARNING_EVENTS / loop.eventsPerIteration);
          ctx.report({
            location: loop.location,
            severity: 'info',
            message:
              `${opening(workflow.name, loop)}, but every turn sleeps (\`${wait.text}\`, line ${wait.location.line}) for a time computed from data that preflight cannot bound. ` +
              `Each turn adds about ${loop.eventsPerIteration} history events${branches(loop)} (${growth}), so about ${turns.toLocaleString('en-US')} turns reach the ${HISTORY_WARNING_EVENTS.toLocaleString('en-US')}-event warning (the server terminates the workflow at ${HISTORY_LIMIT_EVENTS.toLocaleString('en-US')}): ` +
              `at one turn per day that is ${yearsOf(turns * DAY_MS)}, at one turn per hour ${daysOf(turns * HOUR_MS)}. Whether it matters depends on how short that sleep gets.`,
            fix: 'If the sleep can be short (minutes or hours), call continueAsNew when workflowInfo().continueAsNewSuggested is true, passing the state the next run needs as its input.',
            related: [{ ...wait.location, message: 'the sleep every turn waits on' }, ...related],
            data: { ...data, iterationsToWarning: turns, turnWait: wait.text },
          });
          continue;
        }
        ctx.report({
          location: loop.location,
          message: `${opening(workflow.name, loop)}, and every iteration adds to its history (${growth}). ` +
            'The history grows until the server terminates the workflow at 51,200 events or 50 MiB, and every replay and cache miss gets slower on the way.',
          fix: 'Call continueAsNew when workflowInfo().continueAsNewSuggested is true (or after a fixed number of iterations), passing the state the next run needs as its input.',
          related: bound.kind === 'grows' ? [{ ...('at' in bound ? bound.at : locate(bound.growth)), message: `${bound.collection} grows here` }, ...related] : related,
          data: bound.kind === 'grows' ? { ...data, collection: bound.collection } : data,
        });
      }
    }
  },
});

type Loop = UnboundedLoop | HistoryLoopFacts;

/** The events of an iteration that takes every branch, when branches add to the path every iteration takes. */
function upTo(loop: Loop): number | undefined {
  return 'eventsUpTo' in loop ? loop.eventsUpTo : undefined;
}

/** " (up to 24 when every branch runs)": branches are not counted in the figure, since only some iterations take them. */
function branches(loop: Loop): string {
  const most = upTo(loop);
  return most ? ` (up to ${most.toLocaleString('en-US')} when every branch runs)` : '';
}

/**
 * Beyond this, a loop writes its history too slowly for the count to matter: a workflow that needs
 * more than a year of sleeping to reach the server's warning is redeployed, migrated or done first.
 */
const SLOW_GROWTH_HORIZON_MS = 365 * 24 * 3_600_000;

const HOUR_MS = 3_600_000;
/** Pending child workflows one workflow may have (Temporal facts §5). */
const PENDING_CHILDREN_LIMIT = 2_000;
/** A status wait is info when reaching the warning takes at least this long without a break. */
const STATUS_WAIT_MIN_HOURS = 24;

/** "144", "1.5". */
function formatRate(perHour: number): string {
  return perHour >= 10 ? Math.round(perHour).toLocaleString('en-US') : perHour.toFixed(1);
}
const DAY_MS = 24 * HOUR_MS;
const YEAR_MS = 365 * DAY_MS;

/** "1.2 years", "28 years". */
function yearsOf(ms: number): string {
  const years = ms / YEAR_MS;
  return years < 10 ? `about ${years.toFixed(1)} years` : `about ${Math.round(years).toLocaleString('en-US')} years`;
}

/** "18 days". */
function daysOf(ms: number): string {
  const days = Math.round(ms / DAY_MS);
  return `about ${days.toLocaleString('en-US')} day${days === 1 ? '' : 's'}`;
}

/** When every turn sleeps long enough that the warning is more than the horizon away: the time it takes. */
function slowGrowth(eventsPerTurn: number, wait: TurnWait | undefined): { turnMs: number; ms: number; years: string } | undefined {
  if (!wait?.ms) return undefined;
  const ms = Math.ceil(HISTORY_WARNING_EVENTS / eventsPerTurn) * wait.ms;
  if (ms <= SLOW_GROWTH_HORIZON_MS) return undefined;
  const years = ms / (365 * 24 * 3_600_000);
  return { turnMs: wait.ms, ms, years: years < 10 ? `${years.toFixed(1)} years` : `${Math.round(years).toLocaleString('en-US')} years` };
}

/** The loops of each workflow: computed by the front-end (Python), or read from the TypeScript model. */
function loopsByWorkflow(model: TemporalModel): { workflow: { name: string }; loops: Loop[] }[] {
  const facts = model.payloadFacts;
  if (facts) {
    const names = [...new Set(facts.historyLoops.map((loop) => loop.workflow))];
    return names.map((name) => ({ workflow: { name }, loops: facts.historyLoops.filter((loop) => loop.workflow === name) }));
  }
  return model.workflows.map((workflow) => ({ workflow, loops: unboundedLoops(model, workflow) }));
}

function opening(workflow: string, loop: Loop): string {
  if (loop.bound.kind === 'grows') {
    return `Workflow ${workflow} loops (\`${loop.text}\`) over ${loop.bound.collection}, which grows while the loop runs, with no continue-as-new`;
  }
  return `Workflow ${workflow} loops (\`${loop.text}\`) with no fixed bound and no continue-as-new`;
}

/** "the handler of reindexSignal", "the handlers of a and b". */
function listMessages(messages: string[]): string {
  const text = messages.length <= 1 ? messages[0] : `${messages.slice(0, -1).join(', ')} and ${messages[messages.length - 1]}`;
  return `the handler${messages.length === 1 ? '' : 's'} of ${text}`;
}

function listHandlers(handlers: string[]): string {
  const named = handlers.map((h) => `${h}()`);
  const text = named.length <= 1 ? (named[0] ?? 'a handler') : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  return `the handler${handlers.length === 1 ? '' : 's'} ${text}`;
}
