// Prevents an activity implementation that silently replaces another: a TypeScript worker's
// `activities` object merges several modules (`{ ...gemini, ...openai }`, `Object.assign({}, a, b)`)
// that export different functions under the same name. The later spread wins, and activities are
// dispatched by type name, so a workflow whose proxy is typed with the earlier module
// (`proxyActivities<typeof gemini>`) runs the later module's code. Python: two activities of the
// same type in `Worker(activities=[...])` make the worker's constructor raise ValueError.

import ts from 'typescript';
import { relative } from '../../engine/run-checks.js';
import { nodeText } from '../../model/typescript/locate.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { SourceLocation, TemporalModel, WorkerDefinition } from '../../model/typescript/types.js';
import { defineCheck, type CheckContext } from '../define-check.js';

/** How many overwritten names a message lists. */
const LISTED = 6;

interface Source {
  /** The spread (or Object.assign argument) as written. */
  text: string;
  node: ts.Node;
  location: SourceLocation;
}

interface Entry {
  key: string;
  /** The declaration the value comes from (aliases and re-exports followed); null for an explicit property. */
  declaration: ts.Node | null;
  source: Source | null;
}

interface Overwrite {
  key: string;
  winner: Entry & { source: Source; declaration: ts.Node };
  loser: Entry & { source: Source; declaration: ts.Node };
}

export default defineCheck({
  id: 'worker-activity-overwritten',
  area: 'determinism',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: "A worker's activities merge two modules that export different functions under one name: the later one silently replaces the earlier",
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    if (model.language === 'python') {
      reportPythonDuplicates(ctx);
      return;
    }
    const seen = new Set<ts.Node>();
    for (const worker of model.workers) {
      const expression = activitiesExpression(worker, model);
      if (!expression) continue;
      const holder = objectNode(expression, model);
      if (!holder || seen.has(holder)) continue;
      seen.add(holder);
      const overwrites = overwritesOf(holder, model);
      if (overwrites.length === 0) continue;
      reportOverwrites(ctx, model, overwrites);
    }
  },
});

/** The `activities` expression written in the Worker.create options (through a const options object). */
function activitiesExpression(worker: WorkerDefinition, model: TemporalModel): ts.Expression | undefined {
  const argument = worker.node.arguments[0];
  if (!argument) return undefined;
  let options = skipOuterExpressions(argument);
  if (ts.isIdentifier(options)) {
    const initializer = constInitializer(options, model);
    if (!initializer) return undefined;
    options = skipOuterExpressions(initializer);
  }
  if (!ts.isObjectLiteralExpression(options)) return undefined;
  for (const property of options.properties) {
    if (!property.name || !ts.isIdentifier(property.name) || property.name.text !== 'activities') continue;
    if (ts.isPropertyAssignment(property)) return property.initializer;
    if (ts.isShorthandPropertyAssignment(property)) return property.name;
  }
  return undefined;
}

/** The initializer of the const an identifier names. */
function constInitializer(identifier: ts.Identifier, model: TemporalModel): ts.Expression | undefined {
  const declaration = model.declarationOf(identifier);
  if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  if ((ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) === 0) return undefined;
  return declaration.initializer;
}

/** An object literal or Object.assign call, directly or through consts. */
function objectNode(expression: ts.Expression, model: TemporalModel, depth = 0): ts.ObjectLiteralExpression | ts.CallExpression | undefined {
  const node = skipOuterExpressions(expression) as ts.Expression;
  if (ts.isObjectLiteralExpression(node) || isObjectAssign(node)) return node;
  if (ts.isIdentifier(node) && depth < 5) {
    const initializer = constInitializer(node, model);
    return initializer ? objectNode(initializer, model, depth + 1) : undefined;
  }
  return undefined;
}

function isObjectAssign(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node)) return false;
  const callee = skipOuterExpressions(node.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Object' && callee.name.text === 'assign';
}

/**
 * Walks the object in evaluation order. A spread (or Object.assign source) that supplies a key an
 * earlier spread supplied, with a different declaration, is an overwrite. An explicit property
 * (`foo: b.foo`) says which one the author wants: it ends the key's history, and is never reported.
 */
function overwritesOf(holder: ts.ObjectLiteralExpression | ts.CallExpression, model: TemporalModel): Overwrite[] {
  const current = new Map<string, Entry>();
  const overwrites: Overwrite[] = [];
  const set = (entry: Entry): void => {
    const previous = current.get(entry.key);
    if (previous?.source && previous.declaration && entry.source && entry.declaration && previous.declaration !== entry.declaration) {
      overwrites.push({ key: entry.key, winner: entry as Overwrite['winner'], loser: previous as Overwrite['loser'] });
    }
    current.set(entry.key, entry);
  };
  const active = new Set<ts.Node>();
  const walkObject = (node: ts.ObjectLiteralExpression | ts.CallExpression): void => {
    if (active.has(node) || active.size > 8) return;
    active.add(node);
    if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) {
        if (ts.isSpreadAssignment(property)) {
          spread(property.expression);
          continue;
        }
        const name = property.name;
        const key = name && (ts.isIdentifier(name) || ts.isStringLiteralLike(name)) ? name.text : undefined;
        if (key !== undefined) set({ key, declaration: null, source: null });
      }
    } else {
      node.arguments.forEach((argument, position) => {
        const inner = skipOuterExpressions(argument);
        if (position === 0 && ts.isObjectLiteralExpression(inner)) walkObject(inner);
        else if (ts.isSpreadElement(argument)) return;
        else spread(argument);
      });
    }
    active.delete(node);
  };
  const spread = (expression: ts.Expression): void => {
    const nested = objectNode(expression, model);
    if (nested) {
      walkObject(nested);
      return;
    }
    const node = skipOuterExpressions(expression) as ts.Expression;
    const value = model.resolveValue(node);
    if (value.kind !== 'object') return;
    const source: Source = { text: nodeText(node), node, location: model.locate(node) };
    for (const [key, property] of value.properties) {
      if (property.kind !== 'unknown' || !property.node) continue;
      const declaration = canonical(property.node, model);
      if (!isFunctionLike(declaration)) continue;
      set({ key, declaration, source });
    }
  };
  walkObject(holder);
  // A key whose last word is an explicit property was chosen deliberately.
  return overwrites.filter((overwrite) => current.get(overwrite.key)?.source !== null);
}

/** The declaration a value comes from: aliases (`export const a = b`), imports and re-exports followed. */
function canonical(start: ts.Node, model: TemporalModel): ts.Node {
  let node = start;
  for (let step = 0; step < 12; step++) {
    node = skipOuterExpressions(node);
    const parent = node.parent;
    if (ts.isIdentifier(node) && parent && (ts.isFunctionDeclaration(parent) || ts.isVariableDeclaration(parent) || ts.isClassDeclaration(parent)) && parent.name === node) {
      node = parent;
      continue;
    }
    if (ts.isVariableDeclaration(node)) {
      if (node.initializer && (ts.getCombinedNodeFlags(node) & ts.NodeFlags.Const) !== 0) {
        node = node.initializer;
        continue;
      }
      return node;
    }
    if (ts.isPropertyAssignment(node)) {
      node = node.initializer;
      continue;
    }
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
      const declaration = model.declarationOf(node);
      if (declaration && declaration !== node) {
        node = declaration;
        continue;
      }
    }
    return node;
  }
  return node;
}

/** Functions (and values that may be functions: calls, references the review did not follow); not classes or literals. */
function isFunctionLike(node: ts.Node): boolean {
  if (ts.isClassLike(node)) return false;
  if (ts.isStringLiteralLike(node) || ts.isNumericLiteral(node) || ts.isObjectLiteralExpression(node) || ts.isArrayLiteralExpression(node)) return false;
  if (ts.isEnumDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return false;
  return true;
}

/** Where a workflow schedules the losing implementation's type through a proxy typed with the losing module. */
interface Misrouted {
  key: string;
  location: SourceLocation;
  workflowNames: string[];
}

function misroutedCalls(overwrites: Overwrite[], model: TemporalModel): Misrouted[] {
  const found: Misrouted[] = [];
  for (const proxy of model.activityProxies) {
    if (proxy.testOnly) continue;
    for (const overwrite of overwrites) {
      const typedWith = (declaration: ts.Node): boolean =>
        proxy.implementationFiles.some((file) => {
          const exported = model.exportsOf(file).get(overwrite.key);
          return exported !== undefined && canonical(exported, model) === declaration;
        });
      // A proxy typed with both (an index that re-exports one of them) does not say which it means.
      if (!typedWith(overwrite.loser.declaration) || typedWith(overwrite.winner.declaration)) continue;
      if (proxy.usedActivityTypes === 'all') {
        found.push({ key: overwrite.key, location: proxy.location, workflowNames: proxy.workflowNames });
        continue;
      }
      for (const use of proxy.usedActivityTypes) {
        if (use.name === overwrite.key) found.push({ key: overwrite.key, location: use.location, workflowNames: proxy.workflowNames });
      }
    }
  }
  const unique = new Map(found.map((m) => [`${m.location.file}:${m.location.line}:${m.location.column}:${m.key}`, m]));
  return [...unique.values()].sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
}

function reportOverwrites(ctx: CheckContext, model: TemporalModel, overwrites: Overwrite[]): void {
  // One finding per worker activities object: grouped by the pair of spreads.
  const pairs = new Map<string, Overwrite[]>();
  for (const overwrite of overwrites) {
    const id = `${overwrite.loser.source.text}\u0000${overwrite.winner.source.text}`;
    pairs.set(id, [...(pairs.get(id) ?? []), overwrite]);
  }
  const describe = (list: Overwrite[]): string => {
    const names = [...new Set(list.map((o) => o.key))].sort();
    const listed = names.slice(0, LISTED).join(', ') + (names.length > LISTED ? ` and ${names.length - LISTED} more` : '');
    const files = (side: 'loser' | 'winner'): string => {
      const all = [...new Set(list.map((o) => relative(ctx.root, model.locate(o[side].declaration).file)))].sort();
      return all.slice(0, 2).join(', ') + (all.length > 2 ? ` and ${all.length - 2} more files` : '');
    };
    return `${names.length === 1 ? 'activity' : `${names.length} activities`} ${listed} of \`...${list[0]!.loser.source.text}\` (${files('loser')}) replaced by \`...${list[0]!.winner.source.text}\`'s (${files('winner')})`;
  };
  const misrouted = misroutedCalls(overwrites, model);
  const first = overwrites.reduce((a, b) => (b.winner.source.node.pos < a.winner.source.node.pos && b.winner.source.node.getSourceFile() === a.winner.source.node.getSourceFile() ? b : a));
  const groups = [...pairs.values()];
  const allNames = [...new Set(overwrites.map((o) => o.key))].sort();
  const misroutedText = misrouted.length
    ? ` Workflows call the replaced implementations through a proxy typed with the module that loses: ` +
      misrouted
        .slice(0, LISTED)
        .map((m) => `${m.key} at ${relative(ctx.root, m.location.file)}:${m.location.line}${m.workflowNames.length ? ` (${m.workflowNames.join(', ')})` : ''}`)
        .join(', ') +
      `${misrouted.length > LISTED ? ` and ${misrouted.length - LISTED} more` : ''}: those calls run the other module's code, under the proxy's timeouts and retry policy.`
    : ' No workflow proxy here is typed with the module that loses; if the replacement is deliberate, an explicit property (`name: module.name`) says so.';
  ctx.report({
    location: first.winner.source.location,
    ...(misrouted.length ? {} : { severity: 'info' as const }),
    message:
      `The worker's activities merge modules that export different functions under the same name: ${groups.map(describe).join('; ')}. ` +
      `A later spread silently replaces the earlier property, and activities are dispatched by type name, so only the last implementation of each name is registered.` +
      misroutedText,
    fix:
      `Give the functions distinct names (prefix them per provider, or register each module under its own names), ` +
      `or keep one and write the choice explicitly after the spreads (\`${allNames[0]}: ${first.winner.source.text}.${allNames[0]}\`).`,
    related: [
      ...groups.map((list) => ({ ...list[0]!.loser.source.location, message: `spread whose ${list.length === 1 ? 'activity is' : 'activities are'} replaced` })),
      ...misrouted.map((m) => ({ ...m.location, message: `call of ${m.key} that runs the replacing implementation` })),
    ],
    data: {
      activityTypes: allNames,
      replaced: groups.map((list) => ({ loser: list[0]!.loser.source.text, winner: list[0]!.winner.source.text, names: [...new Set(list.map((o) => o.key))].sort() })),
      misroutedCalls: misrouted.length,
    },
  });
}

/** Python: two activities of one type in a worker's list make Worker(...) raise ValueError. */
function reportPythonDuplicates(ctx: CheckContext): void {
  const model = ctx.model!;
  for (const worker of model.workers) {
    if (worker.activityNames === 'unknown' || worker.notRun) continue;
    const counts = new Map<string, number>();
    for (const name of worker.activityNames) counts.set(name, (counts.get(name) ?? 0) + 1);
    const duplicates = [...counts.entries()].filter(([, count]) => count > 1).map(([name]) => name).sort();
    if (duplicates.length === 0) continue;
    const listed = duplicates.slice(0, LISTED).join(', ') + (duplicates.length > LISTED ? ` and ${duplicates.length - LISTED} more` : '');
    ctx.report({
      location: worker.location,
      severity: 'error',
      message:
        `The worker's activities=[...] holds more than one activity of type ${listed}. The SDK's Worker constructor raises ` +
        `ValueError("More than one activity named ${duplicates[0]}"): the worker fails to start.`,
      fix: `Register each activity once; give activities that must coexist distinct types with @activity.defn(name="...").`,
      data: { activityTypes: duplicates },
    });
  }
}
