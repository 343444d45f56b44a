#!/usr/bin/env node
// The bin: the only place that reads process.argv.
import { processIo } from './io.js';
import { runCli } from './run.js';

const argv = process.argv.slice(2);
await runCli(argv, processIo(argv));
