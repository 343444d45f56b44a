// An in-memory CliIo for running commands in-process.
import type { CliIo } from '../../src/cli/io.js';
import { writeOutput } from '../../src/cli/io.js';

export interface RecordedIo extends CliIo {
  out: string;
  err: string;
  exitCode: number;
}

export function fakeIo(options: { color?: boolean } = {}): RecordedIo {
  const io: RecordedIo = {
    out: '',
    err: '',
    exitCode: 0,
    isTTY: false,
    color: options.color ?? false,
    debug: false,
    stdout(text) {
      io.out += text;
    },
    stderr(text) {
      io.err += text;
    },
    setExitCode(code) {
      io.exitCode = code;
    },
    writeOutput(text, outputFile) {
      writeOutput(io, text, outputFile);
    },
  };
  return io;
}
