// What a drill needs to know about one execution, read from its history as the server recorded
// it: how it ended, how long it took, the workflow tasks that failed on nondeterminism, each
// activity's attempts (ActivityTaskStarted.attempt, TEMPORAL-FACTS.md §8) and schedule-to-start
// latencies, and the billable Actions (§10).

import crypto from 'node:crypto';
import proto from '@temporalio/proto';
import type { RetryPolicyInput } from '../../simulate/retry-policy.js';

const { temporal } = proto;

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
const EventType = temporal.api.enums.v1.EventType;
const NON_DETERMINISTIC = temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR;

export type WorkflowOutcome = 'completed' | 'failed' | 'timed-out' | 'terminated' | 'canceled' | 'continued-as-new' | 'running';

export interface ActivityFacts {
  activityType: string;
  taskQueue: string;
  scheduledAtMs: number;
  /** Time of the last attempt's start; absent while the activity has not run or is retrying. */
  startedAtMs?: number;
  closedAtMs?: number;
  /** Attempts made, counting the first (ActivityTaskStarted.attempt). */
  attempts: number;
  outcome: 'completed' | 'failed' | 'timed-out' | 'canceled' | 'open';
  /** The retry policy the server applied (it fills in the defaults), durations in ms. */
  retryPolicy: RetryPolicyInput;
}

export interface WorkflowTaskFacts {
  taskQueue: string;
  scheduledAtMs: number;
  startedAtMs?: number;
}

export interface NondeterminismEvent {
  eventId: number;
  message: string;
}

export interface WorkflowFacts {
  workflowId: string;
  runId: string;
  workflowType: string;
  taskQueue: string;
  outcome: WorkflowOutcome;
  startedAtMs: number;
  closedAtMs?: number;
  /** A digest of the result (or failure type and message), to compare runs without printing payloads. */
  resultDigest?: string;
  /** Workflow tasks that failed, and those of them that failed on nondeterminism. */
  workflowTaskFailures: number;
  nondeterminism: NondeterminismEvent[];
  activities: ActivityFacts[];
  workflowTasks: WorkflowTaskFacts[];
  timers: number;
  signals: number;
  /** The last event's id: a cheap progress marker. */
  lastEventId: number;
}

export function historyFacts(workflowId: string, events: HistoryEvent[]): WorkflowFacts {
  const facts: WorkflowFacts = {
    workflowId,
    runId: '',
    workflowType: '',
    taskQueue: '',
    outcome: 'running',
    startedAtMs: 0,
    workflowTaskFailures: 0,
    nondeterminism: [],
    activities: [],
    workflowTasks: [],
    timers: 0,
    signals: 0,
    lastEventId: 0,
  };
  const activities = new Map<number, ActivityFacts>();
  const workflowTasks = new Map<number, WorkflowTaskFacts>();
  for (const event of events) {
    const eventId = Number(event.eventId ?? 0);
    const at = timeMs(event);
    facts.lastEventId = Math.max(facts.lastEventId, eventId);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        const attributes = event.workflowExecutionStartedEventAttributes!;
        facts.workflowType = attributes.workflowType?.name ?? '';
        facts.taskQueue = attributes.taskQueue?.name ?? '';
        facts.runId = attributes.originalExecutionRunId ?? '';
        facts.startedAtMs = at;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        workflowTasks.set(eventId, { taskQueue: queueName(event.workflowTaskScheduledEventAttributes?.taskQueue), scheduledAtMs: at });
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED: {
        const task = workflowTasks.get(Number(event.workflowTaskStartedEventAttributes?.scheduledEventId ?? 0));
        if (task) task.startedAtMs = at;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED: {
        facts.workflowTaskFailures += 1;
        const attributes = event.workflowTaskFailedEventAttributes!;
        const message = attributes.failure?.message ?? '';
        if (attributes.cause === NON_DETERMINISTIC || /TMPRL1100|nondeterminism/i.test(message)) {
          facts.nondeterminism.push({ eventId, message: message.split('\n')[0]! });
        }
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const attributes = event.activityTaskScheduledEventAttributes!;
        activities.set(eventId, {
          activityType: attributes.activityType?.name ?? '',
          taskQueue: attributes.taskQueue?.name ?? '',
          scheduledAtMs: at,
          attempts: 0,
          outcome: 'open',
          retryPolicy: retryPolicyOf(attributes),
        });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const activity = activities.get(Number(event.activityTaskStartedEventAttributes?.scheduledEventId ?? 0));
        if (activity) {
          activity.startedAtMs = at;
          activity.attempts = event.activityTaskStartedEventAttributes?.attempt ?? 1;
        }
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        closeActivity(activities, event.activityTaskCompletedEventAttributes?.scheduledEventId, 'completed', at);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
        closeActivity(activities, event.activityTaskFailedEventAttributes?.scheduledEventId, 'failed', at);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
        closeActivity(activities, event.activityTaskTimedOutEventAttributes?.scheduledEventId, 'timed-out', at);
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        closeActivity(activities, event.activityTaskCanceledEventAttributes?.scheduledEventId, 'canceled', at);
        break;
      case EventType.EVENT_TYPE_TIMER_STARTED:
        facts.timers += 1;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        facts.signals += 1;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        close(facts, 'completed', at, digest(event.workflowExecutionCompletedEventAttributes?.result?.payloads ?? []));
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED: {
        const failure = event.workflowExecutionFailedEventAttributes?.failure;
        close(facts, 'failed', at, digest([failure?.applicationFailureInfo?.type ?? '', failure?.message ?? '']));
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
        close(facts, 'timed-out', at);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
        close(facts, 'terminated', at);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
        close(facts, 'canceled', at);
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
        close(facts, 'continued-as-new', at);
        break;
      default:
        break;
    }
  }
  facts.activities = [...activities.values()];
  facts.workflowTasks = [...workflowTasks.values()];
  return facts;
}

/** Activity attempts plus starts, timers and signals: the Actions this execution billed (§10). */
export function actionsOf(facts: WorkflowFacts): number {
  const attempts = facts.activities.reduce((sum, activity) => sum + Math.max(activity.attempts, activity.outcome === 'open' ? 0 : 1), 0);
  return 1 + attempts + facts.timers + facts.signals;
}

function close(facts: WorkflowFacts, outcome: WorkflowOutcome, at: number, resultDigest?: string): void {
  facts.outcome = outcome;
  facts.closedAtMs = at;
  if (resultDigest) facts.resultDigest = resultDigest;
}

function closeActivity(activities: Map<number, ActivityFacts>, scheduledEventId: unknown, outcome: ActivityFacts['outcome'], at: number): void {
  const activity = activities.get(Number(scheduledEventId ?? 0));
  if (!activity) return;
  activity.outcome = outcome;
  activity.closedAtMs = at;
}

function digest(parts: (proto.temporal.api.common.v1.IPayload | string)[]): string {
  const hash = crypto.createHash('sha256');
  for (const part of parts) {
    if (typeof part === 'string') hash.update(part);
    else if (part.data) hash.update(part.data);
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** A sticky queue is one worker's private queue for its cached workflows: count it under the normal one. */
function queueName(queue: proto.temporal.api.taskqueue.v1.ITaskQueue | null | undefined): string {
  if (!queue) return '';
  return queue.kind === temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_STICKY && queue.normalName ? queue.normalName : (queue.name ?? '');
}

type Duration = { seconds?: unknown; nanos?: number | null } | null | undefined;

function durationMs(duration: Duration): number | undefined {
  if (!duration) return undefined;
  const ms = Number(duration.seconds ?? 0) * 1000 + Math.round((duration.nanos ?? 0) / 1e6);
  return ms > 0 ? ms : undefined;
}

function retryPolicyOf(attributes: proto.temporal.api.history.v1.IActivityTaskScheduledEventAttributes): RetryPolicyInput {
  const policy = attributes.retryPolicy ?? {};
  const fields: RetryPolicyInput = {
    initialIntervalMs: durationMs(policy.initialInterval),
    backoffCoefficient: policy.backoffCoefficient ?? undefined,
    maximumIntervalMs: durationMs(policy.maximumInterval),
    maximumAttempts: policy.maximumAttempts ?? undefined,
    nonRetryableErrorTypes: policy.nonRetryableErrorTypes ?? [],
    scheduleToCloseMs: durationMs(attributes.scheduleToCloseTimeout),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== 0)) as RetryPolicyInput;
}

function timeMs(event: HistoryEvent): number {
  const time = event.eventTime;
  if (!time) return 0;
  return Number(time.seconds ?? 0) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
}
