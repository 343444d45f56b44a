// workflow-wait-without-timeout with update handlers: a wait with no timeout whose state only update
// handlers (or update and signal handlers together) set waits forever when no update arrives, as
// with signals. Reported (Python and TypeScript): a helper wait set by an update handler, one set by
// an update and a signal (the message names both kinds), and (Python) the run-method wait of a child
// another workflow awaits. Not reported: state only an update's validator writes (a validator is
// not a handler), a pause gate an update closes, the workflow's own API waited on in the run method
// or workflow function, a wait in a loop or in a helper called in a loop, a raced wait, and a
// workflow every start bounds; in TypeScript as in Python, a pause gate (`let paused = false`,
// `condition(() => !paused)`) and a wait raced with a timer (`Promise.race([condition(pred), sleep(...)])`).
// A project that starts workflows with an update-with-start leaves the waits updates end alone.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/timeouts/workflow-wait-without-timeout.js';
import type { Finding } from '../../../src/engine/types.js';
import { review as reviewDir } from '../../../src/review.js';
import { findingsOf, where } from '../determinism/review-fixture.js';

describe('workflow-wait-without-timeout: update handlers (Python)', () => {
  const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-update-handler-waits');
  let findings: Finding[];
  beforeAll(async () => {
    findings = (await reviewDir({ dir: root, config: undefined })).findings.filter((f) => f.checkId === check.id);
  }, 120_000);

  it('reports the helper waits update handlers end and the awaited child\'s run-method wait, nothing else', () => {
    expect(where(findings)).toEqual([
      'workflow-wait-without-timeout info app/workflows.py:29',
      'workflow-wait-without-timeout info app/workflows.py:52',
      'workflow-wait-without-timeout info app/workflows.py:139',
    ]);
  });

  it('names the handler kind: update, or signal and update', () => {
    const [update, mixed, child] = findings;
    expect(update!.message).toContain('Workflow OrderWorkflow waits here with wait_condition() and no timeout until an update sets what it tests (`self._confirmed`): only the handler of update confirm assigns it.');
    expect(update!.message).toContain('If the caller never sends the update');
    expect(update!.message).not.toContain('signal');
    expect(update!.fix).toContain('so a lost update becomes a visible failure');
    expect(update!.related!.map((r) => [r.line, r.message])).toEqual([[13, 'the handler of update confirm']]);
    expect(update!.data).toMatchObject({ signals: [], updates: ['confirm'], inHelper: true });
    expect(mixed!.message).toContain('until a signal or an update sets what it tests (`self._shipped` and `self._cancelled`): only the handlers of signal cancel and update mark-shipped assign them.');
    expect(mixed!.related!.map((r) => r.message)).toEqual(['the handler of update mark-shipped', 'the handler of signal cancel']);
    expect(child!.message).toContain('only the handler of update decide assigns it. The wait is in the run method, but PublishWorkflow runs ReviewWorkflow as a child and awaits its result (app/workflows.py:148)');
    expect(child!.data).toMatchObject({ workflowTypes: ['ReviewWorkflow'], updates: ['decide'], awaitedBy: ['PublishWorkflow'], inHelper: false });
  });

  it('does not count a validator as a setter, and leaves the pause gate, the loop, the raced and the bounded waits alone', () => {
    const lines = findings.map((f) => f.line);
    for (const line of [84, 88, 113, 121, 124, 166]) expect(lines).not.toContain(line);
  });
});

describe('workflow-wait-without-timeout: update handlers (TypeScript)', () => {
  const FIXTURE = 'update-handler-waits';

  it('reports the helper waits update handlers end, nothing else', { timeout: 120_000 }, () => {
    const findings = findingsOf(FIXTURE, ['workflow-wait-without-timeout']);
    expect(where(findings)).toEqual([
      'workflow-wait-without-timeout info src/workflows.ts:24',
      'workflow-wait-without-timeout info src/workflows.ts:41',
      'workflow-wait-without-timeout info src/workflows.ts:122',
    ]);
    // `let isReady: boolean | undefined` starts undefined: `isReady !== undefined` is false until the update comes.
    expect(findings[2]!.message).toContain("which only the handler of update 'ready' does.");
  });

  it('names the handler kind: update, or signal and update', { timeout: 120_000 }, () => {
    const [update, mixed] = findingsOf(FIXTURE, ['workflow-wait-without-timeout']);
    expect(update!.message).toContain("Workflow orderWorkflow waits here with condition() and no timeout until `confirmed` is set, which only the handler of update 'confirm' does.");
    expect(update!.message).toContain('If the caller never sends the update');
    expect(update!.message).not.toContain('signal');
    expect(update!.fix).toContain('so a lost update becomes a visible failure');
    expect(update!.related!.map((r) => [r.line, r.message])).toEqual([
      [16, "the handler of update 'confirm'"],
      [27, 'workflow orderWorkflow reaches this wait'],
    ]);
    expect(mixed!.message).toContain("which only the handlers of signal 'cancel' and update 'mark-shipped' do.");
    expect(mixed!.message).toContain('If no such signal or update ever comes');
    expect(mixed!.data).toMatchObject({ signals: ["'cancel'"], updates: ["'mark-shipped'"], inHelper: true });
  });

  it('does not count a validator (arrow or method) as a setter, and leaves the own-API, loop, bounded, pause-gate and raced waits alone', { timeout: 120_000 }, () => {
    const lines = findingsOf(FIXTURE, ['workflow-wait-without-timeout']).map((f) => f.line);
    for (const line of [62, 63, 76, 86, 100, 120, 121]) expect(lines).not.toContain(line);
  });
});

describe('workflow-wait-without-timeout: update-with-start', () => {
  it('leaves a wait an update ends alone when the project starts workflows with an update-with-start (Python)', async () => {
    const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-update-with-start-wait');
    const findings = (await reviewDir({ dir: root, config: undefined })).findings.filter((f) => f.checkId === check.id);
    expect(where(findings)).toEqual(['workflow-wait-without-timeout info app/workflows.py:30']);
  }, 120_000);

  it('leaves a wait an update ends alone when the project starts workflows with an update-with-start (TypeScript)', { timeout: 120_000 }, () => {
    const findings = findingsOf('update-with-start-wait', ['workflow-wait-without-timeout']);
    expect(where(findings)).toEqual(['workflow-wait-without-timeout info src/workflows.ts:18']);
  });
});
