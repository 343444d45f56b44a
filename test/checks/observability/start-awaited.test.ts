// workflow-start-without-search-attributes: a start whose caller waits for the result (execute(),
// start().then((h) => h.result()), a handle awaited for its result) is a note; a fire-and-forget
// start with a random id stays a warning.
import { describe, expect, it } from 'vitest';
import startAttributes from '../../../src/checks/observability/workflow-start-without-search-attributes.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('workflow-start-without-search-attributes: the caller waits for the result', () => {
  it('notes the awaited starts and warns on the fire-and-forget one', () => {
    const findings = fixtureReview('observability-start-awaited').run(startAttributes);
    expect(where(findings)).toEqual([
      'workflow-start-without-search-attributes info src/routes.ts:7',
      'workflow-start-without-search-attributes info src/routes.ts:11',
      'workflow-start-without-search-attributes info src/routes.ts:17',
      'workflow-start-without-search-attributes warning src/routes.ts:23',
    ]);
    expect(findings[0]!.message).toContain('but the caller waits for the run: execute() waits for the result, so its result or failure reaches the code that started it.');
    expect(findings[1]!.message).toContain('the handle it returns is awaited for its result');
    expect(findings[2]!.message).toContain('it waits for handle.result()');
  });
});
