// Reports and generated files are written to a temporary file beside the target and renamed over
// it: a write that fails half way (full disk, file size limit, a signal) leaves the previous file
// as it was and no temporary file behind, never a truncated report that looks complete.

import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(target: string, content: string): void {
  const directory = path.dirname(path.resolve(target));
  // hidden, and named for this process so two runs writing the same target never share it
  const temporary = path.join(directory, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    fs.writeFileSync(temporary, content, { flag: 'wx' });
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
