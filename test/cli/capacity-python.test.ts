// `capacity <dir>` on a Python project, as a user runs it (built CLI, child process): the queues
// come from the Python model (Worker(...) slots, workflow.execute_activity calls).
import { describe, expect, it } from 'vitest';
import { jsonOutput, runCliProcess } from '../helpers/cli-process.js';

describe('capacity [dir] on a Python project (built CLI, child process)', () => {
  it('plans the task queues of test/fixtures/python-capacity-peak and exits 1 when the configured slots miss the target', { timeout: 120_000 }, async () => {
    const run = await runCliProcess(['capacity', 'test/fixtures/python-capacity-peak', '--format', 'json'], { timeoutMs: 110_000 });
    expect(run.timedOut).toBe(false);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = jsonOutput(run) as {
      queues: { taskQueue: string; slotKind: string; configuredSlots: number | null; plan: { slots: number }; evaluation?: { meetsTarget: boolean } }[];
      unknowns: { kind: string; file?: string; line?: number }[];
    };
    expect(report.queues.map((q) => [q.taskQueue, q.slotKind, q.configuredSlots, q.plan.slots, q.evaluation?.meetsTarget])).toEqual([
      ['checkout', 'activity', 20, 92, false],
      ['checkout', 'local-activity', 8, 3, true],
    ]);
    expect(report.unknowns.map((u) => `${u.kind} ${u.file}:${u.line}`)).toEqual(['repeated-call app/workflows.py:15']);
  });
});
