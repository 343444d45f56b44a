// activity-permanent-error-retried on the Python front-end: `raise Exception(f"... not found")`
// in an @activity.defn under the default policy is a note (info) at the raise, a helper's
// `raise ValueError("unsupported ...")` under maximum_attempts=3 is info; a raise in an except
// clause, a transient condition, a message that is only a variable and a single-attempt call are
// left alone. Over test/fixtures/python-permanent-errors.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-permanent-errors');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('activity-permanent-error-retried on Python', () => {
  test('reports the permanent raises at the raise, with the non_retryable fix', () => {
    const permanent = findings.filter((f) => f.checkId === 'activity-permanent-error-retried');
    expect(permanent.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-permanent-error-retried info app/activities.py:17',
      'activity-permanent-error-retried info app/activities.py:25',
      'activity-permanent-error-retried info app/activities.py:59',
    ]);
    expect(permanent[1]!.message).toContain('fetch_profile raises a plain Exception "profile … not found"');
    expect(permanent[1]!.fix).toContain('ApplicationError("...", type="NotFound", non_retryable=True)');
    expect(permanent[0]!.message).toContain('parse_order raises a plain ValueError "unsupported order format: …" (in a function it calls)');
    expect(permanent[0]!.message).toContain('3 attempts over 3 seconds (maximum_attempts is 3)');
  });

  test('reports an activity once, at its first permanent raise, with the authorization check related', () => {
    const share = findings.find((f) => f.checkId === 'activity-permanent-error-retried' && f.line === 59)!;
    expect(share.message).toContain('share_profile raises a plain ValueError "profile … does not exist"');
    expect(share.message).toContain('It also raises a plain error of that kind: line 61 "viewer … is not authorized for this profile".');
    expect(share.related?.map((r) => `${r.file}:${r.line}`)).toEqual([
      expect.stringMatching(/app\/activities\.py:61$/),
      expect.stringMatching(/app\/activities\.py:56$/),
      expect.stringMatching(/app\/workflows\.py:19$/),
    ]);
  });
});
