// worker-run-failure-swallowed (issue 13, twelfth reading): worker.run() rejects when the worker
// stops for good (lib/worker.d.ts: "Throws on a fatal error or failure to shutdown gracefully"), and
// a catch that only logs leaves the process running without the worker, or exiting with code 0.
// Over test/fixtures/worker-run-failure-swallowed.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findingsOf, fixtureModel, where } from '../determinism/review-fixture.js';

describe('worker-run-failure-swallowed', () => {
  const findings = findingsOf('worker-run-failure-swallowed', ['worker-run-failure-swallowed']);

  it('reports a catch clause and a .catch() handler that only log, not a catch that exits or a plain await', () => {
    expect(where(findings)).toEqual([
      'worker-run-failure-swallowed warning src/lazy.ts:13',
      'worker-run-failure-swallowed warning src/pool.ts:16',
      'worker-run-failure-swallowed warning src/single.ts:8',
    ]);
    expect(findings[1]!.message).toMatch(/^worker\.run\(\) rejects when the worker stops for good .*and the catch around it only logs it\./);
    expect(findings[1]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/pool.ts:15']);
    expect(findings[2]!.message).toContain('the .catch() handler on it only logs it');
    expect(findings[2]!.data?.['kind']).toBe('catch-handler');
  });

  it('sees a worker whose SDK is loaded with await import() inside the starting function', () => {
    const worker = fixtureModel('worker-run-failure-swallowed').workers.find((w) => w.location.file.endsWith('lazy.ts'));
    expect(worker?.location.line).toBe(5);
    expect(worker?.workflowsPath?.endsWith('src/workflows.ts')).toBe(true);
  });

  it('rests on the SDK: run() throws on a fatal error, and getState() tells a failed worker', () => {
    const require = createRequire(import.meta.url);
    const declarations = readFileSync(require.resolve('@temporalio/worker/lib/worker.d.ts'), 'utf8');
    expect(declarations).toContain('Throws on a fatal error or failure to shutdown gracefully.');
    expect(declarations).toMatch(/export type State = [^;]*'FAILED'/);
    expect(declarations).toContain('getState(): State;');
  });
});
