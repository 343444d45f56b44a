// Points at retries switched off: with retry.maximumAttempts: 1 the first network blip, database
// failover or worker crash during an attempt fails the activity for good, and the workflow with it
// unless the workflow catches the failure (Python: retry_policy=RetryPolicy(maximum_attempts=1) on
// an execute_activity call whose ActivityError nothing catches). Often deliberate (work that must not
// run twice), so the finding is info and is left out when the workflow handles the failure or a comment explains it.

import ts from 'typescript';
import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { activityCallHandling } from '../../model/typescript/activity-call-handling.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { ActivityProxy, TemporalModel } from '../../model/typescript/types.js';
import type { ActivityCallHandling, ActivityProxyFacts, CodeModel, SourceLocation } from '../../model/types.js';

export default defineCheck({
  id: 'activity-retry-disabled',
  area: 'retries',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'retry.maximumAttempts: 1 (Python: RetryPolicy(maximum_attempts=1)) with no catch in the workflow: the first transient error of the activity fails the workflow.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const { verdict } of ownVerdicts(model, (review) => evaluate(review, model, ctx))) ctx.report(verdict.value);
  },
});

/** One activity call of workflow code and what happens to its failure, in either language. */
interface CallFacts {
  activityType: string;
  location: SourceLocation;
  workflow?: string;
  handling: ActivityCallHandling;
}

function evaluate(review: ProxyReview, model: CodeModel, ctx: CheckContext): ProxyVerdict<FindingDraft> | undefined {
  const attempts = review.options.retry.state === 'set' ? review.options.retry.maximumAttempts : undefined;
  if (attempts?.state !== 'set' || attempts.value !== 1) return undefined;
  const python = review.proxy.language === 'python';
  if (python ? explainedAtCall(review.proxy) : commentExplainsAttempts(review.proxy as ActivityProxy)) return undefined;
  const calls = python ? pythonCalls(review) : typescriptCalls(review.proxy as ActivityProxy, model as TemporalModel);
  const uncaught = calls.filter((call) => call.handling === 'uncaught');
  if (uncaught.length === 0) return undefined;
  const types = [...new Set(uncaught.map((call) => call.activityType))].sort();
  const workflows = [...new Set(uncaught.map((call) => call.workflow!))].sort();
  const first = uncaught[0]!;
  const handledElsewhere = calls.length > uncaught.length ? ' (calls the workflow catches are not counted)' : '';
  const setting = python ? 'retry_policy=RetryPolicy(maximum_attempts=1)' : 'retry.maximumAttempts: 1';
  const catches = python ? 'catches the ActivityError' : 'catches it';
  return verdict(['attempts 1'], {
    location: review.proxy.location,
    message:
      `Retries are off for ${review.label} (${setting}): a network blip, a database failover or a worker crash during ${listNames(types)} ` +
      `fails the activity at its first attempt, and nothing in ${workflows.length === 1 ? 'workflow' : 'workflows'} ${listNames(workflows)} ${catches}${handledElsewhere}, ` +
      `so the workflow fails with it. This is right for work that must not run twice; for idempotent reads and writes it turns every transient error into a failed workflow.`,
    fix: python
      ? `Keep maximum_attempts=1 only for the activities that must not run twice, and give the idempotent calls a bounded retry policy ` +
        `(e.g. RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(minutes=1))); or catch ActivityError in the workflow and compensate. A comment next to retry_policy= or maximum_attempts= at the call saying why it is 1 records the choice and silences this finding.`
      : `Keep maximumAttempts: 1 only for the activities that must not run twice, and give the idempotent ones their own proxy with a bounded retry policy ` +
        `(e.g. retry: { maximumAttempts: 5, maximumInterval: '1 minute' }); or catch the failure in the workflow and compensate. A comment next to maximumAttempts saying why it is 1 records the choice and silences this finding.`,
    related: uncaught.slice(0, 3).map((call) => ({ ...call.location, message: `${call.activityType} called without a catch in ${call.workflow}` })),
    data: { ...policyData(review), uncaughtActivityTypes: types, workflows, firstCall: `${relativePath(ctx.root, first.location.file)}:${first.location.line}` },
  });
}

function typescriptCalls(proxy: ActivityProxy, model: TemporalModel): CallFacts[] {
  return activityCallHandling(model).filter((call) => call.proxy === proxy);
}

/** A Python proxy is one call: its handling, decided by the front-end, holds for each type it names. */
function pythonCalls(review: ProxyReview): CallFacts[] {
  const proxy = review.proxy;
  const workflow = proxy.workflowNames.length === 1 ? proxy.workflowNames[0] : undefined;
  const handling = workflow ? (proxy.handling ?? 'unknown') : 'unknown';
  return review.uses.map((use) => ({ activityType: use.type, location: proxy.location, handling, ...(workflow ? { workflow } : {}) }));
}

/** True when `retry_policy=` or the `maximum_attempts=` of a RetryPolicy written at the call has a comment next to it. */
function explainedAtCall(proxy: ActivityProxyFacts): boolean {
  return (proxy.commentedOptions ?? []).some((option) => option === 'retry' || option === 'retry.maximumAttempts');
}

/**
 * True when a comment sits next to `maximumAttempts` or `retry` in the options object written at
 * the proxy (on the line before, or after the value on the same line): the author recorded why
 * retries are off. A policy object built elsewhere is not looked at.
 */
function commentExplainsAttempts(proxy: ActivityProxy): boolean {
  const options = proxy.node.arguments[0] && skipParentheses(proxy.node.arguments[0]);
  if (!options || !ts.isObjectLiteralExpression(options)) return false;
  const retry = propertyNamed(options, 'retry');
  const retryValue = retry && ts.isPropertyAssignment(retry) ? skipParentheses(retry.initializer) : undefined;
  const attempts = retryValue && ts.isObjectLiteralExpression(retryValue) ? propertyNamed(retryValue, 'maximumAttempts') : undefined;
  const text = proxy.node.getSourceFile().text;
  return [retry, attempts].some((property) => property !== undefined && hasComment(text, property));
}

function hasComment(text: string, property: ts.ObjectLiteralElementLike): boolean {
  if ((ts.getLeadingCommentRanges(text, property.getFullStart()) ?? []).length > 0) return true;
  // After the value: `maximumAttempts: 1, // must not run twice` (the comma comes first).
  let end = property.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  if (text[end] === ',') end++;
  return (ts.getTrailingCommentRanges(text, end) ?? []).length > 0;
}

function propertyNamed(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((property) => property.name !== undefined && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text === name);
}

function skipParentheses(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current)) current = current.expression;
  return current;
}
