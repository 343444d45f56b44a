// The example apps are fixtures for the reviewer and documentation for users: they must compile
// under their own tsconfig, and the production app's config and alert rules must be valid.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/engine/config.js';

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));

function typeErrors(tsconfigPath: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!parsed) return [`${tsconfigPath}: cannot read`];
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file
      ? `${path.relative(examplesDir, diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}`
      : tsconfigPath;
    return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

function findPromtool(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

describe('example apps', () => {
  // Loading the Temporal SDK's declarations takes seconds, more on a busy CI machine.
  it.each(['prototype-app', 'production-app'])('%s type-checks under its own tsconfig', { timeout: 120_000 }, (app) => {
    expect(typeErrors(path.join(examplesDir, app, 'tsconfig.json'))).toEqual([]);
  });

  it('production-app declares the load of every activity its workflow calls', () => {
    const { config, file } = loadConfig(path.join(examplesDir, 'production-app'));
    expect(file).toBe(path.join(examplesDir, 'production-app', 'preflight.config.json'));
    expect(config.load.workflows).toEqual({ processOrder: { peakStartsPerSecond: 1 } });
    expect(Object.keys(config.load.activities).sort()).toEqual(['awaitShipment', 'chargePayment', 'releaseInventory', 'reserveInventory']);
  });

  // promtool comes with Debian's prometheus package, which .ci/run installs.
  const promtool = findPromtool();
  it.skipIf(!promtool && !process.env['CI'])('production-app alert rules pass promtool check rules', () => {
    expect(promtool, 'promtool not found: apt-get install prometheus').not.toBeNull();
    const output = execFileSync(promtool!, ['check', 'rules', path.join(examplesDir, 'production-app', 'prometheus', 'temporal.rules.yml')], {
      encoding: 'utf8',
    });
    expect(output).toContain('SUCCESS: 11 rules found');
  });
});
