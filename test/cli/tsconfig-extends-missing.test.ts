// A tsconfig.json that extends a missing file: TypeScript carries on with this file's options
// alone, silently. The review says so in a diagnostic naming the file.

import { describe, expect, it } from 'vitest';
import { jsonOutput, runCliProcess } from '../helpers/cli-process.js';

describe('check with a tsconfig that extends a missing file', () => {
  it('reports the missing base as a parse-error diagnostic of tsconfig.json', async () => {
    const run = await runCliProcess(['check', 'test/fixtures/tsconfig-extends-missing', '--format', 'json'], { timeoutMs: 120_000 });
    expect(run.timedOut).toBe(false);
    const report = jsonOutput(run);
    expect(report.diagnostics).toContainEqual({
      kind: 'parse-error',
      file: 'tsconfig.json',
      line: 1,
      message: "tsconfig.json:1: Cannot read file 'tsconfig.base.json'; the project is reviewed without the options it would inherit",
    });
  }, 130_000);
});
