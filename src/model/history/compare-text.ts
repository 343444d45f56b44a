// Code-point order for sorting names and paths: unlike localeCompare it does not depend on the
// machine's locale, so reports are identical everywhere.

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
