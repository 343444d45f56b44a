import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/eslint/index.js';
import { fixtureDir } from './rule-tester.js';

describe('the recommended flat config', () => {
  it('reports the defects of workflow files and leaves activity code alone', { timeout: 240_000 }, async () => {
    const eslint = new ESLint({
      cwd: fixtureDir,
      overrideConfigFile: true,
      overrideConfig: [
        { files: ['**/*.ts'], languageOptions: { parser: tsParser, parserOptions: { projectService: true, tsconfigRootDir: fixtureDir, disallowAutomaticSingleRunInference: true } } },
        ...plugin.configs.recommended!,
      ],
    });
    const results = await eslint.lintFiles(['src/**/*.ts']);
    const messages = results
      .flatMap((r) => r.messages.map((m) => `${r.filePath.slice(fixtureDir.length + 1)}:${m.line}:${m.column} ${m.ruleId}`))
      .sort();
    expect(messages).toEqual([
      'src/workflows/order.ts:11:13 temporal-preflight/workflow-uses-unavailable-global',
      // At the throw statement, where `check` puts the finding.
      'src/workflows/order.ts:7:30 temporal-preflight/workflow-throws-plain-error',
      'src/workflows/order.ts:9:21 temporal-preflight/workflow-uses-weakref',
    ]);
    expect(results.map((r) => r.filePath.slice(fixtureDir.length + 1)).sort()).toEqual(['src/activities.ts', 'src/workflows/order.ts']);
  });
});
