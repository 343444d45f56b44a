// Builds proto3 JSON histories for tests: a workflow that runs activities (with chosen payload
// sizes, schedule-to-start delays, attempts and outcomes), timers and signals, the way
// `temporal workflow show -o json` writes them.

import fs from 'node:fs';
import path from 'node:path';

export interface BuiltActivity {
  type: string;
  taskQueue?: string;
  inputBytes?: number;
  resultBytes?: number;
  scheduleToStartMs?: number;
  attempt?: number;
  outcome?: 'completed' | 'failed' | 'timedOut';
  failureType?: string;
}

export interface HistorySpec {
  workflowType: string;
  taskQueue?: string;
  inputBytes?: number;
  resultBytes?: number;
  activities?: BuiltActivity[];
  /** Timer pairs (TimerStarted + TimerFired) to add events. */
  timers?: number;
  signals?: { name: string; bytes: number }[];
  continueAsNew?: boolean;
  /** Payload data: 'a' repeated, or custom text (for privacy tests). */
  payloadText?: string;
}

const JSON_PLAIN = Buffer.from('json/plain').toString('base64');
/** Metadata bytes of every built payload: "encoding" + "json/plain". */
export const METADATA_BYTES = 'encoding'.length + 'json/plain'.length;

export function payload(bytes: number, text?: string): Record<string, unknown> {
  const data = text !== undefined ? Buffer.from(text) : Buffer.alloc(bytes, 'a');
  return { metadata: { encoding: JSON_PLAIN }, data: data.toString('base64') };
}

export function buildHistory(spec: HistorySpec): { events: Record<string, unknown>[] } {
  const events: Record<string, unknown>[] = [];
  let clock = Date.parse('2024-01-01T00:00:00Z');
  const taskQueue = spec.taskQueue ?? 'orders';
  const add = (type: string, attributes: Record<string, unknown>, advanceMs = 5) => {
    clock += advanceMs;
    const id = events.length + 1;
    const name = type.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    events.push({
      eventId: String(id),
      eventTime: new Date(clock).toISOString(),
      eventType: `EVENT_TYPE_${type}`,
      taskId: String(1048576 + id),
      [`${name}EventAttributes`]: attributes,
    });
    return id;
  };
  const workflowTask = () => {
    const scheduled = add('WORKFLOW_TASK_SCHEDULED', { taskQueue: { name: taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' }, startToCloseTimeout: '10s', attempt: 1 });
    const started = add('WORKFLOW_TASK_STARTED', { scheduledEventId: String(scheduled), identity: 'worker@host', requestId: 'r' });
    return add('WORKFLOW_TASK_COMPLETED', { scheduledEventId: String(scheduled), startedEventId: String(started), identity: 'worker@host' });
  };
  add('WORKFLOW_EXECUTION_STARTED', {
    workflowType: { name: spec.workflowType },
    taskQueue: { name: taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
    input: { payloads: [payload(spec.inputBytes ?? 10, spec.payloadText)] },
    workflowTaskTimeout: '10s',
    originalExecutionRunId: 'run-1',
    identity: 'client@host',
    firstExecutionRunId: 'run-1',
    attempt: 1,
  });
  let completed = workflowTask();
  for (const activity of spec.activities ?? []) {
    const scheduled = add('ACTIVITY_TASK_SCHEDULED', {
      activityId: String(events.length + 1),
      activityType: { name: activity.type },
      taskQueue: { name: activity.taskQueue ?? taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      input: { payloads: [payload(activity.inputBytes ?? 10, spec.payloadText)] },
      scheduleToCloseTimeout: '0s',
      startToCloseTimeout: '10s',
      workflowTaskCompletedEventId: String(completed),
    });
    const started = add('ACTIVITY_TASK_STARTED', { scheduledEventId: String(scheduled), identity: 'worker@host', requestId: 'r', attempt: activity.attempt ?? 1 }, activity.scheduleToStartMs ?? 5);
    if (activity.outcome === 'failed') {
      add('ACTIVITY_TASK_FAILED', {
        failure: { message: 'declined', source: 'TypeScriptSDK', applicationFailureInfo: { type: activity.failureType ?? 'Error' } },
        scheduledEventId: String(scheduled),
        startedEventId: String(started),
        retryState: 'RETRY_STATE_NON_RETRYABLE_FAILURE',
      });
    } else if (activity.outcome === 'timedOut') {
      add('ACTIVITY_TASK_TIMED_OUT', {
        failure: { message: 'activity timeout', timeoutFailureInfo: { timeoutType: 'TIMEOUT_TYPE_START_TO_CLOSE' } },
        scheduledEventId: String(scheduled),
        startedEventId: String(started),
        retryState: 'RETRY_STATE_TIMEOUT',
      });
    } else {
      add('ACTIVITY_TASK_COMPLETED', { result: { payloads: [payload(activity.resultBytes ?? 10, spec.payloadText)] }, scheduledEventId: String(scheduled), startedEventId: String(started) });
    }
    completed = workflowTask();
  }
  for (const signal of spec.signals ?? []) {
    add('WORKFLOW_EXECUTION_SIGNALED', { signalName: signal.name, input: { payloads: [payload(signal.bytes, spec.payloadText)] }, identity: 'client@host' });
    completed = workflowTask();
  }
  for (let i = 0; i < (spec.timers ?? 0); i++) {
    const started = add('TIMER_STARTED', { timerId: String(i + 1), startToFireTimeout: '1s', workflowTaskCompletedEventId: String(completed) });
    add('TIMER_FIRED', { timerId: String(i + 1), startedEventId: String(started) }, 1000);
  }
  if (spec.continueAsNew) {
    add('WORKFLOW_EXECUTION_CONTINUED_AS_NEW', {
      newExecutionRunId: 'run-2',
      workflowType: { name: spec.workflowType },
      taskQueue: { name: taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      input: { payloads: [payload(10)] },
      workflowTaskCompletedEventId: String(completed),
    });
  } else {
    add('WORKFLOW_EXECUTION_COMPLETED', { result: { payloads: [payload(spec.resultBytes ?? 10, spec.payloadText)] }, workflowTaskCompletedEventId: String(completed) });
  }
  return { events };
}

export function writeHistory(dir: string, name: string, history: unknown): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(history, null, 2));
  return file;
}
