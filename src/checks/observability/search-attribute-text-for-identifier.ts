// Prevents searches that cannot find an execution by its id: a TEXT attribute is tokenized for
// full-text search, so `OrderId = "A-123"` matches the wrong executions or none.

import { defineCheck } from '../define-check.js';
import { isIdentifierName } from '../../model/typescript/observability/identifier-name.js';

export { isIdentifierName };

export default defineCheck({
  id: 'search-attribute-text-for-identifier',
  area: 'observability',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'An identifier (…Id, …Key, …Number, Email) defined as a TEXT search attribute instead of KEYWORD.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    for (const key of model.searchAttributeKeys) {
      if (key.type !== 'TEXT' || !key.name || !isIdentifierName(key.name)) continue;
      ctx.report({
        location: key.location,
        message:
          `Search attribute ${key.name} holds an identifier but is defined as TEXT. TEXT values are tokenized for full-text search: ` +
          `${key.name} = "A-123" also matches "A 123" and "123-A", cannot be sorted or grouped, and exact lookups during an incident return the wrong executions.`,
        fix: `Define it as SearchAttributeType.KEYWORD (and register it as Keyword on the namespace); the type of a registered attribute cannot be changed, so pick a new name if ${key.name} already exists as Text.`,
        data: { name: key.name, type: key.type },
      });
    }
  },
});
