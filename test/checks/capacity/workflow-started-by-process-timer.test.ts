// workflow-started-by-process-timer: a workflow started on a timetable by a timer in the
// application process instead of a Temporal Schedule runs in every replica, and a period when
// the process is down is lost. Over test/fixtures/workflow-started-by-process-timer.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

describe('workflow-started-by-process-timer', () => {
  const findings = findingsOf('workflow-started-by-process-timer', ['workflow-started-by-process-timer']);

  it('reports starts run by node-cron, setInterval, a re-arming setTimeout and @Cron; not a one-shot setTimeout or a Schedule', () => {
    expect(where(findings)).toEqual([
      'workflow-started-by-process-timer info src/cron.ts:8',
      'workflow-started-by-process-timer warning src/interval.ts:8',
      'workflow-started-by-process-timer info src/loop.ts:7',
      'workflow-started-by-process-timer info src/nest.ts:12',
    ]);
    expect(findings.map((f) => f.data)).toEqual([
      { timer: 'node-cron', id: 'period' },
      { timer: 'setInterval', id: 'random' },
      { timer: 'setTimeout', id: 'fixed' },
      { timer: 'Cron', id: 'fixed' },
    ]);
    expect(findings[0]!.message).toContain('(node-cron schedule at src/cron.ts:11) instead of a Temporal Schedule');
    expect(findings[0]!.message).toContain('the workflow id (`digest-${day}`) is built from the date');
    expect(findings[1]!.message).toContain('the workflow id (`sync-${randomUUID()}`) is new at every start, so nothing dedupes them');
    expect(findings[1]!.message).toContain("every restart resets the timer's clock");
    expect(findings[3]!.message).toContain("the workflow id ('account-sync') is the same at every start");
    expect(findings[3]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/nest.ts:10']);
  });
});
