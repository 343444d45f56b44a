// Robustness: thousands of seeded mutations of real histories (truncation, wrong types, huge
// numbers, deep nesting, invalid base64, unknown fields, flipped bytes). The reader never throws
// and never hangs; every input is either analyzed or reported as one line naming the problem.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHistories } from '../../src/model/history/analyze-histories.js';
import { readHistoryFile } from '../../src/model/history/read-history-file.js';
import { repoRoot, sharedHistoryFiles, warnWhenAbsent } from './shared-histories.js';
import { withoutReader } from './parse-text.js';
import { seededRandom } from '../../src/simulate/seeded-random.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

warnWhenAbsent('fuzzing the shared histories (the fixture histories are fuzzed instead)');

const SEED = 20_261_125;
const MUTANTS = 3000;
const TEXT_MUTANTS = 2000;
const tmp = scratchFolderForSuite('history-fuzz');

// seeded so failures reproduce
const prng = seededRandom;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const sources = (() => {
  const shared = sharedHistoryFiles().filter((f) => fs.statSync(f).size < 64 * 1024);
  const fixtures = [path.join(repoRoot, 'test/fixtures/histories-mixed/order-1.json'), path.join(repoRoot, 'test/fixtures/histories-mixed/nested/shipping-1.json')];
  return [...shared, ...fixtures].map((file) => ({ file, text: fs.readFileSync(file, 'latin1') }));
})();

/** The text pretty-printed (two spaces, as the Temporal CLI writes), or as it is when it is not JSON. */
function prettyOrSame(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function mutate(text: string, random: () => number): string | Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const at = Math.floor(random() * text.length);
  switch (Math.floor(random() * 8)) {
    case 0: // truncation
      return text.slice(0, at);
    case 1: // flipped, inserted or deleted bytes, including bytes that are not UTF-8
      return Buffer.concat([Buffer.from(text.slice(0, at), 'latin1'), Buffer.from([Math.floor(random() * 256)]), Buffer.from(text.slice(at + pick([0, 1, 2])), 'latin1')]);
    case 2: // deep nesting
      return `${text.slice(0, at)}${'['.repeat(pick([10, 600, 20_000]))}${text.slice(at)}`;
    default:
      return JSON.stringify(mutateTree(JSON.parse(text) as Json, random));
  }
}

/** Structural mutations: a few random nodes get a wrong type, a huge number, bad base64 or new keys. */
function mutateTree(root: Json, random: () => number): Json {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const nodes: { parent: Json[] | { [key: string]: Json }; key: string | number }[] = [];
  const walk = (value: Json) => {
    if (Array.isArray(value)) value.forEach((child, i) => (nodes.push({ parent: value, key: i }), walk(child)));
    else if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) nodes.push({ parent: value, key }), walk(value[key]!);
  };
  walk(root);
  const replacements: (() => Json)[] = [
    () => null,
    () => true,
    () => pick([0, -1, 1e308, -1e308, 2 ** 53 + 1, 5e-324]),
    () => pick(['1e400', '99999999999999999999999999', '-0', '9'.repeat(5000), 'NaN']),
    () => pick(['', 'EVENT_TYPE_NOPE', 'WorkflowExecutionStarted', '%%%not base64%%%', 'YQ', 'Y', '=====', '\u0000\u001f']),
    () => [],
    () => ({}),
    () => ({ payloads: pick([null, 'x', [1, 2], [{ data: 5 }]]) }),
    () => ({ metadata: pick([null, 'x', { encoding: 7 }]), data: pick(['!!', 12, null]) }),
  ];
  for (let i = 0; i < 1 + Math.floor(random() * 4) && nodes.length; i++) {
    const { parent, key } = pick(nodes);
    if (random() < 0.3 && !Array.isArray(parent)) {
      // defineProperty, so that "__proto__" becomes a real key of the JSON text
      Object.defineProperty(parent, pick(['__proto__', 'constructor', 'eventType', 'unknownField', 'data', 'failure', 'cause', 'fooEventAttributes']), {
        value: pick(replacements)(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      (parent as Record<string | number, Json>)[key] = pick(replacements)();
    }
  }
  return root;
}

describe('fuzzing the history reader', () => {
  it(`reports or analyzes each of ${MUTANTS} mutated histories without throwing or hanging`, () => {
    const random = prng(SEED);
    const file = path.join(tmp, 'mutant.json');
    let analyzed = 0;
    let readWhole = 0;
    let slowest = 0;
    const reasons = new Set<string>();
    for (let i = 0; i < MUTANTS; i++) {
      const source = sources[i % sources.length]!;
      fs.writeFileSync(file, mutate(source.text, random));
      const started = performance.now();
      const result = readHistoryFile(file, 'mutant.json');
      slowest = Math.max(slowest, performance.now() - started);
      // the streaming parser (here in random small chunks) agrees exactly: the whole-file reader
      // neither accepts what it rejects nor reads anything differently
      const chunk = random() < 0.1 ? { buffer: Buffer.alloc(1 + Math.floor(random() * 64)) } : {};
      expect(withoutReader(readHistoryFile(file, 'mutant.json', { wholeFileBytes: 0, ...chunk })), `mutant ${i} of ${source.file}`).toEqual(withoutReader(result));
      if (result.ok) {
        analyzed++;
        if (result.reader === 'whole') readWhole++;
        expect(Number.isFinite(result.summary.sizeBytes), `mutant ${i} of ${source.file}`).toBe(true);
      } else {
        expect(result.reason, `mutant ${i} of ${source.file}`).toMatch(/^[^\n]{5,300}$/);
        reasons.add(result.reason.replace(/\d+/g, 'N'));
      }
    }
    expect(slowest).toBeLessThan(2000);
    // both outcomes occur, and the failures name several different problems
    expect(analyzed).toBeGreaterThan(MUTANTS * 0.2);
    expect(analyzed).toBeLessThan(MUTANTS * 0.95);
    expect(reasons.size).toBeGreaterThan(5);
    // most analyzed mutants went through the whole-file reader, so the comparison above means something
    expect(readWhole).toBeGreaterThan(analyzed * 0.8);
  });

  it(`reads ${TEXT_MUTANTS} byte-level mutants of pretty and compact histories the same with both parsers`, () => {
    // small edits that keep most of the file readable: escapes, quotes, brackets, digits, control
    // and high bytes, events and times dropped in; the whole-file reader must agree everywhere,
    // also inside the events it measures but does not build
    const random = prng(SEED + 2);
    const texts = sources.flatMap(({ text }) => [text, prettyOrSame(text)]);
    const inserts = ['\\', '\\u', '\\u00', '\\uZZZZ', '"', '\\"', '\u0001', '\u00e9', '\u00ff', '{', '}', '[', ']', ',', ':', '1e', '-', '.', 'e', '0', ' ', '\n', 'null', 'tru', '"eventType": "EVENT_TYPE_TIMER_FIRED",', '"eventTime": "2024-02-30T24:00:00.9999999Z",'];
    const file = path.join(tmp, 'text-mutant.json');
    let analyzed = 0;
    for (let i = 0; i < TEXT_MUTANTS; i++) {
      let text = texts[Math.floor(random() * texts.length)]!;
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * text.length);
        const r = random();
        if (r < 0.5) text = text.slice(0, at) + inserts[Math.floor(random() * inserts.length)]! + text.slice(at);
        else if (r < 0.8) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else text = text.slice(0, at) + String.fromCharCode(Math.floor(random() * 256)) + text.slice(at + 1);
      }
      fs.writeFileSync(file, Buffer.from(text, 'latin1'));
      const whole = readHistoryFile(file, 'mutant.json');
      expect(withoutReader(readHistoryFile(file, 'mutant.json', { wholeFileBytes: 0 })), `text mutant ${i}`).toEqual(withoutReader(whole));
      if (whole.ok) analyzed++;
    }
    expect(analyzed).toBeGreaterThan(TEXT_MUTANTS * 0.2);
  });

  it('accounts for every file of a folder of mutants: analyzed, or failed with its path', () => {
    const random = prng(SEED + 1);
    const dir = path.join(tmp, 'folder');
    fs.mkdirSync(dir);
    for (let i = 0; i < 150; i++) fs.writeFileSync(path.join(dir, `m${String(i).padStart(3, '0')}.json`), mutate(sources[i % sources.length]!.text, random));
    const analysis = analyzeHistories({ paths: [dir], root: dir });
    expect(analysis.report.files).toBe(150);
    expect(analysis.report.parsed + analysis.report.failed.length).toBe(150);
    const named = new Set([...analysis.executions.map((e) => e.file), ...analysis.report.failed.map((f) => f.file)]);
    expect(named.size).toBe(150);
  });
});
