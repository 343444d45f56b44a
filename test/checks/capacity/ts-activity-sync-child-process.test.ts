// TypeScript activities run on the worker's main Node.js thread: a synchronous child process
// (execSync, execFileSync, spawnSync) reached from one blocks the worker's event loop until it ends.
// Long-running or unreadable commands are warnings, other visible ones info, quick local ones
// nothing; activity-child-process-unstoppable leaves the synchronous calls to this check.
import { describe, expect, it } from 'vitest';
import blocksEventLoop from '../../../src/checks/capacity/activity-blocks-event-loop.js';
import childProcess from '../../../src/checks/timeouts/activity-child-process-unstoppable.js';
import { fixtureReview, where } from './fixture-review.js';

describe('TypeScript activity running a child process synchronously', () => {
  const review = fixtureReview('ts-sync-child-process');

  it('reports a git clone in a helper and ffmpeg or an unreadable command as warnings, an unknown program as info, not quick local commands or readFileSync', () => {
    const findings = review.run(blocksEventLoop);
    expect(where(findings)).toEqual([
      'activity-blocks-event-loop warning src/activities.ts:25',
      'activity-blocks-event-loop info src/activities.ts:29',
      'activity-blocks-event-loop warning src/repo-tools.ts:4',
      'activity-blocks-event-loop warning src/repo-tools.ts:13',
    ]);
    const [ffmpeg, render, clone, shell] = findings;
    expect(clone!.message).toContain('Activity prepareRepo runs `git clone --depth 1 ...` (execSync) synchronously at src/repo-tools.ts:4, reached from the activity at src/activities.ts:7.');
    expect(clone!.message).toContain("run on the worker's main Node.js thread");
    expect(clone!.message).toContain('neither the attempt\'s timeout nor a cancellation can reach the activity');
    expect(clone!.message).not.toContain('rev-parse');
    expect(shell!.message).toContain('Activity runUserCommand runs a command built at run time');
    expect(ffmpeg!.message).toContain('`ffmpeg -i ...` (execFileSync)');
    expect(render!.message).toContain('`./render-report ...` (execFileSync)');
    expect(clone!.fix).toContain('cancellationSignal');
  });

  it('leaves synchronous calls out of activity-child-process-unstoppable and keeps the async spawn', () => {
    const findings = review.run(childProcess);
    expect(where(findings)).toEqual(['activity-child-process-unstoppable warning src/activities.ts:33']);
    expect(findings[0]!.message).toContain('Activity streamLogs starts a child process');
  });
});
