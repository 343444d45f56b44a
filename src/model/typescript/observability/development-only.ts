// Whether a workflow start sits in code that only runs on a developer's machine: seeding a local
// database, an example, a dev-environment setup script. Production questions (find one customer's
// run during an incident) do not arise there. Only clear signals count: a whole word of the path
// or of an enclosing function's name, or an `if` that tests for development.

import path from 'node:path';
import ts from 'typescript';
import type { WorkflowStart } from '../types.js';

/** Whole words (split at separators and camelCase humps), never substrings: `device` is not `dev`. */
const DEVELOPMENT_WORDS = new Set(['dev', 'development', 'seed', 'seeds', 'seeding', 'seeder', 'fixture', 'fixtures', 'example', 'examples']);

/** `process.env.NODE_ENV === 'development'` (either side, == or ===). */
const NODE_ENV_DEVELOPMENT = /NODE_ENV\s*={2,3}\s*['"`](development|dev)['"`]|['"`](development|dev)['"`]\s*={2,3}\s*[\w.]*NODE_ENV/;

/** Why the start is development-only, as a message fragment, or undefined when nothing says so. */
export function developmentOnly(start: WorkflowStart, root: string): string | undefined {
  const relative = path.relative(root, start.location.file).split(path.sep).join('/');
  const word = words(relative).find((w) => DEVELOPMENT_WORDS.has(w));
  if (word) return `its file path (${relative}) says '${word}'`;
  // the enclosing code is read from TypeScript syntax; other front-ends give the path alone
  for (let node: ts.Node | undefined = start.node; node?.parent; node = node.parent) {
    const parent: ts.Node = node.parent;
    if (ts.isIfStatement(parent) && parent.thenStatement === node) {
      const condition = parent.expression.getText();
      if (NODE_ENV_DEVELOPMENT.test(condition)) return `it runs only when ${condition}`;
      const flag = conditionNames(parent.expression).find((name) => words(name).some((w) => w === 'dev' || w === 'development'));
      if (flag) return `it runs only when ${flag} is set`;
    }
    const name = functionName(node);
    const match = name && words(name).find((w) => DEVELOPMENT_WORDS.has(w));
    if (match) return `it is in ${name}, whose name says '${match}'`;
  }
  return undefined;
}

/** `setup-hocus-dev-env.ts` -> setup, hocus, dev, env, ts; `createDevelopmentProjects` -> create, development, projects. */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** The names a condition tests positively (`config.createDevelopmentProjects`, `isDev && x`), not negated ones. */
function conditionNames(condition: ts.Expression): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.ExclamationToken) return;
    if (ts.isBinaryExpression(node) && node.operatorToken.kind !== ts.SyntaxKind.AmpersandAmpersandToken) return;
    if (ts.isIdentifier(node)) names.push(node.text);
    else if (ts.isPropertyAccessExpression(node)) names.push(node.name.text);
    else ts.forEachChild(node, visit);
  };
  visit(condition);
  return names;
}

function functionName(node: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isClassDeclaration(node)) && node.name) return node.name.getText();
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) {
    return node.parent.name.text;
  }
  return undefined;
}
