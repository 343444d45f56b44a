// Text from reviewed code (messages quoting source, file names, workflow types) must render as
// text in GitHub Markdown: no HTML, no links, no @mentions or #references that notify people.

/** Escapes text for a Markdown paragraph or table cell; newlines become spaces. */
export function escapeMarkdown(text: string): string {
  // One pass, so an entity written for one character is never escaped again by another rule.
  return text.replace(/\r?\n|[&<>@#\\`*_[\]()|~!{}]/g, (c) => ENTITIES[c] ?? (c.endsWith('\n') ? ' ' : `\\${c}`));
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '@': '&#64;', '#': '&#35;' };

/** A relative link target: each path segment percent-encoded, so spaces and brackets survive. */
export function encodePath(file: string): string {
  return file
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}
