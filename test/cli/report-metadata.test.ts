// Every report says what it is about, as a user runs it: the built CLI in a child process, on the
// report-metadata fixture copied into a real git repository made here (as services/shop), with
// SOURCE_DATE_EPOCH fixing the date so the output is exact.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const temp = scratchFolderForSuite('metadata');
const shop = path.join(temp, 'repo/services/shop');
let commit = '';

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: path.join(temp, 'repo'),
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  }).trim();
}

beforeAll(() => {
  fs.cpSync(path.join(repoRoot, 'test/fixtures/report-metadata'), shop, { recursive: true });
  git('init', '-q');
  git('remote', 'add', 'origin', 'https://deploy-bot:s3cret@git.example.com/acme/shop.git');
  git('add', '.');
  git('commit', '-qm', 'shop');
  commit = git('rev-parse', 'HEAD');
});

function check(dir: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(repoRoot, 'dist/cli/main.js'), 'check', dir, ...args], {
    cwd: temp,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, SOURCE_DATE_EPOCH: '1796305205' },
  });
  expect(run.error).toBeUndefined();
  expect(run.stderr).toBe('');
  return run;
}

const inventory = { files: 4, workflows: 1, activities: 2, proxies: 1, workers: 1, taskQueues: 2, starts: 1, histories: 0 };

describe('report metadata and inventory (built CLI, child process)', () => {
  it('json: project name, folder in the repository, commit, clean tree, remote without credentials, fixed date, inventory', { timeout: 120_000 }, () => {
    const report = JSON.parse(check(shop, '--format', 'json').stdout) as Record<string, unknown>;
    expect(Object.keys(report).slice(0, 4)).toEqual(['tool', 'project', 'inventory', 'verdict']);
    expect(report['project']).toEqual({
      name: 'metadata-shop',
      path: 'services/shop',
      git: { commit, dirty: false, remote: 'https://git.example.com/acme/shop.git' },
      date: '2026-12-03T13:40:05.000Z',
    });
    expect(report['inventory']).toEqual(inventory);
  });

  it('markdown and pretty: the uncommitted change shows, at the top and above the summary', { timeout: 120_000 }, () => {
    fs.appendFileSync(path.join(shop, 'src/activities.ts'), '// edited\n');
    try {
      const markdown = check(shop, '--format', 'markdown').stdout.split('\n');
      expect(markdown.slice(4, 7)).toEqual([
        `**Reviewed:** metadata-shop · services/shop · commit ${commit.slice(0, 12)} \\(uncommitted changes\\) · 2026-12-03 13:40 UTC`,
        '',
        '**Inventory:** 4 files, 1 workflow, 2 activities, 1 activity proxy, 1 worker, 2 task queues, 1 workflow start, 0 histories',
      ]);
      const pretty = check(shop).stdout;
      expect(pretty).toContain(
        `\nreviewed  metadata-shop · services/shop · commit ${commit.slice(0, 12)} (uncommitted changes) ·\n` +
          '          2026-12-03 13:40 UTC\n' +
          '          4 files, 1 workflow, 2 activities, 1 activity proxy, 1 worker, 2 task queues,\n' +
          '          1 workflow start, 0 histories\n',
      );
    } finally {
      git('checkout', '--', '.');
    }
  });

  it('sarif and html carry the same facts', { timeout: 120_000 }, () => {
    const sarif = JSON.parse(check(shop, '--format', 'sarif').stdout) as { runs: { properties: Record<string, unknown>; invocations: { startTimeUtc: string }[] }[] };
    expect(sarif.runs[0]!.properties['project']).toMatchObject({ name: 'metadata-shop', path: 'services/shop', git: { commit, dirty: false } });
    expect(sarif.runs[0]!.properties['inventory']).toEqual(inventory);
    expect(sarif.runs[0]!.invocations[0]!.startTimeUtc).toBe('2026-12-03T13:40:05.000Z');
    const html = check(shop, '--format', 'html').stdout;
    expect(html).toContain(`<span class="project">metadata-shop · services/shop · commit ${commit.slice(0, 12)} · 2026-12-03 13:40 UTC</span>`);
  });

  it('leaves git out outside a work tree, and names the folder', { timeout: 120_000 }, () => {
    const plain = path.join(temp, 'plain');
    fs.cpSync(path.join(repoRoot, 'test/fixtures/report-metadata/src'), path.join(plain, 'src'), { recursive: true });
    const report = JSON.parse(check(plain, '--format', 'json').stdout) as { project: unknown };
    expect(report.project).toEqual({ name: 'plain', path: 'plain', date: '2026-12-03T13:40:05.000Z' });
  });
});
