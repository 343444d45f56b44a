// Which path texts name a place on the worker's own disk, for the front-ends that record the local
// paths an activity uses. Computed parts are written `{name}`.

/** Relative to the working directory (`dumps/{id}`, `./out`) or under /tmp; not a URL, not computed at its root. */
export function isLocalPath(text: string): boolean {
  if (text.includes('://') || text.startsWith('{')) return false;
  // A media type (`application/json`) is not a path.
  if (/^(application|text|image|audio|video|multipart|font)\/[\w.+-]+$/.test(text)) return false;
  if (/^\/(tmp|var\/tmp)\/./.test(text)) return true;
  // Any other absolute path may be a mounted volume or a network share.
  if (text.startsWith('/')) return false;
  // A directory written as a word then a slash, then a computed part or a file name.
  return /^(\.\/)?[A-Za-z0-9_.-]+\/./.test(text) && !/\s/.test(text);
}
