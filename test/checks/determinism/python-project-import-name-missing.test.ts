// Python: a module with Temporal code (here a starter) imports, at module level, a name the
// project's own module does not define (`from app.workflows.weekly import FullPipelineWorkflow`,
// where the class is WeeklyFullPipelineWorkflow): ImportError when the module loads. Imports under
// try/except ImportError or TYPE_CHECKING, a submodule of a package, a module with a __getattr__,
// a module whose dotted name another import root also holds with the name (tools/app/legacy.py),
// and files without Temporal code are left alone.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-project-import-name-missing');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('project-import-name-missing (Python)', () => {
  it('reports the import of a name the project module does not define, with the names it does define', () => {
    const mine = findings.filter((f) => f.checkId === 'project-import-name-missing');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['project-import-name-missing error app/starter.py:9']);
    expect(mine[0]!.message).toContain('`from app.workflows.weekly import FullPipelineWorkflow`: app/workflows/weekly.py defines no FullPipelineWorkflow at its top level. It defines WeeklyFullPipelineWorkflow.');
    expect(mine[0]!.message).toContain('none of its workflow starts can run');
    expect(mine[0]!.fix).toContain('Import WeeklyFullPipelineWorkflow (`from app.workflows.weekly import WeeklyFullPipelineWorkflow as WeeklyPipeline`)');
  });
});
