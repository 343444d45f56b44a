// Python: a run method whose parameter is annotated with the class it later calls
// (`week_start: datetime | None = None`, then `datetime.utcnow()`) still calls the imported
// datetime: the annotation does not bind the name. A parameter named `datetime` does hide it.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-determinism-annotation');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('workflow-nondeterministic-call (Python): names in parameter annotations', () => {
  it('reports datetime.utcnow() in a run method whose parameter is annotated datetime, not one a parameter named datetime hides', () => {
    const mine = findings.filter((f) => f.checkId === 'workflow-nondeterministic-call');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['workflow-nondeterministic-call error workflows.py:12']);
    expect(mine[0]!.message).toContain('Workflow WeeklySummary calls datetime.utcnow()');
  });
});
