// One construct the model cannot handle must not end the review: its extraction failure becomes
// a diagnostic naming the place, and the rest of the code base is still modelled.

import ts from 'typescript';
import type { Diagnostic } from '../../engine/types.js';
import { locate, relativePath } from './locate.js';

export type ExtractionFailure = (node: ts.Node, what: string, error: unknown) => void;

export function reportFailuresTo(root: string, diagnostics: Diagnostic[]): ExtractionFailure {
  return (node, what, error) => {
    const location = locate(node);
    const file = relativePath(root, location.file);
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    diagnostics.push({ kind: 'note', file, line: location.line, message: `${file}:${location.line}: could not model ${what} (${reason})` });
  };
}

/** Extracts each item, leaving out (and reporting) the ones whose extraction throws. */
export function extractEach<T, R>(items: readonly T[], nodeOf: (item: T) => ts.Node, what: string, onFailure: ExtractionFailure, extract: (item: T) => R): R[] {
  const results: R[] = [];
  for (const item of items) {
    try {
      results.push(extract(item));
    } catch (error) {
      onFailure(nodeOf(item), what, error);
    }
  }
  return results;
}
