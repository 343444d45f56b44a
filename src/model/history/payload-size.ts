// Payload sizes as Temporal counts them (TEMPORAL-FACTS.md section 8): the decoded length of the
// base64 `data` plus the metadata (keys and decoded values). Contents are never kept; a short
// preview is built only when the caller asks for it.

import { flatCopy } from './flat-string.js';
import { base64DecodedLength, OmittedString } from './omitted-string.js';

/** Decoded bytes of a `data` or metadata value as the parser delivers it. */
export function decodedLength(value: unknown): number {
  if (typeof value === 'string') return base64DecodedLength(value.length, value.slice(-12));
  if (value instanceof OmittedString) return value.base64Bytes;
  return 0;
}

const encodingCache = new Map<string, string>();

/** The readable encoding name from a metadata value: base64 in proto3 JSON, sometimes plain. */
export function decodeEncoding(value: unknown): string {
  if (typeof value !== 'string') return value instanceof OmittedString ? 'unknown' : 'unknown';
  const cached = encodingCache.get(value);
  if (cached !== undefined) return cached;
  const decoded = Buffer.from(value, 'base64').toString('utf8').trim();
  const name = ENCODING_NAME.test(decoded) ? decoded : ENCODING_NAME.test(value) && value.includes('/') ? flatCopy(value) : 'unknown';
  // the cache outlives the chunk the value was cut from (see flat-string.ts)
  if (encodingCache.size < 1000) encodingCache.set(flatCopy(value), name);
  return name;
}

const ENCODING_NAME = /^[A-Za-z0-9][A-Za-z0-9._+\-/]{0,63}$/;

export interface PayloadMeasure {
  bytes: number;
  encoding: string;
  preview?: string;
}

/** Measures a `{ metadata, data }` object; previews only when asked. */
export function measurePayload(payload: Record<string, unknown>, withPreview: boolean): PayloadMeasure {
  let bytes = decodedLength(payload.data);
  let encoding = 'unknown';
  const metadata = payload.metadata;
  if (metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata)) {
    for (const key of Object.keys(metadata)) {
      const value = (metadata as Record<string, unknown>)[key];
      bytes += utf8Length(key);
      if (key === 'encoding') {
        encoding = decodeEncoding(value);
        // some hand-written histories give the encoding as plain text rather than base64
        bytes += typeof value === 'string' && encoding === value ? value.length : decodedLength(value);
      } else {
        bytes += decodedLength(value);
      }
    }
  }
  const measure: PayloadMeasure = { bytes, encoding };
  if (withPreview) {
    const preview = previewOf(payload.data);
    if (preview !== undefined) measure.preview = preview;
  }
  return measure;
}

const keyLengths = new Map<string, number>();

/** Buffer.byteLength(key), remembered: metadata keys are few and Buffer.byteLength is a native call. */
function utf8Length(key: string): number {
  let length = keyLengths.get(key);
  if (length === undefined) {
    length = Buffer.byteLength(key);
    if (keyLengths.size < 1000) keyLengths.set(key, length);
  }
  return length;
}

const PREVIEW_CHARS = 64;

/** The first characters of the decoded data, control characters replaced, marked when cut. */
export function previewOf(data: unknown): string | undefined {
  const base64 = typeof data === 'string' ? data : data instanceof OmittedString ? data.head : undefined;
  if (base64 === undefined) return undefined;
  // 4 base64 chars per 3 bytes; decode a little more than we show
  const text = Buffer.from(base64.slice(0, PREVIEW_CHARS * 2), 'base64').toString('utf8');
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '.');
  const total = decodedLength(data);
  return clean.length > PREVIEW_CHARS || total > Buffer.byteLength(text) ? `${clean.slice(0, PREVIEW_CHARS)}...` : clean;
}
