// Node's DEP0123 ("Setting the TLS ServerName to an IP address is not permitted") is printed by
// the gRPC client on every TLS connection to an address like 10.0.0.5:7233. It is about how the
// SDK's dependency calls tls.connect, not something a user of this tool can act on, and it used
// to be the first stderr line of every such run. Every other warning still prints.

const emitWarning = process.emitWarning.bind(process);

process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const options = rest[0];
  const code = typeof options === 'object' && options !== null ? (options as { code?: unknown }).code : rest[1];
  if (code === 'DEP0123') return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
