import * as path from 'node:path';
import ts = require('typescript');
import type { CodeFix, TextEdit } from '../engine/types';

const { SyntaxKind } = ts;

/**
 * The shared "read it from the environment and fail fast" code action: replaces an expression with
 * `requireEnv('NAME')` and adds the helper once per file (reusing an existing `requireEnv`), in the file's
 * module style. Where a Nest ConfigService is in scope, `<config>.getOrThrow('NAME')` is used instead.
 */
export function requireEnvSuggestion(node: ts.Expression, envName: string, title?: string): CodeFix {
  const sf = node.getSourceFile();
  const configReceiver = nestConfigReceiver(node);
  if (configReceiver) {
    return {
      title: title ?? `Read ${envName} with ${configReceiver}.getOrThrow() (fails at start-up when missing)`,
      edits: [{ fileName: sf.fileName, start: node.getStart(sf), end: node.getEnd(), newText: `${configReceiver}.getOrThrow<string>('${envName}')` }],
    };
  }
  const edits: TextEdit[] = [{ fileName: sf.fileName, start: node.getStart(sf), end: node.getEnd(), newText: `requireEnv('${envName}')` }];
  if (!declaresRequireEnv(sf)) edits.push(helperEdit(sf));
  return { title: title ?? `Read ${envName} from the environment with requireEnv() (fails fast when missing)`, edits };
}

function declaresRequireEnv(sf: ts.SourceFile): boolean {
  return sf.statements.some((s) => (ts.isFunctionDeclaration(s) && s.name?.text === 'requireEnv')
    || (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === 'requireEnv'))
    || (ts.isImportDeclaration(s) && !!s.importClause?.namedBindings && ts.isNamedImports(s.importClause.namedBindings)
      && s.importClause.namedBindings.elements.some((e) => e.name.text === 'requireEnv')));
}

function helperEdit(sf: ts.SourceFile): TextEdit {
  const isJs = /\.[cm]?jsx?$/.test(path.extname(sf.fileName));
  const sig = isJs ? 'function requireEnv(name)' : 'function requireEnv(name: string): string';
  const helper = `\n\n${sig} {\n  const value = process.env[name];\n  if (!value) throw new Error(\`\${name} is not set\`);\n  return value;\n}\n`;
  // Function declarations are hoisted: appending at the end keeps imports first and works in both module styles.
  const end = sf.text.length;
  const trimmed = sf.text.replace(/\s+$/, '');
  return { fileName: sf.fileName, start: trimmed.length, end, newText: helper };
}

/** `this.config` / `configService` when the enclosing class injects a Nest `ConfigService`. */
function nestConfigReceiver(node: ts.Node): string | undefined {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isClassLike(p)) {
      for (const m of p.members) {
        if (!ts.isConstructorDeclaration(m)) continue;
        for (const param of m.parameters) {
          if (param.type && /\bConfigService\b/.test(param.type.getText()) && ts.isIdentifier(param.name)) {
            const isProp = (ts.getModifiers(param) ?? []).some((mod) => mod.kind === SyntaxKind.PrivateKeyword || mod.kind === SyntaxKind.PublicKeyword || mod.kind === SyntaxKind.ProtectedKeyword || mod.kind === SyntaxKind.ReadonlyKeyword);
            const inCtor = isInside(node, m);
            if (inCtor) return param.name.text;
            if (isProp) return `this.${param.name.text}`;
          }
        }
      }
      return undefined;
    }
  }
  return undefined;
}

function isInside(n: ts.Node, container: ts.Node): boolean {
  for (let p: ts.Node | undefined = n; p; p = p.parent) if (p === container) return true;
  return false;
}

/** An environment variable name derived from a binding or property name (`jwtSecret` → `JWT_SECRET`). */
export function envNameFor(name: string | undefined, fallback: string): string {
  if (!name) return fallback;
  const n = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
  return /^[A-Z][A-Z0-9_]*$/.test(n) ? n : fallback;
}
