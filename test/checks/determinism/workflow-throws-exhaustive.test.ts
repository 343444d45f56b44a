// workflow-throws-plain-error and exhaustiveness helpers: `assertNever(value: never)` that throws a
// plain Error is reported, as info, at each call workflow code makes (the types say it is
// unreachable; a signal or input of an unforeseen kind reaches it), also when the helper lives in
// a workspace package the type checker cannot resolve (a monorepo reviewed without node_modules).

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from './review-fixture.js';

const findings = () => findingsOf('throws-exhaustive-workspace', ['workflow-throws-plain-error']);

describe('workflow-throws-plain-error and exhaustiveness helpers', () => {
  it('reports the calls of a throwing never-helper that nothing catches, at the call', () => {
    expect(where(findings())).toEqual([
      'workflow-throws-plain-error info packages/jobs/src/job-keys.ts:12',
      'workflow-throws-plain-error info packages/jobs/src/workflows.ts:42',
    ]);
  });

  it('names the workflows that reach the call, the signal handler included', () => {
    expect(findings().map((f) => f.data?.['workflows'])).toEqual([['dispatchWorkflow'], ['routeWorkflow']]);
    expect(findings()[0]!.message).toContain('calls assertNever(job), an exhaustiveness check that throws a plain Error');
  });

  it('leaves out the helper that throws an ApplicationFailure, the one that does not throw, and a call inside a try/catch', () => {
    expect(findings().filter((f) => f.file === 'packages/shared/src/asserts.ts')).toEqual([]);
    expect(findings().filter((f) => f.file === 'packages/jobs/src/workflows.ts' && f.line < 42)).toEqual([]);
  });
});
