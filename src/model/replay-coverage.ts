// Which workflow types the project's replay tests replay (TEMPORAL-FACTS.md §9). A replay test
// proves a change safe only for the types whose histories it feeds the replayer, so a workflow
// that changes (it carries patch markers) and is never replayed is unprotected even when some
// replay test exists.
//
// TypeScript: each Worker.runReplayHistory / runReplayHistories call, with where its histories
// come from, read from the test that holds the call (the function passed to test() / it()):
//   - from a run the test itself starts (`client.workflow.start('type', ...)` then
//     `handle.fetchHistory()`): the types it starts;
//   - from files (readFile, readdir, require/import of JSON, historyFromJSON): the types of the
//     history files in the repository (workflowType of their WorkflowExecutionStarted event);
//   - from a server listing (`client.workflow.list(...)`): every type;
//   - otherwise: not known.
// Python: each `Replayer(workflows=[A, B])`: the listed classes (the replayer runs no other type).
// `temporal-preflight replay` in CI or a package script replays history files: their types.

import path from 'node:path';
import ts from 'typescript';
import { runsReplay } from './typescript/sandbox/replay-test-usage.js';

export interface ReplaySite {
  /** Relative to the reviewed directory, forward slashes. */
  file: string;
  /** 1-based; 0 for a CI job or package script. */
  line: number;
  /**
   * The workflow types whose histories it replays (TypeScript: type names; Python: class names or
   * type names), 'all' when it replays what a server lists, 'unknown' when the code does not say.
   */
  types: string[] | 'all' | 'unknown';
  how: 'run' | 'files' | 'server' | 'classes' | 'unknown';
  /** Why the types are not known. */
  reason?: string;
  /**
   * For histories the test produces itself ('run'): the worker that ran the workflow and the replay
   * use the same workflow code (one workflowsPath, written the same way, not passed in), so the
   * replay checks the current code against itself.
   */
  currentCode?: boolean;
}

export interface ProjectFiles {
  read(relative: string): string | undefined;
  glob(patterns: string[]): string[];
}

/** A Python replay test: temporalio.worker.Replayer, or this tool's replay command. */
export const PYTHON_REPLAY = /\bReplayer\s*\(|\.replay_workflows?\s*\(|\btemporal-preflight\s+replay\b/;
export const PYTHON_REPLAY_GLOBS = ['**/*.py', '.github/workflows/*.{yml,yaml}', '.gitlab-ci.yml', '.circleci/config.yml', 'Makefile', 'pyproject.toml', 'tox.ini', 'noxfile.py'];

/** The project files where a Python replay test may be (virtual environments are not the project's). */
export function pythonReplayCandidates(project: ProjectFiles): string[] {
  return project.glob(PYTHON_REPLAY_GLOBS).filter((file) => !/(^|\/)(\.?venv|site-packages|env)\//.test(file));
}

/** Bigger files are generated or vendored, not tests or histories. */
const MAX_SCANNED_BYTES = 1024 * 1024;
const MAX_HISTORY_BYTES = 50 * 1024 * 1024;

const REPLAYER_NAMES = new Set(['runReplayHistory', 'runReplayHistories']);
const TEST_CALLS = /^(?:it|test|specify)(?:\.(?:only|skip|concurrent|each|serial|sequential|todo|failing))*$/;
const FILE_READ = /\b(?:readFileSync|readFile|readdirSync|readdir|historyFromJSON|globSync|glob)\s*\(|\brequire\s*\(\s*['"][^'"]+\.json['"]|\bimport\s*\(\s*['"][^'"]+\.json['"]/;
const SERVER_LIST = /\.workflow\s*\.\s*list\s*\(/;
const START_METHODS = new Set(['start', 'signalWithStart', 'startWithUpdate', 'execute', 'executeWithUpdate']);

/** The replay sites of TypeScript files (path relative to root, text). */
export function typeScriptReplaySites(files: { file: string; text: string }[], project: ProjectFiles): ReplaySite[] {
  const sites: ReplaySite[] = [];
  let historyTypes: string[] | undefined;
  const fileTypes = (): string[] => (historyTypes ??= historyFileTypes(project));
  for (const { file, text } of files) {
    if (text.length > MAX_SCANNED_BYTES || !runsReplay(text)) continue;
    if (!/\.[cm]?[jt]sx?$/.test(file)) {
      // package.json or a CI job running `temporal-preflight replay <history files>`
      sites.push(fromFiles(file, 0, fileTypes()));
      continue;
    }
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
    const imported = importedNames(source);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isReplayerCall(node) && node.arguments.length >= 2) {
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        sites.push(siteOf(file, line, node, source, imported, fileTypes));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return sites;
}

function isReplayerCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return REPLAYER_NAMES.has(callee.text);
  return ts.isPropertyAccessExpression(callee) && REPLAYER_NAMES.has(callee.name.text);
}

function siteOf(file: string, line: number, call: ts.CallExpression, source: ts.SourceFile, imported: Map<string, string>, fileTypes: () => string[]): ReplaySite {
  const scope = testScope(call) ?? source;
  // The history argument and what it is made from: the declarations of the names it uses, followed
  // a few steps (a variable, a helper function of the file).
  const derived = derivation(call.arguments[1]!, source);
  const derivedText = derived.map((node) => node.getText(source)).join('\n');
  if (/\.fetchHistory\s*\(/.test(derivedText)) {
    const starts = [...startsIn(scope, imported), ...derived.flatMap((node) => startsIn(node, imported))];
    if (starts.length === 0) return unknown(file, line, 'it replays fetched histories, but the test starts no workflow whose type can be read');
    if (starts.some((type) => type === undefined)) return unknown(file, line, 'it replays fetched histories of a workflow started with a type that cannot be read statically');
    return { file, line, types: [...new Set(starts as string[])].sort(), how: 'run', currentCode: sameWorkflowCode([scope, ...derived], source) };
  }
  if (SERVER_LIST.test(derivedText)) return { file, line, types: 'all', how: 'server' };
  if (FILE_READ.test(derivedText) || (derived.some((node) => ts.isParameter(node)) && FILE_READ.test(source.text))) return fromFiles(file, line, fileTypes());
  return unknown(file, line, 'where its histories come from cannot be read statically');
}

const CODE_OPTIONS = new Set(['workflowsPath', 'workflowBundle']);

/**
 * Whether every workflowsPath / workflowBundle written in the nodes (the test, and the helpers its
 * history comes from) is the same expression, at least twice (the worker that ran the workflow and
 * the replay), and none is a parameter (a helper that runs whichever code it is given).
 */
function sameWorkflowCode(nodes: ts.Node[], source: ts.SourceFile): boolean {
  const values: { text: string; node: ts.Node }[] = [];
  const seen = new Set<ts.Node>();
  const visit = (node: ts.Node): void => {
    if (seen.has(node)) return;
    seen.add(node);
    if (ts.isPropertyAssignment(node) && CODE_OPTIONS.has(node.name.getText(source))) values.push({ text: node.initializer.getText(source), node: node.initializer });
    else if (ts.isShorthandPropertyAssignment(node) && CODE_OPTIONS.has(node.name.text)) values.push({ text: node.name.text, node: node.name });
    ts.forEachChild(node, visit);
  };
  for (const node of nodes) visit(node);
  if (values.length < 2 || new Set(values.map((v) => v.text)).size !== 1) return false;
  return values.every(({ node }) => !identifiersIn(node).some((name) => {
    const declaration = declarationNamed(name, node, source);
    return declaration !== undefined && ts.isParameter(declaration);
  }));
}

function fromFiles(file: string, line: number, types: string[]): ReplaySite {
  return types.length > 0 ? { file, line, types, how: 'files' } : unknown(file, line, 'it replays history files, and no history file in the repository names a workflow type');
}

function unknown(file: string, line: number, reason: string): ReplaySite {
  return { file, line, types: 'unknown', how: 'unknown', reason };
}

/** The function passed to test() / it() that holds the node, if any. */
function testScope(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if ((ts.isArrowFunction(current) || ts.isFunctionExpression(current)) && ts.isCallExpression(current.parent) && current.parent.arguments.includes(current as ts.Expression)) {
      const callee = current.parent.expression;
      // test.each(table)('name', fn) calls the result of test.each(...)
      const name = ts.isCallExpression(callee) ? callee.expression.getText() : callee.getText();
      if (TEST_CALLS.test(name.replace(/\s+/g, ''))) return current;
    }
  }
  return undefined;
}

/**
 * The expression and the declarations it is made from: for each identifier in it, the nearest
 * variable, parameter or function declaration of that name in the file, followed up to three steps.
 */
function derivation(expression: ts.Expression, source: ts.SourceFile): ts.Node[] {
  const result: ts.Node[] = [expression];
  const seen = new Set<string>();
  let frontier: ts.Node[] = [expression];
  for (let depth = 0; depth < 3 && frontier.length > 0; depth++) {
    const next: ts.Node[] = [];
    for (const node of frontier) {
      for (const name of identifiersIn(node)) {
        if (seen.has(name)) continue;
        seen.add(name);
        const declaration = declarationNamed(name, node, source);
        if (!declaration) continue;
        result.push(declaration);
        if (!ts.isParameter(declaration)) next.push(declaration);
      }
    }
    frontier = next;
  }
  return result;
}

function identifiersIn(node: ts.Node): string[] {
  const names: string[] = [];
  const visit = (current: ts.Node): void => {
    // the name of a property access (`.history`) is not a variable
    if (ts.isIdentifier(current) && !(ts.isPropertyAccessExpression(current.parent) && current.parent.name === current)) names.push(current.text);
    ts.forEachChild(current, visit);
  };
  if (ts.isVariableDeclaration(node)) {
    if (node.initializer) visit(node.initializer);
  } else if (ts.isFunctionDeclaration(node)) {
    if (node.body) visit(node.body);
  } else visit(node);
  return names;
}

/** The declaration of a name visible from a node: the innermost enclosing block's or function's, else the file's. */
function declarationNamed(name: string, from: ts.Node, source: ts.SourceFile): ts.Node | undefined {
  for (let scope: ts.Node | undefined = from; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      const parameter = (scope as ts.SignatureDeclaration).parameters.find((p) => bindsName(p.name, name));
      if (parameter) return parameter;
    }
    if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope)) {
      for (const statement of scope.statements) {
        if (ts.isVariableStatement(statement)) {
          const declaration = statement.declarationList.declarations.find((d) => bindsName(d.name, name));
          if (declaration) return declaration;
        }
        if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return statement;
      }
    }
    if (scope === source) break;
  }
  return undefined;
}

function bindsName(binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((element) => !ts.isOmittedExpression(element) && bindsName(element.name, name));
}

/** The workflow types started in a node (`<x>.workflow.start(type, ...)`), undefined for a type that cannot be read. */
function startsIn(node: ts.Node, imported: Map<string, string>): (string | undefined)[] {
  const types: (string | undefined)[] = [];
  const visit = (current: ts.Node): void => {
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && START_METHODS.has(current.expression.name.text)) {
      const receiver = current.expression.expression;
      const onWorkflowClient = ts.isPropertyAccessExpression(receiver) ? receiver.name.text === 'workflow' : ts.isIdentifier(receiver) && /workflow/i.test(receiver.text) && /client/i.test(receiver.text);
      if (onWorkflowClient && current.arguments[0]) types.push(workflowTypeOf(current.arguments[0], imported));
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return types;
}

function workflowTypeOf(argument: ts.Expression, imported: Map<string, string>): string | undefined {
  if (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) return argument.text;
  if (ts.isIdentifier(argument)) return imported.get(argument.text) ?? argument.text;
  if (ts.isPropertyAccessExpression(argument)) return argument.name.text;
  return undefined;
}

/** Local name -> exported name, for `import { a as b }` (a workflow function imported under another name). */
function importedNames(source: ts.SourceFile): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of source.statements) {
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
    if (bindings && ts.isNamedImports(bindings))
      for (const element of bindings.elements) if (element.propertyName) names.set(element.name.text, element.propertyName.text);
  }
  return names;
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/.test(file)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(file)) return ts.ScriptKind.TS;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

const HISTORY_MARK = /WorkflowExecutionStarted|WORKFLOW_EXECUTION_STARTED|workflowExecutionStartedEventAttributes|workflow_execution_started_event_attributes/i;
const HISTORY_TYPE = /"workflow_?[tT]ype"\s*:\s*\{\s*"name"\s*:\s*"([^"]+)"/g;

/** Workflow types named by the history files (JSON exported by `temporal workflow show -o json`) in the repository. */
export function historyFileTypes(project: ProjectFiles): string[] {
  const types = new Set<string>();
  const files = project.glob(['**/*.json']).filter((file) => !/(^|\/)(\.?venv|site-packages|dist|build|coverage)\//.test(file) && !/(^|\/)(package(-lock)?|tsconfig[^/]*|composer)\.json$/.test(file));
  for (const file of files) {
    const text = project.read(file);
    if (!text || text.length > MAX_HISTORY_BYTES || !/"eventId"|"event_id"/.test(text) || !HISTORY_MARK.test(text)) continue;
    for (const match of text.matchAll(HISTORY_TYPE)) types.add(match[1]!);
  }
  return [...types].sort();
}

/** `Replayer(workflows=[A, pkg.B])`: the classes it can replay, or why they cannot be read. */
const PY_REPLAYER = /\bReplayer\s*\(/g;

/** The replay sites of Python files (path relative to root, text). */
export function pythonReplaySites(files: { file: string; text: string }[], project: ProjectFiles): ReplaySite[] {
  const sites: ReplaySite[] = [];
  let historyTypes: string[] | undefined;
  for (const { file, text } of files) {
    if (text.length > MAX_SCANNED_BYTES) continue;
    if (!file.endsWith('.py')) {
      if (/\btemporal-preflight\s+replay\b/.test(text)) sites.push(fromFiles(file, 0, (historyTypes ??= historyFileTypes(project))));
      continue;
    }
    for (const match of text.matchAll(PY_REPLAYER)) {
      const line = text.slice(0, match.index).split('\n').length;
      const lineText = text.slice(text.lastIndexOf('\n', match.index) + 1, match.index);
      if (/#/.test(lineText) || /^\s*(?:class|def|from|import)\b/.test(lineText)) continue;
      const args = balanced(text, match.index! + match[0].length);
      const list = /\bworkflows\s*=\s*\[([^\]]*)\]/.exec(args);
      if (!list) {
        sites.push(unknown(file, line, /\bworkflows\s*=/.test(args) ? 'its workflows= is not a list of classes written out' : 'its workflows cannot be read'));
        continue;
      }
      const names = list[1]!.split(',').map((name) => name.replace(/#.*$/gm, '').trim()).filter(Boolean);
      if (names.some((name) => !/^[A-Za-z_][\w.]*$/.test(name))) {
        sites.push(unknown(file, line, 'its workflows= list holds more than class names'));
        continue;
      }
      sites.push({ file, line, types: names.map((name) => name.split('.').pop()!), how: 'classes' });
    }
  }
  return sites;
}

/** The text from an opening parenthesis's inside to its matching close. */
function balanced(text: string, from: number): string {
  let depth = 1;
  for (let i = from; i < text.length && i < from + 20_000; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return text.slice(from, i);
    }
  }
  return text.slice(from, from + 20_000);
}

/** Forward-slash path relative to root. */
export function relativePath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
