import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin, { rules } from '../../src/eslint/index.js';
import { checks } from '../../src/checks/index.js';
import { DOCS_BASE_URL } from '../../src/engine/tool-info.js';
import { typedRuleTester, workflowFile } from './rule-tester.js';

const filename = workflowFile;
const ruleTester = typedRuleTester();

ruleTester.run('workflow-uses-unavailable-global', rules['workflow-uses-unavailable-global']!, {
  valid: [
    { filename, code: "import { sleep } from '@temporalio/workflow';\nexport async function wf() { await sleep(1000); }" },
    { filename, code: 'const fetch = (url: string) => url.length;\nexport function wf() { return fetch("x"); }' },
    { filename, code: "export function wf() { return process.env.NODE_ENV === 'production'; }" },
  ],
  invalid: [
    {
      filename,
      code: 'export async function wf() {\n  const url = process.env.API_URL;\n  setInterval(() => url, 1000);\n}',
      errors: [
        { messageId: 'unavailable', data: { name: 'process' }, line: 2, column: 15, endColumn: 22 },
        { messageId: 'unavailable', data: { name: 'setInterval' }, line: 3, column: 3, endColumn: 14 },
      ],
    },
  ],
});

ruleTester.run('workflow-uses-weakref', rules['workflow-uses-weakref']!, {
  valid: [{ filename, code: 'class WeakRef<T> { constructor(readonly value: T) {} }\nexport function wf() { return new WeakRef(1).value; }' }],
  invalid: [
    {
      filename,
      code: 'export function wf() {\n  const ref = new WeakRef({});\n  const registry = new FinalizationRegistry(() => {});\n  return [ref, registry];\n}',
      errors: [
        { messageId: 'weakref', data: { name: 'WeakRef' }, line: 2, column: 19 },
        { messageId: 'weakref', data: { name: 'FinalizationRegistry' }, line: 3, column: 24 },
      ],
    },
  ],
});

const failureImport = "import { ApplicationFailure } from '@temporalio/workflow';\n";
ruleTester.run('workflow-throws-plain-error', rules['workflow-throws-plain-error']!, {
  valid: [
    { filename, code: `${failureImport}export function wf() { throw ApplicationFailure.nonRetryable('no lines', 'InvalidOrder'); }` },
    { filename, code: "export function wf() { try { throw new Error('x'); } catch { return 1; } }" },
    {
      filename,
      code: "class InvalidOrder extends Error {}\nexport function wf() { throw new InvalidOrder('x'); }",
      options: [{ workflowFailureErrorTypes: ['InvalidOrder'] }],
    },
  ],
  invalid: [
    {
      filename,
      code: "export function wf() {\n  throw new Error('no lines');\n}",
      errors: [{ messageId: 'plain', data: { what: 'a plain Error', type: 'InvalidInput', listed: 'Error' }, line: 2, column: 9 }],
    },
    {
      filename,
      code: "class InvalidOrder extends Error {}\nexport function wf() { throw new InvalidOrder('x'); }",
      errors: [{ messageId: 'plain', data: { what: 'a plain InvalidOrder', type: 'InvalidOrder', listed: 'InvalidOrder' }, line: 2, column: 30 }],
    },
    {
      filename,
      code: "export function wf() { throw 'oops'; }",
      errors: [{ messageId: 'plain', data: { what: 'a value that is not an Error', type: 'InvalidInput', listed: 'Error' } }],
    },
    {
      // A try/catch in an outer function does not catch a throw inside a callback.
      filename,
      code: "export function wf() { try { return [1].map(() => { throw new Error('x'); }); } catch { return []; } }",
      errors: [{ messageId: 'plain', line: 1, column: 59 }],
    },
  ],
});

describe('temporal-preflight/eslint plugin', () => {
  it('describes each rule with the words and docs page of its check', () => {
    for (const [id, rule] of Object.entries(rules)) {
      const check = checks.find((c) => c.id === id)!;
      expect(rule.meta!.docs).toEqual({ description: check.description, recommended: true, url: `${DOCS_BASE_URL}${id}.md` });
    }
  });

  it('turns every rule on as an error for workflow files in the recommended config', () => {
    expect(plugin.configs.recommended!.rules).toEqual({
      'temporal-preflight/workflow-uses-unavailable-global': 'error',
      'temporal-preflight/workflow-uses-weakref': 'error',
      'temporal-preflight/workflow-throws-plain-error': 'error',
    });
    expect(plugin.meta!.name).toBe('temporal-preflight/eslint');
  });

  it('says the rules need type information when the parser gives none', () => {
    const linter = new Linter();
    expect(() =>
      linter.verify('export function wf() { return process.env.X; }', [{ plugins: { 'temporal-preflight': plugin }, rules: { 'temporal-preflight/workflow-uses-unavailable-global': 'error' } }], 'workflows.js'),
    ).toThrow(/workflow-uses-unavailable-global needs type information: use @typescript-eslint\/parser/);
  });
});
