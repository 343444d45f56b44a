// Expands the history arguments users give: files, folders (recursively, *.json) and globs.
// A path that matches nothing is a usage error naming it; the result is sorted and de-duplicated.

import fs from 'node:fs';
import path from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { UsageError } from './errors.js';

export function expandJsonPaths(inputs: string[], cwd: string = process.cwd()): string[] {
  const found = new Set<string>();
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    if (isDynamicPattern(input)) {
      const matches = globSync(input, { cwd, absolute: true, ignore: ['**/node_modules/**'] }).filter((f) => f.endsWith('.json'));
      if (matches.length === 0) throw new UsageError(`${input}: no history files match`);
      matches.forEach((m) => found.add(path.resolve(m)));
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new UsageError(`${input}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      const matches = globSync('**/*.json', { cwd: absolute, absolute: true, ignore: ['**/node_modules/**'] });
      matches.forEach((m) => found.add(path.resolve(m)));
    } else {
      found.add(absolute);
    }
  }
  return [...found].sort();
}
