// Names in one finding that covers many (workflow types without an alert, workers without
// metrics): versioned copies of one workflow (postWorkflowV101 ... postWorkflowV109, fooV2,
// foo_v2) are shown as one family, and a long list is cut, so the message stays one sentence.

/** `postWorkflowV101`, `fooV2`, `foo_v2`, `foo-v1.0.3` -> `postWorkflow`, `foo`; others unchanged. */
export function versionFamily(name: string): string {
  const stripped = name.replace(/(?:[_-]?v|V)\d+(?:[._-]\d+)*$/, '');
  return stripped.length > 0 && stripped !== name ? stripped : name;
}

/**
 * "a, b and c"; versions of one family as "postWorkflowV101 … postWorkflowV109 (9 versions)";
 * past `max` entries, "and N more".
 */
export function listNames(names: readonly string[], max = 8): string {
  const families = new Map<string, string[]>();
  for (const name of names) {
    const family = versionFamily(name);
    families.set(family, [...(families.get(family) ?? []), name]);
  }
  const entries = [...families.values()].map((members) => {
    if (members.length === 1) return members[0]!;
    const sorted = [...members].sort(compareVersions);
    return `${sorted[0]} … ${sorted[sorted.length - 1]} (${sorted.length} versions)`;
  });
  const shown = entries.slice(0, max);
  const rest = entries.length - shown.length;
  const parts = rest > 0 ? [...shown, `${rest} more`] : shown;
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** Numeric parts compared as numbers: fooV2 before fooV10. */
function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
