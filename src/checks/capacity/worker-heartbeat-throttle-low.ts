// Prevents a worker that sends the server a heartbeat call about twice a second for every running
// activity: maxHeartbeatThrottleInterval / defaultHeartbeatThrottleInterval forced below a second
// override the SDK's throttle (80% of heartbeatTimeout, at most 60 s; 30 s without one), so each
// activity that calls heartbeat() in its work loop turns into a steady stream of RPCs.

import { defineCheck } from '../define-check.js';
import { LONG_START_TO_CLOSE_MS } from '../../engine/activity-policy/long-running.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { formatDuration, parseDuration } from '../../engine/duration.js';
import { workerActivitySpans, type WorkerActivitySpan } from '../../engine/worker-activity-spans.js';
import { environmentReference } from '../../model/environment-reference.js';
import { numberOption, registersActivities, workerLabel, workerOption } from '../../model/typescript/observability/worker-options.js';
import type { Configurable } from '../../model/types.js';
import type { SourceLocation } from '../../model/typescript/types.js';

/** @temporalio/worker 1.24 defaults (worker-options.js: maxHeartbeatThrottleInterval '60s', defaultHeartbeatThrottleInterval '30s'). */
export const SDK_HEARTBEAT_THROTTLE = { maxHeartbeatThrottleInterval: 60_000, defaultHeartbeatThrottleInterval: 30_000 } as const;
/** Below this a throttle lets one running activity send more than one heartbeat call per second. */
export const LOW_THROTTLE_MS = 1000;

type ThrottleOption = keyof typeof SDK_HEARTBEAT_THROTTLE;

interface Setting {
  name: ThrottleOption;
  ms: number;
  written: string;
  location: SourceLocation;
  configurable?: Configurable;
}

export default defineCheck({
  id: 'worker-heartbeat-throttle-low',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'maxHeartbeatThrottleInterval or defaultHeartbeatThrottleInterval below a second: every running activity that heartbeats in its work sends the server a call about that often.',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const worker of model.workers) {
      if (!registersActivities(worker)) continue;
      const settings = (Object.keys(SDK_HEARTBEAT_THROTTLE) as ThrottleOption[]).flatMap((name): Setting[] => {
        const option = workerOption(worker, name, model);
        if (option.state !== 'set') return [];
        const value = option.value;
        if (value.kind !== 'string' && value.kind !== 'number') return [];
        const ms = parseDuration(value.value);
        if (ms === null) return [];
        const configurable = 'configurable' in value ? value.configurable : undefined;
        // A value from a constant in another file is reported at the worker that uses it.
        const location = option.location.file === worker.location.file ? option.location : worker.location;
        return [{ name, ms, written: value.kind === 'string' ? `'${value.value}'` : `${value.value} (ms)`, location, ...(configurable ? { configurable } : {}) }];
      });
      const low = settings.filter((setting) => setting.ms > 0 && setting.ms < LOW_THROTTLE_MS);
      if (low.length === 0) continue;
      const throttle = {
        ...SDK_HEARTBEAT_THROTTLE,
        ...Object.fromEntries(settings.filter((setting) => setting.ms > 0).map((setting) => [setting.name, setting.ms])),
      } as Record<ThrottleOption, number>;
      const label = workerLabel(worker, model);
      const written = low.map((setting) => `${setting.name} to ${setting.written}`).join(' and ');
      const first = low[0]!;
      const fromEnv = low.find((setting) => setting.configurable);
      const spans = workerActivitySpans(worker, model);
      if (spans === undefined) {
        ctx.report({
          location: first.location,
          severity: 'info',
          message:
            `${label} sets ${written}: every activity it runs that calls heartbeat() in its work may send the server a heartbeat call that often (the SDK otherwise throttles to 80% of heartbeatTimeout, at most 60 s, or 30 s without one). ` +
            'Which activities it registers cannot be read here, so how many heartbeat is not known.',
          fix: 'Leave the heartbeat throttle at the SDK default, or set it to a few seconds; to notice cancellation sooner on one activity, give that activity a short heartbeatTimeout instead.',
          data: { options: Object.fromEntries(low.map((setting) => [setting.name, setting.ms])) },
        });
        continue;
      }
      const affected = spans.flatMap((span) => {
        const heartbeat = span.implementation.heartbeat;
        if (!heartbeat) return [];
        // A timer that heartbeats once a second or less often sends no more than that, whatever the throttle.
        if (heartbeat.fromTimer && heartbeat.timerIntervalMs !== undefined && heartbeat.timerIntervalMs >= LOW_THROTTLE_MS) return [];
        const intervals = span.callers.map((caller) => ({ now: throttleFor(caller.timeouts.heartbeat, throttle), sdk: throttleFor(caller.timeouts.heartbeat, SDK_HEARTBEAT_THROTTLE) }));
        const lowered = intervals.filter((interval): interval is { now: number; sdk: number } => interval.now !== undefined && interval.sdk !== undefined && interval.now < LOW_THROTTLE_MS && interval.sdk >= LOW_THROTTLE_MS);
        if (lowered.length === 0) return [];
        return [{ span, intervalMs: Math.min(...lowered.map((interval) => interval.now)), sdkMs: Math.min(...lowered.map((interval) => interval.sdk)) }];
      });
      if (affected.length === 0) continue;
      const long = affected.filter(({ span }) => !span.implementation.heartbeat?.fromTimer && span.longestAttemptMs !== undefined && span.longestAttemptMs >= LONG_START_TO_CLOSE_MS);
      const warning = long.some(({ span }) => !span.configurable) && !fromEnv;
      const intervalMs = Math.min(...affected.map((entry) => entry.intervalMs));
      const perSecond = 1000 / intervalMs;
      const slots = numberOption(workerOption(worker, 'maxConcurrentActivityTaskExecutions', model));
      const names = (entries: { span: WorkerActivitySpan }[]) => listNames(entries.map(({ span }) => span.name));
      const sdkMs = Math.min(...affected.map((entry) => entry.sdkMs));
      const longText =
        long.length > 0
          ? ` ${names(long)} ${long.length === 1 ? 'heartbeats' : 'heartbeat'} from ${long.length === 1 ? 'its' : 'their'} work and may run for up to ${formatDuration(Math.max(...long.map(({ span }) => span.longestAttemptMs!)))} per attempt, so the calls go on for as long as ${long.length === 1 ? 'it runs' : 'they run'}.`
          : '';
      const scale = slots !== undefined ? ` With its ${slots} activity slots busy that is up to ${round(perSecond * slots)} calls per second from each worker process.` : '';
      ctx.report({
        location: first.location,
        severity: warning ? 'warning' : 'info',
        message:
          `${label} sets ${written}: ${names(affected)} can then send the server a heartbeat call every ${formatDuration(intervalMs)} (${round(perSecond)} per second) for each running attempt, instead of every ${formatDuration(sdkMs)} with the SDK's throttle (80% of heartbeatTimeout, at most 60 s; 30 s without a heartbeatTimeout).` +
          longText +
          scale +
          ' Each one is a RecordActivityTaskHeartbeat request the server handles, counted against the namespace rate limits (and a billed Action on Temporal Cloud).' +
          (fromEnv ? ` The value is the default of ${environmentReference(fromEnv.configurable!)}, so the deployed one may differ; this is a note.` : ''),
        fix:
          'Leave the heartbeat throttle at the SDK default, or set it to a few seconds. If the point is to notice a cancellation sooner, give the activities that need it a short heartbeatTimeout (the throttle is 80% of it) instead of lowering it for every activity on the worker.',
        related: affected.map(({ span }) => ({ ...span.implementation.heartbeat!.location, message: `${span.name} heartbeats here` })),
        data: {
          options: Object.fromEntries(low.map((setting) => [setting.name, setting.ms])),
          activities: affected.map(({ span, intervalMs: ms, sdkMs: sdk }) => ({ name: span.name, throttleMs: ms, sdkThrottleMs: sdk, longestAttemptMs: span.longestAttemptMs ?? null })),
          ...(fromEnv ? { configurable: fromEnv.configurable!.env } : {}),
        },
      });
    }
  },
});

/**
 * The heartbeat throttle the SDK applies to one activity call: 80% of its heartbeatTimeout, or
 * defaultHeartbeatThrottleInterval without one, never longer than maxHeartbeatThrottleInterval
 * (@temporalio/worker worker-options.d.ts). Undefined when the heartbeatTimeout is not known.
 */
function throttleFor(heartbeat: WorkerActivitySpan['callers'][number]['timeouts']['heartbeat'], throttle: Record<ThrottleOption, number>): number | undefined {
  if (!heartbeat.known) return undefined;
  const base = Number.isFinite(heartbeat.ms) && heartbeat.ms > 0 ? heartbeat.ms * 0.8 : throttle.defaultHeartbeatThrottleInterval;
  return Math.min(base, throttle.maxHeartbeatThrottleInterval);
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '');
}
