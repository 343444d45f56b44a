// The one way a name from untrusted input (a workflow id or type from a server or from reviewed
// code) becomes part of a file name this tool writes: percent-encoded so that no separator, dot
// segment or control character survives, and reversible with decodeURIComponent. Every writer also
// checks that the resolved path stays inside its output folder, so a future caller that forgets
// the encoding fails loudly instead of writing elsewhere.

import path from 'node:path';
import { UsageError } from './errors.js';

/** A safe, reversible file name part: `../x` becomes `..%2Fx`, `.` and `..` become `%2E` and `%2E%2E`. */
export function encodeFileNamePart(text: string): string {
  const encoded = encodeURIComponent(text).replace(/\*/g, '%2A');
  return encoded === '.' || encoded === '..' ? encoded.replace(/\./g, '%2E') : encoded;
}

/** `folder/name`, refused (a usage error naming both) when it resolves outside `folder`. */
export function pathInside(folder: string, name: string): string {
  const target = path.join(folder, name);
  const relative = path.relative(path.resolve(folder), path.resolve(target));
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new UsageError(`${target}: refusing to write outside ${folder}`);
  }
  return target;
}
