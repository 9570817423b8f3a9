import ts = require('typescript');
import type { FileModel, Ref } from './fileModel';
import { isRelativeModule, skipOuter } from './imports';

const { SyntaxKind } = ts;

/**
 * Whether anything a project module exports can resolve, in a file that imports it, to a symbol of one of the
 * `needles` modules (e.g. JWT libraries): a re-exported library binding, a thin wrapper around a library call, or an
 * object literal holding either. This is what symbol resolution follows through an import (FileModel `exportRef`,
 * `member`, `wrapperSummary`), so an importing file whose imports all answer "no" cannot see such a symbol through
 * them: its relevance stays decided by its own text, and it is not parsed for the rules that need the modules.
 */
export function exportsReach(model: FileModel, needles: readonly string[], key: string): boolean {
  return model.perFile(`exportsReach:${key}`, () => computeExportsReach(model, needles, new Set()));
}

function computeExportsReach(model: FileModel, needles: readonly string[], visiting: Set<string>): boolean {
  if (visiting.has(model.fileName)) return false;
  visiting.add(model.fileName);
  const matches = (symbol: string) => needles.some((n) => symbol.includes(n));
  const throughModule = (spec: string): boolean => {
    if (!isRelativeModule(spec)) return matches(spec.startsWith('node:') ? spec.slice(5) : spec);
    const target = model.project.resolveModule(model.fileName, spec);
    const other = target ? model.project.getModel(target) : undefined;
    if (!other) return false;
    model.project.noteDependency(model.fileName, other.fileName);
    return computeExportsReach(other, needles, visiting);
  };
  const search: Search = { project: model.project, needles, matches, visiting };
  const named = (name: string) => capable(model.exportRef(name), search, 0);

  for (const st of model.sourceFile.statements) {
    if (ts.isExportDeclaration(st)) {
      // Type-only re-exports count: an injected instance's type (`constructor(t: Tokens)`) resolves through them.
      const spec = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      if (!st.exportClause || ts.isNamespaceExport(st.exportClause)) { if (spec !== undefined && throughModule(spec)) return true; continue; }
      for (const el of st.exportClause.elements) if (named(el.name.text)) return true;
      continue;
    }
    if (ts.isExportAssignment(st)) { if (!st.isExportEquals && named('default')) return true; continue; }
    if (ts.isExpressionStatement(st)) { if (commonJsNames(st).some(named)) return true; continue; }
    if (!ts.canHaveModifiers(st) || !(ts.getModifiers(st) ?? []).some((m) => m.kind === SyntaxKind.ExportKeyword)) continue;
    const isDefault = (ts.getModifiers(st) ?? []).some((m) => m.kind === SyntaxKind.DefaultKeyword);
    if (isDefault && named('default')) return true;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (bindingNames(d.name).some(named)) return true;
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name && named(st.name.text)) return true;
  }
  return false;
}

/** Names a CommonJS statement exports: `exports.x =`, `module.exports.x =`, `module.exports = { a, b }` (and default). */
function commonJsNames(st: ts.ExpressionStatement): string[] {
  const e = st.expression;
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== SyntaxKind.EqualsToken) return [];
  const left = e.left.getText();
  const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(left);
  if (m) return [m[1]];
  if (left !== 'module.exports') return [];
  const out = ['default'];
  const r = skipOuter(e.right);
  if (ts.isObjectLiteralExpression(r)) for (const p of r.properties) if (p.name && ts.isIdentifier(p.name)) out.push(p.name.text);
  return out;
}

function bindingNames(n: ts.BindingName): string[] {
  if (ts.isIdentifier(n)) return [n.text];
  const out: string[] = [];
  for (const el of n.elements) if (!ts.isOmittedExpression(el)) out.push(...bindingNames(el.name));
  return out;
}

interface Search {
  project: FileModel['project'];
  needles: readonly string[];
  matches: (symbol: string) => boolean;
  /** Modules being looked at (re-export cycles). */
  visiting: Set<string>;
}

/**
 * Whether an exported ref can yield a matching symbol in an importer: a library ref, a wrapper whose summary is one,
 * an object literal with such a member (followed as `member` does), or a namespace of a module that exports one.
 */
function capable(ref: Ref | undefined, s: Search, depth: number): boolean {
  if (!ref) return false;
  if (depth > 4) return true; // deeper than resolution usually goes: assume it can
  switch (ref.kind) {
    case 'library': return s.matches(ref.symbol);
    case 'projectModule': {
      const other = s.project.getModel(ref.fileName);
      return !!other && computeExportsReach(other, s.needles, s.visiting);
    }
    case 'declaration': {
      const d = ref.declaration;
      const value = d.kind === 'function' ? d.declaration : d.kind === 'variable' && d.initializer && !d.path ? skipOuter(d.initializer) : undefined;
      return !!value && valueCapable(ref.model, value, s, depth);
    }
    case 'node': return valueCapable(ref.model, ref.node, s, depth);
  }
}

function valueCapable(model: FileModel, node: ts.Node, s: Search, depth: number): boolean {
  if (ts.isFunctionDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node)) {
    const summary = model.wrapperSummary(node);
    return !!summary && s.matches(summary.symbol);
  }
  if (ts.isObjectLiteralExpression(node)) {
    for (const p of node.properties) {
      if (ts.isPropertyAssignment(p)) {
        const ref = model.resolveRef(p.initializer) ?? { kind: 'node' as const, model, node: skipOuter(p.initializer) };
        if (capable(ref, s, depth + 1)) return true;
      } else if (ts.isShorthandPropertyAssignment(p)) {
        if (capable(model.resolveRef(p.name), s, depth + 1)) return true;
      } else if (ts.isMethodDeclaration(p)) {
        if (valueCapable(model, p, s, depth + 1)) return true;
      } else if (ts.isSpreadAssignment(p)) return true; // not followed by resolution, but be safe
    }
  }
  return false;
}

/** What may stand between `export` and `class`/`interface`/`enum` (declarations resolution never follows to a library). */
const DECLARATION_MODIFIERS = String.raw`\s+(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?`;
// `export type X = …` declares an alias resolution does not follow; `export type { X } from …` is followed.
const CLASS_LIKE_EXPORT = new RegExp(String.raw`${DECLARATION_MODIFIERS}(?:class|interface|enum|type(?=\s+[A-Za-z_$]))(?![\w$])`, 'y');

/**
 * Every export of the module (if any) is a class, interface, enum or type declaration (`export [default] [abstract]
 * class X`), and it has no CommonJS exports: nothing it exports is a library binding, wrapper or object resolution
 * follows (`exportsReach` would answer no). Decided on the text: each `export` keyword must start such a declaration.
 */
export function exportsOnlyClasses(text: string): boolean {
  if (/\bmodule\.exports\b|\bexports\.[\w$]+\s*=|\bexports\[/.test(text)) return false;
  const EXPORT = /(?<![\w$.])export(?![\w$])/g;
  for (let m = EXPORT.exec(text); m; m = EXPORT.exec(text)) {
    CLASS_LIKE_EXPORT.lastIndex = m.index + m[0].length;
    if (!CLASS_LIKE_EXPORT.test(text)) return false;
  }
  return true;
}

/**
 * The module's one mention of `name` is its class (interface, enum) declaration, and it re-exports nothing wholesale:
 * importing `name` from it gives a project class, never a library one (FileModel `importsProjectClass`).
 */
export function declaresOnlyClass(text: string, name: string): boolean {
  if (/\bexport\s*\*/.test(text)) return false;
  const escaped = name.replace(/\$/g, '\\$');
  const mentions = text.match(new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`, 'g'));
  if (!mentions || mentions.length !== 1) return false;
  return new RegExp(String.raw`(?:^|\n)export${DECLARATION_MODIFIERS}(?:class|interface|enum)\s+${escaped}(?![\w$])`).test(text);
}
