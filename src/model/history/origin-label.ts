// Readable names for where a payload sits: "activity fetchOrders result", "signal addItem",
// "memo customer", for reports and messages.

import type { PayloadOrigin } from './types.js';

export function originLabel(origin: PayloadOrigin): string {
  const name = origin.name ?? '(unnamed)';
  switch (origin.site) {
    case 'activity':
      return `activity ${name} ${origin.direction}`;
    case 'child-workflow':
      return `child workflow ${name} ${origin.direction}`;
    case 'signal':
      return origin.direction === 'input' ? `signal ${name}` : `signal ${name} ${origin.direction}`;
    case 'external-signal':
      return `signal ${name} sent to another workflow`;
    case 'marker':
      return `marker ${name}${origin.direction === 'failure' ? ' failure' : ''}`;
    case 'update':
      return `update ${name} ${origin.direction}`;
    case 'nexus':
      return `Nexus operation ${name} ${origin.direction}`;
    case 'memo':
      return `memo ${name}`;
    case 'search-attribute':
      return `search attribute ${name}`;
    case 'header':
      return `header ${name}`;
    case 'workflow':
      if (origin.name === 'continue-as-new') return 'workflow input (continue-as-new)';
      if (origin.name === 'last-completion-result') return 'workflow last completion result';
      return `workflow ${origin.direction}`;
    case 'workflow-task':
      return `workflow task ${origin.direction}`;
    default:
      return `${origin.direction}${origin.name ? ` ${origin.name}` : ''}`;
  }
}
