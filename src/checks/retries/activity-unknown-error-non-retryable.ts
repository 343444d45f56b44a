// Prevents a network blip that an allow-list does not know from failing a workflow for good: an
// activity's error handling makes retryable only the errors it recognises (a few SQLSTATE codes,
// some message patterns) and throws everything else as non-retryable, so a dropped connection, a
// 502 or a `fetch failed` that matches none of them is never retried. The mirror image of
// activity-error-classifier-retries-all.

import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { proxyReviews, type ProxyReview } from '../../engine/activity-policy/proxy-review.js';
import { relative } from '../../engine/run-checks.js';
import { nonRetryableDefaultsOf, type NonRetryableDefault } from '../../model/typescript/non-retryable-defaults.js';
import type { ActivityImplementation, TemporalModel } from '../../model/typescript/types.js';
import { defineCheck } from '../define-check.js';

interface Use {
  site: NonRetryableDefault;
  /** The activity types that reach this handling, joined for the message. */
  activity: string;
  count: number;
}

export default defineCheck({
  id: 'activity-unknown-error-non-retryable',
  area: 'retries',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description:
    "An activity's error handling retries only the errors it recognises and makes every other one non-retryable, so a transient failure it does not know fails the workflow for good",
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    const byDefault = new Map<string, { site: NonRetryableDefault; activities: Set<string> }>();
    for (const implementation of retriedImplementations(model)) {
      for (const site of nonRetryableDefaultsOf(implementation, model)) {
        const key = `${site.defaultThrow.file}:${site.defaultThrow.line}:${site.defaultThrow.column}`;
        const entry = byDefault.get(key) ?? { site, activities: new Set<string>() };
        entry.activities.add(implementation.name);
        byDefault.set(key, entry);
      }
    }
    const uses: Use[] = [...byDefault.values()].map(({ site, activities }) => ({ site, activity: listNames([...activities].sort()), count: activities.size }));
    // An allow-list function shared by several handlers is fixed once: report it there.
    const byRecogniser = new Map<string, Use[]>();
    for (const use of uses) {
      const recogniser = use.site.kind === 'allow-list' ? use.site.recogniser : undefined;
      if (!recogniser) continue;
      const key = `${recogniser.location.file}:${recogniser.location.line}`;
      byRecogniser.set(key, [...(byRecogniser.get(key) ?? []), use]);
    }
    const grouped = new Set<Use>();
    for (const group of byRecogniser.values()) {
      if (group.length < 2) continue;
      group.sort((a, b) => (a.site.defaultThrow.file < b.site.defaultThrow.file ? -1 : a.site.defaultThrow.file > b.site.defaultThrow.file ? 1 : a.site.defaultThrow.line - b.site.defaultThrow.line));
      for (const use of group) grouped.add(use);
      const recogniser = group[0]!.site.recogniser!;
      const network = group.filter((use) => use.site.guarded || use.site.transientIntent);
      const activities = [...new Set(group.map((use) => use.activity))].sort();
      ctx.report({
        location: recogniser.location,
        ...(network.length > 0 ? { severity: 'warning' as const } : {}),
        message:
          `${recogniser.name} decides which errors are retryable from a fixed list of codes or messages that names no connection-level failure (an ECONNRESET, ECONNREFUSED or ETIMEDOUT code, 'fetch failed', a 5xx status), ` +
          `and ${group.length} error handlers of ${listNames(activities)} throw everything it does not recognise as a non-retryable ApplicationFailure` +
          (network.length > 0
            ? `: when the call they handle fails for a moment with an error outside that list (its own transient entries show the call is remote), the activity fails at once and its workflow with it, although the retry policy allows more attempts.`
            : `: an error outside that list fails the activity at once, whatever the retry policy allows.`),
        fix:
          `Let ${recogniser.name} also treat transport failures as retryable (an empty or missing code, ECONNRESET/ETIMEDOUT, 'fetch failed', 5xx), ` +
          `or invert the default: throw non-retryable only for the codes known to be permanent and let the rest go to the retry policy.`,
        related: group.slice(0, 6).map((use) => ({ ...use.site.defaultThrow, message: `${use.activity}: the non-retryable default` })),
        data: {
          recogniser: recogniser.name,
          activityTypes: activities,
          defaults: group.map((use) => `${relative(ctx.root, use.site.defaultThrow.file)}:${use.site.defaultThrow.line}`),
        },
      });
    }
    for (const use of uses) {
      if (grouped.has(use)) continue;
      const { site } = use;
      const network = site.guarded ? ` of ${site.guarded.text} (${relative(ctx.root, site.guarded.location.file)}:${site.guarded.location.line})` : '';
      const consequence = site.guarded
        ? `a timeout, a reset connection or a gateway error from that call fails the activity at once, although the retry policy allows more attempts, and the workflow with it unless the workflow catches that failure.`
        : site.transientIntent
          ? `it knows the call can fail for a moment (it lists some transient failures), yet a transient failure outside its list fails the activity at once, although the retry policy allows more attempts, and the workflow with it unless the workflow catches that failure.`
          : site.kind === 'verdict-ignored'
            ? `an error it classifies as retryable fails the activity at once, whatever the retry policy allows.`
            : `an error outside what it recognises fails the activity at once, whatever the retry policy allows.`;
      const who = `The error handling of ${use.count > 1 ? 'activities' : 'activity'} ${use.activity}${site.enclosing ? ` (in ${site.enclosing}, which ${use.count > 1 ? 'they call' : 'it calls'})` : ''}`;
      const message =
        site.kind === 'allow-list'
          ? `${who} retries only the failures${network} that ${site.recogniser ? site.recogniser.name : 'its condition'} recognises, which names no connection-level failure ` +
            `(an ECONNRESET, ECONNREFUSED or ETIMEDOUT code, 'fetch failed', a 5xx status), and throws every other one as non-retryable: ${consequence}`
          : `${who} asks ${site.recogniser!.name} whether the caught error${network} is retryable, never reads the answer, and throws it as non-retryable: ` +
            `errors the project's own classifier calls retryable are never retried: ${consequence}`;
      ctx.report({
        location: site.defaultThrow,
        ...(site.guarded || site.transientIntent ? { severity: 'warning' as const } : {}),
        message,
        fix:
          site.kind === 'allow-list'
            ? `Rethrow unrecognised errors unchanged (or as ApplicationFailure.retryable) and keep non-retryable for the failures known to be permanent; ` +
              `or add transport failures (an empty code, ECONNRESET/ETIMEDOUT, 'fetch failed', 5xx) to what is recognised as retryable.`
            : `Use the verdict: throw ApplicationFailure.create({ message, type, nonRetryable: !classified.retryable }) so the classifier's retryable errors go to the retry policy.`,
        related: [
          { ...site.decision, message: site.kind === 'allow-list' ? 'the errors recognised as retryable' : 'the classifier call whose verdict is ignored' },
          ...(site.recogniser ? [{ ...site.recogniser.location, message: `${site.recogniser.name}` }] : []),
          ...(site.guarded ? [{ ...site.guarded.location, message: 'the network or database call whose failures are handled here' }] : []),
        ],
        data: { activityType: use.activity, shape: site.kind, source: site.source, recogniser: site.recogniser?.name ?? null },
      });
    }
  },
});

/** Activity implementations some proxy schedules with more than one attempt (or an unknown policy). */
function retriedImplementations(model: TemporalModel): ActivityImplementation[] {
  const byImplementation = new Map<ActivityImplementation, ProxyReview[]>();
  for (const review of proxyReviews(model)) {
    if (review.proxy.kind !== 'remote') continue;
    for (const use of review.uses) {
      for (const implementation of use.implementations as ActivityImplementation[]) {
        byImplementation.set(implementation, [...(byImplementation.get(implementation) ?? []), review]);
      }
    }
  }
  return [...byImplementation]
    .filter(([, reviews]) => !reviews.every((review) => review.retry.known && review.retry.policy.maximumAttempts === 1))
    .map(([implementation]) => implementation);
}
