// History files: other encodings and formats are named, a folder of mostly unreadable files is
// not GO, and `histories` and `replay` agree on which files are histories (issue 14 item 14 and
// its unclear messages). The built CLI in a child process.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { historyOfType, repoRoot, runBuiltCli, scratchFolder } from './run-built-cli.js';


const history = historyOfType('processOrder');
const events = (JSON.parse(history) as { events: unknown[] }).events;

describe('a history in another encoding or format is named as such', () => {
  const cases: [string, Buffer | string, string][] = [
    ['bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(history)]), 'UTF-8 with a byte order mark; a history file is JSON without one (remove the first 3 bytes)'],
    ['utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(history, 'utf16le')]), 'UTF-16 text; a history file is UTF-8 JSON (convert it, e.g. iconv -f UTF-16 -t UTF-8)'],
    ['history.json.gz', gzipSync(history), 'gzip-compressed; decompress it first (gunzip)'],
    ['events.json', events.map((event) => JSON.stringify(event)).join('\n'), 'one JSON value per line (NDJSON); a history file is one JSON object with an events array'],
  ];
  for (const [name, content, reason] of cases) {
    it(name, { timeout: 60_000 }, () => {
      const folder = scratchFolder('history-format');
      fs.writeFileSync(path.join(folder, name), content);
      const run = runBuiltCli(['histories', name], { cwd: folder });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(`temporal-preflight: no history could be analyzed: ${name}: ${reason}\n`);
    });
  }
});

describe('a folder of mostly unreadable histories is not GO', () => {
  it('3 of 4 files unreadable: capacity and payloads not verified, NO-GO', { timeout: 60_000 }, () => {
    const folder = scratchFolder('history-majority');
    fs.writeFileSync(path.join(folder, 'a-good.json'), history);
    for (const name of ['b-broken.json', 'c-broken.json', 'd-broken.json']) fs.writeFileSync(path.join(folder, name), '{"events": [');
    const run = runBuiltCli(['histories', '.', '--format', 'json'], { cwd: folder });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { verdict: string; diagnostics: { kind: string; message: string }[]; areas: { area: string; status: string }[] };
    expect(report.verdict).toBe('NO-GO');
    expect(report.diagnostics.filter((d) => d.kind === 'not-verified')).toEqual([
      {
        kind: 'not-verified',
        message:
          'capacity, payloads not verified: 3 of 4 history files could not be analyzed (b-broken.json: truncated JSON at byte 12; and more), ' +
          'so the history evidence covers a minority of the executions given. Fix or remove the unreadable files.',
      },
    ]);
  });

  it('1 of 3 files unreadable stays GO, the failure a diagnostic', { timeout: 60_000 }, () => {
    const folder = scratchFolder('history-minority');
    fs.writeFileSync(path.join(folder, 'a.json'), history);
    fs.writeFileSync(path.join(folder, 'b.json'), historyOfType('processOrder', 'run-2'));
    fs.writeFileSync(path.join(folder, 'c-broken.json'), '{"events": [');
    const run = runBuiltCli(['histories', '.', '--format', 'json'], { cwd: folder });
    expect(run.status).toBe(0);
  });
});

describe('histories and replay agree on what a history file is', () => {
  it('eventId 1e400, nesting over 512 levels and the {"history": ...} wrapper', { timeout: 240_000 }, () => {
    const folder = scratchFolder('history-agree');
    fs.writeFileSync(path.join(folder, 'infinite-id.json'), history.replace('"eventId":"5"', '"eventId":1e400'));
    fs.writeFileSync(path.join(folder, 'deep.json'), history.replace('"attempt":1,', `"attempt":1,"extra":${'['.repeat(600)}${']'.repeat(600)},`));
    fs.writeFileSync(path.join(folder, 'wrapped.json'), `{"history":${history}}`);
    fs.writeFileSync(path.join(folder, 'plain.json'), history);
    const analysis = runBuiltCli(['histories', '.', '--format', 'json'], { cwd: folder });
    const failed = (JSON.parse(analysis.stdout) as { histories: { failed: { file: string; reason: string }[] } }).histories.failed;
    expect(failed).toEqual([
      { file: 'deep.json', reason: 'JSON nested deeper than 512 levels at byte 811' },
      { file: 'infinite-id.json', reason: 'not a history: events[4].eventId is Infinity, not a whole number' },
    ]);
    // one replay process per replayable history: a process left without work is issue 14 item 5, fixed elsewhere
    const workflows = path.join(repoRoot, 'examples/prototype-app/src/workflows.ts');
    const replay = runBuiltCli(['replay', '.', '--workflows', workflows, '--processes', '2', '--format', 'json'], { cwd: folder, timeoutMs: 230_000 });
    const results = (JSON.parse(replay.stdout) as { results: { file: string; outcome: string; message: string }[] }).results;
    const byFile = new Map(results.map((r) => [r.file, r]));
    for (const { file, reason } of failed) expect(byFile.get(file)).toMatchObject({ outcome: 'error', message: reason });
    expect(byFile.get('wrapped.json')!.message).not.toMatch(/not a valid history/);
  });
});
