// Expands the history paths the user gave (files, folders, globs) into a sorted list of files.
// A path that matches nothing becomes a failure entry, so one typo does not hide the others. Each
// file is listed once by real path (a link such as `again -> .` does not count runs twice), and a
// link inside a given folder that leads out of it is not followed.

import fs from 'node:fs';
import path from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import type { HistoryFileFailure } from './types.js';
import { outsideLinkMessage, realFolder, resolveInside } from '../../engine/real-path-inside.js';
import { relativePath } from '../typescript/locate.js';

export interface HistoryFileList {
  /** Absolute paths, sorted, without duplicates. */
  files: string[];
  /** Paths that matched nothing (labels relative to root). */
  missing: HistoryFileFailure[];
  /** Links in a given folder that lead out of it (not read), with the message saying so. */
  outside: { file: string; message: string }[];
}

const IGNORED = ['**/node_modules/**', '**/.git/**'];

export function collectHistoryFiles(paths: readonly string[], cwd: string, root: string): HistoryFileList {
  const files = new Set<string>();
  const realFiles = new Set<string>();
  const missing: HistoryFileFailure[] = [];
  const outside: HistoryFileList['outside'] = [];
  const add = (file: string, realFolderPath?: string, folderLabel?: string) => {
    const resolved = resolveInside(realFolderPath ?? path.parse(file).root, file);
    if (!resolved) return;
    if (realFolderPath && !resolved.inside) {
      const label = historyLabel(root, file);
      outside.push({ file: label, message: outsideLinkMessage(label, folderLabel) });
      return;
    }
    if (realFiles.has(resolved.real)) return;
    realFiles.add(resolved.real);
    files.add(file);
  };
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(absolute);
    } catch {
      stat = undefined;
    }
    if (stat && !stat.isDirectory()) {
      // a named pipe or a device too: the reader says what it is instead of "no such file"
      add(absolute);
    } else if (stat?.isDirectory()) {
      const found = globSync('**/*.json', { cwd: absolute, absolute: true, ignore: IGNORED, dot: false });
      if (found.length === 0) missing.push({ file: historyLabel(root, absolute), reason: 'no .json files in this folder' });
      const realDirectory = realFolder(absolute);
      for (const file of found.sort()) add(path.normalize(file), realDirectory, historyLabel(root, absolute) || '.');
    } else if (isDynamicPattern(given)) {
      const found = globSync(given, { cwd, absolute: true, ignore: IGNORED, onlyFiles: true });
      if (found.length === 0) missing.push({ file: given, reason: 'no files match this pattern' });
      for (const file of found.sort()) add(path.normalize(file));
    } else {
      missing.push({ file: historyLabel(root, absolute), reason: 'no such file or directory' });
    }
  }
  return { files: [...files].sort(), missing, outside };
}

/** The path of a history file as reports show it (relative to the reviewed directory). */
export const historyLabel = relativePath;
