// Prevents slow detection of crashed workers on activities that do heartbeat: the server declares
// an attempt lost only when no heartbeat arrived for heartbeatTimeout, so a timeout of an hour
// leaves a workflow stalled for an hour after every crash or redeploy of its worker.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { configurableFields, configurableNote, describeTimeout, listNames } from '../../engine/activity-policy/describe-policy.js';
import { documentedChoice, documentedNote } from '../../engine/activity-policy/documented-choice.js';
import { neverRetried } from '../../engine/activity-policy/attempt-cap.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { formatDuration } from '../../engine/duration.js';
import { relativePath } from '../../model/typescript/locate.js';

/**
 * From this heartbeatTimeout on, a lost worker stalls the workflow for longer than most alerting
 * windows and on-call patience. Heartbeats are throttled to at most one a minute (0.8 x the timeout,
 * capped at 60 s), so a timeout of a few minutes already tolerates every healthy gap the SDK makes.
 */
export const LONG_HEARTBEAT_TIMEOUT_MS = 10 * 60_000;

export default defineCheck({
  id: 'activity-heartbeat-timeout-long',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'heartbeatTimeout of 10 minutes or more on activities that heartbeat: a crashed worker is noticed only after that long, per attempt.',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, timeouts, label, uses } = review;
  if (proxy.kind !== 'remote' || options.unresolved) return undefined;
  const field = options.heartbeatTimeout;
  if (field.state !== 'set' || field.ms < LONG_HEARTBEAT_TIMEOUT_MS) return undefined;
  // Not shorter than startToClose: the server caps it, and activity-timeouts-inconsistent says so.
  const attempt = timeouts.startToClose;
  if (attempt.known && attempt.ms <= field.ms) return undefined;
  // The timeout watches only activities that heartbeat; on the others it caps each attempt, which
  // activity-heartbeat-timeout-without-heartbeat reports.
  const beating = uses.flatMap((use) => use.implementations.filter((impl) => impl.heartbeat).map((impl) => ({ type: use.type, impl })));
  if (beating.length === 0) return undefined;
  const types = [...new Set(beating.map((b) => b.type))];
  const periods = beating.map((b) => b.impl.heartbeat!.timerIntervalMs).filter((ms): ms is number => ms !== undefined);
  const timed = periods.length === beating.length ? Math.max(...periods) : undefined;
  const cadence =
    timed !== undefined
      ? ` ${types.length === 1 ? 'It heartbeats' : 'They heartbeat'} from a timer every ${formatDuration(timed)}: the timeout is ${Math.round(field.ms / timed).toLocaleString('en-US')} heartbeat intervals, where a few would do, ` +
        'unless something blocks the event loop long enough to stop the timer (then that blocking is the defect the long timeout hides).'
      : '';
  // A comment next to the proxy that speaks of heartbeats weighed the detection delay against false
  // heartbeat timeouts (a duplicated side effect): a trade-off, restated as info.
  const documented = documentedChoice(review, /heartbeat/i);
  const after = neverRetried([review]) ? 'and then the activity fails (maximumAttempts 1: no retry)' : 'and only then schedules a retry';
  return verdict([`heartbeatTimeout ${field.written}`], {
    location: proxy.location,
    ...(documented ? { severity: 'info' as const } : {}),
    message:
      `heartbeatTimeout ${field.written} on ${label}, which ${types.length === 1 ? 'serves' : 'serve'} ${listNames(types)} (${types.length === 1 ? 'it heartbeats' : 'they heartbeat'}): ` +
      `when a worker crashes, is killed or redeployed mid-attempt, the server notices only after ${formatDuration(field.ms)} without a heartbeat, ${after}. ` +
      `Every lost attempt stalls its workflow for ${formatDuration(field.ms)}${attempt.known && Number.isFinite(attempt.ms) ? ` (its startToCloseTimeout, ${describeTimeout(attempt)}, would end it later still)` : ''}.` +
      cadence +
      configurableNote(configurableFields([['heartbeatTimeout', field]])) +
      (documented ? documentedNote(documented, relativePath(ctx.root, documented.location.file)) : ''),
    fix:
      'Set heartbeatTimeout to a small multiple of the longest healthy gap between heartbeats (e.g. 30s to 2 minutes for a heartbeat every few seconds). ' +
      'If heartbeats stop because a step blocks the event loop, move that step off the event loop (a worker thread or child process) or heartbeat between its parts, rather than stretching the timeout.',
    related: [
      ...beating.map((b) => ({ ...b.impl.heartbeat!.location, message: `${b.impl.name} heartbeats here` })),
      ...(documented ? [{ ...documented.location, message: 'the comment that documents the choice' }] : []),
    ],
    data: { ...policyData(review), heartbeatTimeoutMs: field.ms, activitiesWithHeartbeat: types, ...(timed !== undefined ? { heartbeatIntervalMs: timed } : {}) },
  });
}
