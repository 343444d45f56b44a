// workflow-failure-swallowed on asyncio.gather(..., return_exceptions=True) over lists the workflow
// builds first (fixture python-gather-unchecked): coroutines of a helper appended to a list, tasks
// made with create_task in a comprehension, child workflows appended. Results dropped or never read
// are warnings; a gather in a finally clause is a note. Results raised, a helper that handles its own
// failure, a best-effort comment and timers are left alone.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-gather-unchecked');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

const swallowed = () => findings.filter((f) => f.checkId === 'workflow-failure-swallowed');
const at = (line: number) => swallowed().find((f) => f.file === 'app/workflows.py' && f.line === line)!;

describe('workflow-failure-swallowed: gathered lists whose exceptions nobody checks', () => {
  test('reports the gathers over lists of activity and child workflow calls whose results nobody checks, and nothing else', () => {
    expect(swallowed().map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-failure-swallowed warning app/workflows.py:38',
      'workflow-failure-swallowed warning app/workflows.py:41',
      'workflow-failure-swallowed info app/workflows.py:48',
    ]);
  });

  test('coroutines of a helper appended to a list: reported at the gather, the helper named, the activity related', () => {
    const finding = at(38);
    expect(finding.message).toContain('asyncio.gather(..., return_exceptions=True) returns the failures of activity classify_items (called in _classify) as exception objects among the results, and nothing looks at them');
    expect(finding.message).toContain('A failed activity is not tried again beyond its own retry policy');
    expect(finding.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:13']);
    expect(finding.data).toMatchObject({ shape: 'gatherResults', results: 'dropped', via: '_classify' });
  });

  test('results held in a name nobody reads, tasks made with create_task', () => {
    expect(at(41).data).toMatchObject({ results: 'unread', call: 'activity collect_source' });
  });

  test('a child workflow gathered in a finally clause: a note that says so', () => {
    const finding = at(48);
    expect(finding.message).toContain("The failed child's own run shows as Failed");
    expect(finding.data).toMatchObject({ results: 'dropped', inCleanup: true });
  });
});
