// The installed packages a Python project imports (anthropic, httpx, asyncpg): the top-level
// names of every import, at module level or inside a function, that is neither the standard
// library, temporalio, nor a module of the project. The exceptions those packages raise reach the
// activities through calls the review does not follow into the package, so a retry policy may
// name them (non_retryable_error_types=["RateLimitError"]) with nothing in the project raising them.

import path from 'node:path';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { moduleStatements, namedChildrenOf } from './python-syntax.js';

/** Python's standard library modules (sys.stdlib_module_names, private ones left out). */
const STANDARD_LIBRARY = new Set([
  'abc', 'aifc', 'antigravity', 'argparse', 'array', 'ast', 'asynchat', 'asyncio', 'asyncore', 'atexit',
  'audioop', 'base64', 'bdb', 'binascii', 'bisect', 'builtins', 'bz2', 'cProfile', 'calendar', 'cgi', 'cgitb',
  'chunk', 'cmath', 'cmd', 'code', 'codecs', 'codeop', 'collections', 'colorsys', 'compileall', 'concurrent',
  'configparser', 'contextlib', 'contextvars', 'copy', 'copyreg', 'crypt', 'csv', 'ctypes', 'curses',
  'dataclasses', 'datetime', 'dbm', 'decimal', 'difflib', 'dis', 'distutils', 'doctest', 'email', 'encodings',
  'ensurepip', 'enum', 'errno', 'faulthandler', 'fcntl', 'filecmp', 'fileinput', 'fnmatch', 'fractions',
  'ftplib', 'functools', 'gc', 'genericpath', 'getopt', 'getpass', 'gettext', 'glob', 'graphlib', 'grp',
  'gzip', 'hashlib', 'heapq', 'hmac', 'html', 'http', 'idlelib', 'imaplib', 'imghdr', 'imp', 'importlib',
  'inspect', 'io', 'ipaddress', 'itertools', 'json', 'keyword', 'lib2to3', 'linecache', 'locale', 'logging',
  'lzma', 'mailbox', 'mailcap', 'marshal', 'math', 'mimetypes', 'mmap', 'modulefinder', 'msilib', 'msvcrt',
  'multiprocessing', 'netrc', 'nis', 'nntplib', 'nt', 'ntpath', 'nturl2path', 'numbers', 'opcode', 'operator',
  'optparse', 'os', 'ossaudiodev', 'pathlib', 'pdb', 'pickle', 'pickletools', 'pipes', 'pkgutil', 'platform',
  'plistlib', 'poplib', 'posix', 'posixpath', 'pprint', 'profile', 'pstats', 'pty', 'pwd', 'py_compile',
  'pyclbr', 'pydoc', 'pydoc_data', 'pyexpat', 'queue', 'quopri', 'random', 're', 'readline', 'reprlib',
  'resource', 'rlcompleter', 'runpy', 'sched', 'secrets', 'select', 'selectors', 'shelve', 'shlex', 'shutil',
  'signal', 'site', 'smtpd', 'smtplib', 'sndhdr', 'socket', 'socketserver', 'spwd', 'sqlite3', 'sre_compile',
  'sre_constants', 'sre_parse', 'ssl', 'stat', 'statistics', 'string', 'stringprep', 'struct', 'subprocess',
  'sunau', 'symtable', 'sys', 'sysconfig', 'syslog', 'tabnanny', 'tarfile', 'telnetlib', 'tempfile', 'termios',
  'textwrap', 'this', 'threading', 'time', 'timeit', 'tkinter', 'token', 'tokenize', 'tomllib', 'trace',
  'traceback', 'tracemalloc', 'tty', 'turtle', 'turtledemo', 'types', 'typing', 'unicodedata', 'unittest',
  'urllib', 'uu', 'uuid', 'venv', 'warnings', 'wave', 'weakref', 'webbrowser', 'winreg', 'winsound', 'wsgiref',
  'xdrlib', 'xml', 'xmlrpc', 'zipapp', 'zipfile', 'zipimport', 'zlib', 'zoneinfo',
  // not in the standard library, but not a package either
  '__future__',
]);

/**
 * The sorted top-level names of the modules the files import, temporalio and the project's own
 * modules left out: installed packages, and the standard library's modules apart.
 */
export function pythonImportedPackages(root: string, files: string[], modules: PythonModules): { packages: string[]; standard: string[]; projectClasses: string[] } {
  // The project's top-level directories and modules (and those of a src/ layout) are its own even
  // when an import of them does not resolve.
  const own = new Set<string>();
  for (const file of files) {
    const parts = path.relative(root, file).split(path.sep).map((part) => part.replace(/\.py$/, ''));
    own.add(parts[0]!);
    if (parts[0] === 'src' && parts[1]) own.add(parts[1]);
  }
  const packages = new Set<string>();
  const standard = new Set<string>();
  const note = (dotted: string | undefined, resolved: boolean) => {
    if (!dotted || dotted.startsWith('.') || resolved) return;
    const head = dotted.split('.')[0]!;
    if (!head || head === 'temporalio' || own.has(head)) return;
    (STANDARD_LIBRARY.has(head) ? standard : packages).add(head);
  };
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root) continue;
    // An import the project's modules resolve (a file of the project) is the project's own.
    const resolves = (alias: string | undefined, at: PythonNode) => alias !== undefined && modules.importBindingAt(file, alias, at)?.file !== undefined;
    const visit = (node: PythonNode) => {
      if (node.type === 'import_statement') {
        for (const item of namedChildrenOf(node)) {
          const dotted = item.type === 'aliased_import' ? item.childForFieldName('name')?.text : item.text;
          const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : dotted?.split('.')[0];
          note(dotted, resolves(alias, node));
        }
        return;
      }
      if (node.type === 'import_from_statement') {
        const moduleNode = node.childForFieldName('module_name');
        if (!moduleNode || moduleNode.type === 'relative_import') return;
        const item = node.childrenForFieldName('name').find((child) => child !== null);
        const alias = item ? (item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : item.text) : undefined;
        note(moduleNode.text, resolves(alias, node));
        return;
      }
      for (const child of namedChildrenOf(node)) visit(child);
    };
    visit(root);
  }
  return { packages: [...packages].sort(), standard: [...standard].sort(), projectClasses: projectClasses(files, modules) };
}

/** The names of the classes the project defines at module level. */
function projectClasses(files: string[], modules: PythonModules): string[] {
  const names = new Set<string>();
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root) continue;
    for (const statement of moduleStatements(root)) {
      const name = statement.type === 'class_definition' ? statement.childForFieldName('name')?.text : undefined;
      if (name) names.add(name);
    }
  }
  return [...names].sort();
}
