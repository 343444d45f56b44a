// Prevents workflow tasks that fail on every attempt: a value typed `Date` that reached the
// workflow through a payload (an activity's result, a child workflow's result, the workflow's own
// input) is a string at run time. The SDK's default payload converter writes it with
// JSON.stringify (a Date becomes its ISO string) and reads it back with JSON.parse, which gives
// the string. TypeScript still calls it a Date, so `until.getTime()` compiles, then throws
// "TypeError: until.getTime is not a function" in workflow code: the workflow task fails, and
// the server retries it forever (TEMPORAL-FACTS.md §1).

import ts from 'typescript';
import { relative } from '../../engine/run-checks.js';
import { activityCallSites } from '../../model/typescript/observability/workflow-activity-calls.js';
import { shortText } from '../../model/typescript/short-text.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { defineCheck } from '../define-check.js';

/** Methods of Date.prototype: none of them exists on a string. */
const DATE_METHODS = new Set([
  'getTime', 'getFullYear', 'getMonth', 'getDate', 'getDay', 'getHours', 'getMinutes', 'getSeconds', 'getMilliseconds',
  'getUTCFullYear', 'getUTCMonth', 'getUTCDate', 'getUTCDay', 'getUTCHours', 'getUTCMinutes', 'getUTCSeconds', 'getUTCMilliseconds',
  'getTimezoneOffset', 'toISOString', 'toUTCString', 'toDateString', 'toTimeString', 'toLocaleDateString', 'toLocaleTimeString',
  'setTime', 'setFullYear', 'setMonth', 'setDate', 'setHours', 'setMinutes', 'setSeconds', 'setMilliseconds',
  'setUTCFullYear', 'setUTCMonth', 'setUTCDate', 'setUTCHours', 'setUTCMinutes', 'setUTCSeconds', 'setUTCMilliseconds',
]);

/** Array methods whose callback receives the array's elements. */
const ELEMENT_CALLBACKS = new Set(['map', 'forEach', 'filter', 'find', 'findLast', 'some', 'every', 'flatMap', 'sort', 'findIndex']);
/** Array methods that return elements of the array (or the array itself, filtered or sliced). */
const ELEMENT_RESULTS = new Set(['find', 'findLast', 'filter', 'at', 'slice', 'sort', 'reverse', 'pop', 'shift', 'concat', 'flat', 'toSorted', 'toReversed']);

interface PayloadSource {
  /** What delivered the value: "the result of activity getRestrictions", "the input of workflow x". */
  text: string;
  node: ts.Node;
}

interface DateUse {
  call: ts.CallExpression;
  method: string;
  receiver: string;
  source: PayloadSource;
}

export default defineCheck({
  id: 'workflow-date-from-payload',
  area: 'determinism',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Workflow code calls a Date method on a value that came through a payload, where the default converter makes every Date a string',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    const converter = customConverterFile(model);
    for (const use of dateUses(model)) {
      const sourceAt = model.locate(use.source.node);
      ctx.report({
        location: model.locate(use.call),
        ...(converter ? { severity: 'info' as const } : {}),
        message:
          `${use.receiver} is typed Date, but it came through a payload (${use.source.text}, ${relative(ctx.root, sourceAt.file)}:${sourceAt.line}): ` +
          `the default payload converter writes a Date as its ISO string (JSON.stringify) and reads it back as that string (JSON.parse). ` +
          `${use.receiver}.${use.method}() then throws "TypeError: ${use.method} is not a function" in workflow code, which fails the workflow task; ` +
          `the server retries the task forever and the workflow stops making progress.` +
          (converter
            ? ` The project configures its own payload converter (${relative(ctx.root, converter)}): if it restores Dates, this is fine, so this is a note.`
            : ''),
        fix: `Convert it where it arrives: new Date(${use.receiver}).${use.method}() (or type the field as string, or return epoch milliseconds from the activity).`,
        related: [{ ...sourceAt, message: 'where the value enters the workflow as a payload' }],
        data: { method: use.method, source: use.source.text, customConverter: converter ? relative(ctx.root, converter) : null },
      });
    }
  },
});

/** A file that sets `payloadConverterPath`: a converter of the project's own may revive Dates. */
function customConverterFile(model: TemporalModel): string | undefined {
  return model.files.find((file) => model.sourceFile(file)?.text.includes('payloadConverterPath'));
}

/** Date method calls, in workflow code, on values that came through a payload. */
function dateUses(model: TemporalModel): DateUse[] {
  const uses: DateUse[] = [];
  const seen = new Set<ts.Node>();
  // Variables (by symbol: unique across files) whose value came through a payload.
  const sources = new Map<ts.Symbol, PayloadSource>();
  const checkerOf = (node: ts.Node) => model.checkerFor(node.getSourceFile().fileName);

  const addSource = (symbol: ts.Symbol | undefined, source: PayloadSource) => {
    if (symbol && !sources.has(symbol)) sources.set(symbol, source);
  };

  // Sources: activity calls, child workflow results, workflow parameters.
  const direct = new Map<ts.Node, PayloadSource>();
  for (const site of activityCallSites(model)) direct.set(site.call, { text: `the result of activity ${site.name}`, node: site.call });
  for (const file of model.workflowFiles) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !model.files.includes(file)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const api = model.temporalApiOf(node.expression);
        if (api?.module === '@temporalio/workflow' && api.name === 'executeChild') {
          const type = node.arguments[0] && ts.isIdentifier(node.arguments[0]) ? node.arguments[0].text : 'a child workflow';
          direct.set(node, { text: `the result of child workflow ${type}`, node });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  for (const workflow of model.workflows) {
    if (!model.files.includes(workflow.file)) continue;
    const checker = checkerOf(workflow.node);
    if (!checker) continue;
    for (const parameter of workflow.node.parameters) {
      for (const name of boundNames(parameter.name)) {
        addSource(checker.getSymbolAtLocation(name), { text: `the input of workflow ${workflow.name}`, node: parameter });
      }
    }
  }

  for (const file of model.workflowFiles) {
    const sourceFile = model.sourceFile(file);
    const checker = model.checkerFor(file);
    if (!sourceFile || !checker || !model.files.includes(file)) continue;
    const sourceOf = (expression: ts.Expression, depth = 0): PayloadSource | undefined => {
      if (depth > 12) return undefined;
      const value = skipOuterExpressions(expression) as ts.Expression;
      if (ts.isAwaitExpression(value) || ts.isNonNullExpression(value)) return sourceOf(value.expression, depth + 1);
      const found = direct.get(value);
      if (found) return found;
      if (ts.isPropertyAccessExpression(value) || ts.isElementAccessExpression(value)) return sourceOf(value.expression, depth + 1);
      if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && ELEMENT_RESULTS.has(value.expression.name.text)) {
        return sourceOf(value.expression.expression, depth + 1);
      }
      if (ts.isIdentifier(value)) {
        const symbol = checker.getSymbolAtLocation(value);
        return symbol ? sources.get(symbol) : undefined;
      }
      return undefined;
    };
    // Propagate through declarations, for-of variables and element callbacks. Values flow forward in
    // source order; the later passes catch a chain written out of order (a helper above its caller).
    for (let pass = 0; pass < 3; pass++) {
      const visit = (node: ts.Node): void => {
        if (ts.isVariableDeclaration(node) && node.initializer) {
          const source = sourceOf(node.initializer);
          if (source) for (const name of boundNames(node.name)) addSource(checker.getSymbolAtLocation(name), source);
        } else if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer)) {
          const source = sourceOf(node.expression);
          if (source) for (const declaration of node.initializer.declarations) for (const name of boundNames(declaration.name)) addSource(checker.getSymbolAtLocation(name), source);
        } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ELEMENT_CALLBACKS.has(node.expression.name.text)) {
          const callback = node.arguments[0] && skipOuterExpressions(node.arguments[0]);
          const source = callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) ? sourceOf(node.expression.expression) : undefined;
          if (source) {
            // sort's callback receives two elements, the others one
            const elements = (callback as ts.ArrowFunction | ts.FunctionExpression).parameters.slice(0, node.expression.name.text === 'sort' ? 2 : 1);
            for (const parameter of elements) for (const name of boundNames(parameter.name)) addSource(checker.getSymbolAtLocation(name), source);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sourceFile);
    }
    // What the workflow reassigns (`until = new Date(until)`, `row.at = new Date(row.at)`) may be a
    // real Date afterwards: uses of it are left alone.
    const assigned = new Set<string>();
    const collect = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) assigned.add(scopedText(node.left));
      ts.forEachChild(node, collect);
    };
    collect(sourceFile);
    const reassigned = (expression: ts.Expression): boolean => {
      for (let current: ts.Expression = expression; ; ) {
        if (assigned.has(scopedText(current))) return true;
        const inner = skipOuterExpressions(current) as ts.Expression;
        if (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner) || ts.isNonNullExpression(inner)) current = inner.expression;
        else return false;
      }
    };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && !seen.has(node)) {
        const callee = node.expression;
        if (ts.isPropertyAccessExpression(callee) && DATE_METHODS.has(callee.name.text) && isDateTyped(callee.expression, checker)) {
          const source = sourceOf(callee.expression);
          if (source && !insideTry(node) && !reassigned(callee.expression)) {
            seen.add(node);
            uses.push({ call: node, method: callee.name.text, receiver: shortText(callee.expression.getText(), 40), source });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return uses;
}

/** The declared type is Date (or Date | null | undefined): what TypeScript believes the value is. */
function isDateTyped(expression: ts.Expression, checker: ts.TypeChecker): boolean {
  const type = checker.getTypeAtLocation(expression);
  const parts = type.isUnion() ? type.types : [type];
  const named = parts.filter((part) => !(part.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
  return named.length > 0 && named.every((part) => part.getSymbol()?.getName() === 'Date');
}

/** A call inside a try block of the workflow: its TypeError is caught there, not by the task. */
function insideTry(node: ts.Node): boolean {
  for (let current: ts.Node = node; current.parent; current = current.parent) {
    if (ts.isFunctionLike(current.parent) && !ts.isArrowFunction(current.parent) && !ts.isFunctionExpression(current.parent)) return false;
    if (ts.isTryStatement(current.parent) && current.parent.tryBlock === current && current.parent.catchClause) return true;
  }
  return false;
}

/** An expression's text, keyed by the outermost function it sits in (a name means one thing there). */
function scopedText(expression: ts.Node): string {
  let outer: ts.Node | undefined;
  for (let current = expression.parent; current; current = current.parent) if (ts.isFunctionLike(current)) outer = current;
  return `${outer?.pos ?? -1}:${expression.getText().replace(/\s+/g, '')}`;
}

function boundNames(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  return name.elements.flatMap((element) => (ts.isOmittedExpression(element) ? [] : boundNames(element.name)));
}
