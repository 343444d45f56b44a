import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { review } from '../../../src/review.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = path.join(repo, 'test/fixtures/replay-shared');
const shared = path.resolve(repo, '..', 'shared', 'histories', 'typescript');
const hasShared = fs.existsSync(shared);
if (!hasShared) console.warn(`skipping check --replay tests: ${shared} is absent`);

const replayChecks = (result: Awaited<ReturnType<typeof review>>) =>
  result.findings.filter((f) => f.evidence === 'replay').map((f) => [f.checkId, f.file ?? '-', f.line ?? '-', f.severity]);

describe.skipIf(!hasShared)('check --replay', () => {
  const histories = [path.join(shared, 'lang_flags_replay_correctly_1_11_2.json')];

  it('reports replay-nondeterminism at the code that issues the diverging command', async () => {
    const result = await review({ dir: fixture, histories, replay: { workflows: path.join(fixture, 'workflows-changed.ts') } });
    expect(replayChecks(result)).toEqual([['replay-nondeterminism', 'workflows-changed.ts', 4, 'error']]);
    expect(result.areas.find((a) => a.area === 'determinism')).toMatchObject({ status: 'fail' });
    expect(result.areas.find((a) => a.area === 'determinism')!.evidence).toContain('replay');
  }, 120_000);

  it('adds replay evidence and no replay finding when the history replays', async () => {
    const result = await review({ dir: fixture, histories, replay: { workflows: path.join(fixture, 'workflows.ts') } });
    expect(replayChecks(result)).toEqual([]);
    expect(result.areas.find((a) => a.area === 'determinism')!.evidence).toContain('replay');
  }, 120_000);

  it('reports replay-failed for a workflow type the module does not export', async () => {
    const result = await review({
      dir: fixture,
      histories: [path.join(shared, 'samples-child-workflows.json')],
      replay: { workflows: path.join(repo, 'test/fixtures/replay-tz/workflows.ts') },
    });
    expect(replayChecks(result)).toEqual([['replay-failed', '-', '-', 'error']]);
  }, 120_000);
});
