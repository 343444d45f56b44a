// Worker options compared with the activities the worker really runs: a grace time far shorter
// than its long attempts, a heartbeat throttle forced below a second, one slot pool shared by
// short and long activities, and the deprecated build-id versioning API.

import { beforeAll, describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import type { Finding } from '../../../src/engine/types.js';
import { fixtureReview, where } from './fixture-review.js';

const CHECKS = ['worker-shutdown-grace-missing', 'worker-heartbeat-throttle-low', 'worker-activity-slots-shared', 'worker-build-id-versioning-deprecated'];
let findings: Finding[];
const of = (id: string) => findings.filter((f) => f.checkId === id);

beforeAll(() => {
  const review = fixtureReview('worker-config-capacity');
  findings = runChecks({ root: review.root, config: review.config, checks: checks.filter((c) => CHECKS.includes(c.id)), model: review.model }).findings;
}, 120_000);

describe('worker-shutdown-grace-missing with a grace time set but shorter than the attempts', () => {
  it('warns where a long activity that reacts to cancellation keeps no progress, notes the others, and is silent for short or resuming activities', () => {
    expect(where(of('worker-shutdown-grace-missing')).sort()).toEqual([
      'worker-shutdown-grace-missing info src/worker-archive.ts:15',
      'worker-shutdown-grace-missing info src/worker-mailbox.ts:15',
      'worker-shutdown-grace-missing info src/worker-quiet.ts:24',
      'worker-shutdown-grace-missing info src/worker-reports.ts:15',
      'worker-shutdown-grace-missing warning src/worker-indexing.ts:15',
      'worker-shutdown-grace-missing warning src/worker-nograce.ts:9',
    ]);
  });

  it('names the long activity a worker without a grace time cuts off', () => {
    const none = of('worker-shutdown-grace-missing').find((f) => f.file === 'src/worker-nograce.ts')!;
    expect(none.message).toContain('does not set shutdownGraceTime (default 0)');
    expect(none.message).toContain('indexRepository may run for up to 2h per attempt (startToCloseTimeout), and the next attempt starts over');
  });

  it('states both durations and names the activities', () => {
    const indexing = of('worker-shutdown-grace-missing').find((f) => f.file === 'src/worker-indexing.ts')!;
    expect(indexing.message).toContain("sets shutdownGraceTime to '5s', but its activities may run far longer per attempt (startToCloseTimeout): indexRepository (up to 2h) and syncMailbox (up to 1h).");
    expect(indexing.message).toContain('cancels the activities still running 5s after the stop');
    expect(indexing.message).toContain('indexRepository reacts to cancellation and records no heartbeat, so the attempt fails and the next one starts from the beginning: up to 2h of work is lost');
    expect(indexing.message).toContain('syncMailbox heartbeats and reads heartbeatDetails, so the next attempt can continue from the last progress recorded.');
    expect(indexing.fix).toContain('Make indexRepository resumable');
  });

  it('keeps a grace time from the environment a note, and counts only the proxies that send the activity to this queue', () => {
    const mailbox = of('worker-shutdown-grace-missing').find((f) => f.file === 'src/worker-mailbox.ts')!;
    expect(mailbox.message).toContain('The grace time is the default of process.env.GRACE_TIME');
    expect(mailbox.message).toContain('The timeouts of buildReport (under 30 minutes) may be a generous cap on shorter work.');
    const reports = of('worker-shutdown-grace-missing').find((f) => f.file === 'src/worker-reports.ts')!;
    expect(reports.message).toContain('buildReport (up to 15m)');
    expect(reports.message).not.toContain('3h');
    const archive = of('worker-shutdown-grace-missing').find((f) => f.file === 'src/worker-archive.ts')!;
    expect(archive.message).toContain('archiveMailbox heartbeats: the next attempt continues where the last one stopped only if the progress goes into the heartbeat details');
  });
});

describe('worker-heartbeat-throttle-low', () => {
  it('warns on a throttle below a second over long activities that heartbeat in their work, and is silent otherwise', () => {
    expect(where(of('worker-heartbeat-throttle-low'))).toEqual([
      'worker-heartbeat-throttle-low warning src/worker-archive.ts:16',
      'worker-heartbeat-throttle-low info src/worker-built.ts:23',
    ]);
    const finding = of('worker-heartbeat-throttle-low')[0]!;
    expect(finding.message).toContain("sets maxHeartbeatThrottleInterval to '500ms': archiveMailbox can then send the server a heartbeat call every 500ms (2 per second) for each running attempt, instead of every 48s");
    expect(finding.message).toContain('up to 16 calls per second from each worker process');
  });

  it('keeps a worker whose activities cannot be read a note, at the worker rather than at the constant', () => {
    const built = of('worker-heartbeat-throttle-low').find((f) => f.file === 'src/worker-built.ts')!;
    expect(built.message).toContain('sets maxHeartbeatThrottleInterval to 250 (ms)');
    expect(built.message).toContain('Which activities it registers cannot be read here');
  });
});

describe('worker-activity-slots-shared', () => {
  it('notes one fixed pool serving both short and long activities, and not a 15-minute cap or a long run sent to another queue', () => {
    expect(where(of('worker-activity-slots-shared'))).toEqual([
      'worker-activity-slots-shared info src/worker-indexing.ts:13',
      'worker-activity-slots-shared info src/worker-nograce.ts:13',
    ]);
    const finding = of('worker-activity-slots-shared')[0]!;
    expect(finding.message).toContain('runs long activities (indexRepository up to 2h and syncMailbox up to 1h) and short ones (lookupPrice and sendReceipt, at most 1m) from one pool of 32 activity slots');
  });
});

describe('worker-build-id-versioning-deprecated', () => {
  it('notes useVersioning: true with a buildId, not workerDeploymentOptions', () => {
    expect(where(of('worker-build-id-versioning-deprecated'))).toEqual([
      'worker-build-id-versioning-deprecated info src/worker-built.ts:21',
      'worker-build-id-versioning-deprecated info src/worker-versioned.ts:17',
    ]);
    expect(of('worker-build-id-versioning-deprecated')[0]!.message).toContain('useVersioning: true with buildId = version) on some paths');
    expect(of('worker-build-id-versioning-deprecated')[1]!.message).toContain("useVersioning: true with buildId 'pricing-2026-12-01'");
  });
});
