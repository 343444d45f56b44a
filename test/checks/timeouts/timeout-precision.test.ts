// Timeout findings that must rest on evidence (issue 13, patterns G and K, and one finding per
// root cause), over test/fixtures/retries-precision: heartbeat handed to helpers as a callback,
// short activities with an ordinary startToClose, a loop shared by two activities, and many
// proxies without scheduleToStartTimeout in a project without the alert.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('retries-precision');
});

const only = (checkId: string) => fixture.findings([checkId]);

describe('heartbeat passed as a callback', () => {
  it('counts heartbeat handed to a helper that calls it: directly, through Context, two helpers deep, in an options object, destructured', () => {
    const activities = fixture.model.activities.filter((a) => a.name.startsWith('import'));
    const heartbeating = activities.filter((a) => a.heartbeat !== null).map((a) => a.name).sort();
    expect(heartbeating).toEqual(['importDestructured', 'importDirect', 'importNested', 'importThroughContext', 'importWithOptions']);
    const direct = activities.find((a) => a.name === 'importDirect')!;
    // The heartbeat happens where the helper calls its onProgress parameter.
    expect(direct.heartbeat!.location).toMatchObject({ file: expect.stringMatching(/stages\.ts$/), line: 6 });
  });

  it('reports no loop and no silent heartbeatTimeout for them, and still reports the helper that never calls what it is given', () => {
    expect(only('activity-heartbeat-timeout-without-heartbeat')).toEqual([]);
    // The loop sits in a helper only importIgnored reaches: reported at importIgnored's call into it.
    const loops = only('activity-long-loop-without-heartbeat').filter((f) => f.related?.some((r) => r.file === 'src/activities/stages.ts'));
    expect(loops.map(where)).toEqual([{ checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities/imports.ts', line: 26 }]);
    expect(loops[0]!.related?.[0]).toMatchObject({ file: 'src/activities/stages.ts', line: 29, message: 'the loop' });
    expect(loops[0]!.message).toContain('importIgnored loops over awaits');
  });
});

describe('activity-heartbeat-timeout-missing on evidence', () => {
  it('warns on a sleep and a child process; info on a startToClose of 30 minutes over short code and when the implementation is missing', () => {
    expect(only('activity-heartbeat-timeout-missing').map(where)).toEqual([
      // callPartner builds a string: the 30 minutes are a generous cap, not a sign of a long run.
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'info', file: 'src/workflows/short.ts', line: 13 },
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'warning', file: 'src/workflows/short.ts', line: 15 },
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'warning', file: 'src/workflows/short.ts', line: 17 },
      { checkId: 'activity-heartbeat-timeout-missing', severity: 'info', file: 'src/workflows/short.ts', line: 19 },
    ]);
    const [patient, sleeper, renderer, partner] = only('activity-heartbeat-timeout-missing');
    expect(patient!.message).toContain('callPartner may run up to 30m');
    expect(patient!.message).toContain('The activities look short');
    expect(sleeper!.message).toContain('waitForExport sleeps');
    expect(renderer!.message).toContain('renderVideo waits on a child process');
    expect(partner!.message).toContain('its implementation was not found');
  });

  it('says nothing about a config read, one call or a regex exec under a 1 minute startToClose', () => {
    const lines = only('activity-heartbeat-timeout-missing').map((f) => f.line);
    expect(lines).not.toContain(11);
    expect(lines).not.toContain(21);
  });
});

describe('loops and calls that do not make an activity long-running', () => {
  it('ignores a loop over a short literal list, a counted retry loop that returns on success, and backoff sleeps in it or in a catch', () => {
    expect(fixture.findings().filter((f) => f.file === 'src/activities/maintenance.ts' || f.file === 'src/workflows/maintenance.ts').filter((f) => f.checkId !== 'activity-schedule-to-start-missing' && f.severity !== 'info').map(where)).toEqual([]);
    const release = fixture.model.activities.find((a) => a.name === 'releaseLease')!;
    expect(release.longRunning).toEqual([]);
    const recursive = fixture.model.activities.find((a) => a.name === 'waitForNamespace')!;
    expect(recursive.longRunning).toEqual([]);
  });

  it('does not take function composition (a pipe() that is not from node:stream) for a stream', () => {
    const normalize = fixture.model.activities.find((a) => a.name === 'normalizeTags')!;
    expect(normalize.longRunning).toEqual([]);
  });
});

describe('one finding per root cause', () => {
  it('reports a loop shared by two activities once, at the loop, naming both activities and both proxies', () => {
    const shared = only('activity-long-loop-without-heartbeat').filter((f) => f.file === 'src/activities/sync.ts');
    // One quick call per id under short attempts: info since the quick-loop rule (long only if ids holds thousands).
    expect(shared.map(where)).toEqual([{ checkId: 'activity-long-loop-without-heartbeat', severity: 'info', file: 'src/activities/sync.ts', line: 10 }]);
    expect(shared[0]!.message).toContain('run by syncCustomers and syncOrders');
    expect(shared[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual([
      'src/activities/sync.ts:1',
      'src/activities/sync.ts:5',
      'src/workflows/sync.ts:4',
      'src/workflows/sync.ts:6',
    ]);
    expect(shared[0]!.data).toMatchObject({ activityTypes: ['syncCustomers', 'syncOrders'] });
  });

  it('reports the missing schedule-to-start alert once, at the first proxy, with every other proxy as a related location', () => {
    const findings = only('activity-schedule-to-start-missing');
    expect(findings.map(where)).toEqual([{ checkId: 'activity-schedule-to-start-missing', severity: 'warning', file: 'src/workflows/imports.ts', line: 4 }]);
    expect(findings[0]!.message).toContain('16 activity proxies');
    expect(findings[0]!.related).toHaveLength(15);
    expect(findings[0]!.related![0]).toMatchObject({ file: 'src/workflows/maintenance.ts', line: 4 });
  });
});
