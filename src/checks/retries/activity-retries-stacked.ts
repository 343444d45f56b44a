// Points at retrying inside an activity attempt (a retry library, or a counted loop that waits a
// growing delay, in the activity or in a helper it calls) when the activity's retry policy also
// allows several attempts: each failed attempt runs the inner retries again from the start, so
// the tries multiply and the step can take the attempts times the attempt timeout.

import { defineCheck, type CheckContext } from '../define-check.js';
import { proxyReviews, type ProxyReview } from '../../engine/activity-policy/proxy-review.js';
import { formatDuration } from '../../engine/duration.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { InnerRetryFacts, SourceLocation } from '../../model/types.js';
import type { ActivityImplementation } from '../../model/typescript/types.js';

interface Reach {
  implementation: ActivityImplementation;
  site: InnerRetryFacts;
  reviews: ProxyReview[];
}

export default defineCheck({
  id: 'activity-retries-stacked',
  area: 'retries',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'The activity retries inside each attempt (a retry library, or a counted loop with a growing pause, in it or a helper it calls) and its retry policy retries the whole attempt again: the tries multiply; or a loop with a fixed pause takes longer than startToCloseTimeout.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = model.language === 'python';
    const reviews = proxyReviews(model);
    const bySite = new Map<string, Reach[]>();
    const fixed = new Map<string, Reach[]>();
    for (const implementation of model.activities) {
      for (const site of implementation.innerRetries ?? []) {
        if (site.tries !== undefined && site.tries <= 1) continue;
        const callers = reviews.filter((review) => review.uses.some((use) => use.implementations.includes(implementation)));
        if (site.fixedPauseMs !== undefined) {
          // A loop with a fixed pause: reported only when its worst case cannot fit the attempt.
          const tooShort = callers.filter((review) => review.proxy.kind === 'remote' && worstCaseMs(site) > attemptMs(review));
          if (tooShort.length === 0) continue;
          const key = `${site.location.file}:${site.location.line}:${site.location.column}`;
          fixed.set(key, [...(fixed.get(key) ?? []), { implementation, site, reviews: tooShort }]);
          continue;
        }
        // activity-retries-in-loop already reports a backoff loop of the activity's own body.
        const own = implementation.manualBackoff;
        if (own && sameLocation(own.location, site.location) && callers.some((review) => review.proxy.kind === 'remote')) continue;
        // Only proxies that may run more than one attempt stack on the inner retries.
        const retrying = callers.filter((review) => !(review.retry.known && review.retry.policy.maximumAttempts === 1));
        if (retrying.length === 0) continue;
        const key = `${site.location.file}:${site.location.line}:${site.location.column}`;
        bySite.set(key, [...(bySite.get(key) ?? []), { implementation, site, reviews: retrying }]);
      }
    }
    for (const reaches of fixed.values()) reportFixedLoop(ctx, reaches);
    for (const reaches of bySite.values()) {
      const site = reaches[0]!.site;
      const names = [...new Set(reaches.map((reach) => reach.implementation.name))];
      const allReviews = [...new Set(reaches.flatMap((reach) => reach.reviews))];
      const worst = worstReview(allReviews);
      const where = (location: SourceLocation) => `${relativePath(model.root, location.file)}:${location.line}`;
      const first = reaches[0]!;
      const path = first.site.via.length > 0 ? ` (reached from ${first.implementation.name} through the call at ${where(first.site.via[0]!)})` : '';
      const pauses = site.pausesMs !== undefined ? Math.min(site.pausesMs, site.maxMs ?? Number.POSITIVE_INFINITY) : undefined;
      const what =
        site.kind === 'library'
          ? `${python ? 'it runs under the retry library' : 'it calls the retry library'} ${site.library} (\`${site.text}\`)${path}: ${python && site.tries === undefined ? '' : 'up to '}${site.triesText} per attempt` +
            (pauses !== undefined && pauses > 0 ? `, with up to ${formatDuration(pauses)} of pauses between them` : '') +
            (site.maxMs !== undefined ? (python ? ` (it starts no new try after ${site.maxText ?? 'its time limit'}: ${formatDuration(site.maxMs)})` : ` (it stops after maxRetryTime ${formatDuration(site.maxMs)})`) : '')
          : `a counted loop waits a growing delay between its turns (\`${site.text}\`, the pause at ${where(site.sleep!)})${path}: up to ${site.triesText} per attempt`;
      const unit = site.kind === 'library' ? 'tries' : 'turns of the loop';
      ctx.report({
        location: site.location,
        message:
          `${names.length === 1 ? `Activity ${names[0]}` : `Activities ${names.join(', ')}`} retr${names.length === 1 ? 'ies' : 'y'} inside each attempt: ${what}. ` +
          `${stacking(worst, site, unit, pauses, where, python)} ` +
          (allReviews.length > 1 ? `It is also scheduled through ${allReviews.filter((r) => r !== worst).map((r) => `${r.label} at ${where(r.proxy.location)} (${attemptsText(r)})`).join(', ')}. ` : '') +
          'Each layer waits without knowing about the other, and a failed attempt starts the inner retries over from the first try.',
        fix: python
          ? 'Retry in one place. Either make one try per attempt (drop the retry decorator or loop) and let the retry policy back off (initial_interval, backoff_coefficient, maximum_interval ' +
            'of retry_policy=RetryPolicy(...) on workflow.execute_activity, with schedule_to_close_timeout as the overall bound), or keep the inner retries for short transient errors and set ' +
            'maximum_attempts low in that retry_policy, so that inner tries x attempts x start_to_close_timeout is a wait the workflow can afford.'
          : 'Retry in one place. Either make one try per attempt and let the retry policy back off (initialInterval, backoffCoefficient, maximumInterval, ' +
          'with scheduleToCloseTimeout as the overall bound), or keep the inner retries for short transient errors and set retry.maximumAttempts low on the proxy, ' +
          'so that inner tries x attempts x startToCloseTimeout is a wait the workflow can afford.',
        related: [
          ...reaches.flatMap((reach) => (reach.site.via.length > 0 ? [{ ...reach.site.via[0]!, message: `${reach.implementation.name} calls the helper that retries` }] : [])),
          ...(site.sleep ? [{ ...site.sleep, message: 'the growing pause' }] : []),
          ...allReviews.map((review) => ({ ...review.proxy.location, message: `${review.label}: ${attemptsText(review)}` })),
        ],
        data: {
          activityTypes: names,
          kind: site.kind,
          ...(site.library ? { library: site.library } : {}),
          innerTries: site.tries ?? null,
          proxies: allReviews.map((review) => review.proxy.id),
          attempts: worst.retry.known ? (worst.retry.policy.maximumAttempts === 0 ? null : worst.retry.policy.maximumAttempts) : 'unknown',
        },
      });
    }
  },
});

/** startToCloseTimeout of the proxy, or infinity when it is not known or not set. */
function attemptMs(review: ProxyReview): number {
  const attempt = review.timeouts.startToClose;
  return attempt.known && Number.isFinite(attempt.ms) ? attempt.ms : Number.POSITIVE_INFINITY;
}

/** (tries - 1) fixed pauses, plus one per-call timeout per try when the turn sets one. */
function worstCaseMs(site: InnerRetryFacts): number {
  const tries = site.tries ?? 0;
  return (tries - 1) * (site.fixedPauseMs ?? 0) + tries * (site.callTimeoutMs ?? 0);
}

/**
 * A counted loop with a fixed pause whose worst case (its pauses, and its per-call timeouts when
 * the turn sets one) is longer than startToCloseTimeout: the attempt times out in the middle of the
 * loop's own retries, and the retry policy (when it allows another attempt) starts the loop over.
 */
function reportFixedLoop(ctx: CheckContext, reaches: Reach[]): void {
  const model = ctx.model!;
  const site = reaches[0]!.site;
  const where = (location: SourceLocation) => `${relativePath(model.root, location.file)}:${location.line}`;
  const names = [...new Set(reaches.map((reach) => reach.implementation.name))];
  const allReviews = [...new Set(reaches.flatMap((reach) => reach.reviews))];
  // The proxy with the shortest attempt speaks for the finding.
  const shortest = [...allReviews].sort((a, b) => attemptMs(a) - attemptMs(b))[0]!;
  const first = reaches[0]!;
  const path = first.site.via.length > 0 ? ` (reached from ${first.implementation.name} through the call at ${where(first.site.via[0]!)})` : '';
  const tries = site.tries!;
  const pause = site.fixedPauseMs!;
  const worst = worstCaseMs(site);
  const parts =
    site.callTimeoutMs !== undefined
      ? `${tries} x ${formatDuration(site.callTimeoutMs)} (the per-call timeout) + ${tries - 1} x ${formatDuration(pause)} (the pause) = ${formatDuration(worst)}`
      : `${tries - 1} x ${formatDuration(pause)} of pauses = ${formatDuration(worst)}, before the time of the calls themselves`;
  const attempts = shortest.retry.known ? shortest.retry.policy.maximumAttempts : undefined;
  const retried =
    attempts === 1
      ? 'Its retry policy makes one attempt, so the activity fails with a timeout although the loop still had tries left.'
      : `${shortest.retry.known && !shortest.retry.written ? "The server's default retry policy" : 'Its retry policy'} (${attempts === undefined ? 'attempts not resolved' : attempts === 0 ? 'unlimited attempts' : `up to ${attempts} attempts`}) then starts the whole loop over from its first try, so the loop's tries multiply with the attempts.`;
  ctx.report({
    location: site.location,
    message:
      `${names.length === 1 ? `Activity ${names[0]}` : `Activities ${names.join(', ')}`} retr${names.length === 1 ? 'ies' : 'y'} inside each attempt with a fixed pause (\`${site.text}\`, the pause at ${where(site.sleep!)})${path}: ` +
      `up to ${site.triesText}, in the worst case ${parts}. ` +
      `That is longer than the startToCloseTimeout of ${formatDuration(attemptMs(shortest))} (${shortest.label} at ${where(shortest.proxy.location)}): a slow run of the loop is cut by the attempt timeout in the middle of its own retries. ` +
      retried,
    fix:
      'Retry in one place: make one try per attempt and let the retry policy wait between attempts (initialInterval, backoffCoefficient, maximumInterval, ' +
      'with scheduleToCloseTimeout as the overall bound); or keep the loop and give the activity a startToCloseTimeout longer than the loop\'s worst case.',
    related: [
      ...reaches.flatMap((reach) => (reach.site.via.length > 0 ? [{ ...reach.site.via[0]!, message: `${reach.implementation.name} calls the helper that retries` }] : [])),
      { ...site.sleep!, message: 'the fixed pause' },
      ...allReviews.map((review) => ({ ...review.proxy.location, message: `${review.label}: startToCloseTimeout ${formatDuration(attemptMs(review))}` })),
    ],
    data: {
      activityTypes: names,
      kind: 'fixed-pause-loop',
      innerTries: tries,
      pauseMs: pause,
      callTimeoutMs: site.callTimeoutMs ?? null,
      worstCaseMs: worst,
      startToCloseMs: attemptMs(shortest),
      proxies: allReviews.map((review) => review.proxy.id),
    },
  });
}

function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column;
}

/** The proxy that multiplies most: unlimited attempts, then unresolved ones, then the most attempts. */
function worstReview(reviews: ProxyReview[]): ProxyReview {
  const rank = (review: ProxyReview) => (!review.retry.known ? Number.MAX_SAFE_INTEGER - 1 : review.retry.policy.maximumAttempts === 0 ? Number.MAX_SAFE_INTEGER : review.retry.policy.maximumAttempts);
  return [...reviews].sort((a, b) => rank(b) - rank(a))[0]!;
}

function attemptsText(review: ProxyReview): string {
  if (!review.retry.known) return `${review.retry.unresolved.field} is \`${review.retry.unresolved.text}\``;
  const attempts = review.retry.policy.maximumAttempts;
  return attempts === 0 ? 'unlimited attempts' : `up to ${attempts} attempts`;
}

/**
 * The multiplied worst case, in tries and in time: the inner pauses times the attempts, and, for
 * retrying in the activity's own body (its main work), the attempts times startToCloseTimeout.
 */
function stacking(review: ProxyReview, site: InnerRetryFacts, unit: string, pauses: number | undefined, where: (location: SourceLocation) => string, python: boolean): string {
  const name = (field: string) => (python ? snakeCase(field) : field);
  const written = review.retry.known && !review.retry.written ? "the server's default retry policy" : 'its retry policy';
  const attempt = review.timeouts.startToClose;
  const perAttempt = site.via.length === 0 && attempt.known && Number.isFinite(attempt.ms) ? attempt.ms : undefined;
  const head = `On top of that, ${written} (${review.label} at ${where(review.proxy.location)}) runs the whole attempt again when it fails`;
  if (!review.retry.known) {
    return (
      `${head}, with ${name(review.retry.unresolved.field)} \`${review.retry.unresolved.text}\`, which preflight cannot resolve: unless that allows a single attempt, the ${unit} multiply` +
      (perAttempt !== undefined ? ` (each attempt may run up to ${name('startToCloseTimeout')} ${formatDuration(perAttempt)}: N attempts take up to N x ${formatDuration(perAttempt)})` : '') +
      '.'
    );
  }
  const attempts = review.retry.policy.maximumAttempts;
  if (attempts === 0) {
    const deadline = review.timeouts.scheduleToClose;
    const bound = deadline.known && Number.isFinite(deadline.ms) ? `until ${name('scheduleToCloseTimeout')} ${formatDuration(deadline.ms)} runs out` : `with no limit on attempts and no ${name('scheduleToCloseTimeout')}`;
    return `${head}, ${bound}: the inner ${unit} repeat on every attempt.`;
  }
  const tries = site.tries !== undefined ? `up to ${site.tries} x ${attempts} = ${site.tries * attempts} ${unit} in all` : `${attempts} times the inner ${unit}`;
  const waits = pauses !== undefined && pauses > 0 ? `, with up to ${attempts} x ${formatDuration(pauses)} = ${formatDuration(attempts * pauses)} of inner pauses` : '';
  const time = perAttempt !== undefined ? `, and up to ${attempts} x ${formatDuration(perAttempt)} (${name('startToCloseTimeout')}) = ${formatDuration(attempts * perAttempt)} of attempts before the step fails` : '';
  return `${head}, up to ${attempts} attempts: ${tries}${waits}${time}.`;
}

/** `startToCloseTimeout` → `start_to_close_timeout`: the Python SDK's name of an option. */
function snakeCase(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
