// The TypeScript program behind a file ESLint lints, from @typescript-eslint/parser's services.
// The rules hand its nodes and checker to the same model helpers the `check` command uses, so the
// editor and the CI report agree.

import type { Rule } from 'eslint';
import type ts from 'typescript';

export interface TypeServices {
  checker: ts.TypeChecker;
  sourceFile: ts.SourceFile;
  /** The TypeScript node behind an ESTree node. */
  tsNode(node: unknown): ts.Node | undefined;
}

interface ParserServices {
  program?: ts.Program | null;
  esTreeNodeToTSNodeMap?: { get(node: unknown): ts.Node | undefined };
}

export function typeServices(context: Rule.RuleContext): TypeServices {
  const services = context.sourceCode.parserServices as ParserServices | undefined;
  const program = services?.program;
  const map = services?.esTreeNodeToTSNodeMap;
  if (!program || !map) {
    throw new Error(
      `temporal-preflight/${context.id.replace(/^.*\//, '')} needs type information: use @typescript-eslint/parser with ` +
        'parserOptions.projectService (or parserOptions.project); see docs/eslint.md',
    );
  }
  const sourceFile = map.get(context.sourceCode.ast) as ts.SourceFile | undefined;
  if (!sourceFile) throw new Error(`temporal-preflight: no TypeScript source for ${context.filename}`);
  return { checker: program.getTypeChecker(), sourceFile, tsNode: (node) => map.get(node) };
}

/** An ESLint location from the 1-based line and column the model helpers return. */
export function eslintLocation(line: number, column: number, length: number): { start: { line: number; column: number }; end: { line: number; column: number } } {
  return { start: { line, column: column - 1 }, end: { line, column: column - 1 + length } };
}
