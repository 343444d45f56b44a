// Prevents histories that grow with the data: activities, workflows, signals and updates that pass
// arrays, binary data or large object graphs as payloads write them into history for the whole
// retention period and fail at the 2 MiB payload limit once the data grows.

import { defineCheck } from '../define-check.js';
import { relativePath } from '../../model/typescript/locate.js';
import { findCollectionCarrier, LARGE_OBJECT_PROPERTIES, payloadSignatures, payloadSubject, thirdPartyResponse, continueAsNewCarrying, type ThirdPartyResponse } from '../../model/typescript/payload-types/index.js';
import type { SourceLocation, TemporalModel } from '../../model/typescript/types.js';
import type { CodeModel, CollectionCarrierFacts as CollectionCarrier, PayloadSiteFacts as PayloadSignature } from '../../model/types.js';

export default defineCheck({
  id: 'payload-carries-collection',
  area: 'payloads',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'Activity, workflow, signal or update payloads whose types carry arrays, binary data or large object graphs',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const { site: signature, carrier, response, carriedOn } of collectionCarriers(model)) {
      if (response) {
        // The activity hands back an SDK's whole response object: say which, and what to return instead.
        const fields = response.arrayFields.map((f) => `${f.name} (${f.typeText})`).join(', ');
        ctx.report({
          location: signature.location,
          severity: 'info',
          message:
            `Activity ${signature.name} returns ${response.typeName}, a whole response type of the package ${response.packageName}, with the array field${response.arrayFields.length === 1 ? '' : 's'} ${fields}. ` +
            'Temporal writes every activity result into the workflow history and keeps it for the retention period: all of the response goes in, arrays included, though the workflow usually reads a field or two, and a large one fails the workflow at the 2 MiB payload limit.',
          fix: `Return only the fields of ${response.typeName} the workflow uses (a status, a hash, a count), as a small object of your own.`,
          data: { kind: signature.kind, name: signature.name, direction: signature.direction, value: signature.valueName, carrier: 'third-party-response', type: response.typeName, package: response.packageName, arrayFields: response.arrayFields.map((f) => f.name) },
        });
        continue;
      }
      // A type says a value is a list, not how long it gets: real code passes one-element arrays,
      // capped pages and short id lists as often as datasets. Binary data is bulk by nature; the
      // size of the rest is "cannot tell" statically, and histories measure it.
      const sized = carrier.kind === 'binary';
      ctx.report({
        location: signature.location,
        ...(sized ? {} : { severity: 'info' as const }),
        message:
          `${subject(signature)} ${describeCarrier(carrier, signature.valueName, model.root)}. Temporal writes every ${signature.kind === 'activity' ? 'activity input and result' : `${signature.kind} ${signature.direction}`} ` +
          'into the workflow history and keeps it for the retention period: the history grows with the data, and one large value fails the workflow at the 2 MiB payload limit.' +
          (carriedOn ? ` ${signature.name} hands it on to continueAsNew (line ${carriedOn.line}), so every run stores it again in its own history, and every execution started with it holds its own copy.` : '') +
          (sized ? '' : ' The type does not say how large it gets: give --histories to measure real payloads (history-payload-over-limit, history-size-over-budget).'),
        fix: carriedOn
          ? `Pass the id (and version) of ${carrier.path} instead and load it in an activity where it is needed; pass only ids and small values on to continueAsNew.`
          : 'Pass identifiers and small summaries (an order id, a count, a total) and keep the data in its system of record; ' +
          'the activity that needs the data loads it by id (the coordinator pattern).',
        ...(carrier.declaredIn || carriedOn
          ? { related: [...(carrier.declaredIn ? [{ ...carrier.declaredIn.location, message: `${carrier.declaredIn.name} is declared here` }] : []), ...(carriedOn ? [{ ...carriedOn, message: 'handed on to the next run here' }] : [])] }
          : {}),
        data: {
          kind: signature.kind,
          name: signature.name,
          direction: signature.direction,
          value: signature.valueName,
          path: carrier.path,
          carrier: carrier.kind,
          type: carrier.typeText,
          ...(carrier.nested ? { nested: true } : {}),
          ...(carriedOn ? { continueAsNew: carriedOn.line } : {}),
        },
      });
    }
  },
});

/** Payloads and what they carry: computed by the front-end (Python), or read from the TypeScript checker. */
function collectionCarriers(model: TemporalModel): { site: PayloadSignature; carrier: CollectionCarrier & { nested?: boolean }; response?: ThirdPartyResponse; carriedOn?: SourceLocation }[] {
  const facts = (model as CodeModel).payloadFacts;
  if (facts) return facts.collections;
  return payloadSignatures(model).flatMap((site) => {
    const carrier = findCollectionCarrier(site.type, site.checker, site.valueName);
    if (!carrier) return [];
    const response = thirdPartyResponse(site);
    // A definition-like value (an array of nested objects) carried on is stored again per run; a
    // queue of pending work handed to the next run is the usual way to carry state, not noted.
    const carriedOn = carrier.nested ? continueAsNewCarrying(model, site) : undefined;
    return [{ site, carrier, ...(response ? { response } : {}), ...(carriedOn ? { carriedOn } : {}) }];
  });
}

function subject(signature: PayloadSignature): string {
  return signature.direction === 'result' ? payloadSubject(signature) : `${payloadSubject(signature)} \`${signature.valueName}\`, which holds`;
}

function describeCarrier(carrier: CollectionCarrier, valueName: string, root: string): string {
  const at = carrier.path !== valueName ? ` at ${carrier.path}` : '';
  const holder = carrier.declaredIn;
  const declared = !holder ? '' : holder.name === carrier.typeText ? `, declared in ${relativePath(root, holder.location.file)}` : `, in ${holder.name} declared in ${relativePath(root, holder.location.file)}`;
  switch (carrier.kind) {
    case 'array':
      return `an array${at} (${carrier.typeText}${declared}): how long it gets depends on the data, not on the type`;
    case 'binary':
      return `binary data${at} (${carrier.typeText})`;
    case 'map':
      return `a map whose type does not fix its keys${at} (${carrier.typeText}${declared}): how many keys it holds depends on the data`;
    case 'large-object':
      return `a large object graph${at} (${carrier.typeText}${declared}; more than ${LARGE_OBJECT_PROPERTIES} fields)`;
  }
}
