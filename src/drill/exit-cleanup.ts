// What a drill leaves must go however the process ends: a normal return runs the drills' finally
// blocks, but Node's default on SIGINT/SIGTERM ends the process without them, and the dev server
// runs in its own session, so Ctrl-C never reaches it. Cleanups registered here run from the
// 'exit' event (also reached on an uncaught error), and exitOnSignals turns a signal into
// process.exit so they run then too. Cleanups are synchronous: 'exit' runs no more callbacks.

import os from 'node:os';

const cleanups = new Set<() => void>();
let installed = false;

/** Runs task when the process exits unless the returned function is called first. */
export function cleanupOnExit(task: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', runCleanups);
  }
  cleanups.add(task);
  return () => {
    cleanups.delete(task);
  };
}

function runCleanups(): void {
  for (const task of [...cleanups]) {
    cleanups.delete(task);
    try {
      task();
    } catch {
      // one failed cleanup must not keep the others from running
    }
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Until the returned function is called, SIGINT, SIGTERM and SIGHUP end the process with
 * 128 + the signal number (130 for Ctrl-C, 143 for SIGTERM), after a one-line note and the cleanups.
 */
export function exitOnSignals(note: (line: string) => void, removed = "the drill's server, worker and temporary files are removed"): () => void {
  const handlers = SIGNALS.map((signal) => {
    const handler = () => {
      note(`temporal-preflight: stopped by ${signal}; ${removed}`);
      process.exit(128 + os.constants.signals[signal]);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}
