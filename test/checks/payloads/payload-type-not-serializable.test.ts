// payload-type-not-serializable: the default payload converter is JSON, so a Map or a Set in a
// payload type arrives as `{}` and a bigint cannot be written at all.

import { describe, expect, it } from 'vitest';
import { DefaultPayloadConverter } from '@temporalio/common';
import payloadTypeNotSerializable from '../../../src/checks/payloads/payload-type-not-serializable.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('payload-type-not-serializable', () => {
  it('rests on the SDK fact: a Map or a Set comes back as {}, and a bigint cannot be converted', () => {
    const converter = new DefaultPayloadConverter();
    const back = converter.fromPayload<{ usage: unknown; seen: unknown }>(converter.toPayload({ usage: new Map([['a', 1]]), seen: new Set(['x']) }));
    expect(back).toEqual({ usage: {}, seen: {} });
    expect(back.usage).not.toBeInstanceOf(Map);
    expect(converter.fromPayload(converter.toPayload(new Map([['a', 1]])))).toEqual({});
    expect(() => converter.toPayload({ amount: 10n })).toThrow(/Unable to convert/);
  });

  it('reports Map, Set and bigint in payload types, once per declaration', { timeout: 120_000 }, () => {
    const findings = payloadFindings('payload-type-not-serializable');
    // Not reported: Record<string, number> (activities.ts:2), string[] (3), Date (4), the count
    // signal (workflows.ts:13), summarize's Record and array parameters (activities.ts:19).
    expect(where(findings)).toEqual([
      'payload-type-not-serializable error src/activities.ts:7',
      'payload-type-not-serializable warning src/activities.ts:11',
      'payload-type-not-serializable error src/activities.ts:15',
      'payload-type-not-serializable error src/workflows.ts:8',
      'payload-type-not-serializable warning src/workflows.ts:12',
    ]);
    const [scores, tags, amount, usage, seen] = findings;
    expect(scores!.message).toContain('holds `scores: Map<string, number>`');
    expect(scores!.message).toContain('scores.get(...) (src/activities.ts:8) then throws a TypeError on the plain object: the activity fails on every attempt.');
    expect(tags!.message).toContain('The result of activity listTags holds `result: Set<string>`');
    expect(amount!.message).toContain('Do not know how to serialize a BigInt');
    expect(usage!.message).toContain('The input `input` of workflow usageWorkflow holds `input.carried.usage: Map<string, number>`');
    expect(usage!.message).toContain('gives `{}` for a Map');
    expect(usage!.message).toContain('usage.set(...) (src/workflows.ts:18) then throws a TypeError on the plain object, once the workflow has continued as new with it');
    expect(usage!.related?.map((r) => `${r.line} ${r.message}`)).toEqual([
      '15 the input `input` of workflow usageWorkflow',
      '22 handed to the next run here',
      '18 throws a TypeError on the plain object',
    ]);
    expect(seen!.message).toContain('The input `args[0]` of signal seen holds `args[0].seen: Set<string>`');
  });

  it('says nothing when the project configures its own payload converter (payloadConverterPath)', { timeout: 120_000 }, () => {
    expect(payloadFindings('payload-type-not-serializable-converter')).toEqual([]);
  });
});

function payloadFindings(fixture: string) {
  return fixtureReview(fixture).run(payloadTypeNotSerializable);
}
