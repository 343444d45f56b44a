// Code that cannot do what a finding says, over test/fixtures/ts-reachability:
// - a binding taken from a proxy that no workflow calls (notifyPartner) schedules nothing: no
//   retry-policy finding on its proxy, while the called ones (chargeCard, sendReceipt) keep theirs;
// - an activity that catches and logs every error (pollInbox) fails only by its 5-minute timeout,
//   so 3 attempts span more than a minute: no short-window finding; the same with a 5-second
//   timeout (pingFeed) or a catch that rethrows (refreshCache) stays a warning;
// - a start in a module nothing imports and nothing names (old-trigger.ts) is a note with the
//   reason; one imported by the starter (live-trigger.ts) or named by a package.json script
//   (named-trigger.ts) stays an error;
// - `maxRounds = Infinity` as a default bounds nothing: the loop is unbounded (a warning), while
//   `maxRounds = 20` bounds it.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { review } from '../../src/review.js';
import { fixtureReview } from './capacity/fixture-review.js';

const root = path.resolve(import.meta.dirname, '..', 'fixtures', 'ts-reachability');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

const of = (checkId: string): string[] => findings.filter((f) => f.checkId === checkId).map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);

describe('reachability of what a finding is about', () => {
  test('a proxy binding no workflow calls: no retry-policy finding; called ones keep theirs', () => {
    expect(of('activity-retry-policy-missing')).toEqual(['activity-retry-policy-missing info src/workflows.ts:23', 'activity-retry-policy-missing info src/workflows.ts:28']);
    const proxy = fixtureReview('ts-reachability').model.activityProxies.find((p) => p.location.line === 26)!;
    expect(proxy.usedActivityTypes).toEqual([]);
  });

  test('an activity that catches every error fails only by its timeout: no short window when attempts x timeout pass a minute', () => {
    expect(of('activity-retry-window-short')).toEqual(['activity-retry-window-short warning src/workflows.ts:12', 'activity-retry-window-short warning src/workflows.ts:18']);
    const activities = fixtureReview('ts-reachability').model.activities;
    expect(activities.find((a) => a.name === 'pollInbox')?.failuresCaught).toBe(true);
    expect(activities.find((a) => a.name === 'pingFeed')?.failuresCaught).toBe(true);
    expect(activities.find((a) => a.name === 'refreshCache')?.failuresCaught).toBeUndefined();
    expect(activities.find((a) => a.name === 'chargeCard')?.failuresCaught).toBeUndefined();
  });

  test('a start in a module nothing loads is a note with the reason; imported or script-named ones stay errors', () => {
    expect(of('workflow-not-registered')).toEqual([
      'workflow-not-registered error src/live-trigger.ts:6',
      'workflow-not-registered error src/named-trigger.ts:6',
      'workflow-not-registered info src/old-trigger.ts:6',
    ]);
    const note = findings.find((f) => f.checkId === 'workflow-not-registered' && f.file === 'src/old-trigger.ts')!;
    expect(note.message).toContain('src/old-trigger.ts is a module nothing loads');
  });

  test('a loop limit whose default is Infinity is no bound', () => {
    expect(of('workflow-unbounded-history').filter((f) => /:(51|61)$/.test(f))).toEqual([
      'workflow-unbounded-history warning src/workflows.ts:51',
      'workflow-unbounded-history info src/workflows.ts:61',
    ]);
    const endless = findings.find((f) => f.checkId === 'workflow-unbounded-history' && f.line === 51)!;
    expect(endless.data?.['bound']).toBe('none');
  });
});
