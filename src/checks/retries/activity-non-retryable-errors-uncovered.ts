// Prevents business failures from being retried like outages: a declined card or an invalid
// order thrown by the activity is retried until the policy gives up, repeating side effects and
// delaying the workflow's own handling of the failure.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { cannotTellFinding, unresolvedField } from '../../engine/activity-policy/cannot-tell.js';
import { configurableNote, describeRetryPolicy, listNames, outageSettings } from '../../engine/activity-policy/describe-policy.js';
import { closestType, isBusinessErrorType, namesTransientFailure } from '../../engine/activity-policy/error-types.js';
import { thrownErrorTypes } from '../../model/typescript/activity-options/activity-uses.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import type { SourceLocation } from '../../model/typescript/types.js';
import { implementationThrows } from '../../engine/activity-policy/implementation-throws.js';
import { decidedPlainErrors } from '../../model/typescript/decided-plain-errors.js';
import { permanentThrows, readsOwnWrite } from '../../engine/activity-policy/permanent-throws.js';
import { CATCH_ALL } from '../../model/python/python-caught-errors.js';
import { spokenDuration } from '../../simulate/outage-cost-sentence.js';
import { attemptSchedule, type EffectiveRetryPolicy } from '../../simulate/retry-policy.js';

interface Thrower {
  activity: string;
  location: SourceLocation;
  /** The library exceptions this raise wraps (Python `except ClientError: raise StorageError()`). */
  wraps?: string[];
  /** Calls between the activity and the throw (0 in its own body). */
  callDepth: number;
  /** A not-found guard: thrown only when a value just read is missing. */
  guard?: boolean;
}

/**
 * Throws in the activity itself or a function it calls directly are evidence the failure happens;
 * deeper ones sit behind conditions of helpers the review does not weigh, and not-found guards
 * (`if (!row) throw new RowNotFound()` right after reading the row) fire only when data the code
 * does not show is missing, so both are mentioned but no warning rests on them.
 */
const EVIDENCE_DEPTH = 1;
// A policy this short costs seconds of extra attempts before the workflow's own catch runs.
const SHORT_POLICY_ATTEMPTS = 5;
const SHORT_POLICY_WINDOW_MS = 2 * 60_000;

const isEvidence = (t: Thrower) => t.callDepth <= EVIDENCE_DEPTH && !t.guard;

export default defineCheck({
  id: 'activity-non-retryable-errors-uncovered',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'The implementation throws business error types that the retry policy does not treat as non-retryable.',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const settings = outageSettings(ctx.config);
  const thrownAnywhere = thrownErrorTypes(ctx.model!);
  const { proxy, options, retry, label, uses } = review;
  if (options.unresolved || options.retry.state === 'maybe' || options.retry.state === 'unknown') return undefined;
  const policy = options.retry.state === 'set' ? options.retry : undefined;
  if (policy?.maximumAttempts.state === 'set' && policy.maximumAttempts.value === 1) return undefined;

  const thrown = new Map<string, Thrower[]>();
  for (const use of uses) {
    for (const implementation of use.implementations) {
      for (const error of implementation.thrownErrors) {
        if (error.type === null || !isBusinessErrorType(error.type)) continue;
        if (error.nonRetryable !== false || error.how === 'application-failure-retryable') continue;
        // `new PentestError(msg, 'git', true)` into a `retryable` parameter: the authors want it retried.
        if (error.retryableByIntent) continue;
        // `SandboxRecoveryDeferredError`, `LockBusyError`: the name says another attempt is what it asks for.
        if (namesTransientFailure(error.type)) continue;
        // A group of other failures (like AggregateError) is no business outcome of its own.
        if (error.groupsFailures) continue;
        const throwers = thrown.get(error.type) ?? [];
        throwers.push({
          activity: implementation.name,
          location: error.location,
          callDepth: error.callDepth ?? 0,
          ...(error.wraps ? { wraps: error.wraps } : {}),
          ...(error.guardsMissingRead ? { guard: true } : {}),
        });
        thrown.set(error.type, throwers);
      }
    }
  }
  if (thrown.size === 0) return plainErrorsRetried(review, policy !== undefined, settings.outageMs);

  const list = policy?.nonRetryableErrorTypes ?? { state: 'absent' as const };
  const unresolved =
    unresolvedField('retry.nonRetryableErrorTypes', list) ??
    (list.state === 'set' && list.unresolved[0]
      ? { field: 'retry.nonRetryableErrorTypes', text: list.unresolved[0].text, location: list.unresolved[0].location }
      : undefined);
  const covered = new Set(list.state === 'set' ? list.entries.map((entry) => entry.value) : []);
  // A type with a misspelt entry is activity-non-retryable-type-unknown's finding (it names the typo).
  const misspelt = (type: string) => [...covered].some((entry) => !thrownAnywhere.has(entry) && closestType(entry, [type]) === type);
  const uncovered = [...thrown.keys()].filter((type) => !covered.has(type) && !misspelt(type)).sort();
  if (uncovered.length === 0) return undefined;
  if (unresolved) {
    return verdict([`unresolved ${unresolved.text}`], cannotTellFinding(proxy.location, label, `whether ${listNames(uncovered)} are non-retryable`, unresolved));
  }

  // A type raised only where a caught library exception (botocore's ClientError) is re-raised
  // under the project's name reports that failure, which is usually transient: whether it heals
  // on retry depends on the library's failure, which the code does not say.
  const wrapped = uncovered.filter((type) => thrown.get(type)!.every((t) => t.wraps && t.wraps.length > 0));
  const unwrapped = uncovered.filter((type) => !wrapped.includes(type));
  // The business types a throw near the activity shows; types thrown only deep in helpers are mentioned.
  const business = unwrapped.filter((type) => thrown.get(type)!.some(isEvidence));
  const deepOnly = unwrapped.filter((type) => !business.includes(type));
  const reported = business.length > 0 ? business : deepOnly.length > 0 ? deepOnly : wrapped;
  const evidenced = (type: string) => thrown.get(type)!.filter((t) => business.length === 0 || isEvidence(t));
  const activities = [...new Set(reported.flatMap((type) => evidenced(type).map((t) => t.activity)))].sort();
  const related = uncovered.flatMap((type) =>
    thrown.get(type)!.map((t) => ({
      ...t.location,
      message:
        `${t.activity} throws ${type} here${t.wraps?.length ? ` (wrapping a caught ${listNames(t.wraps)})` : ''}` +
        (t.guard ? ' (only when a value it has just read is missing: a not-found guard)' : isEvidence(t) ? '' : ` (${t.callDepth} calls down, behind its helpers' conditions)`),
    })),
  );
  // Deep throws of the reported types by activities the message does not already name for them.
  const deeper = [
    ...business.flatMap((type) => thrown.get(type)!.filter((t) => !isEvidence(t) && !activities.includes(t.activity)).map((t) => ({ type, activity: t.activity, thrower: t }))),
    ...deepOnly.flatMap((type) => thrown.get(type)!.map((t) => ({ type, activity: t.activity, thrower: t }))),
  ];
  const deeperActivities = [...new Set(deeper.map((d) => d.activity))].sort();
  const deeperTypes = [...new Set(deeper.map((d) => d.type))].sort();
  const deeperNote =
    business.length > 0 && deeper.length > 0
      ? ` ${capitalize(unweighedPlaces(deeper.map((d) => d.thrower), deeperActivities, 'down in'))} throw ${listNames(deeperTypes)} as well; ` +
        `${unweighedReason(deeper.map((d) => d.thrower))}, so they are listed as related locations, not claimed.`
      : '';
  const consequence = retry.known ? retryConsequence(retry.policy, settings.outageMs) : 'the server retries them like any other failure';
  const policyText = retry.known ? ` Effective policy: ${describeRetryPolicy(retry.policy)}.${configurableNote(retry.configurable)}` : '';
  const wrapNote = wrapped.map((type) => `${type} wraps ${listNames([...new Set(thrown.get(type)!.flatMap((t) => t.wraps!))].sort())}`);
  if (business.length === 0 && deepOnly.length === 0) {
    return verdict(uncovered, {
      location: proxy.location,
      severity: 'info',
      message:
        `${listNames(activities)} ${activities.length === 1 ? 'throws' : 'throw'} ${listNames(wrapped)}, which ${wrapped.length === 1 ? 'is' : 'are'} not non-retryable for ${label}: ${consequence}. ` +
        (wrapped.some((type) => thrown.get(type)!.some((t) => t.wraps?.includes(CATCH_ALL)))
          ? `${capitalize(listNames(wrapNote))}: every failure of the step (network and service failures included) is raised again under one name, and most of those heal on retry, so retrying is usually right. `
          : `${capitalize(listNames(wrapNote))}, a library failure caught and raised again under the project's name: a network or service failure heals on retry, so retrying is usually right. `) +
        `If ${wrapped.length === 1 ? 'it' : 'they'} can also stand for a permanent failure (access denied, a missing object), raise a non-retryable error for that case.` +
        policyText,
      fix: `Keep retrying the transient failures; for the permanent ones, raise ApplicationError(..., non_retryable=True) or add a distinct type to retry_policy.non_retryable_error_types.`,
      related,
      data: { ...policyData(review), uncoveredErrorTypes: uncovered, wrappedErrorTypes: wrapped },
    });
  }
  if (business.length === 0) {
    const deepThrowers = deepOnly.flatMap((type) => thrown.get(type)!);
    return verdict(uncovered, {
      location: proxy.location,
      severity: 'info',
      message:
        `${capitalize(unweighedPlaces(deepThrowers, activities, 'below'))} throw ${listNames(deepOnly)}, which ${deepOnly.length === 1 ? 'is' : 'are'} not non-retryable for ${label}: ` +
        `if such a throw is reached, ${consequence}. ${capitalize(unweighedReason(deepThrowers))}, so whether they happen is not claimed; ` +
        `a business failure thrown there would not heal on retry.` +
        policyText,
      fix: `If these errors are permanent failures, add ${deepOnly.map((t) => `'${t}'`).join(', ')} to retry.nonRetryableErrorTypes.`,
      related,
      data: { ...policyData(review), uncoveredErrorTypes: [], deepErrorTypes: deepOnly },
    });
  }
  // Retried without end, a business failure is an incident, not a risk: the workflow never gets
  // to handle it and the side effect (a charge attempt) repeats for as long as the workflow runs.
  const forever = retry.known && retry.policy.maximumAttempts === 0 && retry.policy.scheduleToCloseMs === undefined;
  const { severity, shortHandled } = findingSeverity(forever, business.flatMap((type) => thrown.get(type)!), review, retry);
  return verdict(uncovered, {
    location: proxy.location,
    ...(severity !== 'warning' ? { severity } : {}),
    message:
      `${listNames(activities)} ${activities.length === 1 ? 'throws' : 'throw'} ${listNames(business)}, ` +
      `which ${business.length === 1 ? 'is' : 'are'} not non-retryable for ${label}: ${consequence}. ` +
      (shortHandled
        ? `The workflow catches the activity's failure where it calls it and the policy ends within ${spokenDuration(SHORT_POLICY_WINDOW_MS)}: the cost is those extra attempts, before the workflow handles the failure.`
        : severity === 'info'
          ? `The policy ends the retries, so the cost is the extra attempts (and any side effect they repeat) if such a throw is a failure that never heals; whether it is, the code does not settle.`
          : `A business failure does not heal on retry; retrying repeats side effects and keeps the workflow from handling the failure.`) +
      (wrapped.length > 0 ? ` (${capitalize(listNames(wrapNote))} caught from a library: retrying ${wrapped.length === 1 ? 'it' : 'them'} is usually right.)` : '') +
      deeperNote +
      policyText,
    fix:
      `Add ${business.map((t) => `'${t}'`).join(', ')} to retry.nonRetryableErrorTypes, or throw ` +
      `ApplicationFailure.nonRetryable(message, '${business[0]}') from the activity. Keep class names unminified: the type is the class name.`,
    related,
    data: { ...policyData(review), uncoveredErrorTypes: business, ...(wrapped.length > 0 ? { wrappedErrorTypes: wrapped } : {}) },
  });
}

/**
 * With a written retry policy and no business type to list, a plain `throw new Error(...)` that
 * the activity's own body decides (not a rethrow inside a catch, not a helper's throw) is retried
 * like any failure, and its type cannot be listed without covering bugs too. Without a policy,
 * activity-retry-policy-missing lists these throws; here they get an info finding.
 */
function plainErrorsRetried(review: ProxyReview, written: boolean, windowMs: number): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, retry, label, uses } = review;
  if (!written || !retry.known || retry.policy.maximumAttempts === 1) return undefined;
  // A throw whose own words or guard say the condition is permanent is
  // activity-permanent-error-retried's finding, at the throw.
  const permanent = new Set(permanentThrows(review).map((t) => `${t.error.location.file}:${t.error.location.line}:${t.error.location.column}`));
  // A read of what the activity has just written ('not found after insert') is one the next
  // attempt writes and reads again: retrying it is right.
  const ownWrite = new Set(
    uses
      .flatMap((use) => use.implementations)
      .flatMap((implementation) => implementation.thrownErrors)
      .filter((error) => readsOwnWrite(error.messageText))
      .map((error) => `${error.location.file}:${error.location.line}:${error.location.column}`),
  );
  const plain = decidedPlainErrors(uses, implementationThrows(uses).plainRetried).filter((t) => {
    const key = `${t.location.file}:${t.location.line}:${t.location.column}`;
    return !permanent.has(key) && !ownWrite.has(key) && !readsOwnWrite(t.text);
  });
  if (plain.length === 0) return undefined;
  const activities = [...new Set(plain.map((t) => t.activity))].sort();
  return verdict(['plain Error'], {
    location: proxy.location,
    severity: 'info',
    message:
      `${listNames(activities)} ${activities.length === 1 ? 'throws' : 'throw'} a plain Error on ${plain.length === 1 ? 'a condition' : 'conditions'} ${activities.length === 1 ? 'its' : 'their'} own code decides ` +
      `(${listNames(plain.map((t) => `line ${t.location.line}${t.text ? ` "${t.text}"` : ''}`))}), and ${label} retries ${plain.length === 1 ? 'it' : 'them'}: ${retryConsequence(retry.policy, windowMs)}. ` +
      `The type Error cannot be listed in nonRetryableErrorTypes without making every bug non-retryable too, so if such a condition is permanent (a missing record, a wait that ran out) it is retried like an outage.`,
    fix: `Throw ApplicationFailure.nonRetryable(message, 'SomeType') for the conditions that retrying cannot change, and keep plain errors for the transient ones.`,
    related: plain.map((t) => ({ ...t.location, message: `${t.activity} throws a plain Error here` })),
    data: { ...policyData(review), plainErrorThrows: plain.map((t) => ({ activity: t.activity, line: t.location.line })) },
  });
}

/**
 * error only on direct evidence (a throw in the activity or a function it calls, retried without
 * end); info for any bounded policy: read against real code bases, bounded policies over such throws
 * were judged wrong or a matter of taste nearly every time (the throw could not happen, the type also
 * stood for transient failures, or the few extra attempts cost nothing), so the finding names the
 * types and the cost without claiming a defect. 'short-handled' marks the bounded case whose
 * workflow handles the failure, for the message.
 */
function findingSeverity(forever: boolean, throwers: Thrower[], review: ProxyReview, retry: ProxyReview['retry']): { severity: 'error' | 'warning' | 'info'; shortHandled: boolean } {
  if (forever) return { severity: throwers.some(isEvidence) ? 'error' : 'warning', shortHandled: false };
  if (!retry.known || retry.policy.maximumAttempts === 0 || retry.policy.maximumAttempts > SHORT_POLICY_ATTEMPTS) return { severity: 'info', shortHandled: false };
  const schedule = attemptSchedule(retry.policy);
  const last = schedule.starts[schedule.starts.length - 1] ?? 0;
  if (last > SHORT_POLICY_WINDOW_MS) return { severity: 'info', shortHandled: false };
  const activities = new Set(throwers.map((t) => t.activity));
  const handled = review.uses.filter((use) => activities.has(use.type)).every((use) => use.handled === true);
  return { severity: 'info', shortHandled: handled };
}

/** Where throws that are not evidence sit: deep in helpers, in not-found guards, or both. */
function unweighedPlaces(throwers: Thrower[], activities: string[], deepWord: 'down in' | 'below'): string {
  const guards = throwers.some((t) => t.guard);
  const deep = throwers.some((t) => !t.guard);
  const names = listNames(activities);
  if (!deep) return activities.length ? `not-found guards in ${names}` : 'not-found guards';
  const helpers = activities.length ? `helpers two or more calls ${deepWord} ${names}` : 'helpers two or more calls down';
  return guards ? `not-found guards and ${helpers}` : helpers;
}

function unweighedReason(throwers: Thrower[]): string {
  const guards = throwers.some((t) => t.guard);
  const deep = throwers.some((t) => !t.guard);
  const guardReason = 'a not-found guard fires only when a record the code has just read is missing, which depends on data the code does not show';
  const deepReason = "those throws sit behind conditions of the helpers that preflight does not weigh";
  if (guards && deep) return `${deepReason}, and ${guardReason}`;
  return guards ? guardReason : deepReason;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What the server does with a failure that never heals, under this policy. */
function retryConsequence(policy: EffectiveRetryPolicy, windowMs: number): string {
  if (policy.maximumAttempts === 0 && policy.scheduleToCloseMs === undefined) {
    const inWindow = attemptSchedule(policy, { untilMs: windowMs }).starts.length;
    return `each one is retried without end (${inWindow} attempts in the first ${spokenDuration(windowMs)})`;
  }
  const schedule = attemptSchedule(policy);
  const last = schedule.starts[schedule.starts.length - 1] ?? 0;
  const why = schedule.state === 'TIMEOUT' ? 'until scheduleToCloseTimeout runs out' : 'until maximumAttempts is reached';
  return `each one is attempted ${schedule.starts.length} times over ${spokenDuration(Math.max(last, 1000))} ${why}`;
}
