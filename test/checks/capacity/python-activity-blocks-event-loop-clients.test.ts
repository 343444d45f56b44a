// Python: an async def activity that uses the synchronous client of a library that also ships an
// async one (pymongo, redis, qdrant, OpenAI, Anthropic, Elasticsearch, neo4j, SQLAlchemy sessions,
// psycopg) is reported when the review can follow the client to where it is built: a module-level
// singleton it imports, by name or through its module (also one filled in lazily through
// `global`), a project function that returns it (also through @lru_cache), an attribute set in the
// activity class's __init__ (or a property that builds it lazily), an object a singleton
// classmethod hands back, or the method of a module-level object the activity calls. Async
// clients, calls handed to asyncio.to_thread / run_in_executor, a sync def activity, a project
// object or parameter of the same name, a factory that returns two different things, and an
// attribute also set from a parameter are left alone.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-activity-blocks-event-loop-clients');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('activity-blocks-event-loop (Python sync clients built elsewhere)', () => {
  it('reports each async activity that calls a sync client, at the call, and nothing else', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-blocks-event-loop');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'activity-blocks-event-loop warning store/activities.py:28',
      'activity-blocks-event-loop warning store/activities.py:33',
      'activity-blocks-event-loop warning store/activities.py:39',
      'activity-blocks-event-loop warning store/activities.py:44',
      'activity-blocks-event-loop warning store/activities.py:55',
      'activity-blocks-event-loop warning store/activities.py:61',
      'activity-blocks-event-loop warning store/activities.py:66',
      'activity-blocks-event-loop warning store/activities.py:72',
      'activity-blocks-event-loop warning store/activities.py:145',
      'activity-blocks-event-loop warning store/activities.py:150',
      'activity-blocks-event-loop warning store/db.py:47',
      'activity-blocks-event-loop warning store/search.py:15',
      'activity-blocks-event-loop warning store/search.py:40',
      'activity-blocks-event-loop warning store/service.py:15',
    ]);
  });

  it('names the client and the method it calls', () => {
    const mine = findings.filter((f) => f.checkId === 'activity-blocks-event-loop');
    const at = (file: string, line: number) => mine.find((f) => f.file === file && f.line === line)!.message;
    expect(at('store/activities.py', 28)).toContain('The async activity save_order calls pymongo.MongoClient["shop"]["orders"].insert_one, which blocks');
    expect(at('store/activities.py', 33)).toContain('remember_order calls redis.Redis.set');
    expect(at('store/activities.py', 39)).toContain('count_orders calls pymongo.MongoClient.shop.orders.count_documents');
    expect(at('store/activities.py', 44)).toContain('find_order calls pymongo.MongoClient["shop"]["orders"].find_one');
    expect(at('store/activities.py', 55)).toContain('link_customer calls neo4j session.run');
    expect(at('store/activities.py', 61)).toContain('total_revenue calls sqlalchemy Session.execute');
    expect(at('store/activities.py', 66)).toContain('archive_order calls psycopg.connect');
    expect(at('store/activities.py', 72)).toContain('index_order calls elasticsearch.Elasticsearch.index');
    expect(at('store/activities.py', 150)).toContain('forget_order calls pymongo.MongoClient.shop.orders.delete_one');
    expect(at('store/activities.py', 145)).toContain('search_orders calls elasticsearch.Elasticsearch.search');
    expect(at('store/db.py', 47)).toContain('describe_order calls anthropic.Anthropic.messages.create (through a helper it calls)');
    expect(at('store/search.py', 15)).toContain('find_similar calls qdrant_client.QdrantClient.query_points');
    expect(at('store/search.py', 40)).toContain('embed calls openai.OpenAI.embeddings.create');
    const save = mine.find((f) => f.file === 'store/activities.py' && f.line === 28)!;
    expect(save.fix).toContain('await the library\'s async client (pymongo.AsyncMongoClient (or motor))');
    expect(mine.find((f) => f.file === 'store/activities.py' && f.line === 33)!.fix).toContain('(redis.asyncio.Redis)');
    expect(at('store/service.py', 15)).toContain('store_order calls pymongo.MongoClient.shop.orders.insert_one (through a helper it calls)');
  });

  it('leaves async clients, threads, sync activities, look-alikes and mixed factories alone', () => {
    const names = findings.filter((f) => f.checkId === 'activity-blocks-event-loop').map((f) => (f.data as { activity: string }).activity);
    for (const absent of [
      'remember_order_async',
      'save_order_in_thread',
      'save_order_sync',
      'record_locally',
      'record_in_memory',
      'total_revenue_async',
      'archive_order_async',
      'index_order_async',
      'lookup_anywhere',
      'find_similar_async',
      'store_order_async',
      'store_order_swappable',
    ]) {
      expect(names).not.toContain(absent);
    }
  });
});
