// Points at a workflow loop that never ends and starts a child workflow on every round, a few
// seconds or minutes apart: every round is a new workflow execution with its own history, kept for
// the namespace's retention period and listed in visibility. At one round every 15 seconds that is
// 5,760 executions a day for each running parent. Filed under payloads with the other checks on
// what workflows write to the server's storage. A warning from 1,440 a day (a round a minute or
// faster), or from 288 a day when the child only wraps one activity (an activity call would do
// the same); info for rounds up to five minutes apart otherwise.

import { defineCheck } from '../define-check.js';
import { formatDuration } from '../../engine/duration.js';
import { childStartsPerRound } from '../../model/typescript/child-per-round.js';

const DAY_MS = 86_400_000;
const WARN_PER_DAY = 1_440;

export default defineCheck({
  id: 'workflow-child-per-loop-round',
  area: 'payloads',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'An endless workflow loop starts a child workflow on every round a few seconds or minutes apart: thousands of executions a day',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const hit of childStartsPerRound(model)) {
      const perDay = Math.floor(DAY_MS / hit.intervalMs);
      const warning = perDay >= WARN_PER_DAY || hit.singleActivity !== undefined;
      const endless = hit.endless === 'loop' ? 'never ends' : 'starts over in a new run through continue-as-new';
      const wrapper = hit.singleActivity
        ? ` ${hit.child} only runs activity ${hit.singleActivity}: calling that activity from the loop does the same work without a workflow execution.`
        : '';
      ctx.report({
        location: hit.location,
        severity: warning ? 'warning' : 'info',
        message:
          `Workflow ${hit.parent} starts a new child workflow ${hit.child} on every round of a loop that ${endless}, and the rounds are ${formatDuration(hit.intervalMs)} apart: ` +
          `up to about ${perDay.toLocaleString('en-US')} child executions a day for each running ${hit.parent}. ` +
          'Each is a workflow execution with its own history, kept for the namespace retention period and listed in visibility, so they fill the workflow list and retention storage and cost a start and workflow tasks each.' +
          wrapper,
        fix: hit.singleActivity
          ? `Call ${hit.singleActivity} as an activity from the loop instead of starting ${hit.child}; or run the round far less often.`
          : `Run the work in the parent (as activities), start the child only when there is work to do, or make the rounds far less frequent (a longer sleep, or a Temporal Schedule).`,
        related: [{ ...hit.loop, message: `the loop (${hit.endless === 'loop' ? 'endless' : 'followed by continueAsNew'}), one child per round` }],
        data: { parent: hit.parent, child: hit.child, intervalMs: hit.intervalMs, executionsPerDay: perDay, ...(hit.singleActivity ? { singleActivity: hit.singleActivity } : {}) },
      });
    }
  },
});
