// Sentences that put the effective policy and its cost into finding messages, so every retry or
// timeout finding says what the server will actually do (TEMPORAL-FACTS.md sections 2, 3, 10).

import type { Configurable } from '../../model/types.js';
import { environmentReference } from '../../model/environment-reference.js';
import type { PreflightConfig } from '../config.js';
import { formatDuration, parseDuration } from '../duration.js';
import { attemptsDuringOutage, retryDelay, type EffectiveRetryPolicy } from '../../simulate/retry-policy.js';
import { outageCostSentence, spokenDuration } from '../../simulate/outage-cost-sentence.js';
import { actionsCostUsd } from '../../simulate/actions-cost.js';
import type { ActivityProxyFacts as ActivityProxy } from '../../model/types.js';
import type { ActivityUse } from '../../model/activity-uses.js';
import type { EffectiveTimeout } from './effective-timeouts.js';

/** Local activities back off in the worker up to this long; longer backoffs become workflow timers (§2). */
export const DEFAULT_LOCAL_RETRY_THRESHOLD_MS = 60_000;

/** The localRetryThreshold a local proxy writes, or the SDK default (§2). */
export function localRetryThresholdMs(field: { state: string; ms?: number }): number {
  return field.state === 'set' && field.ms !== undefined ? field.ms : DEFAULT_LOCAL_RETRY_THRESHOLD_MS;
}

/** "proxyActivities for chargeCard and refundPayment", "executeWithOptions override for chargeCard". */
export function describeProxy(proxy: ActivityProxy, uses: ActivityUse[]): string {
  const call =
    proxy.call ?? (proxy.origin === 'override' ? 'executeWithOptions override' : proxy.kind === 'local' ? 'proxyLocalActivities' : 'proxyActivities');
  return uses.length === 0 ? `${call} (no workflow takes an activity from it)` : `${call} for ${listNames(uses.map((use) => use.type))}`;
}

/** "a", "a and b", "a, b and c", "a, b, c and 4 more". */
export function listNames(names: string[], max = 4): string {
  if (names.length === 0) return 'no activity';
  if (names.length === 1) return names[0]!;
  if (names.length > max) return `${names.slice(0, max - 1).join(', ')} and ${names.length - max + 1} more`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function describeTimeout(timeout: EffectiveTimeout): string {
  if (!timeout.known) return 'unknown';
  return Number.isFinite(timeout.ms) ? formatDuration(timeout.ms) : 'unlimited';
}

/**
 * "initial interval 1s, backoff 2, maximum interval 1m 40s, unlimited attempts, no
 * scheduleToCloseTimeout": the policy the server runs, every field filled.
 */
export function describeRetryPolicy(policy: EffectiveRetryPolicy): string {
  const attempts = policy.maximumAttempts === 0 ? 'unlimited attempts' : `at most ${policy.maximumAttempts} attempt${policy.maximumAttempts === 1 ? '' : 's'}`;
  const bound = policy.scheduleToCloseMs === undefined ? 'no scheduleToCloseTimeout' : `stopped by scheduleToCloseTimeout after ${formatDuration(policy.scheduleToCloseMs)}`;
  return `initial interval ${formatDuration(policy.initialIntervalMs)}, backoff ${policy.backoffCoefficient}, maximum interval ${formatDuration(policy.maximumIntervalMs)}, ${attempts}, ${bound}`;
}

export interface OutageSettings {
  outageMs: number;
  workflowsInFlight: number;
}

export function outageSettings(config: PreflightConfig): OutageSettings {
  const outageMs = parseDuration(config.volume.outage) ?? 30 * 60_000;
  return { outageMs, workflowsInFlight: config.volume.workflowsInFlight };
}

/**
 * What an outage of the configured length costs under this policy. Remote activities: Actions
 * and dollars (every attempt is an Action, §10). Local activities run their attempts inside the
 * worker, so the sentence counts calls to the failing dependency and the workflow timers that
 * backoffs over localRetryThreshold turn into.
 */
export function outageCost(policy: EffectiveRetryPolicy, kind: ActivityProxy['kind'], settings: OutageSettings, localRetryThresholdMs = DEFAULT_LOCAL_RETRY_THRESHOLD_MS, upperBound?: string): string {
  if (kind === 'remote') return outageCostSentence({ policy, ...settings, ...(upperBound !== undefined ? { upperBound } : {}) });
  const result = attemptsDuringOutage(policy, settings.outageMs);
  let timers = 0;
  for (let attempt = 1; attempt < result.attempts; attempt++) {
    if (retryDelay(policy, attempt) > localRetryThresholdMs) timers++;
  }
  const calls = result.attempts * settings.workflowsInFlight;
  const timerNote = timers > 0 ? `, ${count(timers, 'retry', 'retries')} of them after a workflow timer because the backoff passes localRetryThreshold (${formatDuration(localRetryThresholdMs)})` : '';
  return (
    `an outage of ${spokenDuration(settings.outageMs)} makes ${count(result.attempts, 'attempt', 'attempts')} per activity${timerNote}; ` +
    `at ${count(settings.workflowsInFlight, 'workflow', 'workflows')} in flight that is ${count(calls, 'call', 'calls')} to the failing dependency`
  );
}

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** " (retry.maximumAttempts comes from process.env.RETRIES; judged by its default)", or "". */
export function configurableNote(fields: ({ field: string } & Configurable)[]): string {
  if (fields.length === 0) return '';
  const parts = fields.map((f) => `${f.field} comes from ${environmentReference(f)}`);
  return ` (${parts.join(', ')}; judged by ${fields.length === 1 ? 'its default' : 'their defaults'}, configurable at deploy time)`;
}

/** The numbers behind outageCost, for a finding's data. */
export function outageData(policy: EffectiveRetryPolicy, kind: ActivityProxy['kind'], settings: OutageSettings): Record<string, unknown> {
  const result = attemptsDuringOutage(policy, settings.outageMs);
  const total = result.attempts * settings.workflowsInFlight;
  return {
    outageMs: settings.outageMs,
    workflowsInFlight: settings.workflowsInFlight,
    attemptsPerActivity: result.attempts,
    outcome: result.outcome,
    ...(kind === 'remote' ? { actions: total, costUsd: actionsCostUsd(total) } : { dependencyCalls: total }),
  };
}

/** Starts a sentence taken from the middle of another. */
export function capitalize(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** The fields among `fields` whose value comes from configuration, for configurableNote. */
export function configurableFields(fields: [string, { state: string; configurable?: Configurable }][]): ({ field: string } & Configurable)[] {
  const found: ({ field: string } & Configurable)[] = [];
  for (const [field, value] of fields) if (value.configurable) found.push({ field, ...value.configurable });
  return found;
}
