// Activity calls whose positional arguments the activity function cannot take
// (activity-arguments-mismatch). Nothing on the workflow side counts them: the SDK's
// `workflow_start_activity` sends the arguments as they are (temporalio 1.35.0,
// worker/_workflow_instance.py). The activity worker decodes the payloads, keeping the function's
// type hints only when their count equals the payloads' (worker/_activity.py, `_execute_activity`),
// then calls `input.fn(*input.args)`: one argument more than the function takes, or a required
// parameter left without one, raises TypeError before the body runs. That is no ApplicationError,
// so it fails the attempt as a retryable failure of type "TypeError", and the retry policy retries
// it until its attempts are spent (without end when it sets no maximum_attempts).
//
// Only what is certain is read: a direct SDK call (`workflow.execute_activity`, `start_activity`,
// the local and `_method` forms), whose activity names one project `@activity.defn` function or
// method by its definition, a string or a constant, with no other activity of the same type name;
// the arguments a literal `args=[...]` / `args=(...)` list without `*`, the single `arg`
// (positionally after the activity or as `arg=`), or none at all; the function with no other
// decorator and no required keyword-only parameter. A method's `self` is left out: the worker
// registers the bound method.

import type { SourceLocation } from '../types.js';
import type { PythonActivity } from './python-activities.js';
import { argumentCount, positionalSignature } from './python-start-arguments.js';
import { callArguments, decoratorsOf, locateNode } from './python-syntax.js';
import { scheduledActivity, type Context, type PythonActivityCallSite } from './python-temporal-calls.js';

/** The SDK calls whose arguments reach the activity function as they are (not the `_class` forms: the front-end does not read `__call__`). */
const COUNTED = new Set([
  'execute_activity',
  'start_activity',
  'execute_local_activity',
  'start_local_activity',
  'execute_activity_method',
  'start_activity_method',
  'execute_local_activity_method',
  'start_local_activity_method',
]);

export interface ActivityArgumentMismatch {
  location: SourceLocation;
  /** `workflow.execute_activity`. */
  callText: string;
  local: boolean;
  /** The activity type and its function, as written (`create_adset(adset_config: dict)`). */
  activity: string;
  signature: string;
  definition: SourceLocation;
  /** How many positional arguments the call passes, and the arguments as written. */
  given: number;
  argumentsText: string;
  /** The positional arguments the function takes (self left out); max null: `*args`. */
  min: number;
  max: number | null;
}

/**
 * An SDK activity call that passes more than one positional argument after the activity
 * (`workflow.execute_activity(fn, a, b, start_to_close_timeout=...)`): every form takes
 * `(activity, arg=..., *, args=..., ...)` (temporalio 1.35.0), so the call itself raises TypeError
 * in the workflow code and nothing is scheduled.
 */
export interface ActivityCallArityError {
  location: SourceLocation;
  /** The call's last line. */
  endLine: number;
  /** `workflow.execute_activity`. */
  callText: string;
  /** The positional arguments after the activity, as written. */
  extra: string[];
  /** The workflow types whose code holds the call (empty when it is in a helper). */
  workflows: string[];
  /** Whether the workflows' failure_exception_types cover TypeError: then the workflow fails instead of its task. */
  coverage: 'covered' | 'uncovered' | 'unknown';
}

/** The SDK's activity calls (every form takes the activity and one `arg` positionally). */
const SDK_ACTIVITY_CALLS = new Set([...COUNTED, 'execute_activity_class', 'start_activity_class', 'execute_local_activity_class', 'start_local_activity_class']);

export function pythonActivityCallArityErrors(
  sites: PythonActivityCallSite[],
  context: Context,
  coverage: (workflow: string, chain: string[]) => 'covered' | 'uncovered' | 'unknown',
): ActivityCallArityError[] {
  const found: ActivityCallArityError[] = [];
  for (const { call, file, member } of sites) {
    if (!SDK_ACTIVITY_CALLS.has(member)) continue;
    const args = callArguments(call);
    const positional = args.positional.filter((node) => node.type !== 'comment');
    if (args.starred || args.spreads.length > 0 || args.keywords.has('activity') || positional.length <= 2) continue;
    const owners = context.workflows.filter((w) => w.file === file && w.node.startIndex <= call.startIndex && call.endIndex <= w.node.endIndex).map((w) => w.name);
    const covered = owners.map((owner) => coverage(owner, ['TypeError', 'Exception', 'BaseException']));
    found.push({
      location: locateNode(file, call),
      endLine: call.endPosition.row + 1,
      callText: `workflow.${member}`,
      extra: positional.slice(1).map((node) => node.text),
      workflows: owners,
      coverage: covered.length === 0 || covered.includes('unknown') ? 'unknown' : covered.every((c) => c === 'covered') ? 'covered' : 'uncovered',
    });
  }
  return found;
}

export function pythonActivityArgumentMismatches(sites: PythonActivityCallSite[], context: Context): ActivityArgumentMismatch[] {
  const found: ActivityArgumentMismatch[] = [];
  for (const site of sites) {
    const mismatch = siteMismatch(site, context);
    if (mismatch) found.push(mismatch);
  }
  return found;
}

function siteMismatch({ call, file, member }: PythonActivityCallSite, context: Context): ActivityArgumentMismatch | undefined {
  if (!COUNTED.has(member)) return undefined;
  const args = callArguments(call);
  if (args.starred || args.spreads.length > 0) return undefined;
  const keyword = args.keywords.get('activity');
  // `execute_activity(x, activity=fn)` is a TypeError of the call itself: not this check's case.
  if (keyword && args.positional.length > 0) return undefined;
  // More than one `arg` positionally: the SDK call itself raises TypeError (ActivityCallArityError).
  if (!keyword && args.positional.length > 2) return undefined;
  const target = args.positional[0] ?? keyword;
  if (!target) return undefined;
  const count = argumentCount(keyword ? args.positional : args.positional.slice(1), args.keywords.get('arg'), args.keywords.get('args'));
  if (!count) return undefined;
  const resolved = scheduledActivity(target, file, context);
  const implementation = resolved && !resolved.guessed ? resolved.implementation : undefined;
  if (!implementation) return undefined;
  // A string (or constant) names a type: the project's function is the one the worker runs only
  // when its name is literal. Two functions of one type: which runs depends on the worker.
  if (!resolved!.byDefinition && implementation.nameNotLiteral) return undefined;
  if (context.activities.filter((a) => a.name === implementation.name).length !== 1) return undefined;
  const signature = activitySignature(implementation);
  if (!signature) return undefined;
  if (count.given >= signature.min && (signature.max === null || count.given <= signature.max)) return undefined;
  const name = implementation.node.childForFieldName('name')?.text ?? implementation.name;
  return {
    location: locateNode(file, call),
    callText: `workflow.${member}`,
    local: member.includes('local'),
    activity: implementation.name,
    signature: `${implementation.className ? `${implementation.className}.` : ''}${name}(${signature.parameters})`,
    definition: implementation.location,
    given: count.given,
    argumentsText: count.text,
    min: signature.min,
    max: signature.max,
  };
}

/** The positional arguments the activity function takes, when certain. */
function activitySignature(activity: PythonActivity) {
  // Another decorator may wrap the function and change what it takes (inject a session, say).
  if (decoratorsOf(activity.node).length !== 1) return undefined;
  return positionalSignature(activity.node, !!activity.className);
}
