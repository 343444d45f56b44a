// activity-heartbeat-from-timer when the work the timer covers is stopped by the code's own timer:
// a helper that spawns a child process, kills it on a setTimeout of a limit it is given and
// heartbeats from a setInterval through a callback passed in; an activity that aborts its fetch on a
// 2-minute setTimeout. A hung step then heartbeats until that timer, not until startToCloseTimeout
// (2h): the finding states that bound and stays info. The same helper without the kill timer is
// still a warning under the 2-hour startToClose. A call through a callback parameter is named as
// a callback passed in, not as a method behind an interface.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

const CHECK = 'activity-heartbeat-from-timer';

describe(`${CHECK} when the code stops the work on its own timer`, () => {
  it('states the kill or abort timer as the bound and keeps the finding info', { timeout: 120_000 }, () => {
    const findings = findingsOf('heartbeat-killed-child', [CHECK]);
    expect(where(findings)).toEqual([
      `${CHECK} info src/activities.ts:12`,
      `${CHECK} info src/run-tool.ts:13`,
      `${CHECK} warning src/run-tool.ts:25`,
    ]);
    const [fetchReport, lintRepo, formatRepo] = findings;
    expect(fetchReport!.message).toContain(
      'a hung step keeps heartbeating until the code aborts it at its own timeout (2m, src/activities.ts:14), not until startToCloseTimeout (2h).',
    );
    expect(fetchReport!.message).not.toContain('that long');
    expect(lintRepo!.message).toContain(
      'a hung step keeps heartbeating until the code kills it at its own timeout (options.limitMs, src/run-tool.ts:12), not until startToCloseTimeout (2h).',
    );
    expect(lintRepo!.message).not.toContain('that long');
    expect(formatRepo!.message).toContain('a hung step keeps heartbeating until startToCloseTimeout (2h) ends the attempt. With a startToCloseTimeout that long');
  });

  it('names a call through a callback parameter as a callback passed in', { timeout: 120_000 }, () => {
    const lintRepo = findingsOf('heartbeat-killed-child', [CHECK])[1]!;
    expect(lintRepo.message).toContain('but it calls options.onTick (src/run-tool.ts:13) that the tool cannot follow (a callback passed in): whether a cancellation stops the activity is not known.');
    expect(lintRepo.message).not.toContain('a method behind an interface');
  });
});
