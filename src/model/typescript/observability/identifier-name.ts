// Names that hold identifiers or other exact-match values (OrderId, customer_id, Email, Sku): the
// search attributes that must be KEYWORD, and the inputs that tie a workflow to one entity.

const SUFFIXES = 'Id|ID|Ids|IDs|Key|Number|Num|No|Code|Ref|Reference|Sku|SKU|Uuid|UUID|Email|Phone|Hash|Token';
const CAMEL_SUFFIX = new RegExp(`[a-z0-9](?:${SUFFIXES})$`);
const SNAKE_SUFFIX = new RegExp(`[_-](?:${SUFFIXES})$`, 'i');
const WHOLE_NAME = new RegExp(`^(?:${SUFFIXES})$`, 'i');

/** Case matters: `OrderId` and `order_id` are identifiers, `Paid` and `Monkey` are not. */
export function isIdentifierName(name: string): boolean {
  return CAMEL_SUFFIX.test(name) || SNAKE_SUFFIX.test(name) || WHOLE_NAME.test(name);
}
