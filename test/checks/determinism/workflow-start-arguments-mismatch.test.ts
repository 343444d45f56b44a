// workflow-start-arguments-mismatch over test/fixtures/python-start-arguments.
//
// The SDK facts (temporalio 1.35.0, worker/_workflow_instance.py, and run once on a real worker
// against the dev server): _make_workflow_input decodes the start's payloads with
// _convert_payloads, which drops the run method's type hints when their count differs from the
// payloads' (so the converter does not reject the count itself), and execute_workflow calls
// run_fn(instance, *args). One argument too many ("run() takes from 2 to 3 positional arguments
// but 4 were given") or a required parameter without one ("missing 1 required positional
// argument") raises TypeError there; _run_top_level_workflow_function fails the workflow only for
// a FailureError, a TimeoutError or a configured failure_exception_types class, so the workflow
// *task* fails and the workflow stays Running. A run method with *args takes any count.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-start-arguments');
let found: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  found = findings.filter((f) => f.checkId === 'workflow-start-arguments-mismatch');
}, 120_000);

describe('workflow-start-arguments-mismatch', () => {
  test('too many arguments through a dict of names, a required parameter left out, a child start with an extra argument', () => {
    expect(found.filter((f) => f.file !== 'app/spreads.py').map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-start-arguments-mismatch error app/starts.py:12',
      'workflow-start-arguments-mismatch error app/starts.py:21',
      'workflow-start-arguments-mismatch error app/starts.py:22',
      'workflow-start-arguments-mismatch error app/workflows.py:30',
    ]);
    const [byMap, none, pair, child] = found.filter((f) => f.file !== 'app/spreads.py');
    // Only the candidate whose run method cannot take 3 arguments: ReviewWorkflow takes them.
    expect(byMap!.message).toContain('by a name read from workflow_map.get(task["kind"]) with 3 arguments');
    expect(byMap!.message).toContain('when the key is "refresh" it starts RefreshWorkflow, whose run(customer_id: str, days_before: int = 365) takes from 1 to 2 arguments, not 3');
    expect(byMap!.message).not.toContain('ReviewWorkflow');
    expect(byMap!.message).toContain('the workflow task fails');
    expect(byMap!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:15', 'app/starts.py:9']);
    expect(none!.message).toContain('OrderWorkflow.run(order: Order) takes exactly 1 argument, not 0: a required parameter gets no argument');
    expect(pair!.message).toContain('PairWorkflow.run(left, right, /, *, mode: str = "fast") takes exactly 2 arguments, not 1');
    expect(child!.message).toContain('starts child workflow RefreshWorkflow with 3 arguments (args=[order.id, 30, "extra"])');
  });

  test('left alone: defaults, *args, positional-only parameters, an args list that cannot be counted, an unknown type, a changed map, a project wrapper', () => {
    const lines = found.map((f) => `${f.file}:${f.line}`);
    // workflows.py:31 (one argument, the second has a default); starts.py:27-28 (defaults),
    // 30 (*args), 32 (positional-only, keyword-only with a default), 34-35 (args=extra,
    // [x, *extra]), 37 (a type no class defines), 43 (the map is updated), 55 (self.start_workflow
    // is the class's own method).
    for (const line of ['app/workflows.py:31', 'app/starts.py:27', 'app/starts.py:28', 'app/starts.py:30', 'app/starts.py:32', 'app/starts.py:34', 'app/starts.py:35', 'app/starts.py:37', 'app/starts.py:43', 'app/starts.py:55']) {
      expect(lines).not.toContain(line);
    }
  });
});

describe('workflow-start-arguments-mismatch: workflow parameters expanded into keyword arguments', () => {
  test('a parameter named for the arguments (warning) and a literal dict with a key the start does not take (error)', () => {
    const spreads = found.filter((f) => f.file === 'app/spreads.py');
    expect(spreads.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-start-arguments-mismatch warning app/spreads.py:11',
      'workflow-start-arguments-mismatch error app/spreads.py:21',
    ]);
    const [byParameter, literal] = spreads;
    expect(byParameter!.message).toContain('client.start_workflow(...) expands **args into keyword arguments');
    expect(byParameter!.message).toContain('TypeError');
    expect(byParameter!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/spreads.py:10']);
    expect(literal!.message).toContain("with key 'customer_id' that the call does not take");
  });

  test('left alone: a dict of start options, an options parameter, a call that passes the argument itself, a **params forwarder', () => {
    const lines = found.map((f) => `${f.file}:${f.line}`);
    for (const line of ['app/spreads.py:25', 'app/spreads.py:29', 'app/spreads.py:33', 'app/spreads.py:37']) expect(lines).not.toContain(line);
  });
});
