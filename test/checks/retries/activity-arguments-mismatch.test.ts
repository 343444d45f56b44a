// activity-arguments-mismatch over test/fixtures/python-activity-arguments.
//
// The SDK facts (temporalio 1.35.0): workflow.execute_activity / start_activity (and the local and
// _method forms) hand the arguments to workflow_start_activity as they are, with no count check
// (worker/_workflow_instance.py). The activity worker decodes the payloads, keeping the function's
// type hints only when their count equals the payloads' (worker/_activity.py, _execute_activity),
// and calls input.fn(*input.args): one argument too many or a required parameter without one
// raises TypeError before the body runs, a retryable failure of type "TypeError" on every attempt.
// The worker registers a method activity bound (inventory.reserve), so self takes no argument.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-arguments');
let found: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  found = findings.filter((f) => f.checkId === 'activity-arguments-mismatch');
}, 120_000);

describe('activity-arguments-mismatch (Python)', () => {
  test('too many arguments, a required parameter left out, a local activity, a method, a string name, a start by keyword', () => {
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-arguments-mismatch error app/workflows.py:15',
      'activity-arguments-mismatch error app/workflows.py:16',
      'activity-arguments-mismatch error app/workflows.py:25',
      'activity-arguments-mismatch error app/workflows.py:26',
      'activity-arguments-mismatch error app/workflows.py:27',
      'activity-arguments-mismatch error app/workflows.py:28',
      'activity-arguments-mismatch error app/workflows.py:29',
    ]);
    const [group, item, notify, ping, reserve, price, started] = found;
    expect(group!.message).toContain('workflow.execute_activity(...) calls activity create_group with 2 arguments (args=[group_id, config]), but create_group(group_config: dict) takes exactly 1 argument, not 2.');
    expect(group!.message).toContain('every attempt raises TypeError');
    expect(group!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual(['app/activities.py:16 create_group(group_config: dict) takes exactly 1 argument']);
    expect(item!.message).toContain('with 3 arguments (args=[group_id, config, "hash"]), but create_item(item_config: dict) takes exactly 1 argument, not 3');
    expect(notify!.message).toContain('with no argument, but notify(channel: str, text: str = "") takes from 1 to 2 arguments, not 0: a required parameter gets no argument');
    expect(ping!.message).toContain('workflow.execute_local_activity(...) calls local activity ping with one argument (group_id), but ping() takes no argument, not 1');
    expect(reserve!.message).toContain('Inventory.reserve(sku: str, quantity: int) takes exactly 2 arguments, not 1: a required parameter gets no argument');
    expect(price!.message).toContain('calls activity lookup-price with 2 arguments');
    expect(started!.message).toContain('workflow.start_activity(...) calls activity create_group with 2 arguments');
  });

  test('left alone: counts that fit, *args, an extra decorator, a required keyword-only parameter, uncountable args, a name no project activity has', () => {
    const lines = found.map((f) => f.line);
    for (let line = 31; line <= 45; line++) expect(lines).not.toContain(line);
  });
});
