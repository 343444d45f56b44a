// A workflow that reports its own failure: its run body is one try (only set-up code without an
// await or a raise before it) whose catch runs an activity that tells someone or records the
// failure (a Slack or e-mail notification, a status row marked failed) and then re-raises:
//
//     try:
//         ...
//     except Exception as e:
//         await workflow.execute_activity(notify_slack, f"[app] FAILED: {e}", ...)
//         raise
//
// Every failure of its steps reaches someone, and the run still ends as Failed. What such a
// handler does not see: a timeout, a termination, a workflow task that keeps failing, and a
// notifier that fails itself. The front-ends find the shape (typescript/failure-reports.ts,
// python/python-failure-reports.ts); workflow-failure-alert-missing reads it.

/** The activity a workflow's catch runs to report the failure before it re-raises. */
export interface FailureReport {
  /** The activity's name as written at the call. */
  activity: string;
  line: number;
}

/** An activity name that tells someone or records something about a failure. */
const REPORTING_NAME = /notif|alert|slack|mail|pager|report|record|mark|fail|error|status|incident|sentry|send|publish|message|finali[sz]e|webhook|teams|discord/i;
/** Arguments that carry the failure (a failed status, a success flag set false, an error text). */
const FAILURE_ARGUMENT = /fail|error|\b(?:is_?)?success\b["']?\s*[:=]\s*false|\bok\b["']?\s*[:=]\s*false/i;

/**
 * Whether an activity call in a catch reports the failure: its name says it notifies or records,
 * or its arguments carry the failure (`isSuccess: false`, a status 'failed', the caught error, or a
 * local the catch builds from it or from a failure text: `message = f"FAILED: {e}"`).
 */
export function reportsFailure(activityName: string, argumentsText: string, carriers: string[]): boolean {
  if (REPORTING_NAME.test(activityName) || FAILURE_ARGUMENT.test(argumentsText)) return true;
  return carriers.some((name) => new RegExp(`(?<![\\w$])${name.replace(/[$]/g, '\\$')}(?![\\w$])`).test(argumentsText));
}

/** The names a catch's arguments may carry the failure in: the caught error and locals built from it or from a failure text. */
export function failureCarriers(caughtName: string | undefined, assignments: { name: string; valueText: string }[]): string[] {
  const carriers = caughtName ? [caughtName] : [];
  for (const { name, valueText } of assignments) {
    if (FAILURE_ARGUMENT.test(valueText) || reportsFailure('', valueText, carriers)) carriers.push(name);
  }
  return carriers;
}
