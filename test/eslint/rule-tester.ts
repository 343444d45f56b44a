// ESLint's RuleTester wired to vitest and to @typescript-eslint/parser with type information from
// the fixture project (the code under test replaces the fixture file's text in memory).
import path from 'node:path';
import { RuleTester } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { afterAll, describe, it } from 'vitest';

export const fixtureDir = path.resolve(import.meta.dirname, '../fixtures/eslint-workflows');
export const workflowFile = path.join(fixtureDir, 'src/workflows/order.ts');

const tester = RuleTester as unknown as { describe: unknown; it: unknown; itOnly: unknown; afterAll: unknown };
tester.describe = describe;
tester.it = it;
tester.itOnly = it.only;
tester.afterAll = afterAll;

export function typedRuleTester(): RuleTester {
  return new RuleTester({
    languageOptions: {
      parser: tsParser,
      // CI=true would switch typescript-eslint to single-run mode, which reads the file from disk
      // instead of the code under test
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: fixtureDir, disallowAutomaticSingleRunInference: true },
    },
  });
}
