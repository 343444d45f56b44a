// Python: one activity writes a path on the worker's local disk (built by a shared helper class, or
// the same f-string in both activities) and another activity on the same task queue only reads or
// removes it. Not reported: a path written and read inside one activity, two activities that both
// create the path they use, a path outside the working directory and /tmp (a mount such as
// /mnt/reports may be shared storage), and activities scheduled on a task queue computed at run
// time (it may name one worker).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-local-file-handoff');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('activity-local-file-handoff (Python)', () => {
  it('reports each path one activity writes and another only reads or removes, where the path is built', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-local-file-handoff');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-local-file-handoff warning reports/activities.py:77',
      'activity-local-file-handoff warning reports/builder.py:11',
      'activity-local-file-handoff info reports/builder.py:13',
    ]);
  });

  it('names the path, the activities and where each one uses it', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-local-file-handoff');
    const scratch = mine.find((f) => f.file === 'reports/builder.py' && f.line === 11)!;
    expect(scratch.message).toContain("`scratch/{report_id}` is a path on the worker's local disk: gather_rows writes it (at reports/activities.py:12)");
    expect(scratch.message).toContain('later render_report reads it (at reports/activities.py:18)');
    expect(scratch.fix).toContain('worker-specific task queue');
    expect(scratch.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      'reports/activities.py:12 gather_rows writes it',
      'reports/activities.py:18 render_report reads it',
    ]);
    const exported = mine.find((f) => f.line === 13)!;
    expect(exported.message).toContain('export_rows hands it to `pq.write_table(...)`');
    expect(exported.message).toContain('discard_export removes it');
  });

  it('leaves alone one activity that writes and reads, shared mounts, and a computed task queue', () => {
    const messages = findings.filter((f) => f.checkId === 'activity-local-file-handoff').map((f) => f.message).join('\n');
    expect(messages).not.toContain('/tmp/photos');
    expect(messages).not.toContain('/mnt/reports');
    expect(messages).not.toContain('staging/');
    // A removal that ignores a missing path is a best-effort cleanup.
    expect(messages).not.toContain('indexes/');
  });
});
