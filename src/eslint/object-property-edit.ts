// Edits of an object literal written in the code, for suggestions: set a property's value, or
// add the property in the layout the object already has (one line, or one property a line).

import type { Rule } from 'eslint';
import type { Node as EsNode, ObjectExpression, Property } from 'estree';

/** The property `name` written with a plain key (not computed, not spread). */
export function propertyNamed(object: ObjectExpression, name: string): Property | undefined {
  return object.properties.find(
    (p): p is Property =>
      p.type === 'Property' && !p.computed && ((p.key.type === 'Identifier' && p.key.name === name) || (p.key.type === 'Literal' && p.key.value === name)),
  );
}

/** Adds `name: value` as the object's last property. */
export function addProperty(context: Rule.RuleContext, object: ObjectExpression, name: string, valueText: string): (fixer: Rule.RuleFixer) => Rule.Fix {
  const source = context.sourceCode;
  const last = object.properties[object.properties.length - 1] as EsNode | undefined;
  const open = source.getFirstToken(object as EsNode)!;
  return (fixer) => {
    if (!last) return fixer.insertTextAfter(open, ` ${name}: ${valueText} `);
    const after = source.getTokenAfter(last)!;
    const trailingComma = after.value === ',';
    const multiline = last.loc!.start.line !== open.loc.start.line;
    if (!multiline) return fixer.insertTextAfter(trailingComma ? after : last, `${trailingComma ? '' : ','} ${name}: ${valueText}`);
    const indent = source.lines[last.loc!.start.line - 1]!.match(/^\s*/)![0];
    return trailingComma
      ? fixer.insertTextAfter(after, `\n${indent}${name}: ${valueText},`)
      : fixer.insertTextAfter(last, `,\n${indent}${name}: ${valueText}`);
  };
}
