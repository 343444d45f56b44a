// Python: an activity that returns raw pymongo documents (find / find_one / aggregate, directly,
// through list(...), a cursor chain, a comprehension that keeps each document, or a variable) fails
// on every attempt: the default payload converter cannot write their bson ObjectId `_id`. Left
// alone: a projection that drops `_id` or is not a literal, a pipeline whose stages replace or drop
// `_id` (a $group by another key, $project of `_id`, a pipeline built up in code), code that converts
// or pops `_id`, documents mapped to a model or handed to a helper, a collection the review cannot
// follow to MongoClient, and a project with its own data_converter.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { review } from '../../../src/review.js';

const fixture = (name: string) => path.resolve(import.meta.dirname, '..', '..', 'fixtures', name);

describe('payload-type-not-serializable (Python, MongoDB documents)', () => {
  it('reports each activity that returns raw pymongo documents, at its return', async () => {
    const { findings } = await review({ dir: fixture('python-mongo-documents-returned'), config: undefined });
    const mine = findings.filter((f) => f.checkId === 'payload-type-not-serializable');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'payload-type-not-serializable warning activities.py:17',
      'payload-type-not-serializable warning activities.py:23',
      'payload-type-not-serializable warning activities.py:37',
      'payload-type-not-serializable warning activities.py:42',
    ]);
    const aggregate = mine.find((f) => f.line === 37)!;
    expect(aggregate.message).toContain('The activity latest_per_customer returns the documents of a pymongo aggregate()');
    expect(aggregate.message).toContain('ObjectId');
    expect(aggregate.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual(['activities.py:34 the aggregate() whose documents are returned']);
    expect(mine.find((f) => f.line === 23)!.related?.map((r) => r.line)).toEqual([22]);
    expect(aggregate.fix).toContain('{"_id": 0}');
  });

  it('says nothing when the project passes its own data_converter', async () => {
    const { findings } = await review({ dir: fixture('python-mongo-documents-converter'), config: undefined });
    expect(findings.filter((f) => f.checkId === 'payload-type-not-serializable')).toEqual([]);
  });
});

describe('payload-type-not-serializable (Python, MongoDB documents of an async client)', () => {
  it('reports activities returning what an AsyncMongoClient or motor collection gives when awaited', async () => {
    const { findings } = await review({ dir: fixture('python-mongo-documents-async'), config: undefined });
    const mine = findings.filter((f) => f.checkId === 'payload-type-not-serializable');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'payload-type-not-serializable warning activities.py:12',
      'payload-type-not-serializable warning activities.py:18',
      'payload-type-not-serializable warning activities.py:25',
      'payload-type-not-serializable warning activities.py:30',
    ]);
    expect(mine[0]!.message).toContain("The activity latest_order returns the documents of an async MongoDB client's (AsyncMongoClient, motor) find_one()");
    expect(mine[1]!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual(['activities.py:17 the find() whose documents are returned']);
    expect(mine[2]!.related?.map((r) => r.line)).toEqual([23]);
    // Awaited, an async client's queries do not block the worker's event loop.
    expect(findings.filter((f) => f.checkId === 'activity-blocks-event-loop')).toEqual([]);
  });
});
