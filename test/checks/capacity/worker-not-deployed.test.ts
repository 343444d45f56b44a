// worker-not-deployed: the deployment files start the application and none of them starts a
// worker. Python: the Dockerfile runs run.py, which serves shop.api:app (read from the string given
// to uvicorn.run); nothing it loads reaches shop/worker.py; the compose file only runs a Temporal
// server. TypeScript: the Dockerfile runs `npm start` (node dist/server.js -> src/server.ts);
// src/jobs.ts creates the worker. Any way the worker may start after all (a Procfile line, a
// lifespan import, a Dockerfile without CMD, an unknown program) silences it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { review } from '../../../src/review.js';
import { resolveCommand, simpleCommands } from '../../../src/engine/deployed-processes.js';
import { reachedFiles } from '../../../src/engine/source-reach.js';
import { scratchFolder } from '../../helpers/scratch-folder.js';

const fixture = (name: string) => path.resolve(import.meta.dirname, '..', '..', 'fixtures', name);
const findingsOf = async (dir: string) => (await review({ dir })).findings.filter((f) => f.checkId === 'worker-not-deployed');

describe('worker-not-deployed', () => {
  test('Python: reports the Dockerfile CMD that runs only the API', async () => {
    const findings = await findingsOf(fixture('worker-not-deployed-python'));
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['worker-not-deployed info Dockerfile:12']);
    expect(findings[0]!.message).toContain('Dockerfile:12 `python run.py` runs the application');
    expect(findings[0]!.message).toContain('the worker at shop/worker.py:11');
    expect(findings[0]!.fix).toContain('python -m shop.worker');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['shop/worker.py:11']);
  }, 120_000);

  test('Python: a Procfile process that runs the worker deploys it', async () => {
    const dir = scratchFolder('worker-procfile', { copyOf: fixture('worker-not-deployed-python') });
    fs.writeFileSync(path.join(dir, 'Procfile'), 'web: python run.py\njobs: python -m shop.worker\n');
    expect(await findingsOf(dir)).toEqual([]);
  }, 120_000);

  test('Python: an API whose lifespan imports the worker inside a function starts it', async () => {
    const dir = scratchFolder('worker-lifespan', { copyOf: fixture('worker-not-deployed-python') });
    const api = path.join(dir, 'shop', 'api.py');
    fs.writeFileSync(
      api,
      fs.readFileSync(api, 'utf8').replace(
        'app = FastAPI()',
        'from contextlib import asynccontextmanager\n\n\n@asynccontextmanager\nasync def lifespan(app):\n    from shop.worker import main\n    task = asyncio.create_task(main())\n    yield\n    task.cancel()\n\napp = FastAPI(lifespan=lifespan)',
      ),
    );
    expect(await findingsOf(dir)).toEqual([]);
  }, 120_000);

  test('Python: a deploy pipeline that runs the worker module on a host deploys it', async () => {
    const dir = scratchFolder('worker-pipeline', { copyOf: fixture('worker-not-deployed-python') });
    fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.github', 'workflows', 'deploy.yml'), 'jobs:\n  deploy:\n    steps:\n      - run: ssh app@host "docker run -d shop python -m shop.worker"\n');
    expect(await findingsOf(dir)).toEqual([]);
  }, 120_000);

  test('Python: a second Dockerfile without CMD (its command set elsewhere) may run the worker', async () => {
    const dir = scratchFolder('worker-image-unset', { copyOf: fixture('worker-not-deployed-python') });
    fs.writeFileSync(path.join(dir, 'Dockerfile.jobs'), 'FROM python:3.12-slim\nCOPY . .\nRUN pip install -r requirements.txt\n');
    expect(await findingsOf(dir)).toEqual([]);
  }, 120_000);

  test('Python: an entry script running a program the review cannot read is not judged', async () => {
    const dir = scratchFolder('worker-unknown-program', { copyOf: fixture('worker-not-deployed-python') });
    fs.writeFileSync(path.join(dir, 'start.sh'), '#!/bin/sh\nset -e\nalembic upgrade head\nshop-jobs --all &\nexec python run.py\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8').replace('CMD ["python", "run.py"]', 'CMD ["sh", "start.sh"]'));
    expect(await findingsOf(dir)).toEqual([]);
  }, 120_000);

  test('TypeScript: reports the Dockerfile whose npm start runs only the server', async () => {
    const findings = await findingsOf(fixture('worker-not-deployed-ts'));
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['worker-not-deployed info Dockerfile:13']);
    expect(findings[0]!.message).toContain('the worker at src/jobs.ts:5');
  }, 120_000);

  test('TypeScript: a fly.toml process that runs the worker deploys it', async () => {
    const dir = scratchFolder('worker-fly', { copyOf: fixture('worker-not-deployed-ts') });
    fs.writeFileSync(path.join(dir, 'fly.toml'), 'app = "orders"\n\n[processes]\napp = "node dist/server.js"\njobs = "node dist/jobs.js"\n');
    expect(await findingsOf(dir)).toEqual([]);
  }, 120_000);

  test('follows imports inside functions, module strings and workspace packages', () => {
    const texts: Record<string, string> = {
      'run.py': 'import uvicorn\nuvicorn.run("shop.api:app")\n',
      'shop/api.py': 'async def lifespan(app):\n    from .jobs import main\n',
      'shop/jobs.py': 'from temporalio.worker import Worker\n',
      'apps/api/src/main.ts': "import { startJobs } from '@acme/jobs';\n",
      'packages/jobs/package.json': '{ "name": "@acme/jobs" }',
      'packages/jobs/src/index.ts': "export * from './worker.js';\n",
    };
    const files = { readProjectFile: (f: string) => texts[f], globProjectFiles: () => ['packages/jobs/package.json'] };
    expect([...reachedFiles({ ...files, language: 'python', files: ['run.py', 'shop/__init__.py', 'shop/api.py', 'shop/jobs.py'] }, ['run.py'])].sort()).toEqual(['run.py', 'shop/__init__.py', 'shop/api.py', 'shop/jobs.py']);
    expect([...reachedFiles({ ...files, language: 'typescript', files: ['apps/api/src/main.ts', 'packages/jobs/src/index.ts', 'packages/jobs/src/worker.ts'] }, ['apps/api/src/main.ts'])].sort()).toEqual([
      'apps/api/src/main.ts',
      'packages/jobs/src/index.ts',
      'packages/jobs/src/worker.ts',
    ]);
  });

  test('reads shell commands as written', () => {
    expect(simpleCommands(`sh -c "alembic upgrade head && exec uvicorn app.main:app --port 80" 2>&1`)).toEqual([['sh', '-c', 'alembic upgrade head && exec uvicorn app.main:app --port 80', '2>&1']]);
    expect(simpleCommands('retries=$((retries + 1)); echo "$(date)" >&2')).toEqual([['retries=$((retries + 1))'], ['echo', '$(date)', '>&2']]);
    const files = { readProjectFile: () => undefined, globProjectFiles: () => [] };
    const ctx = { ...files, language: 'python' as const, files: ['app/main.py', 'app/temporal/worker.py', 'app/jobs.py'], from: 'Dockerfile' };
    expect(resolveCommand(ctx, 'tini -- uv run uvicorn app.main:app --host 0.0.0.0')).toEqual({ kind: 'files', files: ['app/main.py'] });
    expect(resolveCommand(ctx, 'python -m app.temporal.worker')).toEqual({ kind: 'worker-named', what: 'python -m app.temporal.worker' });
    expect(resolveCommand(ctx, 'sh -c "python /app/app/jobs.py"')).toEqual({ kind: 'files', files: ['app/jobs.py'] });
    expect(resolveCommand(ctx, 'my-console-script serve')).toEqual({ kind: 'unknown', what: 'my-console-script serve' });
    expect(resolveCommand(ctx, 'nginx -g "daemon off;"')).toEqual({ kind: 'other' });
  });
});
