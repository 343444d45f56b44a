// Runs the CLI against an io and maps errors to exit codes: 2 for usage errors, unreadable
// input and internal errors, with a one-line message (stack trace only with --debug).
import { CommanderError } from 'commander';
import { UsageError } from '../engine/errors.js';
import { escapeControlCharacters } from '../report/control-characters.js';
import type { CliIo } from './io.js';
import { buildProgram } from './program.js';

export async function runCli(argv: string[], io: CliIo): Promise<void> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit 0; commander already printed its one-line message
      io.setExitCode(error.exitCode === 0 ? 0 : 2);
      return;
    }
    if (error instanceof UsageError) {
      io.stderr(`temporal-preflight: ${escapeControlCharacters(error.message)}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      io.stderr(`temporal-preflight: internal error: ${escapeControlCharacters(message.split('\n')[0]!)}${io.debug ? '' : ' (run with --debug for details)'}\n`);
    }
    if (io.debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    io.setExitCode(2);
  }
}
