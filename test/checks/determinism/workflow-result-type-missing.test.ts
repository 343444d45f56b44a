// workflow-result-type-missing over test/fixtures/python-result-type-missing.
//
// The SDK facts (temporalio 1.35.0): worker/_workflow_instance.py, workflow_start_activity /
// workflow_start_local_activity / workflow_start_child_workflow start from `ret_type = result_type`
// and replace it with the definition's return hint (`defn.ret_type`) only when the activity or
// workflow is a callable; a string name keeps result_type, None when not given. The resolve jobs
// (_apply_resolve_activity, _apply_resolve_child_workflow_execution) then pass no type hint to the
// payload converter, and JSONPlainPayloadConverter.from_payload (converter/_payload_converter.py)
// returns json.loads(...) as is; temporalio.contrib.pydantic's converter validates against Any.
// Run on both converters, a dataclass and a pydantic BaseModel come back as dict without a hint and
// as the class with one. So `result.field` raises AttributeError in workflow code.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-result-type-missing');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

const found = () => findings.filter((f) => f.checkId === 'workflow-result-type-missing');

describe('workflow-result-type-missing', () => {
  test('reported at each call by name whose dataclass or model result is read as an object', () => {
    expect(found().map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      // passed to a helper that converts it, but never rebound: raw.region reads the dict
      'workflow-result-type-missing error app/rebind.py:50',
      // bound by a walrus and read
      'workflow-result-type-missing error app/rebind.py:52',
      // r = await execute_activity("score") ... r.total
      'workflow-result-type-missing error app/workflows.py:17',
      // a comprehension of calls, gathered, looped, appended to self._verdicts, read in a comprehension
      'workflow-result-type-missing error app/workflows.py:33',
      // the name from a dict of literals, two calls, one read
      'workflow-result-type-missing error app/workflows.py:50',
      // a child workflow by name; a start_activity handle awaited later
      'workflow-result-type-missing error app/workflows.py:67',
      'workflow-result-type-missing error app/workflows.py:68',
    ]);
    const [raw, walrused, direct, gathered, named, child] = found();
    expect(raw!.message).toContain('then reads raw.region (line 54) as a Verdict');
    expect(walrused!.message).toContain('then reads walrused.total (line 53) as a Score');
    expect(direct!.message).toContain('Workflow ScoreWorkflow calls activity "score" by name with workflow.execute_activity(...) and no result_type=, then reads r.total (line 18) as a Score');
    expect(direct!.message).toContain('AttributeError is not a FailureError, so the workflow task fails');
    expect(direct!.fix).toContain('Pass result_type=Score to workflow.execute_activity(...)');
    expect(direct!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:18']);
    // A pydantic model through a project base class; the except Exception takes the AttributeError.
    expect(gathered!.message).toContain('reads v.region (line 37) as a Verdict');
    expect(gathered!.message).toContain('an except clause around that read takes the error, so every run goes down its failure path');
    expect(named!.message).toContain('"judge" or "judge_strict"');
    expect(named!.message).toContain('1 more call by name reaches the same read (related locations).');
    expect(named!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:53', 'app/workflows.py:52']);
    expect(child!.message).toContain('calls child workflow "ChildWorkflow" by name with workflow.execute_child_workflow(...)');
    expect(child!.message).toContain('as a ChildOutcome');
  });

  test('left alone: a query handler, result_type, a function reference, dict / list / unknown results, a dict read, a rebuilt model, hasattr, except AttributeError', () => {
    // QuietWorkflow, lines 75-91; JudgeWorkflow's query handler reads a result at line 27 (its error goes to the caller).
    expect(found().filter((f) => f.file === 'app/workflows.py' && f.line! >= 73)).toEqual([]);
  });

  test('left alone when the name is bound again before the read: a tuple, list or starred unpacking of a helper that converts it, a walrus, a with, except, loop or match target, a chained assignment', () => {
    // ConvertWorkflow, lines 20-48: `unpacked, n = self._convert(unpacked, Verdict, n)` and the other forms.
    expect(found().filter((f) => f.file === 'app/rebind.py' && f.line! < 49)).toEqual([]);
  });

  test('left alone when the project decodes payloads with a converter of its own (pickle restores the class without a hint)', async () => {
    const own = await review({ dir: path.resolve(root, '..', 'python-result-type-own-converter'), config: undefined });
    expect(own.findings.filter((f) => f.checkId === 'workflow-result-type-missing')).toEqual([]);
  }, 120_000);
});
