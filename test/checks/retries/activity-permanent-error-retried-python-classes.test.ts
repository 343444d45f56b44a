// activity-permanent-error-retried on Python raises reached through the project's classes and
// asserts: an `assert` on the activity's input with a permanent message, a raise in the
// `__init__` of a class the activity constructs, in a method of the instance it keeps in a local,
// and two calls down through `self.check = SchemeCheck(); self.check.verify(...)`; `No links
// provided` reads as permanent. Left alone: an assert on a value the activity computed, an empty
// listing of the worker's own disk (glob), and a raise in an `except` clause that wraps an
// OSError. Over test/fixtures/python-permanent-errors-classes.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-permanent-errors-classes');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('activity-permanent-error-retried on Python classes and asserts', () => {
  test('reports the input assert and the raises in the constructed classes as one finding, at the assert', () => {
    const permanent = findings.filter((f) => f.checkId === 'activity-permanent-error-retried');
    expect(permanent.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-permanent-error-retried info app/activities.py:8',
    ]);
    const [assertion] = permanent;
    expect(assertion!.message).toContain('index_shelf raises a plain AssertionError "Index requests must have a shelf"');
    expect(assertion!.message).toContain('4 attempts');
    expect(assertion!.message).toContain('It also raises 3 plain errors of that kind: catalog.py line 15 "shelf must be a non-empty string", catalog.py line 20 ');
    const related = assertion!.related!.map((r) => `${r.file}:${r.line} ${r.message}`);
    expect(related.slice(0, 3)).toEqual([
      expect.stringMatching(/app\/catalog\.py:15 .*"shelf must be a non-empty string" \(in a function it calls\), also permanent/),
      expect.stringMatching(/app\/catalog\.py:20 .*the message says "No links provided"/),
      expect.stringMatching(/app\/catalog\.py:9 .*"Unsupported scheme in link: …" \(2 calls down\), also permanent/),
    ]);
  });

  test('leaves alone the computed-value assert, the disk listing and the wrapped OSError', () => {
    const lines = findings.filter((f) => f.checkId === 'activity-permanent-error-retried').map((f) => `${f.file}:${f.line}`);
    const related = findings.filter((f) => f.checkId === 'activity-permanent-error-retried').flatMap((f) => (f.related ?? []).map((r) => `${r.file}:${r.line}`));
    for (const line of ['app/activities.py:11', 'app/catalog.py:28', 'app/catalog.py:35']) {
      expect(lines).not.toContain(line);
      expect(related).not.toContain(line);
    }
  });
});
