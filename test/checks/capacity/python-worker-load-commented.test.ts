// worker-concurrency-implicit: a workflow named only in a commented-out schedule entry (and a
// docstring) of the file whose loop creates the schedules is not started by that loop. The load of
// its worker is then not known (nothing seen starts Retrain), never "started only by schedules".
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-worker-load-commented');
let findings: Finding[];

beforeAll(async () => {
  findings = (await review({ dir: root })).findings.filter((f) => f.checkId === 'worker-concurrency-implicit');
});

describe('worker-concurrency-implicit: names in comments start nothing', () => {
  test('the worker keeps the warning, and says Retrain has no start it can see', () => {
    expect(findings.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['warning app/worker.py:11']);
    expect(findings[0]!.message).toContain('nothing in the reviewed code starts Retrain');
    expect(findings[0]!.message).not.toContain('started only by');
  });
});
