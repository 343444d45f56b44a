#!/usr/bin/env node
// The bin: the only place that reads process.argv.
import { processIo } from './io.js';
import { runCli } from './run.js';

// `temporal-preflight ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const argv = process.argv.slice(2);
await runCli(argv, processIo(argv));
