// workflow-throws-plain-error on null guards (session 25): a guard that throws a plain Error when a
// value is missing stays info while nothing shows the value can be missing, and is an error when the
// value is the result of an activity whose implementation returns null or undefined on a path the
// review can see (`if (!row) return null`, the first row of a query as is, a Map lookup), or, for a
// guard on a property of the result, leaves that property out on a path (a conditional spread in
// the mapper it returns through): a missing record reaches it, and the workflow task fails on every retry. Over
// test/fixtures/null-guard-activity-result.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from './review-fixture.js';

describe('workflow-throws-plain-error on null guards of activity results', () => {
  const findings = findingsOf('null-guard-activity-result', ['workflow-throws-plain-error']);

  it('reports guards on results the activity can leave missing as errors, other guards as info', () => {
    expect(where(findings)).toEqual([
      'workflow-throws-plain-error error src/workflows.ts:10',
      'workflow-throws-plain-error error src/workflows.ts:13',
      'workflow-throws-plain-error error src/workflows.ts:15',
      'workflow-throws-plain-error info src/workflows.ts:17',
      'workflow-throws-plain-error info src/workflows.ts:18',
      'workflow-throws-plain-error info src/workflows.ts:20',
      'workflow-throws-plain-error info src/workflows.ts:22',
      'workflow-throws-plain-error error src/workflows.ts:24',
      'workflow-throws-plain-error info src/workflows.ts:25',
    ]);
  });

  it('names the activity and the path that returns nothing', () => {
    const at = (line: number) => findings.find((f) => f.line === line)!;
    expect(at(10).message).toContain('the activity loadRun returns null when `!row`, at src/activities.ts:15');
    expect(at(10).fix).toContain("ApplicationFailure.nonRetryable(message, 'NotFound')");
    expect(at(10).related?.[0]).toMatchObject({ file: 'src/activities.ts', line: 15 });
    expect(at(13).message).toContain('the activity loadLease returns undefined when the query finds no row (it returns `row`, the first row, as is), at src/activities.ts:21');
    expect(at(15).message).toContain('the activity findOwner returns undefined when `runs.get(id)` gives undefined, at src/activities.ts:25');
    // loadTask throws when the row is missing, and loadLabel's result type excludes undefined: only the type checker's due.
    expect(at(17).message).toContain('It guards against a missing value');
    expect(at(20).message).toContain('It guards against a missing value');
    // A property the activity's mapper spreads in only under a condition: missing when the condition fails.
    expect(at(24).message).toContain(
      'when `contract.head` is missing, and the activity loadContract returns a result whose head is undefined unless `row.head !== undefined`, at src/activities.ts:43',
    );
    // loadNote declares string | null, but its only return is a string: the declaration alone is not a path.
    expect(at(22).message).toContain('It guards against a missing value');
  });
});
