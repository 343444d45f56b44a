// The processes a repository's deployment files start, and the source files each one runs: a
// Dockerfile's CMD / ENTRYPOINT, a compose service's command / entrypoint, Procfile lines,
// fly.toml processes, Kubernetes container commands, and the start commands of render.yaml,
// railway, nixpacks, supervisord, systemd units, pm2 ecosystem files and ECS task definitions.
// Commands are read as written (nothing is executed): `sh -c` strings and shell scripts are split
// into simple commands, launchers (`uv run`, `tini --`, `exec`) are unwrapped, npm scripts are
// followed, and what runs is resolved to a reviewed file (`python -m app.worker`, `uvicorn
// app.main:app`, `node dist/worker.js` -> src/worker.ts). Whatever cannot be resolved is reported
// as unknown, so a caller can say nothing rather than guess.

import path from 'node:path';
import { isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { ProjectFiles } from './alert-rule-files.js';
import { scanWorkloads } from './kubernetes-workloads.js';

export interface DeploymentCommand {
  /** Relative to the root, forward slashes. */
  file: string;
  line: number;
  /** The command as written (one string). */
  command: string;
  /** The service, process or workload name it runs under, when the file gives one. */
  name?: string;
  /** A Dockerfile that sets no CMD or ENTRYPOINT: what its containers run is set somewhere else. */
  unset?: boolean;
  /**
   * The command runs in an image that is not built from the project's code (a compose service with
   * an image and no build, a Dockerfile on a database's or server's image): a program it names
   * that is not found is that image's, not the project's.
   */
  thirdParty?: boolean;
  /** A compose service's image, as written. */
  image?: string;
}

/** The image runs a database, web server or other program that is not the project's (`postgres:16`, `temporalio/ui`). */
export function serverImage(image: string): boolean {
  return SERVER_IMAGE.test(image);
}

/** Words of a command that runs code with a language runtime (which may be the project's). */
export const RUNTIME_WORDS = /(^|[\s/'"])(python\d*(\.\d+)?|node|nodejs|npm|npx|yarn|pnpm|bun|deno|tsx|ts-node|uvicorn|gunicorn|hypercorn|celery|uv|poetry)(\s|$)/;

export type Resolution =
  /** Runs these reviewed files (relative paths). */
  | { kind: 'files'; files: string[] }
  /** Runs something named for a worker (a script, module or npm script): it may be the worker. */
  | { kind: 'worker-named'; what: string }
  /** Runs nothing of the project's code (a database, a web server, a migration tool). */
  | { kind: 'other' }
  | { kind: 'unknown'; what: string };

const VENDORED = /(^|\/)(node_modules|vendor|third_party|third-party|venv|\.venv|site-packages|bower_components)\//;
/** Folders whose files do not deploy the project: tests, fixtures, examples, documentation, dev containers. */
const NOT_DEPLOYMENT = /(^|\/)(tests?|test-data|test_data|testdata|__tests__|e2e|fixtures?|examples?|samples?|docs?|\.devcontainer|templates?|scaffold\w*)\//i;
/** File names of development, test or CI setups. */
export const DEV_FILE = /(^|[/.\-_])(dev|development|local|test|tests|testing|ci|e2e|debug|devcontainer)([/.\-_]|$)/i;

/** The image the last stage starts from, through stage aliases (`FROM base AS runner` ... `FROM runner`). */
function finalImage(text: string): string {
  const stages = [...text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({ image: m[1]!, alias: m[2]?.toLowerCase() }));
  let image = stages.at(-1)?.image ?? '';
  for (let hops = 0; hops < stages.length; hops++) {
    const stage = stages.find((s) => s.alias === image.toLowerCase());
    if (!stage) break;
    image = stage.image;
  }
  return image;
}

const SERVER_IMAGE = /(^|\/)(nginx|nginxinc|caddy|httpd|apache|postgres|postgis|redis|valkey|mysql|mariadb|mongo|temporalio|traefik|envoy|grafana|prometheus|clickhouse|elasticsearch|opensearch|minio|keycloak|flyway|liquibase|busybox|keycloak|quay\.io\/keycloak|certbot|garage|pgbouncer|pgdog|nginx-unprivileged|scratch|rabbitmq|nats|kafka|bitnami|otel|jaeger|loki|vault|localstack|mailhog|mailpit|pgadmin|adminer)\b/i;
const DOCKERFILES = ['**/Dockerfile', '**/Dockerfile.*', '**/*.Dockerfile', '**/*.dockerfile', '**/Containerfile'];
const YAML_FILES = ['**/*.yml', '**/*.yaml'];

export function deploymentCommands(files: ProjectFiles): DeploymentCommand[] {
  const commands: DeploymentCommand[] = [];
  const usable = (file: string) => !VENDORED.test(file) && !NOT_DEPLOYMENT.test(file) && !/\.dockerignore$/.test(file);
  for (const file of files.globProjectFiles(DOCKERFILES).filter(usable).sort()) {
    const text = files.readProjectFile(file);
    if (text !== undefined) commands.push(...dockerfileCommands(file, text));
  }
  for (const file of files.globProjectFiles(YAML_FILES).filter(usable).sort()) {
    const text = files.readProjectFile(file);
    if (text === undefined) continue;
    if (/^services\s*:/m.test(text)) commands.push(...composeCommands(file, text));
    if (/(^|\/)render\.ya?ml$/.test(file)) commands.push(...keyedCommands(file, text, /^\s*-?\s*(startCommand|dockerCommand|preDeployCommand)\s*:\s*(.+)$/));
    if (/(^|\/)(app|heroku)\.ya?ml$/.test(file)) commands.push(...keyedCommands(file, text, /^\s*-?\s*(entrypoint|run|web|worker)\s*:\s*(.+)$/));
  }
  const workloads = scanWorkloads({ globProjectFiles: (p) => files.globProjectFiles(p).filter(usable), readProjectFile: (f) => files.readProjectFile(f) });
  for (const workload of workloads) {
    if (workload.containers.some((c) => /(^|\/)temporalio\//.test(c.image))) continue;
    for (const container of workload.containers) {
      commands.push({ file: workload.file, line: workload.line, command: shellJoin(container.command), name: `${workload.name} ${container.name}` });
    }
  }
  for (const file of files.globProjectFiles(['**/Procfile', '**/Procfile.*']).filter(usable).sort()) {
    const text = files.readProjectFile(file);
    if (text !== undefined) commands.push(...keyedCommands(file, text, /^([\w.-]+)\s*:\s*(.+)$/));
  }
  for (const file of files.globProjectFiles(['**/fly.toml', '**/fly.*.toml', '**/railway.toml', '**/nixpacks.toml']).filter(usable).sort()) {
    const text = files.readProjectFile(file);
    if (text !== undefined) commands.push(...tomlCommands(file, text));
  }
  for (const file of files.globProjectFiles(['**/railway.json', '**/app.json', '**/*task-definition*.json', '**/*taskdef*.json']).filter(usable).sort()) {
    const text = files.readProjectFile(file);
    if (text !== undefined) commands.push(...jsonCommands(file, text));
  }
  for (const file of files.globProjectFiles(['**/supervisord*.conf', '**/supervisor/**/*.conf', '**/*.service']).filter(usable).sort()) {
    const text = files.readProjectFile(file);
    if (text !== undefined) commands.push(...keyedCommands(file, text, /^\s*(command|ExecStart)\s*=\s*(.+)$/));
  }
  for (const file of files.globProjectFiles(['**/ecosystem.config.js', '**/ecosystem.config.cjs', '**/ecosystem.config.json', '**/pm2*.json', '**/pm2*.config.js']).filter(usable).sort()) {
    const text = files.readProjectFile(file);
    if (text !== undefined) commands.push(...keyedCommands(file, text, /^\s*["']?(script)["']?\s*:\s*["']([^"']+)["']/).map((c) => ({ ...c, command: `node ${c.command}` })));
  }
  return commands;
}

// ---------------------------------------------------------------------------------------------
// Readers

function dockerfileCommands(file: string, text: string): DeploymentCommand[] {
  const commands: DeploymentCommand[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const match = /^\s*(CMD|ENTRYPOINT)\s+(.*)$/i.exec(lines[i]!);
    if (!match) continue;
    let body = match[2]!;
    let j = i;
    while (/\\\s*$/.test(body) && j + 1 < lines.length) body = body.replace(/\\\s*$/, ' ') + lines[++j]!.trim();
    commands.push({ file, line: i + 1, command: execForm(body.trim()), name: file });
  }
  const image = finalImage(text);
  if (SERVER_IMAGE.test(image)) for (const command of commands) command.thirdParty = true;
  // an image that sets no command runs whatever its deployment sets: nothing here says what
  // (a web server's or database's image runs that server)
  if (commands.length === 0 && !SERVER_IMAGE.test(image)) commands.push({ file, line: 1, command: '', name: file, unset: true });
  return commands;
}

/** `["python", "-m", "app"]` -> `python -m app`; a shell form as written. */
function execForm(body: string): string {
  if (!body.startsWith('[')) return body;
  try {
    const parts = JSON.parse(body) as unknown;
    if (Array.isArray(parts) && parts.every((p) => typeof p === 'string')) return shellJoin(parts as string[]);
  } catch {
    // not JSON: a shell form that starts with a bracket
  }
  return body;
}

function shellJoin(parts: string[]): string {
  // `sh -c "<script>"`: the script is one argument
  return parts.map((part) => (/\s/.test(part) ? `'${part.replace(/'/g, `'"'"'`)}'` : part)).join(' ');
}

function composeCommands(file: string, text: string): DeploymentCommand[] {
  const commands: DeploymentCommand[] = [];
  const lines = text.split(/\r?\n/);
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) continue;
    const services = document.get('services', true);
    if (!isMap(services)) continue;
    for (const pair of services.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const service = pair.value;
      if (!isMap(service)) continue;
      const image = service.get('image');
      if (typeof image === 'string' && /(^|\/)temporalio\//.test(image)) continue;
      const thirdParty = typeof image === 'string' && !service.has('build');
      // a service without a command runs its image's: only its name says what it is
      const written = typeof image === 'string' ? { image } : {};
      if (!service.has('entrypoint') && !service.has('command')) commands.push({ file, line: lineOfKey(lines, name), command: '', name, ...written });
      for (const key of ['entrypoint', 'command']) {
        const value = service.get(key, true);
        let command: string | undefined;
        if (isSeq(value)) command = shellJoin(value.items.map((item) => (isScalar(item) ? String(item.value) : '')));
        else if (isScalar(value) && value.value !== null) command = String(value.value);
        if (command === undefined || command.trim() === '') continue;
        const range = (value as { range?: [number, number, number] } | undefined)?.range;
        const line = range ? text.slice(0, range[0]).split('\n').length : lineOfKey(lines, key);
        commands.push({ file, line, command, name, ...written, ...(thirdParty ? { thirdParty } : {}) });
      }
    }
  }
  return commands;
}

function keyedCommands(file: string, text: string, pattern: RegExp): DeploymentCommand[] {
  const commands: DeploymentCommand[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (/^\s*#/.test(line)) return;
    const match = pattern.exec(line);
    if (!match) return;
    const command = unquote(match[2]!.trim());
    if (command === '' || command === '|' || command === '>') return;
    commands.push({ file, line: index + 1, command, name: match[1] });
  });
  return commands;
}

function tomlCommands(file: string, text: string): DeploymentCommand[] {
  const commands: DeploymentCommand[] = [];
  let table = '';
  text.split(/\r?\n/).forEach((line, index) => {
    const header = /^\s*\[+([^\]]+)\]+\s*$/.exec(line);
    if (header) {
      table = header[1]!.trim();
      return;
    }
    const pair = /^\s*["']?([\w.-]+)["']?\s*=\s*(.+?)\s*$/.exec(line);
    if (!pair) return;
    const [, key, raw] = pair;
    const value = raw!.startsWith('[') ? execForm(raw!.replace(/'/g, '"')) : unquote(raw!);
    if (table === 'processes' || /^(cmd|startCommand|start_command|entrypoint|command|release_command)$/i.test(key!)) {
      commands.push({ file, line: index + 1, command: value, name: table === 'processes' ? key : undefined });
    }
  });
  return commands;
}

function jsonCommands(file: string, text: string): DeploymentCommand[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const commands: DeploymentCommand[] = [];
  const lines = text.split(/\r?\n/);
  const visit = (value: unknown, name?: string) => {
    if (Array.isArray(value)) return value.forEach((item) => visit(item, name));
    if (!value || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (/^(startCommand|command|entryPoint|cmd)$/i.test(key)) {
        const command = typeof item === 'string' ? item : Array.isArray(item) && item.every((p) => typeof p === 'string') ? shellJoin(item as string[]) : undefined;
        if (command) commands.push({ file, line: lineOfKey(lines, key), command, name });
      } else visit(item, typeof (value as { name?: unknown }).name === 'string' ? (value as { name: string }).name : name);
    }
  };
  visit(parsed);
  return commands;
}

function lineOfKey(lines: string[], key: string): number {
  const index = lines.findIndex((line) => new RegExp(`["']?${key}["']?\\s*[:=]`).test(line));
  return index >= 0 ? index + 1 : 1;
}

function unquote(text: string): string {
  return /^(["']).*\1$/.test(text) ? text.slice(1, -1) : text;
}

// ---------------------------------------------------------------------------------------------
// Commands -> files

export interface ResolveContext extends ProjectFiles {
  /** Functions the shell script being read defines: calling one runs lines read on their own. */
  shellFunctions?: Set<string>;
  language: 'python' | 'typescript';
  /** The reviewed files of the language, relative to the root. */
  files: string[];
  /** The deployment file the command comes from (scripts and relative paths are looked up near it). */
  from: string;
  /**
   * Resolve commands named for a worker to the files they run instead of stopping at the name
   * (which worker a command starts, not whether one may start).
   */
  followWorkerNames?: boolean;
  /**
   * Collects the project's scripts that a command runs with node but that are not reviewed
   * (a root `start.js`): they resolve to nothing, and the caller reads them as text.
   */
  unreviewedScripts?: string[];
}

/** Programs that run none of the project's code. */
const OTHER_PROGRAMS = new Set([
  'alembic', 'prisma', 'migrate', 'flyway', 'liquibase', 'echo', 'printf', 'cd', 'export', 'set', 'unset', 'sleep', 'wait', 'true', 'false', 'exit', 'trap', 'test', '[',
  'nginx', 'caddy', 'httpd', 'apache2', 'apache2ctl', 'haproxy', 'envoy', 'traefik', 'redis-server', 'postgres', 'mysqld', 'mongod', 'temporal', 'tctl', 'temporalite',
  'serve', 'http-server', 'next', 'vite', 'nuxt', 'astro', 'remix-serve', 'react-scripts', 'mkdir', 'chmod', 'chown', 'cp', 'mv', 'rm', 'ln', 'touch', 'cat', 'ls', 'tail',
  'curl', 'wget', 'nc', 'dockerize', 'wait-for-it', 'wait-for-it.sh', 'wait-for', 'wait-for.sh', 'apt-get', 'apk', 'pip', 'pip3', 'npm-install', 'ldconfig', 'update-ca-certificates',
  'source', '.', ':', 'return', 'shift', 'read', 'local', 'readonly', 'declare', 'break', 'continue', 'getopts', 'eval', 'ulimit', 'umask', 'date', 'env-cmd', 'dotenv', 'printenv', 'grep', 'sed', 'awk', 'tee', 'xargs', 'find', 'mc', 'aws', 'gcloud', 'az', 'pg_isready',
  'psql', 'mysql', 'redis-cli', 'jaeger', 'otelcol', 'otelcol-contrib', 'cron', 'crond', 'sshd', 'ssh-keygen', 'git', 'unzip', 'tar', 'gzip', 'python-dotenv', 'npm-check',
  'seq', 'zip', 'mount', 'umount', 'su', 'rpk', 'tsc-alias', 'userdel', 'usermod', 'groupdel', 'ip', 'mountpoint', 'modprobe', 'iptables', 'sysctl', 'setcap', 'locale-gen', 'head', 'sort', 'uniq', 'wc', 'cut', 'tr', 'basename', 'dirname', 'realpath', 'readlink', 'id', 'whoami', 'hostname', 'pwd', 'which', 'command', 'type', 'hash',
  'openssl', 'base64', 'jq', 'yq', 'envsubst', 'getent', 'useradd', 'adduser', 'groupadd', 'install', 'rsync', 'sync', 'kill', 'pkill', 'ps', 'df', 'du', 'free', 'uname',
  'tsc', 'npx-tsc', 'webpack', 'esbuild', 'rollup', 'turbo', 'nx-build', 'jest', 'vitest', 'pytest', 'mypy', 'ruff', 'eslint', 'prettier', 'playwright', 'cypress',
]);
/** Programs that run the command after their own options. */
const LAUNCHERS = new Set(['exec', 'env', 'timeout', 'nohup', 'tini', 'dumb-init', 'gosu', 'su-exec', 'setpriv', 'chpst', 'time', 'nice', 'ionice', 'stdbuf', 'opentelemetry-instrument', 'ddtrace-run', 'doppler', 'infisical', 'op', 'dotenvx', 'sops', 'with-contenv', 's6-setuidgid', 'cross-env', 'dotenv-run', 'chamber', 'aws-vault', 'watchfiles', 'watchmedo', 'nodemon']);
/** Shell words that precede the command they govern (`if python -m x; then`), or end a block. */
const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', '[[', ']]', 'esac', ';;', 'in', 'time']);
const PYTHON = /^(?:.*\/)?python(?:\d+(?:\.\d+)?)?$/;
const NODE = /^(?:.*\/)?(node|nodejs|ts-node|ts-node-dev|tsx|bun|deno|esno|esr|node-dev|vite-node|tsnd|swc-node)$/;
const ASGI = /^(?:.*\/)?(uvicorn|gunicorn|hypercorn|daphne|granian|fastapi|streamlit|flask|waitress-serve|celery|rq|dramatiq|arq|huey_consumer|faust|taskiq)$/;
const PACKAGE_MANAGERS = /^(npm|yarn|pnpm|bun)$/;
const WORKER_NAME = /worker/i;

/** A program, module or script named for a worker, unless the caller follows such names to the files they run. */
function workerNamed(ctx: ResolveContext, text: string): boolean {
  return !ctx.followWorkerNames && WORKER_NAME.test(text);
}

export function resolveCommand(ctx: ResolveContext, command: string, depth = 0): Resolution {
  const results = simpleCommands(command).map((words) => resolveWords(ctx, words, depth));
  return combine(results);
}

function combine(results: Resolution[]): Resolution {
  const named = results.find((r) => r.kind === 'worker-named');
  if (named) return named;
  const unknown = results.find((r) => r.kind === 'unknown');
  if (unknown) return unknown;
  const files = [...new Set(results.flatMap((r) => (r.kind === 'files' ? r.files : [])))];
  return files.length > 0 ? { kind: 'files', files } : { kind: 'other' };
}

/** A shell command split into simple commands (on `&&`, `||`, `;`, `|`, `&` and new lines), each as words. */
export function simpleCommands(written: string): string[][] {
  // a here-document's lines are data, not commands
  const command = written.replace(/<<-?[ \t]*(['"]?)(\w+)\1[^\n]*\n[\s\S]*?\n[ \t]*\2[ \t]*(?=\n|$)/g, '');
  const out: string[][] = [];
  let words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) out.push(words);
    words = [];
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote === '"' && c === '$' && command[i + 1] === '(') {
      const end = closing(command, i + 1);
      word += command.slice(i, end < 0 ? command.length : end + 1);
      i = end < 0 ? command.length : end;
      continue;
    }
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < command.length) word += command[++i];
      else word += c;
      continue;
    }
    if (c === '$' && command[i + 1] === '(' || c === '`') {
      // a command substitution or arithmetic (`$(pwd)`, `$((n + 1))`): one word whose value is not known
      const end = c === '`' ? command.indexOf('`', i + 1) : closing(command, i + 1);
      word += command.slice(i, end < 0 ? command.length : end + 1);
      inWord = true;
      i = end < 0 ? command.length : end;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && command[i + 1] === '\n') i++;
    else if (c === '\\' && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
    } else if (c === '#' && !inWord) {
      while (i < command.length && command[i] !== '\n') i++;
      endCommand();
    } else if (c === '&' && (command[i - 1] === '>' || command[i + 1] === '>')) {
      // `2>&1`, `&>/dev/null`: a redirection, not a background job
      word += c;
      inWord = true;
    } else if (c === ';' || c === '\n' || c === '|' || c === '&' || c === '(' || c === ')') {
      endCommand();
    } else if (/\s/.test(c)) endWord();
    else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return out;
}

/** The index of the parenthesis that closes the one at `open`. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

function resolveWords(ctx: ResolveContext, original: string[], depth: number): Resolution {
  // redirections (`2>/dev/null`, `>&2`, `> log`) say where output goes
  let words = original.filter((word, i) => !/^\d*[<>]/.test(word) && !/^\d*[<>]+&?$/.test(original[i - 1] ?? ''));
  // leading VAR=value assignments
  while (words.length > 0 && /^[A-Za-z_]\w*=/.test(words[0]!)) words = words.slice(1);
  // launchers and their options
  for (;;) {
    const head = words[0];
    if (head === undefined) return { kind: 'other' };
    const base = path.posix.basename(head);
    if (SHELL_KEYWORDS.has(head)) {
      words = words.slice(1);
      continue;
    }
    if (LAUNCHERS.has(base)) {
      words = words.slice(1);
      // `gosu user cmd`, `su-exec user cmd`, `doppler run --`, `infisical run --`, `op run --`
      if (['gosu', 'su-exec', 's6-setuidgid', 'chpst'].includes(base)) words = words.slice(1);
      if (base === 'timeout') {
        while (words.length > 0 && words[0]!.startsWith('-')) words = words.slice(1);
        words = words.slice(1); // the duration
      }
      const dashes = words.indexOf('--');
      if (dashes >= 0 && ['tini', 'dumb-init', 'doppler', 'infisical', 'op', 'dotenvx', 'sops', 'setpriv', 'chamber', 'aws-vault', 'watchfiles', 'watchmedo', 'nodemon', 'dotenv-run'].includes(base)) words = words.slice(dashes + 1);
      else if (base === 'watchfiles' && words.length > 0) return resolveCommand(ctx, words.filter((w) => !w.startsWith('-'))[0] ?? '', depth);
      while (words.length > 0 && (words[0]!.startsWith('-') || /^[A-Za-z_]\w*=/.test(words[0]!))) words = words.slice(1);
      if (base === 'nodemon' && words.length > 0 && !NODE.test(words[0]!)) words = ['node', ...words];
      continue;
    }
    if (['uv', 'poetry', 'pipenv', 'pdm', 'hatch', 'rye', 'conda', 'micromamba', 'npx', 'pnpx', 'bunx'].includes(base) && words[1] !== undefined) {
      if (['npx', 'pnpx', 'bunx'].includes(base)) {
        words = words.slice(1).filter((w, i) => !(i === 0 && w.startsWith('-')));
        continue;
      }
      if (words[1] !== 'run') return { kind: 'other' };
      words = words.slice(2);
      while (words.length > 0 && words[0]!.startsWith('-')) words = words.slice(words[0] === '-n' || words[0] === '--name' || words[0] === '--with' || words[0] === '--env-file' ? 2 : 1);
      continue;
    }
    if ((base === 'sh' || base === 'bash' || base === 'ash' || base === 'zsh' || base === 'dash') && words.length > 1) {
      const rest = words.slice(1).filter((w) => !/^-[a-z]*$/.test(w) || /c/.test(w));
      const c = words.findIndex((w) => /^-[a-z]*c[a-z]*$/.test(w));
      if (c >= 0) return words[c + 1] === undefined ? { kind: 'other' } : resolveCommand(ctx, words[c + 1]!, depth);
      return runScript(ctx, rest.find((w) => !w.startsWith('-')) ?? '', depth);
    }
    break;
  }
  const head = words[0]!;
  const base = path.posix.basename(head);
  // `exec "$@"`: the arguments (a Dockerfile's CMD), read as a command of their own
  if (/^\$\{?[@*]\}?$/.test(head)) return { kind: 'other' };
  if (head.startsWith('-') || /^[\]}]+$/.test(head) || ['for', 'case', 'function', 'select'].includes(head)) return { kind: 'other' };
  if (head.includes('$')) return { kind: 'unknown', what: words.join(' ') };
  if (/\.(sh|bash)$/.test(head)) return runScript(ctx, head, depth);
  if (PYTHON.test(head)) return python(ctx, words.slice(1));
  if (ASGI.test(head)) return asgi(ctx, base, words.slice(1));
  if (NODE.test(head)) return node(ctx, base, words.slice(1));
  if (PACKAGE_MANAGERS.test(base)) return packageScript(ctx, base, words.slice(1), depth);
  if (base === 'nest') return words[1] === 'start' ? nestStart(ctx) : { kind: 'other' };
  if (base === 'supervisord' || base === 'honcho' || base === 'foreman' || base === 'overmind' || base === 'pm2' || base === 'pm2-runtime' || base === 'concurrently' || base === 'npm-run-all' || base === 'run-p' || base === 'run-s') {
    // process managers: their processes are in files of their own, not always found
    return { kind: 'unknown', what: words.join(' ') };
  }
  if (/^[\w./-]+\.py$/.test(head)) return python(ctx, words);
  if (/^[\w./-]+\.[cm]?[jt]s$/.test(head)) return node(ctx, 'node', words);
  // the Temporal CLI run from npm (`npx @temporalio/cli server start-dev`): the server, not a worker
  if (OTHER_PROGRAMS.has(base) || ctx.shellFunctions?.has(head) || /^@temporalio\/cli(@[\w.^~-]+)?$/.test(head)) return { kind: 'other' };
  if (workerNamed(ctx, base)) return { kind: 'worker-named', what: words.join(' ') };
  // a console script of the project (`[project.scripts]`), or a program the image installs
  return { kind: 'unknown', what: words.join(' ') };
}

function python(ctx: ResolveContext, args: string[]): Resolution {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-') && args[i] !== '-m' && args[i] !== '-c') i += /^-[WX]$/.test(args[i]!) ? 2 : 1;
  const first = args[i];
  if (first === undefined) return { kind: 'other' };
  if (first === '-c') return /temporal|worker/i.test(args[i + 1] ?? '') ? { kind: 'unknown', what: `python -c ${args[i + 1]}` } : { kind: 'other' };
  if (first === '-m') {
    const module = args[i + 1] ?? '';
    if (/^(alembic|pip|uvicorn|gunicorn|hypercorn|celery|flask|streamlit|http\.server|pytest|unittest|granian)$/.test(module)) {
      return ['pip', 'pytest', 'unittest', 'alembic', 'http.server'].includes(module) ? { kind: 'other' } : asgi(ctx, module, args.slice(i + 2));
    }
    if (module.includes('$')) return { kind: 'unknown', what: `python -m ${module}` };
    if (workerNamed(ctx, module)) return { kind: 'worker-named', what: `python -m ${module}` };
    return moduleFiles(ctx, module, `python -m ${module}`);
  }
  if (first.includes('$')) return { kind: 'unknown', what: `python ${first}` };
  if (/(^|\/)manage\.py$/.test(first)) return django(ctx, args.slice(i + 1));
  if (workerNamed(ctx, first)) return { kind: 'worker-named', what: `python ${first}` };
  return pathFiles(ctx, first, `python ${first}`);
}

function asgi(ctx: ResolveContext, program: string, args: string[]): Resolution {
  if (program === 'celery' || program === 'rq' || program === 'dramatiq' || program === 'arq' || program === 'huey_consumer' || program === 'faust' || program === 'taskiq') {
    // a task queue of another kind: its app module is the project's code
    const app = args.find((a, i) => (args[i - 1] === '-A' || args[i - 1] === '--app') && !a.startsWith('-')) ?? args.find((a) => !a.startsWith('-') && /[.:]/.test(a));
    if (!app) return { kind: 'unknown', what: `${program} ${args.join(' ')}` };
    return moduleFiles(ctx, app.split(':')[0]!, `${program} ${app}`);
  }
  if (program === 'streamlit' || program === 'fastapi' || program === 'flask') {
    const target = args.find((a) => /\.py$/.test(a));
    if (target) return pathFiles(ctx, target, `${program} ${target}`);
    if (program === 'flask') return { kind: 'unknown', what: `flask ${args.join(' ')}` };
  }
  // the application is the first argument that is not an option or an option's value: `module:app`
  const withValue = /^(-b|--bind|-w|--workers|-k|--worker-class|--host|--port|--log-level|-c|--config|--timeout|-t|--graceful-timeout|--root-path|--env-file|--log-config|--app-dir|--proxy-headers|--forwarded-allow-ips|--limit-concurrency|--backlog|--threads|--max-requests|--max-requests-jitter|--keep-alive|--access-logfile|--error-logfile|--chdir|--pythonpath|-e|--env|--name|--interface|--workers-kill-timeout|--uds|--fd|--ws|--http|--loop|--lifespan|--h11-max-incomplete-event-size|--ssl-keyfile|--ssl-certfile|--reload-dir|--timeout-keep-alive)$/;
  let app: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('-')) {
      if (withValue.test(arg)) i++;
      continue;
    }
    if (arg === 'run' || arg === 'dev') continue;
    app = arg;
    break;
  }
  if (!app) return { kind: 'unknown', what: `${program} ${args.join(' ')}` };
  if (app.includes('$')) return { kind: 'unknown', what: `${program} ${app}` };
  const module = app.split(':')[0]!.replace(/\(.*$/, '');
  if (/\.py$/.test(module)) return pathFiles(ctx, module, `${program} ${app}`);
  if (workerNamed(ctx, module)) return { kind: 'worker-named', what: `${program} ${app}` };
  return moduleFiles(ctx, module, `${program} ${app}`);
}

function django(ctx: ResolveContext, args: string[]): Resolution {
  const name = args.find((a) => !a.startsWith('-'));
  if (!name) return { kind: 'other' };
  if (workerNamed(ctx, name)) return { kind: 'worker-named', what: `manage.py ${name}` };
  if (['migrate', 'collectstatic', 'makemigrations', 'check', 'createcachetable', 'compilemessages', 'shell'].includes(name)) return { kind: 'other' };
  const found = ctx.files.filter((f) => f.endsWith(`/management/commands/${name}.py`));
  // runserver and the like load every installed app, whose ready() may start anything
  return found.length > 0 ? { kind: 'files', files: found } : { kind: 'unknown', what: `manage.py ${name}` };
}

function node(ctx: ResolveContext, program: string, args: string[]): Resolution {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) {
    // `-r ts-node/register`, `--require dotenv/config`, `--import tsx`, `--env-file .env`
    i += /^(-r|--require|--import|--loader|--experimental-loader|--env-file|-P|--project|--max-old-space-size|--tsconfig|--watch-path|--inspect-port|--title|-O|--compiler-options)$/.test(args[i]!) ? 2 : 1;
  }
  const evaluated = args.findIndex((a) => a === '-e' || a === '--eval' || a === '-p' || a === '--print');
  if (evaluated >= 0 && evaluated < i) return /temporal|worker/i.test(args[evaluated + 1] ?? '') ? { kind: 'unknown', what: `${program} -e` } : { kind: 'other' };
  const target = args[i];
  if (target === undefined || target === 'run' && program === 'bun' && args[i + 1] === undefined) return { kind: 'other' };
  if (program === 'bun' && target === 'run') return node(ctx, program, args.slice(i + 1));
  if (program === 'deno' && target === 'run') return node(ctx, program, args.slice(i + 1));
  if (target.includes('$')) return { kind: 'unknown', what: `${program} ${target}` };
  if (workerNamed(ctx, target)) return { kind: 'worker-named', what: `${program} ${target}` };
  if (ctx.language === 'python') return { kind: 'other' };
  // Next.js's standalone output starts with a server.js of its own
  if (/(^|\/)server\.js$/.test(target) && /\.next\/standalone|next build/.test(ctx.readProjectFile(ctx.from) ?? '')) return { kind: 'other' };
  return pathFiles(ctx, target, `${program} ${target}`);
}

function nestStart(ctx: ResolveContext): Resolution {
  const found = ctx.files.filter((f) => /(^|\/)src\/main\.ts$/.test(f));
  return found.length > 0 ? { kind: 'files', files: found } : { kind: 'unknown', what: 'nest start' };
}

function packageScript(ctx: ResolveContext, manager: string, args: string[], depth: number): Resolution {
  const words = args.filter((a) => !a.startsWith('-'));
  let script: string | undefined;
  let workspace: string | undefined;
  const filter = args.findIndex((a) => a === '--filter' || a === '-F' || a === '-w' || a === '--workspace' || a.startsWith('--filter=') || a.startsWith('--workspace='));
  if (filter >= 0) workspace = args[filter]!.includes('=') ? args[filter]!.split('=')[1] : args[filter + 1];
  const rest = words.filter((w) => w !== workspace);
  if (rest[0] === 'workspace' && manager === 'yarn') {
    workspace = rest[1];
    const index = args.indexOf(rest[1]!);
    const after = args.slice(index + 1);
    // `yarn workspace api node ./dist/server.js`: a program run in the workspace, not a script
    if (after[0] && (NODE.test(after[0]) || PYTHON.test(after[0]))) return resolveCommand(ctx, shellJoin(after), depth + 1);
    rest.splice(0, 2);
  }
  if (rest[0] === 'start' || rest[0] === 'test') script = rest[0];
  else if (rest[0] === 'run' || rest[0] === 'run-script') script = rest[1];
  else if (['install', 'ci', 'i', 'build', 'prune', 'cache', 'config', 'exec', 'dlx', 'add', 'rebuild'].includes(rest[0] ?? '')) return { kind: 'other' };
  else if (manager !== 'npm') script = rest[0];
  if (!script) return { kind: 'other' };
  if (script.includes('$')) return { kind: 'unknown', what: `${manager} ${args.join(' ')}` };
  if (workerNamed(ctx, script)) return { kind: 'worker-named', what: `${manager} ${args.join(' ')}` };
  if (depth > 4) return { kind: 'unknown', what: `${manager} ${script}` };
  const packages = ctx.globProjectFiles(['**/package.json']).filter((f) => !VENDORED.test(f));
  const matching: { file: string; command: string }[] = [];
  for (const file of packages) {
    const text = ctx.readProjectFile(file);
    if (text === undefined) continue;
    let parsed: { name?: unknown; scripts?: Record<string, unknown> };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      continue;
    }
    if (workspace && parsed.name !== workspace && path.posix.basename(path.posix.dirname(file)) !== workspace.replace(/^@[^/]+\//, '') && !path.posix.dirname(file).endsWith(workspace.replace(/^\.\//, ''))) continue;
    const command = parsed.scripts?.[script];
    if (typeof command === 'string') matching.push({ file, command });
  }
  // the package that runs it is the one near the deployment file when there is one
  const near = matching.filter((m) => path.posix.dirname(ctx.from).startsWith(path.posix.dirname(m.file) === '.' ? '' : path.posix.dirname(m.file)));
  const chosen = near.length > 0 ? near : matching;
  if (chosen.length === 0) return { kind: 'unknown', what: `${manager} ${script}` };
  return combine(chosen.map((m) => withPackageDirectory(ctx, m.file, m.command, depth)));
}

function withPackageDirectory(ctx: ResolveContext, packageJson: string, command: string, depth: number): Resolution {
  const dir = path.posix.dirname(packageJson);
  return resolveCommand({ ...ctx, from: dir === '.' ? 'package.json' : packageJson }, command, depth + 1);
}

function runScript(ctx: ResolveContext, script: string, depth: number): Resolution {
  if (!script) return { kind: 'other' };
  if (script.includes('$')) return { kind: 'unknown', what: script };
  const base = path.posix.basename(script);
  if (/^wait-for/.test(base)) return { kind: 'other' };
  if (depth > 4) return { kind: 'unknown', what: script };
  const candidates = ctx.globProjectFiles([`**/${base}`]).filter((f) => !VENDORED.test(f));
  if (candidates.length === 0) return workerNamed(ctx, base) ? { kind: 'worker-named', what: script } : { kind: 'unknown', what: script };
  const near = nearest(candidates, ctx.from);
  const text = ctx.readProjectFile(near);
  if (text === undefined) return { kind: 'unknown', what: script };
  const shellFunctions = new Set([...text.matchAll(/^[ \t]*(?:function[ \t]+)?([A-Za-z_][\w-]*)[ \t]*\(\)/gm)].map((m) => m[1]!));
  const result = resolveCommand({ ...ctx, from: near, shellFunctions }, text, depth + 1);
  if (result.kind === 'other' && workerNamed(ctx, base)) return { kind: 'worker-named', what: script };
  return result;
}

/** The candidate sharing the longest folder prefix with the deployment file. */
function nearest(candidates: string[], from: string): string {
  const fromParts = path.posix.dirname(from).split('/');
  const score = (file: string) => {
    const parts = path.posix.dirname(file).split('/');
    let shared = 0;
    while (shared < parts.length && parts[shared] === fromParts[shared]) shared++;
    return shared;
  };
  return [...candidates].sort((a, b) => score(b) - score(a) || a.length - b.length)[0]!;
}

/** The files inside the deployment file's folder, or the nearest folder above it that holds some. */
function nearestAll(files: string[], from: string): string[] {
  for (let dir = path.posix.dirname(from); ; dir = path.posix.dirname(dir)) {
    const prefix = dir === '.' || dir === '' ? '' : `${dir}/`;
    const inside = files.filter((file) => file.startsWith(prefix));
    if (inside.length > 0) return prefix === '' && inside.length === files.length ? [] : inside;
    if (prefix === '') return [];
  }
}


function pathFiles(ctx: ResolveContext, target: string, what: string): Resolution {
  const cleaned = target.replace(/^\.\//, '');
  const extension = /\.(py|[cm]?[jt]sx?)$/;
  const stem = cleaned.replace(extension, '');
  // a build folder's file comes from the source folder's (dist/server.js <- src/server.ts)
  const variants = new Set([stem, stem.replace(/(^|\/)(dist|build|out|lib)\//, '$1src/'), stem.replace(/(^|\/)(dist|build|out|lib)\//, '$1'), stem.replace(/(^|\/)(dist|build|out|lib)\/src\//, '$1src/')]);
  // `node dist/server` loads dist/server/index.js
  if (!extension.test(cleaned) && ctx.language === 'typescript') for (const variant of [...variants]) variants.add(`${variant}/index`);
  const stems = ctx.files.map((file) => ({ file, stem: file.replace(extension, '') }));
  let found: string[] = [];
  let shared = 0;
  for (const variant of variants) {
    const parts = variant.split('/').filter((part) => part !== '' && part !== '.');
    // the longest end of the written path that names files (an image's /app/ in front names none)
    for (let k = parts.length; k > shared; k--) {
      const suffix = parts.slice(-k).join('/');
      const matching = stems.filter((s) => s.stem === suffix || s.stem.endsWith(`/${suffix}`)).map((s) => s.file);
      if (matching.length === 0) continue;
      found = matching;
      shared = k;
      break;
    }
  }
  if (found.length > 1) {
    // several apps have a dist/index.js: the one in the deployment file's folder (or nearest above it)
    const near = nearestAll(found, ctx.from);
    if (near.length > 0) found = near;
  }
  // `node index.js` with several index files and nothing to choose between them
  if (found.length > 1 && shared === 1) return { kind: 'unknown', what };
  if (found.length === 0) {
    if (ctx.unreviewedScripts && ctx.language === 'typescript' && /\.[cm]?js$/.test(cleaned)) {
      const dir = path.posix.dirname(ctx.from);
      const candidate = [path.posix.normalize(path.posix.join(dir === '.' ? '' : dir, cleaned)), cleaned].find((file) => !file.startsWith('..') && ctx.readProjectFile(file) !== undefined);
      if (candidate) {
        ctx.unreviewedScripts.push(candidate);
        return { kind: 'other' };
      }
    }
    // a file of the other language, or one outside the review (a frontend's server): not ours
    const other = ctx.language === 'python' ? /\.[cm]?[jt]sx?$/.test(cleaned) : /\.py$/.test(cleaned);
    return other ? { kind: 'other' } : { kind: 'unknown', what };
  }
  return { kind: 'files', files: [...new Set(found)] };
}

function moduleFiles(ctx: ResolveContext, module: string, what: string): Resolution {
  if (!/^[A-Za-z_][\w.]*$/.test(module)) return { kind: 'unknown', what };
  const files = modulePaths(ctx.files, module);
  return files.length > 0 ? { kind: 'files', files } : { kind: 'unknown', what };
}

/** The reviewed files a dotted Python module name may be: `a/b.py`, `a/b/__init__.py`, `a/b/__main__.py`, under any folder. */
export function modulePaths(files: string[], module: string): string[] {
  const tail = module.split('.').join('/');
  return files.filter((file) => {
    const candidates = [`${tail}.py`, `${tail}/__init__.py`, `${tail}/__main__.py`];
    return candidates.some((candidate) => file === candidate || file.endsWith(`/${candidate}`));
  });
}
