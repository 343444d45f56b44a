// Estimates the bytes a field takes in the protobuf encoding the server stores and counts
// against the history size limit (TEMPORAL-FACTS.md section 5), from its proto3 JSON form: ids
// and counters are varints, timestamps and durations small messages, enums one varint, payload
// data its decoded bytes. Within about 10% of the server's own historySizeBytes on the shared
// histories; good enough for budgets and limits, not an exact count.

import { base64DecodedLength, OmittedString } from './omitted-string.js';

/** Tag and length prefix of a nested message or array. */
export const CONTAINER_BYTES = 3;

const ENUM_KEYS = new Set(['eventType', 'kind', 'initiator', 'retryState', 'timeoutType', 'parentClosePolicy', 'workflowIdReusePolicy', 'cause', 'origin']);

export function scalarFieldSize(key: string, parentKey: string | null, value: unknown): number {
  if (typeof value === 'string') return stringFieldSize(key, parentKey, value);
  if (typeof value === 'number') return 1 + varintSize(value);
  if (typeof value === 'boolean') return 2;
  if (value instanceof OmittedString) return 3 + (key === 'data' || parentKey === 'metadata' ? value.base64Bytes : value.length);
  return 0;
}

function stringFieldSize(key: string, parentKey: string | null, value: string): number {
  const length = value.length;
  if (length === 0) return 0; // proto3 leaves default values out
  if (key === 'data') return 3 + base64DecodedLength(length, value.slice(-12));
  if (parentKey === 'metadata') return 4 + key.length + base64DecodedLength(length, value.slice(-12));
  if (ENUM_KEYS.has(key)) return 2;
  const first = value.charCodeAt(0);
  if (first >= 48 && first <= 57) {
    if (length <= 16 && allDigits(value)) return 1 + varintSize(Number(value));
    // 2020-07-30T00:30:02.971655189Z: a Timestamp message
    if (length >= 20 && length <= 40 && value.charCodeAt(4) === 45 && value.charCodeAt(10) === 84) return 14;
    // 10s, 0.5s: a Duration message
    if (value.charCodeAt(length - 1) === 115 && length <= 24) return 8;
  } else if (first === 45 && length <= 21 && allDigits(value.slice(1))) {
    return 11;
  }
  return 2 + length;
}

function allDigits(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function varintSize(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 10;
  if (value < 128) return 1;
  if (value < 16_384) return 2;
  if (value < 2_097_152) return 3;
  if (value < 268_435_456) return 4;
  return Math.min(10, Math.ceil(Math.log2(value + 1) / 7));
}
