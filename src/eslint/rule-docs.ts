// Rule metadata comes from the check of the same id, so the editor, the CLI and the docs pages
// describe a defect in the same words.

import type { Rule } from 'eslint';
import { checks } from '../checks/index.js';
import { DOCS_BASE_URL } from '../engine/tool-info.js';

export function ruleDocs(checkId: string): NonNullable<Rule.RuleMetaData['docs']> {
  const check = checks.find((c) => c.id === checkId);
  if (!check) throw new Error(`no check ${checkId} in the registry`);
  return { description: check.description, recommended: true, url: `${DOCS_BASE_URL}${checkId}.md` };
}

/** The check's default severity: the recommended config turns its rule on as an error or a warning. */
export function checkSeverity(checkId: string): 'error' | 'warning' | 'info' {
  const check = checks.find((c) => c.id === checkId);
  if (!check) throw new Error(`no check ${checkId} in the registry`);
  return check.severity;
}
