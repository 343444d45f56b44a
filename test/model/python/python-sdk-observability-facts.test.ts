// The Python SDK facts the observability review of Python code relies on, asked of the real
// temporalio package (1.35.0): what makes a worker export metrics, and the search attribute API.
// Set PREFLIGHT_PYTHON to an interpreter that has it installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const python = process.env.PREFLIGHT_PYTHON ?? '/work/venvs/py16/bin/python';
const script = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sdk-facts', 'observability_facts.py');
const available = fs.existsSync(python) && spawnSync(python, ['-c', 'import temporalio'], { timeout: 30_000 }).status === 0;
if (!available) console.warn(`skipping the Python SDK observability facts: no interpreter with temporalio at ${python} (set PREFLIGHT_PYTHON)`);

describe.skipIf(!available)('temporalio (Python SDK) observability facts', () => {
  let cached: Record<string, unknown> | undefined;
  const facts = () => {
    if (cached) return cached;
    const run = spawnSync(python, [script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    expect(run.stderr).toBe('');
    cached = JSON.parse(run.stdout) as Record<string, unknown>;
    return cached;
  };

  test('a Runtime exports metrics only with TelemetryConfig(metrics=PrometheusConfig or OpenTelemetryConfig): the default is None and a no-op meter', () => {
    const f = facts();
    expect(f.version).toBe('1.35.0');
    expect(f.telemetry_metrics_default).toBeNull();
    expect(f.no_metrics_meter_is_noop).toBe(true);
    expect(f.prometheus_meter_is_noop).toBe(false);
    // A Prometheus runtime really serves /metrics on its bind_address, without a _total suffix by default.
    expect(f.prometheus_serves_metrics).toBe(200);
    expect(f.prometheus_counters_total_suffix_default).toBe(false);
    expect(f.otel_config_needs_url).toBe(true);
    expect(f.metric_buffer_is_a_metrics_option).toBe(true);
    // telemetry= is keyword-only; TelemetryConfig's second positional field is metrics.
    expect(f.runtime_telemetry_keyword_only).toBe(true);
    expect(f.telemetry_field_order).toEqual(['logging', 'metrics']);
  });

  test("a worker uses its client's runtime; a client uses Client.connect(runtime=...) or the default, which Runtime.set_default replaces; plugins see the connect config", () => {
    const f = facts();
    expect(f.client_connect_runtime_default).toBe('None');
    expect(f.client_uses_given_runtime_or_default).toBe(true);
    expect(f.worker_uses_client_runtime).toBe(true);
    expect(f.set_default_replaces_default).toBe(true);
    expect(f.plugins_may_change_connect_config).toBe(true);
  });

  test('search attributes: one search_attributes= keyword on client and child starts, typed keys by factory, an empty TypedSearchAttributes, upsert in workflows', () => {
    const f = facts();
    expect(f.start_workflow_keywords).toEqual(['arg', 'args', 'cron_schedule', 'id', 'search_attributes']);
    expect(f.child_keywords).toEqual(['arg', 'args', 'cron_schedule', 'id', 'search_attributes']);
    expect(f.key_types).toEqual({ for_text: true, for_keyword: true });
    expect(f.typed_empty_len).toBe(0);
    expect(f.upsert_exists).toBe(true);
  });
});
