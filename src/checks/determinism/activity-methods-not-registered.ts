// Prevents activities that never run: Worker.create reads `activities` with Object.entries, so a
// class instance registers only its own properties; methods declared on the class live on its
// prototype and are not registered. Every task for them fails with NotFoundError (retryable), and
// the workflows that call them wait through their retries.

import ts from 'typescript';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'activity-methods-not-registered',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'Worker.create({ activities }) given a class instance: its methods are on the prototype and are not registered',
  run(ctx) {
    const model = ctx.model;
    // TypeScript sandbox semantics; the Python sandbox's are workflow-nondeterministic-call and workflow-sandbox-disabled.
    if (!model || model.language === 'python') return;
    for (const worker of model.workers) {
      const activities = worker.options.kind === 'object' ? worker.options.properties.get('activities') : undefined;
      if (activities?.kind !== 'unknown' || !activities.node) continue;
      const instance = classInstance(activities.node, model);
      if (!instance || instance.methods.length === 0) continue;
      const names = instance.methods.join(', ');
      ctx.report({
        location: activities.location,
        message:
          `The worker's activities are an instance of class ${instance.className}, and Worker.create registers only an object's own properties ` +
          `(Object.entries): the methods ${names} are on the class's prototype and are not registered. Every activity task for them fails with ` +
          `NotFoundError ("Activity function ${instance.methods[0]} is not registered on this Worker"), which is retried like any failure while the workflows wait.`,
        fix:
          `Register plain functions: a factory that returns them (activities: createActivities(deps) returning { ${instance.methods[0]}: async (...) => ... }), ` +
          `or bound methods (activities: { ${instance.methods[0]}: instance.${instance.methods[0]}.bind(instance) }). Arrow-function properties (${instance.methods[0]} = async () => ...) are own properties and are registered.`,
        data: { className: instance.className, methods: instance.methods },
      });
    }
  },
});

/** `new Activities(...)`, directly or through a const: the class and its prototype methods. */
function classInstance(node: ts.Node, model: TemporalModel): { className: string; methods: string[] } | undefined {
  const checker = model.checkerFor(node.getSourceFile().fileName);
  if (!checker) return undefined;
  let expression = skipOuterExpressions(node);
  if (ts.isIdentifier(expression)) {
    const declaration = checker.getSymbolAtLocation(expression)?.valueDeclaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer) expression = skipOuterExpressions(declaration.initializer);
  }
  if (!ts.isNewExpression(expression)) return undefined;
  let symbol = checker.getSymbolAtLocation(expression.expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.valueDeclaration;
  if (!declaration || !ts.isClassDeclaration(declaration) || !declaration.name) return undefined;
  const methods: string[] = [];
  for (const member of declaration.members) {
    if (!ts.isMethodDeclaration(member) || !member.body) continue;
    const modifiers = ts.getCombinedModifierFlags(member);
    if (modifiers & (ts.ModifierFlags.Static | ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
    if (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) methods.push(member.name.text);
  }
  return { className: declaration.name.text, methods };
}
