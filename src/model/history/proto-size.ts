// Estimates the bytes a field takes in the protobuf encoding the server stores and counts
// against the history size limit (TEMPORAL-FACTS.md section 5), from its proto3 JSON text: ids
// and counters are varints, timestamps and durations small messages, enums one varint, payload
// data its decoded bytes. Within about 10% of the server's own historySizeBytes on the larger
// shared histories: good enough for budgets and limits, not an exact count.

import { DATA, ENUM, METADATA } from './field-flags.js';
import { base64DecodedLengthAt, OmittedString } from './omitted-string.js';

/** Tag and length prefix of a nested message or array element. */
export const CONTAINER_BYTES = 3;

/** Size of the string field text[from, to) (the characters between the quotes). */
export function stringFieldSize(text: string, from: number, to: number, flags: number, parentFlags: number, keyLength: number): number {
  const length = to - from;
  if (length === 0) return 0; // proto3 leaves default values out
  if (flags & DATA) return 3 + base64DecodedLengthAt(text, from, to);
  if (parentFlags & METADATA) return 4 + keyLength + base64DecodedLengthAt(text, from, to);
  if (flags & ENUM) return 2;
  const first = text.charCodeAt(from);
  if (first >= 48 && first <= 57) {
    if (length <= 20 && digitsUntil(text, from, to) === to) return 1 + varintBytesForDigits(length);
    // 2020-07-30T00:30:02.971655189Z: a Timestamp message
    if (length >= 20 && length <= 40 && text.charCodeAt(from + 4) === 45 && text.charCodeAt(from + 10) === 84) return 14;
    // 10s, 0.5s: a Duration message
    if (text.charCodeAt(to - 1) === 115 && length <= 24) return 8;
  } else if (first === 45 && length <= 21 && digitsUntil(text, from + 1, to) === to) {
    return 11;
  }
  return 2 + length;
}

export function omittedFieldSize(value: OmittedString, flags: number, parentFlags: number): number {
  return 3 + (flags & DATA || parentFlags & METADATA ? value.base64Bytes : value.length);
}

/** Size of a number field written with `digits` characters. */
export function numberFieldSize(digits: number): number {
  return 1 + varintBytesForDigits(digits);
}

function digitsUntil(text: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return i;
    i++;
  }
  return i;
}

/** Varint bytes for a decimal number of this many digits (7 bits per byte). */
function varintBytesForDigits(digits: number): number {
  return Math.min(10, Math.max(1, Math.ceil((digits * 3.33) / 7)));
}
