// Parses Python source with tree-sitter (WebAssembly, in process) without running it. The
// grammar is error-tolerant: a file with a syntax error still yields a tree, and its first error
// is reported so the rest of the file and of the project is still reviewed. Files that are not
// Python 3 or not UTF-8 are skipped with a reason rather than half-read.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

export type PythonNode = Node;

export interface ParsedPythonFile {
  file: string;
  text: string;
  tree: Tree;
  /** The first syntax error (1-based line), when the file does not parse cleanly. */
  syntaxError?: { line: number; message: string };
}

export type ParseOutcome = { kind: 'parsed'; parsed: ParsedPythonFile } | { kind: 'skipped'; file: string; reason: string };

let parserPromise: Promise<Parser> | undefined;

/**
 * The grammar's wasm ships inside the tree-sitter-python package; resolving it through Node's
 * resolver finds it next to this tool wherever npm installed it (a checkout, dist, a global install).
 */
export function pythonGrammarPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm');
}

/** One parser per process: loading the runtime and the grammar costs a few tens of milliseconds. */
export function pythonParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const language = await Language.load(fs.readFileSync(pythonGrammarPath()));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

/** A PEP 263 declaration other than UTF-8 (`# -*- coding: latin-1 -*-`) on line 1 or 2. */
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

export function parsePythonSource(parser: Parser, file: string, bytes: Uint8Array): ParseOutcome {
  // The declaration is ASCII, so it can be read before the encoding is known.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 400));
  for (const line of head.split('\n', 2)) {
    const coding = CODING.exec(line)?.[1]?.toLowerCase();
    if (coding && !/^(utf-?8|utf_8|utf-8-sig)$/.test(coding)) return { kind: 'skipped', file, reason: `declares the source encoding ${coding}, not UTF-8` };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { kind: 'skipped', file, reason: 'not UTF-8 (the Python 3 default source encoding)' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const tree = parser.parse(text);
  if (!tree) return { kind: 'skipped', file, reason: 'the parser gave up on it' };
  const python2 = python2Sign(tree.rootNode);
  if (python2) {
    tree.delete();
    return { kind: 'skipped', file, reason: `Python 2 source (${python2}); the Temporal SDK needs Python 3` };
  }
  const parsed: ParsedPythonFile = { file, text, tree };
  const error = firstError(tree.rootNode);
  if (error) parsed.syntaxError = error;
  return { kind: 'parsed', parsed };
}

export async function parsePythonFile(file: string): Promise<ParseOutcome> {
  const parser = await pythonParser();
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    return { kind: 'skipped', file, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  return parsePythonSource(parser, file, bytes);
}

/**
 * The grammar still accepts the Python 2 print and exec statements (and backquote repr) so it can
 * recover; in a file that otherwise parses, they are the surest sign of Python 2 source.
 */
function python2Sign(root: Node): string | undefined {
  const statements = root.descendantsOfType(['print_statement', 'exec_statement']);
  const first = statements.find((node): node is Node => node !== null);
  if (first) return `line ${first.startPosition.row + 1}: ${first.type === 'print_statement' ? 'print statement' : 'exec statement'}`;
  return undefined;
}

function firstError(root: Node): { line: number; message: string } | undefined {
  if (!root.hasError) return undefined;
  let found: Node | undefined;
  const visit = (node: Node): boolean => {
    if (node.isError || node.isMissing) {
      found = node;
      return true;
    }
    for (const child of node.children) if (child && child.hasError && visit(child)) return true;
    return false;
  };
  visit(root);
  if (!found) return { line: 1, message: 'invalid syntax' };
  const line = found.startPosition.row + 1;
  if (found.isMissing) return { line, message: `invalid syntax: missing ${found.type}` };
  const snippet = found.text.split('\n')[0]!.trim().slice(0, 40);
  return { line, message: `invalid syntax${snippet ? ` near '${snippet}'` : ''}` };
}
