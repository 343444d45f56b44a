// A memoised singleton (`if (!CONFIG) { CONFIG = loadConfig(); } return CONFIG;`) that the worker's
// creating function loads before Worker.create is set before any activity runs: its file reads and
// its throws are start-up failures of the worker, not failures of the activities that read it.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('retries-startup-config');
});

describe('activities that read a singleton the worker loads at start-up', () => {
  it('runs in memory and throws nothing of the loader; a singleton first loaded by the activity keeps its I/O and throws', () => {
    const findings = fixture.findings(['activity-retry-policy-missing']);
    expect(findings.map(where).slice(0, 2)).toEqual([
      { checkId: 'activity-retry-policy-missing', severity: 'info', file: 'src/workflows.ts', line: 4 },
      { checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 6 },
    ]);
    expect(findings[0]!.message).toContain('settings performs no I/O');
    expect(findings[0]!.data).toMatchObject({ inMemory: true, retriedThrows: [] });
    expect(findings[1]!.data).toMatchObject({ retriedThrows: [{ type: 'Error', activity: 'secretNames', file: 'src/config.ts', line: 31 }] });
  });

  it('does not count the guard of a client set once through a setter the start-up code calls; a setter nothing calls keeps its throw', () => {
    const finding = fixture.findings(['activity-retry-policy-missing']).find((f) => f.line === 14)!;
    expect(where(finding)).toEqual({ checkId: 'activity-retry-policy-missing', severity: 'warning', file: 'src/workflows.ts', line: 14 });
    // getChat's guard (chat.ts:15) is set up by setChat in worker.ts; getAudit's (chat.ts:24) is never set.
    expect(finding.data).toMatchObject({ retriedThrows: [{ type: 'Error', activity: 'record', file: 'src/chat.ts', line: 24 }] });
  });
});
