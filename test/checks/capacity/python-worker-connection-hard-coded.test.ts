// Python: a worker whose Client.connect has the address written in the code (or the namespace
// written or left to the SDK default) while another client of the project reads that setting from
// the environment or a settings object is reported; a worker whose client comes from the shared
// helper that reads the environment, one that reads both settings, a scripts/ runner and a project
// where every part is literal are left alone.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

async function findingsOf(name: string): Promise<Finding[]> {
  const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', name);
  const { findings } = await review({ dir: root, config: undefined });
  return findings.filter((f) => f.checkId === 'worker-connection-hard-coded');
}

describe('worker-connection-hard-coded (Python)', () => {
  it('reports the literal and default settings of production workers, and nothing else', async () => {
    const findings = await findingsOf('python-worker-connection-hard-coded');
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'worker-connection-hard-coded info app/billing_worker.py:15',
      'worker-connection-hard-coded warning app/worker.py:12',
    ]);
    const [billing, worker] = findings;
    expect(worker!.message).toContain("its namespace is the SDK default 'default' (no namespace given), while app/api.py:10 reads the namespace from TEMPORAL_NAMESPACE");
    expect(worker!.message).toContain("its address is 'localhost:7233' written in the code, while app/api.py:10 reads the address from TEMPORAL_ADDRESS");
    expect(worker!.fix).toContain('Client.connect');
    expect(billing!.message).toContain("its namespace is 'default' written in the code");
    expect(billing!.message).toContain('Today the variable falls back to the same value');
  });

  it('stays silent when every connection of the project is literal (a local-only project)', async () => {
    expect(await findingsOf('python-worker-connection-hard-coded-local')).toEqual([]);
  });
});

describe('worker-connection-hard-coded (Python): the task queue', () => {
  it('reports a literal task_queue while the starts of its workflows read the queue from settings with the same default', async () => {
    const findings = await findingsOf('python-worker-queue-hard-coded');
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['worker-connection-hard-coded info app/worker.py:14']);
    expect(findings[0]!.message).toContain("its task queue is 'orders' written in the code, while app/api.py:9 starts workflows on the task queue it reads from settings.temporal.task_queue (default 'orders')");
    expect(findings[0]!.data).toEqual({ settings: ['taskQueue'] });
  });

  it('stays silent when the worker reads the same setting', async () => {
    expect(await findingsOf('python-worker-queue-configured')).toEqual([]);
  });
});
