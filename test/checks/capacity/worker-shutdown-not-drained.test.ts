// worker-shutdown-not-drained: a shutdown path that exits the process, or closes what the
// activities use, before the worker has drained.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import shutdownNotDrained from '../../../src/checks/capacity/worker-shutdown-not-drained.js';
import { fixtureReview, where, type FixtureReview } from './fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('worker-shutdown');
});

describe('the SDK facts the check rests on (@temporalio/worker as installed)', () => {
  const lib = path.join(path.dirname(createRequire(import.meta.url).resolve('@temporalio/worker')));
  it('Worker.shutdown() returns void (it only starts the shutdown) and run() returns the promise that settles once drained', () => {
    const declarations = fs.readFileSync(path.join(lib, 'worker.d.ts'), 'utf8');
    expect(declarations).toMatch(/\n\s+shutdown\(\): void;/);
    expect(declarations).toMatch(/Completes after graceful \{@link shutdown\}, once the Worker reaches the\s+\*\s+`'STOPPED'` state\.\s+\*[^]*?run\(\): Promise<void>;/);
  });

  it("the Runtime shuts workers down on SIGINT and SIGTERM unless shutdownSignals says otherwise", () => {
    const options = fs.readFileSync(path.join(lib, 'runtime-options.js'), 'utf8');
    expect(options).toMatch(/shutdownSignals: options\.shutdownSignals \?\? \['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'\]/);
  });

  it("the Runtime's handler is one more process.on listener: it starts the shutdown and holds no other handler back", () => {
    const runtime = fs.readFileSync(path.join(lib, 'runtime.js'), 'utf8');
    // setupShutdownHook adds a listener per signal (it neither replaces nor wraps the application's)
    expect(runtime).toMatch(/setupShutdownHook\(\) \{\s+for \(const signal of this\.options\.shutdownSignals\) \{\s+process\.on\(signal, this\.startShutdownSequence\);/);
    // and the sequence it starts only asks the workers to shut down: nothing in it keeps the process alive against a process.exit
    const sequence = runtime.slice(runtime.indexOf('startShutdownSequence = () => {'));
    expect(sequence.slice(0, sequence.indexOf('\n    };'))).not.toMatch(/process\.(exit|off|removeAllListeners)/);
  });
});

describe('worker-shutdown-not-drained', () => {
  it('reports each exit or close that comes before the drain, at that call', () => {
    expect(where(review.run(shutdownNotDrained))).toEqual([
      // awaits between shutdown() and the exit that only close the connection and the health server
      'worker-shutdown-not-drained warning src/close-callback.ts:14',
      'worker-shutdown-not-drained warning src/close-callback.ts:26',
      // the awaited promise chain only closes the client's connection, then the handler exits
      'worker-shutdown-not-drained warning src/close-chain-exit.ts:16',
      'worker-shutdown-not-drained warning src/close-then-exit.ts:21',
      'worker-shutdown-not-drained warning src/exit-on-signal.ts:12',
      'worker-shutdown-not-drained info src/indirect-exit.ts:14',
      'worker-shutdown-not-drained warning src/pool-worker.ts:29',
      'worker-shutdown-not-drained warning src/stop-then-exit.ts:27',
      'worker-shutdown-not-drained warning src/timed-drain.ts:17',
    ]);
  });

  it('follows an exit into the callback of server.close(), which waits for the server and not the worker', () => {
    const [afterShutdown, withoutShutdown] = review.run(shutdownNotDrained).filter((f) => f.file === 'src/close-callback.ts');
    expect(afterShutdown!.data).toEqual({ kind: 'exit-before-drain', direct: true });
    expect(afterShutdown!.message).toContain('The exit sits in the callback of `server.close(...)`, which runs once that has closed, not once the worker has drained.');
    expect(withoutShutdown!.data).toEqual({ kind: 'closes-without-shutdown', direct: true });
    expect(withoutShutdown!.message).toMatch(/^This signal handler path exits the process \(`process\.exit\(0\)`\)/);
  });

  it('warns at a force-exit timer no longer than shutdownGraceTime in a handler that waits for the drain, not at a longer one', () => {
    const timed = review.run(shutdownNotDrained).filter((f) => f.file === 'src/timed-drain.ts');
    expect(timed).toHaveLength(1);
    expect(timed[0]!.data).toEqual({ kind: 'force-exit-timer', direct: true });
    expect(timed[0]!.message).toContain("ends the process after 5s, no longer than the worker's shutdownGraceTime (30s)");
  });

  it('warns at process.exit after a stop function that only calls worker.shutdown(), and notes the force-exit timer no longer than the grace time', () => {
    const finding = review.run(shutdownNotDrained).find((f) => f.file === 'src/stop-then-exit.ts')!;
    expect(finding.message).toMatch(/^`process\.exit\(0\)` runs right after worker\.shutdown\(\) without waiting for the worker to drain\. Worker\.shutdown\(\) returns void/);
    expect(finding.message).toMatch(/A force-exit timer \(setTimeout with process\.exit after 5s\) is armed as well, no longer than the worker's shutdownGraceTime \(5s\)/);
    expect(finding.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/stop-then-exit.ts:16', 'src/stop-then-exit.ts:23', 'src/stop-then-exit.ts:8', 'src/stop-then-exit.ts:24']);
  });

  it("warns where a subclass's stop() closes a pool under the running worker, reached from the base class's signal handler", () => {
    const finding = review.run(shutdownNotDrained).find((f) => f.file === 'src/pool-worker.ts')!;
    expect(finding.message).toMatch(/^This signal handler path closes `this\.pool` while a worker runs in the process, and never calls worker\.shutdown\(\)/);
    expect(finding.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/service.ts:4', 'src/pool-worker.ts:19']);
  });

  it('leaves alone a handler that awaits the run promise after shutdown, and one that lets the SDK handle the signal', () => {
    const files = review.run(shutdownNotDrained).map((f) => f.file);
    expect(files).not.toContain('src/drained.ts');
    expect(files).not.toContain('src/sdk-signals.ts');
  });
});
