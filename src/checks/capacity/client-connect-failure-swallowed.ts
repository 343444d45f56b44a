// Keeps a service from running for good without its Temporal client. A framework start-up hook
// (NestJS onModuleInit / onApplicationBootstrap) connects to Temporal in a try whose catch only
// logs, and nothing else in the class ever connects again: when the server is unreachable while the
// service starts (it starts before Temporal, a network blip, a wrong address for a moment), the
// client stays unset for the life of the process. Every later start, signal or query through it
// fails, while the process looks healthy and nothing restarts it.

import ts from 'typescript';
import { defineCheck } from '../define-check.js';
import { importBindings, skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import { onlyLogsAfterLocals } from '../../model/typescript/only-logs.js';
import type { TemporalModel } from '../../model/typescript/types.js';

/** Hooks the framework calls once, at start-up. */
const STARTUP_HOOKS = new Set(['onModuleInit', 'onApplicationBootstrap']);

export default defineCheck({
  id: 'client-connect-failure-swallowed',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A start-up hook (onModuleInit, onApplicationBootstrap) connects to Temporal in a try whose catch only logs, and nothing in the class connects again: after a failed start-up the client stays unset for the life of the process',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const site of swallowedConnects(model)) {
      const cls = site.className ? `${site.className}` : 'the class';
      const props = site.properties.map((p) => `this.${p}`).join(' and ');
      const use = site.uses[0]!;
      ctx.report({
        location: model.locate(site.catchClause),
        message:
          `${site.hook}() connects to Temporal (${site.connectText}) and sets ${props}, but this catch only logs a failure, and nothing in ${cls} connects again. ` +
          `When the server is unreachable while the service starts, ${props} stay${site.properties.length > 1 ? '' : 's'} unset for the life of the process: ` +
          `every later call that needs ${site.properties.length > 1 ? 'them' : 'it'} (${use.method}() first) fails or does nothing until the process is restarted, and nothing restarts it, since the process itself stays up.`,
        fix:
          'Let the failure end start-up (rethrow, so the orchestrator restarts the service until Temporal is reachable), or connect again when the client is needed (on use, or on a timer with backoff) and report the missing client in the readiness check.',
        related: [
          { ...model.locate(site.connect), message: 'the connection made only once, at start-up' },
          ...site.uses.slice(0, 3).map((u) => ({ ...model.locate(u.node), message: `${u.method}() needs this.${u.property}` })),
        ],
        data: { hook: site.hook, properties: site.properties, uses: site.uses.map((u) => u.method) },
      });
    }
  },
});

interface Use {
  method: string;
  property: string;
  node: ts.Node;
}

interface SwallowedConnect {
  hook: string;
  className: string | undefined;
  catchClause: ts.CatchClause;
  connect: ts.CallExpression;
  connectText: string;
  properties: string[];
  uses: Use[];
}

function swallowedConnects(model: TemporalModel): SwallowedConnect[] {
  const found: SwallowedConnect[] = [];
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !sourceFile.text.includes('.connect(') || !/onModuleInit|onApplicationBootstrap/.test(sourceFile.text)) continue;
    const connectors = connectionBindings(sourceFile);
    if (connectors.size === 0) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isClassLike(node)) found.push(...inClass(node, connectors));
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

/** Local names of Connection / NativeConnection imported from @temporalio/*. */
function connectionBindings(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const [local, binding] of importBindings(sourceFile)) {
    if (!binding.module.startsWith('@temporalio/') || binding.typeOnly) continue;
    if (binding.imported === 'Connection' || binding.imported === 'NativeConnection') names.add(local);
  }
  return names;
}

function inClass(cls: ts.ClassLikeDeclaration, connectors: Set<string>): SwallowedConnect[] {
  const found: SwallowedConnect[] = [];
  for (const member of cls.members) {
    if (!ts.isMethodDeclaration(member) || !member.body || !ts.isIdentifier(member.name) || !STARTUP_HOOKS.has(member.name.text)) continue;
    const hook = member.name.text;
    for (const tryStatement of ownTries(member.body)) {
      const catchClause = tryStatement.catchClause;
      if (!catchClause || !onlyLogsAfterLocals(catchClause.block)) continue;
      const connect = connectCall(tryStatement.tryBlock, connectors);
      if (!connect) continue;
      const properties = assignedThisProperties(tryStatement.tryBlock);
      if (properties.length === 0) continue;
      // Connected again elsewhere (a lazy getter, a reconnect timer, the hook called again): not for good.
      if (assignedElsewhere(cls, tryStatement.tryBlock, properties) || hookCalledAgain(cls, hook)) continue;
      const uses = usesOutside(cls, member, properties);
      if (uses.length === 0) continue;
      const callee = skipOuterExpressions(connect.expression);
      found.push({
        hook,
        className: cls.name?.text,
        catchClause,
        connect,
        connectText: `${ts.isPropertyAccessExpression(callee) ? callee.expression.getText() : 'Connection'}.connect`,
        properties,
        uses,
      });
    }
  }
  return found;
}

/** The try statements of a body, not those of functions nested in it. */
function ownTries(body: ts.Block): ts.TryStatement[] {
  const tries: ts.TryStatement[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    // a try in a loop is tried again (a retry loop around the connection)
    if (ts.isIterationStatement(node, false)) return;
    if (ts.isTryStatement(node)) tries.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return tries;
}

/** `Connection.connect(...)` in the try block, outside nested functions. */
function connectCall(block: ts.Block, connectors: Set<string>): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || ts.isFunctionLike(node)) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'connect') {
        const receiver = skipOuterExpressions(callee.expression);
        if (ts.isIdentifier(receiver) && connectors.has(receiver.text)) {
          found = node;
          return;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(block);
  return found;
}

/** `this.x = <value>` in the block, with a value that is not null or undefined. */
function assignedThisProperties(block: ts.Node): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) return;
    const property = thisAssignment(node);
    if (property && !names.includes(property)) names.push(property);
    ts.forEachChild(node, visit);
  };
  visit(block);
  return names;
}

function thisAssignment(node: ts.Node): string | undefined {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const left = skipOuterExpressions(node.left);
  if (!ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const right = skipOuterExpressions(node.right);
  if (right.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(right) && right.text === 'undefined')) return undefined;
  return left.name.text;
}

/** One of the properties is set to a value anywhere in the class outside the block. */
function assignedElsewhere(cls: ts.ClassLikeDeclaration, block: ts.Block, properties: string[]): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || node === block) return;
    const property = thisAssignment(node);
    if (property && properties.includes(property)) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(cls, visit);
  return found;
}

/** `this.onModuleInit()` somewhere in the class: the hook is run again. */
function hookCalledAgain(cls: ts.ClassLikeDeclaration, hook: string): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node)) {
      const callee = skipOuterExpressions(node.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.expression.kind === ts.SyntaxKind.ThisKeyword && callee.name.text === hook) {
        found = true;
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(cls, visit);
  return found;
}

/** Reads of the properties in the class's other methods (not the hook, not a shutdown hook that closes them). */
function usesOutside(cls: ts.ClassLikeDeclaration, hook: ts.MethodDeclaration, properties: string[]): Use[] {
  const uses: Use[] = [];
  for (const member of cls.members) {
    if (member === hook || !ts.isMethodDeclaration(member) || !member.body || !ts.isIdentifier(member.name)) continue;
    const method = member.name.text;
    if (/^(onModuleDestroy|onApplicationShutdown|beforeApplicationShutdown|close|disconnect|shutdown|dispose)$/.test(method)) continue;
    let use: Use | undefined;
    const visit = (node: ts.Node): void => {
      if (use) return;
      if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword && properties.includes(node.name.text)) {
        use = { method, property: node.name.text, node };
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(member.body);
    if (use) uses.push(use);
  }
  return uses;
}
