// A re-implementation of Brooker's optimistic-concurrency contention experiment ("Exponential
// Backoff And Jitter", 2015; TEMPORAL-FACTS.md §11), driving our jitter functions. N clients race
// to update one row: read, then write with the version read; a stale write fails, the client
// sleeps one network hop plus the backoff, and reads again. Every hop is |Normal(10 ms, 2 ms)|.

import { decorrelatedJitter, equalJitter, fullJitter, type Jitter } from '../../src/simulate/jitter.js';
import { normal, seededRandom } from '../../src/simulate/seeded-random.js';

export type Strategy = Jitter | 'no-backoff';

export interface ContentionResult {
  /** Mean completion time of a run, ms. */
  meanTimeMs: number;
  /** Mean write calls per run. */
  meanCalls: number;
}

const BASE_MS = 5;
const CAP_MS = 2000;

type Kind = 'read-at-server' | 'read-reply' | 'write-at-server' | 'write-reply';

interface Message {
  time: number;
  kind: Kind;
  client: number;
  /** The version read, or whether the write succeeded (1/0). */
  value: number;
}

export function runContention(strategy: Strategy, options: { clients: number; runs: number; seed: number }): ContentionResult {
  const random = seededRandom(options.seed);
  const hop = (): number => Math.abs(normal(random, 10, 2));
  let totalTime = 0;
  let totalCalls = 0;
  for (let run = 0; run < options.runs; run++) {
    let version = 0;
    const attempts = new Array<number>(options.clients).fill(0);
    const sleeps = new Array<number>(options.clients).fill(BASE_MS);
    const backoff = (client: number): number => {
      const n = ++attempts[client]!;
      const expo = Math.min(CAP_MS, 2 ** n * BASE_MS);
      switch (strategy) {
        case 'no-backoff': return 0;
        case 'none': return expo;
        case 'full': return fullJitter(expo, random());
        case 'equal': return equalJitter(expo, random());
        case 'decorrelated': return (sleeps[client] = decorrelatedJitter(sleeps[client]!, BASE_MS, CAP_MS, random()));
      }
    };
    const queue = new MessageQueue();
    for (let client = 0; client < options.clients; client++) queue.push({ time: hop(), kind: 'read-at-server', client, value: 0 });
    let now = 0;
    for (let m = queue.pop(); m; m = queue.pop()) {
      now = m.time;
      switch (m.kind) {
        case 'read-at-server':
          queue.push({ time: now + hop(), kind: 'read-reply', client: m.client, value: version });
          break;
        case 'read-reply':
          queue.push({ time: now + hop(), kind: 'write-at-server', client: m.client, value: m.value });
          break;
        case 'write-at-server': {
          totalCalls++;
          const ok = m.value === version;
          if (ok) version++;
          queue.push({ time: now + hop(), kind: 'write-reply', client: m.client, value: ok ? 1 : 0 });
          break;
        }
        case 'write-reply':
          if (m.value === 0) queue.push({ time: now + hop() + backoff(m.client), kind: 'read-at-server', client: m.client, value: 0 });
          break;
      }
    }
    totalTime += now;
  }
  return { meanTimeMs: totalTime / options.runs, meanCalls: totalCalls / options.runs };
}

/** A binary min-heap on message time. */
class MessageQueue {
  private readonly heap: Message[] = [];

  push(message: Message): void {
    const heap = this.heap;
    heap.push(message);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.time <= message.time) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = message;
  }

  pop(): Message | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.time < heap[left]!.time ? right : left;
      if (heap[child]!.time >= last.time) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
