// Runs Microsoft's SARIF Multitool `validate` on a SARIF text and returns what it reported.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

export interface MultitoolFinding {
  ruleId: string;
  level: string;
  text: string;
}

/** Path of the platform binary; the npm package sometimes ships it without the execute bit. */
export function multitoolBinary(): string {
  const require = createRequire(import.meta.url);
  const binary = require('@microsoft/sarif-multitool') as string;
  const mode = fs.statSync(binary).mode;
  if ((mode & 0o100) === 0) fs.chmodSync(binary, mode | 0o100);
  return binary;
}

/**
 * Validates with the given rule kinds ("Sarif" = the specification's rules, "Gh" = GitHub code
 * scanning's ingestion rules) and returns every error and warning (notes are advice).
 */
export function validateSarif(sarif: string, ruleKinds: string[] = ['Sarif']): MultitoolFinding[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-sarif-'));
  try {
    const input = path.join(dir, 'input.sarif');
    const output = path.join(dir, 'validation.sarif');
    fs.writeFileSync(input, sarif);
    execFileSync(
      multitoolBinary(),
      ['validate', input, '--output', output, '--log', 'ForceOverwrite', '--level', 'Error;Warning', '--rule-kind', ruleKinds.join(';')],
      { stdio: 'pipe', timeout: 120_000, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } },
    );
    const log = JSON.parse(fs.readFileSync(output, 'utf8')) as {
      runs: { results?: { ruleId: string; level?: string; message: { text?: string; id?: string; arguments?: string[] } }[]; tool: { driver: { rules?: { id: string; messageStrings?: Record<string, { text: string }> }[] } } }[];
    };
    const run = log.runs[0];
    if (!run) throw new Error('the Multitool wrote no run');
    return (run.results ?? [])
      .map((r) => ({ ruleId: r.ruleId, level: r.level ?? 'warning', text: messageText(r.message, run.tool.driver.rules ?? [], r.ruleId) }))
      .filter((r) => r.level === 'error' || r.level === 'warning');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function messageText(
  message: { text?: string; id?: string; arguments?: string[] },
  rules: { id: string; messageStrings?: Record<string, { text: string }> }[],
  ruleId: string,
): string {
  if (message.text) return message.text;
  const template = rules.find((r) => r.id === ruleId)?.messageStrings?.[message.id ?? '']?.text ?? message.id ?? '';
  return template.replace(/\{(\d+)\}/g, (_, i: string) => message.arguments?.[Number(i)] ?? '');
}
