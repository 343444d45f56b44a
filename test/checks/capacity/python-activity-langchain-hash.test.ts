// Python: an async def activity that calls a LangChain chat model synchronously (`chain.invoke`
// on `prompt | model`, `model.invoke` on a provider's Chat class, through with_structured_output),
// or hashes a whole file in a loop of reads (through a helper of a project object whose class is
// written on the constructor parameter), blocks the worker's event loop. `ainvoke`, a call handed
// to asyncio.to_thread, a fake model and a hash over in-memory data are left alone.
// activity-failure-returned: an except that logs and returns an empty default
// (`{"score": None, "categories": []}`) is a note, also when commented as meant; a quiet (info)
// log, or a value with a status field, is left alone.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-langchain-hash');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('activity-blocks-event-loop (LangChain, file hashing)', () => {
  it('reports the sync LangChain calls and the file hash, and nothing else', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-blocks-event-loop');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-blocks-event-loop warning scoring/activities.py:24',
      'activity-blocks-event-loop warning scoring/activities.py:40',
      'activity-blocks-event-loop warning scoring/storage.py:9',
    ]);
    const at = (file: string, line: number) => mine.find((f) => f.file === file && f.line === line)!.message;
    expect(at('scoring/activities.py', 24)).toContain('The async activity score calls LangChain chain.invoke, which blocks');
    expect(at('scoring/activities.py', 40)).toContain('The async activity summarize calls LangChain model.invoke, which blocks');
    expect(at('scoring/storage.py', 9)).toContain('The async activity checksum calls hashlib.md5 over a whole file (through a helper it calls), which blocks');
    expect(mine[0]!.fix).toContain('ainvoke');
  });
});

describe('activity-failure-returned (log and return an empty default)', () => {
  it('reports the empty default as a note, not the quiet log nor the value with a status', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-failure-returned' || f.checkId === 'activity-failure-swallowed');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-failure-returned info scoring/activities.py:63',
      'activity-failure-returned info scoring/activities.py:91',
    ]);
    expect(mine[0]!.message).toContain(
      'Activity fit_score catches every exception of chain.invoke(...) (run by asyncio.to_thread) (scoring/activities.py:59), logs it and returns the empty default {"score": None, "categories": []}: the value carries no sign of the failure',
    );
    // Commented as meant: still a note, about the retries the fallback skips.
    expect(mine[1]!.message).toContain('the comment says the fallback is meant, but it is taken at the first error, a transient one included');
  });
});
