// `init`: the starter preflight.config.json for a project, from what the model found. Every
// workflow and activity type gets a null entry under load, deadlines and volume: null means "not
// declared yet" to the validator, so the file is valid as written and no check runs on numbers
// nobody chose. docs/configuration.md says where each number comes from.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { activityTypesOf, type ProjectFacts } from './project-facts.js';

/** The JSON Schema the build writes next to the compiled code (scripts/write-config-schema.mjs). */
export const SHIPPED_SCHEMA_FILE = fileURLToPath(new URL('../config.schema.json', import.meta.url));

export function renderStarterConfig(facts: ProjectFacts, schemaRef: string): string {
  const workflows = facts.workflows.map((w) => w.name);
  const activities = activityTypesOf(facts);
  const placeholders = (names: string[]) => Object.fromEntries(names.map((name) => [name, null]));
  const config = {
    $schema: schemaRef,
    checks: {},
    load: { workflows: placeholders(workflows), activities: placeholders(activities) },
    deadlines: { activities: placeholders(activities) },
    volume: { workflows: placeholders(workflows) },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Where `$schema` points, relative to the config's folder: the project's own installed copy of the
 * package when there is one (what teammates get from npm install), else the running tool's file.
 */
export function schemaRefFor(dir: string): string {
  let current = path.resolve(dir);
  for (;;) {
    const installed = path.join(current, 'node_modules', 'temporal-preflight', 'dist', 'config.schema.json');
    if (fs.existsSync(installed)) return relativeRef(dir, installed);
    const parent = path.dirname(current);
    if (parent === current) return relativeRef(dir, SHIPPED_SCHEMA_FILE);
    current = parent;
  }
}

function relativeRef(dir: string, file: string): string {
  const relative = path.relative(path.resolve(dir), file).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}
