import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { moduleRequestsOf } from '../../../src/model/typescript/sandbox/module-requests.js';

/** A one-file program in memory (no lib files: the test is about imports, not types). */
function requestsOf(code: string, fileName = '/project/workflows.ts'): { specifier: string; retained: boolean }[] {
  const options = { noLib: true, allowJs: true, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 };
  const host = ts.createCompilerHost(options);
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, true);
  host.getSourceFile = (name) => (name === fileName ? sourceFile : undefined);
  host.fileExists = (name) => name === fileName;
  const program = ts.createProgram([fileName], options, host);
  const checker = fileName.endsWith('.ts') ? program.getTypeChecker() : undefined;
  return moduleRequestsOf(program.getSourceFile(fileName)!, checker).map(({ specifier, retained }) => ({ specifier, retained }));
}

describe('moduleRequestsOf: what the bundler keeps', () => {
  it('drops import type and imports whose bindings are only used as types', () => {
    const code = [
      "import type * as a from './a';",
      "import * as b from './b';",
      "import { type C } from './c';",
      "import { D } from './d';",
      "import './e';",
      'let x: typeof b | D | C | typeof a;',
    ].join('\n');
    expect(requestsOf(code)).toEqual([
      { specifier: './a', retained: false },
      { specifier: './b', retained: false },
      { specifier: './c', retained: false },
      { specifier: './d', retained: false },
      { specifier: './e', retained: true },
    ]);
  });

  it('keeps imports used as values: calls, shorthand properties, class extends, re-exports', () => {
    const code = [
      "import { call } from './call';",
      "import { short } from './short';",
      "import { Base } from './base';",
      "import { again } from './again';",
      "import { shadowed } from './shadowed';",
      'call();',
      'const o = { short };',
      'class K extends Base {}',
      'export { again };',
      'function f(shadowed: number) { return shadowed; }',
    ].join('\n');
    expect(requestsOf(code)).toEqual([
      { specifier: './call', retained: true },
      { specifier: './short', retained: true },
      { specifier: './base', retained: true },
      { specifier: './again', retained: true },
      { specifier: './shadowed', retained: false },
    ]);
  });

  it('reads re-exports, literal require/import() calls, and skips webpackIgnore probes', () => {
    const code = [
      "export * from './all';",
      "export type { T } from './types';",
      "const m = require('./cjs');",
      "const r = require.resolve('./resolved');",
      "const lazy = import('./lazy');",
      "const probe = require(/* webpackIgnore: true */ 'fs');",
      'const dynamic = require(m);',
    ].join('\n');
    expect(requestsOf(code)).toEqual([
      { specifier: './all', retained: true },
      { specifier: './types', retained: false },
      { specifier: './cjs', retained: true },
      { specifier: './resolved', retained: true },
      { specifier: './lazy', retained: true },
    ]);
  });

  it('keeps every import of a JavaScript file (no type erasure there)', () => {
    expect(requestsOf("import { unused } from './unused';", '/project/lib.js')).toEqual([{ specifier: './unused', retained: true }]);
  });
});
