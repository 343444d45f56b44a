// The plugin's rules report what `check` reports in the same files: same rule/check id, line,
// column and words (the rule's message is the check's message and fix). Both run the one
// implementation of each check; the rules on a model of each file (with type information).
import path from 'node:path';
import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin, { rules } from '../../src/eslint/index.js';
import { review } from '../../src/review.js';

const repo = path.resolve(import.meta.dirname, '../..');

async function lint(dir: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tsParser, parserOptions: { project: './tsconfig.json', tsconfigRootDir: dir, disallowAutomaticSingleRunInference: true } } },
      ...plugin.configs.recommended!,
    ],
  });
  const results = await eslint.lintFiles(['src/**/*.ts']);
  return results
    .flatMap((r) => r.messages.map((m) => `${path.relative(dir, r.filePath)}:${m.line}:${m.column} ${m.ruleId!.replace('temporal-preflight/', '')} ${m.message}`))
    .sort();
}

// The one sentence the rules leave out: worker-concurrency-implicit's judgment of the worker's
// load reads where its workflows are started, in other files than the worker's, which the
// editor's model of one file does not see.
const LOAD_SENTENCE = / (Its load is not bounded by the code|Whether its load stays small cannot be told): .*?\.(?= Fix: )/;

async function checkFindings(dir: string): Promise<string[]> {
  const result = await review({ dir });
  return result.findings
    .filter((f) => f.checkId in rules && f.severity !== 'info' && f.file !== undefined)
    .map((f) => `${f.file}:${f.line}:${f.column} ${f.checkId} ${f.message} Fix: ${f.fix}`)
    .map((line) => (line.includes(' worker-concurrency-implicit ') ? line.replace(LOAD_SENTENCE, '') : line))
    .sort();
}

describe('the ESLint rules and `check` on the same code', () => {
  it('agree on every finding of the parity fixture, one or more per rule', async () => {
    const dir = path.join(repo, 'test/fixtures/eslint-parity');
    const [linted, checked] = await Promise.all([lint(dir), checkFindings(dir)]);
    expect(linted).toEqual(checked);
    const ids = new Set(linted.map((line) => line.split(' ')[1]));
    // Every rule but worker-concurrency-implicit (an info finding here) shows up at least once.
    expect([...Object.keys(rules)].filter((id) => !ids.has(id))).toEqual(['worker-concurrency-implicit']);
  }, 240_000);

  it('agree on the prototype example', async () => {
    const dir = path.join(repo, 'examples/prototype-app');
    const [linted, checked] = await Promise.all([lint(dir), checkFindings(dir)]);
    expect(linted).toEqual(checked);
    // the review says why the worker's load is open; the rule, seeing one file, does not
    const slots = (await review({ dir })).findings.find((f) => f.checkId === 'worker-concurrency-implicit')!;
    expect(slots.message).toContain('Its load is not bounded by the code: start(processOrder) at src/client.ts:13 may run any number of times');
    expect(linted.find((line) => line.includes('worker-concurrency-implicit'))).not.toContain('Its load');
    expect(linted.map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([
      'src/worker.ts:17:10 worker-concurrency-implicit',
      'src/workflows.ts:7:56 activity-non-retryable-errors-uncovered',
      'src/workflows.ts:7:56 activity-retry-policy-missing',
      'src/workflows.ts:7:56 activity-schedule-to-start-missing',
    ]);
  }, 240_000);
});
