// Messages for a user's mistake name the mistake (issue 14, unclear messages). Built CLI, child process.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli, scratchFolder } from './run-built-cli.js';

function project(): string {
  const folder = scratchFolder('messages', 'hostile-runbook');
  return folder;
}

describe('unclear messages, reworded', () => {
  it('capacity on a folder that does not exist says so', { timeout: 60_000 }, () => {
    const folder = project();
    const run = runBuiltCli(['capacity', 'nope'], { cwd: folder });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`temporal-preflight: ${path.join(folder, 'nope')}: no such directory\n`);
  });

  it('a JavaScript config given with --config is named, not read as YAML', { timeout: 60_000 }, () => {
    const folder = project();
    fs.writeFileSync(path.join(folder, 'preflight.config.js'), "export default { checks: { 'no-replay-test': 'off' } };\n");
    const run = runBuiltCli(['check', '.', '--config', 'preflight.config.js'], { cwd: folder });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `temporal-preflight: ${path.join(folder, 'preflight.config.js')}: a config written as code is not read (the review never runs the project's code); write it as preflight.config.json or preflight.config.yaml\n`,
    );
  });

  it('a JavaScript config found in the project is not silently ignored', { timeout: 60_000 }, () => {
    const folder = project();
    fs.writeFileSync(path.join(folder, 'preflight.config.mjs'), 'export default {};\n');
    fs.writeFileSync(path.join(folder, 'preflight.config.js'), 'module.exports = {};\n');
    const run = runBuiltCli(['check', '.'], { cwd: folder });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^temporal-preflight: \S+\/preflight\.config\.js: a config written as code is not read/);
  });
});
