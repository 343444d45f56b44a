// The findings of one check in the file ESLint lints: the check of the `check` command runs,
// unchanged, on the model of that one file (src/model/typescript/file-model.ts), through the same
// runChecks that a review uses (config severities, `checks: off`, preflight-ignore comments). The
// rule only turns the findings located in this file into reports.

import fs from 'node:fs';
import path from 'node:path';
import type { Rule } from 'eslint';
import type ts from 'typescript';
import { checks } from '../checks/index.js';
import { CONFIG_FILE_NAMES, loadConfig, type PreflightConfig } from '../engine/config.js';
import { runChecks } from '../engine/run-checks.js';
import type { Finding } from '../engine/types.js';
import { buildFileModel, singleFileProgram } from '../model/typescript/file-model.js';
import { relativePath } from '../model/typescript/locate.js';
import type { TemporalModel } from '../model/typescript/types.js';

interface ParserServices {
  program?: ts.Program | null;
  esTreeNodeToTSNodeMap?: { get(node: unknown): ts.Node | undefined };
}

export interface FileFindings {
  findings: Finding[];
  /** The program the facts came from, and the file in it. */
  program: ts.Program;
  sourceFile: ts.SourceFile;
}

const findingsCache = new WeakMap<TemporalModel, Map<string, Finding[]>>();

/**
 * Findings of `checkId` located in the linted file. `workflowCode`: whether the file is workflow
 * code (true for the workflow rules, which the config applies to workflow files only; 'auto' for
 * the others, which take a file that uses @temporalio/workflow as a value as workflow code).
 */
export function findingsInFile(context: Rule.RuleContext, checkId: string, workflowCode: boolean | 'auto'): FileFindings {
  const check = checks.find((c) => c.id === checkId);
  if (!check) throw new Error(`no check ${checkId} in the registry`);
  const { program, sourceFile } = programOf(context);
  const root = packageDirectory(sourceFile.fileName) ?? path.resolve(context.cwd);
  const config = configFor(root);
  const model = buildFileModel(program, sourceFile, { root, workflowCode, tests: config.tests });
  const byCheck = findingsCache.get(model) ?? new Map<string, Finding[]>();
  findingsCache.set(model, byCheck);
  let all = byCheck.get(checkId);
  if (!all) {
    all = runChecks({ root, config, checks: [check], model }).findings;
    byCheck.set(checkId, all);
  }
  const file = relativePath(root, sourceFile.fileName);
  return { findings: all.filter((finding) => finding.file === file && finding.line !== undefined), program, sourceFile };
}

/** The parser's program when it has type information, else a program of this file alone. */
function programOf(context: Rule.RuleContext): { program: ts.Program; sourceFile: ts.SourceFile } {
  const services = context.sourceCode.parserServices as ParserServices | undefined;
  const program = services?.program;
  const sourceFile = program ? (services?.esTreeNodeToTSNodeMap?.get(context.sourceCode.ast) as ts.SourceFile | undefined) : undefined;
  if (program && sourceFile) return { program, sourceFile };
  // Every rule of the plugin asks for the same file: one program (and one model) for all of them.
  let own = ownPrograms.get(context.sourceCode);
  if (!own) {
    own = singleFileProgram(path.resolve(context.cwd, context.filename), context.sourceCode.text);
    ownPrograms.set(context.sourceCode, own);
  }
  return own;
}

const ownPrograms = new WeakMap<object, { program: ts.Program; sourceFile: ts.SourceFile }>();

/**
 * The package the file belongs to (nearest package.json): what `temporal-preflight check` is run
 * on, so paths in messages, test-code folders and preflight.config.json are taken from there.
 */
function packageDirectory(file: string): string | undefined {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const configs = new Map<string, { stamp: string; config: PreflightConfig }>();

/** preflight.config.json (or .yaml) of ESLint's working directory, reread when it changes. */
function configFor(root: string): PreflightConfig {
  const stamp = CONFIG_FILE_NAMES.map((name) => {
    try {
      return String(fs.statSync(path.join(root, name)).mtimeMs);
    } catch {
      return '-';
    }
  }).join('|');
  const cached = configs.get(root);
  if (cached && cached.stamp === stamp) return cached.config;
  const { config } = loadConfig(root);
  configs.set(root, { stamp, config });
  return config;
}
