// Prevents activity timeouts that fail at run time: an unparsable duration, a non-finite or
// negative number, or neither startToClose nor scheduleToClose makes the SDK or the server reject
// the activity, and the workflow task fails and is retried forever.

import { environmentReference } from '../../model/environment-reference.js';
import { defineCheck, type FindingDraft } from '../define-check.js';
import { listNames } from '../../engine/activity-policy/describe-policy.js';
import { quoteError, timedeltaFor } from '../../engine/activity-policy/python-durations.js';
import { ownVerdicts, policyData, verdict, type ProxyReview, type ProxyVerdict } from '../../engine/activity-policy/proxy-review.js';
import { TIMEOUT_FIELDS, type TimeoutFieldName } from '../../engine/activity-policy/read-options.js';
import type { Severity } from '../../engine/types.js';
import type { SourceLocation } from '../../model/typescript/types.js';

const STUCK = 'the workflow task fails and is retried forever: the workflow is stuck';

interface Problem {
  /** The defect, independent of the proxy's wording, to compare an override with its base. */
  key: string;
  field: string;
  text: string;
  severity: Severity;
  location?: SourceLocation;
  /** A Python number or string given for a timedelta: the timedelta it likely meant. */
  timedelta?: string;
}

export default defineCheck({
  id: 'activity-timeout-invalid',
  area: 'timeouts',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'An activity timeout the SDK or the server rejects at run time, or a 0 that silently means "no timeout".',
  run(ctx) {
    if (!ctx.model) return;
    // A proxy nothing is taken from still runs proxyActivities, whose own validation throws.
    for (const { verdict } of ownVerdicts(ctx.model, evaluate, { includeUnused: true })) ctx.report(verdict.value);
  },
});

function evaluate(review: ProxyReview): ProxyVerdict<FindingDraft> | undefined {
  const { proxy, options, timeouts, label } = review;
  if (options.unresolved) return undefined;
  const problems: Problem[] = [];
  // Durations are converted only when an activity is scheduled: an unused proxy can only fail its
  // own creation.
  // A Python call schedules its activity whether or not the front-end knows which activity it is.
  const python = proxy.language === 'python';
  const unused = review.uses.length === 0 && !python;
  for (const field of unused ? [] : applicableFields(proxy.kind)) {
    const value = options[field];
    if (value.state === 'invalid' && value.problem.reason === 'not-a-timedelta') {
      const from = value.configurable ? ` (the default of ${environmentReference(value.configurable)})` : '';
      problems.push({
        key: `${field} ${value.written}`,
        field,
        text: `${field}=${value.written}${from} is not a timedelta: the SDK raises ${quoteError(value.problem.error)} when the workflow schedules the activity`,
        severity: 'error',
        location: value.location,
        timedelta: timedeltaFor(value.written),
      });
    } else if (value.state === 'invalid') {
      const who = value.problem.rejectedBy === 'sdk' ? 'the SDK throws' : proxy.kind === 'remote' ? 'the server rejects the command' : 'the worker rejects it';
      const detail = value.problem.rejectedBy === 'sdk' ? ` (${value.problem.error})` : ' (negative duration)';
      const from = value.configurable ? ` (the default of ${environmentReference(value.configurable)}, configurable at deploy time)` : '';
      problems.push({ key: `${field} ${value.written}`, field, text: `${field} ${value.written}${from}: ${who}${detail}`, severity: 'error', location: value.location });
    } else if (value.state === 'zero' && field !== 'localRetryThreshold') {
      problems.push({
        key: `${field} ${value.written}`,
        field,
        text: `${field} ${value.written}: 0 is accepted and means "no ${field}", which is almost never what a 0 was meant to say`,
        severity: 'warning',
        location: value.location,
      });
    }
  }
  if (typeof timeouts.accepted === 'object' && !(unused && (timeouts.accepted.rejectedBy !== 'sdk' || proxy.origin === 'override'))) {
    const sdk = timeouts.accepted.rejectedBy === 'sdk';
    const when = proxy.origin !== 'proxy' ? 'when the activity is scheduled' : `when ${proxy.kind === 'local' ? 'proxyLocalActivities' : 'proxyActivities'} runs and again when the activity is scheduled`;
    problems.push({
      key: 'no startToCloseTimeout or scheduleToCloseTimeout',
      field: 'startToCloseTimeout',
      text: sdk
        ? `neither startToCloseTimeout nor scheduleToCloseTimeout is set: the SDK throws TypeError 'Required either scheduleToCloseTimeout or startToCloseTimeout' ${when}`
        : `neither startToCloseTimeout nor scheduleToCloseTimeout is a positive duration: the server rejects the command ('A valid StartToClose or ScheduleToCloseTimeout is not set')`,
      severity: 'error',
    });
  }
  if (problems.length === 0) return undefined;
  const severity: Severity = problems.some((p) => p.severity === 'error') ? 'error' : 'warning';
  const typed = problems.filter((p) => p.timedelta !== undefined);
  // A type checker (mypy, pyright) rejects a number for a timedelta parameter; Python runs it anyway.
  const caught = typed.length > 0 && typed.length === problems.length ? ` A type checker would flag it, but Python runs it; ${STUCK}.` : ` Type checking does not catch this; ${STUCK}.`;
  return verdict(problems.map((p) => p.key), {
    location: proxy.location,
    severity,
    message: `Invalid timeouts on ${label}: ${problems.map((p) => p.text).join('; ')}.` + (severity === 'error' ? caught : ''),
    fix:
      typed.length > 0
        ? `Pass timedelta values: ${typed.map((p) => `${p.field}=${p.timedelta}`).join(', ')}` +
          (typed.length < problems.length ? `; fix ${listNames([...new Set(problems.filter((p) => p.timedelta === undefined).map((p) => p.field))])} too` : '') +
          '.'
        : `Fix ${listNames([...new Set(problems.map((p) => p.field))])}: write durations the ms package reads ('30s', '5m', '1.5h', '2 days') or positive milliseconds, ` +
          `always set startToCloseTimeout (and scheduleToCloseTimeout for the overall deadline), and remove a timeout rather than setting it to 0.`,
    related: problems.filter((p) => p.location).map((p) => ({ ...p.location!, message: `${p.field} is written here` })),
    data: { ...policyData(review), problems: problems.map((p) => ({ field: p.field, problem: p.text, severity: p.severity })) },
  });
}

/** heartbeatTimeout exists on remote activities only, localRetryThreshold on local ones (§2). */
function applicableFields(kind: 'remote' | 'local'): TimeoutFieldName[] {
  return TIMEOUT_FIELDS.filter((field) => (kind === 'remote' ? field !== 'localRetryThreshold' : field !== 'heartbeatTimeout'));
}
