// The services of a repository's docker-compose files, each with the directory of the project's
// code it runs (when the file shows it) and the environment its container gets: `environment:` in
// list (`- NAME=value`) or map (`NAME: value`) form, `env_file:` files the repository holds, and
// `ENV` lines of the Dockerfile it builds. A value the review cannot read (an interpolation such as
// `${NAME}`, a name passed through from the host, an env_file that is not in the repository, a
// service that `extends:` another) is unknown: a caller then says nothing rather than guess.
//
// The code a service runs is read from, in order: its build context (a directory below the root),
// the directory of the Dockerfile it builds when that is a package directory (package.json,
// pyproject.toml, setup.py or requirements.txt), a mounted host directory holding its working_dir,
// or a package directory a command word names (`node apps/worker/dist/main.js`). A service whose
// code is the whole repository (build context `.` and nothing narrower) runs no particular code.

import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Node as YamlNode } from 'yaml';
import type { ProjectFiles } from './alert-rule-files.js';
import { serverImage } from './deployed-processes.js';

export interface ComposeService {
  /** The compose file, relative to the root. */
  file: string;
  /** The line of the service's key. */
  line: number;
  name: string;
  /** The directory of the project's code the service runs, relative to the root (never the root itself). */
  codeDir: string | undefined;
  /** How codeDir was read ("build context apps/api"). */
  codeFrom: string | undefined;
  /**
   * The service runs the project's code but the compose file does not show which (a build of the
   * whole repository, an image with the repository mounted): it may run any file.
   */
  mayRunAnyCode: boolean;
  /** The value the container gets for a variable, or why the review cannot tell. */
  variable(name: string, caseInsensitive?: boolean): ServiceValue;
}

export type ServiceValue =
  /** Set to a literal at file:line. */
  | { kind: 'set'; value: string; file: string; line: number }
  /** Nothing the review reads sets it: the code's default applies. */
  | { kind: 'unset' }
  | { kind: 'unknown'; why: string };

const COMPOSE_FILE = /(^|\/)(docker-)?compose(\.[\w-]+)*\.ya?ml$/i;
const VENDORED = /(^|\/)(node_modules|vendor|third_party|third-party|venv|\.venv|site-packages|bower_components)\//;
/** Folders and file names of tests, examples and development setups: not the deployment. */
const NOT_DEPLOYMENT = /(^|\/)(tests?|__tests__|e2e|fixtures?|examples?|samples?|docs?|\.devcontainer|templates?)\//i;
const DEV_FILE = /(^|[/.\-_])(dev|development|local|test|tests|testing|ci|e2e|debug|devcontainer)([/.\-_]|$)/i;
const PACKAGE_MANIFESTS = ['package.json', 'pyproject.toml', 'setup.py', 'requirements.txt'];

interface Setting {
  value: string | undefined;
  line: number;
  file: string;
}

export function composeServices(files: ProjectFiles): ComposeService[] {
  const services: ComposeService[] = [];
  const candidates = files.globProjectFiles(['**/*.yml', '**/*.yaml']).filter((file) => COMPOSE_FILE.test(file) && !VENDORED.test(file) && !NOT_DEPLOYMENT.test(file) && !DEV_FILE.test(file));
  for (const file of candidates.sort()) {
    const text = files.readProjectFile(file);
    if (text === undefined || !/^services\s*:/m.test(text)) continue;
    const lineAt = (node: YamlNode | null | undefined): number => {
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      return range ? text.slice(0, range[0]).split('\n').length : 0;
    };
    const dir = path.posix.dirname(file);
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) continue;
      const servicesNode = document.get('services', true);
      if (!isMap(servicesNode)) continue;
      for (const pair of servicesNode.items) {
        if (!isScalar(pair.key) || !isMap(pair.value)) continue;
        const name = String(pair.key.value);
        const service = pair.value;
        const code = codeOf(files, dir, service);
        const settings = new Map<string, Setting[]>();
        let unknown: string | undefined;
        const add = (key: string, setting: Setting) => settings.set(key, [...(settings.get(key) ?? []), setting]);
        const environment: unknown = service.get('environment', true);
        if (isSeq(environment)) {
          for (const item of environment.items) {
            if (!isScalar(item)) {
              unknown ??= `an environment entry of service '${name}' in ${file} is not a plain NAME=value`;
              continue;
            }
            const written = String(item.value);
            const eq = written.indexOf('=');
            add(eq < 0 ? written.trim() : written.slice(0, eq).trim(), { value: eq < 0 ? undefined : written.slice(eq + 1), line: lineAt(item), file });
          }
        } else if (isMap(environment)) {
          for (const item of environment.items) {
            if (!isPair(item) || !isScalar(item.key) || String(item.key.value) === '<<') {
              unknown ??= `the environment of service '${name}' in ${file} merges entries written elsewhere`;
              continue;
            }
            const value = isScalar(item.value) && item.value.value !== null ? String(item.value.value) : undefined;
            add(String(item.key.value), { value, line: lineAt(item.key as YamlNode), file });
          }
        } else if (environment !== undefined && environment !== null) unknown = `the environment of service '${name}' in ${file} is not a list or a map`;
        if (service.items.some((item) => isScalar(item.key) && String(item.key.value) === '<<')) unknown ??= `service '${name}' in ${file} merges settings written elsewhere (<<:)`;
        if (service.has('extends')) unknown ??= `service '${name}' in ${file} extends another service, whose environment it inherits`;
        const fromFiles = new Map<string, Setting[]>();
        const envFiles: unknown = service.get('env_file', true);
        const envFileNames: string[] = [];
        if (isScalar(envFiles)) envFileNames.push(String(envFiles.value));
        else if (isSeq(envFiles)) {
          for (const item of envFiles.items) {
            if (isScalar(item)) envFileNames.push(String(item.value));
            else if (isMap(item) && typeof item.get('path') === 'string') envFileNames.push(item.get('path') as string);
            else unknown ??= `an env_file of service '${name}' in ${file} could not be read`;
          }
        } else if (envFiles !== undefined && envFiles !== null) unknown ??= `the env_file of service '${name}' in ${file} could not be read`;
        let envFileMissing: string | undefined;
        for (const envFile of envFileNames) {
          const relative = path.posix.normalize(path.posix.join(dir, envFile));
          const content = /\$/.test(envFile) ? undefined : files.readProjectFile(relative);
          if (content === undefined) {
            envFileMissing ??= `service '${name}' in ${file} reads env_file ${envFile}, which the repository does not hold`;
            continue;
          }
          content.split(/\r?\n/).forEach((line, index) => {
            const match = /^\s*(?:export\s+)?([A-Za-z_][\w.]*)\s*=\s*(.*?)\s*$/.exec(line);
            if (match) fromFiles.set(match[1]!, [...(fromFiles.get(match[1]!) ?? []), { value: unquote(match[2]!), line: index + 1, file: relative }]);
          });
        }
        const dockerfile = code?.dockerfile ? files.readProjectFile(code.dockerfile) : undefined;
        const dotenv = code?.dir ? files.readProjectFile(`${code.dir}/.env`) : undefined;
        const lookup = (map: Map<string, Setting[]>, variable: string, caseInsensitive: boolean): Setting[] => {
          if (!caseInsensitive) return map.get(variable) ?? [];
          return [...map.entries()].filter(([key]) => key.toLowerCase() === variable.toLowerCase()).flatMap(([, each]) => each);
        };
        services.push({
          file,
          line: lineAt(pair.key as YamlNode),
          name,
          codeDir: code?.dir,
          codeFrom: code?.from,
          mayRunAnyCode: !code && runsProjectCode(service),
          variable(variable, caseInsensitive = false) {
            if (unknown) return { kind: 'unknown', why: unknown };
            const chosen = lookup(settings, variable, caseInsensitive);
            const fromEnvFile = chosen.length > 0 ? [] : lookup(fromFiles, variable, caseInsensitive);
            const found = chosen.length > 0 ? chosen : fromEnvFile;
            if (found.length === 0 && envFileMissing) return { kind: 'unknown', why: envFileMissing };
            if (found.length > 1) return { kind: 'unknown', why: `service '${name}' in ${file} sets ${variable} more than once` };
            if (found.length === 1) {
              const setting = found[0]!;
              if (setting.value === undefined) return { kind: 'unknown', why: `service '${name}' in ${file} passes ${variable} through from the host (${setting.file}:${setting.line})` };
              const value = unquote(setting.value.trim());
              // empty: the code's `||` falls back to its default, `??` and pydantic keep the empty string
              if (value === '') return { kind: 'unknown', why: `${setting.file}:${setting.line} sets ${variable} to an empty value` };
              if (value.includes('$')) return { kind: 'unknown', why: `${setting.file}:${setting.line} sets ${variable} from an interpolation (${value})` };
              return { kind: 'set', value, file: setting.file, line: setting.line };
            }
            if (dockerfile !== undefined) {
              const fromImage = dockerfileValue(dockerfile, variable, caseInsensitive);
              if (fromImage === 'unknown') return { kind: 'unknown', why: `${code!.dockerfile} sets ${variable} in a way the review does not read` };
              if (fromImage) return { kind: 'set', value: fromImage.value, file: code!.dockerfile!, line: fromImage.line };
            }
            // a .env file next to the code (read by dotenv or pydantic's env_file) may set it
            if (dotenv !== undefined && new RegExp(`^\\s*(export\\s+)?${escape(variable)}\\s*=`, caseInsensitive ? 'mi' : 'm').test(dotenv)) {
              return { kind: 'unknown', why: `${code!.dir}/.env sets ${variable}` };
            }
            return { kind: 'unset' };
          },
        });
      }
    }
  }
  return services;
}

/**
 * The compose services whose code directory holds a file (relative to the root): the value each
 * gives the variable. Undefined when no service is shown to run the file.
 */
export function servicesRunning(services: ComposeService[], file: string): ComposeService[] | undefined {
  const running = services.filter((service) => service.codeDir !== undefined && (file === service.codeDir || file.startsWith(`${service.codeDir}/`)));
  if (running.length === 0) return undefined;
  // a service that may run any of the project's code counts for every file
  running.push(...services.filter((service) => service.mayRunAnyCode));
  // a service of the same name in another compose file (an override, a production variant) may
  // be applied with it and set the variable: its values count too
  const names = new Set(running.map((service) => service.name));
  return services.filter((service) => running.includes(service) || (names.has(service.name) && service.codeDir === undefined));
}

function codeOf(files: ProjectFiles, dir: string, service: import('yaml').YAMLMap): { dir: string; from: string; dockerfile?: string } | undefined {
  const inRepo = (written: string): string | undefined => {
    const joined = path.posix.normalize(path.posix.join(dir === '.' ? '' : dir, written.replace(/\/+$/, '')));
    if (joined.startsWith('..') || path.posix.isAbsolute(joined)) return undefined;
    return joined === '.' ? '' : joined;
  };
  const isPackage = (directory: string) => directory !== '' && PACKAGE_MANIFESTS.some((manifest) => files.readProjectFile(`${directory}/${manifest}`) !== undefined);
  const build = service.get('build', true);
  let context: string | undefined;
  let dockerfileName = 'Dockerfile';
  if (isScalar(build) && typeof build.value === 'string') context = build.value;
  else if (isMap(build)) {
    const written = build.get('context');
    context = typeof written === 'string' ? written : '.';
    const named = build.get('dockerfile');
    if (typeof named === 'string') dockerfileName = named;
  }
  if (context !== undefined && !/^[a-z]+:\/\//i.test(context) && !context.includes('$')) {
    const contextDir = inRepo(context);
    if (contextDir === undefined) return undefined;
    const dockerfile = dockerfileName.includes('$') ? undefined : path.posix.normalize(path.posix.join(contextDir, dockerfileName));
    if (contextDir !== '') return { dir: contextDir, from: `build context ${contextDir}`, ...(dockerfile ? { dockerfile } : {}) };
    const dockerfileDir = dockerfile ? path.posix.dirname(dockerfile) : '.';
    if (dockerfile && dockerfileDir !== '.' && isPackage(dockerfileDir)) return { dir: dockerfileDir, from: `Dockerfile ${dockerfile}`, dockerfile };
    const command = commandDir(files, service, isPackage);
    if (command) return { dir: command, from: `its command, which runs code in ${command}`, ...(dockerfile ? { dockerfile } : {}) };
    return undefined;
  }
  if (build !== undefined) return undefined;
  // an image with the project's code mounted: the mount that holds its working_dir
  const workingDir = service.get('working_dir');
  const volumes = service.get('volumes', true);
  if (typeof workingDir === 'string' && isSeq(volumes)) {
    for (const item of volumes.items) {
      if (!isScalar(item) || typeof item.value !== 'string') continue;
      const [host, target] = item.value.split(':');
      if (!host || !target || !/^\.{1,2}(\/|$)/.test(host)) continue;
      const hostDir = inRepo(host);
      if (hostDir === undefined) continue;
      const mount = target.replace(/\/+$/, '');
      if (workingDir !== mount && !workingDir.startsWith(`${mount}/`)) continue;
      const code = path.posix.normalize(path.posix.join(hostDir, path.posix.relative(mount, workingDir)));
      if (code !== '.' && code !== '' && !code.startsWith('..')) return { dir: code, from: `working_dir ${workingDir}, mounted from ${code}` };
    }
  }
  return undefined;
}

/** A service that builds the project's code, or an image with a directory of the repository mounted (not a database's or server's image). */
function runsProjectCode(service: import('yaml').YAMLMap): boolean {
  const build = service.get('build', true);
  if (build !== undefined && build !== null) return true;
  const image = service.get('image');
  if (typeof image === 'string' && serverImage(image)) return false;
  const volumes = service.get('volumes', true);
  if (!isSeq(volumes)) return false;
  return volumes.items.some((item) => {
    const written = isScalar(item) ? String(item.value) : isMap(item) && typeof item.get('source') === 'string' ? (item.get('source') as string) : '';
    return /^\.{1,2}(\/|:|$)/.test(written);
  });
}

/** A package directory (below the root) that a word of the service's command names: `node apps/worker/dist/main.js`. */
function commandDir(files: ProjectFiles, service: import('yaml').YAMLMap, isPackage: (dir: string) => boolean): string | undefined {
  const command = service.get('command', true);
  const words = isSeq(command) ? command.items.map((item) => (isScalar(item) ? String(item.value) : '')) : isScalar(command) && typeof command.value === 'string' ? command.value.split(/\s+/) : [];
  const found = new Set<string>();
  for (const word of words) {
    const cleaned = word.replace(/^\.\//, '').replace(/^["']|["']$/g, '');
    if (!cleaned.includes('/') || cleaned.startsWith('/') || cleaned.startsWith('..')) continue;
    const parts = cleaned.split('/');
    for (let n = parts.length - 1; n >= 1; n--) {
      const candidate = parts.slice(0, n).join('/');
      if (isPackage(candidate)) {
        found.add(candidate);
        break;
      }
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** `ENV NAME=value` / `ENV NAME value` in a Dockerfile: the last one, or 'unknown' for an interpolated value. */
function dockerfileValue(text: string, name: string, caseInsensitive: boolean): { value: string; line: number } | 'unknown' | undefined {
  let found: { value: string; line: number } | 'unknown' | undefined;
  const flags = caseInsensitive ? 'i' : '';
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const env = /^\s*ENV\s+(.*)$/i.exec(line);
    if (!env) return;
    // an instruction continued over lines (`ENV A=1 \` / `    B=2`)
    let rest = env[1]!.trim();
    for (let next = index + 1; /\\$/.test(rest) && next < lines.length; next++) rest = `${rest.slice(0, -1).trim()} ${lines[next]!.trim()}`;
    const legacy = new RegExp(`^${escape(name)}\\s+(.+)$`, flags).exec(rest);
    const values: string[] = [];
    if (legacy && !rest.includes('=')) values.push(unquote(legacy[1]!));
    for (const pair of rest.matchAll(new RegExp(`(?:^|\\s)${escape(name)}=("[^"]*"|'[^']*'|\\S+)`, `g${flags}`))) values.push(unquote(pair[1]!));
    for (const value of values) found = value.includes('$') ? 'unknown' : { value, line: index + 1 };
  });
  return found;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function unquote(text: string): string {
  const trimmed = text.trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}
