// The library entry of `generate`: builds the model once and renders alert rules, a dashboard or
// runbooks for the project. Returns file contents; the CLI writes them. Reads TypeScript and Python
// code as `check` does: Python when some .py file imports temporalio (unless -p picked TypeScript
// projects), TypeScript when there is any; a mixed repository gets one artifact for both.

import { loadConfig, type PreflightConfig } from '../engine/config.js';
import { projectDirectory } from '../engine/project-directory.js';
import { buildTemporalModel, isNoTypeScriptTemporalCode } from '../model/typescript/build-model.js';
import { buildPythonModel, hasPythonTemporalCode } from '../model/python/build-python-model.js';
import { collectPythonFacts } from './collect-python-facts.js';
import { renderAlertRules } from './alert-rules.js';
import { collectProjectFacts } from './collect-project-facts.js';
import { renderDashboard } from './dashboard.js';
import type { ProjectFacts } from './project-facts.js';
import { buildRunbooks } from './runbooks.js';

export const ARTIFACT_KINDS = ['alerts', 'dashboard', 'runbooks'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export interface GenerateOptions {
  kind: ArtifactKind;
  /** The project directory (default: the current directory). */
  dir?: string;
  projects?: string[];
  configFile?: string;
  config?: PreflightConfig;
  /** Runbook link prefix in alert annotations (default: config runbooks.dir). */
  runbookBase?: string;
}

export interface GeneratedArtifact {
  kind: ArtifactKind;
  /** One file for alerts and dashboard; one per workflow type (plus the workers runbook) for runbooks. */
  files: { name: string; content: string }[];
  facts: ProjectFacts;
  /** The runbook folder of the config (runbooks.dir), relative to the project. */
  runbookDir: string;
  /** Why the artifact may lack workflow types (workflow code that does not parse), when it may. */
  incomplete?: string;
}

export async function generateArtifact(options: GenerateOptions): Promise<GeneratedArtifact> {
  const { facts, config, incomplete } = await projectFactsOfAnyLanguage(options);
  return { kind: options.kind, facts, files: render(options.kind, facts), runbookDir: config.runbooks.dir, ...(incomplete ? { incomplete } : {}) };
}

/** Builds the model of the project in dir once and reduces it to the facts the generators use. */
export function projectFacts(options: Omit<GenerateOptions, 'kind'>): { facts: ProjectFacts; config: PreflightConfig; root: string; incomplete?: string } {
  const root = projectDirectory(options.dir ?? '.');
  const config = options.config ?? loadConfig(root, options.configFile).config;
  const { model } = buildTemporalModel({
    root,
    ...(options.projects?.length ? { projects: options.projects } : {}),
    include: config.include,
    exclude: config.exclude,
    tests: config.tests,
  });
  const facts = collectProjectFacts(model, config, options.runbookBase ? { runbookBase: options.runbookBase } : {});
  const broken = model.gaps.find((gap) => gap.cause === 'parse-error');
  return { facts, config, root, ...(broken ? { incomplete: broken.message } : {}) };
}

/** The facts of the TypeScript and the Python code in dir, merged into one set of workflow types. */
export async function projectFactsOfAnyLanguage(options: Omit<GenerateOptions, 'kind'>): Promise<{ facts: ProjectFacts; config: PreflightConfig; root: string; incomplete?: string }> {
  const root = projectDirectory(options.dir ?? '.');
  const config = options.config ?? loadConfig(root, options.configFile).config;
  const python = !options.projects?.length && hasPythonTemporalCode({ root, include: config.include, exclude: config.exclude });
  let typescript: ReturnType<typeof projectFacts> | undefined;
  try {
    typescript = projectFacts({ ...options, config });
  } catch (error) {
    // A Python-only directory has no TypeScript (or no TypeScript Temporal code): not an error then.
    if (!(python && isNoTypeScriptTemporalCode(error))) throw error;
  }
  if (!python) return typescript!;
  const { model } = await buildPythonModel({ root, include: config.include, exclude: config.exclude });
  const pythonFacts = collectPythonFacts(model, config, options.runbookBase ? { runbookBase: options.runbookBase } : {});
  const broken = model.gaps.find((gap) => gap.cause === 'parse-error');
  const incomplete = typescript?.incomplete ?? broken?.message;
  const facts = typescript ? mergeFacts(typescript.facts, pythonFacts) : pythonFacts;
  return { facts, config, root, ...(incomplete ? { incomplete } : {}) };
}

/** One project of both languages: the TypeScript facts' name and metric options, every workflow type and task queue. */
function mergeFacts(typescript: ProjectFacts, python: ProjectFacts): ProjectFacts {
  return {
    ...typescript,
    workflows: [...typescript.workflows, ...python.workflows].sort((a, b) => a.name.localeCompare(b.name)),
    taskQueues: [...new Set([...typescript.taskQueues, ...python.taskQueues])].sort(),
  };
}

export function render(kind: ArtifactKind, facts: ProjectFacts): { name: string; content: string }[] {
  switch (kind) {
    case 'alerts':
      return [{ name: 'temporal.rules.yml', content: renderAlertRules(facts) }];
    case 'dashboard':
      return [{ name: 'temporal-dashboard.json', content: renderDashboard(facts) }];
    case 'runbooks':
      return buildRunbooks(facts);
  }
}
