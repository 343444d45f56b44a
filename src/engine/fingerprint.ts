// Fingerprints: a stable name for a finding that survives moved lines and unrelated edits, so a
// baseline (check --baseline) and code scanning (SARIF partialFingerprints) recognise the same
// defect from one run to the next. Like code-scanning tools, the recipe hashes what the defect is
// and where it lives in the code's structure, never its line number:
//   check id + file + enclosing symbol (Class.method, the workflow or activity function, the
//   variable a proxy is assigned to) + the flagged line's text with whitespace removed.
// Findings without a readable line (project-wide, history evidence) hash their message with the
// numbers taken out instead (sizes and counts change from run to run; the defect does not).
// Identical keys are told apart by their order in the file (":1", ":2").

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import type { Finding } from './types.js';

/** Bump when the recipe changes, so fingerprints of two recipes are never compared. */
export const FINGERPRINT_VERSION = 'temporalPreflight/v2';

/** The parsed source of a reviewed file (from the model when it has it), or undefined. */
export type SourceLookup = (file: string) => ts.SourceFile | undefined;

const SCRIPT_EXTENSION = /\.(?:[cm]?[jt]sx?)$/;

/**
 * Fingerprints for findings in their report order. `root` is the reviewed directory; `source`
 * gives the model's SourceFile for an absolute path, files outside the model are read and parsed
 * here (and non-script files give their line text but no symbol).
 */
export function fingerprintFindings(findings: readonly Finding[], root?: string, source: SourceLookup = () => undefined): string[] {
  const files = new Map<string, FileText | undefined>();
  const textOf = (file: string): FileText | undefined => {
    if (!root) return undefined;
    const absolute = path.resolve(root, file);
    if (!files.has(absolute)) files.set(absolute, readFileText(absolute, source));
    return files.get(absolute);
  };
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const key = fingerprintKey(finding, finding.file && finding.line ? textOf(finding.file) : undefined);
    const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return `${hash}:${occurrence}`;
  });
}

interface FileText {
  lines: string[];
  sourceFile?: ts.SourceFile;
}

function fingerprintKey(finding: Finding, text: FileText | undefined): string {
  const flagged = finding.line ? text?.lines[finding.line - 1] : undefined;
  if (flagged === undefined || !finding.line) {
    return [finding.checkId, finding.file ?? '', '', finding.message.replace(/\d+(?:[.,]\d+)*/g, '#')].join('\0');
  }
  const symbol = text?.sourceFile ? enclosingSymbol(text.sourceFile, finding.line, finding.column ?? 1) : '';
  return [finding.checkId, finding.file ?? '', symbol, flagged.replace(/\s+/g, '')].join('\0');
}

function readFileText(absolute: string, source: SourceLookup): FileText | undefined {
  const fromModel = source(absolute);
  if (fromModel) return { lines: fromModel.text.split(/\r?\n/), sourceFile: fromModel };
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch {
    return undefined;
  }
  const sourceFile = SCRIPT_EXTENSION.test(absolute) ? ts.createSourceFile(absolute, text, ts.ScriptTarget.Latest, false) : undefined;
  return { lines: text.split(/\r?\n/), ...(sourceFile ? { sourceFile } : {}) };
}

/** The dotted names of the declarations around a 1-based position, outermost first. */
export function enclosingSymbol(sourceFile: ts.SourceFile, line: number, column: number): string {
  const lineStarts = sourceFile.getLineStarts();
  if (line - 1 >= lineStarts.length) return '';
  const position = Math.min(lineStarts[line - 1]! + column - 1, sourceFile.end);
  const names: string[] = [];
  let node: ts.Node = sourceFile;
  for (;;) {
    const child: ts.Node | undefined = node.forEachChild((c) => (c.pos <= position && position < c.end ? c : undefined));
    if (!child) break;
    const name = declarationName(child);
    if (name) names.push(name);
    node = child;
  }
  return names.join('.');
}

function declarationName(node: ts.Node): string | undefined {
  if (
    ts.isFunctionDeclaration(node) ||
    ts.isClassDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isVariableDeclaration(node) ||
    ts.isPropertyAssignment(node) ||
    ts.isPropertyDeclaration(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isTypeAliasDeclaration(node) ||
    ts.isModuleDeclaration(node) ||
    ts.isEnumDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  ) {
    const name = node.name;
    if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name))) return name.text;
  }
  return undefined;
}
