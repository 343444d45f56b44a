// Where the shared real histories are: ../shared/histories next to the repository (as in CI), or
// PREFLIGHT_SHARED_DIR when the checkout lives elsewhere (a worktree). Tests skip without them.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedDir = process.env.PREFLIGHT_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared');
export const sharedHistories = path.join(sharedDir, 'histories');
export const hasSharedHistories = fs.existsSync(sharedHistories);

export function sharedHistoryFiles(): string[] {
  if (!hasSharedHistories) return [];
  const files: string[] = [];
  for (const dir of fs.readdirSync(sharedHistories).sort()) {
    const folder = path.join(sharedHistories, dir);
    if (!fs.statSync(folder).isDirectory()) continue;
    for (const name of fs.readdirSync(folder).sort()) if (name.endsWith('.json')) files.push(path.join(folder, name));
  }
  return files;
}

export function warnWhenAbsent(what: string): void {
  if (!hasSharedHistories) console.warn(`skipping ${what}: ${sharedHistories} is absent (set PREFLIGHT_SHARED_DIR to point at the shared folder)`);
}
