// Tests start their own Temporal dev server through the same code the drills use, so a broken
// start-up shows in the tests first. A missing CLI fails the test with the install hint.

import type { DevServerSearchAttributeKind } from '../../src/drill/dev-server.js';

export {
  startDevServer,
  findTemporalCli,
  freeLoopbackPort,
  TemporalCliMissingError,
  type DevServer,
  type DevServerOptions,
} from '../../src/drill/dev-server.js';

/** The search attributes the example apps write at workflow start. */
export const EXAMPLE_SEARCH_ATTRIBUTES: Record<string, DevServerSearchAttributeKind> = {
  OrderId: 'Keyword',
  CustomerId: 'Keyword',
};
