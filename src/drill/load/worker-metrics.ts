// The worker's own view, from its Prometheus endpoint (TEMPORAL-FACTS.md §7): activity
// schedule-to-start latency histogram and slots in use. Metric names differ by exporter options
// (a `_milliseconds` unit suffix, `_total` on counters), so samples are matched by name prefix.

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parsePrometheusText(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[4]) });
  }
  return samples;
}

/** Max over samples of `temporal_worker_task_slots_used` for activity workers on the queue. */
export function activitySlotsUsed(samples: MetricSample[], taskQueue: string): number | undefined {
  const values = samples
    .filter((s) => s.name.startsWith('temporal_worker_task_slots_used') && s.labels['task_queue'] === taskQueue && /activity/i.test(s.labels['worker_type'] ?? ''))
    .map((s) => s.value);
  return values.length ? Math.max(...values) : undefined;
}

export interface HistogramQuantiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Quantiles of `temporal_activity_schedule_to_start_latency` on the queue, from its buckets (upper bounds, ms). */
export function activityScheduleToStart(samples: MetricSample[], taskQueue: string): HistogramQuantiles | undefined {
  const buckets = new Map<number, number>();
  let inSeconds = false;
  for (const sample of samples) {
    if (!sample.name.startsWith('temporal_activity_schedule_to_start_latency') || !sample.name.endsWith('_bucket')) continue;
    if (sample.labels['task_queue'] !== taskQueue) continue;
    inSeconds = sample.name.endsWith('_seconds_bucket');
    const le = sample.labels['le'] === '+Inf' ? Number.POSITIVE_INFINITY : Number(sample.labels['le']);
    buckets.set(le, (buckets.get(le) ?? 0) + sample.value);
  }
  if (buckets.size === 0) return undefined;
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const count = sorted.at(-1)![1];
  if (count === 0) return { count: 0, p50: 0, p95: 0, p99: 0 };
  const quantile = (q: number) => sorted.find(([, cumulative]) => cumulative >= q * count)![0];
  // the SDK exports milliseconds unless told to use seconds (then the name says so)
  const scale = inSeconds ? 1000 : 1;
  return { count, p50: quantile(0.5) * scale, p95: quantile(0.95) * scale, p99: quantile(0.99) * scale };
}

export async function scrape(address: string): Promise<MetricSample[]> {
  const response = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(2_000) });
  return parsePrometheusText(await response.text());
}
