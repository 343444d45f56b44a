// Python: workflow code that makes a request on a client object (a pymongo database from a project
// helper, a redis client, an httpx client, a motor collection), directly or through a project
// function the workflow calls: network or database I/O that runs again on every replay, or fails
// in the sandbox. Left alone: a parameter whose type is not known, code that runs only when not
// replaying, a query handler, an activity, and the requests of a client whose constructor is
// itself reported (httpx.AsyncClient() in workflow code).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-workflow-client-io');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('workflow-nondeterministic-call (Python): requests on client objects in workflow code', () => {
  it('reports each request workflow code makes on a client it can establish the type of, once', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-nondeterministic-call');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-nondeterministic-call error app/db.py:21',
      'workflow-nondeterministic-call error app/workflows.py:17',
      'workflow-nondeterministic-call error app/workflows.py:20',
      'workflow-nondeterministic-call warning app/workflows.py:22',
      // httpx.AsyncClient() itself (a restricted name); its `client.get(...)` on line 26 is the same defect.
      'workflow-nondeterministic-call warning app/workflows.py:25',
      'workflow-nondeterministic-call error app/workflows.py:27',
      'workflow-nondeterministic-call error app/workflows.py:41',
      'workflow-nondeterministic-call error app/workflows.py:48',
    ]);
  });

  it('names the request and the client, says what replay does and that the sandbox does not make it safe', () => {
    const query = findings.find((f) => f.checkId === 'workflow-nondeterministic-call' && f.file === 'app/workflows.py' && f.line === 17)!;
    expect(query.message).toContain('Workflow PositionsWorkflow calls db["trades"].find({"status": "open"}): a MongoDB query (pymongo.MongoClient["orders"]["trades"].find) made by workflow code.');
    // pymongo calls os.getpid on every operation: the sandbox rejects it wherever the client was made (temporalio 1.35.0).
    expect(query.message).toContain('In the sandbox it raises RestrictedWorkflowAccessError wherever the client was made (pymongo calls os.getpid, which the sandbox restricts): the workflow task fails and is retried forever');
    expect(query.message).toContain("Without the sandbox, the request runs again on every replay of the workflow's history and can get another answer");
    expect(query.fix).toContain('Make the request in an activity and call it with workflow.execute_activity');
    expect(query.data).toMatchObject({ kind: 'client', sandbox: 'sandboxed', async: false });
  });

  it('follows a project function the workflow calls, with a parameter annotated as a pymongo Database', () => {
    const helper = findings.find((f) => f.checkId === 'workflow-nondeterministic-call' && f.file === 'app/db.py')!;
    expect(helper.message).toContain('calls db.orders.find({"status": "open"}) (reached through app/workflows.py:18): a MongoDB query (Database.orders.find)');
  });

  it('says the sandbox may reject a redis client\'s request or let it run, depending on where the client was made', () => {
    const redis = findings.find((f) => f.checkId === 'workflow-nondeterministic-call' && f.file === 'app/workflows.py' && f.line === 20)!;
    expect(redis.message).toContain('a Redis command (redis.Redis.get) made by workflow code. Where it runs, the request runs again on every replay');
    expect(redis.message).toContain('the call either raises RestrictedWorkflowAccessError (the library touches os, threading or socket APIs the sandbox restricts), and then the workflow task fails and is retried forever, so the workflow is stuck while it looks alive, or the request runs.');
  });

  it('says an enclosing except Exception takes the rejection', () => {
    const caught = findings.find((f) => f.checkId === 'workflow-nondeterministic-call' && f.file === 'app/workflows.py' && f.line === 41)!;
    expect(caught.message).toContain('Workflow SummaryWorkflow calls get_database().orders.count_documents({})');
    expect(caught.message).toContain("an enclosing `except Exception` of the workflow catches that error (it is an Exception), so the workflow's failure path runs on every run");
  });

  it('says an awaited request of an async client fails on the workflow event loop', () => {
    const motor = findings.find((f) => f.checkId === 'workflow-nondeterministic-call' && f.file === 'app/workflows.py' && f.line === 27)!;
    expect(motor.message).toContain('(motor.motor_asyncio.AsyncIOMotorClient["shop"]["orders"].find_one)');
    expect(motor.message).toContain("The workflow's event loop is Temporal's deterministic loop and does no network I/O: the awaited request fails on every run");
    const redis = findings.find((f) => f.checkId === 'workflow-nondeterministic-call' && f.file === 'app/workflows.py' && f.line === 48)!;
    expect(redis.message).toContain('calls clients.acache.delete("summary"): a Redis command (redis.asyncio.Redis.delete) made by workflow code.');
    expect(redis.message).toContain("The workflow's event loop is Temporal's deterministic loop and does no network I/O: the awaited request fails on every run");
  });

  it('gives a warning inside sandbox_unrestricted(): lifted on purpose, still sent on every replay', () => {
    const lifted = findings.find((f) => f.checkId === 'workflow-nondeterministic-call' && f.file === 'app/workflows.py' && f.line === 22)!;
    expect(lifted.message).toContain('It is inside workflow.unsafe.sandbox_unrestricted(), which lifts the restrictions: the request runs again on every replay');
  });

  it('does not report the activity or the query handler (not replayed), nor the replay-guarded request', () => {
    expect(findings.filter((f) => f.checkId === 'workflow-nondeterministic-call' && (f.file === 'app/activities.py' || f.line === 24 || f.line === 33))).toEqual([]);
  });
});
