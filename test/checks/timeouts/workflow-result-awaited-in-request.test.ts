// workflow-result-awaited-in-request (TypeScript): a Next.js route handler or an Express handler
// (directly or through a helper it calls) that awaits workflow.execute or start(...).result() with no
// workflowExecutionTimeout / workflowRunTimeout and no Promise.race; a note when only the file's
// place says it runs per request; nothing for bounded waits, fire-and-forget starts and scripts,
// nor for a run handed to a call that leaves it running (a Nest @HttpCode(202) handler whose
// service gives the dispatch to `runDetached(p) { void p.catch(...) }` or `setImmediate`); still
// reported through helpers that await the promise or function they are given, and when the detached
// function writes the workflow's result after the wait (the API process waits in the background).
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
      'workflow-result-awaited-in-request warning src/messages/dispatch.service.ts:26',
      'workflow-result-awaited-in-request warning src/messages/dispatch.service.ts:30',
      'workflow-result-awaited-in-request warning src/messages/dispatch.service.ts:52',
      'workflow-result-awaited-in-request warning src/remix-action.ts:9',
      'workflow-result-awaited-in-request info src/routes/orders.ts:5',
      'workflow-result-awaited-in-request warning src/server.ts:8',
      'workflow-result-awaited-in-request warning src/server.ts:33',
      'workflow-result-awaited-in-request warning src/server.ts:37',
      'workflow-result-awaited-in-request warning src/status-server.ts:21',
      'workflow-result-awaited-in-request warning src/status-server.ts:42',
      'workflow-result-awaited-in-request warning src/sync-server.ts:8',
      'workflow-result-awaited-in-request warning src/sync-server.ts:12',
      'workflow-result-awaited-in-request warning src/sync-server.ts:16',
    ]);
    expect(mine[0]!.message).toContain('POST runs the workflow approveOrder and awaits `workflow.execute`, with no workflowExecutionTimeout or workflowRunTimeout on the start and no timeout around the wait; it runs per request (POST is a Next.js route handler)');
    expect(mine[1]!.message).toContain('dispatchAwaited runs the workflow approveOrder and awaits `workflow.execute`');
    expect(mine[1]!.message).toContain('it is called at src/messages/messages.controller.ts:23, where reply handles requests or messages: @Post');
    expect(mine[2]!.message).toContain('dispatchTraced runs the workflow approveOrder and starts it and awaits `result()` (line 31)');
    expect(mine[2]!.message).toContain('it is called at src/messages/messages.controller.ts:28, where traced handles requests or messages: @Post');
    expect(mine[4]!.message).toContain('action runs the workflow approveOrder and awaits `workflow.execute`');
    expect(mine[5]!.message).toContain("read from the file's place");
    expect(mine[6]!.message).toContain('runApproval runs the workflow approveOrder and starts it and awaits `result()` (line 9)');
    expect(mine[6]!.message).toContain('it is called at src/server.ts:13, where it runs in a handler given to');
  });

  it('follows the handle from the start to result() on one request path: not another branch of a dispatching callback, not a result() describe() says is ready', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-result-awaited-in-request' && f.file === 'src/status-server.ts');
    // :8 answers right after the start; the `handle.result()` at :29 is another variable, in the GET branch.
    // :13 calls result() only when describe() says COMPLETED, :33 only after an early return for RUNNING: both return at once.
    expect(mine.map((f) => f.line)).toEqual([21, 42]);
    expect(mine[0]!.message).toContain('starts it and awaits `result()` (line 22)');
    // :42 answers early on one path, but the other path waits for the result at :47.
    expect(mine[1]!.message).toContain('starts it and awaits `result()` (line 47)');
  });

  it('says what leaves the request waiting: a worker down or a backlog when every activity retries a bounded number of times, unlimited retries otherwise', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-result-awaited-in-request' && f.file === 'src/sync-server.ts');
    const [bounded, unlimited] = mine;
    expect(bounded!.message).toContain('Every activity syncMeter schedules retries a bounded number of times (proxyActivities for readMeter (startToCloseTimeout 2m, at most 3 attempts)), so an outage of a dependency ends the run instead of holding it; what nothing bounds is the wait for a worker: with no workflowExecutionTimeout or workflowRunTimeout on the start, a worker that is down or a backlog on the task queue holds the request');
    expect(bounded!.message).not.toContain('the default retry policy never stops');
    expect(bounded!.data).toMatchObject({ activityRetries: 'bounded' });
    expect(unlimited!.message).toContain('activities retrying through an outage of a dependency (the default retry policy never stops)');
    expect(unlimited!.data).toMatchObject({ activityRetries: 'unlimited' });
  });

  it('says no outage holds the run when no activity the workflow runs can fail', () => {
    const label = findings.find((f) => f.checkId === 'workflow-result-awaited-in-request' && f.file === 'src/sync-server.ts' && f.line === 16)!;
    expect(label.message).toContain(
      'No activity labelMeter runs can fail (formatLabel: its code, read in full, makes no call that can fail), so no outage of a dependency holds it; what nothing bounds is the wait for a worker: with no workflowExecutionTimeout or workflowRunTimeout on the start, a worker that is down or a backlog on the task queue holds the request',
    );
    expect(label.message).not.toContain('the default retry policy never stops');
    expect(label.data).toMatchObject({ activityRetries: 'cannot-fail' });
  });

  it('does not report a run the handler leaves running: void / .catch not awaited, a helper that does not await the promise or the function it is given', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-result-awaited-in-request');
    // server.ts:33 stays: `execute(...).then((result) => res.json(result))` answers the request when the run ends, and so
    // does server.ts:37, whose function is given `res` by a handler that does not await it.
    // dispatch.service.ts:17 (runDetached(p) does `void p.catch(...)`), :21 (inBackground(() => ...) runs it in setImmediate), server.ts:28 (`.catch()` not awaited).
    expect(mine.filter((f) => f.file === 'src/messages/dispatch.service.ts' && (f.line === 17 || f.line === 21))).toEqual([]);
    expect(mine.filter((f) => f.file === 'src/server.ts' && f.line === 28)).toEqual([]);
  });

  it('reports a detached run whose function writes the result after the wait (the API process waits in the background)', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-result-awaited-in-request' && f.file === 'src/messages/dispatch.service.ts');
    // :52 awaits execute in a function given to runDetached and then writes the result with this.messagesService.createMessage;
    // :17 and :21 (also detached) write nothing after the wait and stay silent.
    const saved = mine.find((f) => f.line === 52)!;
    expect(saved.severity).toBe('warning');
    expect(saved.message).toContain('dispatchAndSave waits for the workflow approveOrder to finish and then writes its result (`this.messagesService.createMessage`, line 54)');
    expect(saved.message).toContain('it runs in a detached promise (src/messages/dispatch.service.ts:47) started per request (src/messages/messages.controller.ts:47, where saved handles requests or messages: @Post');
    expect(saved.message).toContain('a restart or deploy during the run');
    expect(mine.filter((f) => f.line === 17 || f.line === 21)).toEqual([]);
  });
});
