// Temporary folders for tests, removed however the test ends (passed, failed or timed out), so a
// run of the suite leaves nothing in the temporary folder. The suite's teardown
// (suite-leftovers.ts) fails the run when anything made in it is still there at the end; the
// `preflight-<name>-` names made here say which test made a folder it reports.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, onTestFinished } from 'vitest';

/** The prefix of every folder made here. */
export const SCRATCH_PREFIX = 'preflight-';

export interface ScratchOptions {
  /** Make the folder here instead of the system temporary folder (created if missing). */
  parent?: string;
  /** Copy this folder's contents into the new folder. */
  copyOf?: string;
}

/**
 * A fresh folder removed when the current test ends. Call it inside a test or a beforeEach hook.
 */
export function scratchFolder(name: string, options: ScratchOptions = {}): string {
  const folder = makeFolder(name, options.parent);
  onTestFinished(() => removeFolder(folder));
  fill(folder, options);
  return folder;
}

/**
 * The path of a fresh folder that exists while the enclosing suite (or the whole file, at top
 * level) runs: made before its first test, removed after its last. Call it at the top level of a
 * test file or of a helper module it imports, or in a describe body, and use the folder only in
 * hooks and tests. A suite that is skipped (describe.skipIf, a -t filter) makes no folder, so it
 * leaves none.
 */
export function scratchFolderForSuite(name: string, options: ScratchOptions = {}): string {
  // a name no other folder has, made only when the suite runs
  const folder = path.join(options.parent ?? os.tmpdir(), `${SCRATCH_PREFIX}${name}-${randomBytes(6).toString('hex')}`);
  beforeAll(() => {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    fill(folder, options);
  });
  afterAll(() => removeFolder(folder));
  return folder;
}

/** Runs body with a fresh folder and removes the folder when body settles, for code outside a test's lifetime. */
export async function withScratchFolder<T>(name: string, body: (folder: string) => T | Promise<T>, options: ScratchOptions = {}): Promise<T> {
  const folder = makeFolder(name, options.parent);
  try {
    fill(folder, options);
    return await body(folder);
  } finally {
    removeFolder(folder);
  }
}

function makeFolder(name: string, parent = os.tmpdir()): string {
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, `${SCRATCH_PREFIX}${name}-`));
}

function fill(folder: string, options: ScratchOptions): void {
  if (options.copyOf) fs.cpSync(options.copyOf, folder, { recursive: true });
}

function removeFolder(folder: string): void {
  fs.rmSync(folder, { recursive: true, force: true });
}
