// Prevents workflows that never run after a deploy: the repository's deployment files (Dockerfile
// CMD / ENTRYPOINT, compose commands, Procfile, fly.toml, Kubernetes commands, platform start
// commands) start the project's API or other processes, and none of them starts a worker, directly
// (`python -m app.worker`, `node dist/worker.js`, an npm script) or through what the started
// process loads. Started workflows then wait on their task queue. Said only when every command is
// read to the end: anything unresolved, named for a worker, or code that starts processes of its
// own means the worker may run after all. Info: a platform setting outside the repository (an ECS
// task definition, a console-configured command) may start it.

import path from 'node:path';
import { deploymentCommands, DEV_FILE, resolveCommand, RUNTIME_WORDS, serverImage, type DeploymentCommand } from '../../engine/deployed-processes.js';
import { listNames } from '../../engine/name-list.js';
import { reachedFiles, startsProcesses } from '../../engine/source-reach.js';
import { relativePath } from '../../model/typescript/locate.js';
import { runtimeReach } from '../../model/typescript/observability/runtime-reach.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { defineCheck } from '../define-check.js';

const WORKER_NAME = /worker|temporal/i;

export default defineCheck({
  id: 'worker-not-deployed',
  area: 'capacity',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: "The repository's deployment files start the application's processes, and none of them starts a worker",
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const workers = model.workers.filter((worker) => !worker.notRun);
    if (workers.length === 0) return;
    const language = model.language === 'python' ? 'python' : 'typescript';
    const inside = (file: string) => {
      const relative = relativePath(ctx.root, file);
      return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative;
    };
    const files = model.files.map(inside).filter((f): f is string => f !== undefined);
    const workerFiles = new Set(workers.map((worker) => inside(worker.location.file)).filter((f): f is string => f !== undefined));
    if (workerFiles.size === 0) return;

    const commands = deploymentCommands(ctx);
    if (commands.length === 0) return;
    const started = new Set<string>();
    const runsCode: { command: DeploymentCommand; files: string[] }[] = [];
    for (const command of commands) {
      // a service, process or workload named for a worker may well run it
      // (a database named for the Temporal server, `temporal-postgres`, runs no worker)
      if (command.name && WORKER_NAME.test(command.name) && !(command.image && serverImage(command.image))) return;
      if (command.unset) return;
      if (command.command.trim() === '') continue;
      const resolved = resolveCommand({ ...ctx, language, files, from: command.file }, command.command);
      if (resolved.kind === 'worker-named') return;
      // an unknown program in a third-party image is that image's own (a database's, a proxy's)
      if (resolved.kind === 'unknown' && command.thirdParty && !RUNTIME_WORDS.test(command.command)) continue;
      if (resolved.kind === 'unknown') return;
      if (resolved.kind !== 'files') continue;
      for (const file of resolved.files) started.add(file);
      if (!DEV_FILE.test(command.file)) runsCode.push({ command, files: resolved.files });
    }
    // no production deployment file runs this code: its deployment lives elsewhere
    if (runsCode.length === 0) return;

    const typescript = language === 'typescript' ? (model as TemporalModel) : undefined;
    const importsOf =
      typescript && typeof typescript.importsOf === 'function'
        ? (file: string) =>
            typescript
              .importsOf(path.resolve(ctx.root, file))
              .map((edge) => (edge.resolved ? inside(edge.resolved) : undefined))
              .filter((f): f is string => f !== undefined)
        : undefined;
    const reached = reachedFiles({ ...ctx, language, files, ...(importsOf ? { importsOf } : {}) }, [...started]);
    if ([...workerFiles].some((file) => reached.has(file))) return;
    // code that starts processes or threads of its own may start the worker there
    if ([...reached].some((file) => startsProcesses(ctx.readProjectFile(file) ?? '', language))) return;

    // a deploy pipeline, script or infrastructure file that names the worker may run it (`ssh host docker run ... python -m app.worker`)
    const mentioned = mentionsWorker(ctx, [...workerFiles, ...workers.flatMap((worker) => (worker.entryFiles ?? []).map(inside).filter((f): f is string => f !== undefined))]);
    if (mentioned) return;

    const first = workers[0]!;
    const workerFile = inside(first.location.file)!;
    const entries = (first.entryFiles ?? (typescript ? runtimeReach(typescript, first as never).entries.map((entry) => entry.file) : []))
      .map((file) => inside(file))
      .filter((f): f is string => f !== undefined);
    const startedBy = entries.length > 0 ? `, which ${listNames(entries, 3)} ${entries.length === 1 ? 'starts' : 'start'}` : '';
    const shown = runsCode.slice(0, 4).map(({ command }) => `${command.file}:${command.line} \`${oneLine(command.command)}\``);
    const more = runsCode.length > 4 ? ` and ${runsCode.length - 4} more` : '';
    const workerList = workers.length === 1 ? `the worker at ${workerFile}:${first.location.line}${startedBy}` : `any of the ${workers.length} workers (the first at ${workerFile}:${first.location.line}${startedBy})`;
    ctx.report({
      location: { file: path.resolve(ctx.root, runsCode[0]!.command.file), line: runsCode[0]!.command.line, column: 1 },
      message:
        `No deployment file starts a worker: ${listNames(shown, 4)}${more} ${runsCode.length === 1 ? 'runs' : 'run'} the application, and nothing ${runsCode.length === 1 ? 'it runs or loads' : 'they run or load'} reaches ${workerList}. ` +
        'Workflows the code starts then wait on their task queue with no worker to run them, unless something outside this repository (a platform setting or task definition that overrides the image command) starts the worker.',
      fix:
        `Deploy the worker as a process of its own: a second service or process with the worker's command (e.g. \`${workerCommand(language, entries[0] ?? workerFile)}\`) in the compose file, Procfile, fly.toml [processes] or Kubernetes manifests, ` +
        'or a Dockerfile (or build target) whose CMD starts it; starting it inside the API process (a lifespan task) also works but ties worker capacity and restarts to the API.',
      related: [{ file: path.resolve(ctx.root, workerFile), line: first.location.line, column: first.location.column, message: 'the worker no deployment file starts' }],
      data: { deploymentCommands: runsCode.map(({ command, files: ran }) => ({ file: command.file, line: command.line, command: command.command, runs: ran })), workers: [...workerFiles] },
    });
  },
});

const PIPELINE_FILES = ['.github/workflows/*.yml', '.github/workflows/*.yaml', '**/.gitlab-ci.yml', '**/*.sh', '**/*.bash', '**/Makefile', '**/Justfile', '**/justfile', '**/Taskfile.yml', '**/Taskfile.yaml', '**/*.tf', '**/*.hcl', '**/*.nomad', '**/bitbucket-pipelines.yml', '**/cloudbuild.yaml', '**/cloudbuild.yml', '**/buildspec.yml', '**/appspec.yml', '**/*.service'];

/** A pipeline, script or infrastructure file that names one of the worker's files (`app.temporal.worker`, `temporal/worker.js`). */
function mentionsWorker(ctx: { globProjectFiles(patterns: string[]): string[]; readProjectFile(file: string): string | undefined }, files: string[]): string | undefined {
  const needles = new Set<string>();
  for (const file of files) {
    const parts = file.replace(/\.(py|[cm]?[jt]sx?)$/, '').split('/').filter((part) => part !== '__main__' && part !== '__init__');
    const stem = parts.at(-1);
    if (!stem) continue;
    const above = parts.at(-2);
    if (above && !/^(src|dist|build|lib|app|apps)$/.test(above)) {
      needles.add(`${above}/${stem}`);
      needles.add(`${above}.${stem}`);
    } else {
      needles.add(`${stem}.js`);
      needles.add(`${stem}.ts`);
      needles.add(`${stem}.py`);
      needles.add(`-m ${stem}`);
    }
  }
  for (const file of ctx.globProjectFiles(PIPELINE_FILES)) {
    if (/(^|\/)(node_modules|vendor|\.venv|venv)\//.test(file)) continue;
    const text = ctx.readProjectFile(file);
    if (text !== undefined && [...needles].some((needle) => text.includes(needle))) return file;
  }
  return undefined;
}

function oneLine(command: string): string {
  const flat = command.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

function workerCommand(language: 'python' | 'typescript', file: string): string {
  if (language === 'python') return `python -m ${file.replace(/\.py$/, '').replace(/\/__main__$/, '').split('/').join('.')}`;
  return `node ${file.replace(/^src\//, 'dist/').replace(/\.tsx?$/, '.js')}`;
}
