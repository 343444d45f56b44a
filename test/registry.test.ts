// The registry array and the check files stay in step: every src/checks/<area>/<id>.ts is
// registered, every registered check lives in the file named by its area and id, ids are unique.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checks } from '../src/checks/index.js';
import { AREAS } from '../src/engine/types.js';

const checksDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/checks');

/** `<area>/<id>` for every .ts file in an area folder under src/checks. */
function checkFiles(): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(checksDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of fs.readdirSync(path.join(checksDir, entry.name))) {
      if (file.endsWith('.ts')) files.push(`${entry.name}/${file.slice(0, -'.ts'.length)}`);
    }
  }
  return files.sort();
}

describe('check registry', () => {
  it('registers exactly the check files under src/checks/<area>/', () => {
    const registered = checks.map((check) => `${check.area}/${check.id}`).sort();
    expect(registered).toEqual(checkFiles());
  });

  it('keeps check ids unique', () => {
    const ids = checks.map((check) => check.id);
    const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
    expect(duplicates).toEqual([]);
  });

  it('puts every check in a folder named for one of the six areas', () => {
    const folders = fs.readdirSync(checksDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((folder) => !(AREAS as readonly string[]).includes(folder))).toEqual([]);
    expect(checks.filter((check) => !AREAS.includes(check.area)).map((check) => check.id)).toEqual([]);
  });

  it('gives every check a one-line description', () => {
    const bad = checks.filter((check) => check.description.trim() === '' || check.description.includes('\n')).map((check) => check.id);
    expect(bad).toEqual([]);
  });
});
