// Adds `import { name } from 'module'` for a suggestion that uses a name the file may not import
// yet: into an existing value import of that module, else as a new import after the last one.

import type { Rule } from 'eslint';
import type { ImportDeclaration } from 'estree';

type FixesOf = (fixer: Rule.RuleFixer) => Rule.Fix[];

/** The edits that bind `name` to the module's export of that name; undefined when the name is taken. */
export function addNamedImport(context: Rule.RuleContext, module: string, name: string): FixesOf | undefined {
  const source = context.sourceCode;
  const imports = source.ast.body.filter((node): node is ImportDeclaration => node.type === 'ImportDeclaration');
  const valueImports = imports.filter((node) => node.source.value === module && (node as { importKind?: string }).importKind !== 'type');
  for (const declaration of valueImports) {
    for (const specifier of declaration.specifiers) {
      if (specifier.type !== 'ImportSpecifier' || specifier.local.name !== name) continue;
      const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);
      const typeOnly = (specifier as { importKind?: string }).importKind === 'type';
      return imported === name && !typeOnly ? () => [] : undefined;
    }
  }
  if (isTopLevelName(context, name)) return undefined;
  const named = valueImports.find((node) => node.specifiers.some((s) => s.type === 'ImportSpecifier'));
  if (named) {
    const last = named.specifiers[named.specifiers.length - 1]!;
    return (fixer) => [fixer.insertTextAfter(last, `, ${name}`)];
  }
  const statement = `import { ${name} } from '${module}';`;
  const lastImport = imports[imports.length - 1];
  return (fixer) => [lastImport ? fixer.insertTextAfter(lastImport, `\n${statement}`) : fixer.insertTextBeforeRange([0, 0], `${statement}\n`)];
}

function isTopLevelName(context: Rule.RuleContext, name: string): boolean {
  const global = context.sourceCode.scopeManager.globalScope;
  if (!global) return false;
  const scopes = [global, ...global.childScopes.filter((scope) => scope.type === 'module')];
  return scopes.some((scope) => scope.variables.some((variable) => variable.name === name && variable.defs.length > 0));
}
