// What names a release of the code in a Python expression (a worker's task_queue), as
// version-names.ts reads TypeScript: an environment variable like VERSION / GIT_SHA / BUILD_ID read
// with os.environ[...], os.environ.get(...) or os.getenv(...), the installed package's version
// (importlib.metadata.version(...)), a variable or attribute named version, build_id, git_sha,
// commit_sha or __version__, or a semantic version written in a string. A module constant or a
// local assigned once is judged by what it holds (`VERSION = "v1"` never changes), a parameter or
// anything reassigned by its name. F-strings, concatenations and format calls are read through.

import { semverIn, VERSION_ENV, VERSION_NAME } from '../release-names.js';
import type { PythonNode } from './parse-python.js';
import { localValues, parameterOf } from './python-local-values.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, stringLiteral } from './python-syntax.js';

const ENVIRONMENT_READS = ['os.environ.get', 'os.getenv'];
const PACKAGE_VERSION = ['importlib.metadata.version', 'importlib_metadata.version'];
/** Code that runs later, not when the name is built. */
const DEFERRED = new Set(['lambda', 'function_definition', 'class_definition']);

/** What names a release in the expression (`os.environ["GIT_SHA"]`, `the version 1.2.0 written in the name`), if anything. */
export function pythonReleaseSource(node: PythonNode, file: string, modules: PythonModules, depth = 0): string | undefined {
  if (DEFERRED.has(node.type)) return undefined;
  switch (node.type) {
    case 'string_content': {
      const semver = semverIn(node.text);
      return semver ? `the version ${semver} written in the name` : undefined;
    }
    case 'subscript': {
      // os.environ["GIT_SHA"]
      const value = node.childForFieldName('value');
      const index = node.childForFieldName('subscript');
      if (value && index && modules.qualifiedName(file, value) === 'os.environ') {
        const env = stringLiteral(index);
        if (env !== undefined) return VERSION_ENV.test(env) ? `os.environ["${env}"]` : undefined;
      }
      break;
    }
    case 'call': {
      const callee = node.childForFieldName('function');
      const name = callee ? modules.qualifiedName(file, callee) : undefined;
      const args = callArguments(node);
      if (name && ENVIRONMENT_READS.includes(name)) {
        const env = args.positional[0] ? stringLiteral(args.positional[0]) : undefined;
        if (env !== undefined && VERSION_ENV.test(env)) return `${name}("${env}")`;
        // the default is what the name holds when the variable is unset
        const fallback = args.positional[1] ?? args.keywords.get('default');
        return fallback ? pythonReleaseSource(fallback, file, modules, depth) : undefined;
      }
      if (name && PACKAGE_VERSION.includes(name)) return `the installed package's version (${node.text})`;
      break;
    }
    case 'attribute': {
      const attribute = node.childForFieldName('attribute');
      if (attribute && releaseNamed(attribute.text)) return node.text;
      break;
    }
    case 'identifier':
      return identifierSource(node, file, modules, depth);
    case 'keyword_argument': {
      // `"q-{v}".format(v=VERSION)`: the value, not the keyword's name
      const value = node.childForFieldName('value');
      return value ? pythonReleaseSource(value, file, modules, depth) : undefined;
    }
  }
  for (const child of node.namedChildren) {
    if (!child) continue;
    // the attribute name of `a.b` is not a variable
    if (node.type === 'attribute' && child.id === node.childForFieldName('attribute')?.id) continue;
    const found = pythonReleaseSource(child, file, modules, depth);
    if (found) return found;
  }
  return undefined;
}

function identifierSource(identifier: PythonNode, file: string, modules: PythonModules, depth: number): string | undefined {
  if (!parameterOf(identifier)) {
    const locals = localValues(identifier, file);
    if (locals?.length === 1) return depth < 2 ? pythonReleaseSource(locals[0]!.node, locals[0]!.file, modules, depth + 1) : undefined;
    if (!locals) {
      const definition = modules.lookupAt(file, identifier.text, identifier);
      if (definition?.kind === 'assignment' && definition.value) return depth < 2 ? pythonReleaseSource(definition.value, definition.file, modules, depth + 1) : undefined;
      if (definition) return undefined;
    }
  }
  return releaseNamed(identifier.text) ? identifier.text : undefined;
}

/** `version`, `build_id`, `APP_VERSION`, `GIT_SHA`, `__version__`: snake_case and dunder names read like camelCase ones. */
function releaseNamed(name: string): boolean {
  return VERSION_NAME.test(name.replace(/^_+|_+$/g, '').replace(/_/g, ''));
}
