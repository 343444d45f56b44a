// The process boundary: stdout, stderr, exit code and report files. Commands receive a CliIo so
// tests can run them in-process.

import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../engine/errors.js';
import { escapeTerminalOutput } from '../report/control-characters.js';
import { writeFileAtomic } from './write-file-atomic.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stdout is a terminal. */
  isTTY: boolean;
  /** The terminal's width when stdout is one (reports wrap to it); undefined otherwise. */
  columns?: number;
  /** Colours allowed: a TTY and NO_COLOR unset (FORCE_COLOR forces them on). */
  color: boolean;
  setExitCode(code: number): void;
  /** Writes a report to the file, or to stdout when no file is given. */
  writeOutput(text: string, outputFile?: string): void;
  /** Verbose errors (stack traces). */
  debug: boolean;
}

export function processIo(argv: string[]): CliIo {
  const isTTY = Boolean(process.stdout.isTTY);
  const env = process.env;
  const color = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' ? true : isTTY && env.NO_COLOR === undefined;
  const io: CliIo = {
    stdout: (text) => void process.stdout.write(escapeTerminalOutput(text)),
    stderr: (text) => void process.stderr.write(escapeTerminalOutput(text)),
    isTTY,
    ...(isTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
    color,
    setExitCode: (code) => {
      process.exitCode = code;
    },
    writeOutput: (text, outputFile) => writeOutput(io, text, outputFile),
    debug: argv.includes('--debug'),
  };
  return io;
}

export function writeOutput(io: Pick<CliIo, 'stdout'>, text: string, outputFile?: string): void {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (!outputFile) {
    io.stdout(body);
    return;
  }
  try {
    fs.mkdirSync(path.dirname(path.resolve(outputFile)), { recursive: true });
    writeFileAtomic(outputFile, body);
  } catch (error) {
    throw new UsageError(`${outputFile}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
