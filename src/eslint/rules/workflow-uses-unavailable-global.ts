// ESLint form of the check of the same id: globals the workflow sandbox lacks (process, Buffer,
// fetch, setInterval, ...) fail the workflow task with a ReferenceError, retried forever.

import type { Rule } from 'eslint';
import { globalReferencesInFile, UNAVAILABLE_GLOBALS } from '../../model/typescript/sandbox/global-references.js';
import { ruleDocs } from '../rule-docs.js';
import { eslintLocation, typeServices } from '../type-services.js';

const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: ruleDocs('workflow-uses-unavailable-global'),
    schema: [],
    messages: {
      unavailable:
        "'{{name}}' does not exist in the workflow sandbox: the ReferenceError fails the workflow task, which the server retries forever. " +
        'Move this code into an activity, or use the sandbox alternative from the docs.',
    },
  },
  create(context) {
    return {
      Program() {
        const { checker, sourceFile } = typeServices(context);
        for (const reference of globalReferencesInFile(sourceFile, checker, UNAVAILABLE_GLOBALS)) {
          context.report({
            loc: eslintLocation(reference.location.line, reference.location.column, reference.name.length),
            messageId: 'unavailable',
            data: { name: reference.name },
          });
        }
      },
    };
  },
};

export default rule;
