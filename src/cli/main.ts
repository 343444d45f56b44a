#!/usr/bin/env node
// The bin: the only place that reads process.argv.
import './quiet-warnings.js';
import { processIo } from './io.js';
import { runCli } from './run.js';

// `temporal-preflight ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const argv = process.argv.slice(2);
await runCli(argv, processIo(argv));
// Exit 2 means the run ended on its one-line error: nothing may keep the process alive after it.
// (A TLS handshake to a server that accepts TCP and never answers outlives closing the gRPC
// channel, so a failed connection would otherwise leave the process hanging.) stdout and stderr
// are synchronous for files and pipes on POSIX, so nothing written is lost.
if (process.exitCode === 2) process.exit(2);
