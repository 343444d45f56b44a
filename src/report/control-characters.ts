// Names from input (workflow types and ids in histories, string literals and file names in the
// reviewed code) can hold control characters: an ESC sequence sets a terminal's title or clears
// its screen, a newline forges a line such as a fake `GO:` in a report. Every text output (pretty,
// compact, Markdown, replay, messages on stderr) shows them as visible escapes instead. JSON, SARIF
// and HTML have their own escaping and keep the data as it is.

// C0 controls, DEL, C1 controls, and the bidirectional overrides that reorder what a reader sees
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** `a\nb` -> `a\x0ab`: every control character as a visible escape. */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** A copy of plain data (objects, arrays) with every string escaped; the input is left as it is. */
export function escapeControlCharactersIn<T>(value: T): T {
  return escapeValue(value) as T;
}

function escapeValue(value: unknown): unknown {
  if (typeof value === 'string') return HAS_CONTROL.test(value) ? escapeControlCharacters(value) : value;
  if (Array.isArray(value)) return value.map(escapeValue);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [escapeControlCharacters(key), escapeValue(inner)]));
  }
  return value;
}

// colour codes (SGR) this tool writes itself
// eslint-disable-next-line no-control-regex
const OUTPUT_CONTROL = /\x1b\[[0-9;]*m|[\n\r\t]|[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The last line of defence for text written to stdout and stderr: control characters escaped
 * except line breaks, tabs and colour codes. Names are escaped before formatting (a newline in a
 * name is escaped there); this catches what a formatter might have missed.
 */
export function escapeTerminalOutput(text: string): string {
  return HAS_CONTROL.test(text) ? text.replace(OUTPUT_CONTROL, (c) => (c.length > 1 || c === '\n' || c === '\r' || c === '\t' ? c : escapeControlCharacters(c))) : text;
}
