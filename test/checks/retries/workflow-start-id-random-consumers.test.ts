// Starts in message consumers with ids made by project helpers: a NATS JetStream `for await` loop
// over `consumer.consume()` whose workflow id is `job.id`, set in a dispatch table's `toJob`
// functions to `charge-${p.chargeId}-${stamp()}` (a project helper of Date.now() and Math.random())
// and to `p.refundId ?? `refund-${stamp()}`` (random when refundId is missing); and a kafkajs
// `eachMessage` handler. A job built from the order id, and a loop that is no consumer, are left alone.
import { beforeAll, describe, expect, it } from 'vitest';
import startIdRandom from '../../../src/checks/retries/workflow-start-id-random.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;

beforeAll(() => {
  review = fixtureReview('start-id-consumers');
}, 120_000);

describe('workflow-start-id-random in message consumers', () => {
  it('notes a random id built through a helper and a dispatch table in a NATS loop and a Kafka handler', () => {
    const findings = review.run(startIdRandom);
    expect(where(findings)).toEqual([
      'workflow-start-id-random info src/bridge.ts:14',
      'workflow-start-id-random info src/bridge.ts:25',
    ]);
    const [nats, kafka] = findings;
    expect(nats!.message).toContain('it runs once per message of the NATS consumer loop `for await (const m of messages)` (consumer.consume())');
    expect(nats!.message).toContain('job.id, set to `charge-${p.chargeId}-${stamp()}` at src/jobs.ts:7 and 1 more random value');
    expect(nats!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      'src/jobs.ts:7 a random workflow id is made here',
      'src/jobs.ts:8 a random workflow id is made here when p.refundId is missing',
    ]);
    expect(kafka!.message).toContain('Kafka eachMessage handler given to consumer.run(...)');
    expect(kafka!.message).toContain('`kafka-${stamp()}`');
  });
});
