// `temporal-preflight histories` and `check --histories`, run in-process: formats, exit codes,
// one-line errors, and payload privacy.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { fakeIo } from '../helpers/fake-io.js';
import { buildHistory, writeHistory } from './history-builder.js';
import { repoRoot } from './shared-histories.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const mixed = path.join(repoRoot, 'test/fixtures/histories-mixed');
const tmp = scratchFolderForSuite('histories-cli');

async function run(...argv: string[]) {
  const io = fakeIo();
  await runCli(argv, io);
  return io;
}

describe('temporal-preflight histories', () => {
  it('writes the histories section to the JSON report; mostly unreadable files make it NO-GO (exit 1)', async () => {
    const io = await run('histories', mixed, '--format', 'json');
    // 6 of the 8 files are unreadable: the evidence covers a minority of what was given
    expect(io.exitCode).toBe(1);
    const report = JSON.parse(io.out) as { verdict: string; histories: { files: number; parsed: number; failed: { file: string }[]; workflowTypes: { workflowType: string }[] } };
    expect(report.verdict).toBe('NO-GO');
    expect(report.histories.files).toBe(8);
    expect(report.histories.parsed).toBe(2);
    const shown = (name: string) => path.relative(process.cwd(), path.join(mixed, name)).split(path.sep).join('/');
    expect(report.histories.failed.map((f) => f.file)).toEqual(['broken.json', 'deploy-events.json', 'empty.json', 'numbers.json', 'package.json', 'truncated.json'].map(shown));
    expect(report.histories.workflowTypes.map((t) => t.workflowType)).toEqual(['orderWorkflow', 'shippingWorkflow']);
  });

  it('prints a table per workflow type and the unreadable files in pretty format', async () => {
    const io = await run('histories', mixed);
    expect(io.exitCode).toBe(1);
    expect(io.out).toContain('8 files, 2 analyzed, 6 unreadable');
    expect(io.out).toMatch(/workflow type +runs +size p50/);
    expect(io.out).toMatch(/orderWorkflow +1 /);
    expect(io.out).toContain('truncated.json  truncated JSON at byte 1500');
  });

  it('exits 1 (NO-GO) when a payload is over the 2 MiB limit', async () => {
    const dir = path.join(tmp, 'too-big');
    writeHistory(dir, 'import.json', buildHistory({ workflowType: 'importWorkflow', inputBytes: 2.2 * 1024 * 1024 }));
    const io = await run('histories', dir, '--format', 'json');
    expect(io.exitCode).toBe(1);
    const findings = (JSON.parse(io.out) as { findings: { checkId: string; severity: string }[] }).findings;
    expect(findings.map((f) => [f.checkId, f.severity])).toEqual([
      ['history-payload-over-limit', 'error'],
      ['history-size-over-budget', 'warning'],
    ]);
  });

  it('fails with exit 2 and one line when nothing can be analyzed or the format does not apply', async () => {
    const missing = await run('histories', path.join(tmp, 'nothing-here.json'));
    expect(missing.exitCode).toBe(2);
    expect(missing.err).toMatch(/^temporal-preflight: no history could be analyzed: .*nothing-here\.json: no such file or directory\n$/);
    const corrupt = await run('histories', path.join(mixed, 'empty.json'), path.join(mixed, 'truncated.json'));
    expect(corrupt.exitCode).toBe(2);
    expect(corrupt.err).toMatch(/^temporal-preflight: no history could be analyzed: .*empty\.json: empty file \(and 1 more\)\n$/);
    const xml = await run('histories', mixed, '--format', 'xml');
    expect(xml.exitCode).toBe(2);
    expect(xml.err).toBe('temporal-preflight: --format xml does not apply to "histories"; use one of: pretty, json, sarif, markdown, html\n');
  });

  it('never shows payload contents unless --show-payloads, and then only a truncated preview', async () => {
    const dir = path.join(tmp, 'private');
    const secret = `{"card":"4111-1111-1111-1111","holder":"Ada Lovelace","notes":"${'n'.repeat(200)}"}`;
    writeHistory(dir, 'pay.json', buildHistory({ workflowType: 'payWorkflow', payloadText: secret, activities: [{ type: 'charge' }] }));
    for (const format of ['json', 'pretty', 'sarif', 'markdown', 'html']) {
      const io = await run('histories', dir, '--format', format);
      expect(io.out).not.toContain('4111');
      expect(io.out).not.toContain('Lovelace');
      expect(io.out).not.toContain(Buffer.from(secret).toString('base64').slice(0, 20));
    }
    const shown = await run('histories', dir, '--format', 'json', '--show-payloads');
    const largest = (JSON.parse(shown.out) as { histories: { workflowTypes: { largestPayloads: { preview?: string }[] }[] } }).histories.workflowTypes[0]!.largestPayloads[0]!;
    expect(largest.preview).toBe(`${secret.slice(0, 64)}...`);
    expect(shown.out).not.toContain('n'.repeat(100));
  });
});

describe('temporal-preflight check --histories', () => {
  it('adds history evidence to the payloads and capacity areas and lists unreadable files as diagnostics', async () => {
    const project = path.join(repoRoot, 'test/fixtures/model-basic');
    const io = await run('check', project, '--histories', mixed, '--format', 'json');
    const report = JSON.parse(io.out) as {
      areas: { area: string; evidence: string[] }[];
      histories: { parsed: number };
      diagnostics: { kind: string; file: string; message: string }[];
    };
    expect(report.histories.parsed).toBe(2);
    expect(report.areas.find((a) => a.area === 'payloads')!.evidence).toContain('history');
    expect(report.areas.find((a) => a.area === 'capacity')!.evidence).toContain('history');
    expect(report.diagnostics.filter((d) => d.kind === 'parse-error')).toContainEqual({ kind: 'parse-error', file: '../histories-mixed/truncated.json', message: 'truncated JSON at byte 1500' });
  });
});
