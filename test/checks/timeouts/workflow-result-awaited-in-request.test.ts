// workflow-result-awaited-in-request (TypeScript): a Next.js route handler or an Express handler
// (directly or through a helper it calls) that awaits workflow.execute or start(...).result() with no
// workflowExecutionTimeout / workflowRunTimeout and no Promise.race; a note when only the file's
// place says it runs per request; nothing for bounded waits, fire-and-forget starts and scripts.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'workflow-result-awaited-in-request');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-result-awaited-in-request (TypeScript)', () => {
  it('reports unbounded waits in request handlers only', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-result-awaited-in-request');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-result-awaited-in-request warning src/app/api/orders/route.ts:5',
      'workflow-result-awaited-in-request warning src/remix-action.ts:9',
      'workflow-result-awaited-in-request info src/routes/orders.ts:5',
      'workflow-result-awaited-in-request warning src/server.ts:8',
    ]);
    expect(mine[0]!.message).toContain('POST runs the workflow approveOrder and awaits `workflow.execute`, with no workflowExecutionTimeout or workflowRunTimeout on the start and no timeout around the wait; it runs per request (POST is a Next.js route handler)');
    expect(mine[1]!.message).toContain('action runs the workflow approveOrder and awaits `workflow.execute`');
    expect(mine[2]!.message).toContain("read from the file's place");
    expect(mine[3]!.message).toContain('runApproval runs the workflow approveOrder and starts it and awaits `result()` (line 9)');
    expect(mine[3]!.message).toContain('it is called at src/server.ts:13, where it runs in a handler given to');
  });
});
