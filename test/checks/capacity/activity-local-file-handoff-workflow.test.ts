// Local paths the workflow itself hands from one activity to another (Python and TypeScript): a path
// the workflow builds under /tmp and passes to two activities, or a local path one activity returns
// (made with tempfile.mkdtemp / fs.mkdtemp) that the workflow passes to another. Not reported: the
// later activity on a task queue computed at run time (a worker-specific queue), and a path passed
// to one activity only.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/activity-local-file-handoff.js';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where } from './fixture-review.js';

describe('activity-local-file-handoff: paths the workflow hands over (Python)', () => {
  const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-workflow-path-handoff');
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: root, config: undefined }));
  });

  it('reports the later call of each hand-off, a warning when both ends are visible', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-local-file-handoff');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-local-file-handoff warning scans/workflows.py:18',
      'activity-local-file-handoff warning scans/workflows.py:27',
      'activity-local-file-handoff info scans/workflows.py:59',
      'activity-local-file-handoff warning scans/workflows.py:84',
      'activity-local-file-handoff warning scans/workflows.py:92',
    ]);
  });

  it('takes a path under the worker home directory (Path.home()) an activity returns for a local one', () => {
    const home = findings.find((f) => f.checkId === 'activity-local-file-handoff' && f.line === 92)!;
    expect(home.message).toContain('`checkout["checkout_dir"]`');
    expect(home.message).toContain('checkout_repo makes it with Path.home() on its worker and returns it (at scans/workflows.py:91), and list_checkout later reads it (at scans/workflows.py:92)');
  });

  it('names both activities and the path expression', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-local-file-handoff');
    const manifest = mine.find((f) => f.line === 18)!;
    expect(manifest.message).toContain('`manifest_local` (`/tmp/jobs/{job_id}/manifest.json`)');
    expect(manifest.message).toContain('save_manifest writes it (at scans/workflows.py:17), and upload_file later reads it (at scans/workflows.py:18)');
    const prepared = mine.find((f) => f.line === 27)!;
    expect(prepared.message).toContain('`prepared["cloud_path"]`');
    expect(prepared.message).toContain('prepare_scan makes it with tempfile.mkdtemp() on its worker and returns it (at scans/workflows.py:25), and register_pair later reads it');
    // Kept on the workflow object and carried in a record.
    const carried = mine.find((f) => f.line === 84)!;
    expect(carried.message).toContain('`self.work_dir`');
    expect(carried.message).toContain('render_local makes it with tempfile.mkdtemp() on its worker and returns it (at scans/workflows.py:82), and the workflow later hands it to build_in_dir');
  });

  it('leaves alone a worker-specific task queue, a path passed to one activity, and a relative key no activity opens', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-local-file-handoff');
    expect(mine.map((f) => f.message).join('\n')).not.toMatch(/PinnedWorkflow|SingleUseWorkflow|\/tmp\/single|exports\//);
  });
});

describe('activity-local-file-handoff: paths the workflow hands over (TypeScript)', () => {
  const findings = fixtureReview('workflow-path-handoff').run(check);

  it('reports the later call of each hand-off, and nothing on a worker-specific queue, a single use or a directory from the environment', () => {
    expect(where(findings)).toEqual([
      'activity-local-file-handoff warning src/workflows.ts:8',
      'activity-local-file-handoff warning src/workflows.ts:14',
      'activity-local-file-handoff warning src/workflows.ts:33',
      'activity-local-file-handoff warning src/workflows.ts:38',
    ]);
  });

  it('follows a project helper that makes the path, and a path assigned to a variable declared earlier', () => {
    // checkoutRepo returns what checkoutSources makes with mkdtempSync; the workflow assigns it to a `let`.
    expect(findings[2]!.message).toContain('`checkout.sourceDir` is a path on one worker');
    expect(findings[2]!.message).toContain('checkoutRepo makes it with mkdtempSync(...) on its worker and returns it (at src/workflows.ts:31), and the workflow later hands it to countSources (at src/workflows.ts:33)');
    // openWorkspace builds it under os.homedir() through workspaceFor; buildInWorkspace runs a process in it.
    expect(findings[3]!.message).toContain('`workspace.dir` is a path on one worker');
    expect(findings[3]!.message).toContain('openWorkspace makes it with os.homedir() on its worker and returns it (at src/workflows.ts:37), and buildInWorkspace later reads it (at src/workflows.ts:38)');
  });

  it('names both activities and the path expression', () => {
    expect(findings[0]!.message).toContain('`rendered.file` is a path on one worker');
    expect(findings[0]!.message).toContain('renderReport makes it with mkdtemp(...) on its worker and returns it (at src/workflows.ts:7), and mailReport later reads it (at src/workflows.ts:8)');
    expect(findings[1]!.message).toContain('`csv` (`/tmp/exports/{jobId}.csv`)');
    expect(findings[1]!.message).toContain('saveCsv writes it (at src/workflows.ts:13), and uploadCsv later reads it (at src/workflows.ts:14)');
  });
});
