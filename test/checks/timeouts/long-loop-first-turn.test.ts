// activity-long-loop-without-heartbeat on a `for await` whose body returns on its first turn (read
// FALSE on a real code base: a helper that reads a CSV header with `for await (const line of rl)
// { return ... }` was called a stream read item by item). Such a loop runs once; a loop that may
// `continue` past its items is still a stream.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('long-loop-first-turn');
});

describe('activity-long-loop-without-heartbeat and loops that leave on their first turn', () => {
  it('reports the stream walked line by line, not the header read that returns on the first line', () => {
    const found = fixture.findings(['activity-long-loop-without-heartbeat']);
    expect(found.map(where)).toEqual([{ checkId: 'activity-long-loop-without-heartbeat', severity: 'warning', file: 'src/activities.ts', line: 24 }]);
    expect(found[0]!.message).toMatch(/^loadDump streams \(for await \(const line of lines\) \{\)/);
  });

  it('records no loop sign for the one-turn loop (opening the file stream stays a sign of its own)', () => {
    const header = fixture.model.activities.find((activity) => activity.name === 'checkDumpColumns')!;
    expect(header.longRunning.map((sign) => sign.text)).toEqual(['createReadStream(path)']);
  });
});
