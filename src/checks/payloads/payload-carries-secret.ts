// Prevents credentials leaking into workflow history: payloads are stored in plain text for the
// retention period, shown in the Web UI and copied into every history export.

import { defineCheck } from '../define-check.js';
import { findSecretFields, payloadSignatures, type PayloadSignature } from '../../model/typescript/payload-types/index.js';

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
    for (const signature of payloadSignatures(model)) {
      const secrets = findSecretFields(signature.type, signature.checker, signature.valueName);
      if (secrets.length === 0) continue;
      const listed = secrets.slice(0, 3).map((s) => `\`${s.path}\` (${s.typeText})`).join(', ');
      ctx.report({
        location: signature.location,
        message:
          `${subject(signature)} ${listed}, which look${secrets.length === 1 ? 's' : ''} like a credential. ` +
          'Payloads are stored in plain text in the workflow history for the whole retention period, visible in the Web UI and to anyone who can read the namespace, and copied into every export.',
        fix:
          'Pass a reference instead (the name of the secret, a tenant id) and read the secret inside the activity from your secret store or environment; ' +
          'if it must travel, encrypt payloads with a PayloadCodec in the data converter.',
        data: { kind: signature.kind, name: signature.name, direction: signature.direction, value: signature.valueName, paths: secrets.map((s) => s.path) },
      });
    }
  },
});

function subject(signature: PayloadSignature): string {
  const what = signature.kind === 'activity' ? 'Activity' : signature.kind === 'workflow' ? 'Workflow' : signature.kind === 'signal' ? 'Signal' : 'Update';
  return signature.direction === 'result' ? `${what} ${signature.name} returns` : `${what} ${signature.name} takes`;
}
