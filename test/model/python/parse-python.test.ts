import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parsePythonFile, type ParsedPythonFile } from '../../../src/model/python/parse-python.js';

const dir = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-parse');
const trees: ParsedPythonFile[] = [];
afterAll(() => trees.forEach((parsed) => parsed.tree.delete()));

async function parse(name: string) {
  const outcome = await parsePythonFile(path.join(dir, name));
  if (outcome.kind === 'parsed') trees.push(outcome.parsed);
  return outcome;
}

describe('parsing Python without running it', () => {
  test('parses a clean file with no syntax error', async () => {
    const outcome = await parse('clean.py');
    expect(outcome.kind).toBe('parsed');
    if (outcome.kind !== 'parsed') return;
    expect(outcome.parsed.syntaxError).toBeUndefined();
    expect(outcome.parsed.tree.rootNode.descendantsOfType('decorated_definition')).toHaveLength(1);
  });

  test('a syntax error is reported at its line and the rest of the file is still parsed', async () => {
    const outcome = await parse('broken.py');
    expect(outcome.kind).toBe('parsed');
    if (outcome.kind !== 'parsed') return;
    expect(outcome.parsed.syntaxError?.line).toBe(5);
    const names = outcome.parsed.tree.rootNode.descendantsOfType('function_definition').map((fn) => fn?.childForFieldName('name')?.text);
    expect(names).toContain('after');
  });

  test('skips Python 2 source with the reason', async () => {
    expect(await parse('legacy.py')).toEqual({ kind: 'skipped', file: path.join(dir, 'legacy.py'), reason: 'Python 2 source (line 5: print statement); the Temporal SDK needs Python 3' });
  });

  test('skips a file that declares another source encoding, and one that is not UTF-8', async () => {
    expect(await parse('latin1.py')).toMatchObject({ kind: 'skipped', reason: 'declares the source encoding latin-1, not UTF-8' });
    expect(await parse('invalid_utf8.py')).toMatchObject({ kind: 'skipped', reason: 'not UTF-8 (the Python 3 default source encoding)' });
  });
});
