import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildPythonModel } from '../../../src/model/python/build-python-model.js';

// A directory of modules without __init__.py is a namespace package (PEP 420): Python imports
// `from .activities.mail import send` from it, so the review must too.
const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-namespace-packages');

describe('Python namespace packages', () => {
  test('imports through directories without __init__.py resolve, with no unresolved-import diagnostic', async () => {
    const { model, diagnostics } = await buildPythonModel({ root });
    expect(diagnostics.filter((d) => d.kind === 'unresolved-import')).toEqual([]);
    expect(model.workers).toHaveLength(1);
    expect([...(model.workers[0]!.activityNames as string[])].sort()).toEqual(['record_bounce', 'send_mail']);
    expect(model.activities.map((a) => a.name).sort()).toEqual(['record_bounce', 'send_mail']);
  });

  test('a module that is missing from a namespace package is still reported', async () => {
    const { diagnostics } = await buildPythonModel({ root: path.join(root, '..', 'python-model') });
    expect(diagnostics.map((d) => d.message)).toEqual(["src/shop/worker.py:9: cannot find module 'shop.missing'"]);
  });
});
