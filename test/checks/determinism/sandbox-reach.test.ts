// A sandbox module's function body runs only when workflow code calls it: the globals it uses are
// reported only then (error), or at warning when workflow code only passes the function around.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from './review-fixture.js';

describe('workflow-uses-unavailable-global and the reach of sandbox code', () => {
  it('reports top-level code and called helpers, warns on a function passed as a value, and skips a function only client code calls', () => {
    const findings = findingsOf('sandbox-reach', ['workflow-uses-unavailable-global']);
    expect(where(findings)).toEqual([
      // Top level of a module the workflow imports: always runs.
      'workflow-uses-unavailable-global error src/config/queues.ts:3',
      // encodeLabel: called by describeOrder, which the workflow calls.
      'workflow-uses-unavailable-global error src/config/queues.ts:10',
      // remoteLookup: only stored in an object by workflow code.
      'workflow-uses-unavailable-global warning src/config/queues.ts:14',
    ]);
    // queueForClient (line 6) is called only by src/client.ts: its process.env read never runs in the sandbox.
    expect(findings.map((f) => f.data?.['reach'])).toEqual(['runs', 'runs', 'maybe']);
  });

  it('workflow-module-mutable-state counts only writes in functions workflow code calls', () => {
    // clientCalls (line 21) is incremented only in countClientCall, which only src/client.ts calls.
    expect(where(findingsOf('sandbox-reach', ['workflow-module-mutable-state']))).toEqual([
      'workflow-module-mutable-state info src/config/queues.ts:22',
    ]);
  });
});
