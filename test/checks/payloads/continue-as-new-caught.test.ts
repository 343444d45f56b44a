// continue-as-new-caught over test/fixtures/continue-as-new-caught (TypeScript) and
// test/fixtures/python-continue-as-new-caught. The SDK facts the check rests on are in
// continue-as-new-caught-sdk.test.ts (a real worker and dev server) and docs/checks/continue-as-new-caught.md.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { findingsOf, where } from '../determinism/review-fixture.js';

const ID = 'continue-as-new-caught';

describe(`${ID} (TypeScript)`, () => {
  it('reports the catches that never throw the ContinueAsNew error again, and one that may', { timeout: 120_000 }, () => {
    const findings = findingsOf(ID, [ID]);
    // Left alone: a catch that rethrows (line 99), tests `instanceof ContinueAsNew` (108), rethrows
    // after an ApplicationFailure branch (118), a try with only a finally (129), `return
    // continueAsNew()` (not awaited, so the catch never sees it: 138), a catch that rethrows all
    // but ApplicationFailures (146), rethrows a const alias (156), tests through a project guard
    // (170), a continueAsNew after the try (181), and a catch that continues as new itself with
    // the same arguments (203).
    expect(where(findings)).toEqual([
      `${ID} error src/workflows.ts:11`,
      `${ID} error src/workflows.ts:21`,
      `${ID} error src/workflows.ts:33`,
      `${ID} error src/workflows.ts:49`,
      `${ID} error src/workflows.ts:59`,
      `${ID} error src/workflows.ts:67`,
      `${ID} error src/workflows.ts:77`,
      `${ID} warning src/workflows.ts:87`,
      `${ID} warning src/workflows.ts:192`,
      `${ID} info src/workflows.ts:216`,
    ]);
  });

  it('makes a note of a catch that throws the error again at its end, kept only under a check of the run state', { timeout: 120_000 }, () => {
    const finding = findingsOf(ID, [ID]).find((f) => f.line === 216)!;
    expect(finding.message).toContain('it throws it again at its end, but not when `cancelRequested` holds');
    expect(finding.related?.map((r) => `${r.line} ${r.message}`)).toEqual(['215 the continue-as-new the catch takes', '217 what decides whether the catch lets it out: cancelRequested']);
  });

  it('says what the catch does instead, and names the helper and the undecided condition', { timeout: 120_000 }, () => {
    const byLine = new Map(findingsOf(ID, [ID]).map((f) => [f.line, f]));
    expect(byLine.get(11)!.message).toContain('continueAsNew() at line 9 does not return: it throws a ContinueAsNew error');
    expect(byLine.get(11)!.message).toContain('Instead the run completes with what the catch returns');
    expect(byLine.get(21)!.message).toContain('Instead the run fails with the failure the catch throws');
    expect(byLine.get(33)!.message).toContain('the loop goes round again');
    // What not continuing costs: a failed or completed run stops; a loop that goes round grows its history.
    expect(byLine.get(21)!.message).toContain('so a workflow meant to run on in fresh runs stops at the first continue-as-new.');
    expect(byLine.get(33)!.message).toContain('keeps growing in one run (towards the 51,200-event / 50 MiB limit)');
    expect(byLine.get(21)!.message).not.toContain('keeps growing');
    expect(byLine.get(49)!.message).toContain('continueAsNew() at line 41 (in rollOver, which the try calls)');
    expect(byLine.get(49)!.related?.[0]).toMatchObject({ file: 'src/workflows.ts', line: 41 });
    expect(byLine.get(59)!.related?.[0]?.line).toBe(58);
    expect(byLine.get(87)!.message).toContain('whether it lets it out depends on `strict && err`');
    expect(byLine.get(87)!.message).toContain('When it does not, the run completes');
    expect(byLine.get(87)!.related?.[1]?.line).toBe(88);
    expect(byLine.get(192)!.message).toContain('it continues as new itself (continueAsNew<typeof catchContinuesAgain>(cursor)), with arguments other than those of the call it took.');
    expect(byLine.get(11)!.fix).toContain('if (err instanceof ContinueAsNew) throw err;');
  });
});

describe(`${ID} (Python)`, () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-continue-as-new-caught'), config: undefined }));
  }, 120_000);

  it('reports bare and BaseException clauses that do not raise it again; never except Exception', () => {
    const found = findings.filter((f) => f.checkId === ID);
    // Left alone: an isinstance(err, workflow.ContinueAsNewError) test that raises (56), `except
    // Exception` (64: ContinueAsNewError is a BaseException), a clause that raises again (71), a try
    // with only a finally (77), `except Exception` before an `except BaseException: raise` (84, 86).
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      `${ID} error sync/workflows.py:19`,
      `${ID} error sync/workflows.py:30`,
      `${ID} error sync/workflows.py:39`,
      `${ID} warning sync/workflows.py:46`,
    ]);
    const [bare, failure, helper, unclear] = found;
    expect(bare!.message).toContain('workflow.continue_as_new() at line 18 does not return: it raises ContinueAsNewError, a BaseException');
    expect(bare!.message).toContain('This `except:` takes it');
    expect(failure!.message).toContain('This `except BaseException as err` takes it');
    expect(helper!.message).toContain('(in _roll, which the try calls)');
    expect(helper!.related?.[0]?.line).toBe(34);
    expect(unclear!.message).toContain('depends on `self._strict`');
    expect(bare!.fix).toContain('catch `Exception` instead of everything');
  });
});
