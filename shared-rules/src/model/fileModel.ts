import ts = require('typescript');
import type { Project } from '../engine/project';
import type { ResolvedCall } from './calls';
import { bindRequireDeclaration, collectImportBindings, ImportBinding, isRelativeModule, requireSpecifier, skipOuter } from './imports';
import { declaresOnlyClass } from './exportReach';
import { Declaration, declarationsOf, findDeclaration, isReassigned } from './scope';

const { SyntaxKind } = ts;

/** What an expression refers to: a library symbol, a project module object, or a declaration in some file. */
export type Ref =
  | { kind: 'library'; symbol: string }
  | { kind: 'projectModule'; fileName: string }
  | { kind: 'declaration'; model: FileModel; declaration: Declaration }
  | { kind: 'node'; model: FileModel; node: ts.Node };

/** Library classes whose builder methods (`setX(...)`) return the same instance. */
const BUILDER_CLASSES = new Set(['jose.SignJWT', 'jose.EncryptJWT', 'jose.UnsecuredJWT']);

/**
 * Per-file meaning: which local names are bound to which library or project symbols, and what values they hold.
 * Everything is computed lazily and cached per node, so a rule asking about one call costs only that call.
 */
export class FileModel {
  readonly fileName: string;
  private readonly callCache = new Map<ts.Node, ResolvedCall | null>();
  private readonly refCache = new Map<ts.Node, Ref | null>();
  private wrapperCache = new Map<ts.Node, WrapperSummary | null>();
  /** `typeClass` per type annotation: every call on an injected service asks about the same constructor parameter. */
  private readonly typeCache = new Map<ts.Node, string | null>();
  private structureGeneration: number;
  /**
   * Bumped whenever this model's cross-file answers are dropped: per-file facts derived from resolved calls or
   * evaluated values (see `perFile`) are valid while it stays the same.
   */
  cacheVersion = 0;

  constructor(readonly sourceFile: ts.SourceFile, readonly project: Project) {
    this.fileName = sourceFile.fileName;
    this.structureGeneration = project.structureGeneration;
  }

  /**
   * Answers may depend on other files: dropped when the workspace's structure changed (files created or deleted,
   * package.json, disk changes) or when a file this model consulted changed (`dropCrossFileCaches`, from the project).
   */
  private fresh(): void {
    if (this.structureGeneration === this.project.structureGeneration) return;
    this.structureGeneration = this.project.structureGeneration;
    this.dropCrossFileCaches();
  }

  /** Drops every answer that may depend on other files. */
  dropCrossFileCaches(): void {
    this.cacheVersion++;
    this.callCache.clear();
    this.refCache.clear();
    this.wrapperCache.clear();
    this.typeCache.clear();
    this.facts.clear();
  }

  private readonly facts = new Map<string, { version: number; structure: number; value: unknown }>();

  /**
   * A per-file fact for a workspace memo (`key` names it), computed once while this model's cross-file answers stay
   * valid: a memo over many files re-merges cached parts after an edit instead of re-walking every other file.
   * `compute` must depend only on this file's tree and what its model resolves (calls, references, evaluated values).
   */
  perFile<T>(key: string, compute: () => T): T {
    this.fresh();
    const hit = this.facts.get(key);
    if (hit && hit.version === this.cacheVersion && hit.structure === this.structureGeneration) return hit.value as T;
    const version = this.cacheVersion;
    const value = compute();
    if (version === this.cacheVersion) this.facts.set(key, { version, structure: this.structureGeneration, value });
    return value;
  }

  private callList: ts.CallExpression[] | undefined;

  /** Every call expression of the file, in tree (pre-)order; collected once per parsed version. */
  callNodes(): readonly ts.CallExpression[] {
    if (this.callList) return this.callList;
    const out: ts.CallExpression[] = [];
    const visit = (n: ts.Node): void => {
      if (n.kind === SyntaxKind.CallExpression) out.push(n as ts.CallExpression);
      ts.forEachChild(n, visit);
    };
    visit(this.sourceFile);
    this.callList = out;
    return out;
  }

  private imported: Set<string> | undefined;

  /** Every module this file imports or requires at top level (for "does this file use library X"); do not mutate. */
  importedModules(): Set<string> {
    if (this.imported) return this.imported;
    const out = new Set<string>();
    this.imported = out;
    for (const st of this.sourceFile.statements) {
      const m = new Map<string, ImportBinding>();
      collectImportBindings(st, m);
      for (const b of m.values()) out.add(b.module);
      if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) out.add(st.moduleSpecifier.text);
    }
    return out;
  }

  /** The canonical library symbol an expression denotes (`jsonwebtoken.verify`, `jose.SignJWT`), if any. */
  librarySymbol(expr: ts.Expression): string | undefined {
    const r = this.resolveRef(expr);
    return r && r.kind === 'library' ? r.symbol : undefined;
  }

  resolveRef(expr: ts.Expression, depth = 0): Ref | undefined {
    this.fresh();
    const cached = this.refCache.get(expr);
    if (cached !== undefined) return cached ?? undefined;
    const r = depth > 8 ? undefined : this.computeRef(skipOuter(expr), depth);
    this.refCache.set(expr, r ?? null);
    return r;
  }

  private computeRef(expr: ts.Expression, depth: number): Ref | undefined {
    if (ts.isIdentifier(expr)) {
      const decl = findDeclaration(expr);
      if (!decl) return undefined;
      return this.refOfDeclaration(decl, depth);
    }
    if (ts.isPropertyAccessExpression(expr) || (ts.isElementAccessExpression(expr) && ts.isStringLiteralLike(expr.argumentExpression))) {
      const name = ts.isPropertyAccessExpression(expr) ? expr.name.text : (expr.argumentExpression as ts.StringLiteral).text;
      const base = this.resolveRef(expr.expression, depth + 1);
      return base ? this.member(base, name, depth) : undefined;
    }
    const spec = requireSpecifier(expr);
    if (spec) return this.moduleRef(spec, 'namespace');
    return undefined;
  }

  private member(base: Ref, name: string, depth: number): Ref | undefined {
    if (base.kind === 'library') {
      const sym = base.symbol.endsWith('.default') ? base.symbol.slice(0, -'.default'.length) : base.symbol;
      if (name === 'default' && !sym.includes('.')) return { kind: 'library', symbol: `${sym}.default` };
      return { kind: 'library', symbol: `${sym}.${name}` };
    }
    if (base.kind === 'projectModule') {
      this.project.noteDependency(this.fileName, base.fileName);
      const other = this.project.getModel(base.fileName);
      return other?.exportRef(name, depth + 1);
    }
    if (base.kind === 'declaration' || base.kind === 'node') {
      // `const lib = { verify: jwt.verify }` or `const { verify } = lib` are rare; follow object literals one level.
      const init = base.kind === 'declaration' ? base.declaration.initializer : (ts.isExpression(base.node) ? base.node : undefined);
      if (init && ts.isObjectLiteralExpression(skipOuter(init))) {
        for (const p of (skipOuter(init) as ts.ObjectLiteralExpression).properties) {
          if (p.name && ts.isIdentifier(p.name) && p.name.text === name) {
            if (ts.isPropertyAssignment(p)) return base.model.resolveRef(p.initializer, depth + 1) ?? { kind: 'node', model: base.model, node: p.initializer };
            if (ts.isShorthandPropertyAssignment(p)) return base.model.resolveRef(p.name, depth + 1);
            return { kind: 'node', model: base.model, node: p };
          }
        }
      }
    }
    return undefined;
  }

  private moduleRef(rawSpec: string, kind: ImportBinding['kind'], exportName?: string, depth = 0): Ref | undefined {
    const spec = rawSpec.startsWith('node:') ? rawSpec.slice(5) : rawSpec;
    if (isRelativeModule(spec)) {
      const target = this.project.resolveModule(this.fileName, spec);
      if (!target) return undefined;
      this.project.noteDependency(this.fileName, target);
      if (kind === 'namespace') return { kind: 'projectModule', fileName: target };
      const other = this.project.getModel(target);
      return other?.exportRef(kind === 'default' ? 'default' : exportName!, depth + 1);
    }
    if (kind === 'namespace') return { kind: 'library', symbol: spec };
    if (kind === 'default') return { kind: 'library', symbol: `${spec}.default` };
    return { kind: 'library', symbol: `${spec}.${exportName}` };
  }

  refOfDeclaration(decl: Declaration, depth: number): Ref | undefined {
    if (decl.kind === 'import') {
      const m = new Map<string, ImportBinding>();
      collectImportBindings(decl.declaration as ts.Statement, m);
      const b = m.get(decl.name);
      return b ? this.moduleRef(b.module, b.kind, b.exportName, depth) : undefined;
    }
    if (decl.kind === 'variable' && ts.isVariableDeclaration(decl.declaration)) {
      const m = new Map<string, ImportBinding>();
      bindRequireDeclaration(decl.declaration, m);
      const b = m.get(decl.name);
      if (b) return this.moduleRef(b.module, b.kind, b.exportName, depth);
      if (decl.initializer && (decl.isConst || !isReassigned(decl))) {
        // `const { verify } = jwt` / `const v = jwt.verify`
        let ref = this.resolveRef(decl.initializer, depth + 1);
        if (ref && decl.path) for (const p of decl.path) { ref = ref && this.member(ref, p, depth); }
        if (ref) return ref;
      }
    }
    return { kind: 'declaration', model: this, declaration: decl };
  }

  /** What this file exports under `name` (ESM exports, re-exports and CommonJS `module.exports`). */
  exportRef(name: string, depth = 0): Ref | undefined {
    if (depth > 8) return undefined;
    for (const st of this.sourceFile.statements) {
      if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          if (el.name.text !== name) continue;
          const local = (el.propertyName ?? el.name).text;
          if (st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
            return local === 'default' ? this.moduleRef(st.moduleSpecifier.text, 'default', undefined, depth)
              : this.moduleRef(st.moduleSpecifier.text, 'named', local, depth);
          }
          const decl = findTopLevel(this.sourceFile, local);
          return decl ? this.refOfDeclaration(decl, depth + 1) : undefined;
        }
      }
      if (ts.isExportAssignment(st) && name === 'default' && !st.isExportEquals) {
        return this.resolveRef(st.expression, depth + 1) ?? { kind: 'node', model: this, node: st.expression };
      }
      if (hasExportModifier(st)) {
        const isDefault = (ts.getCombinedModifierFlags(st as unknown as ts.Declaration) & ts.ModifierFlags.Default) !== 0;
        if (isDefault && name === 'default' && (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st))) return { kind: 'node', model: this, node: st };
        if (ts.isVariableStatement(st) || ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) {
          const decl = findTopLevel(this.sourceFile, name);
          if (decl && isExportedDeclaration(decl)) return this.refOfDeclaration(decl, depth + 1);
        }
      }
    }
    // export * from './x' (a project module answers for its own names; a library is only a last resort)
    let libraryFallback: Ref | undefined;
    for (const st of this.sourceFile.statements) {
      if (ts.isExportDeclaration(st) && !st.exportClause && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) && name !== 'default') {
        const r = this.moduleRef(st.moduleSpecifier.text, 'named', name, depth);
        if (!r) continue;
        if (isRelativeModule(st.moduleSpecifier.text)) return r;
        libraryFallback ??= r;
      }
    }
    return this.commonJsExport(name, depth) ?? libraryFallback;
  }

  private commonJsExport(name: string, depth: number): Ref | undefined {
    for (const st of this.sourceFile.statements) {
      if (!ts.isExpressionStatement(st) || !ts.isBinaryExpression(st.expression) || st.expression.operatorToken.kind !== SyntaxKind.EqualsToken) continue;
      const left = st.expression.left;
      const right = st.expression.right;
      const text = left.getText(this.sourceFile);
      if (text === `exports.${name}` || text === `module.exports.${name}`) return this.resolveRef(right, depth + 1) ?? { kind: 'node', model: this, node: right };
      if (text === 'module.exports') {
        const r = skipOuter(right);
        if (name === 'default') return this.resolveRef(r, depth + 1) ?? { kind: 'node', model: this, node: r };
        if (ts.isObjectLiteralExpression(r)) {
          for (const p of r.properties) {
            if (!p.name || !ts.isIdentifier(p.name) || p.name.text !== name) continue;
            if (ts.isShorthandPropertyAssignment(p)) return this.resolveRef(p.name, depth + 1);
            if (ts.isPropertyAssignment(p)) return this.resolveRef(p.initializer, depth + 1) ?? { kind: 'node', model: this, node: p.initializer };
            if (ts.isMethodDeclaration(p)) return { kind: 'node', model: this, node: p };
          }
        }
      }
    }
    return undefined;
  }

  /** The library class of an instance expression (`this.jwtService` → `@nestjs/jwt.JwtService`). */
  instanceClass(expr: ts.Expression, depth = 0): string | undefined {
    if (depth > 6) return undefined;
    const e = skipOuter(expr);
    if (ts.isAwaitExpression(e)) return this.instanceClass(e.expression, depth + 1);
    if (ts.isNewExpression(e)) return this.librarySymbol(e.expression);
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const cls = this.instanceClass(e.expression.expression, depth + 1);
      if (cls && BUILDER_CLASSES.has(cls) && /^set/.test(e.expression.name.text)) return cls;
      return undefined;
    }
    if (ts.isIdentifier(e)) {
      const decl = findDeclaration(e);
      if (!decl) return undefined;
      const typeNode = (decl.declaration as { type?: ts.TypeNode }).type;
      if (typeNode && !decl.path) return this.typeClass(typeNode);
      if (decl.initializer && !decl.path) return this.instanceClass(decl.initializer, depth + 1);
      return undefined;
    }
    if (ts.isPropertyAccessExpression(e) && e.expression.kind === SyntaxKind.ThisKeyword) {
      const cls = enclosingClass(e);
      if (!cls) return undefined;
      const name = e.name.text;
      for (const m of cls.members) {
        if (ts.isPropertyDeclaration(m) && m.name && ts.isIdentifier(m.name) && m.name.text === name) {
          if (m.type) return this.typeClass(m.type);
          if (m.initializer) return this.instanceClass(m.initializer, depth + 1);
        }
        if (ts.isConstructorDeclaration(m)) {
          for (const p of m.parameters) {
            if (ts.isIdentifier(p.name) && p.name.text === name && p.type) return this.typeClass(p.type);
          }
        }
      }
    }
    return undefined;
  }

  typeClass(type: ts.TypeNode): string | undefined {
    this.fresh();
    const cached = this.typeCache.get(type);
    if (cached !== undefined) return cached ?? undefined;
    const cls = this.computeTypeClass(type);
    this.typeCache.set(type, cls ?? null);
    return cls;
  }

  private computeTypeClass(type: ts.TypeNode): string | undefined {
    if (ts.isTypeReferenceNode(type)) {
      const n = type.typeName;
      if (ts.isIdentifier(n) && this.importsProjectClass(n)) return undefined;
      const expr = ts.isIdentifier(n) ? n : qualifiedToExpression(n);
      return expr ? this.librarySymbol(expr) : undefined;
    }
    return undefined;
  }

  /**
   * `constructor(private users: UsersService)` with `import { UsersService } from './users.service'` where that module
   * only declares `export class UsersService`: a project class, never a library one. Decided from the module's text
   * (its one mention of the name is that declaration, and it re-exports nothing wholesale) so that the types of
   * injected services do not make every service file parse; anything less plain is resolved the usual way.
   */
  private importsProjectClass(id: ts.Identifier): boolean {
    const decl = findDeclaration(id);
    if (!decl || decl.kind !== 'import' || !ts.isImportDeclaration(decl.declaration)) return false;
    const spec = decl.declaration.moduleSpecifier;
    if (!ts.isStringLiteral(spec) || !isRelativeModule(spec.text)) return false;
    const m = new Map<string, ImportBinding>();
    collectImportBindings(decl.declaration, m);
    const b = m.get(decl.name);
    if (!b || b.kind !== 'named' || !b.exportName) return false;
    const target = this.project.resolveModule(this.fileName, spec.text);
    if (!target || this.project.hasModel(target)) return false;
    const text = this.project.readText(target);
    if (text === undefined) return false;
    this.project.noteDependency(this.fileName, target);
    const name = b.exportName;
    return this.project.memo(`declaresOnlyClass:${target}\0${name}`, () => declaresOnlyClass(text, name));
  }

  /** Resolves a call to a canonical library symbol, directly, on a known instance, or through a thin wrapper. */
  resolveCall(node: ts.CallExpression | ts.NewExpression): ResolvedCall | undefined {
    this.fresh();
    const cached = this.callCache.get(node);
    if (cached !== undefined) return cached ?? undefined;
    let result: ResolvedCall | undefined;
    try {
      result = this.computeCall(node);
    } finally {
      this.callCache.set(node, result ?? null);
    }
    return result;
  }

  private computeCall(node: ts.CallExpression | ts.NewExpression): ResolvedCall | undefined {
    const callee = skipOuter(node.expression);
    const args = (): (ts.Expression | undefined)[] => [...(node.arguments ?? [])];
    const ref = this.resolveRef(callee);
    if (ref?.kind === 'library') {
      let symbol = ref.symbol;
      if (!symbol.includes('.')) symbol = `${symbol}.default`;
      return { symbol, node, args: args(), receiver: ts.isPropertyAccessExpression(callee) ? callee.expression : undefined };
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const cls = this.instanceClass(callee.expression);
      if (cls) return { symbol: `${cls}#${callee.name.text}`, node, args: args(), receiver: callee.expression };
      const fastify = this.fastifyJwtSymbol(callee);
      if (fastify) return { symbol: fastify, node, args: args(), receiver: callee.expression };
    }
    if (ref && (ref.kind === 'declaration' || ref.kind === 'node') && ts.isCallExpression(node)) {
      const fn = functionNodeOf(ref);
      if (fn) {
        const summary = ref.model.wrapperSummary(fn);
        if (summary) {
          const effective = summary.innerArgs.map((a, i) => {
            const p = summary.slotFromParam[i];
            return p !== undefined ? node.arguments[p] : a;
          });
          return {
            symbol: summary.symbol, node, args: effective,
            wrapper: { name: callee.getText(this.sourceFile), fileName: ref.model.fileName, slotFromParam: summary.slotFromParam },
          };
        }
      }
    }
    return undefined;
  }

  /** `request.jwtVerify()`, `reply.jwtSign()`, `fastify.jwt.verify()` — only where @fastify/jwt is a dependency. */
  private fastifyJwtSymbol(callee: ts.PropertyAccessExpression): string | undefined {
    const name = callee.name.text;
    const uses = () => this.project.hasDependency('@fastify/jwt') || this.importedModules().has('@fastify/jwt');
    if ((name === 'jwtVerify' || name === 'jwtSign' || name === 'jwtDecode') && uses()) return `@fastify/jwt#${name}`;
    if ((name === 'verify' || name === 'sign' || name === 'decode') && ts.isPropertyAccessExpression(callee.expression)
      && callee.expression.name.text === 'jwt' && uses()) return `@fastify/jwt#jwt.${name}`;
    return undefined;
  }

  /** A project function whose body is one library call (`(t) => jwt.verify(t, KEY)`), summarised once. */
  wrapperSummary(fn: ts.SignatureDeclaration): WrapperSummary | undefined {
    const cached = this.wrapperCache.get(fn);
    if (cached !== undefined) return cached ?? undefined;
    this.wrapperCache.set(fn, null); // guards recursion
    const summary = this.computeWrapper(fn);
    this.wrapperCache.set(fn, summary ?? null);
    return summary;
  }

  private computeWrapper(fn: ts.SignatureDeclaration): WrapperSummary | undefined {
    const body = (fn as ts.FunctionLikeDeclaration).body;
    if (!body) return undefined;
    let expr: ts.Expression | undefined;
    if (ts.isBlock(body)) {
      const last = body.statements[body.statements.length - 1];
      if (body.statements.length > 3 || !last || !ts.isReturnStatement(last) || !last.expression) return undefined;
      expr = last.expression;
    } else expr = body;
    expr = skipOuter(expr);
    if (ts.isAwaitExpression(expr)) expr = skipOuter(expr.expression);
    if (!ts.isCallExpression(expr) && !ts.isNewExpression(expr)) return undefined;
    const inner = this.resolveCall(expr);
    if (!inner) return undefined;
    const params = fn.parameters;
    const slotFromParam = inner.args.map((a) => {
      if (!a || !ts.isIdentifier(skipOuter(a))) return undefined;
      const idx = params.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === (skipOuter(a) as ts.Identifier).text);
      return idx >= 0 ? idx : undefined;
    });
    return { symbol: inner.symbol, innerArgs: inner.args, slotFromParam };
  }
}

export interface WrapperSummary {
  symbol: string;
  innerArgs: (ts.Expression | undefined)[];
  slotFromParam: (number | undefined)[];
}

function functionNodeOf(ref: Ref): ts.SignatureDeclaration | undefined {
  if (ref.kind === 'declaration') {
    const d = ref.declaration;
    if (d.kind === 'function' && ts.isFunctionDeclaration(d.declaration)) return d.declaration;
    if (d.kind === 'variable' && d.initializer && !d.path) {
      const init = skipOuter(d.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
    }
    return undefined;
  }
  if (ref.kind === 'node') {
    const n = ref.node;
    if (ts.isFunctionDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n)) return n;
  }
  return undefined;
}

function findTopLevel(sf: ts.SourceFile, name: string): Declaration | undefined {
  return declarationsOf(sf).get(name);
}

function hasExportModifier(st: ts.Statement): boolean {
  return ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === SyntaxKind.ExportKeyword);
}

function isExportedDeclaration(decl: Declaration): boolean {
  let n: ts.Node | undefined = decl.declaration;
  while (n && !ts.isSourceFile(n.parent)) n = n.parent;
  return !!n && hasExportModifier(n as ts.Statement);
}

function enclosingClass(n: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (ts.isClassLike(p)) return p;
  return undefined;
}

function qualifiedToExpression(n: ts.QualifiedName): ts.Expression | undefined {
  // Only `ns.Type` where `ns` is an identifier: resolve `ns` then take the member.
  if (!ts.isIdentifier(n.left)) return undefined;
  return ts.factory.createPropertyAccessExpression(n.left, n.right.text);
}

/** The text's only mention of `name` is `export [default] [abstract] class|interface|enum name`, with no `export *`. */
