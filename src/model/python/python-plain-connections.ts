// `Client.connect(target, ...)` calls with no `tls`, `api_key` or `rpc_metadata` keyword and
// nothing spread in (`**options`, `*args`): the client can only reach a server that accepts
// plain-text, unauthenticated gRPC (connection-without-tls-option).

import type { SourceLocation } from '../types.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, locateNode, stringLiteral } from './python-syntax.js';

export interface PlainConnection {
  location: SourceLocation;
  /** The target host as a string literal, when it is one. */
  target?: string;
  /** The call has no target at all. */
  noArguments: boolean;
}

const CONNECT = 'temporalio.client.Client.connect';
const SECURITY = ['tls', 'api_key', 'rpc_metadata'];

export function pythonPlainConnections(files: string[], modules: PythonModules): PlainConnection[] {
  const found: PlainConnection[] = [];
  for (const file of files) {
    const tree = modules.files.get(file)?.tree;
    if (!tree) continue;
    for (const call of tree.rootNode.descendantsOfType('call')) {
      const callee = call?.childForFieldName('function');
      if (!call || !callee || modules.qualifiedName(file, callee) !== CONNECT) continue;
      const args = callArguments(call);
      if (args.spreads.length || args.starred || SECURITY.some((key) => args.keywords.has(key))) continue;
      const targetNode = args.keywords.get('target_host') ?? args.positional[0];
      const target = targetNode ? stringLiteral(targetNode) : undefined;
      found.push({ location: locateNode(file, call), ...(target !== undefined ? { target } : {}), noArguments: !targetNode });
    }
  }
  return found;
}
