// A repository whose starter and worker are in different languages (a Python API starting the
// workflows of a TypeScript worker, or the reverse): a start by name of a type that no worker of
// either language registers and nothing defines is an error when its task queue is one a worker of
// the project polls; an info when it is another queue (another service); an info with the reason when
// a worker's registrations cannot all be read.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const fixtures = path.resolve(import.meta.dirname, '..', '..', 'fixtures');

async function findingsOf(name: string): Promise<Finding[]> {
  const { findings } = await review({ dir: path.join(fixtures, name), config: undefined });
  return findings.filter((f) => f.checkId === 'workflow-not-registered');
}

const where = (findings: Finding[]) => findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);

describe('workflow-not-registered across languages', () => {
  it('Python client, TypeScript worker: the unregistered type on the worker\'s queue is an error, another queue an info', { timeout: 180_000 }, async () => {
    const findings = await findingsOf('mixed-start-unregistered');
    expect(where(findings)).toEqual([
      'workflow-not-registered error api/client.py:19',
      'workflow-not-registered info api/client.py:22',
    ]);
    // the type is a local holding a string, the queue a settings default read through self.settings
    expect(findings[0]!.message).toContain("starts workflow type 'refundOrder' on task queue 'orders' (unless task_queue is set), which the TypeScript worker at worker/src/worker.ts:8 polls");
    expect(findings[0]!.message).toContain('(they register shipOrder)');
    expect(findings[0]!.message).toContain('no such function is exported by the workflow bundle');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['worker/src/worker.ts:8']);
    expect(findings[1]!.message).toContain('presumably a worker of another service registers it');
  });

  it('TypeScript client, Python worker', { timeout: 180_000 }, async () => {
    const findings = await findingsOf('mixed-start-unregistered-py-worker');
    expect(where(findings)).toEqual(['workflow-not-registered error web/src/start.ts:8']);
    expect(findings[0]!.message).toContain("starts workflow type 'RefundWorkflow' on task queue 'billing', which the Python worker at billing/worker.py:11 polls");
    expect(findings[0]!.message).toContain('NotFoundError ("Workflow class RefundWorkflow is not registered on this worker")');
    expect(findings[0]!.message).not.toContain('wherever');
  });

  it('a workflows module that re-exports a module that does not resolve: an info with the reason, nothing for another queue', { timeout: 180_000 }, async () => {
    const findings = await findingsOf('mixed-start-unregistered-unread');
    expect(where(findings)).toEqual(['workflow-not-registered info api/client.py:19']);
    expect(findings[0]!.message).toContain("worker/src/workflows.ts:2 imports './refunds.js', which does not resolve");
  });
});
