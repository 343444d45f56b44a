// workflow-start-id-random on Python message consumers: an aiokafka `async for` loop whose starts
// use `f"charge-{stamp()}"` (a project helper of time.time() and uuid4) and `record.key or
// f"charge-{uuid.uuid4()}"` (random when the key is missing), and a pika callback given to
// basic_consume. An id from the record's key and a loop that is no consumer are left alone.
// Over test/fixtures/python-start-id-consumers.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-start-id-consumers');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-start-id-random in Python message consumers', () => {
  test('reports random ids made by helpers and fallbacks in a Kafka loop and a RabbitMQ callback', () => {
    const random = findings.filter((f) => f.checkId === 'workflow-start-id-random');
    expect(random.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-start-id-random info app/bridge.py:18',
      'workflow-start-id-random info app/bridge.py:19',
      'workflow-start-id-random info app/rabbit.py:12',
    ]);
    expect(random[0]!.message).toContain('Kafka consumer loop `for ... in consumer`');
    expect(random[1]!.message).toContain('the random value is the fallback when record.key is missing');
    expect(random[2]!.message).toContain('on_charge is the RabbitMQ message callback given to channel.basic_consume(...)');
  });
});
