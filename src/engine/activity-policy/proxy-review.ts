// Everything the retry and timeout checks need about one activity proxy, computed once per model
// and shared: the activity types it schedules, their implementations, the options as written and
// the effective timeouts and retry policy the server will apply.

import type { ActivityProxyFacts as ActivityProxy, CodeModel } from '../../model/types.js';
import type { FindingDraft } from '../../checks/define-check.js';
import { activityUsesOf, type ActivityUse } from '../../model/activity-uses.js';
import { effectiveRetry, type EffectiveRetry } from './effective-retry.js';
import { effectiveTimeouts, type EffectiveTimeouts } from './effective-timeouts.js';
import { describeProxy } from './describe-policy.js';
import { unregisteredActivityCalls } from './unregistered.js';
import { readActivityOptions, type ActivityOptionsView } from './read-options.js';

export interface ProxyReview {
  proxy: ActivityProxy;
  /** The activity types the proxy schedules, with their implementations; empty when no workflow takes one from it. */
  uses: ActivityUse[];
  options: ActivityOptionsView;
  timeouts: EffectiveTimeouts;
  retry: EffectiveRetry;
  /** "proxyActivities for chargeCard and refundPayment". */
  label: string;
}

const cache = new WeakMap<CodeModel, ProxyReview[]>();

/**
 * One review per proxy, in model order, unused ones included (see ownVerdicts); a proxy no
 * workflow function can reach (unreachedFrom) is left out: it never schedules an activity.
 */
export function proxyReviews(model: CodeModel): ProxyReview[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const reviews: ProxyReview[] = [];
  for (const proxy of model.activityProxies) {
    if (proxy.unreachedFrom) continue;
    const uses = activityUsesOf(model, proxy);
    const options = readActivityOptions(proxy.options, proxy.language);
    reviews.push({
      proxy,
      uses,
      options,
      timeouts: effectiveTimeouts(options),
      retry: effectiveRetry(options),
      label: describeProxy(proxy, uses),
    });
  }
  cache.set(model, reviews);
  return reviews;
}

/** Machine-readable facts behind a finding: the proxy, its activity types and the effective policy (ms; null = unlimited). */
export function policyData(review: ProxyReview): Record<string, unknown> {
  const ms = (timeout: EffectiveTimeouts['startToClose']) => (timeout.known ? (Number.isFinite(timeout.ms) ? timeout.ms : null) : 'unknown');
  const { timeouts, retry } = review;
  return {
    proxy: review.proxy.id,
    kind: review.proxy.kind,
    origin: review.proxy.origin,
    activityTypes: review.uses.map((use) => use.type),
    effectiveTimeouts: {
      scheduleToCloseMs: ms(timeouts.scheduleToClose),
      startToCloseMs: ms(timeouts.startToClose),
      scheduleToStartMs: ms(timeouts.scheduleToStart),
      ...(review.proxy.kind === 'remote' ? { heartbeatMs: ms(timeouts.heartbeat) } : {}),
    },
    effectiveRetryPolicy: retry.known
      ? {
          written: retry.written,
          initialIntervalMs: retry.policy.initialIntervalMs,
          backoffCoefficient: retry.policy.backoffCoefficient,
          maximumIntervalMs: retry.policy.maximumIntervalMs,
          maximumAttempts: retry.policy.maximumAttempts === 0 ? null : retry.policy.maximumAttempts,
          nonRetryableErrorTypes: retry.policy.nonRetryableErrorTypes,
          scheduleToCloseMs: retry.policy.scheduleToCloseMs ?? null,
        }
      : 'unknown',
  };
}

/** What a check concludes about one proxy: the finding, and the defects it names. */
export interface ProxyVerdict<T> {
  /**
   * Identities of the defects behind the finding (an error type, a field, "missing"), without the
   * proxy's own name or location, so a base proxy and its override can be compared.
   */
  defects: string[];
  value: T;
}

/**
 * Runs `evaluate` over the reviews of proxies that schedule something and returns the verdicts to report. An executeWithOptions
 * override merges its base proxy's options, so it inherits the base's defects: when every defect
 * of an override is also one of its base's, it is the base's finding, reported once at the base.
 */
export function ownVerdicts<T>(
  model: CodeModel,
  evaluate: (review: ProxyReview) => ProxyVerdict<T> | undefined,
  options: { includeUnused?: boolean } = {},
): { review: ProxyReview; verdict: ProxyVerdict<T> }[] {
  // A proxy no workflow takes an activity from schedules nothing, so its options never apply;
  // only a check about the proxyActivities call itself asks for it.
  const reviews = proxyReviews(model).filter((review) => options.includeUnused || review.uses.length > 0);
  const verdicts = new Map<ProxyReview, ProxyVerdict<T> | undefined>();
  const verdictOf = (review: ProxyReview) => {
    if (!verdicts.has(review)) verdicts.set(review, evaluate(review));
    return verdicts.get(review);
  };
  const own: { review: ProxyReview; verdict: ProxyVerdict<T> }[] = [];
  const unregistered = unregisteredActivityCalls(model);
  for (const review of reviews) {
    const verdict = verdictOf(review);
    if (!verdict) continue;
    const missing = unregistered.filter((call) => call.proxy.id === review.proxy.id).map((call) => call.use.name);
    if (review.uses.length > 0 && review.uses.every((use) => missing.includes(use.type))) {
      own.push({ review, verdict: unregisteredVerdict(verdict) });
      continue;
    }
    if (review.proxy.origin === 'override') {
      const base = reviews.find((candidate) => candidate.proxy.id === review.proxy.baseProxyId);
      const inherited = base ? verdictOf(base)?.defects : undefined;
      if (inherited && verdict.defects.every((defect) => inherited.includes(defect))) continue;
    }
    own.push({ review, verdict: review.proxy.testOnly ? testModeVerdict(review, verdict) : verdict });
  }
  return own;
}

/** The finding a verdict carries, when its value is one (some checks' verdicts carry other data). */
function findingOf<T>(verdict: ProxyVerdict<T>): FindingDraft | undefined {
  const value = verdict.value as unknown;
  if (!value || typeof value !== 'object' || typeof (value as { message?: unknown }).message !== 'string') return undefined;
  return value as FindingDraft;
}

/**
 * A proxy none of whose activities any worker registers: every call fails as "not registered"
 * before the activity's code runs (activity-not-registered reports that), so what its options would
 * do with the activity's own failures does not happen until they are registered. At most info.
 */
function unregisteredVerdict<T>(verdict: ProxyVerdict<T>): ProxyVerdict<T> {
  return asNote(
    verdict,
    'No worker registers the activities this proxy schedules (activity-not-registered reports it): today every call fails before the activity runs, so this applies once they are registered.',
    { activitiesUnregistered: true },
  );
}

/**
 * A proxy used only behind a test or development flag: its options never reach production runs,
 * so what they would cost there does not happen. At most info, saying why.
 */
function testModeVerdict<T>(review: ProxyReview, verdict: ProxyVerdict<T>): ProxyVerdict<T> {
  const guard = review.proxy.testOnly!;
  return asNote(
    verdict,
    `This proxy is used only when \`${guard.flag}\` is set, a test or development mode: production runs do not use its options, so this matters only if that mode runs real work.`,
    { testOnly: guard.flag },
    { ...guard.location, message: 'the only use of the proxy is behind this flag' },
  );
}

/** The verdict's finding as info, with the sentence that says why, its data and a related location added. */
function asNote<T>(verdict: ProxyVerdict<T>, why: string, data: Record<string, unknown>, related?: NonNullable<FindingDraft['related']>[number]): ProxyVerdict<T> {
  const finding = findingOf(verdict);
  if (!finding) return verdict;
  return {
    ...verdict,
    value: {
      ...finding,
      severity: 'info',
      message: `${finding.message} ${why}`,
      ...(related ? { related: [...(finding.related ?? []), related] } : {}),
      data: { ...(finding.data ?? {}), ...data },
    } as T,
  };
}

/** Shorthand for a check's verdict: the defects it names and the finding to report. */
export function verdict<T>(defects: string[], value: T): ProxyVerdict<T> {
  return { defects, value };
}
