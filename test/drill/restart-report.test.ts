// The restart drill's judgement and its scenario files, without a server.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkflowFacts } from '../../src/drill/harness/history-facts.js';
import { judgeRestartDrill } from '../../src/drill/restart/restart-report.js';
import { expandScenario, loadScenario, parseScenario } from '../../src/drill/scenario.js';
import { UsageError } from '../../src/engine/errors.js';
import { scratchFolder } from '../helpers/scratch-folder.js';

function facts(overrides: Partial<WorkflowFacts>): WorkflowFacts {
  return {
    workflowId: 'wf',
    runId: 'run',
    workflowType: 'quoteOrder',
    taskQueue: 'q',
    outcome: 'completed',
    startedAtMs: 1_000,
    closedAtMs: 1_500,
    resultDigest: 'aaa',
    workflowTaskFailures: 0,
    nondeterminism: [],
    activities: [],
    workflowTasks: [],
    timers: 0,
    signals: 0,
    lastEventId: 10,
    ...overrides,
  };
}

describe('judgeRestartDrill', () => {
  const keys = ['a', 'b', 'c', 'd'].map((key) => ({ key, workflowType: 'quoteOrder', workflowId: `wf-${key}` }));
  const baseline = keys.map(({ key }) => ({ key, outcome: 'completed' as const, resultDigest: 'aaa', durationMs: 400 }));

  it('reports nondeterminism, stuck workflows and changed results, one line each', () => {
    const drill = new Map([
      ['a', facts({})],
      ['b', facts({ resultDigest: 'bbb' })],
      ['c', facts({ outcome: 'running', closedAtMs: undefined, resultDigest: undefined, nondeterminism: [{ eventId: 11, message: '[TMPRL1100] Nondeterminism error: x' }] })],
      ['d', facts({ outcome: 'failed', resultDigest: 'ccc' })],
    ]);
    const judged = judgeRestartDrill(drill, baseline, keys);
    expect(judged.workflows.map((w) => [w.key, w.outcome, w.result, w.durationMs, w.baselineDurationMs])).toEqual([
      ['a', 'completed', 'equal', 500, 400],
      ['b', 'completed', 'differs', 500, 400],
      ['c', 'running', 'open', null, 400],
      ['d', 'failed', 'differs', 500, 400],
    ]);
    expect(judged.problems).toEqual([
      'wf-b (quoteOrder): the result differs from the run without restarts',
      'wf-c (quoteOrder): workflow task failed on nondeterminism at event 11 (still open: stuck): [TMPRL1100] Nondeterminism error: x',
      'wf-d (quoteOrder): failed, completed without restarts',
    ]);
    expect(judged.summary).toEqual({ workflows: 4, completed: 2, failed: 1, open: 1, nondeterminism: 1, resultsDiffer: 2 });
  });

  it('passes workflows that match the baseline', () => {
    const drill = new Map(keys.map(({ key }) => [key, facts({})]));
    expect(judgeRestartDrill(drill, baseline, keys).problems).toEqual([]);
  });
});

describe('scenario files', () => {
  it('expands counts, {index}, delay and interval in start order', () => {
    const entries = parseScenario(
      [
        { workflowType: 'quoteOrder', count: 2, interval: '100ms', delay: 50, args: [{ orderId: 'Q-{index}', tags: ['x-{index}'] }, 3] },
        { workflowType: 'first', args: ['only'] },
      ],
      'scenario.json',
    );
    expect(expandScenario(entries)).toEqual([
      { key: 'first-1-0', workflowType: 'first', args: ['only'], offsetMs: 0 },
      { key: 'quoteOrder-0-0', workflowType: 'quoteOrder', args: [{ orderId: 'Q-0', tags: ['x-0'] }, 3], offsetMs: 50 },
      { key: 'quoteOrder-0-1', workflowType: 'quoteOrder', args: [{ orderId: 'Q-1', tags: ['x-1'] }, 3], offsetMs: 150 },
    ]);
  });

  it('reads YAML and names the file and the key of a bad entry', () => {
    const dir = scratchFolder('scenario');
    const file = path.join(dir, 'drill.yaml');
    fs.writeFileSync(file, '- workflowType: processOrder\n  count: 2\n');
    expect(loadScenario(file)).toEqual([{ workflowType: 'processOrder', count: 2, args: [], delay: 0, interval: 0 }]);
    fs.writeFileSync(file, '- workflowType: processOrder\n  count: 0\n');
    expect(() => loadScenario(file)).toThrow(new UsageError('drill.yaml: invalid scenario at [0].count: Too small: expected number to be >0'));
    fs.writeFileSync(file, '- workflowType: processOrder\n  interval: soon\n');
    expect(() => loadScenario(file)).toThrow(/^drill\.yaml: invalid scenario at \[0\]\.interval: expected a duration/);
    expect(() => loadScenario(path.join(dir, 'missing.json'))).toThrow(`${path.join(dir, 'missing.json')}: cannot read the scenario (ENOENT)`);
  });
});

describe('drill command usage', () => {
  it('names what is missing with exit 2, before starting any server', async () => {
    const { runCli } = await import('../../src/cli/run.js');
    const { fakeIo } = await import('../helpers/fake-io.js');
    const cases: [string[], string][] = [
      [['drill', 'restart', '--scenario', 'x.json'], 'the drill needs the worker: --worker <module>, --worker-command "<command>" or --workflows <module> --activities <module>'],
      [['drill', 'restart', '--worker', 'test/fixtures/drill-load/src/worker.ts'], 'the drill needs --scenario <file> listing the workflows to start'],
      [['drill', 'restart', '--worker', 'no/such/worker.ts'], '--worker no/such/worker.ts: no such module'],
      [['drill', 'restart', '--restarts', '0'], '--restarts 0: expected a whole number of at least 1'],
      [['drill', 'restart', '--format', 'sarif'], '--format sarif does not apply to "drill restart"; use one of: pretty, json'],
    ];
    for (const [argv, message] of cases) {
      const io = fakeIo();
      await runCli(argv, io);
      expect([io.err, io.exitCode]).toEqual([`temporal-preflight: ${message}\n`, 2]);
    }
  });
});
