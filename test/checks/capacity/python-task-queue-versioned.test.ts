// worker-task-queue-versioned on Python workers: task queues named with the release through an
// f-string of module constants, os.getenv / os.environ, a written version or a build_id parameter;
// a queue from a deploy setting and one built from a fixed constant are not. With manifests, the
// Deployment that runs the worker (`python -m shipping.worker`) decides the severity.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const fixture = (name: string) => path.resolve(import.meta.dirname, '..', '..', 'fixtures', name);
const where = (list: Finding[]) => list.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);
const versioned = async (name: string) => (await review({ dir: fixture(name) })).findings.filter((f) => f.checkId === 'worker-task-queue-versioned');

describe('worker-task-queue-versioned on Python workers', () => {
  let findings: Finding[];
  beforeAll(async () => {
    findings = await versioned('python-queue-versioned');
  }, 120_000);

  test('notes the queues named with the release, not the deploy setting or the fixed constant', () => {
    expect(where(findings)).toEqual([
      'worker-task-queue-versioned info app/worker.py:11',
      'worker-task-queue-versioned info app/worker.py:23',
      'worker-task-queue-versioned info app/worker.py:27',
      'worker-task-queue-versioned info app/worker.py:31',
    ]);
    expect(findings[0]!.message).toContain('polls a task queue named with os.getenv("APP_VERSION")');
    expect(findings[1]!.message).toContain('named with the version 2.3.1 written in');
    expect(findings[2]!.message).toContain('named with build_id');
    expect(findings[3]!.message).toContain('named with os.environ["GIT_SHA"]');
    expect(findings[0]!.message).toContain('The repository has no Kubernetes manifest that shows how it is deployed.');
  });
});

describe('worker-task-queue-versioned on Python workers with manifests', () => {
  let findings: Finding[];
  beforeAll(async () => {
    findings = await versioned('python-queue-deploy');
  }, 120_000);

  test('warns for the worker whose Deployment runs `python -m shipping.worker` and is updated in place', () => {
    const shipping = findings.filter((f) => f.file === 'shipping/worker.py');
    expect(where(shipping)).toEqual(['worker-task-queue-versioned warning shipping/worker.py:12']);
    expect(shipping[0]!.message).toContain('It runs as Deployment shipping-worker (deploy/shipping.yaml:6, RollingUpdate) (matched: its container command runs the worker)');
    expect(shipping[0]!.related).toEqual([{ file: 'deploy/shipping.yaml', line: 6, column: 1, message: 'Deployment shipping-worker' }]);
  });

  test('reports nothing for the worker each release deploys as a Deployment of its own', () => {
    expect(where(findings.filter((f) => f.file === 'billing/worker.py'))).toEqual([]);
  });

  test('keeps the note for reports/worker.py: no command runs it, although shipping and billing run a worker.py too', () => {
    const reports = findings.filter((f) => f.file === 'reports/worker.py');
    expect(where(reports)).toEqual(['worker-task-queue-versioned info reports/worker.py:12']);
    expect(reports[0]!.message).toContain('None of the 2 Kubernetes workloads in the repository');
  });
});
