// The values a project's deployment files give an environment variable: `ENV NAME value` (or
// `ENV NAME=value ...`) in a Dockerfile, `NAME: value` / `- NAME=value` in a compose file, and
// `- name: NAME` followed by `value: ...` in a Kubernetes manifest. Files named for tests,
// development, local runs or CI are not the production deployment and are skipped. A value
// injected from a secret or config map is not a value here: the code cannot see it.

import type { ProjectFiles } from './alert-rule-files.js';

export interface EnvironmentSetting {
  /** Relative to the reviewed directory. */
  file: string;
  line: number;
  value: string;
}

const DEPLOYMENT_FILES = ['**/Dockerfile', '**/Dockerfile.*', '**/*.Dockerfile', '**/*.dockerfile', '**/*.yml', '**/*.yaml'];
const NOT_PRODUCTION = /(^|[/.\-_])(tests?|e2e|dev|development|local|ci|\.github|fixtures?|examples?)([/.\-_]|$)/i;
const VENDORED = /(^|\/)(vendor|third_party|third-party|venv|site-packages|bower_components)\//;

export function environmentSettings(files: ProjectFiles, name: string): EnvironmentSetting[] {
  const settings: EnvironmentSetting[] = [];
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const dockerEnv = new RegExp(`^\\s*ENV\\s+(.*)$`, 'i');
  const yamlPair = new RegExp(`^\\s*(?:-\\s*)?["']?${escaped}["']?\\s*[:=]\\s*(.+?)\\s*$`);
  const k8sName = new RegExp(`^\\s*-?\\s*name\\s*:\\s*["']?${escaped}["']?\\s*$`);
  for (const file of files.globProjectFiles(DEPLOYMENT_FILES)) {
    if (VENDORED.test(file) || NOT_PRODUCTION.test(file)) continue;
    const text = files.readProjectFile(file);
    if (text === undefined || !text.includes(name)) continue;
    const lines = text.split(/\r?\n/);
    const docker = !/\.ya?ml$/i.test(file);
    lines.forEach((line, index) => {
      if (docker) {
        const env = dockerEnv.exec(line);
        if (!env) return;
        const rest = env[1]!.trim();
        const legacy = new RegExp(`^${escaped}\\s+(.+)$`).exec(rest);
        if (legacy && !rest.includes('=')) settings.push({ file, line: index + 1, value: unquote(legacy[1]!) });
        for (const pair of rest.matchAll(new RegExp(`(?:^|\\s)${escaped}=("[^"]*"|'[^']*'|\\S+)`, 'g'))) settings.push({ file, line: index + 1, value: unquote(pair[1]!) });
        return;
      }
      const pair = yamlPair.exec(line);
      if (pair && !/^\s*(valueFrom|secretKeyRef|\{)/.test(pair[1]!)) settings.push({ file, line: index + 1, value: unquote(pair[1]!) });
      if (k8sName.test(line)) {
        const next = lines[index + 1] ?? '';
        const value = /^\s*value\s*:\s*(.+?)\s*$/.exec(next);
        if (value) settings.push({ file, line: index + 2, value: unquote(value[1]!) });
      }
    });
  }
  return settings;
}

function unquote(text: string): string {
  const trimmed = text.trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}
