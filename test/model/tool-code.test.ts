// Which files are tools around a service (scripts, examples, local runners, debuggers), which
// checks about the deployed service's configuration leave alone.
import { describe, expect, test } from 'vitest';
import { isToolCode } from '../../src/model/tool-code.js';

describe('isToolCode', () => {
  test('folders and files named for tools', () => {
    expect(
      ['scripts/start.ts', 'src/dev/worker.ts', 'src/worker.dev.ts', 'src/local-worker.ts', 'src/temporal/utils/temporal-debugger.ts', 'src/temporal/utils/temporal-debugger-simple.ts', 'src/debug/replay.ts', 'bench/load.ts'].map(isToolCode),
    ).toEqual([true, true, true, true, true, true, true, true]);
  });

  test('service code, including names that only contain a tool word', () => {
    expect(['src/worker.ts', 'src/temporal/client.ts', 'src/developer-portal/routes.ts', 'src/localization/strings.ts', 'src/debugging-info.ts'].map(isToolCode)).toEqual([false, false, false, false, false]);
  });
});
