// worker-task-queue-versioned: a task queue named with the release (package.json version, an env
// var like GIT_SHA) is a note; a fixed name is not.

import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/worker-task-queue-versioned.js';
import { fixtureReview, where } from './fixture-review.js';

describe('worker-task-queue-versioned', () => {
  it('notes the queues named with the package version and GIT_SHA, not the fixed one', { timeout: 120_000 }, () => {
    const findings = fixtureReview('versioned-task-queue').run(check);
    expect(where(findings)).toEqual(['worker-task-queue-versioned info src/worker.ts:9', 'worker-task-queue-versioned info src/worker.ts:14']);
    expect(findings[0]!.message).toContain('named with the version in package.json');
    expect(findings[1]!.message).toContain('named with process.env.GIT_SHA');
  });
});
