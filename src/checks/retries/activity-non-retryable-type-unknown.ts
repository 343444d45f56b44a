// Prevents a non-retryable classification that silently does nothing: the server matches
// nonRetryableErrorTypes by exact string, so a typo or a renamed class leaves the business error
// retried like an outage while the policy looks right.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { closestType, isWellKnownErrorType } from '../../engine/activity-policy/error-types.js';
import { thrownErrorTypes } from '../../model/typescript/activity-options/activity-uses.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';

export default defineCheck({
  id: 'activity-non-retryable-type-unknown',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A nonRetryableErrorTypes entry that no activity throws (a typo, or a dead entry).',
  run(ctx) {
    if (!ctx.model) return;
    for (const { verdict } of ownVerdicts(ctx.model, (review) => evaluate(review, ctx))) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  // Entries are checked against every type any activity throws: a shared list of non-retryable
  // types is normal, and only an entry nothing throws is a typo or dead.
  const thrownAnywhere = thrownErrorTypes(ctx.model!);
  const { proxy, options, label, uses } = review;
  if (options.retry.state !== 'set') return undefined;
  const list = options.retry.nonRetryableErrorTypes;
  if (list.state !== 'set') return undefined;
  const unknown = list.entries.filter((entry) => !isWellKnownErrorType(entry.value) && !thrownAnywhere.has(entry.value));
  if (unknown.length === 0) return undefined;

  // Only a complete view of the throwers makes "nothing throws it" a fact: an implementation
  // we could not find, or a throw whose type we could not resolve, may be the thrower.
  const missing = uses.filter((use) => use.implementations.length === 0).map((use) => use.type);
  const opaque = uses.flatMap((use) => use.implementations).filter((impl) => impl.thrownErrors.some((error) => error.type === null));
  const certain = missing.length === 0 && opaque.length === 0;
  const names = unknown.map((entry) => `'${entry.value}'`);
  const hints = unknown
    .map((entry) => ({ entry: entry.value, guess: closestType(entry.value, thrownAnywhere) }))
    .filter((hint) => hint.guess !== undefined)
    .map((hint) => `'${hint.entry}' looks like '${hint.guess}'`);
  const doubt = certain
    ? ''
    : ` preflight cannot see every thrower (${[
        ...(missing.length > 0 ? [`no implementation found for ${listNames(missing)}`] : []),
        ...(opaque.length > 0 ? [`${listNames(opaque.map((impl) => impl.name))} rethrows errors of unknown type`] : []),
      ].join('; ')}), so this may be a library's error type.`;
  return verdict(unknown.map((entry) => entry.value), {
    location: proxy.location,
    ...(certain ? {} : { severity: 'info' as const }),
    message:
      `The retry policy of ${label} lists ${listNames(names)} in nonRetryableErrorTypes, but no activity throws ` +
      `${unknown.length === 1 ? 'that type' : 'those types'}. The server matches the failure type by exact string ` +
      `(the class name, or the ApplicationFailure type), so a misspelt or renamed type leaves the real error retried.` +
      (hints.length > 0 ? ` ${hints.join('; ')}.` : '') +
      doubt,
    fix: hints.length > 0 ? `Correct the entr${unknown.length === 1 ? 'y' : 'ies'} to the thrown type name.` : 'Correct the entry to the type the activity throws, or remove it if nothing throws it any more.',
    related: unknown.map((entry) => ({ ...entry.location, message: `'${entry.value}' is listed here` })),
    data: { ...policyData(review), unknownErrorTypes: unknown.map((entry) => entry.value) },
  });
}
