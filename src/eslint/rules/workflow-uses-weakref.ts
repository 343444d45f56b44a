// ESLint form of the check of the same id: WeakRef and FinalizationRegistry depend on garbage
// collection, so the sandbox makes them throw a DeterminismViolationError.

import type { Rule } from 'eslint';
import { DETERMINISM_VIOLATING_GLOBALS, globalReferencesInFile } from '../../model/typescript/sandbox/global-references.js';
import { ruleDocs } from '../rule-docs.js';
import { eslintLocation, typeServices } from '../type-services.js';

const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: ruleDocs('workflow-uses-weakref'),
    schema: [],
    messages: {
      weakref:
        "'{{name}}' depends on garbage collection, which differs between a run and its replay: the workflow sandbox throws a " +
        'DeterminismViolationError. Keep strong references, or do this work in an activity.',
    },
  },
  create(context) {
    return {
      Program() {
        const { checker, sourceFile } = typeServices(context);
        for (const reference of globalReferencesInFile(sourceFile, checker, DETERMINISM_VIOLATING_GLOBALS)) {
          context.report({
            loc: eslintLocation(reference.location.line, reference.location.column, reference.name.length),
            messageId: 'weakref',
            data: { name: reference.name },
          });
        }
      },
    };
  },
};

export default rule;
