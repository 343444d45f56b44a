// The project directory a command reviews: it must exist and be a directory, checked first so a
// typo reads "no such directory" rather than whatever the next step trips over.

import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';

/** The absolute path of dir; a usage error when it is missing or not a directory. */
export function projectDirectory(dir: string): string {
  const root = path.resolve(dir);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new UsageError(`${root}: no such directory`);
  }
  if (!stat.isDirectory()) throw new UsageError(`${root}: not a directory`);
  return root;
}
