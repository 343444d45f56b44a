// Prevents a non-retryable classification that silently does nothing: the server matches
// nonRetryableErrorTypes by exact string, so a typo or a renamed class leaves the business error
// retried like an outage while the policy looks right.

import { neverRetried } from '../../engine/activity-policy/attempt-cap.js';
import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import type { SourceLocation } from '../../model/types.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { closestType, isWellKnownErrorType } from '../../engine/activity-policy/error-types.js';
import { knowsLibraryErrors, pythonLibraryErrorTypes, pythonLibraryOfErrorType, typescriptLibraryErrorTypes, typescriptLibraryOfErrorType } from '../../engine/activity-policy/library-error-types.js';
import { importedPackages } from '../../model/typescript/imported-packages.js';
import type { TemporalModel } from '../../model/typescript/types.js';
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
    const verdicts = ownVerdicts(ctx.model, (review) => evaluate(review, ctx));
    for (const group of byListedEntries(verdicts)) ctx.report(group.length === 1 ? group[0]!.verdict.value : merged(group));
  },
});

type Reported = { review: ProxyReview; verdict: ProxyVerdict<FindingDraft> };

/**
 * Verdicts about the same written entries (one shared list or policy used by several activity
 * calls) are one defect with one place to fix: grouped by where the unknown entries are written.
 */
function byListedEntries(verdicts: Reported[]): Reported[][] {
  const groups = new Map<string, Reported[]>();
  for (const item of verdicts) {
    const related = item.verdict.value.related ?? [];
    const key =
      related.length > 0
        ? `${item.verdict.value.severity ?? ''} ${related.map((r) => `${r.file}:${r.line}:${r.column ?? 0}`).join('|')}`
        : `call:${item.review.proxy.id}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}

/** One finding at the written entries for every call whose policy lists them. */
function merged(group: Reported[]): FindingDraft {
  const first = group[0]!.verdict.value;
  const labels = group.map((item) => item.review.label);
  const entry = first.related![0]!;
  return {
    ...first,
    location: { file: entry.file, line: entry.line, column: entry.column },
    message: first.message.replace(`The retry policy of ${group[0]!.review.label} lists`, `The retry policy of ${group.length} activity calls (${listNames(labels, 3)}) lists`),
    related: [
      ...first.related!,
      ...group.map((item) => ({ ...item.review.proxy.location, message: `${item.review.label} uses this list` })),
    ],
    data: { ...first.data, calls: group.length },
  };
}

function evaluate(review: ProxyReview, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  // Entries are checked against every type any activity throws: a shared list of non-retryable
  // types is normal, and only an entry nothing throws is a typo or dead.
  const thrownAnywhere = thrownErrorTypes(ctx.model!);
  const { proxy, options, label, uses } = review;
  if (options.retry.state !== 'set') return undefined;
  const list = options.retry.nonRetryableErrorTypes;
  if (list.state !== 'set') return undefined;
  // Python: an exception of a module the project imports (anthropic.RateLimitError, raised by the
  // client call) has its class name as failure type although no code of the project raises it.
  const imports = ctx.model!.pythonImports;
  const imported = imports ? [...imports.packages, ...imports.standard] : [];
  // TypeScript: an error class of an npm package the project imports (the Anthropic SDK's
  // AuthenticationError) is reported as its class name too.
  const npm = ctx.model!.language === 'python' ? undefined : importedPackages(ctx.model as TemporalModel);
  const fromLibrary = (type: string) => (imports ? pythonLibraryOfErrorType(type, imported) : npm ? typescriptLibraryOfErrorType(type, npm) : undefined);
  const unknown = list.entries.filter((entry) => !isWellKnownErrorType(entry.value) && !thrownAnywhere.has(entry.value) && fromLibrary(entry.value) === undefined);
  if (unknown.length === 0) return undefined;
  const qualified = unknown.filter((entry) => qualifiedClassName(entry.value) !== undefined);
  if (qualified.length > 0) return qualifiedVerdict(review, qualified, unknown);

  // Only a complete view of the throwers makes "nothing throws it" a fact: an implementation
  // we could not find, or a throw whose type we could not resolve, may be the thrower.
  const missing = uses.filter((use) => use.implementations.length === 0).map((use) => use.type);
  const opaque = uses.flatMap((use) => use.implementations).filter((impl) => impl.thrownErrors.some((error) => error.type === null));
  // With a single attempt (maximumAttempts 1) nothing is retried: the list changes nothing today.
  const seesAll = missing.length === 0 && opaque.length === 0;
  const singleAttempt = neverRetried([review]);
  const names = unknown.map((entry) => `'${entry.value}'`);
  const candidates = imports ? new Set([...thrownAnywhere, ...pythonLibraryErrorTypes(imported)]) : npm ? new Set([...thrownAnywhere, ...typescriptLibraryErrorTypes(npm)]) : thrownAnywhere;
  const hints = unknown
    .map((entry) => ({ entry: entry.value, guess: closestType(entry.value, candidates) }))
    .filter((hint) => hint.guess !== undefined)
    .map((hint) => `'${hint.entry}' looks like '${hint.guess}'`);
  // A package whose exceptions preflight does not know may raise a class of that name: only an
  // entry that looks like a known type misspelt, or that names a class of the project itself (a
  // dead entry), is then a fact.
  const unseen = imports ? imports.packages.filter((module) => !knowsLibraryErrors(module)) : [];
  const ownClasses = new Set(imports?.projectClasses ?? []);
  const verifiable = unseen.length === 0 || hints.length > 0 || unknown.some((entry) => ownClasses.has(entry.value));
  const certain = seesAll && !singleAttempt && verifiable;
  const doubt = seesAll
    ? singleAttempt
      ? ' The policy allows a single attempt (maximumAttempts 1), so nothing is retried today: the list only matters once retries are turned on.'
      : !verifiable
        ? ` The project imports packages whose exceptions preflight does not know (${listNames(unseen.map((module) => `'${module}'`), 3)}), and the SDK reports an exception's type as its class name, so ${unknown.length === 1 ? 'this entry' : 'these entries'} may name one of their exceptions.`
        : ''
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

/**
 * The class name an entry names with its module path ('prawcore.exceptions.Forbidden' gives
 * 'Forbidden'). Both SDKs report a thrown error's type as the bare class name (Python
 * `type(err).__name__` in the failure converter, TypeScript `error.constructor.name`), and the
 * server compares the strings exactly, so such an entry never matches anything but an
 * ApplicationFailure whose type was written with the same dots.
 */
function qualifiedClassName(entry: string): string | undefined {
  const parts = entry.split('.');
  if (parts.length < 2 || !parts.every((part) => /^[A-Za-z_$][\w$]*$/.test(part))) return undefined;
  const last = parts[parts.length - 1]!;
  return /^[A-Z]/.test(last) ? last : undefined;
}

function qualifiedVerdict(
  review: ProxyReview,
  qualified: { value: string; location: SourceLocation }[],
  unknown: { value: string; location: SourceLocation }[],
): ProxyVerdict<FindingDraft> {
  const { proxy, label } = review;
  const bare = qualified.map((entry) => `'${qualifiedClassName(entry.value)!}'`);
  return verdict(unknown.map((entry) => entry.value), {
    location: proxy.location,
    message:
      `The retry policy of ${label} lists ${listNames(qualified.map((entry) => `'${entry.value}'`))} in nonRetryableErrorTypes ` +
      `with ${qualified.length === 1 ? 'its' : 'their'} module path, but the SDK reports a thrown error's type as the bare class name ` +
      `(error.constructor.name: ${listNames(bare)}) and the server compares the strings exactly, so ` +
      `${qualified.length === 1 ? 'this entry never matches' : 'these entries never match'}: those errors are retried like an outage.`,
    fix: `List the bare class name${qualified.length === 1 ? '' : 's'}: ${listNames(bare)}.`,
    related: qualified.map((entry) => ({ ...entry.location, message: `'${entry.value}' is listed here` })),
    data: { ...policyData(review), unknownErrorTypes: unknown.map((entry) => entry.value), qualifiedErrorTypes: qualified.map((entry) => entry.value) },
  });
}
