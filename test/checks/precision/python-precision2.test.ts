// Python findings that read a value the code decides elsewhere: a result field that a helper
// leaves None because continue_as_new ends the run first, a loop over a parameter every caller
// fills with a one-element list, a loop of a few quick calls per item (info, as in TypeScript),
// and related locations worded for the Python SDK.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-precision2');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

const of = (id: string) => findings.filter((f) => f.checkId === id).map((f) => `${f.severity} ${f.file}:${f.line}`);

describe('payload-carries-secret on Python', () => {
  test('a result field filled from a helper that continues-as-new whenever it has a value is not a carrier', () => {
    expect(of('payload-carries-secret')).toEqual(['warning app/activities.py:10']);
    const release = findings.find((f) => f.checkId === 'payload-carries-secret')!;
    // ReleaseWorkflow's input and next_queued's result carry the password; ReleaseWorkflow's result never does.
    expect(release.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      'app/activities.py:15 Activity next_queued returns the same fields (app/activities.py)',
      'app/workflows.py:15 Workflow ReleaseWorkflow takes the same fields (app/workflows.py)',
    ]);
  });
});

describe('activity-long-loop-without-heartbeat on Python', () => {
  test('a few quick awaited calls per item under a short start_to_close_timeout is info; so is a poll, whose attempt is capped under 10 minutes', () => {
    expect(of('activity-long-loop-without-heartbeat')).toEqual(['info app/activities.py:33', 'info app/activities.py:40']);
    const quick = findings.find((f) => f.checkId === 'activity-long-loop-without-heartbeat' && f.line === 33)!;
    expect(quick.message).toContain('notify_members loops over `addresses` (for address in addresses:) with a few quick awaited calls per item and never calls activity.heartbeat()');
    expect(quick.message).toContain('if `addresses` can hold thousands, an attempt runs for minutes');
  });

  test('a loop over a parameter every caller fills with a one-element list is not long-running, through a workflow start', () => {
    // drop_indexes gets [index]; archive_batches gets Archive's batches, which its one start passes as [batch]
    // (a schedule that starts an unknown workflow with no arguments cannot be starting Archive).
    expect(findings.some((f) => f.checkId === 'activity-long-loop-without-heartbeat' && (f.line === 47 || f.line === 54))).toBe(false);
  });
});

describe('Python vocabulary in related locations', () => {
  test('related messages name the Python keyword arguments', () => {
    const alert = findings.find((f) => f.checkId === 'activity-schedule-to-start-missing')!;
    expect(alert.related).toContainEqual(
      expect.objectContaining({ file: 'app/workflows.py', line: 21, message: 'workflow.execute_activity for next_queued: no schedule_to_start_timeout, a task waits forever, since there is no schedule_to_close_timeout either' }),
    );
    const texts = findings.flatMap((f) => [f.message, f.fix, ...(f.related ?? []).map((r) => r.message)]);
    expect(texts.filter((t) => /\b(?:startToClose|scheduleToClose|scheduleToStart|heartbeat)Timeout\b|typedSearchAttributes|proxyActivities/.test(t))).toEqual([]);
  });
});
