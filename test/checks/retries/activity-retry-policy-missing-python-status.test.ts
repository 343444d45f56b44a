// activity-retry-policy-missing on Python activities that call `response.raise_for_status()` (in
// their body or a project helper): the HTTP library raises its status error on a 4xx, a permanent
// failure the default policy retries without limit, so the message does not say no error is raised.
// The outage count then takes every attempt to fail at once and says so (an HTTP call may wait until
// start_to_close_timeout). A raise_for_status() inside a try that catches the status error counts not.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-retry-status');
let findings: Finding[];

beforeAll(async () => {
  findings = (await review({ dir: root })).findings.filter((f) => f.checkId === 'activity-retry-policy-missing');
});

describe('activity-retry-policy-missing: raise_for_status() raises the HTTP status error', () => {
  test('the calls whose activities call raise_for_status() are one warning, the caught one its own', () => {
    expect(findings.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['warning app/workflows.py:13', 'warning app/workflows.py:14']);
  });

  test('the helper raise is named, a 4xx is said permanent, and the attempt count is an upper bound', () => {
    const [book] = findings;
    expect(book!.message).toContain(
      'No error is found raised by the implementations or the project helpers they call themselves, but raise_for_status() is called (app/http.py:9): it raises httpx.HTTPStatusError on any 4xx or 5xx response. ' +
        'A 4xx other than 408 or 429 (a rejected request, a missing resource, a refused credential) fails the same way on every attempt, and it is retried without limit like an outage.',
    );
    expect(book!.message).toContain(
      'An outage of 30 minutes makes up to 25 attempts per activity, when each attempt fails at once; attempts that wait on the HTTP call until start_to_close_timeout (5m) make 7; at 10,000 workflows in flight that is up to 250,000 Actions',
    );
    expect(book!.message).toContain(
      'The same holds for 1 more call of workflow Ledger without a retry policy (void_entry; line 15), whose activities likewise call raise_for_status() (each place is a related location) and raise nothing else the review found retried',
    );
    expect(book!.related).toEqual([
      expect.objectContaining({ file: 'app/http.py', line: 9, message: 'book_entry raises httpx.HTTPStatusError here on a 4xx or 5xx response' }),
      expect.objectContaining({ file: 'app/workflows.py', line: 15, message: 'another call without a retry policy' }),
    ]);
    expect(book!.data).toMatchObject({ statusRaises: [{ type: 'httpx.HTTPStatusError', activity: 'book_entry', file: 'app/http.py', line: 9 }] });
  });

  test('a raise_for_status() caught as httpx.HTTPStatusError is not counted', () => {
    const peek = findings[1]!;
    expect(peek.message).toContain('No error is found raised by the implementations or the project helpers they call; what is retried without limit are transient failures');
    expect(peek.message).toContain('An outage of 30 minutes makes 25 attempts per activity;');
    expect(peek.data?.['statusRaises']).toBeUndefined();
  });
});
