// A module-level proxy reached only from `defineFlow({...})` config objects (test/fixtures/
// unreached-proxy, src/workflows/kit.ts): no workflow function Temporal can run reaches it, so its
// options never apply. No retry or timeout finding is anchored on it, and a finding about an
// activity it shares with a live proxy quotes the live proxy's timeout (5m, not 10m). A proxy used
// by a plain helper that a workflow calls (shelve in shelving.ts) stays reached.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { review } from '../../src/review.js';
import { fixtureReview } from './capacity/fixture-review.js';

const root = path.resolve(import.meta.dirname, '..', 'fixtures', 'unreached-proxy');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('a proxy no workflow function reaches', () => {
  test('the model marks it with the values its uses end in; live proxies stay unmarked', () => {
    const proxies = fixtureReview('unreached-proxy').model.activityProxies;
    expect(proxies.map((p) => [`${p.location.file.split('/src/')[1]}:${p.location.line}`, p.unreachedFrom])).toEqual([
      ['workflows/kit.ts:4', ['legacyFlow']],
      ['workflows/shelving.ts:4', undefined],
      ['workflows/shelving.ts:5', undefined],
      ['workflows/shelving.ts:6', undefined],
    ]);
  });

  test('no proxy finding is anchored on it', () => {
    expect(findings.filter((f) => f.file === 'src/workflows/kit.ts').map((f) => `${f.checkId} ${f.line}`)).toEqual([]);
    expect(findings.filter((f) => f.checkId === 'activity-retry-policy-missing').map((f) => `${f.file}:${f.line}`)).toEqual(['src/workflows/shelving.ts:4', 'src/workflows/shelving.ts:5', 'src/workflows/shelving.ts:6']);
  });

  test("a long-loop finding quotes the reached proxy's startToCloseTimeout", () => {
    const loop = findings.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat' && f.line === 3);
    expect(loop.map((f) => `${f.file}:${f.line}`)).toEqual(['src/activities.ts:3']);
    expect(loop[0]!.message).toContain('Every call site caps an attempt at 5m or less');
    expect(loop[0]!.message).not.toContain('10m');
  });
});

// A poll until `const hardDeadline = Date.now() + 25 min` is bounded by time: the message says so
// instead of "no bound on its turns", and keeps the missing heartbeat.
describe('a poll until a deadline on the clock', () => {
  test('is reported as running up to the deadline, not as unbounded', () => {
    const loop = findings.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat' && f.line === 17);
    expect(loop.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['activity-long-loop-without-heartbeat warning src/activities.ts:17']);
    expect(loop[0]!.message).toContain('it sleeps between looks until a deadline on the clock, for up to 25m (bounded by hardDeadline)');
    expect(loop[0]!.message).not.toContain('no bound on its turns');
    expect(loop[0]!.message).toContain('never calls heartbeat()');
  });
});

// A loop inside `void (async () => { for await ... })()` runs in the background: the activity
// (narrateShelving) waits on its fetch, not on that loop. A `for await` the activity runs itself
// (readChapters) is still reported.
describe('a loop in a detached async task', () => {
  test("is not the activity's own long loop", () => {
    const lines = findings.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat').map((f) => `${f.file}:${f.line}`);
    expect(lines).toEqual(['src/activities.ts:3', 'src/activities.ts:17', 'src/activities.ts:40']);
  });
});
