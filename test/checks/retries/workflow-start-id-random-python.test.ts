// workflow-start-id-random on the Python front-end: a client.start_workflow in a function decorated
// as a route with `id=f"order-{uuid.uuid4()}"`, one in a view that takes `request` with an id held
// in a name set from `str(uuid4())`, and one whose id comes from a project helper returning
// `uuid4().hex[:8]` are notes (info) at the start; an id built from the order id and a random id in
// a function that no request runs are left alone. A wrapper whose `id=` is its parameter
// (`start_order(client, order_id, workflow_id)`, a gateway method) is reported at the route that
// passes `str(uuid4())` or an aliased `uuid4` (`make_key`), not at a keyed caller or a nightly job;
// a helper named as a generator (`generate_uuid()`) counts as random. Over test/fixtures/python-start-id-random.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-start-id-random');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-start-id-random on Python', () => {
  test('reports the random ids of starts that run per request, and nothing else', () => {
    const random = findings.filter((f) => f.checkId === 'workflow-start-id-random');
    expect(random.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-start-id-random info app/api.py:24',
      'workflow-start-id-random info app/api.py:30',
      'workflow-start-id-random info app/api.py:36',
      'workflow-start-id-random info app/imports.py:12',
      'workflow-start-id-random info app/imports.py:22',
      'workflow-start-id-random info app/imports.py:31',
    ]);
    const [route, view, helper] = random;
    expect(route!.message).toContain('client.start_workflow(Orders) runs once per request or event (create_order handles requests or messages: @router.post) and its workflow id is random (f"order-{uuid.uuid4()}")');
    expect(route!.fix).toContain('WorkflowIDReusePolicy.REJECT_DUPLICATE');
    expect(view!.message).toContain('order_view takes the request or message `request`');
    expect(view!.message).toContain('its workflow id is random (workflow_id)');
    expect(helper!.message).toContain('(short_id("refund"))');
    const [wrapper, method, named] = random.slice(3);
    expect(wrapper!.message).toBe(
      'This call of start_order() gives the workflow id of client.start_workflow(Orders) (app/gateway.py:7). ' +
        'It runs once per request or event (create_import handles requests or messages: @router.post) and the id is random (str(uuid4())). ' +
        'Temporal rejects a second start only for the same workflow id: a retried request or a redelivered message starts a second run of the same work instead of finding the first.',
    );
    expect(method!.message).toContain('This call of launch_order() gives the workflow id of client.start_workflow(Orders) (app/gateway.py:16)');
    expect(method!.message).toContain('the id is random (f"launch-{make_key().hex}")');
    expect(named!.message).toContain('its workflow id is random (generate_uuid())');
  });
});
