// workflow-log-not-replay-aware over test/fixtures/python-workflow-log-factory: a module-level
// logger made by the project's own factory (`LOGGER = get_logger(__name__)`, a function that
// returns `logging.getLogger(name)` after adding a handler) is a standard-library logger like
// logging.getLogger itself; a factory that returns workflow.logger is not.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-workflow-log-factory');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-log-not-replay-aware through a logger factory of the project', () => {
  test('notes the logger get_logger(__name__) returns, used in the run method', () => {
    const found = findings.filter((f) => f.checkId === 'workflow-log-not-replay-aware');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['workflow-log-not-replay-aware info app/workflows.py:14']);
    expect(found[0]!.message).toContain('Workflow Renewal (app/workflows.py) logs through a standard-library logger of its own (LOGGER.warning("renewal check failed for %s", policy_id)), not workflow.logger');
    expect(found[0]!.related).toBeUndefined();
  });

  test('left alone: the factory that returns workflow.logger, and the same logger in an activity', () => {
    const lines = findings.filter((f) => f.checkId === 'workflow-log-not-replay-aware').flatMap((f) => [`${f.file}:${f.line}`, ...(f.related ?? []).map((r) => `${r.file}:${r.line}`)]);
    for (const at of ['app/workflows.py:13', 'app/workflows.py:20']) expect(lines).not.toContain(at);
  });
});
