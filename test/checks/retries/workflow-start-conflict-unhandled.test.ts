// workflow-start-conflict-unhandled (TypeScript): a request handler (a Next.js route, an Express
// handler through a helper) starts a workflow with an id built from the request, with no conflict
// policy and no catch that tells "already started" apart; a catch that only answers 500 passes the
// error on. Nothing for a caught error, a 409 answer, USE_EXISTING, random, constant or
// request-id ids, and scripts. A start in the callback of client.withDeadline is read with the code
// around that call: its catch that names the error handles it.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'workflow-start-conflict-unhandled');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-start-conflict-unhandled (TypeScript)', () => {
  it('reports request-keyed starts whose conflict nothing handles', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-start-conflict-unhandled');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-start-conflict-unhandled info src/app/api/deadline/route.ts:7',
      'workflow-start-conflict-unhandled info src/app/api/orders/route.ts:6',
      'workflow-start-conflict-unhandled info src/app/api/scans/route.ts:8',
      'workflow-start-conflict-unhandled info src/services/sync.ts:5',
    ]);
    // a start in the callback of client.withDeadline: the route's own code is read around the outer call
    expect(mine.shift()!.message).toContain('POST calls client.workflow.start(processOrder) with workflow id `invoice-${invoiceId}`, which a repeated request (a double click, a client retry, a second form submit) builds again; it runs per request: POST is a Next.js route handler.');
    expect(mine[0]!.message).toContain('POST calls client.workflow.start(processOrder) with workflow id `order-${orderId}`, which a repeated request (a double click, a client retry, a second form submit) builds again; it runs per request: POST is a Next.js route handler.');
    expect(mine[0]!.message).toContain('Temporal refuses the second start (good: no second run), but the refusal (WorkflowExecutionAlreadyStartedError) surfaces as a server error: the caller gets a 500 instead of the running workflow or a 409 Conflict.');
    expect(mine[1]!.message).toContain('The catch at src/app/api/scans/route.ts:10 only re-throws it or answers 500 like any other error.');
    expect(mine[2]!.message).toContain('startSync calls client.workflow.start(processOrder) with workflow id `sync-${tenantId}`');
    expect(mine[2]!.message).toContain('it is reached from src/server.ts:9, where it runs in a handler given to');
    expect(mine[0]!.fix).toContain("workflowIdConflictPolicy: 'USE_EXISTING'");
  });
});
