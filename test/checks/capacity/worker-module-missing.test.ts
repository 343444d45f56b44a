// worker-module-missing: the activities barrel the worker registers re-exports from
// './digest-activities.js', a file the code base does not have: the worker cannot start. The same
// fixture holds what must stay silent: a type-only import of a missing file, an import whose
// bindings are used only as types (erased), a gitignored generated client, a dynamic import inside
// a function, and a missing import in a file no worker loads.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { review } from '../../../src/review.js';
import { scratchFolder } from '../../helpers/scratch-folder.js';

const fixture = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'worker-module-missing');
const findingsOf = async (dir: string) => (await review({ dir })).findings.filter((f) => f.checkId === 'worker-module-missing');
const places = (findings: Awaited<ReturnType<typeof findingsOf>>) => findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);

describe('worker-module-missing', () => {
  test('reports the re-export of a missing file in the activities barrel, and nothing else', async () => {
    const findings = await findingsOf(fixture);
    expect(places(findings)).toEqual(['worker-module-missing error src/activities/index.ts:2']);
    const message = findings[0]!.message;
    expect(message).toContain("`export { sendDigest, buildDigest } from './digest-activities.js'` names a module that does not exist");
    expect(message).toContain("The worker for task queue 'digest' (src/worker.ts:8) loads this file at startup (src/worker.ts -> src/activities/index.ts)");
    expect(message).toContain('Cannot find module');
    expect(message).toContain('none of its workflows (digestWorkflow)');
    expect(message).toContain('Its workflows call activities sendDigest, buildDigest, which this module was to provide and no file of the code base implements.');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/worker.ts:8']);
  }, 120_000);

  test('a missing module in the workflow bundle stops the worker too', async () => {
    const dir = scratchFolder('worker-module-missing-workflows', { copyOf: fixture });
    fs.appendFileSync(path.join(dir, 'src', 'workflows', 'index.ts'), "export * from './reminders.js';\n");
    const findings = await findingsOf(dir);
    expect(places(findings)).toEqual(['worker-module-missing error src/activities/index.ts:2', 'worker-module-missing error src/workflows/index.ts:11']);
    expect(findings[1]!.message).toContain("bundles its workflowsPath, which loads this file (src/workflows/index.ts)");
    expect(findings[1]!.message).toContain("Module not found: Error: Can't resolve './reminders.js'");
  }, 120_000);

  test('once the module exists, or the build generates it, nothing is reported', async () => {
    const dir = scratchFolder('worker-module-missing-present', { copyOf: fixture });
    fs.writeFileSync(path.join(dir, 'src', 'activities', 'digest-activities.ts'), 'export async function sendDigest(d: string) {}\nexport async function buildDigest(u: string) { return u; }\n');
    expect(await findingsOf(dir)).toEqual([]);
    // the .gitignore that covers the generated API client is what keeps it silent
    fs.rmSync(path.join(dir, 'src', 'activities', 'digest-activities.ts'));
    fs.rmSync(path.join(dir, '.gitignore'));
    const withoutIgnore = await findingsOf(dir);
    expect(places(withoutIgnore)).toEqual(['worker-module-missing error src/activities/index.ts:2', 'worker-module-missing error src/activities/mail-activities.ts:3']);
  }, 120_000);

  test('a package script that writes the module keeps it silent', async () => {
    const dir = scratchFolder('worker-module-missing-script', { copyOf: fixture });
    const pkg = path.join(dir, 'package.json');
    fs.writeFileSync(pkg, JSON.stringify({ name: 'x', private: true, type: 'module', scripts: { prebuild: 'node scripts/emit.js --out src/activities/digest-activities.ts' } }));
    expect(await findingsOf(dir)).toEqual([]);
  }, 120_000);

  test('type-only imports are erased; the same import used as a value is reported', async () => {
    const dir = scratchFolder('worker-module-missing-values', { copyOf: fixture });
    const file = path.join(dir, 'src', 'activities', 'mail-activities.ts');
    // `import { MailInput }` whose binding only names a type is erased like `import type`
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('import type { MailInput }', 'import { MailInput }'));
    expect(places(await findingsOf(dir))).toEqual(['worker-module-missing error src/activities/index.ts:2']);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('const settings: MailSettings = { batch: 10 };', 'const settings = MailSettings.defaults();'));
    expect(places(await findingsOf(dir))).toEqual(['worker-module-missing error src/activities/index.ts:2', 'worker-module-missing error src/activities/mail-activities.ts:2']);
  }, 120_000);
});
