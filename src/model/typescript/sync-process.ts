// A synchronous child-process call (`execSync`, `execFileSync`, `spawnSync`, execa's `execaSync`)
// and what its command says about how long it runs. The TypeScript SDK runs activities on the
// worker's main Node.js thread, so such a call blocks the worker's event loop until the process
// ends. The command is read where the code shows it: a string or template literal (its text up to
// the first substitution), a local variable every assignment of which is one, or the argument a
// caller hands to the helper's parameter; `execFileSync(file, [args])` / `spawnSync(file, [args])`
// read the file and the leading literal arguments.

import ts from 'typescript';
import { declarationOf } from './declarations.js';
import type { ResolveContext } from './resolve-value.js';
import { importBindings, skipOuterExpressions } from './temporal-api.js';
import type { SyncProcessCommand } from '../types.js';

const SYNC_NAMES: Record<string, Set<string>> = {
  child_process: new Set(['execSync', 'execFileSync', 'spawnSync']),
  'node:child_process': new Set(['execSync', 'execFileSync', 'spawnSync']),
  execa: new Set(['execaSync', 'execaCommandSync', 'sync', 'commandSync']),
  'cross-spawn': new Set(['sync']),
};

/** Marks a part of the command the review cannot read. */
const UNSEEN = '\u0000';

/** The API name of a synchronous child-process call (`execSync`), or undefined for any other call. */
export function syncProcessApi(call: ts.CallExpression): string | undefined {
  const callee = skipOuterExpressions(call.expression);
  const bindings = importBindings(call.getSourceFile());
  if (ts.isIdentifier(callee)) {
    const binding = bindings.get(callee.text);
    if (!binding || binding.imported === '*' || binding.imported === 'default') return undefined;
    return SYNC_NAMES[binding.module]?.has(binding.imported) ? binding.imported : undefined;
  }
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    const binding = bindings.get(callee.expression.text);
    if (!binding || (binding.imported !== '*' && binding.imported !== 'default')) return undefined;
    return SYNC_NAMES[binding.module]?.has(callee.name.text) ? callee.name.text : undefined;
  }
  return undefined;
}

/**
 * What a synchronous child-process call runs: the commands the code shows (one per assignment of
 * a variable), each classified. `entry` is the call into the function that holds `call`, to read a
 * command handed in through a parameter.
 */
export function syncProcessCommand(
  call: ts.CallExpression,
  api: string,
  enclosing: ts.FunctionLikeDeclaration,
  entry: ts.CallExpression | undefined,
  ctx: ResolveContext,
): SyncProcessCommand {
  const first = call.arguments[0];
  if (!first) return { kind: 'unseen' };
  const fileForm = api === 'execFileSync' || api === 'spawnSync' || api === 'execaSync' || api === 'sync';
  let texts = commandTexts(first, enclosing, entry, ctx, 0);
  if (fileForm && texts.length === 1 && !texts[0]!.includes(UNSEEN)) {
    const args = call.arguments[1] ? skipOuterExpressions(call.arguments[1]) : undefined;
    if (args && ts.isArrayLiteralExpression(args)) {
      const words: string[] = [];
      for (const element of args.elements) {
        if (!ts.isStringLiteralLike(element)) {
          words.push(UNSEEN);
          break;
        }
        words.push(element.text);
      }
      texts = [[texts[0]!, ...words].join(' ')];
    } else if (args && !ts.isObjectLiteralExpression(args)) texts = [`${texts[0]!} ${UNSEEN}`];
  }
  if (texts.length === 0) return { kind: 'unseen' };
  const kinds = texts.map(classifyCommand);
  const kind = kinds.includes('long') ? 'long' : kinds.includes('unseen') ? 'unseen' : kinds.includes('other') ? 'other' : 'quick';
  const shown = texts.map((text) => visiblePrefix(text)).filter((text) => text.length > 0);
  return { kind, ...(shown.length > 0 ? { command: shown[kinds.indexOf(kind)] ?? shown[0]! } : {}) };
}

function visiblePrefix(text: string): string {
  const cut = text.indexOf(UNSEEN);
  const prefix = (cut >= 0 ? text.slice(0, cut) : text).trim();
  return cut >= 0 && prefix.length > 0 ? `${prefix} ...` : prefix;
}

/** The command strings the expression may hold, with unreadable parts marked; [] when none can be read. */
function commandTexts(node: ts.Expression, enclosing: ts.FunctionLikeDeclaration | undefined, entry: ts.CallExpression | undefined, ctx: ResolveContext, depth: number): string[] {
  const value = skipOuterExpressions(node) as ts.Expression;
  if (ts.isStringLiteralLike(value)) return [value.text];
  if (ts.isTemplateExpression(value)) {
    let text = value.head.text;
    for (const span of value.templateSpans) {
      const inner = depth < 2 ? commandTexts(span.expression, enclosing, entry, ctx, depth + 1) : [];
      text += inner.length === 1 ? inner[0]! : UNSEEN;
      text += span.literal.text;
    }
    return [text];
  }
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.PlusToken && depth < 3) {
    const left = commandTexts(value.left, enclosing, entry, ctx, depth + 1);
    const right = commandTexts(value.right, enclosing, entry, ctx, depth + 1);
    return [(left.length === 1 ? left[0]! : UNSEEN) + (right.length === 1 ? right[0]! : UNSEEN)];
  }
  if (ts.isIdentifier(value) && depth < 3) {
    // A parameter of the helper: the argument its caller hands in, read in the caller (whose own
    // parameters are not followed further).
    const parameter = enclosing ? enclosing.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === value.text) : -1;
    if (parameter >= 0) {
      const handed = entry?.arguments[parameter];
      return handed && !ts.isSpreadElement(handed) ? commandTexts(handed, undefined, undefined, ctx, depth + 1) : [];
    }
    const declaration = declarationOf(value, ctx.index);
    if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return [];
    const scope = enclosingScope(declaration);
    if (!scope || declaration.getSourceFile() !== value.getSourceFile()) return [];
    const assigned: ts.Expression[] = declaration.initializer ? [declaration.initializer] : [];
    const name = declaration.name.text;
    const isConst = (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
    if (!isConst) {
      const visit = (current: ts.Node): void => {
        if (
          ts.isBinaryExpression(current) &&
          current.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
          ts.isIdentifier(current.left) &&
          current.left.text === name
        )
          assigned.push(current.right);
        ts.forEachChild(current, visit);
      };
      visit(scope);
    }
    if (assigned.length === 0) return [];
    const texts: string[] = [];
    for (const expression of assigned) {
      const inner = commandTexts(expression, enclosing, entry, ctx, depth + 1);
      if (inner.length === 0) return [];
      texts.push(...inner);
    }
    return texts;
  }
  return [];
}

function enclosingScope(node: ts.Node): ts.Node | undefined {
  for (let current = node.parent; current; current = current.parent) if (ts.isFunctionLike(current) || ts.isSourceFile(current)) return current;
  return undefined;
}

/** Programs whose runs wait on the network, a build or a long computation by their nature. */
const LONG_PROGRAMS = new Set([
  'npx', 'pnpx', 'bunx', 'pip', 'pip3', 'poetry', 'uv', 'pipenv', 'conda', 'apt', 'apt-get', 'apk', 'brew', 'yum', 'dnf', 'gem', 'bundle',
  'composer', 'cargo', 'go', 'mvn', 'gradle', './gradlew', 'gradlew', 'make', 'cmake', 'tsc', 'webpack', 'vite', 'next', 'turbo', 'nx',
  'docker', 'docker-compose', 'podman', 'kubectl', 'helm', 'terraform', 'pulumi', 'ffmpeg', 'curl', 'wget', 'jest', 'vitest', 'mocha',
  'pytest', 'playwright', 'cypress', 'ssh', 'scp', 'rsync', 'aws', 'gcloud', 'gsutil', 'az', 'gh', 'svn', 'hg', 'wrangler', 'vercel',
  'firebase', 'flyctl', 'heroku', 'ollama', 'whisper', 'yt-dlp', 'youtube-dl', 'pg_dump', 'pg_restore', 'mysqldump', 'mongodump',
  'mongorestore', 'libreoffice', 'soffice', 'pandoc', 'ansible-playbook', 'semgrep', 'trivy', 'lighthouse',
]);
/** Package managers: the subcommands that install, build, test or run scripts. */
const PACKAGE_MANAGERS = new Set(['npm', 'yarn', 'pnpm', 'bun']);
const PACKAGE_LONG = new Set(['install', 'i', 'ci', 'add', 'update', 'upgrade', 'run', 'run-script', 'build', 'test', 'exec', 'x', 'dlx', 'publish', 'pack', 'audit', 'create', 'init']);
/** git subcommands that talk to a remote (or rewrite a whole repository). */
const GIT_LONG = new Set(['clone', 'fetch', 'pull', 'push', 'submodule', 'lfs', 'ls-remote', 'gc', 'repack', 'fsck', 'bisect', 'archive']);
/** git subcommands that read the local repository. */
const GIT_QUICK = new Set(['rev-parse', 'status', 'config', 'branch', 'log', 'diff', 'show', 'rev-list', 'ls-files', 'cat-file', 'describe', 'symbolic-ref', 'remote', 'ls-tree', 'merge-base', 'version', '--version', 'tag', 'init', 'add', 'rm', 'mv']);
/** Quick local commands. */
const QUICK_PROGRAMS = new Set([
  'cat', 'ls', 'find', 'which', 'where', 'pwd', 'echo', 'printf', 'head', 'tail', 'wc', 'stat', 'mkdir', 'rm', 'cp', 'mv', 'touch', 'chmod',
  'chown', 'ln', 'test', '[', 'true', 'false', 'whoami', 'id', 'hostname', 'uname', 'date', 'basename', 'dirname', 'realpath', 'readlink',
  'sort', 'uniq', 'cut', 'tr', 'sed', 'awk', 'grep', 'env', 'printenv', 'file', 'type', 'command', 'ps', 'df', 'nproc', 'sha256sum', 'md5sum',
]);

type Kind = SyncProcessCommand['kind'];

/** How long a command runs by its nature: the worst of the commands a shell line chains. */
export function classifyCommand(text: string): Kind {
  const segments = text.split(/&&|\|\||[;|\n]/).map((segment) => segment.trim()).filter((segment) => segment.length > 0);
  if (segments.length === 0) return text.includes(UNSEEN) ? 'unseen' : 'quick';
  const kinds = segments.map(classifySegment);
  if (kinds.includes('long')) return 'long';
  if (kinds.includes('unseen')) return 'unseen';
  if (kinds.includes('other')) return 'other';
  return 'quick';
}

function classifySegment(segment: string): Kind {
  const words = segment.split(/\s+/).filter((word) => word.length > 0);
  // Environment assignments and wrappers in front of the program.
  while (words.length > 0 && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!) || words[0] === 'sudo' || words[0] === 'exec' || words[0] === 'nice' || words[0] === 'time')) words.shift();
  const program = (words[0] ?? '').replace(/^["']|["']$/g, '');
  if (program.length === 0) return 'quick';
  if (program.includes(UNSEEN)) return 'unseen';
  const base = program.includes('/') && !program.startsWith('./') ? program.slice(program.lastIndexOf('/') + 1) : program;
  if (base === 'cd') return 'quick';
  if (LONG_PROGRAMS.has(base)) return 'long';
  if (PACKAGE_MANAGERS.has(base)) {
    const sub = words.slice(1).find((word) => !word.startsWith('-'));
    if (sub === undefined) return base === 'npm' ? 'other' : 'long'; // bare `yarn` / `pnpm` installs
    if (sub.includes(UNSEEN)) return 'unseen';
    return PACKAGE_LONG.has(sub) ? 'long' : 'other';
  }
  if (base === 'git') {
    // `git -C dir clone ...`: skip the global options and their values.
    let i = 1;
    while (i < words.length && words[i]!.startsWith('-')) i += words[i] === '-C' || words[i] === '-c' ? 2 : 1;
    const sub = words[i];
    if (sub === undefined) return 'other';
    if (sub.includes(UNSEEN)) return 'unseen';
    if (GIT_LONG.has(sub)) return 'long';
    return GIT_QUICK.has(sub) ? 'quick' : 'other';
  }
  if (QUICK_PROGRAMS.has(base)) return 'quick';
  return 'other';
}
