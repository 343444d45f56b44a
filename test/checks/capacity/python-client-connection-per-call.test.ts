// client-connection-per-call (Python): Client.connect made anew per request, message or activity
// execution, directly or through helpers that return the client; not a client kept in a module
// variable, a memoised getter, a lifespan hook's app.state, or a script's main().
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-client-connection-per-call');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('client-connection-per-call (Python)', () => {
  it('reports per-request, per-activity and per-view connects, and nothing kept for reuse', () => {
    const mine = findings.filter((f) => f.checkId === 'client-connection-per-call');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'client-connection-per-call warning app/activities.py:7',
      'client-connection-per-call warning app/api.py:11',
      'client-connection-per-call warning app/api.py:35',
      'client-connection-per-call info app/api.py:72',
      'client-connection-per-call warning app/api.py:77',
      'client-connection-per-call warning app/views.py:12',
    ]);
    expect(mine[0]!.message).toContain('release_lock calls Client.connect on every call and keeps the client nowhere: release_lock is an activity');
    expect(mine[1]!.message).toContain('new_client returns a new client from Client.connect on every call (through client_for_route), and a place in code that runs per request, message or activity execution reaches it without keeping a client for reuse (app/api.py:49: create_order handles requests or messages (@app.post)), so each request or message opens a new Temporal client connection');
    expect(mine[1]!.related).toEqual([expect.objectContaining({ file: 'app/api.py', line: 49 })]);
    expect(mine[2]!.message).toContain('FastAPI resolves `Depends(dependency_client)` on every request');
    expect(mine[3]!.message).toContain('cannot confirm');
    expect(mine[4]!.message).toContain('signal_poll connects a new client with Client.connect on every call and keeps it nowhere, and a place in code that runs per request, message or activity execution reaches it without keeping a client for reuse (app/api.py:83: poll_now handles requests or messages (@app.post))');
    expect(mine[5]!.message).toContain('perform_create is a method of the view OrderViewSet(viewsets.ModelViewSet)');
  });
});
