// Names that look like credentials: parameters, fields and types called token, secret, password,
// apiKey, credentials and the like. Words are split from camelCase and snake_case, so
// `stripeApiKey` and `DB_PASSWORD` match while `pageToken`, `maxTokens` and `secretary` do not.

const SECRET_WORDS = new Set(['password', 'passwd', 'passphrase', 'secret', 'secrets', 'credential', 'credentials', 'apikey', 'privatekey', 'accesskey', 'clientsecret', 'bearer', 'jwt', 'pin', 'cvv', 'cvc']);
/** token is a secret with these words, or alone. */
const SECRET_TOKEN_WORDS = new Set(['access', 'auth', 'refresh', 'bearer', 'session', 'id', 'api', 'oauth', 'github', 'slack', 'stripe', 'security', 'signing', 'reset', 'invite', 'invitation', 'verification', 'magic']);
/** token with these words is not a secret (pagination, LLM usage, cancellation, idempotency). */
const HARMLESS_TOKEN_WORDS = new Set(['page', 'next', 'continuation', 'cancellation', 'cancel', 'count', 'counts', 'max', 'min', 'limit', 'usage', 'idempotency', 'sync', 'cursor', 'input', 'output', 'completion', 'prompt', 'total', 'used']);

/**
 * A word right before `token` that makes it a device push token (APNs, FCM/GCM, Expo): the address
 * of a device, not a credential. Sending a notification needs the app's own server key or
 * certificate, which is not in the payload. `registration` is FCM's name for it; a qualifier
 * between the two (`registration_access_token`, OAuth's client-registration credential) keeps it a secret.
 */
const DEVICE_TOKEN_WORDS = new Set(['push', 'device', 'fcm', 'gcm', 'apns', 'apn', 'expo', 'registration']);

/** `push_token`, `deviceToken`, `fcm_token`, `expo_push_token`, `registration_token`: a device push token. */
export function isDevicePushToken(name: string): boolean {
  const words = nameWords(name);
  return words.some((word, i) => (word === 'token' || word === 'tokens') && i > 0 && DEVICE_TOKEN_WORDS.has(words[i - 1]!));
}

/**
 * A bare `token` whose holder (the class that declares it, the activity or workflow that takes it)
 * is named after device push tokens: `PushTokenInput.token`, `delete_push_token(token)`.
 * `registration` alone is too common a word for a holder (`RegistrationTokenInput` may be a sign-up token).
 */
export function namesDevicePushToken(holder: string | undefined): boolean {
  if (!holder) return false;
  const words = nameWords(holder);
  return words.some((word, i) => (word === 'token' || word === 'tokens') && i > 0 && DEVICE_TOKEN_WORDS.has(words[i - 1]!) && words[i - 1] !== 'registration');
}

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

/**
 * `token` or `tokens` alone. Only a string held under that name is taken for a credential: an
 * object, a number or `any` named so is a domain term (the asset of a crypto transfer, counted LLM
 * tokens). Qualified names (accessToken, apiToken) are credentials whatever their type.
 */
export function isBareToken(name: string): boolean {
  const words = nameWords(name);
  return words.length === 1 && (words[0] === 'token' || words[0] === 'tokens');
}

/**
 * A first word that makes the name a flag about a credential, not the credential:
 * `sendPasswordReset`, `isPasswordSet`, `requiresApiKey`.
 */
const FLAG_PREFIXES = new Set(['is', 'has', 'should', 'can', 'must', 'send', 'require', 'requires', 'enable', 'allow', 'use', 'force', 'needs', 'skip', 'show', 'hide', 'include']);
/**
 * A last word that makes the name a reference to a credential or a fact about it, not the
 * credential: `certificateSecretName`, `secretArn`, `apiKeyId`, `passwordExpiresAt`, `tokenType`;
 * where it lives or who issues it (`credentialSource`, `credentialsProvider`, `secretStore`,
 * `tokenIssuer`), how it is kept or used (`credentialMode`, `privateKeyFormat`, `apiKeyScopes`)
 * and the parts shown to identify it (`apiKeyPrefix`, `apiKeyFingerprint`).
 */
const REFERENCE_SUFFIXES = new Set([
  'name', 'names', 'id', 'ids', 'ref', 'refs', 'reference', 'path', 'file', 'arn', 'type', 'kind', 'length', 'hint', 'policy',
  'expires', 'expiry', 'expiration', 'at', 'enabled', 'required', 'set', 'changed', 'count', 'version', 'label', 'configured', 'exists', 'present', 'rotation',
  'ttl', 'status', 'state',
  'source', 'sources', 'provider', 'providers', 'origin', 'store', 'backend', 'location', 'issuer', 'mode', 'strategy', 'format', 'scope', 'scopes',
  'prefix', 'fingerprint', 'provided', 'missing',
]);
/** A word anywhere that makes the name a fact about when a credential lapses: `accessTokenExpiresIn`, `refresh_token_expiry_seconds`. */
const EXPIRY_WORDS = new Set(['expires', 'expiry', 'expiration', 'expired']);

/** True when a parameter, field or type name looks like it holds a credential. */
export function looksLikeSecret(name: string): boolean {
  const words = nameWords(name);
  if (words.length > 1 && (FLAG_PREFIXES.has(words[0]!) || REFERENCE_SUFFIXES.has(words[words.length - 1]!) || words.some((w) => EXPIRY_WORDS.has(w)))) return false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const next = words[i + 1];
    if (SECRET_WORDS.has(word)) return true;
    // api key, private key, access key, client secret written as two words
    if (next && SECRET_WORDS.has(word + next)) return true;
    if (word === 'token' || word === 'tokens') {
      // a device push token (push_token, fcm_token) addresses a device; other words still count (push_token_secret)
      if (i > 0 && DEVICE_TOKEN_WORDS.has(words[i - 1]!)) continue;
      if (words.some((w) => HARMLESS_TOKEN_WORDS.has(w))) return false;
      if (words.length === 1 || words.some((w) => SECRET_TOKEN_WORDS.has(w))) return true;
    }
  }
  return false;
}
