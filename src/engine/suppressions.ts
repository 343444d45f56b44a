// `// preflight-ignore <check-id> -- <reason>` (`# preflight-ignore ...` in Python) on the finding's line or the line above it.
// The reason is required so that every silenced finding carries its justification in the code.

import type { Diagnostic } from './types.js';

export interface Suppression {
  /** Absolute path. */
  file: string;
  /** 1-based line of the comment. */
  line: number;
  checkId: string;
  reason: string;
  used: boolean;
}

/** `//` in TypeScript, `#` in Python. */
const DIRECTIVE = /(?:\/\/|#)\s*preflight-ignore\b(.*)$/;

/** Reads the suppressions of one file's text; malformed ones become diagnostics. */
export function parseSuppressions(file: string, text: string, relativeFile: string, diagnostics: Diagnostic[]): Suppression[] {
  const result: Suppression[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineText = lines[index]!;
    if (!lineText.includes('preflight-ignore')) continue;
    const match = DIRECTIVE.exec(lineText);
    if (!match) continue;
    const body = match[1]!.trim();
    const parsed = /^([a-z0-9]+(?:-[a-z0-9]+)*)\s+--\s*(\S.*)$/.exec(body);
    if (!parsed) {
      diagnostics.push({
        kind: 'invalid-suppression',
        file: relativeFile,
        line: index + 1,
        message: 'preflight-ignore needs a check id and a reason: // preflight-ignore <check-id> -- <reason>',
      });
      continue;
    }
    result.push({ file, line: index + 1, checkId: parsed[1]!, reason: parsed[2]!.trim(), used: false });
  }
  return result;
}

/** The suppression covering a finding at (file, line) for checkId, if any; marks it used. */
export function findSuppression(suppressions: Suppression[], checkId: string, line: number): Suppression | undefined {
  const hit = suppressions.find((s) => s.checkId === checkId && (s.line === line || s.line === line - 1));
  if (hit) hit.used = true;
  return hit;
}
