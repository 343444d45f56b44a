// Prevents programming bugs from being retried like outages: an activity's catch hands every
// error to a classifier whose default branch returns one retryable type, so a TypeError in the
// activity's own code is attempted as often as the retry policy allows, each attempt redoing the
// activity's work.

import { defineCheck } from '../define-check.js';
import { formatDuration } from '../../engine/duration.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { proxyReviews, type ProxyReview } from '../../engine/activity-policy/proxy-review.js';
import { catchAllClassifiersOf, type CatchAllClassifier } from '../../model/typescript/catch-all-classifiers.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { ActivityImplementation } from '../../model/typescript/types.js';

const HOUR_MS = 3_600_000;
/** From this many attempts on, a retried bug is a pattern of waste rather than a few repeats. */
const MANY_ATTEMPTS = 10;

interface Use {
  classifier: CatchAllClassifier;
  activity: string;
  review: ProxyReview;
}

export default defineCheck({
  id: 'activity-error-classifier-retries-all',
  area: 'retries',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: "An activity's error classifier makes every unrecognised error retryable, so programming bugs are retried like outages.",
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    const byDefault = new Map<string, Use[]>();
    const seen = new Map<ActivityImplementation, CatchAllClassifier[]>();
    for (const review of proxyReviews(model)) {
      if (!review.retry.known || review.retry.policy.maximumAttempts === 1) continue;
      for (const use of review.uses) {
        for (const implementation of use.implementations as ActivityImplementation[]) {
          if (!seen.has(implementation)) seen.set(implementation, catchAllClassifiersOf(implementation, model));
          for (const classifier of seen.get(implementation)!) {
            const key = `${classifier.defaultReturn.file}:${classifier.defaultReturn.line}`;
            byDefault.set(key, [...(byDefault.get(key) ?? []), { classifier, activity: implementation.name, review }]);
          }
        }
      }
    }
    for (const uses of byDefault.values()) {
      const { classifier } = uses[0]!;
      const worst = uses.map((use) => ({ use, cost: upperBound(use.review) })).sort((a, b) => b.cost.ms - a.cost.ms)[0]!;
      const activities = [...new Set(uses.map((use) => use.activity))].sort();
      const reviews = [...new Set(uses.map((use) => use.review))];
      const heavy = worst.cost.attempts >= MANY_ATTEMPTS && worst.cost.ms >= HOUR_MS;
      ctx.report({
        location: classifier.defaultReturn,
        ...(heavy ? { severity: 'warning' as const } : {}),
        message:
          `${classifier.name} ends by calling every error it does not recognise a retryable '${classifier.type}', and ${listNames(activities)} ${activities.length === 1 ? 'throws' : 'throw'} that as an ApplicationFailure: ` +
          `a programming error (a TypeError, a failed assertion in the activity's own code) is retried like an outage, ` +
          `up to ${worst.cost.text} under ${worst.use.review.label}, and each attempt redoes the activity's work before failing the same way.`,
        fix:
          `Let the default branch return a non-retryable type for errors that are not known to be transient (or return retryable only for recognised network, rate-limit and 5xx failures), ` +
          `so a bug fails the activity at once; add the transient patterns you rely on explicitly.`,
        related: [
          ...uses.slice(0, 3).map((use) => ({ ...use.classifier.call, message: `${use.activity} classifies its caught error here` })),
          ...reviews.slice(0, 3).map((review) => ({ ...review.proxy.location, message: `${review.label}: ${upperBound(review).text}` })),
        ],
        data: {
          classifier: classifier.name,
          defaultType: classifier.type,
          activityTypes: activities,
          proxies: reviews.map((review) => review.proxy.id),
          calls: uses.map((use) => `${relativePath(ctx.root, use.classifier.call.file)}:${use.classifier.call.line}`),
        },
      });
    }
  },
});

/** Attempts x startToCloseTimeout: how long a bug can keep the activity busy (Infinity when unbounded). */
function upperBound(review: ProxyReview): { attempts: number; ms: number; text: string } {
  const policy = review.retry.known ? review.retry.policy : undefined;
  const attempts = policy && policy.maximumAttempts > 0 ? policy.maximumAttempts : Infinity;
  const timeout = review.timeouts.startToClose.known ? review.timeouts.startToClose.ms : Infinity;
  const ms = attempts * timeout;
  const count = Number.isFinite(attempts) ? `${attempts} attempts` : 'unlimited attempts';
  const each = Number.isFinite(timeout) ? ` of up to ${formatDuration(timeout)} each (startToCloseTimeout)` : '';
  return { attempts, ms: Number.isNaN(ms) ? 0 : ms, text: `${count}${each}` };
}
