// activity-non-retryable-type-unknown on Python projects: the SDK reports a raised exception's type
// as its class name (type(err).__name__), so an entry naming an exception class of a package the
// project imports (anthropic.RateLimitError, httpx.HTTPStatusError, subprocess.CalledProcessError)
// matches what the client call raises although no project code raises it. A package whose
// exceptions preflight does not know (mistralai) may raise any name: an entry that matches nothing
// is then not a fact, unless it looks like a known type misspelt.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { pythonLibraryOfErrorType } from '../../../src/engine/activity-policy/library-error-types.js';

const fixtures = path.resolve(import.meta.dirname, '..', '..', 'fixtures');
let findings: Finding[];
let resolved: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: path.join(fixtures, 'python-library-error-names'), config: undefined }));
  ({ findings: resolved } = await review({ dir: path.join(fixtures, 'python-library-error-names-resolved'), config: undefined }));
}, 180_000);

const unknownTypes = (list: Finding[]) =>
  list.filter((f) => f.checkId === 'activity-non-retryable-type-unknown').map((f) => `${f.severity} ${f.file}:${f.line} ${(f.data?.unknownErrorTypes as string[]).join(',')}`);

describe('activity-non-retryable-type-unknown: exception classes of imported packages', () => {
  test('the SDK exception class names are known facts, by module', () => {
    expect(pythonLibraryOfErrorType('RateLimitError', ['anthropic'])).toBe('anthropic');
    expect(pythonLibraryOfErrorType('BadRequestError', ['openai'])).toBe('openai');
    expect(pythonLibraryOfErrorType('HTTPStatusError', ['httpx'])).toBe('httpx');
    expect(pythonLibraryOfErrorType('CalledProcessError', ['subprocess'])).toBe('subprocess');
    expect(pythonLibraryOfErrorType('UniqueViolationError', ['asyncpg'])).toBe('asyncpg');
    expect(pythonLibraryOfErrorType('ConnectionResetError', [])).toBe('builtins');
    // Not imported: not known.
    expect(pythonLibraryOfErrorType('RateLimitError', ['httpx'])).toBeUndefined();
  });

  test('known names pass; misspellings and dead project classes stay warnings; a name an unknown package may raise is info', () => {
    expect(unknownTypes(findings)).toEqual([
      'warning app/workflows.py:24 OrderRejectd',
      'info app/workflows.py:25 SDKError',
      'warning app/workflows.py:26 RateLimitErorr',
      // A class of the project that no activity raises is a dead entry, not a package's exception.
      'warning app/workflows.py:27 LegacyFailure',
    ]);
    const [own, unseen, sdk] = findings.filter((f) => f.checkId === 'activity-non-retryable-type-unknown');
    expect(own!.message).toContain("'OrderRejectd' looks like 'OrderRejected'");
    expect(unseen!.message).toContain("The project imports packages whose exceptions preflight does not know ('mistralai')");
    expect(sdk!.message).toContain("'RateLimitErorr' looks like 'RateLimitError'");
  });

  test('when every imported package is known, an entry that matches nothing stays a warning', () => {
    expect(unknownTypes(resolved)).toEqual(['warning app/workflows.py:14 PaymentFailed']);
  });
});
