// 1-based location of a node in a source file the reviewer parsed itself (node_modules files are
// not part of the model's programs, so the model's locate() cannot place them).

import type ts from 'typescript';
import type { SourceLocation } from '../types.js';

export function nodeLocation(sourceFile: ts.SourceFile, node: ts.Node): SourceLocation {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return { file: sourceFile.fileName, line: line + 1, column: character + 1 };
}
