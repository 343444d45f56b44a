// workflow-start-before-commit (Python), other transaction shapes: a start inside Django's
// `with transaction.atomic():` after `Model.objects.create(...)` (through a wrapper run by
// asyncio.run), and a start after `session.execute(update(...))` whose value the workflow gets.
// Nothing for a start handed to `transaction.on_commit`, or after an execute that only reads.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-start-before-commit-variants');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-start-before-commit (Python): transaction shapes', () => {
  it('reports an atomic block and an uncommitted update, not on_commit or a read', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-start-before-commit');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-start-before-commit warning app/starts.py:20',
      'workflow-start-before-commit warning app/starts.py:31',
    ]);
    expect(mine[0]!.message).toContain('create_with_atomic starts OrderWorkflow (client.start_workflow in start_order_workflow, starts.py:14) with order.id after `Order.objects.create(customer=customer)` (line 19) and inside `with transaction.atomic()` (line 18), which commits only when the block ends');
    expect(mine[1]!.message).toContain('mark_and_start starts OrderWorkflow (client.start_workflow in start_order_workflow, starts.py:14) with order_id after `session.execute(update(Order).where(Order.id == order_id).values(status="star...` (line 30) and before `session.commit()` (line 32)');
  });
});
