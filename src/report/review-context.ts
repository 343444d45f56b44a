// The two lines every human-readable report carries about the review itself: which project,
// folder, commit and date, and what the review saw (the inventory). Plain text; each reporter
// escapes it for its format.

import type { ReviewedProject, ReviewInventory } from '../engine/types.js';

/** "shop · services/orders · commit 1a2b3c4 (uncommitted changes) · 2026-12-03 13:40 UTC" */
export function projectLine(project: ReviewedProject): string {
  return projectParts(project).join(' · ');
}

/** The pieces of projectLine, for reporters that wrap between pieces rather than inside one. */
export function projectParts(project: ReviewedProject): string[] {
  const parts = [project.name];
  if (project.path !== project.name) parts.push(project.path);
  if (project.git) parts.push(`commit ${shortCommit(project.git.commit)}${project.git.dirty ? ' (uncommitted changes)' : ''}`);
  else parts.push('not a git work tree');
  parts.push(humanDate(project.date));
  return parts;
}

/** "4 files, 1 workflow, 3 activities, ..." */
export function inventoryLine(inventory: ReviewInventory): string {
  return inventoryParts(inventory).join(', ');
}

export function inventoryParts(inventory: ReviewInventory): string[] {
  const parts: [number, string, string][] = [
    [inventory.files, 'file', 'files'],
    [inventory.workflows, 'workflow', 'workflows'],
    [inventory.activities, 'activity', 'activities'],
    [inventory.proxies, 'activity proxy', 'activity proxies'],
    [inventory.workers, 'worker', 'workers'],
    [inventory.taskQueues, 'task queue', 'task queues'],
    [inventory.starts, 'workflow start', 'workflow starts'],
    [inventory.histories, 'history', 'histories'],
  ];
  return parts.map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
}

export function shortCommit(commit: string): string {
  return commit.slice(0, 12);
}

/** "2026-12-03 13:40 UTC" from an ISO date. */
export function humanDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
