// The server's timeout deduction (TEMPORAL-FACTS.md section 2; the command checker): 0 means unset,
// scheduleToClose fills and caps startToClose and scheduleToStart, heartbeat is capped at
// startToClose, and neither startToClose nor scheduleToClose is rejected.

import { describe, expect, it } from 'vitest';
import { effectiveTimeouts } from '../../../src/engine/activity-policy/effective-timeouts.js';
import { readActivityOptions } from '../../../src/engine/activity-policy/read-options.js';
import type { StaticValue } from '../../../src/model/typescript/types.js';
import { literalObject } from '../helpers/static-values.js';

function timeoutsOf(options: StaticValue) {
  const t = effectiveTimeouts(readActivityOptions(options));
  const ms = (x: typeof t.startToClose) => (x.known ? x.ms : 'unknown');
  return { accepted: t.accepted, scheduleToClose: ms(t.scheduleToClose), startToClose: ms(t.startToClose), scheduleToStart: ms(t.scheduleToStart), heartbeat: ms(t.heartbeat) };
}

const unlimited = Number.POSITIVE_INFINITY;

describe('effectiveTimeouts', () => {
  it('fills startToClose and scheduleToStart from scheduleToClose', () => {
    expect(timeoutsOf(literalObject({ scheduleToCloseTimeout: '5m' }))).toEqual({
      accepted: true, scheduleToClose: 300_000, startToClose: 300_000, scheduleToStart: 300_000, heartbeat: unlimited,
    });
  });

  it('caps startToClose and scheduleToStart at scheduleToClose', () => {
    expect(timeoutsOf(literalObject({ scheduleToCloseTimeout: '1m', startToCloseTimeout: '5m', scheduleToStartTimeout: '2m' }))).toMatchObject({
      startToClose: 60_000, scheduleToStart: 60_000,
    });
  });

  it('leaves scheduleToClose and scheduleToStart unlimited with startToClose alone', () => {
    expect(timeoutsOf(literalObject({ startToCloseTimeout: '30s' }))).toEqual({
      accepted: true, scheduleToClose: unlimited, startToClose: 30_000, scheduleToStart: unlimited, heartbeat: unlimited,
    });
  });

  it('caps heartbeat at startToClose', () => {
    expect(timeoutsOf(literalObject({ startToCloseTimeout: '30s', heartbeatTimeout: '1m' })).heartbeat).toBe(30_000);
  });

  it('treats 0 as unset', () => {
    expect(timeoutsOf(literalObject({ startToCloseTimeout: '30s', scheduleToCloseTimeout: 0 })).scheduleToClose).toBe(unlimited);
  });

  it('rejects neither startToClose nor scheduleToClose: in the SDK when both are absent, at the server for 0 or null', () => {
    expect(timeoutsOf(literalObject({ scheduleToStartTimeout: '1m' })).accepted).toEqual({ rejectedBy: 'sdk' });
    expect(timeoutsOf(literalObject({ startToCloseTimeout: 0 })).accepted).toEqual({ rejectedBy: 'server' });
  });

  it('cannot tell what an unresolved value leaves', () => {
    const options: StaticValue = { kind: 'unknown', text: 'loadOptions()', location: { file: '/x.ts', line: 1, column: 1 } };
    expect(timeoutsOf(options)).toEqual({ accepted: 'unknown', scheduleToClose: 'unknown', startToClose: 'unknown', scheduleToStart: 'unknown', heartbeat: 'unknown' });
  });
});
