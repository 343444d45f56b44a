// Every history dialect of TEMPORAL-FACTS.md section 8, written out by hand: proto3 JSON, legacy
// PascalCase with numeric ids, old Java snake_case, the bare array and {"history": ...} wrappers,
// numeric event types, and the payload details sizes depend on.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHistoryFile } from '../../src/model/history/read-history-file.js';
import { seededRandom } from '../../src/simulate/seeded-random.js';
import { buildHistory } from './history-builder.js';
import { parsedTexts, parseText, referenceFacts, withoutReader } from './parse-text.js';
import { scratchFolder } from '../helpers/scratch-folder.js';

const JSON_PLAIN = Buffer.from('json/plain').toString('base64');
const started = (extra: Record<string, unknown> = {}) => ({
  eventId: '1',
  eventTime: '2024-01-01T00:00:00Z',
  eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
  workflowExecutionStartedEventAttributes: { workflowType: { name: 'orderWorkflow' }, taskQueue: { name: 'orders', kind: 'TASK_QUEUE_KIND_NORMAL' }, ...extra },
});

describe('history dialects', () => {
  it('reads a bare array of events and a {"history": {"events": [...]}} wrapper the same way', () => {
    const bare = parseText(JSON.stringify([started()]));
    const wrapped = parseText(JSON.stringify({ history: { events: [started()] } }));
    expect(bare.facts).toEqual(wrapped.facts);
    expect(bare.facts[0]).toMatchObject({ id: 1, type: 'WorkflowExecutionStarted', workflowType: 'orderWorkflow', taskQueue: 'orders' });
  });

  it('reads old Java exports with snake_case field names', () => {
    const text = JSON.stringify({
      events: [
        { event_id: '1', event_time: '2024-01-01T00:00:00Z', event_type: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', workflow_execution_started_event_attributes: { workflow_type: { name: 'billing' }, task_queue: { name: 'bills' } } },
        {
          event_id: '2',
          event_time: '2024-01-01T00:00:01Z',
          event_type: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
          activity_task_scheduled_event_attributes: { activity_type: { name: 'charge' }, task_queue: { name: 'bills' }, input: { payloads: [{ metadata: { encoding: JSON_PLAIN }, data: 'YWJjZA==' }] } },
        },
        { event_id: '3', event_time: '2024-01-01T00:00:01.250Z', event_type: 'EVENT_TYPE_ACTIVITY_TASK_STARTED', activity_task_started_event_attributes: { scheduled_event_id: '2', attempt: 1 } },
      ],
    });
    const { facts } = parseText(text);
    expect(facts.map((e) => [e.id, e.type, e.workflowType ?? e.activityType])).toEqual([
      [1, 'WorkflowExecutionStarted', 'billing'],
      [2, 'ActivityTaskScheduled', 'charge'],
      [3, 'ActivityTaskStarted', 'charge'],
    ]);
    expect(facts[1]!.payloads).toEqual([{ origin: { site: 'activity', direction: 'input', name: 'charge' }, bytes: 4 + 18, encoding: 'json/plain' }]);
  });

  it('counts long payloads in old Java exports with snake_case field names', () => {
    const data = Buffer.alloc(3000, 'x').toString('base64');
    const text = JSON.stringify({
      events: [
        { event_id: '1', event_type: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', workflow_execution_started_event_attributes: { workflow_type: { name: 'billing' }, input: { payloads: [{ metadata: { encoding: JSON_PLAIN }, data }] } } },
      ],
    });
    const { facts } = parseText(text);
    expect(facts[0]!.payloads).toEqual([{ origin: { site: 'workflow', direction: 'input' }, bytes: 3000 + 18, encoding: 'json/plain' }]);
  });

  it('reads legacy PascalCase types, "Normal" enums, numeric ids, numeric event types and {seconds, nanos} times', () => {
    const text = JSON.stringify({
      events: [
        { eventId: 1, eventTime: { seconds: '1704067200', nanos: 500000000 }, eventType: 'WorkflowExecutionStarted', workflowExecutionStartedEventAttributes: { workflowType: { name: 'legacy' }, taskQueue: { name: 'q', kind: 'Normal' } } },
        { eventId: 2, eventTime: '2024-01-01T00:00:01Z', eventType: 10, activityTaskScheduledEventAttributes: { activityType: { name: 'a' }, taskQueue: { name: 'q', kind: 'Normal' } } },
      ],
    });
    const { facts } = parseText(text);
    expect(facts.map((e) => [e.id, e.type, e.time])).toEqual([
      [1, 'WorkflowExecutionStarted', Date.parse('2024-01-01T00:00:00.500Z')],
      [2, 'ActivityTaskScheduled', Date.parse('2024-01-01T00:00:01Z')],
    ]);
  });

  it('skips an unknown event type with a note and infers the type from the attributes when eventType is missing', () => {
    const text = JSON.stringify({
      events: [
        started(),
        { eventId: '2', eventType: 'EVENT_TYPE_FROM_THE_FUTURE', fromTheFutureEventAttributes: {} },
        { eventId: '3', eventTime: '2024-01-01T00:00:02Z', timerStartedEventAttributes: { timerId: '1', startToFireTimeout: '5s' } },
      ],
    });
    const { result, facts } = parseText(text);
    expect(facts.map((e) => [e.id, e.type])).toEqual([
      [1, 'WorkflowExecutionStarted'],
      [3, 'TimerStarted'],
    ]);
    expect(result.ok && result.summary.notes).toEqual(['event 2 has unknown type "EVENT_TYPE_FROM_THE_FUTURE"; skipped']);
    expect(result.ok && [result.summary.events, result.summary.skippedEvents]).toEqual([3, 1]);
  });

  it('counts payload size as decoded data plus metadata, including Java\'s \\u003d padding and long omitted data', () => {
    const long = Buffer.alloc(3000, 'x').toString('base64').replace(/=/g, '\\u003d');
    const text = `{"events": [${JSON.stringify(started())}, {"eventId": "2", "eventType": "EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED",
      "workflowExecutionSignaledEventAttributes": {"signalName": "addLines", "input": {"payloads": [
        {"metadata": {"encoding": "${JSON_PLAIN}"}, "data": "YWJjZA\\u003d\\u003d"},
        {"metadata": {"encoding": "json/plain", "messageType": "${Buffer.from('orders.Line').toString('base64')}"}, "data": "${long}"},
        {"metadata": {"encoding": "${Buffer.from('binary/null').toString('base64')}"}}
      ]}}}]}`;
    const { facts } = parseText(text);
    expect(facts[1]!.payloads).toEqual([
      { origin: { site: 'signal', direction: 'input', name: 'addLines' }, bytes: 4 + 18, encoding: 'json/plain' },
      { origin: { site: 'signal', direction: 'input', name: 'addLines' }, bytes: 3000 + 'encoding'.length + 'json/plain'.length + 'messageType'.length + 'orders.Line'.length, encoding: 'json/plain' },
      { origin: { site: 'signal', direction: 'input', name: 'addLines' }, bytes: 'encoding'.length + 'binary/null'.length, encoding: 'binary/null' },
    ]);
  });

  it('follows failures through cause, heartbeat details, memo, search attributes and headers', () => {
    const p = (text: string) => ({ metadata: { encoding: JSON_PLAIN }, data: Buffer.from(text).toString('base64') });
    const text = JSON.stringify({
      events: [
        started({ memo: { fields: { customer: p('"c-1"') } }, searchAttributes: { indexedFields: { OrderId: p('"o-1"') } }, header: { fields: { trace: p('{}') } } }),
        { eventId: '2', eventTime: '2024-01-01T00:00:01Z', eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED', activityTaskScheduledEventAttributes: { activityType: { name: 'charge' }, taskQueue: { name: 'q' } } },
        {
          eventId: '3',
          eventTime: '2024-01-01T00:00:02Z',
          eventType: 'EVENT_TYPE_ACTIVITY_TASK_FAILED',
          activityTaskFailedEventAttributes: {
            scheduledEventId: '2',
            failure: { message: 'wrapped', cause: { message: 'declined', applicationFailureInfo: { type: 'PaymentDeclined', details: { payloads: [p('{"code":51}')] } } } },
          },
        },
        {
          eventId: '4',
          eventTime: '2024-01-01T00:00:03Z',
          eventType: 'EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT',
          activityTaskTimedOutEventAttributes: { scheduledEventId: '2', failure: { timeoutFailureInfo: { timeoutType: 'TIMEOUT_TYPE_HEARTBEAT', lastHeartbeatDetails: { payloads: [p('42')] } } } },
        },
      ],
    });
    const { facts } = parseText(text);
    const origins = facts.flatMap((e) => e.payloads.map((x) => [e.id, x.origin.site, x.origin.direction, x.origin.name ?? null, x.bytes]));
    expect(origins).toEqual([
      [1, 'memo', 'value', 'customer', 5 + 18],
      [1, 'search-attribute', 'value', 'OrderId', 5 + 18],
      [1, 'header', 'value', 'trace', 2 + 18],
      [3, 'activity', 'failure', 'charge', 11 + 18],
      [4, 'activity', 'heartbeat', 'charge', 2 + 18],
    ]);
    expect(facts.map((e) => e.failureType ?? null)).toEqual([null, null, 'PaymentDeclined', 'Heartbeat']);
  });

  it('names update payloads from the accepted request when the completion only has the update id', () => {
    const p = { metadata: { encoding: JSON_PLAIN }, data: 'MQ==' };
    const text = JSON.stringify({
      events: [
        started(),
        { eventId: '2', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED', workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: { meta: { updateId: 'u1' }, input: { name: 'setAddress', args: { payloads: [p] } } } } },
        { eventId: '3', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED', workflowExecutionUpdateCompletedEventAttributes: { meta: { updateId: 'u1' }, outcome: { success: { payloads: [p] } } } },
      ],
    });
    const { facts } = parseText(text);
    expect(facts.slice(1).map((e) => [e.name, e.payloads.map((x) => x.origin)])).toEqual([
      ['setAddress', [{ site: 'update', direction: 'input', name: 'setAddress' }]],
      ['setAddress', [{ site: 'update', direction: 'result', name: 'setAddress' }]],
    ]);
  });

  it('reads UTF-8 names and escapes, whatever the chunk size', () => {
    const text = JSON.stringify([started({ workflowType: { name: 'commande-\u00e9t\u00e9 \u{1F4E6} "q"' } })]);
    for (const chunkBytes of [1, 2, 3, 5, 64]) {
      expect(parseText(text, { chunkBytes }).facts[0]!.workflowType, `chunk ${chunkBytes}`).toBe('commande-\u00e9t\u00e9 \u{1F4E6} "q"');
    }
  });

  it('gives the same facts as a full JSON.parse for every sample above', () => {
    expect(parsedTexts.length).toBeGreaterThan(5);
    for (const text of [...parsedTexts]) {
      const streamed = parseText(text).facts.map(({ sizeBytes: _size, ...rest }) => rest);
      expect(streamed).toEqual(referenceFacts(text).map(({ sizeBytes: _size, ...rest }) => rest));
    }
  });
});

describe('the two parsers', () => {
  const history = JSON.stringify({ events: [started(), { eventId: '2', eventTime: '2024-01-01T00:00:01Z', eventType: 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED', workflowTaskScheduledEventAttributes: { taskQueue: { name: 'orders' } } }] });

  it('reads files up to the whole-file limit whole and streams larger ones, with the same result', () => {
    const small = parseText(history);
    expect(small.result.ok && small.result.reader).toBe('whole');
    const file = path.join(scratchFolder('limit'), 'history.json');
    fs.writeFileSync(file, history);
    const over = readHistoryFile(file, 'history.json', { wholeFileBytes: history.length - 1 });
    expect(over.ok && over.reader).toBe('stream');
    expect(withoutReader(over)).toEqual(withoutReader(small.result));
  });

  it('hands a valid file the whole-file reader declines (nesting over 400 levels) to the streaming parser', () => {
    const deep = `${'['.repeat(450)}1${']'.repeat(450)}`;
    const text = history.replace('"taskQueue":', `"deep": ${deep}, "taskQueue":`);
    const { result, facts } = parseText(text);
    expect(result.ok && result.reader).toBe('stream');
    expect(facts.map((e) => e.type)).toEqual(['WorkflowExecutionStarted', 'WorkflowTaskScheduled']);
  });
});

describe('the whole-file reader on large files', () => {
  // Payload sizes from a seeded generator put strings, keys, numbers and escapes at every offset
  // (around the scanner's 16-byte steps and the streaming parser's chunk edges); parseText checks
  // each file against the streaming parser.
  const random = seededRandom(4242);
  const names = ['chargeCard', 'ship "express"', 'r\u00e9server', 'back\\slash', 'x'.repeat(300)];
  const histories = Array.from({ length: 12 }, (_, i) => {
    const activities = Array.from({ length: 40 + Math.floor(random() * 80) }, () => ({
      type: names[Math.floor(random() * names.length)]!,
      inputBytes: random() < 0.1 ? 60_000 + Math.floor(random() * 150_000) : Math.floor(random() * 3000),
      resultBytes: Math.floor(random() * 400),
      outcome: random() < 0.1 ? ('failed' as const) : ('completed' as const),
    }));
    const history = buildHistory({ workflowType: `bigWorkflow${i}`, activities, timers: Math.floor(random() * 50), signals: [{ name: 'add', bytes: 700 }] });
    return i % 3 === 0 ? JSON.stringify(history) : JSON.stringify(history, null, i % 3);
  });

  it('gives the streaming parser\'s facts and sizes whatever falls where', () => {
    for (const text of histories) {
      expect(text.length).toBeGreaterThan(3 * 64 * 1024);
      const { result, facts } = parseText(text);
      expect(result.ok && result.reader).toBe('whole');
      expect(facts.filter((e) => e.type === 'ActivityTaskScheduled').length).toBeGreaterThan(39);
    }
  });

  it('keeps payload previews the same (--show-payloads)', () => {
    for (const text of histories.slice(0, 4)) expect(parseText(text, { showPayloads: true }).result.ok).toBe(true);
  });
});
