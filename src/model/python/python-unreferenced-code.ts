// Private functions and methods of Python workflow and activity modules that nothing in the project
// refers to: `def _helper(...)` or `async def _handle(self, ...)` whose name appears nowhere else, so
// no run reaches the code inside. Findings that sit there are notes (src/engine/unrun-findings.ts),
// as in TypeScript's unrun code (src/model/typescript/unrun-code.ts).
//
// Narrow on purpose: only names with a leading underscore (private by convention, so no caller
// outside the project), not dunders, not decorated (a decorator may register the function:
// @workflow.signal, @activity.defn, @app.route), and not methods of a class with a base class (a
// framework base may call `_run` by convention). References are found by text: every occurrence of
// the name as a word in any reviewed or test file counts (a call, `self._x` passed as a callback,
// an import, a string for getattr, a comment), except the definition's own name and occurrences
// inside code that is itself unreferenced. A file that reads attributes by a computed name
// (`getattr(self, f"_on_{kind}")`) keeps all its private functions. A wrong "nothing calls it"
// would hide a real finding; a missed one only leaves the finding as it was.

import fs from 'node:fs';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { decoratorsOf, namedChildrenOf } from './python-syntax.js';

export interface UnreferencedFunction {
  /** The function's name. */
  name: string;
  file: string;
  /** First and last line of the definition (1-based). */
  start: number;
  end: number;
}

/** getattr / hasattr whose attribute name is not a plain string literal. */
const COMPUTED_ATTRIBUTE = /\b(?:getattr|hasattr)\(\s*[^,()]+,(?!\s*(?:'[^'\\\n]*'|"[^"\\\n]*")\s*[,)])/;

/** Base classes that call no method by name. */
const PLAIN_BASES = new Set(['object', 'ABC', 'abc.ABC']);

interface Candidate extends UnreferencedFunction {
  /** The line of the name (1-based): `def <name>` there is the definition itself. */
  nameLine: number;
}

/**
 * `files` are the workflow and activity modules whose private functions are judged; `allFiles` the
 * reviewed files (parsed, in `modules`) and `otherFiles` (test code and files not parsed, read as
 * text) where references are looked for too.
 */
export function pythonUnreferencedFunctions(files: string[], allFiles: string[], otherFiles: string[], modules: PythonModules): UnreferencedFunction[] {
  const candidates: Candidate[] = [];
  for (const file of files) {
    const parsed = modules.files.get(file);
    if (!parsed || parsed.syntaxError || COMPUTED_ATTRIBUTE.test(parsed.text)) continue;
    const visit = (node: PythonNode): void => {
      for (const child of namedChildrenOf(node)) {
        if (child.type === 'function_definition') {
          const candidate = candidateOf(file, child);
          if (candidate) candidates.push(candidate);
        }
        // methods of a class with a base class are left alone, and so is whatever they nest
        if (child.type === 'class_definition' && !plainClass(child)) continue;
        visit(child);
      }
    };
    visit(parsed.tree.rootNode);
  }
  if (candidates.length === 0) return [];
  const texts: { file: string; text: string }[] = [];
  for (const file of allFiles) {
    const text = modules.files.get(file)?.text;
    if (text !== undefined) texts.push({ file, text });
  }
  for (const file of otherFiles) {
    try {
      texts.push({ file, text: fs.readFileSync(file, 'utf8') });
    } catch {
      // a file that cannot be read refers to nothing we can see
    }
  }
  // Each candidate's references (file, offset), the definition's own name left out.
  const references = new Map<Candidate, { file: string; index: number }[]>();
  for (const candidate of candidates) {
    const found: { file: string; index: number }[] = [];
    const word = new RegExp(`(?<![\\w])${candidate.name.replace(/[^\w]/g, '')}(?![\\w])`, 'g');
    for (const { file, text } of texts) {
      if (!text.includes(candidate.name)) continue;
      for (const match of text.matchAll(word)) {
        found.push({ file, index: match.index });
      }
    }
    references.set(candidate, found);
  }
  const lineOf = lineIndex(texts);
  for (const [candidate, found] of references) {
    const own = found.findIndex((reference) => {
      if (reference.file !== candidate.file || lineOf(reference.file, reference.index) !== candidate.nameLine) return false;
      const text = texts.find((t) => t.file === reference.file)!.text;
      return /\bdef\s+$/.test(text.slice(Math.max(0, reference.index - 20), reference.index));
    });
    if (own !== -1) found.splice(own, 1);
  }
  // Unreferenced: every reference sits inside unreferenced code (its own body included). Start
  // from "all dead" and revive what a live reference reaches, until nothing changes.
  const dead = new Set(candidates);
  let changed = true;
  while (changed) {
    changed = false;
    for (const candidate of dead) {
      const live = references.get(candidate)!.some((reference) => {
        const line = lineOf(reference.file, reference.index);
        return ![...dead].some((other) => other.file === reference.file && line >= other.start && line <= other.end);
      });
      if (live) {
        dead.delete(candidate);
        changed = true;
      }
    }
  }
  return [...dead].map(({ nameLine: _line, ...fn }) => fn);
}

function candidateOf(file: string, fn: PythonNode): Candidate | undefined {
  const nameNode = fn.childForFieldName('name');
  const name = nameNode?.text;
  if (!nameNode || !name || !/^_\w*[A-Za-z0-9]\w*$/.test(name) || /^__\w+__$/.test(name)) return undefined;
  if (decoratorsOf(fn).length > 0) return undefined;
  return { name, file, start: fn.startPosition.row + 1, end: fn.endPosition.row + 1, nameLine: nameNode.startPosition.row + 1 };
}

function plainClass(classNode: PythonNode): boolean {
  const bases = classNode.childForFieldName('superclasses');
  if (!bases) return true;
  return namedChildrenOf(bases).every((base) => PLAIN_BASES.has(base.text));
}

function lineIndex(texts: { file: string; text: string }[]): (file: string, index: number) => number {
  const starts = new Map<string, number[]>();
  for (const { file, text } of texts) {
    const lines = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines.push(i + 1);
    starts.set(file, lines);
  }
  return (file, index) => {
    const lines = starts.get(file) ?? [0];
    let low = 0;
    let high = lines.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lines[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}
