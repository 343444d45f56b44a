// Which reviewed files are test code. Starts, workers, mock activities and a harness's
// Runtime.install in tests are not production, so the code checks skip them by default; only
// no-replay-test reads them. Decided from the path relative to the reviewed directory (so a
// project that itself lives under a `test/` folder is still reviewed) and from what the file imports.

import picomatch from 'picomatch';
import { relativePath } from './locate.js';

export interface TestCodeOptions {
  /** Review test code like production code (config `tests.review`). */
  review?: boolean;
  /** More globs of test code, relative to the reviewed directory (config `tests.patterns`). */
  patterns?: string[];
}

/** Folders whose contents are tests or test support, at any depth below the reviewed directory. */
const TEST_DIRECTORIES = new Set(['test', 'tests', '__tests__', '__mocks__', '__fixtures__', 'fixtures', 'test-utils', 'test-helpers', 'testutils', 'e2e']);
/** `orders.test.ts`, `orders.spec.ts`, NestJS's `app.e2e-spec.ts`, `orders.test-d.ts`. */
const TEST_FILE_NAME = /[.-](test|spec|e2e-spec|test-d)\.[cm]?[jt]sx?$/;
/**
 * Test support modules by name: `test-utils.ts`, `test-helpers.ts`, `testUtils.ts`, and suffixed
 * forms (`workspace.test-utils.ts`, `billing-test-helpers.ts`). Such helpers often use the runner's
 * globals (`expect`) without importing them, so their imports alone do not tell.
 */
const TEST_SUPPORT_NAME = /(?:^|[.\-_])test[-_]?(?:utils|helpers)\.[cm]?[jt]sx?$/i;
/** Imports that only test code makes: the SDK's test environment and the test runners. */
const TEST_IMPORT = /(?:\bfrom|\bimport|\brequire\s*\()\s*\(?\s*['"](?:@temporalio\/testing|vitest|@jest\/globals|jest|mocha|chai|sinon|ava|node:test|@nestjs\/testing)['"]/;

export function createTestCodeFilter(root: string, options: TestCodeOptions = {}): (file: string, text: string | undefined) => boolean {
  if (options.review) return () => false;
  const extra = options.patterns?.length ? picomatch(options.patterns, { dot: true }) : () => false;
  return (file, text) => {
    const relative = relativePath(root, file);
    if (extra(relative)) return true;
    const segments = relative.split('/');
    const name = segments.pop() ?? '';
    if (TEST_FILE_NAME.test(name) || TEST_SUPPORT_NAME.test(name)) return true;
    if (segments.some((segment) => TEST_DIRECTORIES.has(segment))) return true;
    return text !== undefined && TEST_IMPORT.test(text);
  };
}
