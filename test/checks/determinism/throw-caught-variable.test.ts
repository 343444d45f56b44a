// workflow-throws-plain-error on `throw lastSendError ?? new Error('...')`, where lastSendError
// holds only what `await sendEmail()` rejected with (an ActivityFailure, a TemporalFailure that
// fails the workflow): not a plain error. A variable also assigned a plain object still is.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from './review-fixture.js';

describe('workflow-throws-plain-error and a variable holding a caught activity failure', () => {
  it('reports nothing for the rethrow of a caught activity failure, and the plain object otherwise', () => {
    expect(where(findingsOf('throw-caught-variable', ['workflow-throws-plain-error']))).toEqual([
      'workflow-throws-plain-error error src/workflows.ts:27',
    ]);
  });
});
