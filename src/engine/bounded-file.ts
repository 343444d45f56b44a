// Reading files of a reviewed repository, which may hold anything: a link to /dev/zero, a FIFO
// that blocks forever, a 50 MB generated file. Only regular files are read, each under a size cap
// for its kind; anything else gets a one-line reason the caller turns into a diagnostic or error.
// (Histories have no cap: they are streamed in fixed-size chunks, so only the file kind matters.)

import fs from 'node:fs';
import { formatSize } from './duration.js';

/** preflight.config.* and drill scenarios: a hand-written file of a few KB. */
export const CONFIG_FILE_MAX_BYTES = 1024 * 1024;
/** Alert rule files, runbooks, package.json and CI files the checks read. */
export const PROJECT_FILE_MAX_BYTES = 8 * 1024 * 1024;
/**
 * TypeScript sources: parsing takes about 100 times the file's size in memory, so a 50 MB
 * generated file would exhaust the heap. Hand-written files are far below this.
 */
export const SOURCE_FILE_MAX_BYTES = 4 * 1024 * 1024;
/** Sources larger than this are checked for minified code (no hand-written file looks like it). */
const MINIFIED_CHECK_BYTES = 256 * 1024;
const MINIFIED_AVERAGE_LINE = 2000;

/**
 * Why the file cannot be read as a regular file of at most maxBytes (an error code such as ENOENT,
 * `a named pipe, not a regular file`, `60 MiB, over the 4 MiB limit`); undefined when it can.
 */
export function fileProblem(file: string, maxBytes = Infinity): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    return errorCode(error);
  }
  return statProblem(stat, maxBytes);
}

function statProblem(stat: fs.Stats, maxBytes: number): string | undefined {
  if (!stat.isFile()) return `${kindOf(stat)}, not a regular file`;
  if (stat.size > maxBytes) return `${formatSize(stat.size)}, over the ${formatSize(maxBytes)} limit`;
  return undefined;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

export type BoundedRead = { ok: true; text: string } | { ok: false; reason: string };

/** The file's text when it is a regular file of at most maxBytes (even if it grows while read). */
export function readBoundedFile(file: string, maxBytes: number): BoundedRead {
  const problem = fileProblem(file, maxBytes);
  if (problem) return { ok: false, reason: problem };
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes + 1, fs.fstatSync(fd).size + 1));
    let filled = 0;
    for (;;) {
      if (filled === buffer.length) return { ok: false, reason: `over the ${formatSize(maxBytes)} limit` };
      const read = fs.readSync(fd, buffer, filled, buffer.length - filled, null);
      if (read === 0) break;
      filled += read;
    }
    return { ok: true, text: buffer.subarray(0, filled).toString('utf8') };
  } catch (error) {
    return { ok: false, reason: errorCode(error) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Why a TypeScript source is not parsed (not a regular file, over the cap, minified); undefined when it is. */
export function sourceFileProblem(file: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined; // a missing file is the compiler's to report
  }
  const problem = statProblem(stat, SOURCE_FILE_MAX_BYTES);
  if (problem || stat.size <= MINIFIED_CHECK_BYTES) return problem;
  const head = Buffer.alloc(64 * 1024);
  const fd = fs.openSync(file, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  let lines = 1;
  for (let i = 0; i < read; i++) if (head[i] === 0x0a) lines++;
  return read / lines > MINIFIED_AVERAGE_LINE ? `minified code (lines of ${Math.round(read / lines)} characters on average)` : undefined;
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'something else';
}
