import ts = require('typescript');

const { SyntaxKind } = ts;

/** How a local name is bound to a module: the syntactic half of library symbol resolution (RULES.md E1). */
export interface ImportBinding {
  module: string;
  /** 'namespace': the module object (import * as, require, import = require); 'default': the default export; 'named': one export. */
  kind: 'namespace' | 'default' | 'named';
  exportName?: string;
  node: ts.Node;
}

export function requireSpecifier(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  let e = skipOuter(expr);
  if (ts.isAwaitExpression(e)) e = skipOuter(e.expression);
  if (ts.isCallExpression(e) && e.arguments.length === 1 && ts.isStringLiteralLike(e.arguments[0])) {
    if (ts.isIdentifier(e.expression) && e.expression.text === 'require') return e.arguments[0].text;
    if (e.expression.kind === SyntaxKind.ImportKeyword) return e.arguments[0].text;
  }
  return undefined;
}

/** Strips parentheses, `as`, `!`, `satisfies` and `<T>` assertions (hot: a switch on the kind, no predicate calls). */
export function skipOuter(e: ts.Expression): ts.Expression {
  for (;;) {
    switch (e.kind) {
      case SyntaxKind.ParenthesizedExpression: case SyntaxKind.AsExpression: case SyntaxKind.NonNullExpression:
      case SyntaxKind.SatisfiesExpression: case SyntaxKind.TypeAssertionExpression:
        e = (e as ts.ParenthesizedExpression).expression;
        continue;
      default:
        return e;
    }
  }
}

/** Binds names introduced by one statement (import or require), or returns nothing. */
export function collectImportBindings(statement: ts.Statement, into: Map<string, ImportBinding>): void {
  if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
    const module = statement.moduleSpecifier.text;
    const clause = statement.importClause;
    if (!clause) return;
    if (clause.name) into.set(clause.name.text, { module, kind: 'default', node: clause.name });
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) into.set(nb.name.text, { module, kind: 'namespace', node: nb.name });
    if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) {
        const exported = (el.propertyName ?? el.name).text;
        into.set(el.name.text, exported === 'default'
          ? { module, kind: 'default', node: el.name }
          : { module, kind: 'named', exportName: exported, node: el.name });
      }
    }
    return;
  }
  if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
    const spec = statement.moduleReference.expression;
    if (ts.isStringLiteral(spec)) into.set(statement.name.text, { module: spec.text, kind: 'namespace', node: statement.name });
    return;
  }
  if (ts.isVariableStatement(statement)) {
    for (const decl of statement.declarationList.declarations) bindRequireDeclaration(decl, into);
  }
}

export function bindRequireDeclaration(decl: ts.VariableDeclaration, into: Map<string, ImportBinding>): void {
  if (!decl.initializer) return;
  let init = skipOuter(decl.initializer);
  // const verify = require('jsonwebtoken').verify
  let member: string | undefined;
  if (ts.isPropertyAccessExpression(init) && requireSpecifier(init.expression)) {
    member = init.name.text;
    init = init.expression;
  }
  const module = requireSpecifier(init);
  if (!module) return;
  if (ts.isIdentifier(decl.name)) {
    if (member === undefined) into.set(decl.name.text, { module, kind: 'namespace', node: decl.name });
    else into.set(decl.name.text, member === 'default'
      ? { module, kind: 'default', node: decl.name }
      : { module, kind: 'named', exportName: member, node: decl.name });
  } else if (ts.isObjectBindingPattern(decl.name) && member === undefined) {
    for (const el of decl.name.elements) {
      if (!ts.isIdentifier(el.name) || el.dotDotDotToken) continue;
      const exported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
      into.set(el.name.text, exported === 'default'
        ? { module, kind: 'default', node: el.name }
        : { module, kind: 'named', exportName: exported, node: el.name });
    }
  }
}

export function isRelativeModule(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || spec.startsWith('/');
}
