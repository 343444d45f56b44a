// activity-non-retryable-type-unknown on TypeScript projects: the SDK reports a thrown error's type
// as error.constructor.name (@temporalio/common ensureApplicationFailure), so an entry naming an
// error class of an npm package the project imports (the Anthropic SDK's AuthenticationError,
// thrown by the client call) matches although no project code throws it. An entry no package
// and no activity throws stays a warning.
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { review } from '../../../src/review.js';
import { packageOfSpecifier, typescriptLibraryOfErrorType } from '../../../src/engine/activity-policy/library-error-types.js';

const fixture = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'ts-library-error-names');

describe('activity-non-retryable-type-unknown: error classes of imported npm packages', () => {
  test('the error class names are known by package, and a specifier names its package', () => {
    expect(typescriptLibraryOfErrorType('AuthenticationError', ['@anthropic-ai/sdk'])).toBe('@anthropic-ai/sdk');
    expect(typescriptLibraryOfErrorType('AxiosError', ['express', 'axios'])).toBe('axios');
    expect(typescriptLibraryOfErrorType('AuthenticationError', ['axios'])).toBeUndefined();
    expect([packageOfSpecifier('@anthropic-ai/sdk/resources'), packageOfSpecifier('openai/helpers'), packageOfSpecifier('./x'), packageOfSpecifier('node:fs')]).toEqual([
      '@anthropic-ai/sdk',
      'openai',
      undefined,
      undefined,
    ]);
  });

  test("the Anthropic SDK's classes pass; the entry nothing throws is the finding", async () => {
    const { findings } = await review({ dir: fixture });
    const unknown = findings.filter((f) => f.checkId === 'activity-non-retryable-type-unknown');
    expect(unknown.map((f) => `${f.severity} ${f.file}:${f.line} ${(f.data?.unknownErrorTypes as string[]).join(',')}`)).toEqual([
      'warning src/workflows.ts:4 InvalidPromptError',
    ]);
  });
});
