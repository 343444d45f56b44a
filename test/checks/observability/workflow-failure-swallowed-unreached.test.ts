// workflow-failure-swallowed's returned shape when no call of the caught try can fail into the
// catch: activities retried without end, activities that return their failures as values (the
// facts activity-failure-returned reports) and a child workflow whose whole run is caught. A note
// that names why; a bounded activity that can throw keeps the warning. Over
// test/fixtures/workflow-failure-unreached (TypeScript) and test/fixtures/python-failure-unreached.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/observability/workflow-failure-swallowed.js';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-failure-swallowed: calls that cannot fail into the catch (TypeScript)', () => {
  const findings = fixtureReview('workflow-failure-unreached').run(check);

  it('makes notes of the catches no failure reaches and warns where a bounded activity can throw', () => {
    expect(where(findings)).toEqual([
      'workflow-failure-swallowed info src/workflows.ts:17',
      'workflow-failure-swallowed warning src/workflows.ts:29',
      'workflow-failure-swallowed info src/workflows.ts:38',
      'workflow-failure-swallowed info src/workflows.ts:55',
      'workflow-failure-swallowed warning src/workflows.ts:67',
    ]);
  });

  it('names the activity that returns its failures and the one retried without end', () => {
    const mixed = findings.find((f) => f.line === 17)!;
    expect(mixed.message).toContain(
      'Activity uploadOrder catches every error of its work and returns it as a value (see activity-failure-returned at src/activities.ts:13), and activity loadOrder retries without end (no maximum attempts, no schedule-to-close timeout): only a timeout of activity uploadOrder on its last attempt, a non-retryable failure or a cancellation reaches this catch',
    );
    expect(mixed.related!.map((r) => `${path.basename(r.file)}:${r.line}`)).toContain('activities.ts:13');
    expect(mixed.data).toMatchObject({ unreachable: { retriedWithoutEnd: ['activity loadOrder'], returnsFailures: ['activity uploadOrder'], childCannotFail: [] } });
    expect(mixed.data).not.toHaveProperty('retriedWithoutEnd');
  });

  it('keeps the warning when a bounded activity that throws shares the try, also in a callback written there', () => {
    expect(findings.find((f) => f.line === 29)!.data).not.toHaveProperty('unreachable');
    expect(findings.find((f) => f.line === 67)!.data).not.toHaveProperty('unreachable');
  });

  it('names a child workflow whose whole run is caught', () => {
    const child = findings.find((f) => f.line === 55)!;
    expect(child.message).toContain('Child workflow processOrder catches every error of its whole run and returns a value, so it always completes: only a conflict when starting the child, its timeout, its termination or a cancellation reaches this catch');
    expect(child.data).toMatchObject({ unreachable: { childCannotFail: ['child workflow processOrder'] } });
  });
});

describe('workflow-failure-swallowed: calls that cannot fail into the except clause (Python)', () => {
  const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-failure-unreached');
  let findings: Finding[];

  beforeAll(async () => {
    findings = (await review({ dir: root, config: undefined })).findings.filter((f) => f.checkId === 'workflow-failure-swallowed');
  }, 120_000);

  it('makes notes of the clauses no failure reaches and warns where a bounded activity can raise', () => {
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-failure-swallowed info app/workflows.py:22',
      'workflow-failure-swallowed warning app/workflows.py:35',
      'workflow-failure-swallowed info app/workflows.py:48',
      'workflow-failure-swallowed info app/workflows.py:67',
    ]);
  });

  it('names the activity that returns its failures and the one retried without end', () => {
    const mixed = findings.find((f) => f.line === 22)!;
    expect(mixed.message).toContain(
      'Activity upload_order catches every error of its work and returns it as a value (see activity-failure-returned at app/activities.py:28), and activity load_order retries without end (no maximum attempts, no schedule-to-close timeout): only a timeout of activity upload_order on its last attempt, a non-retryable failure or a cancellation reaches this except clause',
    );
    expect(findings.find((f) => f.line === 35)!.data).not.toHaveProperty('unreachable');
  });

  it('names a child workflow whose whole run is caught', () => {
    const child = findings.find((f) => f.line === 67)!;
    expect(child.message).toContain('Child workflow ProcessOrderWorkflow catches every error of its whole run and returns a value, so it always completes');
    expect(child.data).toMatchObject({ unreachable: { childCannotFail: ['child workflow ProcessOrderWorkflow'] } });
  });
});
