// "No worker found" and "No workflow found" are said of the review as a whole, not per language: a
// TypeScript script that starts the workflows of a Python worker in the same repository has no
// worker of its own, and that is no gap; Python code that starts workflows with no worker and no
// workflow anywhere in the review is one, as TypeScript code is.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { review } from '../../src/review.js';

const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures');

async function reviewOf(name: string) {
  return review({ dir: path.join(fixtures, name), config: undefined });
}

describe('worker and workflow presence across languages', () => {
  it('a TypeScript client of a Python worker leaves no area not-verified', { timeout: 180_000 }, async () => {
    const result = await reviewOf('mixed-start-unregistered-py-worker');
    expect(result.diagnostics.filter((d) => d.kind === 'not-verified')).toEqual([]);
    expect(result.areas.filter((a) => a.status === 'not-verified').map((a) => a.area)).toEqual([]);
  });

  it('Python code that only starts workflows is not verified for capacity, observability, determinism or payloads', { timeout: 180_000 }, async () => {
    const result = await reviewOf('python-client-only');
    expect(result.diagnostics.filter((d) => d.kind === 'not-verified').map((d) => d.message)).toEqual([
      'capacity, observability not verified: No worker found: the reviewed Python code never creates a temporalio Worker(...), so worker slots, shutdown and metrics were not reviewed. Review the directory that holds the worker.',
      'determinism, payloads not verified: No workflow found: the code starts workflows, but no @workflow.defn class was found in the reviewed code, so workflow code was not reviewed for determinism or payloads. Review the directory that holds the workflows.',
    ]);
    expect(result.areas.filter((a) => a.status === 'not-verified').map((a) => a.area)).toEqual(['determinism', 'payloads', 'capacity', 'observability']);
    expect(result.verdict).toBe('NO-GO');
  });
});
