// `init` and config validation as a user meets them: the built CLI in a child process. init on a
// copy of the prototype example writes a config that the shipped JSON Schema (checked with ajv)
// and `check` both accept; a misspelt check id is a one-line usage error with a suggestion.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const temp = scratchFolderForSuite('init');

function copyExample(name: string): string {
  const app = path.join(temp, name);
  for (const entry of ['src', 'package.json', 'tsconfig.json']) {
    fs.cpSync(path.join(repoRoot, 'examples/prototype-app', entry), path.join(app, entry), { recursive: true });
  }
  return app;
}

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, ['dist/cli/main.js', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 170_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
  });
  expect(run.error).toBeUndefined();
  return run;
}

describe('init (built CLI, child process)', () => {
  it('writes a config listing the types the code has, valid against the shipped schema and accepted by check', { timeout: 360_000 }, () => {
    const app = copyExample('app');
    const init = cli('init', app);
    expect(init.stderr).toBe(
      `wrote ${path.join(app, 'preflight.config.json')}: 1 workflow type, 3 activity types, task queue orders; ` +
        'fill in the null entries under load, deadlines and volume (see docs/configuration.md)\n',
    );
    expect(init.stdout).toBe('');
    expect(init.status).toBe(0);

    const written = JSON.parse(fs.readFileSync(path.join(app, 'preflight.config.json'), 'utf8')) as Record<string, unknown>;
    // no installed copy of the package under the temp folder: $schema points at the running tool's file
    expect(path.resolve(app, written['$schema'] as string)).toBe(path.join(repoRoot, 'dist/config.schema.json'));
    const activities = { chargePayment: null, reserveInventory: null, shipOrder: null };
    expect(written).toEqual({
      $schema: written['$schema'],
      checks: {},
      load: { workflows: { processOrder: null }, activities },
      deadlines: { activities },
      volume: { workflows: { processOrder: null } },
    });

    const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'dist/config.schema.json'), 'utf8')) as object;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(written), JSON.stringify(validate.errors)).toBe(true);
    // the schema is strict where the validator is: a misspelt check id fails it too
    expect(validate({ checks: { 'workflow-runbok-missing': 'off' } })).toBe(false);
    expect(validate({ load: { workflows: { processOrder: { peakStartsPerSecond: 5 } } } })).toBe(true);

    const check = cli('check', app, '--format', 'json');
    expect(check.stderr).toBe('');
    expect(check.status).toBe(1);
    expect((JSON.parse(check.stdout) as { verdict: string }).verdict).toBe('NO-GO');

    const again = cli('init', app);
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(`temporal-preflight: ${path.join(app, 'preflight.config.json')}: a config already exists; --force overwrites it\n`);
  });

  it('rejects a misspelt check id in the config with one line naming the file, the key and the likely id', { timeout: 120_000 }, () => {
    const app = copyExample('typo');
    const file = path.join(app, 'preflight.config.json');
    fs.writeFileSync(file, '{ "checks": { "workflow-runbok-missing": "off" } }\n');
    const check = cli('check', app);
    expect(check.status).toBe(2);
    expect(check.stdout).toBe('');
    expect(check.stderr).toBe(`temporal-preflight: ${file}: key "checks.workflow-runbok-missing": unknown check id; did you mean "workflow-runbook-missing"?\n`);
  });
});
