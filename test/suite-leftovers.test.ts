// The suite's teardown (test/helpers/suite-leftovers.ts) as a run of vitest sees it: a test file
// that leaves a folder and a file in the temporary folder fails the run, with one line for each,
// and nothing of the run stays in the temporary folder.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from './helpers/cli-process.js';
import { scratchFolder } from './helpers/scratch-folder.js';

it('fails a run that leaves a temporary folder or file, names them and removes them', { timeout: 120_000 }, () => {
  // the nested run's temporary folder, so what it leaves is told apart from the other tests' folders
  const tmp = scratchFolder('nested-suite-tmp');
  const vitest = path.join(repoRoot, 'node_modules/vitest/vitest.mjs');
  const run = spawnSync(process.execPath, [vitest, 'run', '--config', 'test/fixtures/suite-leftovers/vitest.config.ts'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 110_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, CI: '1', TMPDIR: tmp },
  });
  const output = `${run.stdout}${run.stderr}`;
  expect(run.status, output).toBe(1);
  const reported = output.split('\n').filter((line) => line.includes('left behind'));
  expect(reported).toEqual([
    expect.stringMatching(/^temporary folder left behind \(now removed\): preflight-probe-leak-\w{6}\/$/),
    'temporary file left behind (now removed): probe-leak.txt',
  ]);
  // the run's own temporary folder went with what was in it
  expect(fs.readdirSync(tmp)).toEqual([]);
});
