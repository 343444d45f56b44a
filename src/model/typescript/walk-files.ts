// Walks a directory tree for TypeScript sources and tsconfig.json files. Robust against symlink
// loops (directories are visited once by real path), links out of the tree (not followed),
// unreadable directories and large trees (only paths are kept; no file is read here).

import fs from 'node:fs';
import path from 'node:path';
import { realFolder, resolveInside } from '../../engine/real-path-inside.js';

const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist']);
const TS_SOURCE = /\.(ts|tsx|mts|cts)$/;
const DECLARATION = /\.d\.(ts|mts|cts)$|\.d\.[^.]+\.ts$/;

export interface WalkResult {
  /** TypeScript sources (no declaration files), sorted. */
  sourceFiles: string[];
  /** tsconfig.json files, sorted. */
  tsconfigs: string[];
  /** Directories that could not be read. */
  unreadable: string[];
  /** Symbolic links whose real path is outside the root (not followed). */
  outside: string[];
}

export function isTypeScriptSource(file: string): boolean {
  return TS_SOURCE.test(file) && !DECLARATION.test(file);
}

export function walkProject(root: string, accept: (file: string) => boolean): WalkResult {
  const sourceFiles: string[] = [];
  const tsconfigs: string[] = [];
  const unreadable: string[] = [];
  const outside: string[] = [];
  const realRoot = realFolder(root);
  const visitedDirectories = new Set<string>();
  const seenFiles = new Set<string>();
  const pending = [root];
  while (pending.length > 0) {
    const directory = pending.pop()!;
    let real: string;
    let entries: fs.Dirent[];
    try {
      real = fs.realpathSync(directory);
      if (visitedDirectories.has(real)) continue;
      visitedDirectories.add(real);
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch {
      unreadable.push(directory);
      continue;
    }
    for (const entry of entries) {
      const full = path.join(directory, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      let real = full;
      if (entry.isSymbolicLink()) {
        const resolved = resolveInside(realRoot, full);
        if (!resolved) continue; // dangling link
        if (!resolved.inside) {
          outside.push(full);
          continue;
        }
        real = resolved.real;
        try {
          const stat = fs.statSync(real);
          isDirectory = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          continue;
        }
      }
      if (isDirectory) {
        if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) continue;
        pending.push(full);
      } else if (isFile) {
        if (entry.name === 'tsconfig.json') {
          tsconfigs.push(full);
        } else if (isTypeScriptSource(entry.name) && accept(full)) {
          // A file reached twice through symlinks is reviewed once.
          const key = real;
          if (seenFiles.has(key)) continue;
          seenFiles.add(key);
          sourceFiles.push(full);
        }
      }
    }
  }
  sourceFiles.sort();
  tsconfigs.sort();
  outside.sort();
  return { sourceFiles, tsconfigs, unreadable, outside };
}
