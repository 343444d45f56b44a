/** Source text on one line, cut to `max` characters with "...": an expression quoted in a message. */
export function shortText(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}
