// Whether the code has a versioning story for the runs in flight when workflow code changes: calls
// to the SDK's patching API in workflow code (TypeScript `patched` / `deprecatePatch` from
// @temporalio/workflow; Python `workflow.patched` / `workflow.deprecate_patch`), and workers that
// use Worker Versioning (build ids, or Worker Deployments). Shared by no-replay-test and
// worker-task-queue-versioned.

import fs from 'node:fs';
import ts from 'typescript';
import type { CodeModel, WorkerFacts } from './types.js';

/** Worker options of Worker Versioning (TypeScript, then Python): with them the server routes runs by build id, not by queue name alone. */
export const VERSIONING_OPTIONS = ['workerDeploymentOptions', 'buildId', 'useVersioning', 'deployment_config', 'build_id', 'use_worker_versioning'];

/** The first Worker Versioning option the worker sets, if any. */
export function workerVersioningOption(worker: Pick<WorkerFacts, 'options'>): string | undefined {
  const options = worker.options;
  if (options?.kind !== 'object') return undefined;
  return VERSIONING_OPTIONS.find((key) => options.properties.has(key) || options.maybeProperties?.has(key));
}

export interface PatchCalls {
  patched: number;
  deprecatePatch: number;
  /** Where the first call is (absolute file, 1-based line). */
  first?: { file: string; line: number };
  /** Every call, in file order: where it is and the patch id as written (a string literal's value, else the argument's text). */
  calls: PatchCall[];
}

export interface PatchCall {
  api: 'patched' | 'deprecatePatch';
  /** Absolute file, 1-based line. */
  file: string;
  line: number;
  /** Offset of the call in the file (TypeScript), to tell which function holds it. */
  offset?: number;
  patchId: string;
}

/** Calls to `patched` / `deprecatePatch` imported from @temporalio/workflow in the model's files. */
export function typeScriptPatchCalls(files: string[], sourceFile: (file: string) => ts.SourceFile | undefined): PatchCalls {
  const result: PatchCalls = { patched: 0, deprecatePatch: 0, calls: [] };
  for (const file of files) {
    const source = sourceFile(file);
    if (!source || !/\b(?:patched|deprecatePatch)\b/.test(source.text)) continue;
    // local name -> API name, and namespace imports (`import * as wf from '@temporalio/workflow'`)
    const named = new Map<string, 'patched' | 'deprecatePatch'>();
    const namespaces = new Set<string>();
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== '@temporalio/workflow') continue;
      const bindings = statement.importClause?.namedBindings;
      if (!bindings) continue;
      if (ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
      else
        for (const element of bindings.elements) {
          const imported = (element.propertyName ?? element.name).text;
          if (imported === 'patched' || imported === 'deprecatePatch') named.set(element.name.text, imported);
        }
    }
    if (named.size === 0 && namespaces.size === 0) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const api = ts.isIdentifier(callee)
          ? named.get(callee.text)
          : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && namespaces.has(callee.expression.text) && (callee.name.text === 'patched' || callee.name.text === 'deprecatePatch')
            ? callee.name.text
            : undefined;
        if (api) {
          result[api]++;
          const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
          result.first ??= { file, line };
          const argument = node.arguments[0];
          const patchId = argument && (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) ? argument.text : (argument?.getText(source) ?? '');
          result.calls.push({ api, file, line, offset: node.getStart(source), patchId });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return result;
}

const PY_MODULE_CALL = /\bworkflow\.(patched|deprecate_patch)\s*\(/g;
/** `from temporalio.workflow import a, b` or `... import (a,\n b)`: the imported names in group 1 or 2. */
const PY_FROM_IMPORT = /^\s*from\s+temporalio\.workflow\s+import\s+(?:\(([^)]*)\)|([^\n(]+))/gm;

/** Calls to `workflow.patched` / `workflow.deprecate_patch` (or the names imported from temporalio.workflow) in the files. */
export function pythonPatchCalls(files: string[], read: (file: string) => string | undefined = readText): PatchCalls {
  const result: PatchCalls = { patched: 0, deprecatePatch: 0, calls: [] };
  for (const file of files) {
    const text = read(file);
    if (!text || !text.includes('temporalio') || !/\b(?:patched|deprecate_patch)\b/.test(text)) continue;
    // local name -> API name, for `from temporalio.workflow import patched [as p]`
    const bare = new Map<string, string>();
    for (const match of text.matchAll(PY_FROM_IMPORT)) {
      for (const name of (match[1] ?? match[2]!).split(',').map((part) => part.replace(/#.*$/gm, '').trim().split(/\s+as\s+/))) {
        if (name[0] === 'patched' || name[0] === 'deprecate_patch') bare.set(name[1] ?? name[0], name[0]);
      }
    }
    const lines = text.split('\n');
    lines.forEach((raw, index) => {
      const line = raw.replace(/#.*$/, '');
      const calls: { api: string; at: number }[] = [...line.matchAll(PY_MODULE_CALL)].map((m) => ({ api: m[1]!, at: m.index! + m[0].length }));
      if (!/^\s*(?:from|import)\b/.test(line))
        for (const [local, api] of bare) {
          for (const m of line.matchAll(new RegExp(`(?<![.\\w])${local}\\s*\\(`, 'g'))) calls.push({ api, at: m.index! + m[0].length });
        }
      for (const call of calls) {
        if (call.api === 'patched') result.patched++;
        else result.deprecatePatch++;
        result.first ??= { file, line: index + 1 };
        result.calls.push({ api: call.api === 'patched' ? 'patched' : 'deprecatePatch', file, line: index + 1, patchId: pythonPatchId(line.slice(call.at)) });
      }
    });
  }
  return result;
}

/** The patch id of a call from the text after its opening parenthesis: a string literal's value, else the argument's text. */
function pythonPatchId(rest: string): string {
  const literal = /^\s*(['"])([^'"]*)\1/.exec(rest);
  if (literal) return literal[2]!;
  return (/^\s*([^,)]*)/.exec(rest)?.[1] ?? '').trim();
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export interface VersioningStory {
  patchCalls: PatchCalls;
  /** Workers that set a Worker Versioning option, with the option. */
  versionedWorkers: { worker: WorkerFacts; option: string }[];
}

export function versionedWorkersOf(model: Pick<CodeModel, 'workers'>): VersioningStory['versionedWorkers'] {
  return model.workers.flatMap((worker) => {
    const option = workerVersioningOption(worker);
    return option ? [{ worker, option }] : [];
  });
}
