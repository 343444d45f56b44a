// Prevents credentials leaking into workflow history: payloads are stored in plain text for the
// retention period, shown in the Web UI and copied into every history export. With a payload codec
// on the worker (or, for what a client sends, on the client) they are stored as the codec wrote
// them: then only `info`, since a key leak or a path that bypasses the codec still exposes them.

import { defineCheck } from '../define-check.js';
import { relativePath } from '../../model/typescript/locate.js';
import { payloadCodecs, payloadSubject, secretCarriers } from '../../model/typescript/payload-types/index.js';
import type { PayloadCodecFacts as PayloadCodecUse, PayloadSiteFacts as PayloadSignature } from '../../model/types.js';
import type { FindingDraft } from '../define-check.js';

export default defineCheck({
  id: 'payload-carries-secret',
  area: 'payloads',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Payloads with parameters or fields that look like credentials or tokens',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    // A front-end that computes its payload facts (Python) hands them over; TypeScript reads its checker.
    const facts = model.payloadFacts;
    const codecs = facts ? facts.codecs : payloadCodecs(model);
    // A Python worker encodes with its client's data converter: a codec on a client covers everything.
    const clientCodecsCoverAll = model.language === 'python';
    for (const { signatures, secrets } of facts ? facts.secrets : secretCarriers(model)) {
      const signature = signatures[0]!;
      const others = othersCarrying(model.root, signatures.slice(1));
      const listed = secrets.slice(0, 3).map((s) => `\`${s.path}\` (${s.typeText})`).join(', ');
      const encoded = clientCodecsCoverAll ? nearestFirst(codecs, signature.location.file) : encodingCodecs(codecs, signature);
      if (encoded.length > 0) {
        const codec = encoded[0]!;
        const where = `on the ${codec.on} at ${relativePath(model.root, codec.location.file)}:${codec.location.line}`;
        ctx.report({
          location: signature.location,
          severity: 'info',
          message: codec.unreadable
            ? `${payloadSubject(signature)} ${listed}, which look${secrets.length === 1 ? 's' : ''} like a credential. The ${codec.on} sets a data converter the reviewer cannot read (${where}): ` +
              'if it has a payload codec that encrypts, history holds ciphertext; if not, the credential is stored in plain text for the retention period.'
            : `${payloadSubject(signature)} ${listed}, which look${secrets.length === 1 ? 's' : ''} like a credential. It is encrypted by codec ${codec.codecs.join(', ')} (${where}); ` +
              'a key rotation that loses the old key, a leaked key or a client that bypasses the codec still exposes it.' +
              others.sentence,
          fix: 'Prefer passing a reference (the name of the secret, a tenant id) and reading the secret inside the activity from your secret store.',
          related: [
            ...encoded.map((c) => ({ ...c.location, message: `${c.unreadable ? 'data converter' : `payload codec ${c.codecs.join(', ')}`} on this ${c.on}` })),
            ...others.related,
          ],
          data: { kind: signature.kind, name: signature.name, direction: signature.direction, value: signature.valueName, paths: secrets.map((s) => s.path), codecs: encoded.flatMap((c) => c.codecs), ...others.data },
        });
        continue;
      }
      ctx.report({
        location: signature.location,
        message:
          `${payloadSubject(signature)} ${listed}, which look${secrets.length === 1 ? 's' : ''} like a credential. ` +
          'Payloads are stored in plain text in the workflow history for the whole retention period, visible in the Web UI and to anyone who can read the namespace, and copied into every export.' +
          others.sentence,
        fix:
          'Pass a reference instead (the name of the secret, a tenant id) and read the secret inside the activity from your secret store or environment; ' +
          'if it must travel, encrypt payloads with a PayloadCodec in the data converter.',
        ...(others.related.length > 0 ? { related: others.related } : {}),
        data: { kind: signature.kind, name: signature.name, direction: signature.direction, value: signature.valueName, paths: secrets.map((s) => s.path), ...others.data },
      });
    }
  },
});

/** The other payloads of the same type: one sentence, related locations and data for the finding. */
function othersCarrying(root: string, others: PayloadSignature[]): { sentence: string; related: NonNullable<FindingDraft['related']>; data: { alsoIn?: string[] } } {
  if (others.length === 0) return { sentence: '', related: [], data: {} };
  const count = others.length === 1 ? 'One other payload carries' : `${others.length} other payloads carry`;
  return {
    sentence: ` ${count} the same fields of the same type (listed as related locations): fix the type once.`,
    related: others.map((s) => ({ ...s.location, message: `${payloadSubject(s)} the same fields (${relativePath(root, s.location.file)})` })),
    data: { alsoIn: others.map((s) => `${s.kind} ${s.name} ${s.direction}`) },
  };
}

/**
 * Every client's codecs, the one in the nearest directory first: of a production client and a
 * benchmark script's client, the message names the one beside the code that sends the payload.
 */
function nearestFirst(codecs: PayloadCodecUse[], file: string): PayloadCodecUse[] {
  const shared = (other: string) => {
    const a = file.split('/');
    const b = other.split('/');
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  return [...codecs].sort((x, y) => shared(y.location.file) - shared(x.location.file));
}

/**
 * The codecs that encode this payload: the worker's encode everything the workflow and its
 * activities exchange; a client's alone encode only what the client sends (workflow input, signal
 * and update arguments).
 */
function encodingCodecs(codecs: PayloadCodecUse[], signature: PayloadSignature): PayloadCodecUse[] {
  const onWorker = codecs.filter((c) => c.on === 'worker');
  if (onWorker.length > 0) return onWorker;
  const sentByClient = signature.kind !== 'activity' && signature.direction === 'input';
  return sentByClient ? codecs.filter((c) => c.on === 'client') : [];
}
