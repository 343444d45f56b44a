// schedule-create-ignores-existing on the Python front-end: an awaited client.create_schedule whose
// `except ScheduleAlreadyRunningError: pass` leaves the schedule as it is, and a catch-all clause
// that raises only when the message is not "already running", are warnings at the except clause;
// a clause that updates the schedule (directly or through a project function), and one that
// re-raises, are left alone. Over test/fixtures/python-schedule-existing.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-schedule-existing');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('schedule-create-ignores-existing on Python', () => {
  test('reports the clauses that take an existing schedule as done, and nothing else', () => {
    const ignored = findings.filter((f) => f.checkId === 'schedule-create-ignores-existing');
    expect(ignored.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'schedule-create-ignores-existing warning app/schedules.py:27',
      'schedule-create-ignores-existing warning app/schedules.py:34',
    ]);
    const [named, caught] = ignored;
    expect(named!.message).toContain("When schedule 'hourly-cleanup' already exists, this except clause of client.create_schedule takes the ScheduleAlreadyRunningError as success");
    expect(named!.related?.[0]).toMatchObject({ file: 'app/schedules.py', line: 26 });
    expect(named!.fix).toContain('client.get_schedule_handle(schedule_id).update(');
    expect(caught!.message).toContain("schedule 'nightly-cleanup'");
  });
});
