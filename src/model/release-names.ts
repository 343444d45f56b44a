// What in a name says which release of the code it belongs to, for every front-end: an
// environment variable like VERSION / GIT_SHA / BUILD_ID, a variable or field named version,
// buildId, gitSha or commitSha, or a semantic version written in a string (`orders@1.4.2`).

/** Environment variables that hold the release: `VERSION`, `APP_VERSION`, `GIT_SHA`, `BUILD_ID`... */
export const VERSION_ENV = /(?:^|_)(?:VERSION|GIT_SHA|COMMIT_SHA|COMMIT|SHA|BUILD_ID|BUILD_NUMBER|RELEASE|REVISION)$/;
/** Variable and field names that hold the release (camelCase; snake_case is read with its underscores dropped). */
export const VERSION_NAME = /^(?:(?:app|package|release|build|code|service|worker)?version|build_?id|build_?number|git_?sha|commit_?sha|git_?commit|revision)$/i;
const SEMVER_IN_STRING = /(?:^|[@\-_.:/])v?\d+\.\d+\.\d+/;

/** The semantic version written in a string (`1.4.2` of `orders@1.4.2`), if any. */
export function semverIn(text: string): string | undefined {
  return SEMVER_IN_STRING.exec(text)?.[0].replace(/^[@\-_.:/]/, '');
}
