// Whether the workflows behind a proxy always run under a deadline: every start the reviewed code
// makes of them (client starts, child starts, schedule actions) sets workflowExecutionTimeout or
// workflowRunTimeout (Python: execution_timeout / run_timeout). The server ends the run at that
// deadline, and with it every pending activity and its retries, so "unlimited attempts" of the
// default retry policy cannot happen there (TEMPORAL-FACTS §2: an unset scheduleToClose becomes
// the run timeout).

import type { CodeModel, SourceLocation, StaticValue, WorkflowStartFacts } from '../../model/types.js';
import { durationVerdict } from './duration-verdict.js';
import { render } from './read-options.js';
import { outageSettings } from './describe-policy.js';
import { formatDuration } from '../duration.js';
import type { PreflightConfig } from '../config.js';

export interface WorkflowDeadline {
  /** The longest deadline over the starts: the bound on any one run's retries. */
  ms: number;
  /** Each start with the option it sets, as written. */
  sites: { location: SourceLocation; option: string; written: string }[];
}

const TYPESCRIPT_OPTIONS = ['workflowExecutionTimeout', 'workflowRunTimeout'];
const PYTHON_OPTIONS = ['execution_timeout', 'run_timeout'];

/**
 * The deadline every run of the workflows is under, or undefined when some start sets none, when
 * a workflow has no start in the reviewed code (it is started from elsewhere), or when a start's
 * workflow type does not resolve (it may start these without a deadline).
 */
export function workflowDeadline(model: CodeModel, workflows: string[]): WorkflowDeadline | undefined {
  if (workflows.length === 0) return undefined;
  const starts = [...model.starts, ...(model.scheduleActions ?? [])];
  // A start whose type is not known may start these without a deadline; one through a start
  // helper whose every caller is found counts as a start of each type they pass.
  if (starts.some((start) => start.workflowType === null && !start.workflowTypeCandidates)) return undefined;
  const names = model.language === 'python' ? PYTHON_OPTIONS : TYPESCRIPT_OPTIONS;
  let longest = 0;
  const sites: WorkflowDeadline['sites'] = [];
  for (const workflow of workflows) {
    const own = starts.filter((start) => start.workflowType === workflow || (start.workflowType === null && start.workflowTypeCandidates?.includes(workflow)));
    if (own.length === 0) return undefined;
    for (const start of own) {
      const deadline = startDeadline(start, names);
      if (!deadline) return undefined;
      longest = Math.max(longest, deadline.ms);
      sites.push({ location: start.location, option: deadline.option, written: deadline.written });
    }
  }
  return { ms: longest, sites };
}

/**
 * Whether a deadline is short enough to change the verdict on retries or queue waits that are
 * otherwise unbounded. The retry and queue-wait warnings price an incident at the configured
 * outage length (volume.outage, 30 minutes by default): a fleet retrying through that outage makes
 * the same attempts whether its runs end after a day or never, and a task stuck that long in a
 * saturated queue has gone unnoticed just as long. Only a deadline within that window ends each
 * run's part of the incident sooner (the run ends TIMED_OUT), so past it the warning stands.
 */
export function deadlineWithinOutage(deadline: WorkflowDeadline, config: PreflightConfig): boolean {
  return deadline.ms <= outageSettings(config).outageMs;
}

/** What a deadline does to a run still `doing` (retrying, waiting for a task) when it fires. */
export function timedOutSentence(deadline: WorkflowDeadline, doing: string): string {
  return (
    `A run still ${doing} when the deadline fires ends TIMED_OUT after at most ${formatDuration(deadline.ms)}, ` +
    'with no failure handling in the workflow running: its caller or parent sees a timeout.'
  );
}

/** The shortest of the start's run and execution timeouts, when its options show one. */
function startDeadline(start: WorkflowStartFacts, names: string[]): { ms: number; option: string; written: string } | undefined {
  const options = start.options;
  // A spread may unset what the literal sets.
  if (options?.kind !== 'object' || options.unknownSpreads.length > 0) return undefined;
  let shortest: { ms: number; option: string; written: string } | undefined;
  for (const name of names) {
    const value: StaticValue | undefined = options.properties.get(name);
    if (!value || (value.kind !== 'string' && value.kind !== 'number')) continue;
    const verdict = durationVerdict(value.value);
    // 0 means "no timeout" to the server; a value read from the environment may be anything.
    if (verdict.kind !== 'duration' || ('configurable' in value && value.configurable)) continue;
    if (!shortest || verdict.ms < shortest.ms) shortest = { ms: verdict.ms, option: name, written: render(value) };
  }
  return shortest;
}

/** Start options read in full that set neither a run nor an execution timeout (TypeScript names). */
export function withoutRunTimeout(options: StaticValue | undefined): options is Extract<StaticValue, { kind: 'object' }> {
  if (options?.kind !== 'object' || options.unknownSpreads.length > 0) return false;
  return TYPESCRIPT_OPTIONS.every((key) => {
    const value = options.properties.get(key) ?? options.maybeProperties?.get(key);
    return value === undefined || value.kind === 'undefined';
  });
}
