// Builds the commander program with every command registered against one CliIo.
import { Command, CommanderError } from 'commander';
import { toolInfo } from '../engine/tool-info.js';
import { registerCheck } from './commands/check.js';
import { registerDrill } from './commands/drill.js';
import { registerFetch } from './commands/fetch.js';
import { registerHistories } from './commands/histories.js';
import { registerGenerate } from './commands/generate.js';
import { registerInit } from './commands/init.js';
import { registerReplay } from './commands/replay.js';
import { registerSimulate } from './commands/simulate.js';
import { registerCapacity } from './commands/capacity.js';
import type { CliIo } from './io.js';

export function buildProgram(io: CliIo): Command {
  const program = new Command();
  program
    .name('temporal-preflight')
    .description('Tells whether a Temporal application is ready for production, and proves it.')
    .version(toolInfo().version)
    .option('--debug', 'print stack traces for errors')
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(text.split('\n')[0] + '\n'),
    })
    .exitOverride((error: CommanderError) => {
      throw error;
    });
  registerCheck(program, io);
  registerInit(program, io);
  registerFetch(program, io);
  registerHistories(program, io);
  registerReplay(program, io);
  registerDrill(program, io);
  registerGenerate(program, io);
  registerSimulate(program, io);
  registerCapacity(program, io);
  for (const command of program.commands) command.exitOverride((error) => { throw error; });
  return program;
}
