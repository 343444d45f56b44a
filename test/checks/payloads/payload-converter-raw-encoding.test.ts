// A custom payload converter that serialises values itself but labels them 'binary/plain' gets a
// note; one that passes byte arrays through, or labels its payloads with an encoding of its own,
// is left alone.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/payloads/payload-converter-raw-encoding.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('payload-converter-raw-encoding', () => {
  const findings = fixtureReview('payload-converter-raw-encoding').run(check);

  it('reports the converters that serialise and label the result binary/plain, and nothing else', () => {
    expect(where(findings)).toEqual([
      'payload-converter-raw-encoding info src/packed-converter.ts:8',
      'payload-converter-raw-encoding info src/text-converter.ts:5',
    ]);
  });

  it('names the converter, the serialising call and the consequence', () => {
    const [packed, text] = findings;
    expect(packed!.message).toContain("Payload converter PackedPayloadConverter serialises values itself (pack(value)) but labels its payloads with the encoding 'binary/plain'");
    expect(packed!.message).toContain('decodes the argument as a byte array');
    expect(packed!.related).toEqual([expect.objectContaining({ line: 13 })]);
    expect(text!.message).toContain('This payload converter serialises values itself (new TextEncoder().encode(String(value)))');
    expect(packed!.fix).toContain("'binary/cbor'");
  });
});
