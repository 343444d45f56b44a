// The M/M/c queue (Erlang C) behind worker slot sizing (TEMPORAL-FACTS.md §11): activities arrive
// at rate lambda, each slot serves one at a time at rate mu, and a task waits in the task queue
// (its schedule-to-start latency) only when every slot is busy.

/** Up to this many slots the recursion (one step per slot) is exact and cheap. */
const RECURSION_SLOTS = 2_000;

/**
 * Erlang B blocking probability. Small slot counts use the stable recursion
 * B(k) = a B(k-1) / (k + a B(k-1)); the textbook formula with a^c / c! overflows long before
 * realistic slot counts. Larger counts use the Poisson form B = P(N = c) / P(N <= c) for N with
 * mean a, evaluated in log space (poissonBlocking), whose cost grows with the square root of the
 * load rather than with the slot count: a slot search over billions of slots stays fast.
 */
export function erlangB(slots: number, offeredLoad: number): number {
  if (slots <= RECURSION_SLOTS) {
    let b = 1;
    for (let k = 1; k <= slots; k++) b = nextErlangB(b, k, offeredLoad);
    return b;
  }
  return poissonBlocking(slots, offeredLoad);
}

/** One step of the recursion. */
export function nextErlangB(previous: number, slots: number, offeredLoad: number): number {
  return (offeredLoad * previous) / (slots + offeredLoad * previous);
}

/** Terms below this fraction of the running sum no longer change a double. */
const NEGLIGIBLE = 1e-17;

function poissonBlocking(c: number, a: number): number {
  if (c <= a) {
    // 1/B = sum over j of c (c-1) ... (c-j+1) / a^j: every ratio is at most c/a <= 1
    let term = 1;
    let sum = 1;
    for (let j = 1; j <= c; j++) {
      term *= (c - j + 1) / a;
      sum += term;
      if (term < NEGLIGIBLE * sum) break;
    }
    return 1 / sum;
  }
  // B = p / (1 - p R) with p = P(N = c) and P(N > c) = p R, R = sum over n of a^n / ((c+1)...(c+n))
  const p = Math.exp(logPoisson(c, a));
  if (p < NEGLIGIBLE) return p; // P(N <= c) is 1 to double precision
  let term = 1;
  let r = 0;
  for (let i = 1; ; i++) {
    term *= a / (c + i);
    r += term;
    if (term < NEGLIGIBLE * r) break;
  }
  return p / (1 - p * r);
}

/**
 * log P(N = x) for N Poisson with mean m, x a whole number over 15, after Loader (2000): the
 * Stirling remainder plus a deviance term that stays accurate when x is close to m, where the
 * direct x ln m - m - ln x! cancels most of its digits.
 */
function logPoisson(x: number, m: number): number {
  return -stirlingRemainder(x) - deviance(x, m) - 0.5 * Math.log(2 * Math.PI * x);
}

/** ln x! - ((x + 1/2) ln x - x + ln sqrt(2 pi)) for large x (series; exact to a double above 80). */
function stirlingRemainder(x: number): number {
  const xx = x * x;
  return (1 / 12 - (1 / 360 - 1 / 1260 / xx) / xx) / x;
}

/** x ln(x/m) + m - x, computed without cancellation when x is near m. */
function deviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const next = s + ej / (2 * j + 1);
      if (next === s) return next;
      s = next;
    }
    return s;
  }
  return x * Math.log(x / m) + m - x;
}

/** Erlang C from Erlang B: the probability an arriving task has to wait. 1 when a >= c. */
export function erlangCFromB(b: number, slots: number, offeredLoad: number): number {
  if (offeredLoad >= slots) return 1;
  return (slots * b) / (slots - offeredLoad * (1 - b));
}

/** C(c, a): probability of waiting with c slots and offered load a = lambda / mu. */
export function erlangC(slots: number, offeredLoad: number): number {
  if (offeredLoad >= slots) return 1;
  return erlangCFromB(erlangB(slots, offeredLoad), slots, offeredLoad);
}

/** A queue described by its rates; times in seconds. */
export interface Queue {
  slots: number;
  /** Arrivals per second. */
  ratePerSecond: number;
  /** Mean service time in seconds. */
  meanServiceSeconds: number;
  /**
   * Coefficient of variation of the service time (1 = exponential). Other values apply the
   * Allen-Cunneen correction: waits scale by (1 + cv^2) / 2 for Poisson arrivals.
   */
  serviceCv?: number;
}

/** The quantities the percentile functions need, computed once. */
export interface QueueWait {
  stable: boolean;
  offeredLoad: number;
  utilization: number;
  probabilityOfWaiting: number;
  /** Decay rate of the waiting-time tail, per second: (c mu - lambda) / AllenCunneen factor. */
  tailRate: number;
}

export function queueWait(queue: Queue): QueueWait {
  const offeredLoad = queue.ratePerSecond * queue.meanServiceSeconds;
  const utilization = offeredLoad / queue.slots;
  if (offeredLoad >= queue.slots) {
    return { stable: false, offeredLoad, utilization, probabilityOfWaiting: 1, tailRate: 0 };
  }
  return {
    stable: true,
    offeredLoad,
    utilization,
    probabilityOfWaiting: erlangC(queue.slots, offeredLoad),
    tailRate: drainRate(queue) / allenCunneenFactor(queue.serviceCv),
  };
}

/** c mu - lambda: how fast the queue drains when every slot is busy. */
function drainRate(queue: Queue): number {
  return queue.slots / queue.meanServiceSeconds - queue.ratePerSecond;
}

/**
 * Allen-Cunneen: Wq(G/G/c) ~ Wq(M/M/c) x (ca^2 + cs^2) / 2; arrivals are Poisson (ca = 1).
 * We apply it to the whole tail (stretching the exponential) so the mean matches; the probability
 * of waiting stays Erlang C. An approximation, good for cv between about 0.5 and 2.
 */
export function allenCunneenFactor(serviceCv = 1): number {
  return (1 + serviceCv * serviceCv) / 2;
}

/** P(W > t): C x exp(-(c mu - lambda) t), t in seconds. */
export function probabilityWaitExceeds(wait: QueueWait, seconds: number): number {
  if (!wait.stable) return 1;
  if (seconds < 0) return 1;
  return wait.probabilityOfWaiting * Math.exp(-wait.tailRate * seconds);
}

/** Mean wait Wq = C / (c mu - lambda), in seconds. */
export function meanWait(wait: QueueWait): number {
  return wait.stable ? wait.probabilityOfWaiting / wait.tailRate : Number.POSITIVE_INFINITY;
}

/**
 * The p-th percentile (0-100) of the waiting time in seconds, counting the tasks that do not
 * wait at all: 0 when at least p % of tasks find a free slot.
 */
export function waitPercentile(wait: QueueWait, percentile: number): number {
  if (!wait.stable) return Number.POSITIVE_INFINITY;
  const tail = 1 - percentile / 100;
  if (wait.probabilityOfWaiting <= tail) return 0;
  return Math.log(wait.probabilityOfWaiting / tail) / wait.tailRate;
}
