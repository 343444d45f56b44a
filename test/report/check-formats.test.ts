import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { fakeIo } from '../helpers/fake-io.js';
import { scratchFolder } from '../helpers/scratch-folder.js';
import { validateSarif } from './sarif-multitool.js';

const project = path.resolve(import.meta.dirname, '../fixtures/model-basic');

describe('check --format sarif|markdown|html', () => {
  it('writes SARIF that validates clean', { timeout: 120_000 }, async () => {
    const io = fakeIo();
    await runCli(['check', project, '--format', 'sarif'], io);
    expect(io.err).toBe('');
    const log = JSON.parse(io.out) as { version: string; runs: { properties: { verdict: string } }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.properties.verdict).toBe(io.exitCode === 0 ? 'GO' : 'NO-GO');
    expect(validateSarif(io.out)).toEqual([]);
  });

  it('writes Markdown starting with the verdict', async () => {
    const io = fakeIo();
    await runCli(['check', project, '--format', 'markdown'], io);
    expect(io.err).toBe('');
    expect(io.out.split('\n')[0]).toMatch(/^## Temporal production readiness: (✅ GO|❌ NO-GO)$/);
  });

  it('writes the HTML report to the -o file', async () => {
    const dir = scratchFolder('check-html');
    const file = path.join(dir, 'report.html');
    const io = fakeIo();
    await runCli(['check', project, '--format', 'html', '-o', file], io);
    expect(io.err).toBe('');
    expect(io.out).toBe('');
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('<!doctype html>')).toBe(true);
    expect(text).not.toContain(project);
  });

  it('lists the new formats in the usage error for an unknown one', async () => {
    const io = fakeIo();
    await runCli(['check', project, '--format', 'xml'], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toBe('temporal-preflight: --format xml does not apply to "check"; use one of: pretty, json, sarif, markdown, html\n');
  });
});
