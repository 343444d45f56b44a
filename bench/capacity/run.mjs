// Slot planning time: planSlots (binary search over a log-space Erlang B) against the linear
// walk it replaced (one Erlang B recursion step per slot), measured in the same run on the same
// inputs, plus the planner alone on loads the walk cannot reach.
// Run: npm run build && node bench/capacity/run.mjs
import { performance } from 'node:perf_hooks';
import { planSlots } from '../../dist/simulate/slot-planner.js';

const HOUR = 3_600_000;

/** The former search: c from 1 upward, carrying B(c) along (O(offered load) steps). */
function linearWalk({ ratePerSecond, meanDurationMs, targetMs }, percentile = 99, headroom = 2) {
  const rate = ratePerSecond * headroom;
  const meanSeconds = meanDurationMs / 1000;
  const a = rate * meanSeconds;
  const tail = 1 - percentile / 100;
  let b = 1;
  for (let c = 1; ; c++) {
    b = (a * b) / (c + a * b);
    if (c <= a) continue;
    const p = (c * b) / (c - a * (1 - b));
    if (p <= tail) return c;
    if (Math.log(p / tail) / (c / meanSeconds - rate) <= targetMs / 1000) return c;
  }
}

function median(fn, repeats) {
  const times = [];
  let result;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    result = fn();
    times.push(performance.now() - start);
  }
  times.sort((x, y) => x - y);
  return { ms: times[Math.floor(times.length / 2)], result };
}

const rows = [];
for (const rate of [10, 1_000, 10_000]) {
  const load = { ratePerSecond: rate, meanDurationMs: HOUR, targetMs: 500 };
  const walk = median(() => linearWalk(load), 3);
  const plan = median(() => planSlots(load).slots, 3);
  if (walk.result !== plan.result) throw new Error(`rate ${rate}: the planner says ${plan.result} slots, the walk ${walk.result}`);
  rows.push([`${rate}/s x 1h`, plan.result, walk.ms, plan.ms]);
}
for (const rate of [1_000_000]) {
  const plan = median(() => planSlots({ ratePerSecond: rate, meanDurationMs: HOUR, targetMs: 500 }).slots, 3);
  rows.push([`${rate}/s x 1h`, plan.result, undefined, plan.ms]);
}
console.log('| load (headroom 2, p99 <= 500ms) | slots | linear walk | planSlots | ratio |');
console.log('|---|---|---|---|---|');
for (const [label, slots, walkMs, planMs] of rows) {
  const ratio = walkMs === undefined ? 'n/a' : `${(planMs / walkMs).toFixed(4)}x`;
  console.log(`| ${label} | ${slots} | ${walkMs === undefined ? 'not run' : `${walkMs.toFixed(1)} ms`} | ${planMs.toFixed(2)} ms | ${ratio} |`);
}
