// The package as a user gets it: `npm pack`, installed from the tarball into an empty project
// (real npm, real registry for the runtime dependencies), then the installed bin reviews a copy of
// the prototype example in a child process. Proves the tarball carries everything the review
// needs at run time (compiled code, the WebAssembly scanner, runtime dependencies) and nothing of
// the development setup.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const temp = scratchFolderForSuite('packed');

function run(command: string, args: string[], cwd: string, timeout: number) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
  expect(result.error).toBeUndefined();
  return result;
}

describe('the packed tarball', () => {
  it('builds before packing', () => {
    expect(pkg.scripts['prepack']).toBe('npm run build');
  });

  it('installs into an empty project and reviews the example from there', { timeout: 900_000 }, () => {
    // npm test builds first; packing here skips prepack so a concurrent test never sees dist rebuilt
    expect(fs.existsSync(path.join(repoRoot, 'dist/cli/main.js')), 'dist is missing: run npm run build').toBe(true);
    const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', temp], repoRoot, 120_000);
    expect(pack.status).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const files = packed!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['dist/cli/main.js', 'dist/model/history/history-scanner.wasm', 'dist/config.schema.json', 'dist/drill/replay/python/replay_driver.py', 'dist/drill/harness/python/sitecustomize.py', 'README.md', 'LICENSE', 'package.json']));
    expect(files.filter((f) => /^(src|test|examples|assembly|bench)\/|\.map$/.test(f))).toEqual([]);

    const project = path.join(temp, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "empty-project", "private": true }\n');
    const install = run('npm', ['install', '--no-audit', '--no-fund', path.join(temp, packed!.filename)], project, 600_000);
    expect(install.status, install.stderr).toBe(0);
    // development tools stay out of a user's install
    for (const dev of ['vitest', 'assemblyscript', 'playwright-core', '@microsoft/sarif-multitool']) {
      expect(fs.existsSync(path.join(project, 'node_modules', dev)), `${dev} was installed`).toBe(false);
    }

    const app = path.join(project, 'app');
    for (const entry of ['src', 'package.json', 'tsconfig.json']) {
      fs.cpSync(path.join(repoRoot, 'examples/prototype-app', entry), path.join(app, entry), { recursive: true });
    }
    const version = run('npx', ['--no-install', 'temporal-preflight', '--version'], project, 60_000);
    expect(version.stdout).toBe(`${pkg.version}\n`);

    const check = run(path.join(project, 'node_modules/.bin/temporal-preflight'), ['check', 'app', '--format', 'json'], project, 300_000);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(1);
    const report = JSON.parse(check.stdout) as { verdict: string; findings: { checkId: string; severity: string }[] };
    expect(report.verdict).toBe('NO-GO');
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.checkId).sort()).toEqual([
      'activity-non-retryable-errors-uncovered',
    ]);

    // The ESLint plugin loads from the installed package (eslint itself is an optional peer: the
    // repository's copy runs it here) and reports on the example's workflow file.
    const eslintApi = path.join(repoRoot, 'node_modules/eslint/lib/api.js');
    const tsParserEntry = path.join(repoRoot, 'node_modules/@typescript-eslint/parser/dist/index.js');
    const lint = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import fs from 'node:fs';
         import plugin from 'temporal-preflight/eslint';
         const { Linter } = await import(${JSON.stringify(eslintApi)});
         const file = ${JSON.stringify(path.join(app, 'src/workflows.ts'))};
         const linter = new Linter({ cwd: ${JSON.stringify(app)} });
         const { default: parser } = await import(${JSON.stringify(tsParserEntry)});
         const messages = linter.verify(fs.readFileSync(file, 'utf8'), [{ files: ['**/*.ts'], languageOptions: { parser } }, ...plugin.configs.recommended], file);
         console.log(Object.keys(plugin.rules).length, messages.map((m) => m.line + ' ' + m.ruleId).sort().join(', '));`,
      ],
      project,
      120_000,
    );
    expect(lint.stderr).toBe('');
    expect(lint.stdout).toBe('21 7 temporal-preflight/activity-retry-policy-missing, 7 temporal-preflight/activity-schedule-to-start-missing\n');

    // init in a project that installed the package points $schema at the installed copy
    const init = run(path.join(project, 'node_modules/.bin/temporal-preflight'), ['init', '.'], project, 300_000);
    expect(init.status, init.stderr).toBe(0);
    const config = JSON.parse(fs.readFileSync(path.join(project, 'preflight.config.json'), 'utf8')) as { $schema: string };
    expect(config.$schema).toBe('./node_modules/temporal-preflight/dist/config.schema.json');
    expect(fs.existsSync(path.join(project, config.$schema))).toBe(true);
  });
});
