import ts = require('typescript');
import type { TextEdit } from '../engine/types';
import { moduleStyle } from './fileKind';
import type { FileModel } from './fileModel';
import { requireSpecifier } from './imports';
import { declarationsOf } from './scope';

/**
 * Code actions that need a `node:crypto` export (`randomBytes`, `randomInt`, `randomUUID`, `timingSafeEqual`,
 * `createHash`) use this: it reuses an existing crypto import (`import crypto from 'crypto'`,
 * `import * as crypto`, `const crypto = require('node:crypto')`, or a named import/destructuring that can take
 * one more name) and otherwise adds one in the file's module style (RULES.md 0.1). Several calls for one code
 * action share their edits through `CryptoImports`.
 */
export class CryptoImports {
  private readonly wanted: string[] = [];
  private useNamespace = false;
  private readonly bindings: Bindings;
  private readonly taken: Set<string>;

  constructor(private readonly model: FileModel) {
    this.bindings = cryptoBindings(model.sourceFile);
    this.taken = new Set(declarationsOf(model.sourceFile).keys());
  }

  /** The expression text that names crypto export `name` in this file after the edits (`randomBytes`, `crypto.randomBytes`). */
  ref(name: string): string {
    const b = this.bindings;
    const named = b.named.get(name);
    if (named) return named;
    if (b.namespace) return `${b.namespace}.${name}`;
    if (this.taken.has(name)) {
      // The name is taken by something else: use a namespace import instead.
      if (this.taken.has(NS)) return `require('node:crypto').${name}`;
      this.useNamespace = true;
      return `${NS}.${name}`;
    }
    if (!this.wanted.includes(name)) this.wanted.push(name);
    return name;
  }

  /** The import edits the names asked for so far need (none when everything was already imported). */
  importEdits(): TextEdit[] {
    const edits: TextEdit[] = [];
    const sf = this.model.sourceFile;
    if (this.wanted.length) {
      const list = this.bindings.namedList;
      if (list) edits.push({ fileName: sf.fileName, start: list.insertAt, end: list.insertAt, newText: `, ${this.wanted.join(', ')}` });
      else edits.push(newImport(this.model, `{ ${this.wanted.join(', ')} }`));
    }
    if (this.useNamespace) edits.push(newImport(this.model, `* as ${NS}`, NS));
    return edits;
  }
}

const NS = 'nodeCrypto';

interface Bindings {
  /** local name of `import * as x` / default import / `const x = require('crypto')` */
  namespace?: string;
  /** export name → local name, for names already imported */
  named: Map<string, string>;
  /** Where one more named import can be appended, if a named import or destructured require exists. */
  namedList?: { insertAt: number };
}

function isCryptoModule(spec: string): boolean {
  return spec === 'crypto' || spec === 'node:crypto';
}

export function cryptoBindings(sf: ts.SourceFile): Bindings {
  const out: Bindings = { named: new Map() };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && isCryptoModule(st.moduleSpecifier.text) && st.importClause && !st.importClause.isTypeOnly) {
      const c = st.importClause;
      if (c.name) out.namespace ??= c.name.text;
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) out.namespace ??= nb.name.text;
      if (nb && ts.isNamedImports(nb)) {
        for (const el of nb.elements) if (!el.isTypeOnly) out.named.set((el.propertyName ?? el.name).text, el.name.text);
        const last = nb.elements[nb.elements.length - 1];
        if (last) out.namedList ??= { insertAt: last.getEnd() };
      }
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)
      && ts.isStringLiteral(st.moduleReference.expression) && isCryptoModule(st.moduleReference.expression.text)) {
      out.namespace ??= st.name.text;
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (!d.initializer) continue;
        const spec = requireSpecifier(d.initializer);
        if (!spec || !isCryptoModule(spec)) continue;
        if (ts.isIdentifier(d.name)) out.namespace ??= d.name.text;
        else if (ts.isObjectBindingPattern(d.name)) {
          for (const el of d.name.elements) {
            if (!ts.isIdentifier(el.name) || el.dotDotDotToken) continue;
            const exported = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
            out.named.set(exported, el.name.text);
          }
          const last = d.name.elements[d.name.elements.length - 1];
          if (last && !last.dotDotDotToken) out.namedList ??= { insertAt: last.getEnd() };
        }
      }
    }
  }
  return out;
}

/** A new import statement of `node:crypto` in the file's module style, after the existing imports. */
function newImport(model: FileModel, clause: string, nsName?: string): TextEdit {
  const sf = model.sourceFile;
  const style = moduleStyle(model);
  const text = style === 'esm'
    ? `import ${clause} from 'node:crypto';`
    : nsName ? `const ${nsName} = require('node:crypto');` : `const ${clause} = require('node:crypto');`;
  const at = importInsertionPoint(sf, style);
  return { fileName: sf.fileName, start: at.pos, end: at.pos, newText: at.before + text + at.after };
}

/** After the last top-level import (or require), else before the first statement (after directives). */
export function importInsertionPoint(sf: ts.SourceFile, style: 'esm' | 'commonjs'): { pos: number; before: string; after: string } {
  let lastImport: ts.Statement | undefined;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st)) lastImport = st;
    else if (style === 'commonjs' && ts.isVariableStatement(st) && st.declarationList.declarations.every((d) => d.initializer && requireSpecifier(d.initializer))) lastImport = st;
  }
  if (lastImport) return { pos: lastImport.getEnd(), before: '\n', after: '' };
  const first = sf.statements.find((st) => !(ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)));
  if (first) return { pos: first.getStart(sf), before: '', after: '\n' };
  const lastDirective = sf.statements[sf.statements.length - 1];
  if (lastDirective) return { pos: lastDirective.getEnd(), before: '\n', after: '\n' };
  return { pos: 0, before: '', after: '\n' };
}
