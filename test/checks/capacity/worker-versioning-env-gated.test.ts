// Build-id versioning turned on by an environment comparison (`useVersioning: process.env.X === 'live'`),
// in options a helper builds and the worker spreads: the worker runs on the deprecated API wherever
// that environment is set. A comparison with anything but the environment is not read.
import { beforeAll, describe, expect, it } from 'vitest';
import buildIdVersioning from '../../../src/checks/capacity/worker-build-id-versioning-deprecated.js';
import type { Finding } from '../../../src/engine/types.js';
import { fixtureReview, where } from './fixture-review.js';

let findings: Finding[];

beforeAll(() => {
  findings = fixtureReview('versioning-env-gated').run(buildIdVersioning);
}, 120_000);

describe('worker-build-id-versioning-deprecated gated by the environment', () => {
  it('notes the environment comparison once for the two workers built from it, not the flag comparison', () => {
    expect(where(findings)).toEqual(['worker-build-id-versioning-deprecated info src/options.ts:10']);
    expect(findings[0]!.message).toContain("2 workers built from these options (the worker for task queue 'checkout', the worker for task queue 'refunds') turn on build-id Worker Versioning");
    expect(findings[0]!.message).toContain("useVersioning: true when process.env.DEPLOY_STAGE === 'live', with buildId 'local' (the default of process.env.RELEASE_SHA)");
    expect(findings[0]!.data).toMatchObject({ enabledWhen: "process.env.DEPLOY_STAGE === 'live'" });
  });
});
