// The files changed since a git ref (check --since): what `git diff --name-only <ref>` lists
// (committed, staged and unstaged changes; a renamed file under its new name) plus untracked
// files, relative to the reviewed directory. Git is run as a child process, read-only.

import { execFileSync } from 'node:child_process';
import { UsageError } from './errors.js';

export function changedFilesSince(root: string, ref: string): Set<string> {
  const git = (args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  try {
    git(['rev-parse', '--show-toplevel']);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError('--since needs git on PATH');
    throw new UsageError(`--since ${ref}: ${root} is not in a git repository`);
  }
  try {
    git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  } catch {
    throw new UsageError(`--since ${ref}: no such commit in the repository of ${root}`);
  }
  const split = (text: string) => text.split('\0').filter(Boolean);
  return new Set([
    ...split(git(['diff', '--name-only', '--relative', '-z', '--end-of-options', ref, '--'])),
    ...split(git(['ls-files', '--others', '--exclude-standard', '-z'])),
  ]);
}
