// workflow-throws-plain-error and Node's assert module: the workflow bundler lets `assert` in, and
// a failed assertion throws an AssertionError, a plain Error, which fails the workflow task (retried
// forever) instead of the workflow. Reported at the assert call, in the workflow or in a helper it
// calls; an assertion that only tests a local value for undefined is the guard form, as info.

import { TemporalFailure } from '@temporalio/common';
import { AssertionError } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findingsOf, where } from './review-fixture.js';

describe('workflow-throws-plain-error on assert calls', () => {
  const findings = findingsOf('workflow-assert', ['workflow-throws-plain-error']);

  it('reports each uncaught assert call the workflows reach', () => {
    expect(where(findings)).toEqual([
      'workflow-throws-plain-error info src/checks.ts:4',
      'workflow-throws-plain-error info src/workflows.ts:11',
      'workflow-throws-plain-error info src/workflows.ts:14',
    ]);
    expect(findings[0]!.data?.['workflows']).toEqual(['billing', 'refund']);
    expect(findings[0]!.message).toContain("Workflow billing, refund calls assert.ok(total >= 0, 'negative total') from Node's assert module, which throws a plain AssertionError");
    expect(findings[0]!.data?.['errorType']).toBe('AssertionError');
  });

  it('names, for a throw in a helper, the call through which each workflow reaches it', () => {
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      'src/workflows.ts:10 workflow billing reaches it through this call',
      'src/workflows.ts:24 workflow refund reaches it through this call',
    ]);
    expect(findings[1]!.related).toBeUndefined();
  });

  // The facts the rule rests on: the bundler allows the assert built-in; an AssertionError is an
  // Error and not a TemporalFailure; the workflow runtime fails the workflow only for a
  // TemporalFailure (or a configured failure type), and the workflow task for anything else.
  it('rests on the SDK: assert is an allowed built-in, and an AssertionError is no TemporalFailure', () => {
    const require = createRequire(import.meta.url);
    const bundler = readFileSync(require.resolve('@temporalio/worker/lib/workflow/bundler.js'), 'utf8');
    expect(bundler).toMatch(/allowedBuiltinModules = \[[^\]]*'assert'/);
    const failure = new AssertionError({ message: 'x' });
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(TemporalFailure);
    const internals = readFileSync(require.resolve('@temporalio/workflow/src/internals.ts'), 'utf8');
    expect(internals).toMatch(/error instanceof TemporalFailure \|\| this\.isConfiguredFailureException\(error\)\) \{[\s\S]{0,500}?\} else \{\s*this\.recordWorkflowTaskError\(error\);/);
  });
});
