// workflow-signal-unhandled: a signal or update sent by a name no workflow handles (or not the
// workflow its handle targets). TypeScript over test/fixtures/workflow-signal-unhandled (an untyped
// handle, a typed one, the handle a start returned, a signal-with-start) and
// workflow-signal-unhandled-dynamic (a default signal handler takes every name, for its workflow
// only); Python over test/fixtures/python-signal-unhandled (typed handles, name= and dynamic=True
// handlers, start_signal). Names handled by literal, by a defineSignal const imported across
// modules or by a method reference, names from variables or configuration and calls on objects
// that are not workflow handles are left alone.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/determinism/workflow-signal-unhandled.js';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-signal-unhandled on TypeScript', () => {
  const findings = fixtureReview('workflow-signal-unhandled').run(check);

  it('reports each send whose name the checked workflows do not handle, and nothing else', () => {
    expect(where(findings)).toEqual([
      'workflow-signal-unhandled info src/client.ts:16',
      'workflow-signal-unhandled warning src/client.ts:26',
      'workflow-signal-unhandled warning src/client.ts:32',
      'workflow-signal-unhandled warning src/client.ts:36',
    ]);
  });

  it('names the signal, the send site and the workflows checked', () => {
    const [untyped, typed, update, withStart] = findings;
    expect(untyped!.message).toContain("sends signal 'pause', but no handler for it is registered by any of the 2 workflows the reviewer found (orderWorkflow, reportWorkflow)");
    expect(untyped!.message).toContain('(src/client.ts:16)');
    expect(untyped!.message).toContain('drops it when the workflow completes');
    expect(untyped!.message).toContain('if it is a workflow of another service, its handler is out of sight');
    expect(typed!.message).toContain("sends signal 'approve', but no handler for it is registered by the workflow its handle targets (reportWorkflow at src/workflows.ts:21, named by the handle)");
    expect(typed!.message).toContain('orderWorkflow handles it: the handle may target the wrong workflow');
    expect(update!.message).toContain("sends update 'setLimt'");
    expect(update!.message).toContain('orderWorkflow at src/workflows.ts:4, started by the call that returned the handle');
    expect(update!.message).toContain('the caller gets an error');
    expect(withStart!.message).toContain("sends signal 'resume'");
    expect(withStart!.message).toContain('the workflow the call starts (orderWorkflow at src/workflows.ts:4)');
    expect(withStart!.data).toMatchObject({ kind: 'signal', name: 'resume', checkedWorkflows: ['orderWorkflow'], targetBy: 'with-start' });
  });

  it('leaves alone names handled by literal or by an imported defineSignal const, unresolved names, non-handles and ids no start sets', () => {
    // line 12: `order-${orderId}` is an id no start of the project sets: another service's workflow.
    expect(findings.some((f) => [12, 21, 22, 31, 41, 42, 43].includes(f.line!))).toBe(false);
  });
});

describe('workflow-signal-unhandled with a default signal handler', () => {
  const findings = fixtureReview('workflow-signal-unhandled-dynamic').run(check);

  it('lets the workflow with setDefaultSignalHandler take any name, and judges the others', () => {
    expect(where(findings)).toEqual(['workflow-signal-unhandled warning src/client.ts:9']);
    expect(findings[0]!.message).toContain('exportWorkflow at src/workflows.ts:12');
  });
});

describe('workflow-signal-unhandled on Python', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-signal-unhandled');
    findings = (await review({ dir: root, config: undefined })).findings.filter((f) => f.checkId === 'workflow-signal-unhandled');
  }, 120_000);

  it('reports the sends the targeted workflow does not handle, and nothing else', () => {
    expect(where(findings)).toEqual([
      'workflow-signal-unhandled warning app/client.py:12',
      'workflow-signal-unhandled warning app/client.py:15',
      'workflow-signal-unhandled warning app/client.py:18',
      'workflow-signal-unhandled warning app/client.py:34',
    ]);
  });

  it('reads constant names, name= overrides and start_signal', () => {
    const [pause, cancel, update, startSignal] = findings;
    expect(pause!.message).toContain("sends signal 'pause', but no handler for it is registered by the workflow its handle targets (OrderWorkflow at app/workflows.py:8, named by the handle)");
    expect(cancel!.message).toContain("sends signal 'cancel'");
    expect(update!.message).toContain("sends update 'set_limt'");
    expect(startSignal!.message).toContain("sends signal 'refresh'");
    expect(startSignal!.message).toContain('the workflow the call starts (ReportWorkflow at app/workflows.py:48)');
  });
});
