// --compact: one line per finding, errors first, for grep, editors' problem matchers and a quick
// scan: `file:line:col  severity  check-id  first sentence of the message`. Lines are not wrapped,
// so each finding stays one line however wide the terminal is.

import type pc from 'picocolors';
import type { Finding } from '../engine/types.js';
import { findingPlace, ofSeverity, severityLabel } from './pretty-findings.js';
import { firstSentence } from './text-layout.js';

type Colors = ReturnType<typeof pc.createColors>;

export function compactLines(findings: Finding[], c: Colors, verbose: boolean): string[] {
  const shown = [...ofSeverity(findings, 'error'), ...ofSeverity(findings, 'warning'), ...(verbose ? ofSeverity(findings, 'info') : [])];
  return shown.map((f) => `${c.cyan(findingPlace(f))}  ${severityLabel(f.severity, c)}  ${c.dim(f.checkId)}  ${firstSentence(f.message)}`);
}
