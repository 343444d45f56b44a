// Prevents timeouts that do not do what they say: the server silently caps a heartbeat or
// start-to-close timeout at the larger deadline, and a scheduleToClose past the business deadline
// keeps an activity retrying after the business gave up.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { deadlinesOf, describeDeadlines } from '../../engine/activity-policy/activity-deadlines.js';
import { configurableFields, configurableNote } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import type { DurationField } from '../../engine/activity-policy/read-options.js';
import { formatDuration } from '../../engine/duration.js';

type SetDuration = Extract<DurationField, { state: 'set' }>;

export default defineCheck({
  id: 'activity-timeouts-inconsistent',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Timeouts that contradict each other or the business deadline: heartbeat >= startToClose, startToClose >= scheduleToClose, and the like.',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, label, uses } = review;
  if (options.unresolved) return undefined;
  const set = (field: DurationField): SetDuration | undefined => (field.state === 'set' ? field : undefined);
  const heartbeat = proxy.kind === 'remote' ? set(options.heartbeatTimeout) : undefined;
  const attempt = set(options.startToCloseTimeout);
  const overall = set(options.scheduleToCloseTimeout);
  const queue = set(options.scheduleToStartTimeout);
  const problems: string[] = [];
  // The contradictions by kind, to compare an override with its base.
  const kinds: string[] = [];
  const attemptLimit = attempt ? { name: 'startToCloseTimeout', value: attempt } : overall ? { name: 'scheduleToCloseTimeout (startToClose takes its value)', value: overall } : undefined;
  if (heartbeat && attemptLimit && heartbeat.ms >= attemptLimit.value.ms) {
    kinds.push('heartbeat >= startToClose');
    problems.push(
      `heartbeatTimeout ${heartbeat.written} is not shorter than ${attemptLimit.name} ${attemptLimit.value.written}: the server caps it at ${formatDuration(attemptLimit.value.ms)}, ` +
        `so a dead worker is never detected sooner than by the attempt timeout and the heartbeat timeout buys nothing`,
    );
  }
  if (attempt && overall && attempt.ms >= overall.ms) {
    kinds.push('startToClose >= scheduleToClose');
    problems.push(
      `startToCloseTimeout ${attempt.written} is not shorter than scheduleToCloseTimeout ${overall.written}: the server caps it at ${formatDuration(overall.ms)}, ` +
        `so one hung attempt uses the whole budget and no retry fits`,
    );
  }
  if (queue && overall && queue.ms >= overall.ms) {
    kinds.push('scheduleToStart >= scheduleToClose');
    problems.push(
      `scheduleToStartTimeout ${queue.written} is not shorter than scheduleToCloseTimeout ${overall.written}: the server caps it at ${formatDuration(overall.ms)}, ` +
        `so it never fires on its own and a full queue surfaces only as a ScheduleToClose timeout`,
    );
  }
  const pastDeadline = overall ? deadlinesOf(ctx.config, uses.map((use) => use.type)).filter((d) => overall.ms > d.ms) : [];
  if (overall && pastDeadline.length > 0) {
    kinds.push(...pastDeadline.map((d) => `scheduleToClose past deadline of ${d.type}`));
    problems.push(
      `scheduleToCloseTimeout ${overall.written} is longer than the business deadline of ${describeDeadlines(pastDeadline)} (deadlines.activities in the config): ` +
        `retries go on after the business stopped waiting`,
    );
  }
  if (problems.length === 0) return undefined;
  const fields = configurableFields([
    ['heartbeatTimeout', options.heartbeatTimeout],
    ['startToCloseTimeout', options.startToCloseTimeout],
    ['scheduleToCloseTimeout', options.scheduleToCloseTimeout],
    ['scheduleToStartTimeout', options.scheduleToStartTimeout],
  ]);
  return verdict(kinds, {
    location: proxy.location,
    message: `Timeouts of ${label} contradict each other: ${problems.join('; ')}.${configurableNote(fields)}`,
    fix:
      'Order the timeouts heartbeatTimeout < startToCloseTimeout < scheduleToCloseTimeout <= business deadline, ' +
      'leaving room in scheduleToClose for the retries you want (e.g. heartbeat 30s, startToClose 5m, scheduleToClose 30m).',
    data: { ...policyData(review), problems },
  });
}
