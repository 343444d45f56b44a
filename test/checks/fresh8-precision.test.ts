// Patterns from the fresh8 reading (issue 13): findings that were wrong or repeated on unseen code.
// - activity-non-retryable-type-unknown: an entry written with its module path
//   ('payments.errors.CardDeclined') never matches, because both SDKs report a thrown error's type
//   as the bare class name (Python: `exception.__class__.__name__` in temporalio/converter's failure
//   converter; TypeScript: `error.constructor?.name ?? error.name` in @temporalio/common failure.js).
//   One shared list used by several calls is one finding, at the list.
// - workflow-unbounded-history: a loop whose only wait is an untimed condition() / wait_condition
//   schedules nothing of its own (a lock wait in an update handler).
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { review } from '../../src/review.js';

const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures');
const results = new Map<string, Finding[]>();
const where = (f: Finding) => `${f.severity} ${f.checkId} ${f.file}:${f.line}`;

beforeAll(async () => {
  for (const name of ['qualified-error-types', 'python-qualified-error-types', 'wait-only-loops', 'python-wait-only-loops']) {
    results.set(name, (await review({ dir: path.join(fixtures, name), config: undefined })).findings);
  }
}, 240_000);

const of = (fixture: string, checkId: string) => results.get(fixture)!.filter((f) => f.checkId === checkId);

describe('activity-non-retryable-type-unknown: entries with a module path', () => {
  test('TypeScript: one finding at the shared list, naming the bare class name and both proxies', () => {
    const findings = of('qualified-error-types', 'activity-non-retryable-type-unknown');
    expect(findings.map(where)).toEqual(['warning activity-non-retryable-type-unknown src/policy.ts:4']);
    expect(findings[0]!.message).toContain("lists 'payments.errors.CardDeclined' in nonRetryableErrorTypes with its module path");
    expect(findings[0]!.message).toContain("(error.constructor.name: 'CardDeclined')");
    expect(findings[0]!.fix).toBe("List the bare class name: 'CardDeclined'.");
    expect(findings[0]!.related!.map((r) => `${r.file}:${r.line}`)).toEqual(['src/policy.ts:4', 'src/workflows.ts:5', 'src/workflows.ts:6']);
    expect(findings[0]!.data).toMatchObject({ calls: 2, qualifiedErrorTypes: ['payments.errors.CardDeclined'] });
  });

  test('Python: one finding at the shared list, in the Python SDK words', () => {
    const findings = of('python-qualified-error-types', 'activity-non-retryable-type-unknown');
    expect(findings.map(where)).toEqual(['warning activity-non-retryable-type-unknown app/shared.py:7']);
    expect(findings[0]!.message).toContain('The retry policy of 2 activity calls (workflow.execute_activity for charge and workflow.execute_activity for refund)');
    expect(findings[0]!.message).toContain("non_retryable_error_types with its module path");
    expect(findings[0]!.message).toContain("(type(err).__name__ in the failure converter: 'CardDeclined')");
    // The bare 'ValueError' next to it matches and is not reported.
    expect(findings[0]!.data).toMatchObject({ unknownErrorTypes: ['payments.errors.CardDeclined'] });
  });
});

describe('workflow-unbounded-history: loops that only wait', () => {
  test('TypeScript: the lock wait in the update handler is left alone, the activity loop is reported', () => {
    expect(of('wait-only-loops', 'workflow-unbounded-history').map(where)).toEqual(['warning workflow-unbounded-history src/workflows.ts:28']);
  });

  test('Python: the lock wait in the update handler is left alone, the activity loop is reported', () => {
    expect(of('python-wait-only-loops', 'workflow-unbounded-history').map(where)).toEqual(['warning workflow-unbounded-history app/workflows.py:19']);
  });
});
