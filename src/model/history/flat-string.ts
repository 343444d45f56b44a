// Strings cut out of a parsed chunk may share the chunk's memory (V8 keeps a "sliced" string
// pointing into its parent), so one kept activity name would keep a whole 1 MiB chunk alive.
// Everything the parser's consumers keep beyond the current event goes through intern() or
// flatCopy(), which hold an independent copy instead.

const MAX_INTERNED = 100_000;
const interned = new Map<string, string>();

/** An independent copy of the string (no reference to the text it was cut from). */
export function flatCopy(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

/** One shared independent copy per distinct string (names repeat across events and files). */
export function intern(value: string): string {
  const known = interned.get(value);
  if (known !== undefined) return known;
  const copy = flatCopy(value);
  if (interned.size < MAX_INTERNED) interned.set(copy, copy);
  return copy;
}
