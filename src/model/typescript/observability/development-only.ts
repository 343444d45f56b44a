// Whether a workflow start sits in code that only runs on a developer's machine: seeding a local
// database, an example, a dev-environment setup script, a manual test script. Production questions
// (find one customer's run during an incident) do not arise there. Only clear signals count: a
// whole word of the path or of an enclosing function's name, a test word inside a scripts folder
// (`scripts/test-foo.ts`, not `api/test-connection/route.ts`), a leading file comment that says
// "manual test" or "test script", or an `if` that tests for development.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { WorkflowStart } from '../types.js';

/** Whole words (split at separators and camelCase humps), never substrings: `device` is not `dev`. */
const DEVELOPMENT_WORDS = new Set(['dev', 'development', 'seed', 'seeds', 'seeding', 'seeder', 'fixture', 'fixtures', 'example', 'examples']);

/** Folders (or file names) that hold scripts a developer runs by hand. */
const SCRIPT_WORDS = new Set(['scripts', 'script', 'bin', 'tools']);

/** In a scripts folder, words that say the script is a test run by hand. */
const TEST_WORDS = new Set(['test', 'tests', 'testing', 'manual']);

/** A leading comment that calls the file a manual test or a test script. */
const TEST_SCRIPT_COMMENT = /\bmanual(?:ly)?[\s-]+(?:run\s+)?test|\btest[\s-]+script\b/i;

/** `process.env.NODE_ENV === 'development'` (either side, == or ===). */
const NODE_ENV_DEVELOPMENT = /NODE_ENV\s*={2,3}\s*['"`](development|dev)['"`]|['"`](development|dev)['"`]\s*={2,3}\s*[\w.]*NODE_ENV/;

/**
 * Why the start serves no production traffic, and what kind of code it is in for messages:
 * code that never runs (the front-end's notRun: nothing refers to the function around it), or
 * development-only code (see developmentOnly). Undefined when nothing says so.
 */
export function notProduction(start: WorkflowStart, root: string): { what: string; reason: string; kind: 'unrun' | 'development' } | undefined {
  if (start.notRun) return { what: 'code that never runs', reason: start.notRun, kind: 'unrun' };
  const development = developmentOnly(start, root);
  return development ? { what: 'development-only code', reason: development, kind: 'development' } : undefined;
}

/** Why the start is development-only, as a message fragment, or undefined when nothing says so. */
export function developmentOnly(start: WorkflowStart, root: string): string | undefined {
  const relative = path.relative(root, start.location.file).split(path.sep).join('/');
  const word = words(relative).find((w) => DEVELOPMENT_WORDS.has(w));
  if (word) return `its file path (${relative}) says '${word}'`;
  const script = testScriptWord(relative);
  if (script) return `its file path (${relative}) says '${script}' in a scripts folder: a script run by hand`;
  const comment = leadingComment(start);
  if (comment && TEST_SCRIPT_COMMENT.test(comment)) return `the comment at the top of its file calls it a ${TEST_SCRIPT_COMMENT.exec(comment)![0].toLowerCase()}`;
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

/** A test word in a scripts folder or in a script's file name, at or below the scripts segment. */
function testScriptWord(relative: string): string | undefined {
  const segments = relative.split('/');
  const at = segments.findIndex((segment) => words(segment).some((w) => SCRIPT_WORDS.has(w)));
  if (at === -1) return undefined;
  for (const segment of segments.slice(at)) {
    const found = words(segment).find((w) => TEST_WORDS.has(w));
    if (found) return found;
  }
  return undefined;
}

/** The comments before the first statement of the start's file (from the syntax tree, else the first lines on disk). */
function leadingComment(start: WorkflowStart): string | undefined {
  let sourceFile: ts.SourceFile | undefined;
  try {
    sourceFile = start.node?.getSourceFile();
  } catch {
    sourceFile = undefined; // a front-end other than TypeScript's: read the file
  }
  let text: string;
  if (sourceFile) {
    text = sourceFile.text.slice(0, sourceFile.statements[0]?.getStart(sourceFile) ?? sourceFile.text.length);
  } else {
    try {
      const head = fs.readFileSync(start.location.file, 'utf8').slice(0, 2000).split('\n');
      const end = head.findIndex((line) => line.trim() !== '' && !/^\s*(#|\/\/|\/\*|\*|"""|''')/.test(line));
      text = head.slice(0, end === -1 ? head.length : end).join('\n');
    } catch {
      return undefined;
    }
  }
  return text.trim() === '' ? undefined : text;
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
