// A monorepo's packages are imported by several projects: each program used to parse and bind its
// own copy (on a 794k-line repository, 5,471 parsed files for 2,099 distinct ones, past a 4 GB
// heap). Programs with the same source-affecting options now share one SourceFile per file.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverProjects } from '../../src/model/typescript/discover-projects.js';
import { buildPrograms } from '../../src/model/typescript/program.js';

const root = path.resolve(import.meta.dirname, '../fixtures/model-shared-sources');

describe('programs share the project files they have in common', () => {
  const programs = buildPrograms(discoverProjects({ root }).projects);
  const byProject = (dir: string) => programs.find((p) => p.tsconfig === path.join(root, dir, 'tsconfig.json'))!.program;
  const shared = path.join(root, 'packages/lib/src/orders.ts');

  it('parses a file once for the projects whose source-affecting options agree', () => {
    expect(byProject('apps/api').getSourceFile(shared)).toBeDefined();
    expect(byProject('apps/api').getSourceFile(shared)).toBe(byProject('packages/lib').getSourceFile(shared));
  });

  it('parses it again for a project with another target, and each checker still resolves through it', () => {
    const legacy = byProject('apps/legacy').getSourceFile(shared);
    expect(legacy).toBeDefined();
    expect(legacy).not.toBe(byProject('packages/lib').getSourceFile(shared));
    for (const dir of ['apps/api', 'apps/legacy']) {
      const program = byProject(dir);
      const file = program.getSourceFile(path.join(root, dir, 'src/start.ts'))!;
      const checker = program.getTypeChecker();
      const imported = file.statements.find((s) => s.getText(file).includes('orderKey'))!;
      expect(checker.getSymbolsInScope(imported, 0x7fffffff).some((s) => s.name === 'orderKey')).toBe(true);
    }
  });
});
