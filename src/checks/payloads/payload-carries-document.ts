// Keeps documents out of history: a workflow input, an activity input or result, a signal or an
// update that carries a whole Markdown or HTML document, a file's contents, a base64 encoding or a
// transcript writes it into the workflow history for the retention period, once more for every
// activity it is handed to, and fails at the 2 MiB payload limit once one document is large.
// Found by name (src/model/typescript/payload-types/document-names.ts): its size is not in the
// type, so the finding is `info` and histories measure it.

import { defineCheck } from '../define-check.js';
import { relativePath } from '../../model/typescript/locate.js';
import { documentCarriers, payloadSubject } from '../../model/typescript/payload-types/index.js';
import type { DocumentCarrierFacts, PayloadSiteFacts } from '../../model/types.js';

export default defineCheck({
  id: 'payload-carries-document',
  area: 'payloads',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'Payloads whose string fields hold whole documents (Markdown, HTML, file contents, base64, transcripts) instead of a key to where they are stored',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const facts = model.payloadFacts;
    // A front-end that computes its payload facts (Python) hands them over; TypeScript reads its checker.
    const carriers: DocumentCarrierFacts[] = facts ? (facts.documents ?? []) : documentCarriers(model);
    for (const { signatures, fields } of carriers) {
      const first = signatures[0]!;
      const others = signatures.slice(1);
      const names = [...new Set(fields.map((f) => f.name))].map((n) => `\`${n}\``).join(', ');
      const copies = others.length > 0
        ? ` ${others.length === 1 ? 'One other payload carries' : `${others.length} other payloads carry`} a document under the same name (listed as related locations), so every document is written ${signatures.length} times or more.`
        : '';
      const listed = fields.map((field) => `\`${field.path}\` (${field.typeText}${field.declaredIn ? `, in ${field.declaredIn.name} declared in ${relativePath(model.root, field.declaredIn.location.file)}` : ''})`).join(', ');
      const namedBy = fields.find((f) => f.namedBy)?.namedBy;
      const what = namedBy
        ? `a string the code itself treats as a whole document: it hands the value to \`${namedBy.name}\` (${relativePath(model.root, namedBy.location.file)}:${namedBy.location.line})`
        : fields.length > 1 ? 'strings whose names say they hold whole documents'
          : fields[0]!.path === first.valueName && first.direction === 'result' ? `a string the function's name says is a whole document (\`${fields[0]!.name}\`)`
            : 'a string whose name says it holds a whole document';
      const declared = [...new Map(fields.flatMap((f) => (f.declaredIn ? [[`${f.declaredIn.location.file}:${f.declaredIn.location.line}`, f.declaredIn] as const] : []))).values()];
      ctx.report({
        location: first.location,
        message:
          `${payloadSubject(first)} ${listed}, ${what}. ` +
          `Temporal writes every ${entersAs(first)} into the workflow history and keeps it for the retention period.${copies} ` +
          'A large document (a long Markdown source, a rendered HTML page, a file encoded as base64) fails the workflow at the 2 MiB payload limit. ' +
          'The type does not say how large it gets: give --histories to measure real payloads (history-payload-over-limit, history-size-over-budget).',
        fix:
          'Store the document where it belongs (the database, object storage) and pass its key or id (and a version or hash if it changes); ' +
          'the activity that needs the text loads it by key, and an activity that produces one stores it and returns the key.',
        ...(others.length > 0 || namedBy || declared.length > 0
          ? {
              related: [
                ...declared.map((d) => ({ ...d.location, message: `${d.name} is declared here` })),
                ...(namedBy ? [{ ...namedBy.location, message: `handed to \`${namedBy.name}\` here` }] : []),
                ...others.map((s) => ({ ...s.location, message: `${payloadSubject(s)} ${names} too` })),
              ],
            }
          : {}),
        data: {
          kind: first.kind,
          name: first.name,
          direction: first.direction,
          value: first.valueName,
          paths: fields.map((f) => f.path),
          fields: fields.map((f) => f.name),
          types: fields.map((f) => f.typeText),
          ...(namedBy ? { namedBy: namedBy.name } : {}),
          ...(others.length > 0 ? { alsoIn: others.map((s) => `${s.kind} ${s.name} ${s.direction}`) } : {}),
        },
      });
    }
  },
});


function entersAs(site: PayloadSiteFacts): string {
  if (site.kind === 'activity') return site.direction === 'result' ? 'activity result' : 'activity input';
  if (site.kind === 'workflow') return site.direction === 'result' ? 'workflow result' : 'workflow input';
  return site.direction === 'result' ? 'update result' : `${site.kind} argument`;
}
