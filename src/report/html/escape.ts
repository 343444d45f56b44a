// Every string that reaches the page from reviewed code or histories goes through here: workflow
// type names, messages quoting source, file paths. The page must show them as text, never run them.

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text content and attribute values (attributes are always double-quoted here). */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/** A tagged template that escapes every interpolated value unless it is already markup. */
export function html(strings: TemplateStringsArray, ...values: (Markup | string | number | undefined | null | false | Markup[])[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += toMarkup(value) + (strings[i + 1] ?? '');
  });
  return new Markup(out);
}

/** Markup that is already safe (built by `html` or by the chart code from escaped parts). */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** For markup assembled from parts that were each escaped by the caller (SVG paths, numbers). */
export function trusted(text: string): Markup {
  return new Markup(text);
}

function toMarkup(value: Markup | string | number | undefined | null | false | Markup[]): string {
  if (value === undefined || value === null || value === false) return '';
  if (Array.isArray(value)) return value.map((v) => v.text).join('');
  if (value instanceof Markup) return value.text;
  return escapeHtml(value);
}
