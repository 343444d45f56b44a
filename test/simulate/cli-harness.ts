// Runs `simulate` and `capacity` in-process through the real program, registering them when the
// program does not have them yet, with the exit-code mapping of src/cli/run.ts.
import { CommanderError } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { registerCapacity } from '../../src/cli/commands/capacity.js';
import { registerSimulate } from '../../src/cli/commands/simulate.js';
import { UsageError } from '../../src/engine/errors.js';
import { fakeIo, type RecordedIo } from '../helpers/fake-io.js';

export async function runSimulationCli(argv: string[], options: { color?: boolean } = {}): Promise<RecordedIo> {
  const io = fakeIo(options);
  const program = buildProgram(io);
  const has = (name: string): boolean => program.commands.some((c) => c.name() === name);
  if (!has('simulate')) registerSimulate(program, io);
  if (!has('capacity')) registerCapacity(program, io);
  for (const command of program.commands) command.exitOverride((error) => { throw error; });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) io.setExitCode(error.exitCode === 0 ? 0 : 2);
    else if (error instanceof UsageError) {
      io.stderr(`temporal-preflight: ${error.message}\n`);
      io.setExitCode(2);
    } else throw error;
  }
  return io;
}
