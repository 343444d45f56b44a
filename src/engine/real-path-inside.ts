// Whether a path found inside a folder (by a directory walk or a glob) really is inside it once
// symbolic links are resolved. A link such as `src/etclink -> /etc` would otherwise have the
// review read, quote and report files the user never asked it to look at.

import fs from 'node:fs';
import path from 'node:path';

/** The canonical path of a folder (symbolic links resolved); the path itself when it cannot be resolved. */
export function realFolder(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}

/** The real path of `file`, and whether it lies inside `realRoot` (a path from realFolder); undefined for a dangling link. */
export function resolveInside(realRoot: string, file: string): { real: string; inside: boolean } | undefined {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return undefined;
  }
  return { real, inside: real === realRoot || isInside(realRoot, real) };
}

/** `file` lies below `folder` (by path, links not resolved). */
export function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** The first symbolic link on the way from `folder` down to `file` (`file` itself when there is none). */
export function linkOnTheWay(folder: string, file: string): string {
  let current = folder;
  for (const part of path.relative(folder, file).split(path.sep)) {
    current = path.join(current, part);
    try {
      if (fs.lstatSync(current).isSymbolicLink()) return current;
    } catch {
      break;
    }
  }
  return file;
}

/** The diagnostic text for a link that leaves the folder (`where`: "the reviewed folder" or the folder's name). */
export function outsideLinkMessage(label: string, where = 'the reviewed folder'): string {
  return `${label}: symbolic link to a path outside ${where}; not read`;
}
