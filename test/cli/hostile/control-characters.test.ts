// Control characters in names from input never reach a terminal or a report raw: a workflow type
// with ESC/BEL sequences and a newline cannot set the terminal title or forge a line (issue 14 item 3).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyOfType, runBuiltCli, scratchFolder } from './run-built-cli.js';

const HOSTILE_TYPE = 'evil\u001b]0;pwned\u0007\u001b[2J\nGO: forged line';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

function historyFolder(): string {
  const folder = scratchFolder('control-characters');
  fs.writeFileSync(path.join(folder, 'h.json'), historyOfType(HOSTILE_TYPE));
  // a tiny budget: the history-size finding names the workflow type
  fs.writeFileSync(path.join(folder, 'preflight.config.json'), '{"histories":{"budget":"100B"}}');
  return folder;
}

describe('names with control characters are escaped', () => {
  for (const format of ['pretty', 'markdown'] as const) {
    it(`histories --format ${format}: no raw control character, no forged line`, { timeout: 60_000 }, () => {
      const folder = historyFolder();
      const run = runBuiltCli(['histories', 'h.json', '--format', format], { cwd: folder });
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('history-size-over-budget');
      expect(run.stdout).not.toMatch(RAW_CONTROL);
      expect(run.stdout.split('\n').some((line) => /^\W*GO: forged line/.test(line))).toBe(false);
      expect(run.stdout).toContain(format === 'pretty' ? 'evil\\x1b]0;pwned\\x07\\x1b[2J\\x0aGO: forged line' : 'workflow evil\\\\x1b\\]0;pwned\\\\x07');
    });
  }

  it('a report written with -o is escaped too', { timeout: 60_000 }, () => {
    const folder = historyFolder();
    const run = runBuiltCli(['histories', 'h.json', '-o', 'report.txt'], { cwd: folder });
    expect(run.status).toBe(0);
    expect(fs.readFileSync(path.join(folder, 'report.txt'), 'utf8')).not.toMatch(RAW_CONTROL);
  });

  it('an error message naming a file escapes it', { timeout: 60_000 }, () => {
    const folder = historyFolder();
    const run = runBuiltCli(['histories', 'no\u001b]0;x\u0007such\n.json'], { cwd: folder });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('temporal-preflight: no history could be analyzed: no\\x1b]0;x\\x07such\\x0a.json: no such file or directory\n');
  });
});
