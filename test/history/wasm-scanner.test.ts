// The WebAssembly scanner behind the whole-file reader (assembly/history-scanner.ts): it must give
// exactly the streaming parser's facts (parseText compares the two on every text), including where
// it computes something itself (event times) and where its fixed-size areas fill up (the name
// table, the tape, the text area).

import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as fieldFlags from '../../src/model/history/field-flags.js';
import { historyScanner, loadHistoryScanner, SCANNER_CONSTANTS } from '../../src/model/history/whole-text-reader.js';
import { repoRoot } from './shared-histories.js';
import { buildHistory, payload } from './history-builder.js';
import { parseText } from './parse-text.js';
import { scratchFolder } from '../helpers/scratch-folder.js';

const event = (id: number, eventTime: unknown, extra: Record<string, unknown> = {}) => ({
  eventId: String(id),
  eventTime,
  eventType: id === 1 ? 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' : 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
  ...(id === 1 ? { workflowExecutionStartedEventAttributes: { workflowType: { name: 'timeWorkflow' }, ...extra } } : { workflowTaskScheduledEventAttributes: { taskQueue: { name: 'q' }, ...extra } }),
});

describe('the WebAssembly history scanner', () => {
  it('is built and loaded (npm run build compiles it), so ordinary files are read whole', () => {
    expect(historyScanner()).not.toBeNull();
    const { result } = parseText(JSON.stringify(buildHistory({ workflowType: 'w', activities: [{ type: 'a' }] })));
    expect(result.ok && result.reader).toBe('whole');
  });

  it('agrees with its glue and with field-flags.ts on every flag and tape code', () => {
    const source = fs.readFileSync(path.join(repoRoot, 'assembly/history-scanner.ts'), 'utf8');
    const constants = new Map([...source.matchAll(/^(?:export )?const (\w+): i32 = (\d+);/gm)].map((m) => [m[1]!, Number(m[2])]));
    const expected: Record<string, number> = { ...SCANNER_CONSTANTS, KEEP: fieldFlags.KEEP, SKIP: fieldFlags.SKIP, DATA: fieldFlags.DATA, ENUM: fieldFlags.ENUM, METADATA: fieldFlags.METADATA, ATTRIBUTES: fieldFlags.ATTRIBUTES, REPEATS: fieldFlags.REPEATS };
    for (const [name, value] of Object.entries(expected)) expect(constants.get(name), name).toBe(value);
  });

  it('is null (every file then streamed) when the module is missing or damaged', () => {
    const dir = scratchFolder('wasm');
    const damaged = path.join(dir, 'history-scanner.wasm');
    fs.writeFileSync(damaged, 'not a module');
    expect(loadHistoryScanner([pathToFileURL(path.join(dir, 'missing.wasm'))])).toBeNull();
    expect(loadHistoryScanner([pathToFileURL(damaged)])).toBeNull();
  });

  it('parses event times exactly as the normalizer does, and leaves the unusual ones to it', () => {
    const times = [
      '2024-08-14T03:50:59.998228Z',
      '2020-07-30T00:30:02.971655189Z',
      '2024-01-01T00:00:00Z',
      '2024-01-01T00:00:00.5Z',
      '2024-01-01T00:00:00.Z', // an empty fraction: the normalizer reads it as .000
      '2024-02-30T12:00:00Z', // Date.parse rolls it over to March 1st
      '2016-12-31T23:59:60Z', // a leap second
      '2024-08-14T24:00:00Z', // hour 24: the normalizer asks Date.parse
      '2024-08-14T03:50:59,5Z',
      '2024-8-14T03:50:59Z',
      '2024-08-14T03:50:59+00:00',
      '2024-08-14t03:50:59z',
      '1969-12-31T23:59:59.5Z', // before 1970
      '1973-03-03T09:46:40Z', // exactly 1e11 ms: as text, a number this small would read as seconds
      '1973-03-03T09:46:40.001Z',
      '5138-11-16T09:46:40Z', // exactly 1e14 ms
      '5138-11-16T09:46:40.001Z', // past 1e14 ms: as text, a number this large would read as microseconds
      'not a time',
      '',
    ];
    const { facts } = parseText(JSON.stringify({ events: times.map((time, i) => event(i + 1, time)) }));
    const fallback = (time: string) => (Number.isNaN(Date.parse(time)) ? null : Date.parse(time));
    const expected = [
      Date.parse('2024-08-14T03:50:59Z') + 998.228,
      Date.parse('2020-07-30T00:30:02Z') + 971.655189,
      Date.parse('2024-01-01T00:00:00Z'),
      Date.parse('2024-01-01T00:00:00Z') + 500,
      Date.parse('2024-01-01T00:00:00Z'),
      Date.parse('2024-03-01T12:00:00Z'),
      Date.parse('2017-01-01T00:00:00Z'),
      ...times.slice(7, 12).map(fallback),
      -500,
      1e11,
      1e11 + 1,
      1e14,
      1e14 + 1,
      null,
      null,
    ];
    expect(facts).toHaveLength(times.length);
    facts.forEach((fact, i) => {
      if (expected[i] === null) expect(fact.time, times[i]).toBeNull();
      else expect(fact.time, times[i]).toBeCloseTo(expected[i]!, 6);
    });
    // the fractions are summed digit by digit, as the normalizer does: the same double as the
    // streaming parser's (parseText compares them exactly), within a nanosecond of Date.parse's
  });

  it('checks the values of bookkeeping events it does not build as the streaming parser does when it keeps them', () => {
    // workflow task events' attributes are measured, not built; the streaming parser builds them
    // and fails on a kept string with a bad escape or a kept number that is NaN
    const strings = ['plain', 'a\\nb', '\\u00e9t\\u00E9', '\\/', '\\a', '\\u12', '\\u12g4', 'tab\there\\n', 'tab\tonly', 'ends\\\\', 'cut\\'];
    const numbers = ['1', '-1', '1.5', '1.', '-.5', '1e3', '1E+3', '1e-3', '00012', '1e', '1e+', '1-1', '--1', '1.2.3', '-', '1e5e5'];
    const reasons: string[] = [];
    const texts = [
      ...strings.map((name) => `"taskQueue": {"name": "${name}"}, "attempt": 1`),
      ...numbers.map((attempt) => `"taskQueue": {"name": "q"}, "attempt": ${attempt}`),
    ].map((attributes) => `{"events": [${JSON.stringify(event(1, '2024-01-01T00:00:00Z'))}, {"eventId": "2", "eventTime": "2024-01-01T00:00:01Z", "eventType": "EVENT_TYPE_WORKFLOW_TASK_SCHEDULED", "workflowTaskScheduledEventAttributes": {${attributes}}}]}`);
    for (const text of texts) {
      const { result } = parseText(text);
      reasons.push(result.ok ? `ok ${result.reader}` : result.reason.replace(/ at byte \d+/, ''));
    }
    const invalidString = 'invalid escape or control character in a string';
    expect(reasons).toEqual([
      'ok whole', 'ok whole', 'ok whole', 'ok whole', invalidString, invalidString, invalidString, invalidString, 'ok whole', 'ok whole', "expected ',' or '}' but found 'a'",
      'ok whole', 'ok whole', 'ok whole', 'ok whole', 'ok whole', 'ok whole', 'ok whole', 'ok whole', 'ok whole',
      'invalid number "1e"', 'invalid number "1e+"', 'invalid number "1-1"', 'invalid number "--1"', 'invalid number "1.2.3"', 'invalid number "-"', 'invalid number "1e5e5"',
    ]);
  });

  it('reads a file with more distinct keys than its name table holds (the streaming parser takes over)', () => {
    const fields = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`field${i}`, payload(3)]));
    const text = JSON.stringify({ events: [event(1, '2024-01-01T00:00:00Z', { memo: { fields } }), event(2, '2024-01-01T00:00:01Z')] });
    const { result, facts } = parseText(text);
    expect(result.ok && result.reader).toBe('stream');
    expect(facts[0]!.payloads).toHaveLength(20_000);
    expect(facts[0]!.payloads[19_999]).toMatchObject({ origin: { site: 'memo', name: 'field19999' } });
    // the next ordinary file is read whole again: the full table starts over between files
    const next = parseText(JSON.stringify(buildHistory({ workflowType: 'w', activities: [{ type: 'a' }] })));
    expect(next.result.ok && next.result.reader).toBe('whole');
  });

  it('hands over the tape in steps when a file holds more values than it fits, with the same facts', () => {
    // 40 events of 4,000 one-byte payloads each: about 1.4 million tape entries, over its million
    const events = [event(1, '2024-01-01T00:00:00Z')];
    for (let id = 2; id <= 41; id++) {
      events.push({
        eventId: String(id),
        eventTime: '2024-01-01T00:00:01Z',
        eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED',
        workflowExecutionSignaledEventAttributes: { signalName: `signal${id % 3}`, input: { payloads: Array.from({ length: 4000 }, () => payload(1)) } },
      } as never);
    }
    const { result, facts } = parseText(JSON.stringify({ events }));
    expect(result.ok && result.reader).toBe('whole');
    expect(facts).toHaveLength(41);
    expect(facts.reduce((sum, f) => sum + f.payloads.length, 0)).toBe(160_000);
  });

  it('leaves a single event too large for its tape to the streaming parser', () => {
    const huge = {
      eventId: '2',
      eventTime: '2024-01-01T00:00:01Z',
      eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED',
      workflowExecutionSignaledEventAttributes: { signalName: 'bulk', input: { payloads: Array.from({ length: 150_000 }, () => payload(1)) } },
    };
    const { result, facts } = parseText(JSON.stringify({ events: [event(1, '2024-01-01T00:00:00Z'), huge] }));
    expect(result.ok && result.reader).toBe('stream');
    expect(facts[1]!.payloads).toHaveLength(150_000);
  });
});
