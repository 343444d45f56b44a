// Positions and text of nodes, in the 1-based form findings use. Generic helpers that checks
// call instead of touching the compiler API themselves.

import path from 'node:path';
import ts from 'typescript';
import type { SourceLocation } from './types.js';

/** 1-based location of the first token of a node. */
export function locate(node: ts.Node): SourceLocation {
  const sourceFile = node.getSourceFile();
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return { file: sourceFile.fileName, line: line + 1, column: character + 1 };
}

/** 1-based location of a character offset in a file. */
export function locateOffset(sourceFile: ts.SourceFile, offset: number): SourceLocation {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(offset);
  return { file: sourceFile.fileName, line: line + 1, column: character + 1 };
}

/** The source text of a node, without leading trivia. */
export function nodeText(node: ts.Node): string {
  return node.getText(node.getSourceFile());
}

/** The first line of a node's text, shortened: for messages that quote code. */
export function nodeSnippet(node: ts.Node, maxLength = 80): string {
  const firstLine = nodeText(node).split('\n')[0]!.trim();
  return firstLine.length > maxLength ? `${firstLine.slice(0, maxLength - 3)}...` : firstLine;
}

/**
 * A path relative to root with forward slashes (how findings and reports name files): with ../
 * when the file lies outside root, absolute only across drives, so reports carry no absolute paths.
 */
export function relativePath(root: string, file: string): string {
  const rel = path.relative(root, file);
  return (path.isAbsolute(rel) ? file : rel).split(path.sep).join('/');
}

/** Stable id of a place in the code: `<relative file>:<line>:<column>`. */
export function relativeId(root: string, location: SourceLocation): string {
  return `${relativePath(root, location.file)}:${location.line}:${location.column}`;
}
