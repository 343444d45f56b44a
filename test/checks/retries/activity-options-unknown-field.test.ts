// activity-options-unknown-field (issue 13, a miss on an unseen code base): a shared retry constant
// written with `initialIntervalMs` / `maximumIntervalMs` type-checks (it is not a literal at the
// call) and the SDK ignores both fields, so the activity retries on the default 1 s / 100 s
// schedule. Unknown top-level option keys are ignored the same way. A policy written with the
// SDK's own names gets nothing; ignored intervals that would wait the same (the default 1 s, or no
// retry at all) are a note. Over test/fixtures/retries-options-unknown-field.

import { beforeAll, describe, expect, it } from 'vitest';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';

let fixture: BuiltFixture;

beforeAll(() => {
  fixture = buildFixture('retries-options-unknown-field');
});

describe('activity-options-unknown-field', () => {
  it('reports the proxies whose options carry fields the SDK does not read, and only those', () => {
    expect(fixture.findings(['activity-options-unknown-field']).map(where)).toEqual([
      { checkId: 'activity-options-unknown-field', severity: 'warning', file: 'src/workflows.ts', line: 5 },
      { checkId: 'activity-options-unknown-field', severity: 'warning', file: 'src/workflows.ts', line: 10 },
      { checkId: 'activity-options-unknown-field', severity: 'info', file: 'src/workflows.ts', line: 17 },
      { checkId: 'activity-options-unknown-field', severity: 'info', file: 'src/workflows.ts', line: 18 },
    ]);
  });

  it('names each field, where it is written, and the field that was meant', () => {
    const [network, quick] = fixture.findings(['activity-options-unknown-field']);
    expect(network!.data?.['unknownFields']).toEqual([
      { path: 'retry.initialIntervalMs', meant: 'retry.initialInterval', written: '2000' },
      { path: 'retry.maximumIntervalMs', meant: 'retry.maximumInterval', written: '30000' },
    ]);
    expect(network!.message).toContain('retry.initialIntervalMs: 2000 (src/config.ts:6)');
    expect(network!.message).toContain('retry.initialInterval and retry.maximumInterval keep their default');
    expect(network!.fix).toContain('Rename retry.initialIntervalMs to retry.initialInterval and retry.maximumIntervalMs to retry.maximumInterval');
    expect(network!.related?.map((r) => `${r.line}`)).toEqual(['6', '7']);
    expect(quick!.data?.['unknownFields']).toEqual([{ path: 'timeoutMs', written: '30000' }]);
  });

  it('notes fields whose intended values change no retry yet', () => {
    const [, , same, once] = fixture.findings(['activity-options-unknown-field']);
    expect(same!.message).toContain('With these values nothing changes yet: the retries wait the same with the intended values as with the defaults.');
    expect(once!.message).toContain('With these values nothing changes yet: maximumAttempts is 1, so no retry waits at all.');
  });
});
