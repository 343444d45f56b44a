// A folder mixing valid, truncated and non-history files: each bad file is reported with its path
// and a one-line reason, and the valid ones are analyzed.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/engine/config.js';
import { analyzeHistories } from '../../src/model/history/analyze-histories.js';
import { repoRoot } from './shared-histories.js';
import { reasonOf } from './parse-text.js';

const folder = path.join(repoRoot, 'test/fixtures/histories-mixed');

describe('a folder of valid and corrupt files', () => {
  it('reports each bad file with its reason and analyzes the rest', () => {
    const analysis = analyzeHistories({ paths: [folder], root: folder });
    expect(analysis.report.failed).toEqual([
      { file: 'broken.json', reason: "expected a property name but found ',' at byte 28" },
      { file: 'deploy-events.json', reason: 'not a history: none of the 1 events has a Temporal event type' },
      { file: 'empty.json', reason: 'empty file' },
      { file: 'numbers.json', reason: 'not a history: events[0] is a number, not an event object' },
      { file: 'package.json', reason: 'not a history: no events array' },
      { file: 'truncated.json', reason: 'truncated JSON at byte 1500' },
    ]);
    expect(analysis.report.files).toBe(8);
    expect(analysis.report.parsed).toBe(2);
    expect(analysis.executions.map((e) => [e.file, e.workflowType, e.events])).toEqual([
      ['nested/shipping-1.json', 'shippingWorkflow', 11],
      ['order-1.json', 'orderWorkflow', 17],
    ]);
    const shipping = analysis.report.workflowTypes.find((t) => t.workflowType === 'shippingWorkflow')!;
    expect(shipping.activities).toEqual([
      { activityType: 'bookCourier', scheduled: 1, started: 1, completed: 0, failed: 1, timedOut: 0, canceled: 0, maxAttempt: 1, retried: 0, failureTypes: { CourierUnavailable: 1 } },
    ]);
    expect(shipping.scheduleToStart).toEqual([{ activityType: 'bookCourier', taskQueue: 'orders', samples: 1, p50: 8, p95: 8, p99: 8, max: 8 }]);
  });

  it('projects storage per workflow type from volume.workflows.<type>.startsPerDay and retention', () => {
    const config = defaultConfig();
    config.volume.workflows = { orderWorkflow: { startsPerDay: 10_000 } };
    config.volume.retention = '7d';
    const types = analyzeHistories({ paths: [folder], root: folder, config }).report.workflowTypes;
    const order = types.find((t) => t.workflowType === 'orderWorkflow')!;
    expect(order.storage).toEqual({ startsPerDay: 10_000, retentionDays: 7, bytesPerDay: order.historyBytes.mean * 10_000, retainedBytes: order.historyBytes.mean * 70_000 });
    expect(types.find((t) => t.workflowType === 'shippingWorkflow')!.storage).toBeUndefined();
  });

  it('lists paths and globs that match nothing, next to the files that were read', () => {
    const analysis = analyzeHistories({ paths: ['order-1.json', 'missing.json', 'nothing-*.json'], cwd: folder, root: folder });
    expect(analysis.report.failed).toEqual([
      { file: 'missing.json', reason: 'no such file or directory' },
      { file: 'nothing-*.json', reason: 'no files match this pattern' },
    ]);
    expect(analysis.report.parsed).toBe(1);
  });

  it('names the problem of each kind of broken input in one line', () => {
    const valid = JSON.stringify({ events: [{ eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', workflowExecutionStartedEventAttributes: { workflowType: { name: 'w' } } }] });
    expect(reasonOf(valid)).toBe('ok');
    expect(reasonOf(valid.slice(0, 40))).toBe('truncated JSON at byte 40');
    expect(reasonOf('   \n')).toBe('empty file');
    expect(reasonOf('"just a string"')).toBe('not a history: the file holds a single JSON value, not an object with an events array');
    expect(reasonOf('{"events": []}')).toBe('not a history: the events array is empty');
    expect(reasonOf('{"events": [{"eventId": 1}] } trailing')).toBe("unexpected 't' after the end of the JSON value at byte 30");
    expect(reasonOf('{"events": [{"eventId": 1e}]}')).toBe('invalid number "1e" at byte 24');
    expect(reasonOf('{"events": [{"eventId": tru}]}')).toBe("unexpected 't' at byte 24");
    expect(reasonOf('{"events": [{"eventId" 1}]}')).toBe("expected ':' but found '1' at byte 23");
    expect(reasonOf('{"events": [{"eventType": "bad \\q escape"}]}')).toBe('invalid escape or control character in a string at byte 27');
    expect(reasonOf('['.repeat(600))).toBe('JSON nested deeper than 512 levels at byte 512');
    expect(reasonOf(Buffer.from([0xff, 0xfe, 0x00]))).toBe('UTF-16 text; a history file is UTF-8 JSON (convert it, e.g. iconv -f UTF-16 -t UTF-8)');
    expect(reasonOf(Buffer.from([0xfe, 0x00]))).toBe('unexpected byte 0xfe at byte 0');
  });
});
