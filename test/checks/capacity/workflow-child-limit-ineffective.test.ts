// A limiter around startChild that does not wait for the child's result bounds the starts, not the
// running children; a limited function that awaits handle.result() or calls executeChild is fine.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/workflow-child-limit-ineffective.js';
import { fixtureReview, where } from './fixture-review.js';

describe('workflow-child-limit-ineffective', () => {
  const review = fixtureReview('workflow-child-limit-ineffective');
  const findings = review.run(check);

  it('warns on startChild under p-limit, p-queue, a semaphore and a limiting helper, and is silent when the child is awaited, executed or not limited', () => {
    expect(where(findings)).toEqual([
      'workflow-child-limit-ineffective warning src/workflows.ts:20',
      'workflow-child-limit-ineffective warning src/workflows.ts:29',
      'workflow-child-limit-ineffective warning src/workflows.ts:40',
      'workflow-child-limit-ineffective warning src/workflows.ts:86',
    ]);
  });

  it('names the limiter and says what the limit really bounds', () => {
    const [limited, queued, held] = findings;
    expect(limited!.message).toContain('startChild(shardIndex) runs under the p-limit limiter (pLimit(4))');
    expect(limited!.message).toContain('bounds how many children are being started, not how many run at the same time');
    expect(limited!.related?.[0]).toMatchObject({ file: 'src/workflows.ts', line: 16, message: 'the limiter' });
    expect(limited!.fix).toContain('await handle.result()');
    expect(queued!.message).toContain('the p-queue (new PQueue({ concurrency: 3 }))');
    expect(held!.message).toContain('the semaphore (new Semaphore(2))');
    expect(findings[3]!.message).toContain('the limiting helper (withConcurrencyLimit)');
  });
});
