// Which of the repository's Kubernetes workloads runs a worker, and how a release reaches it:
// updated in place (a new release replaces the pods of the previous one), one workload per
// release (a name built from the version, a blue/green pair, the Temporal Worker Controller), or
// something the manifests leave open. A worker is matched to a workload by the script its
// container command runs, by an image named for the worker's package, or, failing both, as the
// only workload named for a worker.

import path from 'node:path';
import { TEMPLATE_PLACEHOLDER, type ProjectFiles } from './alert-rule-files.js';
import type { Workload } from './kubernetes-workloads.js';
import type { SourceLanguage } from '../model/types.js';
import { runtimeReach } from '../model/typescript/observability/runtime-reach.js';
import { relativePath } from '../model/typescript/locate.js';
import type { TemporalModel, WorkerDefinition } from '../model/typescript/types.js';

export interface WorkerIdentity {
  /** The worker's file and the entry files that start its process, relative to the root. */
  files: string[];
  /**
   * The name (without scope) and folder name of the worker's package.json (Python: its
   * pyproject.toml or setup.py), when one is found below the root.
   */
  packageNames: string[];
  /** The worker's language, which says how a container command names it; TypeScript when absent. */
  language?: SourceLanguage;
}

export type MatchedBy = 'command' | 'image' | 'name';

export type WorkerRollout =
  | { kind: 'no-manifests' }
  | { kind: 'unmatched'; workloads: number }
  /** Every workload that may run the worker replaces the previous release's pods. */
  | { kind: 'in-place'; workloads: Workload[]; matchedBy: MatchedBy }
  /** Each release gets workloads of its own; the old ones are not replaced by the rollout. */
  | { kind: 'per-release'; workloads: Workload[]; matchedBy: MatchedBy }
  | { kind: 'undecided'; workloads: Workload[]; matchedBy: MatchedBy; reason: string };

const SCRIPT = /^[\w./@-]+\.(?:[cm]?[jt]s|tsx)$/;
const PYTHON_SCRIPT = /^[\w./-]+\.py$/;
const PYTHON_MODULE = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;
/** Folders of a build or of an image's layout, which say nothing about which script runs. */
const LAYOUT_FOLDERS = new Set(['', '.', '..', 'src', 'dist', 'build', 'lib', 'out', 'app', 'usr', 'home', 'opt', 'srv', 'code', 'workspace', 'node']);
/** Script names many programs share: the folder above must agree too. */
const GENERIC_STEM = /^(index|main|server|app|start|run|cli)$/;
/** A template action, an environment substitution or a written version that changes with each release. */
const RELEASE_ACTION = /\{\{[^}]*(version|\btag\b|\.tag|sha|commit|revision|build|color|colour|slot)[^}]*\}\}/i;
const RELEASE_VARIABLE = /\$\{?\(?[A-Z_]*(VERSION|SHA|TAG|COMMIT|REVISION|BUILD|RELEASE)[A-Z_]*\b/;
const WRITTEN_VERSION = /(?:^|[-_.])v?\d+[-.]\d+[-.]\d+(?:$|[-_.])|(?:^|[-_.])(blue|green)(?:$|[-_.])/i;

/** The worker's files and package names, read through the project's files. */
export function workerIdentity(files: ProjectFiles, workerFile: string, entryFiles: string[], language?: SourceLanguage): WorkerIdentity {
  const packageNames: string[] = [];
  for (let directory = path.posix.dirname(workerFile); directory !== '.' && directory !== '/' && directory !== ''; directory = path.posix.dirname(directory)) {
    const found = language === 'python' ? pythonProjectName(files, directory) : packageJsonName(files, directory);
    if (found === undefined) continue;
    if (found !== null) packageNames.push(found);
    packageNames.push(path.posix.basename(directory));
    break;
  }
  const identity: WorkerIdentity = { files: [...new Set([workerFile, ...entryFiles])], packageNames: [...new Set(packageNames)].filter((name) => name.length >= 3) };
  return language === 'python' ? { ...identity, language } : identity;
}

/** The package.json's name without its scope; null when it names none; undefined when there is no package.json. */
function packageJsonName(files: ProjectFiles, directory: string): string | null | undefined {
  const text = files.readProjectFile(`${directory}/package.json`);
  if (text === undefined) return undefined;
  try {
    const name = (JSON.parse(text) as { name?: unknown }).name;
    return typeof name === 'string' ? name.replace(/^@[^/]+\//, '') : null;
  } catch {
    return null; // an unreadable package.json names nothing; its folder still does
  }
}

/** The project name of a pyproject.toml ([project] or [tool.poetry]) or setup.py; null when it names none; undefined when there is neither. */
function pythonProjectName(files: ProjectFiles, directory: string): string | null | undefined {
  const pyproject = files.readProjectFile(`${directory}/pyproject.toml`);
  if (pyproject !== undefined) {
    let table = '';
    for (const line of pyproject.split(/\r?\n/)) {
      const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
      if (header) table = header[1]!.trim();
      const name = /^\s*name\s*=\s*["']([^"']+)["']/.exec(line);
      if (name && (table === 'project' || table === 'tool.poetry')) return name[1]!;
    }
    return null;
  }
  const setup = files.readProjectFile(`${directory}/setup.py`);
  if (setup === undefined) return undefined;
  return /\bname\s*=\s*["']([^"']+)["']/.exec(setup)?.[1] ?? null;
}

export function workerRollout(workloads: Workload[], worker: WorkerIdentity): WorkerRollout {
  if (workloads.length === 0) return { kind: 'no-manifests' };
  // The Temporal server's own services (its internal "worker" service included) run Temporal's images.
  const project = workloads.filter((w) => !w.containers.some((c) => /(^|\/)temporalio\//.test(c.image)));
  const runs = project.map((w) => ({ workload: w, command: worker.language === 'python' ? pythonCommandRuns(w, worker.files) : commandRuns(w, worker.files) }));
  let matchedBy: MatchedBy = 'command';
  let matched = runs.filter((r) => r.command === 'ours').map((r) => r.workload);
  const eligible = runs.filter((r) => r.command !== 'other').map((r) => r.workload);
  if (matched.length === 0) {
    matchedBy = 'image';
    const byImage = eligible.filter((w) => w.containers.some((c) => imageOfPackage(c.image, worker.packageNames)) && (workerNamed(w) || worker.packageNames.some((n) => /worker/i.test(n))));
    const named = byImage.filter(workerNamed);
    matched = named.length > 0 ? named : byImage;
  }
  if (matched.length === 0) {
    matchedBy = 'name';
    const named = eligible.filter(workerNamed);
    if (named.length === 1) matched = named;
  }
  if (matched.length === 0) return { kind: 'unmatched', workloads: workloads.length };
  const judged = matched.map((w) => ({ workload: w, ...judge(w) }));
  if (judged.every((j) => j.kind === 'per-release')) return { kind: 'per-release', workloads: matched, matchedBy };
  if (judged.every((j) => j.kind === 'in-place')) return { kind: 'in-place', workloads: matched, matchedBy };
  const open = judged.find((j) => j.kind === 'undecided');
  const reason = matched.length === 1 && open?.reason ? open.reason : `several workloads may run it and they are not rolled out alike`;
  return { kind: 'undecided', workloads: matched, matchedBy, reason };
}

function judge(workload: Workload): { kind: 'in-place' | 'per-release' | 'undecided'; reason?: string } {
  if (workload.kind === 'TemporalWorkerDeployment' || perRelease(workload)) return { kind: 'per-release' };
  if (workload.kind === 'Rollout') {
    return {
      kind: 'undecided',
      reason: `it is an Argo Rollout (${workload.strategy}), which scales the previous release's pods down shortly after the switch (scaleDownDelaySeconds, 30 s by default) unless configured to keep them`,
    };
  }
  if (workload.kind === 'Deployment') return { kind: 'in-place' }; // RollingUpdate and Recreate both replace the previous pods
  if (workload.strategy === 'default' || workload.strategy === 'RollingUpdate') return { kind: 'in-place' };
  if (workload.strategy === 'OnDelete') return { kind: 'undecided', reason: `its pods are replaced only when someone deletes them (updateStrategy OnDelete)` };
  return { kind: 'undecided', reason: `its update strategy is set by a template value` };
}

/** A name that changes with each release (or a blue/green colour), so each release is a workload of its own. */
function perRelease(workload: Workload): boolean {
  return [workload.name, ...workload.kustomizeNameParts].some((name) => RELEASE_ACTION.test(name) || RELEASE_VARIABLE.test(name) || WRITTEN_VERSION.test(name.replace(/\{\{.*?\}\}/g, '')));
}

function workerNamed(workload: Workload): boolean {
  return /worker/i.test(workload.name) || workload.containers.some((c) => /worker/i.test(c.name));
}

/** 'ours' when a container runs one of the worker's files, 'other' when it runs a different script. */
function commandRuns(workload: Workload, files: string[]): 'ours' | 'other' | 'unclear' {
  const scripts = workload.containers.flatMap((c) => c.command.flatMap((part) => part.split(/\s+/))).map((token) => token.replace(/^["']|["']$/g, '')).filter((token) => SCRIPT.test(token));
  if (scripts.length === 0) return 'unclear';
  const ours = files.map(segments);
  let unclear = false;
  for (const script of scripts) {
    const written = segments(script);
    const stem = written.at(-1)!;
    for (const file of ours) {
      if (file.at(-1) !== stem) continue;
      if (!GENERIC_STEM.test(stem)) return 'ours';
      const above = written.at(-2);
      if (above !== undefined && file.includes(above)) return 'ours';
      unclear = true;
    }
  }
  return unclear ? 'unclear' : 'other';
}

/**
 * 'ours' when a container runs one of the worker's Python files (`python app/worker.py`, `python -m
 * app.worker`), 'other' when it runs a different script or module. A Python project often has
 * several worker.py files, so the folders written must agree with the file's, not only the name.
 */
function pythonCommandRuns(workload: Workload, files: string[]): 'ours' | 'other' | 'unclear' {
  const written: string[][] = [];
  for (const container of workload.containers) {
    const tokens = container.command.flatMap((part) => part.split(/\s+/)).map((token) => token.replace(/^["']|["']$/g, ''));
    tokens.forEach((token, i) => {
      if (PYTHON_SCRIPT.test(token)) written.push(segments(token));
      else if (token === '-m' && PYTHON_MODULE.test(tokens[i + 1] ?? '')) written.push(segments(tokens[i + 1]!.split('.').join('/')).filter((s) => s !== '__main__'));
    });
  }
  const scripts = written.filter((s) => s.length > 0);
  if (scripts.length === 0) return 'unclear';
  const ours = files.map((file) => segments(file).filter((s) => s !== '__main__' && s !== '__init__'));
  let unclear = false;
  for (const script of scripts) {
    for (const file of ours) {
      // the shorter path is the end of the longer (an image folder in front, or a module run from a package root)
      const shared = Math.min(script.length, file.length);
      if (shared === 0 || script.slice(-shared).join('/') !== file.slice(-shared).join('/')) continue;
      if (!GENERIC_STEM.test(script.at(-1)!) || shared >= 2) return 'ours';
      unclear = true;
    }
  }
  return unclear ? 'unclear' : 'other';
}

function segments(file: string): string[] {
  return file
    .replace(/\.(?:[cm]?[jt]s|tsx|py)$/, '')
    .split('/')
    .filter((segment) => !LAYOUT_FOLDERS.has(segment));
}

/** The image's repository name (`ghcr.io/acme/shop-workers:1.2` -> shop-workers) holds one of the package's names. */
function imageOfPackage(image: string, names: string[]): boolean {
  // a template action or its placeholder names nothing: it separates the written parts
  const written = image.replace(/\{\{.*?\}\}/g, '-').split(TEMPLATE_PLACEHOLDER).join('-');
  const repository = written.replace(/@sha256:.*$/, '').replace(/:[^/]*$/, '').split('/').at(-1) ?? '';
  const tokens = repository.toLowerCase().split(/[-_.]/).filter((token) => token !== '');
  return names.some((name) => {
    const wanted = name.toLowerCase().split(/[-_.]/).filter(Boolean);
    return wanted.length > 0 && tokens.some((_, i) => wanted.every((token, j) => tokens[i + j] === token));
  });
}

/**
 * A worker's identity for matching workloads: its file, the entry files that start its process
 * (decided by the front-end for Python, found from the TypeScript imports otherwise) and its
 * package names.
 */
export function workerIdentityOf(ctx: ProjectFiles & { root: string }, model: TemporalModel, worker: WorkerDefinition): WorkerIdentity {
  const relative = (file: string) => relativePath(ctx.root, file);
  const entries = worker.entryFiles ?? runtimeReach(model, worker).entries.map((entry) => entry.file);
  return workerIdentity(ctx, relative(worker.location.file), entries.map(relative), model.language);
}
