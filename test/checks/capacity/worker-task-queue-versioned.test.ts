// worker-task-queue-versioned: a task queue named with the release (package.json version, an env
// var like GIT_SHA) is a note; a fixed name is not. With the repository's Kubernetes manifests the
// rollout is known: one workload updated in place is a warning, one workload per release nothing.

import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/worker-task-queue-versioned.js';
import { fixtureReview, where } from './fixture-review.js';

describe('worker-task-queue-versioned', () => {
  it('notes the queues named with the package version and GIT_SHA, not the fixed one', { timeout: 120_000 }, () => {
    const findings = fixtureReview('versioned-task-queue').run(check);
    expect(where(findings)).toEqual(['worker-task-queue-versioned info src/worker.ts:9', 'worker-task-queue-versioned info src/worker.ts:14']);
    expect(findings[0]!.message).toContain('named with the version in package.json');
    expect(findings[1]!.message).toContain('named with process.env.GIT_SHA');
    expect(findings[0]!.message).toContain('The repository has no Kubernetes manifest that shows how it is deployed.');
  });

  it('warns when the only Deployment of the worker (a kustomize base) is updated in place, naming the manifest', { timeout: 120_000 }, () => {
    const findings = fixtureReview('queue-deploy-in-place').run(check);
    expect(where(findings)).toEqual(['worker-task-queue-versioned warning apps/shipping-worker/src/worker.ts:9']);
    expect(findings[0]!.related).toEqual([{ file: 'deploy/shipping/base/deployment.yaml', line: 7, column: 1, message: 'Deployment shipping' }]);
    expect(findings[0]!.message).toContain(
      "It runs as Deployment shipping (deploy/shipping/base/deployment.yaml:7, RollingUpdate) (matched: its image is named for the worker's package), which is updated in place",
    );
  });

  it('reports nothing when the Helm chart names each release its own Deployment', { timeout: 120_000 }, () => {
    expect(where(fixtureReview('queue-deploy-per-release').run(check))).toEqual([]);
  });

  it('keeps the note when no manifest runs the worker, and says the manifests were read', { timeout: 120_000 }, () => {
    const findings = fixtureReview('queue-deploy-unmatched').run(check);
    expect(where(findings)).toEqual(['worker-task-queue-versioned info src/worker.ts:8']);
    expect(findings[0]!.message).toContain('None of the 1 Kubernetes workloads in the repository');
    expect(findings[0]!.related).toBeUndefined();
  });
});
