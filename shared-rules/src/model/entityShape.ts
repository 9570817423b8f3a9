import ts = require('typescript');
import { evaluate } from './constEval';
import type { FileModel } from './fileModel';
import { skipOuter } from './imports';
import { classifyName, NameClass } from './sensitiveNames';
import { findDeclaration } from './scope';

const { SyntaxKind } = ts;

/**
 * "Is this expression a whole database record?" without a type checker (a syntactic stand-in for RULES.md E9):
 * a declared type we can read (interface/class/type literal in the workspace) gives its fields; otherwise the
 * name (`user`, `foundUser`, `req.user`) or the producing call (`User.findOne(...)`, `prisma.user.findUnique(...)`)
 * says it is a record. Shaped queries (`select`, `attributes`, `.select('-password')`, `omit`) are not whole records.
 */
export interface EntityGuess {
  /** The expression's text to build `x.id` from (`user`, `req.user`). */
  base: string;
  /** How the guess was made. */
  evidence: 'type' | 'name' | 'query';
  /** Type name, when a declared type was read. */
  typeName?: string;
  /** Sensitive fields found through the declared type (empty when the type has none: then it is not reported). */
  sensitiveFields: { name: string; cls: NameClass }[];
}

const ENTITY_NAME = /^((found|existing|db|current|new|created|saved|stored|logged_?in|authenticated|auth|the|valid(ated)?|target|my|full)_?)?(user|account|member|customer|admin|employee|owner|patient|staff|student|client_?user)$/i;
const ENTITY_SUFFIX = /[a-z0-9](User|Account|Member|Customer)$/;
const ORM_METHOD = /^(find\w*|get\w*By\w*|getOne|create|save|insert\w*|upsert|update\w*|findOrCreate|validateUser|authenticate|login|signIn|register)$/;
const SHAPED = /\b(select|attributes|projection|omit|exclude)\b/;
/** Names of decoded/verified token objects: re-signing their claims is not an entity leak. */
const TOKEN_HOLDER = /payload|decoded|claims|token|jwt/i;

export function looksLikeEntityName(name: string): boolean {
  return ENTITY_NAME.test(name) || ENTITY_SUFFIX.test(name);
}

export function guessEntity(model: FileModel, expr: ts.Expression, depth = 0): EntityGuess | undefined {
  if (depth > 4) return undefined;
  let e = skipOuter(expr);
  if (ts.isAwaitExpression(e)) e = skipOuter(e.expression);
  // user.toJSON(), user.toObject(), user.get({ plain: true })
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && /^(toJSON|toObject|get|lean)$/.test(e.expression.name.text)) {
    const inner = guessEntity(model, e.expression.expression, depth + 1);
    return inner;
  }
  if (ts.isCallExpression(e)) return queryGuess(e, e.getText());
  if (ts.isPropertyAccessExpression(e)) {
    if (e.name.text === 'dataValues' || e.name.text === '_doc') return guessEntity(model, e.expression, depth + 1);
    if (!looksLikeEntityName(e.name.text)) return undefined;
    // user.admin, account.owner: a field of a record (a flag, an id), not a record
    const baseName = ts.isPropertyAccessExpression(skipOuter(e.expression)) ? (skipOuter(e.expression) as ts.PropertyAccessExpression).name.text
      : ts.isIdentifier(skipOuter(e.expression)) ? (skipOuter(e.expression) as ts.Identifier).text : '';
    if (looksLikeEntityName(baseName)) return undefined;
    // payload.user, decoded.user: claims of a token, not a record
    const root = rootIdentifier(e);
    if (root && TOKEN_HOLDER.test(root.text)) return undefined;
    if (root && isTokenResult(root)) return undefined;
    return { base: e.getText(), evidence: 'name', sensitiveFields: [] };
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (!d) return looksLikeEntityName(e.text) ? { base: e.text, evidence: 'name', sensitiveFields: [] } : undefined;
    // declared type we can read
    const typeNode = (d.declaration as { type?: ts.TypeNode }).type;
    if (typeNode && !d.path) {
      const fields = typeFields(model, typeNode);
      if (fields) {
        return { base: e.text, evidence: 'type', typeName: typeNode.getText(), sensitiveFields: fields.filter((f) => f.cls !== 'none') };
      }
    }
    if (d.kind === 'variable' && d.initializer && !d.path) {
      const init = skipOuter(d.initializer);
      const v = evaluate(model, init);
      if (v.kind === 'object' || v.kind === 'string' || v.kind === 'number' || v.kind === 'array') return undefined;
      if (isTokenCall(init)) return undefined;
      let call = ts.isAwaitExpression(init) ? skipOuter(init.expression) : init;
      if (ts.isCallExpression(call)) {
        const q = queryGuess(call, e.text);
        if (q) return q;
        if (SHAPED.test(call.getText())) return undefined;
      }
      if (ts.isPropertyAccessExpression(call) || ts.isIdentifier(call)) {
        const inner = guessEntity(model, call, depth + 1);
        if (inner) return { ...inner, base: e.text };
      }
      call = init;
    }
    if (d.kind === 'parameter' && TOKEN_HOLDER.test(e.text)) return undefined;
    return looksLikeEntityName(e.text) ? { base: e.text, evidence: 'name', sensitiveFields: [] } : undefined;
  }
  return undefined;
}

/** `User.findOne(...)`, `prisma.user.findUnique(...)`, `this.users.findByEmail(...)` without a field selection. */
function queryGuess(call: ts.CallExpression, base: string): EntityGuess | undefined {
  let c: ts.Expression = call;
  // chained: User.findOne(q).select('-password').lean()
  const chain: string[] = [];
  while (ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression)) {
    chain.push(c.expression.name.text);
    if (c.arguments.some((a) => SHAPED.test(a.getText()))) return undefined;
    c = c.expression.expression;
  }
  if (chain.some((m) => m === 'select' || m === 'project' || m === 'omit')) return undefined;
  const method = chain[chain.length - 1];
  if (!method || !ORM_METHOD.test(method)) return undefined;
  const receiver = c.getText();
  if (!/user|account|member|customer|profile|admin|person|owner/i.test(receiver + ' ' + method)) return undefined;
  return { base, evidence: 'query', sensitiveFields: [] };
}

function rootIdentifier(e: ts.Expression): ts.Identifier | undefined {
  let x = e;
  while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x) || ts.isNonNullExpression(x)) x = x.expression;
  return ts.isIdentifier(x) ? x : undefined;
}

function isTokenResult(id: ts.Identifier): boolean {
  const d = findDeclaration(id);
  return !!d?.initializer && isTokenCall(skipOuter(d.initializer));
}

/** `jwt.verify(...)`, `jwt.decode(...)`, `jwtVerify(...)`, `this.jwtService.verifyAsync(...)`: token claims. */
function isTokenCall(e: ts.Expression): boolean {
  let x = e;
  if (ts.isAwaitExpression(x)) x = skipOuter(x.expression);
  if (!ts.isCallExpression(x)) return false;
  const callee = x.expression;
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  return /^(verify\w*|decode\w*|jwtVerify|jwtDecode|decodeJwt)$/i.test(name);
}

/**
 * Fields of a type annotation that names an interface, class or type literal declared in this file or imported
 * from a project file (one level). Undefined when the type cannot be read (library types, generics).
 */
export function typeFields(model: FileModel, type: ts.TypeNode): { name: string; cls: NameClass }[] | undefined {
  if (ts.isTypeLiteralNode(type)) return membersOf(type.members);
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  const name = type.typeName.text;
  const decl = findTypeDeclaration(model, name);
  if (!decl) return undefined;
  if (ts.isInterfaceDeclaration(decl)) {
    if (decl.heritageClauses?.length) return undefined; // inherited fields unseen
    return membersOf(decl.members);
  }
  if (ts.isTypeAliasDeclaration(decl)) return ts.isTypeLiteralNode(decl.type) ? membersOf(decl.type.members) : undefined;
  if (ts.isClassDeclaration(decl)) {
    if (decl.heritageClauses?.some((h) => h.token === SyntaxKind.ExtendsKeyword)) return undefined;
    const out: { name: string; cls: NameClass }[] = [];
    for (const m of decl.members) {
      if (ts.isPropertyDeclaration(m) && m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) {
        if (hasSelectFalse(m)) continue;
        out.push({ name: m.name.text, cls: fieldClass(m.name.text, m.type) });
      }
      if (ts.isConstructorDeclaration(m)) for (const p of m.parameters) {
        if (ts.isIdentifier(p.name) && (ts.getModifiers(p) ?? []).length) out.push({ name: p.name.text, cls: fieldClass(p.name.text, p.type) });
      }
    }
    return out;
  }
  return undefined;
}

function membersOf(members: ts.NodeArray<ts.TypeElement>): { name: string; cls: NameClass }[] {
  const out: { name: string; cls: NameClass }[] = [];
  for (const m of members) {
    if (ts.isPropertySignature(m) && m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) out.push({ name: m.name.text, cls: fieldClass(m.name.text, m.type) });
  }
  return out;
}

/** E8 with its type gate: numbers, booleans, dates and object arrays are never credentials. */
function fieldClass(name: string, type: ts.TypeNode | undefined): NameClass {
  const cls = classifyName(name);
  if (cls === 'none' || cls === 'internal') return 'none';
  if (type && (cls === 'password' || cls === 'secret' || cls === 'token' || cls === 'key')) {
    const t = type.getText();
    if (/^(number|boolean|Date|bigint)(\s*\|\s*(null|undefined))*$/.test(t) || /\[\]$/.test(t) && !/^(string|Buffer)/.test(t)) return 'none';
  }
  return cls;
}

/** TypeORM `@Column({ select: false })`: not loaded unless asked for (E9 neutraliser). */
function hasSelectFalse(m: ts.PropertyDeclaration): boolean {
  const decs = ts.canHaveDecorators(m) ? ts.getDecorators(m) ?? [] : [];
  return decs.some((d) => /select\s*:\s*false/.test(d.getText()));
}

function findTypeDeclaration(model: FileModel, name: string): ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.ClassDeclaration | undefined {
  const local = topLevelType(model.sourceFile, name);
  if (local) return local;
  for (const st of model.sourceFile.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const nb = st.importClause?.namedBindings;
    if (!nb || !ts.isNamedImports(nb)) continue;
    const el = nb.elements.find((x) => x.name.text === name);
    if (!el) continue;
    const spec = st.moduleSpecifier.text;
    if (!spec.startsWith('.')) return undefined;
    const target = model.project.resolveModule(model.fileName, spec);
    const other = target ? model.project.getModel(target) : undefined;
    return other ? topLevelType(other.sourceFile, (el.propertyName ?? el.name).text) : undefined;
  }
  return undefined;
}

function topLevelType(sf: ts.SourceFile, name: string): ts.InterfaceDeclaration | ts.TypeAliasDeclaration | ts.ClassDeclaration | undefined {
  for (const st of sf.statements) {
    if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === name) return st;
  }
  return undefined;
}
