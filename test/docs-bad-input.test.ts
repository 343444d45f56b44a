// docs/bad-input.md stays true: every row names a test that exists and that contains each message
// the row quotes (each code span of its "What happens" cell).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '..');
const page = fs.readFileSync(path.join(repoRoot, 'docs/bad-input.md'), 'utf8');

interface Row {
  input: string;
  whatHappens: string;
  testFile: string;
  testName: string;
}

function rows(): Row[] {
  return page
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Command') && !line.startsWith('| ---'))
    .map((line) => {
      const cells = line.slice(2, -2).split(' | ');
      const test = /^`([^`]+)` › "(.*)"$/.exec(cells[4] ?? '');
      if (!test) throw new Error(`docs/bad-input.md: row without a test reference: ${line}`);
      return { input: cells[1]!, whatHappens: cells[2]!, testFile: test[1]!, testName: test[2]! };
    });
}

describe('docs/bad-input.md', () => {
  it('has rows', () => {
    expect(rows().length).toBeGreaterThan(20);
  });

  for (const row of rows()) {
    it(`${row.input}: ${row.testFile} has the test and the messages`, () => {
      const source = fs.readFileSync(path.join(repoRoot, row.testFile), 'utf8');
      expect(source).toContain(`'${row.testName}'`.replace(/^'(.*\$\{.*)'$/, '`$1`'));
      for (const [, quoted] of row.whatHappens.matchAll(/`([^`]+)`/g)) {
        // a message with backslashes appears in the test as a string literal, each one doubled
        const inSource = source.includes(quoted!) ? quoted! : quoted!.replaceAll('\\', '\\\\');
        expect(source).toContain(inSource);
      }
    });
  }
});
