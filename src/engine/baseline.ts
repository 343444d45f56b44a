// The baseline file (check --baseline): the fingerprints of findings a team has accepted for now,
// so a review reports and fails only on new ones. A small JSON file meant to be committed and
// reviewed: one entry per finding with its check, file and message for the reader, the
// fingerprint for the matching (see fingerprint.ts). No line numbers, so moving code does not
// churn it.

import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';
import { FINGERPRINT_VERSION } from './fingerprint.js';
import type { Finding } from './types.js';

export interface BaselineEntry {
  fingerprint: string;
  checkId: string;
  file?: string;
  message: string;
}

export interface BaselineFile {
  tool: 'temporal-preflight';
  fingerprintVersion: string;
  findings: BaselineEntry[];
}

/** `shownAs` names the file in error messages (as the user gave it). */
export function readBaseline(absolute: string, shownAs = absolute): Set<string> {
  const file = shownAs;
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${file}: no such baseline file (write one with --update-baseline)` : `${file}: cannot read the baseline (${code ?? String(error)})`,
    );
  }
  let data: Partial<BaselineFile>;
  try {
    data = JSON.parse(text) as Partial<BaselineFile>;
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!data || typeof data !== 'object' || !Array.isArray(data.findings) || data.findings.some((f) => typeof f?.fingerprint !== 'string')) {
    throw new UsageError(`${file}: not a temporal-preflight baseline (expected {"findings": [{"fingerprint": ...}]})`);
  }
  if (data.fingerprintVersion !== FINGERPRINT_VERSION) {
    throw new UsageError(`${file}: fingerprints of another version (${String(data.fingerprintVersion)}); rewrite it with --update-baseline`);
  }
  return new Set(data.findings.map((f) => f.fingerprint));
}

/** Writes the baseline atomically: a temporary file beside it, then a rename, so a reader never sees half a file. */
export function writeBaseline(absolute: string, findings: readonly Finding[], shownAs = absolute): void {
  const file = shownAs;
  const body: BaselineFile = {
    tool: 'temporal-preflight',
    fingerprintVersion: FINGERPRINT_VERSION,
    findings: findings.map((f) => ({
      fingerprint: f.fingerprint ?? '',
      checkId: f.checkId,
      ...(f.file ? { file: f.file } : {}),
      message: f.message,
    })),
  };
  const temporary = path.join(path.dirname(absolute), `.${path.basename(absolute)}.${process.pid}.tmp`);
  try {
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(temporary, `${JSON.stringify(body, null, 2)}\n`);
    fs.renameSync(temporary, absolute);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new UsageError(`${file}: cannot write the baseline (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
