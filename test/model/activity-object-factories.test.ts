// Activities collected in an object of curried factories (`const makers = { closeAccount, ... }`,
// each `(deps) => async (args) => {...}`), turned into the worker's activities by a helper and named
// by a mapped type over `typeof makers`. The activity is what each factory returns: its body is
// where throws, heartbeats and loops are read. The helper that builds the object is no activity.
import { beforeAll, describe, expect, test } from 'vitest';
import nonRetryableUncovered from '../../src/checks/retries/activity-non-retryable-errors-uncovered.js';
import heartbeatTimeoutMissing from '../../src/checks/timeouts/activity-heartbeat-timeout-missing.js';
import type { ActivityImplementation } from '../../src/model/typescript/types.js';
import { fixtureReview, where, type FixtureReview } from '../checks/capacity/fixture-review.js';
import { at } from './model-fixtures.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('activity-object-factories');
});

const activity = (name: string): ActivityImplementation => {
  const found = review.model.activities.find((a) => a.name === name);
  if (!found) throw new Error(`no activity ${name}`);
  return found;
};

describe('activities made by an object of curried factories behind a mapped type', () => {
  test('models each factory product under its property name, and not the helper that builds them', () => {
    expect(review.model.activities.map((a) => `${a.name}@${at(review.model, a.location)}`)).toEqual([
      'closeAccount@src/activities/close-account.ts:5',
      'exportStatements@src/activities/export-statements.ts:4',
      'pullRemote@src/activities/pull-remote.ts:4',
      'settleAccounts@src/activities/settle-accounts.ts:9',
    ]);
  });

  test('reads throws from the inner function and the heartbeat from the wrapper it is handed to', () => {
    expect(activity('closeAccount').thrownErrors.map((e) => `${e.type}@${e.location.line}`)).toEqual(['AccountFrozen@9']);
    expect(at(review.model, activity('exportStatements').heartbeat!.location)).toBe('src/activities/with-heartbeat.ts:5');
    expect(activity('exportStatements').parameterTypes.map((t) => review.model.checkerFor(activity('exportStatements').file)!.typeToString(t))).toEqual(['string[]']);
  });

  test('a business error of a product is reported on its proxy; an error that groups other failures is not', () => {
    const findings = review.run(nonRetryableUncovered);
    expect(where(findings)).toEqual(['activity-non-retryable-errors-uncovered info src/workflows.ts:4']);
    expect(findings[0]!.message).toContain('AccountFrozen');
    expect(findings[0]!.message).not.toContain('SettlementErrors');
  });

  test('a heartbeat nothing watches is a warning; a child process under a 30-second startToClose is not', () => {
    expect(where(review.run(heartbeatTimeoutMissing))).toEqual(['activity-heartbeat-timeout-missing warning src/statement-workflow.ts:4']);
  });
});
