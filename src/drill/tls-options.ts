// The `tls` option of a Temporal connection (client Connection or worker NativeConnection, which
// take the same shape) from mTLS files: a client certificate pair and/or a server root CA; plain
// `true` when only an API key is given (Temporal Cloud wants TLS with it). No SDK import here, so
// the drill's worker process can use it without loading the client package.

export interface TlsFiles {
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
}

export type TlsOption = { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer } | true | undefined;

/** `read(file, flag)` reads one file (and says which flag named it when it cannot). */
export function tlsOption(files: TlsFiles, withApiKey: boolean, read: (file: string, flag: string) => Buffer): TlsOption {
  if (!files.tlsCert && !files.tlsCa) return withApiKey ? true : undefined;
  return {
    ...(files.tlsCert && files.tlsKey ? { clientCertPair: { crt: read(files.tlsCert, '--tls-cert'), key: read(files.tlsKey, '--tls-key') } } : {}),
    ...(files.tlsCa ? { serverRootCACertificate: read(files.tlsCa, '--tls-ca') } : {}),
  };
}
