// The activity calls of a proxy that the workflow does not catch, in either language, and whether
// the author explained a retry setting with a comment: what the checks that warn about a retry
// policy ending too soon (retries off, a retry window shorter than an outage) share.

import ts from 'typescript';
import { activityCallHandling } from '../../model/typescript/activity-call-handling.js';
import type { ActivityProxy, TemporalModel } from '../../model/typescript/types.js';
import type { ActivityCallHandling, ActivityProxyFacts, CodeModel, SourceLocation } from '../../model/types.js';
import type { ProxyReview } from './proxy-review.js';

/** One activity call of workflow code and what happens to its failure, in either language. */
export interface CallFacts {
  activityType: string;
  location: SourceLocation;
  workflow?: string;
  handling: ActivityCallHandling;
}

export function typescriptCalls(proxy: ActivityProxy, model: TemporalModel): CallFacts[] {
  return activityCallHandling(model).filter((call) => call.proxy === proxy);
}

/** A Python proxy is one call: its handling, decided by the front-end, holds for each type it names. */
export function pythonCalls(review: ProxyReview): CallFacts[] {
  const proxy = review.proxy;
  const workflow = proxy.workflowNames.length === 1 ? proxy.workflowNames[0] : undefined;
  const handling = workflow ? (proxy.handling ?? 'unknown') : 'unknown';
  return review.uses.map((use) => ({ activityType: use.type, location: proxy.location, handling, ...(workflow ? { workflow } : {}) }));
}

/** True when `retry_policy=` or the `maximum_attempts=` of a RetryPolicy written at the call has a comment next to it. */
export function explainedAtCall(proxy: ActivityProxyFacts): boolean {
  return (proxy.commentedOptions ?? []).some((option) => option === 'retry' || option === 'retry.maximumAttempts');
}

/**
 * True when a comment sits next to `maximumAttempts` or `retry` in the options object written at
 * the proxy (on the line before, or after the value on the same line): the author recorded why
 * retries are off. A comment that only restates the value (`// no retries`, `// default: no retry`,
 * `// single attempt`) records no reason and does not count. A policy object built elsewhere is
 * not looked at.
 */
export function commentExplainsAttempts(proxy: ActivityProxy): boolean {
  const options = proxy.node.arguments[0] && skipParentheses(proxy.node.arguments[0]);
  if (!options || !ts.isObjectLiteralExpression(options)) return false;
  const retry = propertyNamed(options, 'retry');
  const retryValue = retry && ts.isPropertyAssignment(retry) ? skipParentheses(retry.initializer) : undefined;
  const attempts = retryValue && ts.isObjectLiteralExpression(retryValue) ? propertyNamed(retryValue, 'maximumAttempts') : undefined;
  const text = proxy.node.getSourceFile().text;
  return [retry, attempts].some((property) => property !== undefined && hasComment(text, property));
}

function hasComment(text: string, property: ts.ObjectLiteralElementLike): boolean {
  const explains = (range: ts.CommentRange): boolean => !restatesNoRetry(text.slice(range.pos, range.end));
  if ((ts.getLeadingCommentRanges(text, property.getFullStart()) ?? []).some(explains)) return true;
  // After the value: `maximumAttempts: 1, // must not run twice` (the comma comes first).
  let end = property.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  if (text[end] === ',') end++;
  return (ts.getTrailingCommentRanges(text, end) ?? []).some(explains);
}

/** Comments that say only what the value says: retries are off. */
const RESTATEMENTS = [
  /^(by default,?\s*|default:?\s*|defaults? to\s*)?(no|without|disable[sd]?|don'?t|do not|never|not)\s+(retry|retries|retrying)(\s+by default)?$/i,
  /^(retry|retries)\s+(are\s+|is\s+)?(off|disabled)$/i,
  /^(only\s+)?(one|1|a single|single)\s+(attempt|try)(\s+only)?$/i,
  /^(默认)?(不重试|不进行重试|不要重试|禁用重试|无重试|关闭重试)$/,
];

function restatesNoRetry(comment: string): boolean {
  const body = comment
    .replace(/^\/\*+|\*\/$/g, '')
    .replace(/^\s*\/\/+/, '')
    .trim()
    .replace(/[.!。！,，;；:：\s]+$/u, '')
    .replace(/^[-–—\s]+/, '')
    .trim();
  return RESTATEMENTS.some((pattern) => pattern.test(body));
}

function propertyNamed(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find((property) => property.name !== undefined && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) && property.name.text === name);
}

function skipParentheses(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current)) current = current.expression;
  return current;
}

export interface UncaughtCalls {
  /** Calls through the proxy that no catch of the workflow handles (with `rethrown`, also those whose catch cleans up and throws again). */
  uncaught: CallFacts[];
  /** Their activity types and workflows, sorted. */
  types: string[];
  workflows: string[];
  /** Text to add when some calls through the proxy are caught and so not counted. */
  handledElsewhere: string;
}

/**
 * The uncaught calls of a proxy whose retry setting no comment explains, in either language;
 * undefined when a comment explains it or every call is caught. With `rethrown`, a call whose catch
 * only cleans up and throws again (on every path) counts as uncaught: the workflow still fails.
 */
export function uncaughtCallsOf(review: ProxyReview, model: CodeModel, options: { rethrown?: boolean } = {}): UncaughtCalls | undefined {
  const python = review.proxy.language === 'python';
  if (python ? explainedAtCall(review.proxy) : commentExplainsAttempts(review.proxy as ActivityProxy)) return undefined;
  const calls = python ? pythonCalls(review) : typescriptCalls(review.proxy as ActivityProxy, model as TemporalModel);
  const uncaught = calls.filter((call) => call.handling === 'uncaught' || (options.rethrown === true && call.handling === 'rethrown'));
  if (uncaught.length === 0) return undefined;
  return {
    uncaught,
    types: [...new Set(uncaught.map((call) => call.activityType))].sort(),
    workflows: [...new Set(uncaught.map((call) => call.workflow!))].sort(),
    handledElsewhere: calls.length > uncaught.length ? ' (calls the workflow catches are not counted)' : '',
  };
}
