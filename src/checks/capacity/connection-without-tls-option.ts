// Keeps the deployment's security a configuration choice: a Temporal connection
// (`Connection.connect`, `NativeConnection.connect`, `new Connection`) whose options are written
// out in the code with no `tls`, `apiKey` or `metadata` can only ever talk plain-text gRPC to an
// unauthenticated server. Pointing the application at a server that requires TLS or mTLS, or at
// Temporal Cloud (TLS plus an API key or client certificate), then takes a code change, not a
// configuration change. Options that come from a helper or a config object the review cannot see
// into, or that spread anything unresolved, are left alone. Info: an in-cluster server without TLS
// is a legitimate deployment. Python: `Client.connect` with no tls, api_key or rpc_metadata keyword
// and nothing spread in (python-plain-connections.ts).

import ts from 'typescript';
import { defineCheck } from '../define-check.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { isToolCode } from '../../model/tool-code.js';
import { relativePath } from '../../model/typescript/locate.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { StaticValue, TemporalModel } from '../../model/typescript/types.js';

const CONNECTIONS = ['Connection', 'NativeConnection'];
const FACTORIES = ['connect', 'create', 'lazy'];
/** Options that secure or authenticate the connection. */
const SECURITY = ['tls', 'apiKey', 'metadata'];

export default defineCheck({
  id: 'connection-without-tls-option',
  area: 'capacity',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'A Temporal connection whose options, written in the code, have no tls, apiKey or metadata: a secured server or Temporal Cloud needs a code change',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    if (python) {
      for (const connection of python.plainConnections ?? []) {
        if (!isService(relativePath(ctx.root, connection.location.file))) continue;
        const target = connection.target !== undefined ? ` (target '${connection.target}')` : '';
        ctx.report({
          location: connection.location,
          message:
            `Client.connect is called${target} with no tls, api_key or rpc_metadata argument, so it can only reach a server that accepts plain-text, unauthenticated gRPC. ` +
            PYTHON_TAIL,
          fix:
            'Read the connection settings from configuration: tls (True, or a TLSConfig for mTLS) and api_key from the environment or a secret, ' +
            "e.g. Client.connect(target, namespace=namespace, tls=os.environ.get('TEMPORAL_TLS') == 'true', api_key=os.environ.get('TEMPORAL_API_KEY')).",
          data: { api: 'Client.connect' },
        });
      }
      return;
    }
    for (const file of model.files) {
      if (model.workflowFiles.has(file)) continue;
      if (!isService(relativePath(ctx.root, file))) continue;
      const sourceFile = model.sourceFile(file);
      if (!sourceFile || !/Connection/.test(sourceFile.text)) continue;
      const visit = (node: ts.Node): void => {
        const api = connectionCall(node, model);
        if (api) {
          const call = node as ts.CallExpression | ts.NewExpression;
          const argument = call.arguments?.[0];
          const options: StaticValue | undefined = argument ? model.resolveValue(argument) : undefined;
          if (!argument || plainOptions(options, argument)) {
            const address = addressOf(options);
            ctx.report({
              location: model.locate(call),
              message:
                (argument
                  ? `${api} connects with options written here${address} and no tls, apiKey or metadata option, so it can only reach a server that accepts plain-text, unauthenticated gRPC. `
                  : `${api} is called with no options, so it connects to localhost:7233 in plain text without credentials, whatever the environment says. `) +
                'Pointing it at a server that requires TLS or mTLS, or at Temporal Cloud (TLS plus an API key or a client certificate), takes a code change rather than a configuration change.',
              fix:
                'Read the connection settings from configuration: tls (true, or { clientCertPair } for mTLS) and apiKey from the environment or a secret, ' +
                "e.g. { address, tls: process.env.TEMPORAL_TLS === 'true' || undefined, apiKey: process.env.TEMPORAL_API_KEY }; read the namespace from configuration too.",
              data: { api },
            });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sourceFile);
    }
  },
});

const PYTHON_TAIL =
  'Pointing it at a server that requires TLS or mTLS, or at Temporal Cloud (TLS plus an API key or a client certificate), takes a code change rather than a configuration change.';

function isService(relative: string): boolean {
  return !isToolCode(relative);
}

/** `Connection.connect(...)`, `NativeConnection.create(...)`, `new Connection(...)`: the class name. */
function connectionCall(node: ts.Node, model: TemporalModel): string | undefined {
  if (ts.isNewExpression(node)) {
    const api = model.temporalApiOf(node.expression);
    return api && api.name === 'Connection' ? `new ${api.name}` : undefined;
  }
  if (!ts.isCallExpression(node)) return undefined;
  const callee = skipOuterExpressions(node.expression);
  if (!ts.isPropertyAccessExpression(callee) || !FACTORIES.includes(callee.name.text)) return undefined;
  const api = model.temporalApiOf(callee.expression);
  return api && CONNECTIONS.includes(api.name) ? `${api.name}.${callee.name.text}` : undefined;
}

/** An options object resolved in full, with no security option written or possibly spread in. */
function plainOptions(options: StaticValue | undefined, argument: ts.Expression): boolean {
  if (!options || options.kind !== 'object') return false;
  if (options.unknownSpreads.length > 0) return false;
  if (SECURITY.some((key) => options.properties.has(key) || options.maybeProperties?.has(key))) return false;
  // Options assembled elsewhere (a helper, a config object) that mention security: left alone.
  const source = skipOuterExpressions(argument);
  if (!ts.isObjectLiteralExpression(source)) return false;
  return !/\b(tls|apiKey|metadata)\b/.test(source.getText());
}

function addressOf(options: StaticValue | undefined): string {
  const address = options?.kind === 'object' ? options.properties.get('address') : undefined;
  if (!address) return '';
  if (address.kind === 'string' && address.configurable) return ` (address from process.env.${address.configurable.env}, default '${address.value}')`;
  if (address.kind === 'string') return ` (address '${address.value}')`;
  return '';
}
