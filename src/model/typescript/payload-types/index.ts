// Type-checker helpers for the payload checks: where payloads are handed to Temporal, what their
// types carry (collections, credential-looking fields), and workflow loops that grow history.

export { findCollectionCarrier, LARGE_OBJECT_PROPERTIES, type CarrierKind, type CollectionCarrier } from './collection-carrier.js';
export { payloadSignatures, payloadSubject, type PayloadSignature, type PayloadSignatureKind } from './payload-signatures.js';
export { findSecretFields, type SecretField } from './secret-fields.js';
export { secretCarriers, type SecretCarrier } from './secret-carriers.js';
export { isDevicePushToken, looksLikeSecret, namesDevicePushToken, nameWords } from './secret-names.js';
export { HISTORY_LIMIT_EVENTS, HISTORY_WARNING_EVENTS, unboundedLoops, type HistoryGrowth, type ScheduledWork, type UnboundedLoop } from './unbounded-loops.js';
export type { LoopBound } from './loop-bounds.js';
export type { TurnWait } from './turn-wait.js';
export { payloadCodecs, type PayloadCodecUse } from './payload-codecs.js';
export { continueAsNewCarrying, thirdPartyResponse, type ThirdPartyResponse } from './third-party-response.js';
export { documentCarriers, groupDocumentCarriers } from './document-fields.js';
export { documentReturnedBy, isAmbiguousBody, namesDocument } from './document-names.js';
