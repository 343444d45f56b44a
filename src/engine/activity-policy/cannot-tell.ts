// The "cannot tell" finding: a value preflight could not resolve statically is never treated as a
// violation nor as a pass of a required setting; the check says so once, as info, and points at
// the expression it could not follow.

import type { FindingDraft } from '../../checks/define-check.js';
import type { SourceLocation } from '../../model/types.js';
import type { MissingField } from './read-options.js';

export interface Unresolved {
  /** Option path, e.g. `retry.maximumAttempts`. */
  field: string;
  text: string;
  location: SourceLocation;
}

/** The unresolved part behind a field, when the field is 'maybe' or 'unknown'. */
export function unresolvedField(field: string, value: { state: string }): Unresolved | undefined {
  if (value.state !== 'maybe' && value.state !== 'unknown') return undefined;
  const missing = value as Extract<MissingField, { state: 'maybe' | 'unknown' }>;
  return { field, text: missing.text, location: missing.location };
}

/** An info finding at `location` saying which question could not be answered and why. */
export function cannotTellFinding(location: SourceLocation, label: string, question: string, unresolved: Unresolved, fix?: string): FindingDraft {
  // A template literal (`${seconds} seconds`) is quoted by its own backticks.
  const how = /^`[^]*`$/.test(unresolved.text) ? unresolved.text : `\`${unresolved.text}\``;
  return {
    location,
    severity: 'info',
    message:
      `Cannot tell ${question} for ${label}: ${unresolved.field} depends on ${how}, which preflight cannot resolve statically ` +
      `(it follows literals, consts, imports, spreads of known objects, simple helper functions and process.env defaults).`,
    fix: fix ?? `Review ${unresolved.field} by hand, or build it from values preflight can follow so the check can verify it.`,
    related: [{ ...unresolved.location, message: `${unresolved.field} comes from here` }],
    data: { unresolved: unresolved.field },
  };
}
