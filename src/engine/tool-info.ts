// The tool's name and version, read once from package.json.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: { name: string; version: string } | undefined;

export function toolInfo(): { name: string; version: string } {
  if (!cached) {
    const pkgPath = fileURLToPath(new URL('../../package.json', import.meta.url));
    const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { name: string; version: string };
    cached = { name: pkg.name, version: pkg.version };
  }
  return cached;
}

export const DOCS_BASE_URL = 'https://github.com/temporal-preflight/temporal-preflight/blob/main/docs/checks/';
