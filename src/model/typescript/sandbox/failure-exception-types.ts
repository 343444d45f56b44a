// Per-workflow `failureExceptionTypes` (TEMPORAL-FACTS.md §1): set with
// `setWorkflowOptions({ failureExceptionTypes: [X] }, wf)` or
// `defineWorkflowOptions(wf, { workflowDefinitionOptions: { failureExceptionTypes: [X] } })` in
// workflow code. The SDK matches them with instanceof, so a listed class covers its subclasses.

import ts from 'typescript';
import { propertyValue } from '../object-literal.js';
import type { TemporalModel } from '../types.js';
import { sandboxFiles } from './sandbox-files.js';

/** Class names listed for a workflow, or 'unknown' when the options are not a literal the reviewer can read. */
export type FailureExceptionTypes = string[] | 'unknown';

export function workflowFailureExceptionTypes(model: TemporalModel): Map<string, FailureExceptionTypes> {
  const result = new Map<string, FailureExceptionTypes>();
  const files = new Set([...sandboxFiles(model), ...model.workflows.map((workflow) => workflow.file)]);
  for (const file of [...files].sort()) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const found = readCall(node);
        if (found) {
          const previous = result.get(found.workflow);
          result.set(found.workflow, previous === 'unknown' || found.types === 'unknown' ? 'unknown' : [...(previous ?? []), ...found.types]);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return result;
}

function readCall(call: ts.CallExpression): { workflow: string; types: FailureExceptionTypes } | null {
  const callee = ts.isPropertyAccessExpression(call.expression) ? call.expression.name : call.expression;
  if (!ts.isIdentifier(callee)) return null;
  let fnArgument: ts.Expression | undefined;
  let options: ts.Expression | undefined;
  if (callee.text === 'setWorkflowOptions') {
    [options, fnArgument] = call.arguments;
  } else if (callee.text === 'defineWorkflowOptions') {
    fnArgument = call.arguments[0];
    const config = call.arguments[1];
    if (!config) return null;
    if (!ts.isObjectLiteralExpression(config)) options = config;
    else {
      const property = propertyValue(config, 'workflowDefinitionOptions');
      if (!property) return null;
      options = property;
    }
  } else {
    return null;
  }
  if (!fnArgument || !ts.isIdentifier(fnArgument) || !options) return null;
  return { workflow: fnArgument.text, types: readTypes(options) };
}

function readTypes(options: ts.Expression): FailureExceptionTypes {
  if (!ts.isObjectLiteralExpression(options)) return 'unknown';
  if (options.properties.some((property) => ts.isSpreadAssignment(property))) return 'unknown';
  const list = propertyValue(options, 'failureExceptionTypes');
  if (!list) return [];
  if (!ts.isArrayLiteralExpression(list)) return 'unknown';
  const names: string[] = [];
  for (const element of list.elements) {
    if (ts.isIdentifier(element)) names.push(element.text);
    else if (ts.isPropertyAccessExpression(element)) names.push(element.name.text);
    else return 'unknown';
  }
  return names;
}

