// preflight.config.{json,yaml,yml}: validated with a strict schema so a typo in a key is a
// usage error that names the key, not a silently ignored setting.

import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { checks as registeredChecks } from '../checks/index.js';
import { closestName } from './closest-name.js';
import { parseDuration, parseSize } from './duration.js';
import { UsageError } from './errors.js';
import { CONFIG_FILE_MAX_BYTES, readBoundedFile } from './bounded-file.js';

const duration = z
  .union([z.string(), z.number()])
  .refine((v) => parseDuration(v) !== null && (parseDuration(v) as number) >= 0, {
    message: "expected a duration such as '500ms', '30s', '15m' or a number of milliseconds",
  });
const size = z.union([z.string(), z.number()]).refine((v) => parseSize(v) !== null, {
  message: "expected a size such as '50KB', '2MiB' or a number of bytes",
});
const checkSetting = z.enum(['off', 'error', 'warning', 'info']);
const checkId = z.enum(registeredChecks.map((check) => check.id) as [string, ...string[]]);

/**
 * A per-type map whose entries may be null: `init` writes one null entry per type it found, for
 * the user to fill in; a null entry means "not declared yet" and is dropped here, so the checks
 * only ever see numbers someone wrote.
 */
function perType<T extends z.ZodType>(entry: T) {
  return z
    .record(z.string(), entry.nullable())
    .transform((map) => Object.fromEntries(Object.entries(map).filter(([, value]) => value !== null)) as Record<string, z.output<T>>);
}

export const configSchema = z
  .object({
    /** Editors read it to validate the file against the JSON Schema this package ships (dist/config.schema.json). */
    $schema: z.string().optional(),
    /** Turn checks off or change their severity: { "activity-schedule-to-start-missing": "off" }. */
    checks: z.partialRecord(checkId, checkSetting).default({}),
    /** Globs (relative to the reviewed directory) of files to review / to leave out. */
    include: z.array(z.string()).default([]),
    exclude: z.array(z.string()).default([]),
    /**
     * Test code (`*.test.ts`, `*.spec.ts`, `test/`, `tests/`, `__tests__/`, `test-utils/`, files that
     * import @temporalio/testing or a test runner) is skipped by the code checks unless `review` is
     * true; `patterns` adds globs of test code. no-replay-test always reads it.
     */
    tests: z
      .object({ review: z.boolean().default(false), patterns: z.array(z.string()).default([]) })
      .strict()
      .default({ review: false, patterns: [] }),
    /**
     * What an area the model could not see (no worker found, worker options built at run time,
     * workflow modules not located) does to the verdict: 'no-go' (default) or 'go' once you have
     * checked that area by other means.
     */
    notVerified: z.enum(['no-go', 'go']).default('no-go'),
    histories: z
      .object({
        /** History size budget per execution (default 50KB). */
        budget: size.default('50KB'),
      })
      .strict()
      .default({ budget: '50KB' }),
    targets: z
      .object({
        scheduleToStartP99: duration.default('500ms'),
        headroom: z.number().min(1).default(2),
      })
      .strict()
      .default({ scheduleToStartP99: '500ms', headroom: 2 }),
    load: z
      .object({
        workflows: perType(z.object({ peakStartsPerSecond: z.number().positive() }).strict()).default({}),
        activities: perType(z.object({ meanDuration: duration, p99Duration: duration.optional() }).strict()).default({}),
      })
      .strict()
      .default({ workflows: {}, activities: {} }),
    deadlines: z
      .object({ activities: perType(duration).default({}) })
      .strict()
      .default({ activities: {} }),
    /** For cost and storage projections. */
    volume: z
      .object({
        workflows: perType(z.object({ startsPerDay: z.number().nonnegative() }).strict()).default({}),
        retention: duration.default('30d'),
        /** Workflows in flight when a dependency goes down, for retry-cost messages. */
        workflowsInFlight: z.number().int().positive().default(10_000),
        /** The outage the retry-cost messages price. */
        outage: duration.default('30m'),
      })
      .strict()
      .default({ workflows: {}, retention: '30d', workflowsInFlight: 10_000, outage: '30m' }),
    runbooks: z.object({ dir: z.string().default('docs/runbooks') }).strict().default({ dir: 'docs/runbooks' }),
    alerts: z
      .object({
        ruleFiles: z.array(z.string()).default(['**/*.rules.{yml,yaml}', '**/prometheus*/**/*.{yml,yaml}']),
        /** Where alerts kept outside the reviewed directory live (a repository, a Grafana folder): the alert checks then only note what to check there. */
        external: z.string().min(1).optional(),
      })
      .strict()
      .default({ ruleFiles: ['**/*.rules.{yml,yaml}', '**/prometheus*/**/*.{yml,yaml}'] }),
  })
  .strict();

export type PreflightConfig = z.infer<typeof configSchema>;

export const CONFIG_FILE_NAMES = ['preflight.config.json', 'preflight.config.yaml', 'preflight.config.yml'];
/** Config files other tools accept but this one does not (reading one would mean running it). */
const CODE_CONFIG = /\.(js|mjs|cjs|ts|mts|cts)$/i;
const CODE_CONFIG_NAMES = ['js', 'mjs', 'cjs', 'ts'].map((extension) => `preflight.config.${extension}`);

export function defaultConfig(): PreflightConfig {
  return configSchema.parse({});
}

/** Finds the config in dir (or reads the explicit file) and validates it. */
export function loadConfig(dir: string, explicitFile?: string): { config: PreflightConfig; file: string | null } {
  const file = explicitFile
    ? path.resolve(explicitFile)
    : CONFIG_FILE_NAMES.map((name) => path.join(dir, name)).find((candidate) => fs.existsSync(candidate));
  if (!file) {
    // a config written as code would otherwise be ignored without a word
    const codeConfig = CODE_CONFIG_NAMES.map((name) => path.join(dir, name)).find((candidate) => fs.existsSync(candidate));
    if (codeConfig) throw new UsageError(codeConfigMessage(codeConfig));
    return { config: defaultConfig(), file: null };
  }
  if (CODE_CONFIG.test(file)) throw new UsageError(codeConfigMessage(file));
  const read = readBoundedFile(file, CONFIG_FILE_MAX_BYTES);
  if (!read.ok) throw new UsageError(`${file}: cannot read the config file (${read.reason})`);
  return { config: parseConfigText(read.text, file), file };
}

function codeConfigMessage(file: string): string {
  return `${file}: a config written as code is not read (the review never runs the project's code); write it as preflight.config.json or preflight.config.yaml`;
}

export function parseConfigText(text: string, file: string): PreflightConfig {
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${firstLine(error)}`);
  }
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    // a misspelt key usually also leaves a required one missing: naming the typo helps more
    const issue = parsed.error.issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? parsed.error.issues[0]!;
    const keyPath = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      const inChecks = keyPath.length === 1 && keyPath[0] === 'checks';
      const guess = closestName(key, knownKeysAt(keyPath));
      throw new UsageError(`${file}: key "${[...keyPath, key].join('.')}": ${inChecks ? 'unknown check id' : 'unknown key'}${guess ? `; did you mean "${guess}"?` : ''}`);
    }
    throw new UsageError(`${file}: ${keyPath.length ? `key "${keyPath.join('.')}"` : 'config'}: ${issue.message}`);
  }
  return parsed.data;
}

type JsonSchemaNode = {
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: JsonSchemaNode | boolean;
  propertyNames?: { enum?: string[] };
  anyOf?: JsonSchemaNode[];
};

let jsonSchema: Record<string, unknown> | undefined;

/**
 * The JSON Schema of the config file, generated from the validator above (the build writes it to
 * dist/config.schema.json for editors; `init` points `$schema` at it).
 */
export function configJsonSchema(): Record<string, unknown> {
  jsonSchema ??= {
    ...z.toJSONSchema(configSchema, { io: 'input' }),
    title: 'temporal-preflight configuration (preflight.config.json)',
  };
  return jsonSchema;
}

/** The keys the schema allows at a path of the config: properties or the check ids. */
function knownKeysAt(keyPath: string[]): string[] {
  let node: JsonSchemaNode | undefined = configJsonSchema() as JsonSchemaNode;
  for (const key of keyPath) {
    const object: JsonSchemaNode | undefined = node?.anyOf?.find((variant) => variant.properties || variant.additionalProperties) ?? node;
    const next: JsonSchemaNode | boolean | undefined = object?.properties?.[key] ?? object?.additionalProperties;
    node = typeof next === 'object' ? next : undefined;
  }
  const object = node?.anyOf?.find((variant) => variant.properties || variant.propertyNames) ?? node;
  return [...Object.keys(object?.properties ?? {}), ...(object?.propertyNames?.enum ?? [])];
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}
