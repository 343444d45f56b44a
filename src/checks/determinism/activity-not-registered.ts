// Prevents activities that no worker can run: a workflow running on a worker schedules an
// activity type that no worker's activity set provides (TypeScript: a factory left out of the
// `activities` object, a renamed export; Python: a function left out of `activities=[...]`, a
// `@activity.defn(name=...)` that differs from the name the workflow calls). Every attempt fails
// with "Activity function X is not registered on this Worker" (Python: "... is not registered on
// this worker", a retryable NotFoundError), retried by the activity's retry policy (forever by
// default) while the workflow waits.

import path from 'node:path';
import { relative } from '../../engine/run-checks.js';
import { unregisteredActivityCalls } from '../../engine/activity-policy/unregistered.js';
import { proxyReviews } from '../../engine/activity-policy/proxy-review.js';
import { formatDuration } from '../../engine/duration.js';
import { defineCheck } from '../define-check.js';
import type { SourceLocation } from '../../model/types.js';
import type { ListBranches } from '../../model/python/python-temporal-calls.js';

/** A Python worker whose module raises ImportError when it loads (python-temporal-calls.ts). */
type LoadFailing = { loadFailure?: { location: SourceLocation; statement: string }[] };
/** A Python worker whose activity list is the one of whichever arm of an if/elif/else runs (python-temporal-calls.ts). */
type Branched = { activityBranches?: ListBranches };

export default defineCheck({
  id: 'activity-not-registered',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: "An activity a registered workflow schedules that no worker's `activities` (object, or Python list) provides",
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = model.language === 'python';
    // A workflow no start of the project names (and no start whose type the review could not
    // resolve may start) fails only if something outside starts it: a warning. A start whose type
    // the review cannot resolve may start any workflow: the finding says so and keeps its severity.
    const starts = [...model.starts, ...(model.scheduleActions ?? [])];
    // a start helper's candidate types (the ones every caller passes) count as started
    const unknownStart = starts.find((start) => start.workflowType === null && !start.workflowTypeCandidates?.length);
    const started = new Set(starts.flatMap((start) => (start.workflowType !== null ? [start.workflowType] : (start.workflowTypeCandidates ?? []))));
    for (const group of groupedByActivity(unregisteredActivityCalls(model))) {
      const missing = group.first;
      const workers = missing.workers.map((worker) => `${relative(ctx.root, worker.location.file)}:${worker.location.line}`).join(', ');
      const name = missing.use.name;
      // A workflow nothing here starts (a feature switched off, started only from outside) fails
      // only if something does start it: a risk to check, not a certain failure.
      // A start whose type the review could not resolve may be the one: the workflow is then not
      // known to be unstarted, and the impact stays that of a started workflow.
      const unresolved = group.workflowNames.every((type) => !started.has(type));
      const unstarted = unresolved && !unknownStart;
      const unstartedNote = !unresolved
        ? ''
        : unknownStart
          ? ` The review could not resolve the workflow type the start at ${relative(ctx.root, unknownStart.location.file)}:${unknownStart.location.line} passes; it may start ${group.workflowNames.join(', ')}.`
          : ` Nothing in this code base starts ${group.workflowNames.join(', ')}: this happens when something outside it (the CLI, another service, a schedule made elsewhere) does.`;
      // a worker kept in a file nothing deploys registers it: say so, it is the likely fix
      const elsewhere = missing.unstartedRegistering.length
        ? `; ${missing.unstartedRegistering.map((worker) => `${relative(ctx.root, worker.location.file)}:${worker.location.line}`).join(', ')} register${missing.unstartedRegistering.length === 1 ? 's' : ''} it, but ${missing.unstartedRegistering[0]!.notStarted}`
        : '';
      // a worker whose list depends on a condition: no arm lists it, so no mode of the worker runs it
      const branched = missing.workers.filter((worker) => (worker as Branched).activityBranches);
      const branchNote = branched
        .map((worker) => {
          const branches = (worker as Branched).activityBranches!;
          const arms = branches.arms.map((arm) => `\`${arm.head}\` (line ${arm.line})`).join(', ');
          return `; ${relative(ctx.root, worker.location.file)}:${worker.location.line} registers the \`${branches.variable}\` list of whichever arm of the if/else at line ${branches.line} runs (${arms}), and no arm lists it`;
        })
        .join('');
      // a Python worker whose module cannot load does not start at all today
      const broken = missing.workers.filter((worker) => (worker as LoadFailing).loadFailure?.length);
      const loadNote = broken.length
        ? ` Today ${broken.map((worker) => path.basename(worker.location.file)).join(', ')} cannot even load: ${broken
            .map((worker) => {
              const first = (worker as LoadFailing).loadFailure![0]!;
              return `\`${first.statement}\` (line ${first.location.line}) raises ImportError (see project-import-name-missing)`;
            })
            .join('; ')}, so ${broken.length === 1 ? 'that worker does' : 'those workers do'} not start at all. Once ${broken.length === 1 ? 'it loads' : 'they load'}, the registration is still missing: every`
        : '';
      ctx.report({
        location: missing.use.location,
        ...(unstarted ? { severity: 'warning' as const } : {}),
        message:
          `Workflow${group.workflowNames.length > 1 ? 's' : ''} ${group.workflowNames.join(', ')} schedule${group.workflowNames.length > 1 ? '' : 's'} activity '${name}'${placesNote(ctx.root, group)}, but no worker's activities provide it (the workers polling its task queue: ${workers}, ` +
          `whose activity sets were all read${branchNote}${elsewhere}).${loadNote || ' Every'} attempt fails with "Activity function ${name} ${python ? 'for workflow ... is not registered on this worker' : 'is not registered on this Worker'}" and is retried ` +
          retriedAll(model, group) +
          unstartedNote,
        fix: python
          ? `Add the function whose activity type is '${name}' to activities=[...] of the worker that runs this workflow (${workers}), or stop calling it.`
          : `Add '${name}' to the activities of the worker that runs this workflow (${workers}), or stop calling it.`,
        related: [
          ...group.others.map((other) => ({ ...other.use.location, message: 'another call of the same activity' })),
          ...missing.workers.map((worker) => ({ ...worker.location, message: 'worker whose activities lack it' })),
          ...missing.unstartedRegistering.map((worker) => ({ ...worker.location, message: 'worker that registers it, which nothing deploys' })),
        ],
        data: { activityType: name, workflowTypes: group.workflowNames, workers: missing.workers.map((worker) => worker.id), calls: 1 + group.others.length },
      });
    }
  },
});

type Missing = ReturnType<typeof unregisteredActivityCalls>[number];
interface MissingGroup {
  first: Missing;
  others: Missing[];
  workflowNames: string[];
}

/**
 * The calls of one activity type that the same workers lack, as one finding: the root cause is the
 * one missing registration, however many calls (and workflows) reach it. Calls in source order;
 * the first is the finding's location, the rest are related locations.
 */
function groupedByActivity(calls: Missing[]): MissingGroup[] {
  const groups = new Map<string, Missing[]>();
  for (const call of calls) {
    const key = [call.use.name, call.workers.map((w) => w.id).sort().join(','), call.unstartedRegistering.map((w) => w.id).sort().join(',')].join('|');
    groups.set(key, [...(groups.get(key) ?? []), call]);
  }
  return [...groups.values()].map((members) => {
    const sorted = [...members].sort((a, b) => a.use.location.file.localeCompare(b.use.location.file) || a.use.location.line - b.use.location.line || a.use.location.column - b.use.location.column);
    return { first: sorted[0]!, others: sorted.slice(1), workflowNames: [...new Set(sorted.flatMap((call) => call.workflowNames))] };
  });
}

/** ' (3 calls: workflows.py lines 40, 56 and 88)' for a group of more than one call, else ''. */
function placesNote(root: string, group: MissingGroup): string {
  if (group.others.length === 0) return '';
  const calls = [group.first, ...group.others];
  const byFile = new Map<string, number[]>();
  for (const call of calls) {
    const file = relative(root, call.use.location.file);
    byFile.set(file, [...new Set([...(byFile.get(file) ?? []), call.use.location.line])]);
  }
  const list = (items: string[]) => (items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
  const parts = [...byFile].map(([file, lines]) => `${file} line${lines.length > 1 ? 's' : ''} ${list(lines.map(String))}`);
  return ` (${calls.length} calls: ${list(parts)})`;
}

/** How the failing attempts go on, when every call of the group shares a retry policy; said per call otherwise. */
function retriedAll(model: Parameters<typeof proxyReviews>[0], group: MissingGroup): string {
  const first = retriedHow(model, group.first.proxy.id);
  if (group.others.every((other) => retriedHow(model, other.proxy.id) === first)) return first;
  return `${first.replace(/[.]$/, '')} (at the first call; the other calls by their own retry policies).`;
}

/**
 * How the failing attempts go on, by the call's retry policy: a bounded policy fails the activity
 * in the workflow after its last attempt; no policy (or no maximumAttempts) retries while the
 * workflow waits.
 */
function retriedHow(model: Parameters<typeof proxyReviews>[0], proxyId: string): string {
  const review = proxyReviews(model).find((candidate) => candidate.proxy.id === proxyId);
  const retry = review?.retry;
  // A scheduleToCloseTimeout ends the retries of a policy without maximumAttempts.
  const closing = review?.timeouts.scheduleToClose;
  const deadline = closing?.known && Number.isFinite(closing.ms) && closing.ms > 0 ? closing.ms : undefined;
  if (retry?.known && retry.policy.maximumAttempts > 1) {
    return `${retry.policy.maximumAttempts - 1} more times (maximumAttempts ${retry.policy.maximumAttempts}), and then the activity fails in the workflow: every run that reaches this call fails here unless it catches the failure.`;
  }
  if (retry?.known && retry.policy.maximumAttempts === 1) return 'no more (maximumAttempts 1): the activity fails in the workflow at once, in every run that reaches this call.';
  const policy = retry?.known ? (retry.written ? 'its retry policy, which sets no maximumAttempts' : 'the default retry policy') : undefined;
  if (policy && deadline !== undefined) {
    return `by ${policy}, until the call's scheduleToCloseTimeout (${formatDuration(deadline)}) ends them, and then the activity fails in the workflow: every run that reaches this call fails here unless it catches the failure.`;
  }
  if (policy) return `by ${policy}, without end, while the workflow waits.`;
  return "by the activity's retry policy (without maximumAttempts, forever) while the workflow waits.";
}
