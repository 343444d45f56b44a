// Build step: writes dist/config.schema.json, the JSON Schema of preflight.config.json, from the
// config validator itself (src/engine/config.ts), so the two cannot disagree.
import fs from 'node:fs';
import { configJsonSchema } from '../dist/engine/config.js';

const target = new URL('../dist/config.schema.json', import.meta.url);
fs.writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
