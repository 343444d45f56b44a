// The retry policy the server actually runs for a proxy (TEMPORAL-FACTS.md section 3): the
// written fields over the server defaults, bounded in time by the effective scheduleToClose.
// The arithmetic lives in src/simulate/retry-policy.ts; this file only turns options into its input.

import type { Configurable } from '../../model/types.js';
import type { SourceLocation } from '../../model/types.js';
import { effectiveRetryPolicy, type EffectiveRetryPolicy, type RetryPolicyInput } from '../../simulate/retry-policy.js';
import type { ActivityOptionsView, DurationField, NumberField } from './read-options.js';

export interface UnresolvedField {
  /** Option path, e.g. `retry.maximumAttempts`. */
  field: string;
  text: string;
  location: SourceLocation;
}

export type EffectiveRetry =
  | {
      known: true;
      /** False when no retry policy is written: the server default applies. */
      written: boolean;
      policy: EffectiveRetryPolicy;
      /** Written values that come from configuration (judged by their defaults). */
      configurable: ({ field: string } & Configurable)[];
    }
  | { known: false; unresolved: UnresolvedField };

export function effectiveRetry(view: ActivityOptionsView): EffectiveRetry {
  const configurable: ({ field: string } & Configurable)[] = [];
  const input: RetryPolicyInput = {};
  const retry = view.retry;
  if (retry.state === 'maybe' || retry.state === 'unknown') {
    return { known: false, unresolved: { field: 'retry', text: retry.text, location: retry.location } };
  }
  if (retry.state === 'set') {
    const durations: [string, DurationField, 'initialIntervalMs' | 'maximumIntervalMs'][] = [
      ['retry.initialInterval', retry.initialInterval, 'initialIntervalMs'],
      ['retry.maximumInterval', retry.maximumInterval, 'maximumIntervalMs'],
    ];
    for (const [field, value, key] of durations) {
      if (value.state === 'absent' || value.state === 'null') continue;
      if (value.state !== 'set' && value.state !== 'zero') return { known: false, unresolved: unresolvedOf(field, value) };
      input[key] = value.state === 'set' ? value.ms : 0;
      if (value.configurable) configurable.push({ field, ...value.configurable });
    }
    const numbers: [string, NumberField, 'backoffCoefficient' | 'maximumAttempts'][] = [
      ['retry.backoffCoefficient', retry.backoffCoefficient, 'backoffCoefficient'],
      ['retry.maximumAttempts', retry.maximumAttempts, 'maximumAttempts'],
    ];
    for (const [field, value, key] of numbers) {
      if (value.state === 'absent') continue;
      if (value.state !== 'set') return { known: false, unresolved: unresolvedOf(field, value) };
      input[key] = value.value;
      if (value.configurable) configurable.push({ field, ...value.configurable });
    }
    if (retry.nonRetryableErrorTypes.state === 'set') {
      input.nonRetryableErrorTypes = retry.nonRetryableErrorTypes.entries.map((entry) => entry.value);
    }
  }
  // Retrying stops when the next attempt would pass scheduleToClose; unset means the workflow run
  // timeout, unlimited by default.
  const scheduleToClose = view.scheduleToCloseTimeout;
  if (scheduleToClose.state === 'set') {
    input.scheduleToCloseMs = scheduleToClose.ms;
    if (scheduleToClose.configurable) configurable.push({ field: 'scheduleToCloseTimeout', ...scheduleToClose.configurable });
  } else if (scheduleToClose.state !== 'absent' && scheduleToClose.state !== 'zero' && scheduleToClose.state !== 'null') {
    return { known: false, unresolved: unresolvedOf('scheduleToCloseTimeout', scheduleToClose) };
  }
  return { known: true, written: retry.state === 'set', policy: effectiveRetryPolicy(input), configurable };
}

type PresentField = Exclude<DurationField | NumberField, { state: 'absent' }>;

function unresolvedOf(field: string, value: PresentField): UnresolvedField {
  return { field, text: 'text' in value ? value.text : value.written, location: value.location };
}
