// ESLint form of the check of the same id. Suggests shutdownGraceTime on the Worker.create options
// when they are written as an object literal there: 30s, below the 30 s a Kubernetes pod gets by
// default before it is killed.

import type { CallExpression, Node as EsNode, ObjectExpression } from 'estree';
import { checkRule } from '../check-rule.js';
import { nodeAt, selfAndAncestors } from '../node-at.js';
import { addProperty, propertyNamed } from '../object-property-edit.js';

const GRACE = "'30s'";

export default checkRule('worker-shutdown-grace-missing', {
  workflowCode: 'auto',
  suggest(finding, context) {
    const node = nodeAt(context, finding.line!, finding.column!);
    if (!node) return [];
    const chain = selfAndAncestors(context, node);
    const call = chain.find((n): n is CallExpression => n.type === 'CallExpression' && n.arguments[0]?.type === 'ObjectExpression');
    const options = call?.arguments[0] as ObjectExpression | undefined;
    if (!options) return [];
    const written = propertyNamed(options, 'shutdownGraceTime');
    // A value set elsewhere (a spread, a variable) is not this literal's to change.
    if (!written && options.properties.some((p) => p.type === 'SpreadElement')) return [];
    return [
      {
        desc: `Set shutdownGraceTime: ${GRACE}`,
        fix: written ? (fixer) => fixer.replaceText(written.value as EsNode, GRACE) : addProperty(context, options, 'shutdownGraceTime', GRACE),
      },
    ];
  },
});
