import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import type { Diagnostic } from '../../src/engine/types.js';
import { extractEach, reportFailuresTo } from '../../src/model/typescript/extraction-guard.js';

describe('extraction guard', () => {
  test('reports a construct whose extraction throws and keeps the others', () => {
    const sourceFile = ts.createSourceFile('/project/src/a.ts', 'first();\nsecond();\n', ts.ScriptTarget.ES2022, true);
    const calls = sourceFile.statements.map((s) => (s as ts.ExpressionStatement).expression as ts.CallExpression);
    const diagnostics: Diagnostic[] = [];
    const names = extractEach(calls, (call) => call, 'a call', reportFailuresTo('/project', diagnostics), (call) => {
      if (call.expression.getText() === 'first') throw new Error('unexpected shape\nstack');
      return call.expression.getText();
    });
    expect(names).toEqual(['second']);
    expect(diagnostics).toEqual([{ kind: 'note', file: 'src/a.ts', line: 1, message: 'src/a.ts:1: could not model a call (unexpected shape)' }]);
  });
});
