// Which path texts name a place on the worker's own disk, for the front-ends that record the local
// paths an activity uses. Computed parts are written `{name}`.

import type { LocalPathHandoff, LocalPathReceiver, SourceLocation } from './types.js';

/** Relative to the working directory (`dumps/{id}`, `./out`) or under /tmp; not a URL, not computed at its root. */
export function isLocalPath(text: string): boolean {
  if (text.includes('://') || text.startsWith('{')) return false;
  // A media type (`application/json`) is not a path.
  if (/^(application|text|image|audio|video|multipart|font)\/[\w.+-]+$/.test(text)) return false;
  if (/^\/(tmp|var\/tmp)\/./.test(text)) return true;
  // Any other absolute path may be a mounted volume or a network share.
  if (text.startsWith('/')) return false;
  // A directory written as a word then a slash, then a computed part or a file name.
  return /^(\.\/)?[A-Za-z0-9_.-]+\/./.test(text) && !/\s/.test(text);
}

/** A local path a workflow holds, as the front-ends group its receivers under it. */
export interface HeldLocalPath {
  expression: string;
  path?: string;
  declaration: SourceLocation;
  producer?: LocalPathHandoff['producer'];
}

/**
 * The hand-offs among one workflow's held paths: a path an activity or child produced that the
 * workflow passes on, or one the workflow builds that reaches two or more different calls.
 */
export function handoffsOfGroups(workflow: string, groups: Iterable<{ held: HeldLocalPath; receivers: LocalPathReceiver[] }>): LocalPathHandoff[] {
  const handoffs: LocalPathHandoff[] = [];
  for (const { held, receivers } of groups) {
    const distinct = new Set(receivers.map((r) => `${r.kind}:${r.name}`));
    if (held.producer ? receivers.length === 0 : distinct.size < 2) continue;
    handoffs.push({
      workflow,
      expression: held.expression,
      ...(held.path ? { path: held.path } : {}),
      declaration: held.declaration,
      ...(held.producer ? { producer: held.producer } : {}),
      receivers,
    });
  }
  return handoffs;
}
