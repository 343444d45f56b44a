// The shared reasoning of src/model/worker-load.ts on hand-built models: which starts keep a
// worker's load small (a schedule running one execution at a time, cron, a fixed workflow id, an
// awaited child of such a workflow) and which leave it open or unknown.
import { describe, expect, it } from 'vitest';
import type { CodeModel, StartPlacement, StaticValue, WorkerFacts, WorkflowStartFacts } from '../../src/model/types.js';
import { workerLoad } from '../../src/model/worker-load.js';

const at = (line: number) => ({ file: '/app/src/x.ts', line, column: 1 });
const str = (value: string): StaticValue => ({ kind: 'string', value, location: at(1) });
const unknown = (text: string): StaticValue => ({ kind: 'unknown', text, location: at(1) });
const worker: WorkerFacts = { id: 'w', location: at(1), options: { kind: 'object', properties: new Map(), unknownSpreads: [], location: at(1) }, taskQueue: str('q'), activityNames: ['a'] };
const noPlace: StartPlacement = { repeatedIn: null, parentWorkflow: null, requestHandler: null };

function model(starts: WorkflowStartFacts[], workflows = ['Daily']): CodeModel {
  return {
    root: '/app',
    files: [],
    activityProxies: [],
    activities: [],
    workers: [worker],
    starts,
    workflows: workflows.map((name, i) => ({ name, file: '/app/src/wf.ts', location: at(10 + i), workerIds: ['w'] })),
    gaps: [],
    parseErrors: [],
  };
}

function schedule(line: number, overlap?: StaticValue, id: StaticValue = str('daily'), placement: Partial<StartPlacement> = {}): WorkflowStartFacts {
  return {
    location: at(line),
    method: 'schedule',
    workflowType: 'Daily',
    workflowTypeText: 'Daily',
    child: false,
    options: { kind: 'object', properties: new Map(), unknownSpreads: [], location: at(line) },
    schedule: { id, overlap },
    placement: { ...noPlace, ...placement },
  };
}

const load = (m: CodeModel) => workerLoad(worker, m, { concurrency: [], placement: (s) => s.placement ?? noPlace }, ['Daily', 'Child'].filter((n) => m.workflows!.some((w) => w.name === n)));

describe('workerLoad', () => {
  it('bounds a schedule with the default overlap policy and a constant id', () => {
    expect(load(model([schedule(5)]))).toMatchObject({ kind: 'bounded', reason: 'Daily is started only by the schedule at src/x.ts:5' });
  });

  it('leaves the load open when the schedule lets its runs overlap', () => {
    expect(load(model([schedule(5, str('ALLOW_ALL'))]))).toMatchObject({ kind: 'open' });
    expect(load(model([schedule(5, unknown('ScheduleOverlapPolicy.ALLOW_ALL'))]))).toMatchObject({ kind: 'open' });
    expect(load(model([schedule(5, unknown('ScheduleOverlapPolicy.SKIP'))]))).toMatchObject({ kind: 'bounded' });
  });

  it('cannot tell how many schedules a loop over a collection read at run time makes, or a computed id names', () => {
    expect(load(model([schedule(5, undefined, unknown('s.id'), { repeatedIn: { location: at(4), text: 'tenants', fixed: false } })]))).toMatchObject({ kind: 'unknown' });
    expect(load(model([schedule(5, undefined, unknown('`daily-${tenant}`'))]))).toMatchObject({ kind: 'unknown' });
    expect(load(model([schedule(5, undefined, unknown('s.id'), { repeatedIn: { location: at(4), text: 'SCHEDULES', fixed: true } })]))).toMatchObject({ kind: 'bounded' });
  });

  it('bounds a cron start with a fixed id, written the Python way (cron_schedule=) too', () => {
    const cron = (key: string, id: StaticValue): WorkflowStartFacts => ({
      location: at(7),
      method: 'start',
      workflowType: 'Daily',
      workflowTypeText: 'Daily',
      child: false,
      options: { kind: 'object', properties: new Map([[key, str('0 * * * *')], ['workflowId', id]]), unknownSpreads: [], location: at(7) },
      placement: noPlace,
    });
    expect(load(model([cron('cron_schedule', str('purge'))]))).toMatchObject({ kind: 'bounded', reason: 'Daily is started only by the cron start at src/x.ts:7' });
    expect(load(model([cron('cronSchedule', str('purge'))]))).toMatchObject({ kind: 'bounded' });
    expect(load(model([cron('cron_schedule', unknown('workflow_id'))]))).toMatchObject({ kind: 'unknown' });
  });

  it('leaves the load open for a schedule created per request', () => {
    expect(load(model([schedule(5, undefined, str('daily'), { requestHandler: 'create handles requests' })]))).toMatchObject({ kind: 'open' });
  });

  it('cannot tell the load of a workflow nothing starts', () => {
    expect(load(model([]))).toMatchObject({ kind: 'unknown', reason: 'nothing in the reviewed code starts Daily (another service or a person may)' });
  });

  it('bounds an awaited child of a scheduled workflow, not children started in a loop', () => {
    const child = (method: 'executeChild' | 'startChild', loop: boolean): WorkflowStartFacts => ({
      location: at(20),
      method,
      workflowType: 'Child',
      workflowTypeText: 'Child',
      child: true,
      options: undefined,
      placement: { ...noPlace, parentWorkflow: 'Daily', repeatedIn: loop ? { location: at(19), text: 'items', fixed: false } : null },
    });
    expect(load(model([schedule(5), child('executeChild', true)], ['Daily', 'Child']))).toMatchObject({ kind: 'bounded' });
    expect(load(model([schedule(5), child('startChild', true)], ['Daily', 'Child']))).toMatchObject({ kind: 'open' });
  });
});
