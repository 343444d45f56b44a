// activity-name-undefined over test/fixtures/python-name-undefined.
//
// activities.py: summarize reads make_store and make_llm (twice, once in a try whose except takes
// only ValueError), publish calls render, which reads escape_html; Converters.convert reads the
// class attribute `scale` bare, which a method cannot see. bound_everywhere binds every name it
// reads in every way Python has (and reads undefined_but_caught only inside `except NameError`);
// Id.short reads its class's type parameter T. not_an_activity is no activity. evaluator.py calls
// model.eval() and defines a class's __getattr__, neither of which binds module names: its
// evaluate reads score_of. workflows.py: the
// workflow's run method reads format_result. starred.py (star import), dynamic.py (globals()) and
// lazy.py (module __getattr__) are skipped whole. fallbacks.py: route reads json inside a try
// whose `except Exception` returns a fallback (and in a nested bare except), plan calls parse (yaml)
// inside `except BaseException`: reported as caught. rethrows' handler raises again: reported as a
// failure. delegate and branches read names only after code that returns or raises on every path
// (not reported); probes catches NameError by name (not reported); partly and inside_with read
// names a path does reach (a handler that passes, a with block that could swallow an exception).
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { PYTHON_BUILTIN_NAMES } from '../../../src/model/python/python-builtin-names.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-name-undefined');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('activity-name-undefined', () => {
  test('one error per activity or workflow with unbound reads; bound names and doubtful modules are not reported', () => {
    const found = findings.filter((f) => f.checkId === 'activity-name-undefined');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line} ${(f.data as { names: string[] }).names.join(',')}`).sort()).toEqual([
      'activity-name-undefined error app/activities.py:29 make_store,make_llm',
      'activity-name-undefined error app/activities.py:39 escape_html',
      'activity-name-undefined error app/activities.py:91 scale',
      'activity-name-undefined error app/evaluator.py:15 score_of',
      'activity-name-undefined error app/fallbacks.py:12 json',
      'activity-name-undefined error app/fallbacks.py:24 yaml',
      'activity-name-undefined error app/fallbacks.py:59 render_text',
      'activity-name-undefined error app/fallbacks.py:81 after_partial_try',
      'activity-name-undefined error app/fallbacks.py:88 after_with',
      'activity-name-undefined error app/workflows.py:14 format_result',
    ]);
    const summarize = found.find((f) => f.line === 29)!;
    expect(summarize.message).toBe(
      'activity summarize reads `make_store`, `make_llm`, but nothing binds these names where the code runs: the module neither defines nor imports them, and they are not a local, a parameter or a builtin. ' +
        'The line raises NameError whenever it runs, in every attempt: the retry policy retries a failure no retry can fix: forever when it sets no maximum_attempts; when it does, the workflow gets the activity failure once the attempts are spent. ' +
        'Every unbound read is listed (related locations).',
    );
    expect(summarize.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual(['app/activities.py:30 make_llm read in summarize', 'app/activities.py:34 make_llm read in summarize']);
    expect(summarize.fix).toBe('Import make_store, make_llm in this module (or define them), or use the names the module does have.');
    const helper = found.find((f) => f.line === 39)!;
    expect(helper.message).toContain('render(), which activity publish calls, reads `escape_html`');
    const workflow = found.find((f) => f.file === 'app/workflows.py')!;
    expect(workflow.message).toContain('workflow Summarize reads `format_result`');
    expect(workflow.message).toContain('the SDK fails the workflow task and the server retries it');
  });

  test('a NameError a broad handler takes is reported as a fallback that runs on every call', () => {
    const found = findings.filter((f) => f.checkId === 'activity-name-undefined' && f.file === 'app/fallbacks.py');
    const route = found.find((f) => f.line === 12)!;
    expect(route.message).toBe(
      'activity route reads `json`, but nothing binds that name where the code runs: the module neither defines nor imports it, and it is not a local, a parameter or a builtin. ' +
        "The line raises NameError whenever it runs, and `except Exception` (line 19) catches it, so it never shows as a failure: the activity takes that handler's fallback path on every call, and the code the try guards never does its work. " +
        'Every unbound read is listed (related locations).',
    );
    expect(route.message).not.toContain('retr');
    expect(route.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/fallbacks.py:15', 'app/fallbacks.py:17']);
    expect(found.find((f) => f.line === 24)!.message).toContain('parse(), which activity plan calls, reads `yaml`');
    expect(found.find((f) => f.line === 24)!.message).toContain('`except BaseException` (line 31) catches it');
    expect(found.find((f) => f.line === 59)!.message).toContain('the retry policy retries a failure no retry can fix');
    for (const name of ['new_flag', 'never_reached', 'optional_helper']) expect(found.some((f) => (f.data as { names: string[] }).names.includes(name))).toBe(false);
  });

  test('the builtin list is the interpreter\'s dir(builtins)', () => {
    for (const name of ['print', 'len', 'Exception', 'NameError', 'ExceptionGroup', 'aiter', 'anext', '__import__', 'PythonFinalizationError']) expect(PYTHON_BUILTIN_NAMES).toContain(name);
    expect(PYTHON_BUILTIN_NAMES).not.toContain('make_llm');
  });
});
