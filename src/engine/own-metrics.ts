// Metrics the application exports itself, apart from the SDK's: a Prometheus client, an
// OpenTelemetry meter, a StatsD or Datadog client imported by the reviewed production code. Such a
// project is not blind: its monitoring stack (scrape, dashboards, alerting) lives outside the
// reviewed directory, and the SDK's metrics are one exporter away from it. Found by reading the
// import lines of the reviewed files, first match in path order.

import fs from 'node:fs';
import path from 'node:path';
import { fileProblem, SOURCE_FILE_MAX_BYTES } from './bounded-file.js';
import type { CodeModel } from '../model/types.js';

export interface OwnMetrics {
  /** The library as imported (`prom-client`, `prometheus_client`, `@opentelemetry/sdk-metrics`). */
  library: string;
  /** Relative to the reviewed directory. */
  file: string;
  line: number;
}

/** TypeScript and JavaScript: `import ... from 'x'`, `require('x')`, `import('x')`. */
const TS_IMPORT = /(?:from\s+|require\s*\(\s*|import\s*\(\s*)['"](prom-client|@opentelemetry\/sdk-metrics|@opentelemetry\/exporter-prometheus|@opentelemetry\/exporter-metrics-otlp-(?:http|grpc|proto)|hot-shots|node-statsd|statsd-client|datadog-metrics)['"]/;
/** `@opentelemetry/api` counts only with a meter taken from it. */
const TS_OTEL_API = /['"]@opentelemetry\/api['"]/;
const TS_METER = /\bgetMeter\s*\(/;

/** Python: `import x`, `from x import ...`, `from x.y import ...`. */
const PY_IMPORT = /^[ \t]*(?:from|import)[ \t]+(prometheus_client|aioprometheus|prometheus_fastapi_instrumentator|starlette_exporter|opentelemetry\.sdk\.metrics|opentelemetry\.exporter\.prometheus|datadog|statsd)\b/m;
const PY_OTEL_API = /^[ \t]*(?:from|import)[ \t]+opentelemetry(?:\.metrics)?\b/m;
const PY_METER = /\bget_meter\s*\(/;

const cache = new WeakMap<CodeModel, OwnMetrics | null>();

export function ownMetrics(model: CodeModel): OwnMetrics | undefined {
  if (!cache.has(model)) cache.set(model, findOwnMetrics(model) ?? null);
  return cache.get(model) ?? undefined;
}

function findOwnMetrics(model: CodeModel): OwnMetrics | undefined {
  for (const file of [...model.files].sort()) {
    const python = file.endsWith('.py');
    if (fileProblem(file, SOURCE_FILE_MAX_BYTES)) continue;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const direct = (python ? PY_IMPORT : TS_IMPORT).exec(text);
    const api = direct ? undefined : (python ? PY_OTEL_API : TS_OTEL_API).exec(text);
    const match = direct ?? (api && (python ? PY_METER : TS_METER).test(text) ? api : undefined);
    if (!match) continue;
    const library = direct ? direct[1]! : python ? 'opentelemetry' : '@opentelemetry/api';
    return { library, file: path.relative(model.root, file), line: text.slice(0, match.index).split('\n').length };
  }
  return undefined;
}
