// Expands the history paths the user gave (files, folders, globs) into a sorted list of files.
// A path that matches nothing becomes a failure entry, so one typo does not hide the others.

import fs from 'node:fs';
import path from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import type { HistoryFileFailure } from './types.js';
import { relativePath } from '../typescript/locate.js';

export interface HistoryFileList {
  /** Absolute paths, sorted, without duplicates. */
  files: string[];
  /** Paths that matched nothing (labels relative to root). */
  missing: HistoryFileFailure[];
}

const IGNORED = ['**/node_modules/**', '**/.git/**'];

export function collectHistoryFiles(paths: readonly string[], cwd: string, root: string): HistoryFileList {
  const files = new Set<string>();
  const missing: HistoryFileFailure[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(absolute);
    } catch {
      stat = undefined;
    }
    if (stat?.isFile()) {
      files.add(absolute);
    } else if (stat?.isDirectory()) {
      const found = globSync('**/*.json', { cwd: absolute, absolute: true, ignore: IGNORED, dot: false });
      if (found.length === 0) missing.push({ file: historyLabel(root, absolute), reason: 'no .json files in this folder' });
      for (const file of found) files.add(path.normalize(file));
    } else if (isDynamicPattern(given)) {
      const found = globSync(given, { cwd, absolute: true, ignore: IGNORED, onlyFiles: true });
      if (found.length === 0) missing.push({ file: given, reason: 'no files match this pattern' });
      for (const file of found) files.add(path.normalize(file));
    } else {
      missing.push({ file: historyLabel(root, absolute), reason: 'no such file or directory' });
    }
  }
  return { files: [...files].sort(), missing };
}

/** The path of a history file as reports show it (relative to the reviewed directory). */
export const historyLabel = relativePath;
