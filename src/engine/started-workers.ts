// Which workers the repository's deployment files and package scripts start. A project sometimes
// keeps an old worker file next to the one it deploys (src/temporal/worker.ts beside
// src/temporal/workers/recipe-worker.ts): the Dockerfile, the platform start commands and the npm
// scripts all run the other one, and nothing imports the old file. Findings about that worker's
// process (its slots, its connection) are then about code that never runs.
//
// Decided only when everything is read to the end: every deployment command resolves to files (or
// to programs that are not the project's), at least one OTHER worker is started by them, neither
// they nor anything they load (source reach, at any depth) reaches the worker's file, no reviewed
// file imports it, no script, pipeline or process-starting code names it, and no workflow start
// here targets its task queue while no deployed worker polls that queue. Anything unresolved
// leaves the worker as it is.

import path from 'node:path';
import type { ProjectFiles } from './alert-rule-files.js';
import { deploymentCommands, resolveCommand, RUNTIME_WORDS, type ResolveContext } from './deployed-processes.js';
import { reachedFiles, startsProcesses } from './source-reach.js';
import type { CodeModel, StaticValue, WorkerFacts } from '../model/types.js';

/** Files that may run a worker by naming it: pipelines, shell scripts, task runners, unit files, Python entry points. */
const MENTION_FILES = [
  '.github/workflows/*.yml',
  '.github/workflows/*.yaml',
  '**/.gitlab-ci.yml',
  '**/*.sh',
  '**/*.bash',
  '**/Makefile',
  '**/Justfile',
  '**/justfile',
  '**/Taskfile.yml',
  '**/Taskfile.yaml',
  '**/*.tf',
  '**/*.hcl',
  '**/*.nomad',
  '**/bitbucket-pipelines.yml',
  '**/cloudbuild.yaml',
  '**/cloudbuild.yml',
  '**/buildspec.yml',
  '**/appspec.yml',
  '**/*.service',
  '**/pyproject.toml',
  '**/setup.cfg',
  '**/setup.py',
  '**/*.toml',
  '**/*.json',
  '**/*.yml',
  '**/*.yaml',
];
const VENDORED = /(^|\/)(node_modules|vendor|third_party|\.venv|venv|site-packages|dist|build|\.next)\//;
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']*)["']/gm;

export interface StartedWorkersInput extends ProjectFiles {
  /** The reviewed directory, which project file paths are relative to. */
  root: string;
  /** TypeScript: the model's resolved imports of a file (absolute paths in, absolute paths out). */
  importsOf?: (file: string) => string[];
}

/**
 * Sets `notStarted` on each worker that the deployment files and package scripts do not start
 * while they start another one (see the head of this file). Leaves every worker as it is when
 * anything is unresolved.
 */
export function markUnstartedWorkers(model: CodeModel, project: StartedWorkersInput): void {
  const root = project.root;
  const inside = (file: string): string | undefined => {
    const relative = path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
    return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative;
  };
  const workers = model.workers.filter((worker) => !worker.notRun && inside(worker.location.file) !== undefined);
  const workerFiles = [...new Set(workers.map((worker) => inside(worker.location.file)!))];
  if (workerFiles.length < 2) return;
  const language = model.language === 'python' ? 'python' : 'typescript';
  const files = model.files.map(inside).filter((f): f is string => f !== undefined);
  const importsOf = project.importsOf
    ? (file: string) =>
        project
          .importsOf!(path.resolve(root, file))
          .map(inside)
          .filter((f): f is string => f !== undefined)
    : undefined;

  const unreviewedScripts: string[] = [];
  const resolveContext = (from: string): ResolveContext => ({ ...project, language, files, from, followWorkerNames: true, unreviewedScripts });
  const started = new Set<string>();
  /** Texts of commands and scripts that may name a worker's file. */
  const texts: string[] = [];

  for (const command of deploymentCommands(project)) {
    if (command.unset) return;
    if (command.command.trim() === '') continue;
    texts.push(command.command);
    const resolved = resolveCommand(resolveContext(command.file), command.command);
    if (resolved.kind === 'files') for (const file of resolved.files) started.add(file);
    else if (resolved.kind === 'unknown') {
      // an unknown program in a third-party image is that image's own (a database's, a proxy's)
      if (command.thirdParty && !RUNTIME_WORDS.test(command.command)) continue;
      return;
    } else if (resolved.kind === 'worker-named') return;
  }
  // Every package script, run by a developer or by another command: what it starts counts as started.
  for (const manifest of project.globProjectFiles(['**/package.json'])) {
    if (VENDORED.test(manifest)) continue;
    let scripts: Record<string, unknown> = {};
    try {
      scripts = ((JSON.parse(project.readProjectFile(manifest) ?? '{}') as { scripts?: Record<string, unknown> }).scripts ?? {}) as Record<string, unknown>;
    } catch {
      return; // an unreadable manifest may hold the script that starts it
    }
    for (const script of Object.values(scripts)) {
      if (typeof script !== 'string') continue;
      texts.push(script);
      const resolved = resolveCommand(resolveContext(manifest), script);
      if (resolved.kind === 'files') for (const file of resolved.files) started.add(file);
      else if (resolved.kind === 'worker-named') return;
      // an unknown tool (storybook, a CLI) runs none of the reviewed files unless it names one:
      // the mention search below keeps any worker it names as it is
    }
  }
  // Scripts outside the review that a command runs (`node start.js`): what they import starts, and what they spawn may.
  const processStarters: string[] = [];
  for (const script of new Set(unreviewedScripts)) {
    const text = project.readProjectFile(script) ?? '';
    texts.push(text);
    if (startsProcesses(text, language)) processStarters.push(text);
    for (const match of text.matchAll(RELATIVE_IMPORT)) {
      const joined = path.posix.normalize(path.posix.join(path.posix.dirname(script), match[1]!));
      const stem = joined.replace(/\.([cm]?[jt]s|[jt]sx)$/, '');
      for (const candidate of [joined, `${stem}.ts`, `${stem}.tsx`, `${stem}.js`, `${stem}/index.ts`, `${stem}/index.js`]) if (files.includes(candidate)) started.add(candidate);
    }
  }
  if (started.size === 0) return;

  const reachInput = { ...project, language, files, ...(importsOf ? { importsOf } : {}) } as const;
  const reached = reachedFiles(reachInput, [...started]);
  const deployed = workerFiles.filter((file) => reached.has(file));
  if (deployed.length === 0) return;
  for (const file of reached) {
    const text = project.readProjectFile(file) ?? '';
    if (startsProcesses(text, language)) processStarters.push(text);
  }

  // A queue that code here starts workflows on and no deployed worker polls: something runs its worker, maybe this one.
  const queueOf = (value: StaticValue | undefined): string | undefined => (value?.kind === 'string' ? value.value : undefined);
  const deployedQueues = new Set(workers.filter((worker) => deployed.includes(inside(worker.location.file)!)).map((worker) => queueOf(worker.taskQueue)));
  const startedQueues = new Set(
    [...model.starts, ...(model.scheduleActions ?? [])].map((start) =>
      start.options?.kind === 'object' ? queueOf(start.options.properties.get('taskQueue') ?? start.options.properties.get('task_queue')) : undefined,
    ),
  );
  const awaited = (file: string) => workers.some((worker) => inside(worker.location.file) === file && startedQueues.has(queueOf(worker.taskQueue)) && !deployedQueues.has(queueOf(worker.taskQueue)));

  let mentionTexts: string[] | undefined;
  for (const file of workerFiles) {
    if (reached.has(file) || awaited(file)) continue;
    // a reviewed file that imports it (directly or not) may run it
    if (reachedFiles(reachInput, files.filter((other) => other !== file)).has(file)) continue;
    const named = mentionPattern(file, false);
    const spawned = mentionPattern(file, true);
    if (texts.some((text) => named.test(text)) || processStarters.some((text) => spawned.test(text))) continue;
    mentionTexts ??= project
      .globProjectFiles(MENTION_FILES)
      .filter((f) => !VENDORED.test(f) && !/(^|\/)(package-lock\.json|tsconfig[\w.-]*\.json)$/.test(f))
      .map((f) => project.readProjectFile(f) ?? '');
    if (mentionTexts.some((text) => named.test(text))) continue;
    const others = deployed.length === 1 ? `the deployed worker is ${deployed[0]}` : `the deployed workers are ${deployed.slice(0, 3).join(', ')}${deployed.length > 3 ? ` and ${deployed.length - 3} more` : ''}`;
    const reason = `${file} is not started by any deployment file or package script (${others})`;
    for (const worker of workers) if (inside(worker.location.file) === file) (worker as WorkerFacts).notStarted = reason;
  }
}

/**
 * Ways a command, script or pipeline names a worker file: its path without the extension from
 * two folders up (`temporal/worker`, `temporal.worker`), its file name with a source or build
 * extension (`worker.ts`, `worker.js`, `worker.py`), and in code that starts processes its bare
 * name as a string or module (`'worker'`, `-m worker`). Bounded, so `temporal/workers/recipe-worker.ts` does not name
 * `temporal/worker.ts`.
 */
function mentionPattern(file: string, bare: boolean): RegExp {
  const parts = file
    .replace(/\.(py|[cm]?[jt]sx?)$/, '')
    .split('/')
    .filter((part) => part !== '__main__' && part !== '__init__');
  const stem = parts.at(-1) ?? file;
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alternatives: string[] = [];
  for (let k = 2; k <= parts.length; k++) {
    const tail = parts.slice(-k);
    alternatives.push(tail.map(escape).join('[/.]'));
  }
  alternatives.push(`${escape(stem)}\\.(?:[cm]?[jt]sx?|py)`);
  const bounded = alternatives.map((alternative) => `(?<![\\w-])${alternative}(?![\\w-])`);
  // code that starts processes may name the module alone (`fork('worker')`, `python -m worker`)
  if (bare) bounded.push(`["'\`]${escape(stem)}["'\`]`, `-m\\s+${escape(stem)}(?![\\w.-])`);
  return new RegExp(bounded.join('|'));
}
