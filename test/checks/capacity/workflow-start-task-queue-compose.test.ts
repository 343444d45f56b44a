// workflow-start-task-queue-unpolled with the queue each compose service gives its container: a
// Python API (pydantic settings default 'orders') starts a TypeScript worker's workflow, and the
// worker's compose service sets TASK_QUEUE=orders-v2 while the API's leaves the default. Nothing
// when both services set the same value, or when the compose file does not show which code a
// service runs (build context at the root, a module command).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const fixtures = path.resolve(import.meta.dirname, '..', '..', 'fixtures');

async function findingsOf(name: string): Promise<Finding[]> {
  const { findings } = await review({ dir: path.join(fixtures, name), config: undefined });
  return findings.filter((f) => f.checkId === 'workflow-start-task-queue-unpolled');
}

const where = (findings: Finding[]) => findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);

describe('workflow-start-task-queue-unpolled once deployed with compose', () => {
  it('warns at the start whose service leaves the default while the worker\'s service sets another queue', { timeout: 180_000 }, async () => {
    const findings = await findingsOf('compose-queue-mismatch');
    expect(where(findings)).toEqual(['workflow-start-task-queue-unpolled warning api/client.py:14']);
    const [finding] = findings;
    expect(finding!.message).toContain("starts shipOrder on task queue 'orders' once deployed");
    expect(finding!.message).toContain("compose service 'api' (docker-compose.yml:2, build context api), which does not set TASK_QUEUE, so the code's default 'orders' (api/config.py:8) applies");
    expect(finding!.message).toContain("polls 'orders-v2' in compose service 'worker' (docker-compose.yml:6, build context worker), where docker-compose.yml:12 sets TASK_QUEUE");
    expect(finding!.related!.map((r) => `${r.file}:${r.line}`)).toEqual(['api/config.py:8', 'worker/src/worker.ts:8', 'docker-compose.yml:12']);
  });

  it('TypeScript client and worker: the worker\'s image sets the queue (a Dockerfile ENV), the client\'s service runs the package its Dockerfile sits in', { timeout: 180_000 }, async () => {
    const findings = await findingsOf('compose-queue-mismatch-ts');
    expect(where(findings)).toEqual(['workflow-start-task-queue-unpolled warning web/src/start.ts:4']);
    expect(findings[0]!.message).toContain("compose service 'web' (docker-compose.yml:2, Dockerfile web/Dockerfile), which does not set TASK_QUEUE, so the code's default 'orders' (web/src/start.ts:4) applies");
    expect(findings[0]!.message).toContain("polls 'orders-v2' in compose service 'worker' (docker-compose.yml:6, build context worker), where worker/Dockerfile:4 sets TASK_QUEUE");
  });

  it('says nothing when both services set the same queue (a map entry and an env_file)', { timeout: 180_000 }, async () => {
    expect(where(await findingsOf('compose-queue-agree'))).toEqual([]);
  });

  it('says nothing when the compose file does not show which code a service runs', { timeout: 180_000 }, async () => {
    expect(where(await findingsOf('compose-queue-unmapped'))).toEqual([]);
  });
});
