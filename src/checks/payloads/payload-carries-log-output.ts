// Keeps logs out of history: an activity whose result carries the whole text of a log (a field set
// from `getLogs(...)`, `readLogFile(...)`) writes that log into the workflow history, where it
// stays for the retention period, and a long log (a build, a migration, a crashed process) makes
// the result larger than the 2 MiB payload limit: the server rejects the completion and the
// activity fails on the size of its own diagnostics. The result is followed through a variable and
// through up to two project functions or methods the activity returns the result of. A value the
// code shortens first (slice, substring, a tail or truncate helper) is left alone. Only activities
// a workflow schedules are read. TypeScript only for now.

import ts from 'typescript';
import { defineCheck } from '../define-check.js';
import { scheduledActivities } from '../../model/typescript/activity-options/activity-uses.js';
import { relativePath } from '../../model/typescript/locate.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { TemporalModel } from '../../model/typescript/types.js';

const MAX_DEPTH = 2;
const READ_VERBS = new Set(['get', 'read', 'fetch', 'load', 'collect', 'download', 'dump']);
const LOG_NOUNS_AFTER_LOG = new Set(['file', 'files', 'contents', 'content', 'text', 'output', 'lines']);
const SHORTENED = /\.(slice|substring|substr)\s*\(|truncat|\btail\b|\blast\w*\(/i;

interface LogField {
  /** The property assignment that puts the log into the result. */
  property: ts.PropertyAssignment;
  /** The call that reads the log. */
  read: ts.CallExpression;
  readName: string;
}

export default defineCheck({
  id: 'payload-carries-log-output',
  area: 'payloads',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'An activity result carries the whole text of a log: the log goes into history and a long one exceeds the 2 MiB payload limit',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    const seen = new Set<ts.Node>();
    for (const activity of scheduledActivities(model)) {
      if (!activity.node.body) continue;
      for (const field of logFields(activity.node, model, 0, new Set())) {
        if (seen.has(field.property)) continue;
        seen.add(field.property);
        const name = ts.isIdentifier(field.property.name) || ts.isStringLiteral(field.property.name) ? field.property.name.text : field.property.name.getText();
        const where = model.locate(field.property);
        const elsewhere = where.file !== activity.location.file ? ` (in ${relativePath(ctx.root, where.file)}, which it returns the result of)` : '';
        ctx.report({
          location: where,
          message:
            `Activity ${activity.name} returns \`${name}\` set to the whole text of ${field.readName}(...)${elsewhere}. ` +
            'Temporal writes the activity result into the workflow history and keeps it for the retention period, and a workflow that passes the text on (in a failure message, a signal, a child input) copies it again. ' +
            'A long log makes the result larger than the 2 MiB payload limit: the server rejects the completion and the activity fails on the size of its own diagnostics.',
          fix:
            `Return the log's identifier (the log group, file or object key) and let whoever needs the text read it from there, ` +
            'or return only a bounded tail (the last few KB) of it.',
          related: [{ ...model.locate(field.read), message: `reads the log (${field.readName})` }],
          data: { activity: activity.name, field: name, read: field.readName },
        });
      }
    }
  },
});

/** Fields of the object literals a function returns whose value is a whole log's text. */
function logFields(fn: ts.FunctionLikeDeclaration, model: TemporalModel, depth: number, visited: Set<ts.Node>): LogField[] {
  if (!fn.body || visited.has(fn) || depth > MAX_DEPTH) return [];
  visited.add(fn);
  const found: LogField[] = [];
  for (const returned of returnedExpressions(fn.body)) found.push(...fieldsOf(returned, fn, model, depth, visited, 0));
  return found;
}

function fieldsOf(node: ts.Expression, fn: ts.FunctionLikeDeclaration, model: TemporalModel, depth: number, visited: Set<ts.Node>, steps: number): LogField[] {
  if (steps > 4) return [];
  const expression = skipOuterExpressions(node) as ts.Expression;
  if (ts.isAwaitExpression(expression)) return fieldsOf(expression.expression, fn, model, depth, visited, steps + 1);
  if (ts.isObjectLiteralExpression(expression)) {
    const found: LogField[] = [];
    for (const property of expression.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const read = wholeLogRead(property.initializer);
      if (read) found.push({ property, read: read.call, readName: read.name });
    }
    return found;
  }
  if (ts.isIdentifier(expression)) {
    // `const result = await service.run(...); return result;` in the same function.
    const declaration = model.declarationOf(expression);
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && isInside(declaration, fn)) {
      return fieldsOf(declaration.initializer, fn, model, depth, visited, steps + 1);
    }
    return [];
  }
  if (ts.isCallExpression(expression)) {
    const callee = skipOuterExpressions(expression.expression);
    if (!ts.isIdentifier(callee) && !ts.isPropertyAccessExpression(callee)) return [];
    const declaration = model.declarationOf(callee);
    const called = functionOf(declaration);
    if (!called || called.getSourceFile().isDeclarationFile) return [];
    return logFields(called, model, depth + 1, visited);
  }
  return [];
}

/** The call that reads a whole log, when the value is that text (awaited, `.then(b => b.toString())`, `String(...)`). */
function wholeLogRead(value: ts.Expression): { call: ts.CallExpression; name: string } | undefined {
  if (SHORTENED.test(value.getText())) return undefined;
  let found: { call: ts.CallExpression; name: string } | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name && readsWholeLog(name)) {
        found = { call: node, name };
        return;
      }
    }
    // Callbacks (`.then((b) => b.toString())`) only convert the value; their bodies are not read.
    if (ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  visit(value);
  return found;
}

/** `getLogsFromGroup`, `readLogFile`, `fetchBuildLogs`, `downloadLogContents`: a read verb and logs. */
function readsWholeLog(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-]+/g, ' ')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
  if (!words.length || !READ_VERBS.has(words[0]!)) return false;
  return words.some((word, i) => word === 'logs' || (word === 'log' && LOG_NOUNS_AFTER_LOG.has(words[i + 1] ?? '')));
}

function returnedExpressions(body: ts.ConciseBody): ts.Expression[] {
  if (!ts.isBlock(body)) return [body];
  const found: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

function functionOf(declaration: ts.Declaration | undefined): ts.FunctionLikeDeclaration | undefined {
  if (!declaration) return undefined;
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration)) return declaration;
  if ((ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.initializer) {
    const initializer = skipOuterExpressions(declaration.initializer);
    if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return initializer;
  }
  return undefined;
}

function isInside(node: ts.Node, container: ts.Node): boolean {
  for (let current: ts.Node | undefined = node; current; current = current.parent) if (current === container) return true;
  return false;
}
