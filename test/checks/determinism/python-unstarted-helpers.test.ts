// Python code written for callers the project does not have: a workflow class no worker registers
// and no start names (workflow-not-registered, a note on the class), a schedule action naming an
// unregistered workflow (workflow-not-registered, as for client starts), and a module-level start
// helper that connects a new client per call and that nothing in the project calls
// (client-connection-per-call, a note). Left alone: a base workflow class, a helper the project
// calls from a script's main, one with no inputs, one referenced from a dict, tool code.
// Fixture: test/fixtures/python-unstarted-helpers.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-unstarted-helpers');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

const ids = (checkId: string) => findings.filter((f) => f.checkId === checkId).map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);

describe('Python workflows and start helpers nothing in the project uses', () => {
  it('notes the unregistered, unstarted workflow classes and reports the scheduled one', () => {
    expect(ids('workflow-not-registered')).toEqual([
      'workflow-not-registered error app/schedules.py:10',
      'workflow-not-registered info app/workflows.py:16',
      'workflow-not-registered info app/workflows.py:23',
    ]);
    const [scheduled, archive, cluster] = findings.filter((f) => f.checkId === 'workflow-not-registered');
    expect(scheduled!.message).toContain("This schedule action (ScheduleActionStartWorkflow) starts workflow type 'ReportWorkflow'");
    expect(archive!.message).toContain('Workflow ArchiveWorkflow is registered on no worker: every Worker(workflows=[...]) of the project was read (app/worker.py:13)');
    expect(archive!.message).toContain('As the code stands it never runs.');
    expect(cluster!.message).toContain('Workflow ClusterWorkflow (its type name is computed)');
    expect(cluster!.message).toContain('"Workflow class ... is not registered on this worker"');
  });

  it('notes the uncalled start helper that connects per call', () => {
    expect(ids('client-connection-per-call')).toEqual(['client-connection-per-call info app/worker.py:18']);
    const found = findings.find((f) => f.checkId === 'client-connection-per-call')!;
    expect(found.message).toContain('start_order connects a new client with Client.connect on every call, uses it for one workflow (app/worker.py:19) and keeps it nowhere');
    expect(found.message).toContain('no code of the project (tests aside) calls it');
    expect(found.related).toEqual([expect.objectContaining({ file: 'app/worker.py', line: 19 })]);
  });
});
