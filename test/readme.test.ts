// The README's check table lists every registered check with its area and docs page, so the
// front page cannot drift from the registry.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checks } from '../src/checks/index.js';

const readme = fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../README.md'), 'utf8');

describe('README', () => {
  it.each(checks.map((c) => [c.id, c]))('lists %s in the check table', (id, check) => {
    expect(readme).toContain(`| ${check.area} | [\`${id}\`](docs/checks/${id}.md) | ${check.severity} | ${check.evidence} |`);
  });

  it('has a quick start of exactly two commands', () => {
    const quickStart = readme.split('## Quick start')[1]!.split('\n## ')[0]!;
    const commands = quickStart.split('```sh')[1]!.split('```')[0]!.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));
    expect(commands).toEqual([
      'npm ci && npm run build && node dist/cli/main.js check examples/prototype-app',
      'npm ci && bash scripts/install-test-tools.sh && npm test',
    ]);
  });
});
