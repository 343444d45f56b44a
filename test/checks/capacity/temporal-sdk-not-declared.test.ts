// temporal-sdk-not-declared: a manifest that lists dependencies but not the Temporal SDK the code
// it governs imports. Python: invoices/ is governed by the root pyproject.toml (no temporalio);
// reports/ by its own requirements.txt (declares it). TypeScript: @temporalio/worker is imported
// but only @temporalio/client is declared (@temporalio/common comes with the client); a workspace
// member whose import another member's package.json declares is not reported.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { review } from '../../../src/review.js';
import { pythonSdkImports, typescriptSdkImports } from '../../../src/engine/dependency-manifests.js';
import { scratchFolder } from '../../helpers/scratch-folder.js';

const fixture = (name: string) => path.resolve(import.meta.dirname, '..', '..', 'fixtures', name);
const findingsOf = async (dir: string) => (await review({ dir })).findings.filter((f) => f.checkId === 'temporal-sdk-not-declared');

describe('temporal-sdk-not-declared', () => {
  test('Python: reports the pyproject.toml that lacks temporalio once, at its dependencies line', async () => {
    const findings = await findingsOf(fixture('temporal-sdk-not-declared-python'));
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['temporal-sdk-not-declared error pyproject.toml:5']);
    expect(findings[0]!.message).toContain('invoices/worker.py:3 and 1 more file import temporalio, but pyproject.toml does not list it');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['invoices/worker.py:3', 'invoices/workflows.py:1']);
  }, 120_000);

  test('Python: a lock file that lists temporalio means it is installed: not reported', async () => {
    const dir = scratchFolder('sdk-locked', { copyOf: fixture('temporal-sdk-not-declared-python') });
    fs.writeFileSync(path.join(dir, 'uv.lock'), '[[package]]\nname = "temporalio"\nversion = "1.9.0"\n');
    expect(await findingsOf(dir)).toEqual([]);
  }, 120_000);

  test('Python: dependencies read from elsewhere (dynamic) are not judged', async () => {
    const dir = scratchFolder('sdk-dynamic', { copyOf: fixture('temporal-sdk-not-declared-python') });
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "invoices"\ndynamic = ["dependencies"]\ndependencies = []\n');
    expect(await findingsOf(dir)).toEqual([]);
  }, 120_000);

  test('Python: a dev requirements file does not own runtime code; a service requirements file still does', async () => {
    const dir = scratchFolder('sdk-dev-requirements');
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write('requirements-dev.txt', 'pytest==8.3.4\n');
    write('common/starter.py', 'from temporalio.client import Client\n');
    write('service/requirements.txt', 'requests==2.32.3\n');
    write('service/main.py', 'from temporalio.worker import Worker\n');
    // common/ is governed by nothing but a dev file: not judged; service/requirements.txt lacks it
    const findings = await findingsOf(dir);
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['temporal-sdk-not-declared error service/requirements.txt:1']);
    expect(findings[0]!.message).toContain('service/main.py:1 imports temporalio, but service/requirements.txt does not list it');
    // another requirement file of the tree declares it: it may be the one installed with service/
    write('deploy/requirements-worker.txt', 'temporalio==1.9.0\n');
    expect(await findingsOf(dir)).toEqual([]);
  }, 120_000);

  test('Python: a file a Dockerfile installs with pip install -r declares it, whatever its name', async () => {
    const dir = scratchFolder('sdk-docker-requirements', { copyOf: fixture('temporal-sdk-not-declared-python') });
    fs.mkdirSync(path.join(dir, 'deps'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'deps', 'runtime.lst'), 'temporalio==1.9.0\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM python:3.12\nCOPY . /app\nRUN pip install --no-cache-dir -r deps/runtime.lst\n');
    expect(await findingsOf(dir)).toEqual([]);
  }, 120_000);

  test('TypeScript: names the imported package the package.json does not declare, at "dependencies"', async () => {
    const findings = await findingsOf(fixture('temporal-sdk-not-declared-ts'));
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['temporal-sdk-not-declared error package.json:5']);
    expect(findings[0]!.message).toContain('src/worker.ts:2 imports @temporalio/worker, but package.json does not list it');
    expect(findings[0]!.fix).toContain('npm install @temporalio/worker');
  }, 120_000);

  test('TypeScript: a nested package with its own lock file is installed on its own: the root package.json does not cover it', async () => {
    const dir = scratchFolder('sdk-nested-lock', { copyOf: fixture('temporal-sdk-not-declared-ts') });
    fs.mkdirSync(path.join(dir, 'functions', 'src'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'functions', 'package.json'), '{\n  "name": "functions",\n  "dependencies": {\n    "@azure/functions": "4.0.0"\n  }\n}\n');
    fs.writeFileSync(path.join(dir, 'functions', 'src', 'start.ts'), "import { Client } from '@temporalio/client';\nexport const client = new Client();\n");
    // without its own lock file the nested package may be installed from the root: not judged apart
    expect((await findingsOf(dir)).map((f) => f.file)).toEqual(['package.json']);
    fs.writeFileSync(path.join(dir, 'functions', 'package-lock.json'), '{ "name": "functions", "lockfileVersion": 3, "packages": {} }\n');
    const findings = await findingsOf(dir);
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['temporal-sdk-not-declared error functions/package.json:3', 'temporal-sdk-not-declared error package.json:5']);
    expect(findings[0]!.message).toContain('functions/src/start.ts:1 imports @temporalio/client, but functions/package.json does not list it');
  }, 120_000);

  test('TypeScript: an import another workspace member declares is satisfied (hoisting): not reported', async () => {
    expect(await findingsOf(fixture('temporal-sdk-declared-workspace'))).toEqual([]);
  }, 120_000);

  test('reads imports, not mentions', () => {
    expect(pythonSdkImports('from temporalio import workflow\nimport temporalio.client\n# import temporalio\n').map((i) => i.line)).toEqual([1, 2]);
    expect(pythonSdkImports('try:\n    import temporalio\nexcept ImportError:\n    temporalio = None\n')).toEqual([]);
    expect(typescriptSdkImports("import { Worker } from '@temporalio/worker';\n// import x from '@temporalio/client';\nconst c = await import('@temporalio/client');\n").map((i) => `${i.name}:${i.line}`)).toEqual([
      '@temporalio/worker:1',
      '@temporalio/client:3',
    ]);
  });
});
