// The timeouts the server actually applies to an activity, from the options as written
// (TEMPORAL-FACTS.md section 2, and the server's command checker): 0 or unset means "not set";
// with scheduleToClose set, unset startToClose / scheduleToStart take its value and set ones are
// capped at it; without it, scheduleToClose becomes the workflow run timeout (unlimited by
// default) and so does an unset scheduleToStart; heartbeat is capped at startToClose; neither
// startToClose nor scheduleToClose is rejected.

import type { Configurable } from '../../model/types.js';
import type { ActivityOptionsView, DurationField } from './read-options.js';

export type TimeoutSource =
  /** As written. */
  | 'written'
  /** Written, lowered to scheduleToClose (or to startToClose for heartbeat). */
  | 'capped'
  /** Unset; takes scheduleToClose's value. */
  | 'from-schedule-to-close'
  /** Unset; the workflow run timeout applies, unlimited by default. */
  | 'run-timeout'
  /** Unset and nothing stands in for it (heartbeat). */
  | 'none';

export type EffectiveTimeout =
  | { known: true; /** Infinity = no limit. */ ms: number; source: TimeoutSource; configurable?: Configurable }
  | { known: false };

export interface EffectiveTimeouts {
  /** Whether the SDK and the server accept the combination of startToClose and scheduleToClose. */
  accepted: true | 'unknown' | { rejectedBy: 'sdk' | 'server' };
  scheduleToClose: EffectiveTimeout;
  startToClose: EffectiveTimeout;
  scheduleToStart: EffectiveTimeout;
  heartbeat: EffectiveTimeout;
}

type Raw = { ms: number; configurable?: Configurable } | undefined;

/** Milliseconds as the server sees them: 0 for unset / zero / null; undefined when we cannot tell. */
function raw(field: DurationField): Raw {
  switch (field.state) {
    case 'set':
      return { ms: field.ms, ...(field.configurable ? { configurable: field.configurable } : {}) };
    case 'absent':
    case 'zero':
    case 'null':
      return { ms: 0 };
    default:
      // 'invalid' fields are activity-timeout-invalid's business; everything else is "cannot tell".
      return undefined;
  }
}

const UNKNOWN: EffectiveTimeout = { known: false };

function timeout(ms: number, source: TimeoutSource, configurable?: Configurable): EffectiveTimeout {
  return { known: true, ms, source, ...(configurable ? { configurable } : {}) };
}

export function effectiveTimeouts(view: ActivityOptionsView): EffectiveTimeouts {
  const sc = raw(view.scheduleToCloseTimeout);
  const stc = raw(view.startToCloseTimeout);
  const sts = raw(view.scheduleToStartTimeout);
  const hb = raw(view.heartbeatTimeout);

  let scheduleToClose: EffectiveTimeout = UNKNOWN;
  let startToClose: EffectiveTimeout = UNKNOWN;
  let scheduleToStart: EffectiveTimeout = UNKNOWN;
  let accepted: EffectiveTimeouts['accepted'] = 'unknown';

  if (sc && sc.ms > 0) {
    accepted = true;
    scheduleToClose = timeout(sc.ms, 'written', sc.configurable);
    startToClose = capAt(stc, sc);
    scheduleToStart = capAt(sts, sc);
  } else if (stc && stc.ms > 0) {
    accepted = true;
    startToClose = timeout(stc.ms, 'written', stc.configurable);
    if (sc) scheduleToClose = timeout(Number.POSITIVE_INFINITY, 'run-timeout');
    if (sts && sts.ms > 0) scheduleToStart = timeout(sts.ms, 'written', sts.configurable);
    else if (sts && sc) scheduleToStart = timeout(Number.POSITIVE_INFINITY, 'run-timeout');
  } else if (sc && stc) {
    accepted = { rejectedBy: rejectedBothMissing(view) };
  }

  let heartbeat: EffectiveTimeout = UNKNOWN;
  if (hb && hb.ms === 0) heartbeat = timeout(Number.POSITIVE_INFINITY, 'none');
  else if (hb && startToClose.known && startToClose.ms < hb.ms) heartbeat = timeout(startToClose.ms, 'capped', hb.configurable);
  else if (hb) heartbeat = timeout(hb.ms, 'written', hb.configurable);

  return { accepted, scheduleToClose, startToClose, scheduleToStart, heartbeat };
}

function capAt(value: Raw, scheduleToClose: { ms: number; configurable?: Configurable }): EffectiveTimeout {
  if (!value) return UNKNOWN;
  if (value.ms === 0) return timeout(scheduleToClose.ms, 'from-schedule-to-close', scheduleToClose.configurable);
  if (value.ms > scheduleToClose.ms) return timeout(scheduleToClose.ms, 'capped', scheduleToClose.configurable);
  return timeout(value.ms, 'written', value.configurable);
}

/**
 * The TypeScript SDK's `validateActivityOptions` throws only when both options are `undefined`; a
 * `null` or a 0 passes it and the server then rejects the command ("A valid StartToClose or
 * ScheduleToCloseTimeout is not set"). The Python SDK tests both for truthiness when the activity
 * is scheduled, so None and timedelta(0) raise there.
 */
function rejectedBothMissing(view: ActivityOptionsView): 'sdk' | 'server' {
  if (view.language === 'python') return 'sdk';
  const givenToSdk = (field: DurationField) => field.state === 'zero' || field.state === 'null';
  return givenToSdk(view.startToCloseTimeout) || givenToSdk(view.scheduleToCloseTimeout) ? 'server' : 'sdk';
}
