import ts = require('typescript');

const { SyntaxKind } = ts;

/** One name declared in a scope, found syntactically (no binder, no checker: fast on every keystroke). */
export interface Declaration {
  name: string;
  nameNode: ts.Identifier;
  kind: 'variable' | 'parameter' | 'function' | 'class' | 'import' | 'enum';
  /** The VariableDeclaration / ParameterDeclaration / FunctionDeclaration / ClassDeclaration / import statement. */
  declaration: ts.Node;
  isConst: boolean;
  /** For `const x = init`: init. For destructuring: the initializer of the whole pattern. */
  initializer?: ts.Expression;
  /** For destructuring: the property path from the initializer to this name (`const { a: { b } } = o` → ['a','b']). */
  path?: string[];
  /** Default value in a destructuring pattern (`const { X = 'lit' } = process.env`). */
  defaultValue?: ts.Expression;
}

/**
 * Declarations per scope node, one table per file (keyed by the tree's root): one weak entry per file rather than
 * one per scope, which the garbage collector would have to trace as ephemerons.
 */
const scopeTables = new WeakMap<ts.Node, Map<ts.Node, ReadonlyMap<string, Declaration>>>();

function scopeTable(root: ts.Node): Map<ts.Node, ReadonlyMap<string, Declaration>> {
  let t = scopeTables.get(root);
  if (!t) { t = new Map(); scopeTables.set(root, t); }
  return t;
}

function rootOf(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent) n = n.parent;
  return n;
}

function isScopeNodeSlow(node: ts.Node): boolean {
  return ts.isSourceFile(node) || ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseBlock(node)
    || ts.isFunctionLike(node) || ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)
    || ts.isCatchClause(node) || ts.isClassLike(node);
}

/** The kinds isScopeNodeSlow accepts (every predicate above looks at the kind only), for a set lookup per parent. */
const SCOPE_KINDS: ReadonlySet<ts.SyntaxKind> = (() => {
  const kinds = new Set<ts.SyntaxKind>();
  for (let k = 0; k < SyntaxKind.Count; k++) if (isScopeNodeSlow({ kind: k } as ts.Node)) kinds.add(k);
  return kinds;
})();

function isScopeNode(node: ts.Node): boolean {
  return SCOPE_KINDS.has(node.kind);
}

/** Finds the declaration an identifier refers to by walking out through enclosing scopes. */
export function findDeclaration(id: ts.Identifier): Declaration | undefined {
  const name = id.text;
  const scopes: ts.Node[] = [];
  let root: ts.Node = id;
  for (let node: ts.Node | undefined = id.parent; node; node = node.parent) {
    if (isScopeNode(node)) scopes.push(node);
    root = node;
  }
  const table = scopeTable(root);
  for (const scope of scopes) {
    const decl = declarationsIn(table, scope).get(name);
    if (decl) return decl;
  }
  return undefined;
}

export function declarationsOf(scope: ts.Node): ReadonlyMap<string, Declaration> {
  return declarationsIn(scopeTable(rootOf(scope)), scope);
}

const NO_DECLARATIONS: ReadonlyMap<string, Declaration> = new Map();

function declarationsIn(table: Map<ts.Node, ReadonlyMap<string, Declaration>>, scope: ts.Node): ReadonlyMap<string, Declaration> {
  const cached = table.get(scope);
  if (cached) return cached;
  let map: Map<string, Declaration> | undefined; // most blocks declare nothing: they share NO_DECLARATIONS
  const add = (d: Declaration) => { map ??= new Map(); if (!map.has(d.name)) map.set(d.name, d); };
  const statements: readonly ts.Node[] | undefined =
    ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) ? scope.statements
      : ts.isCaseBlock(scope) ? scope.clauses.flatMap((c) => [...c.statements]) : undefined;
  if (statements) for (const st of statements) declareStatement(st, add);
  if (ts.isFunctionLike(scope)) {
    for (const p of scope.parameters) declareBinding(p.name, p, 'parameter', false, undefined, [], undefined, add);
    if ((ts.isFunctionExpression(scope) || ts.isClassExpression(scope)) && scope.name) {
      add({ name: scope.name.text, nameNode: scope.name, kind: 'function', declaration: scope, isConst: true });
    }
    // Function bodies that are blocks are their own scope nodes; `var` hoisting across nested blocks is ignored.
  }
  if ((ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) && scope.initializer && ts.isVariableDeclarationList(scope.initializer)) {
    const isConst = (scope.initializer.flags & ts.NodeFlags.Const) !== 0;
    for (const d of scope.initializer.declarations) declareBinding(d.name, d, 'variable', isConst && !ts.isForStatement(scope) ? false : isConst, undefined, [], undefined, add);
  }
  if (ts.isCatchClause(scope) && scope.variableDeclaration) {
    declareBinding(scope.variableDeclaration.name, scope.variableDeclaration, 'variable', false, undefined, [], undefined, add);
  }
  const result = map ?? NO_DECLARATIONS;
  table.set(scope, result);
  return result;
}

function declareStatement(st: ts.Node, add: (d: Declaration) => void): void {
  if (ts.isVariableStatement(st)) {
    const isConst = (st.declarationList.flags & ts.NodeFlags.Const) !== 0;
    for (const d of st.declarationList.declarations) declareBinding(d.name, d, 'variable', isConst, d.initializer, [], undefined, add);
  } else if (ts.isFunctionDeclaration(st) && st.name) {
    add({ name: st.name.text, nameNode: st.name, kind: 'function', declaration: st, isConst: true });
  } else if (ts.isClassDeclaration(st) && st.name) {
    add({ name: st.name.text, nameNode: st.name, kind: 'class', declaration: st, isConst: true });
  } else if (ts.isEnumDeclaration(st)) {
    add({ name: st.name.text, nameNode: st.name, kind: 'enum', declaration: st, isConst: true });
  } else if (ts.isImportDeclaration(st) && st.importClause) {
    const c = st.importClause;
    if (c.name) add({ name: c.name.text, nameNode: c.name, kind: 'import', declaration: st, isConst: true });
    if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) add({ name: c.namedBindings.name.text, nameNode: c.namedBindings.name, kind: 'import', declaration: st, isConst: true });
    if (c.namedBindings && ts.isNamedImports(c.namedBindings)) for (const el of c.namedBindings.elements) add({ name: el.name.text, nameNode: el.name, kind: 'import', declaration: st, isConst: true });
  } else if (ts.isImportEqualsDeclaration(st)) {
    add({ name: st.name.text, nameNode: st.name, kind: 'import', declaration: st, isConst: true });
  } else if (ts.isExportAssignment(st) || ts.isExpressionStatement(st)) {
    // nothing declared
  }
}

function declareBinding(name: ts.BindingName, declaration: ts.Node, kind: Declaration['kind'], isConst: boolean,
  initializer: ts.Expression | undefined, path: string[], defaultValue: ts.Expression | undefined, add: (d: Declaration) => void): void {
  if (ts.isIdentifier(name)) {
    add({ name: name.text, nameNode: name, kind, declaration, isConst, initializer, path: path.length ? path : undefined, defaultValue });
    return;
  }
  if (ts.isObjectBindingPattern(name)) {
    for (const el of name.elements) {
      if (el.dotDotDotToken) { declareBinding(el.name, declaration, kind, isConst, undefined, [], undefined, add); continue; }
      const prop = el.propertyName
        ? (ts.isIdentifier(el.propertyName) || ts.isStringLiteral(el.propertyName) ? el.propertyName.text : undefined)
        : (ts.isIdentifier(el.name) ? el.name.text : undefined);
      if (prop === undefined) { declareBinding(el.name, declaration, kind, isConst, undefined, [], undefined, add); continue; }
      declareBinding(el.name, declaration, kind, isConst, initializer, [...path, prop], el.initializer, add);
    }
    return;
  }
  // Array patterns: positions are not tracked.
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) declareBinding(el.name, declaration, kind, isConst, undefined, [], undefined, add);
}

/** True when `name` is assigned anywhere below `scope` after its declaration (so `let x = 'a'` may change). */
export function isReassigned(decl: Declaration): boolean {
  if (decl.isConst) return false;
  const container = enclosingScope(decl.nameNode);
  if (!container) return true;
  return assignedNames(container).has(decl.name);
}

const assignedCache = new WeakMap<ts.Node, Set<string>>();

/** Names assigned (or incremented) anywhere below a function or file, collected once per container. */
function assignedNames(container: ts.Node): Set<string> {
  let names = assignedCache.get(container);
  if (names) return names;
  const found = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= SyntaxKind.FirstAssignment && n.operatorToken.kind <= SyntaxKind.LastAssignment
      && ts.isIdentifier(n.left)) found.add(n.left.text);
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(n.operand)) found.add(n.operand.text);
    ts.forEachChild(n, visit);
  };
  visit(container);
  names = found;
  assignedCache.set(container, names);
  return names;
}

function enclosingScope(n: ts.Node): ts.Node | undefined {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (ts.isSourceFile(p) || ts.isFunctionLike(p)) return p;
  return undefined;
}

export function enclosingFunction(n: ts.Node): ts.SignatureDeclaration | undefined {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return p;
  return undefined;
}
