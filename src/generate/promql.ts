// Building blocks for the PromQL the generators write: label matchers with correct escaping.

export type LabelMatcher = [label: string, op: '=' | '!=' | '=~' | '!~', value: string];

/** A double-quoted PromQL string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** A regex (RE2, fully anchored by Prometheus) matching exactly the given values. */
export function anyOf(values: readonly string[]): string {
  return values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** `name{label="value",...}` */
export function selector(name: string, matchers: readonly LabelMatcher[] = []): string {
  if (matchers.length === 0) return name;
  return `${name}{${matchers.map(([label, op, value]) => `${label}${op}${quote(value)}`).join(', ')}}`;
}

/** A matcher on a label for one value or several. */
export function labelIn(label: string, values: readonly string[]): LabelMatcher {
  return values.length === 1 ? [label, '=', values[0]!] : [label, '=~', anyOf(values)];
}
