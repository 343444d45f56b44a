// Workflows that only tests (or a smoke or demo endpoint) start. A worker may register them
// because they are exported from the workflows module, but no production traffic runs them, so
// what their options or payloads would cost in production (a retry storm, a leaked credential in
// the history, a run nobody can find) does not happen. The findings that sit in them are lowered to
// info centrally (src/engine/test-only-findings.ts).
//
// A workflow is test-only when either:
// - the reviewed code starts it at least once, every start sits in test code (see test-code.ts:
//   test files, test and e2e folders, files that import @temporalio/testing or a test runner), and
//   no production start has a workflow type that could not be resolved (it might be this one); or
// - its name says so: its first word is test, smoke, demo, example or e2e (`testEmailWorkflow`,
//   `TestWorkflow`, `smoke_workflow`; not `attestationWorkflow` or `testimonialWorkflow`, whose first
//   word is longer), and every start outside tests has a fixed literal workflow id (one run at a
//   time, no business entity) or sits under a route whose path has a test or smoke segment and no
//   parameter (`POST /workflow/test`, not `/connections/:id/test`). A workflow so named that nothing
//   in the reviewed code starts counts too: a developer starts it by hand.

import ts from 'typescript';
import { relativePath } from './locate.js';
import type { StaticValue, WorkflowDefinition, WorkflowStart } from './types.js';

/** First words of a workflow name that mark it as a test or demonstration. */
const TEST_NAME_WORDS = new Set(['test', 'smoke', 'demo', 'example', 'e2e']);
/** Route segments that mark an endpoint as a test or smoke hook. */
const TEST_ROUTE_WORDS = new Set(['test', 'tests', 'smoke', 'demo', 'e2e']);

export interface TestOnlyWorkflow {
  name: string;
  /** Where its starts are, as a message fragment: `started only from src/a.test.ts:12`. */
  reason: string;
}

export function testOnlyWorkflows(
  workflows: WorkflowDefinition[],
  starts: WorkflowStart[],
  testStarts: WorkflowStart[],
  files: string[],
  sourceFile: (file: string) => ts.SourceFile | undefined,
  root: string,
): TestOnlyWorkflow[] {
  const unknownProductionStart = starts.some((start) => start.workflowType === null);
  const named = namedInCalls(new Set(workflows.map((w) => w.name)), new Set(starts.map((start) => start.node)), files, sourceFile);
  const result: TestOnlyWorkflow[] = [];
  const seen = new Set<string>();
  for (const workflow of workflows) {
    if (seen.has(workflow.name) || workflow.helperExport) continue;
    seen.add(workflow.name);
    const production = starts.filter((start) => start.workflowType === workflow.name);
    const tests = testStarts.filter((start) => start.workflowType === workflow.name);
    const testSites = sites(tests, root);
    // `workflowService.executeWorkflow('TestWorkflow', { workflowId: 'id-1' })`: a start through a wrapper
    const mentions = named.get(workflow.name) ?? [];
    if (production.length === 0 && mentions.length === 0 && tests.length > 0 && !unknownProductionStart) {
      result.push({ name: workflow.name, reason: `only tests start ${workflow.name} (${testSites})` });
      continue;
    }
    const word = firstWord(workflow.name);
    if (!word || !TEST_NAME_WORDS.has(word)) continue;
    const tolerated = [
      ...production.map((start) => ({ call: start.node, verb: 'starts', why: testHook(start.node, start.options?.kind === 'object' ? start.options.properties.get('workflowId') : undefined) })),
      ...mentions.map((call) => ({ call, verb: 'names', why: testHook(call, literalWorkflowId(call)) })),
    ];
    if (tolerated.some((hook) => hook.why === undefined)) continue;
    const parts = [
      `its name says '${word}'`,
      ...(tests.length ? [`tests start it (${testSites})`] : []),
      ...tolerated.map((hook) => `${relativePath(root, hook.call.getSourceFile().fileName)}:${lineOf(hook.call)} ${hook.verb} it ${hook.why}`),
    ];
    if (tolerated.length === 0 && tests.length === 0) parts.push('nothing in the reviewed code starts it by name');
    result.push({ name: workflow.name, reason: `only tests or hand-run hooks start ${workflow.name} (${parts.join('; ')})` });
  }
  return result;
}

/** `src/a.test.ts:12, src/b.test.ts:30 and 2 more`. */
function sites(starts: WorkflowStart[], root: string): string {
  const shown = starts.slice(0, 2).map((start) => `${relativePath(root, start.location.file)}:${start.location.line}`);
  return starts.length > 2 ? `${shown.join(', ')} and ${starts.length - 2} more` : shown.join(', ');
}

/** `testEmailWorkflow` -> test; `TESTWorkflow` -> test; `attestationWorkflow` -> attestation. */
export function firstWord(name: string): string | undefined {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)[0]
    ?.toLowerCase();
}

/** Why a production start of a test-named workflow is a hand-run hook, or undefined when it may be real traffic. */
function testHook(call: ts.CallExpression, workflowId: StaticValue | { kind: 'string'; value: string; configurable?: undefined } | undefined): string | undefined {
  if (workflowId?.kind === 'string' && !workflowId.configurable) return `with the fixed id '${workflowId.value}'`;
  const route = testRoute(call);
  return route ? `from the route '${route}'` : undefined;
}

/** `{ workflowId: 'id-1' }` written in an object literal argument of the call. */
function literalWorkflowId(call: ts.CallExpression): { kind: 'string'; value: string } | undefined {
  for (const argument of call.arguments) {
    if (!ts.isObjectLiteralExpression(argument)) continue;
    for (const property of argument.properties) {
      if (ts.isPropertyAssignment(property) && property.name.getText() === 'workflowId' && ts.isStringLiteralLike(property.initializer)) {
        return { kind: 'string', value: property.initializer.text };
      }
    }
  }
  return undefined;
}

/**
 * Calls in production code, other than the starts the model knows, that pass a workflow's name as
 * a string argument: a start through a wrapper (`workflowService.executeWorkflow('TestWorkflow', ...)`),
 * or anything else that names it. Either way production code refers to it.
 */
function namedInCalls(names: Set<string>, starts: Set<ts.Node>, files: string[], sourceFile: (file: string) => ts.SourceFile | undefined): Map<string, ts.CallExpression[]> {
  const found = new Map<string, ts.CallExpression[]>();
  const quoted = [...names].filter((name) => name.length > 0);
  if (quoted.length === 0) return found;
  for (const file of files) {
    const source = sourceFile(file);
    if (!source || !quoted.some((name) => source.text.includes(`'${name}'`) || source.text.includes(`"${name}"`) || source.text.includes(`\`${name}\``))) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && !starts.has(node)) {
        for (const argument of node.arguments) {
          if (ts.isStringLiteralLike(argument) && names.has(argument.text)) found.set(argument.text, [...(found.get(argument.text) ?? []), node]);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

function lineOf(node: ts.Node): number {
  return node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1;
}

/**
 * The route path of the handler around a start when it names a test hook: a string argument of an
 * enclosing call (`app.post('/workflow/test', ...)`) or of a decorator on the enclosing method
 * (`@Post('smoke')`) whose segments include a test word and no parameter.
 */
function testRoute(node: ts.Node): string | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    const candidates: ts.Expression[] = [];
    if (ts.isCallExpression(current) && current !== node) candidates.push(...current.arguments.slice(0, 1));
    if (ts.isMethodDeclaration(current)) {
      for (const decorator of ts.getDecorators(current) ?? []) {
        if (ts.isCallExpression(decorator.expression)) candidates.push(...decorator.expression.arguments.slice(0, 1));
      }
    }
    for (const candidate of candidates) {
      if (!ts.isStringLiteralLike(candidate)) continue;
      const segments = candidate.text.split('/').filter(Boolean);
      if (segments.length === 0 || segments.some((segment) => /^[:{*]|[{}]/.test(segment))) continue;
      if (segments.some((segment) => TEST_ROUTE_WORDS.has(segment.toLowerCase()))) return candidate.text;
    }
  }
  return undefined;
}

