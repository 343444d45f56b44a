// activity-failure-returned on Python, the deciding clause: an except that tests the exception
// (`if isinstance(e, CarrierError): return {...} else: return {...}`) is reported when every branch
// returns a failure marker, with a note when no workflow call reads the failure. Not a clause where
// one branch answers success, does work of its own, or raises again; not a clause that takes only a
// validation error; not a try whose only awaited call is a project function that raises nothing.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity-failure-returned on Python: clauses that test the exception', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: path.join(fixturesDir, 'python-activity-failure-deciding'), config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-failure-returned');
  }, 120_000);

  it('reports the clauses whose every branch returns a failure marker, and nothing else', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-failure-returned', severity: 'warning', file: 'app/activities.py', line: 18 },
      // sync_partner: the workflow tests `synced["ok"]` and returns on it, so a note.
      { checkId: 'activity-failure-returned', severity: 'info', file: 'app/activities.py', line: 32 },
    ]);
  });

  it('names the call and the value, and the workflow call that never reads the flag', () => {
    const [booked, synced] = findings;
    expect(booked!.message).toContain(
      'Activity book_shipment catches every exception of store.find_payments(...) (app/activities.py:11) and returns {"success": False, "error": str(e)} instead of raising',
    );
    expect(booked!.message).toContain(
      'No workflow call of book_shipment reads the failure (app/workflows.py:18): each drops the result or reads only its other fields',
    );
    expect(booked!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/activities.py:11', 'app/workflows.py:18']);
    expect(booked!.data?.['failureUnread']).toBe(true);
    // The workflow tests `synced["ok"]` and returns on it: no such note, it handles the failure.
    expect(synced!.message).toContain('Activity sync_partner catches every exception of store.set_visibility(...) (app/activities.py:25)');
    expect(synced!.message).not.toContain('No workflow call');
    expect(synced!.message).toContain('every workflow call of sync_partner tests it (`ok`; app/workflows.py:21) and acts on it');
    expect(synced!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/activities.py:25', 'app/workflows.py:21']);
  });
});
