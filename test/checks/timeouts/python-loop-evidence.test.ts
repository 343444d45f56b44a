// activity-long-loop-without-heartbeat on Python and evidence of a long run: a `while` that pages
// until a short page is a warning; a `for` over the roles of one member, whose number the code does
// not state, is info and says so.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-loop-evidence');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('activity-long-loop-without-heartbeat on Python and evidence of a long run', () => {
  test('warns on a paging while loop, and is info for a loop over a list of unknown size', () => {
    const loops = findings.filter((f) => f.checkId === 'activity-long-loop-without-heartbeat');
    expect(loops.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-long-loop-without-heartbeat warning app/activities.py:23',
      'activity-long-loop-without-heartbeat info app/activities.py:37',
    ]);
    expect(loops[0]!.message).toContain('it runs while `has_more`, set from a call awaited in the loop');
    expect(loops[1]!.message).toContain('it is long if `roles` holds thousands of items, or only a few when each turn is slow');
  });
});
