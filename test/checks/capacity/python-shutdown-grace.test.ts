// worker-shutdown-grace-missing on Python workers (fixture python-shutdown-grace): graceful_shutdown_timeout
// unset on a worker whose activity runs for hours, and set (a timedelta) but shorter than the
// attempts its activities may run for. The SDK facts (default timedelta(0), cancellation at the
// next await) are asked of the installed package in test/model/python/python-sdk-capacity-facts.test.ts.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-shutdown-grace');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root }));
});

const grace = () => findings.filter((f) => f.checkId === 'worker-shutdown-grace-missing');
const at = (line: number) => grace().find((f) => f.file === 'app/worker.py' && f.line === line)!;

describe('worker-shutdown-grace-missing on Python workers', () => {
  test('one finding per worker that loses work on a stop, at the Worker(...) call or its graceful_shutdown_timeout', () => {
    expect(grace().map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'worker-shutdown-grace-missing warning app/worker.py:14',
      'worker-shutdown-grace-missing warning app/worker.py:21',
      'worker-shutdown-grace-missing warning app/worker.py:39',
      'worker-shutdown-grace-missing info app/worker.py:50',
    ]);
  });

  test('unset, with an activity that may run for 2 hours: the attempt and its work are named, the fix in Python words', () => {
    const finding = at(14);
    expect(finding.message).toContain("The worker for task queue 'indexing' does not set graceful_shutdown_timeout (default 0)");
    expect(finding.message).toContain('The work done so far is lost: index_repository may run for up to 2h per attempt (start_to_close_timeout), and the next attempt starts over.');
    expect(finding.fix).toContain('record progress in heartbeat details and resume from activity.info().heartbeat_details');
    expect(finding.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/activities.py:10']);
  });

  test('unset with a short activity (30s): a warning that names no long attempt', () => {
    const finding = at(39);
    expect(finding.message).toContain('send_receipt reacts to cancellation');
    expect(finding.message).not.toContain('per attempt');
    expect(finding.fix).not.toContain('heartbeat');
  });

  test('timedelta(seconds=5) against 3 hours of an activity that awaits and records no heartbeat: a warning, the value as written', () => {
    const finding = at(21);
    expect(finding.message).toContain(
      "The worker for task queue 'search' sets graceful_shutdown_timeout to timedelta(seconds=5), but its activities may run far longer per attempt (start_to_close_timeout): rebuild_search (up to 3h).",
    );
    expect(finding.message).toContain('rebuild_search reacts to cancellation and records no heartbeat, so the attempt fails and the next one starts from the beginning');
    expect(finding.fix).toContain('continue from activity.info().heartbeat_details on the next attempt');
    expect(finding.data).toMatchObject({ shutdownGraceTimeMs: 5000 });
  });

  test('a short grace against an activity that heartbeats but does not read heartbeat_details back: a note', () => {
    const finding = at(50);
    expect(finding.message).toContain('sets graceful_shutdown_timeout to timedelta(seconds=20)');
    expect(finding.message).toContain('index_repository heartbeats: the next attempt continues where the last one stopped only if the progress goes into the heartbeat details and is read back from heartbeat_details (not seen in its body).');
    expect(`${finding.message} ${finding.fix}`).not.toMatch(/heartbeatDetails|shutdownGraceTime|Context\.current/);
  });

  test('no finding: a short grace against an activity that heartbeats and resumes from activity.info().heartbeat_details, or a grace of 30s against a 30s activity', () => {
    // exports (line 24, grace at 29): export_rows reads heartbeat_details; receipts (line 31, grace at 36): send_receipt is short.
    expect(grace().filter((f) => [24, 29, 31, 36].includes(f.line))).toEqual([]);
  });
});
