// A start in a walk over a list the code writes (`for (const s of SCHEDULES)`, `JOBS.map((job) =>
// ...)`, Python's `for job in JOBS:` and comprehensions) that names its workflow by the element:
// the model gives every type the elements name (workflowTypeCandidates), never the first element's
// alone, and leaves the type unknown when the list is not closed (a spread of a parameter).
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildPythonModel } from '../../src/model/python/build-python-model.js';
import { review } from '../../src/review.js';
import { at, fixtureModel, fixturesDir } from './model-fixtures.js';

describe('TypeScript: starts named by the element of a walked list', () => {
  test('each element, in a for...of, a destructured for...of, a .map callback and over the workflows themselves', () => {
    const { model } = fixtureModel('start-list-elements');
    const starts = model.starts.map((s) => ({ at: at(model, s.location), method: s.method, type: s.workflowType, candidates: s.workflowTypeCandidates }));
    expect(starts).toEqual([
      { at: 'src/schedules.ts:16', method: 'schedule', type: null, candidates: ['wfA', 'wfB'] },
      { at: 'src/schedules.ts:26', method: 'start', type: null, candidates: ['wfA', 'wfB'] },
      { at: 'src/schedules.ts:28', method: 'start', type: null, candidates: ['wfA', 'wfC'] },
      { at: 'src/schedules.ts:30', method: 'start', type: null, candidates: ['wfB', 'wfC'] },
      { at: 'src/schedules.ts:36', method: 'start', type: null, candidates: undefined },
    ]);
  });

  test("an element's property is not read from the first element alone", () => {
    const { model } = fixtureModel('start-list-elements');
    const schedule = model.starts.find((s) => s.method === 'schedule')!;
    expect(schedule.schedule?.id).toMatchObject({ kind: 'unknown', text: 's.id' });
  });

  test('schedule-run-unbounded names every workflow the schedules of the loop start, and no schedule id', async () => {
    const { findings } = await review({ dir: path.join(fixturesDir, 'start-list-elements'), config: undefined });
    const unbounded = findings.filter((f) => f.checkId === 'schedule-run-unbounded');
    expect(unbounded.map((f) => `${f.file}:${f.line}`)).toEqual(['src/schedules.ts:16']);
    expect(unbounded[0]!.message).toContain('Each schedule this call creates starts one of wfA, wfB');
    expect(unbounded[0]!.message).not.toContain("Schedule 'a'");
  });
});

describe('Python: starts named by the element of a walked list', () => {
  test('each element, in a for loop over dicts, over the workflows themselves, over names and in a comprehension', async () => {
    const root = path.join(fixturesDir, 'python-start-list-elements');
    const { model } = await buildPythonModel({ root });
    const starts = model.starts.map((s) => ({ line: s.location.line, type: s.workflowType, candidates: s.workflowTypeCandidates }));
    expect(starts).toEqual([
      { line: 15, type: null, candidates: ['WfA', 'WfB'] },
      { line: 17, type: null, candidates: ['WfA', 'WfB'] },
      { line: 19, type: null, candidates: ['WfA', 'WfB'] },
      { line: 23, type: null, candidates: ['WfA', 'WfB'] },
      // A list with a spread of a parameter, and a loop that gives its variable another value.
      { line: 25, type: null, candidates: undefined },
      { line: 28, type: null, candidates: undefined },
    ]);
  });
});
