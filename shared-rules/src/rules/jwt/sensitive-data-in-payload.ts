import ts = require('typescript');
import { CodeFix, defineRule, RuleContext, Severity } from '../../engine/types';
import type { ResolvedCall } from '../../model/calls';
import { evaluate, propertyName } from '../../model/constEval';
import { removeListElement, replaceNode } from '../../model/edits';
import { EntityGuess, guessEntity } from '../../model/entityShape';
import type { FileModel } from '../../model/fileModel';
import { skipOuter } from '../../model/imports';
import { SIGN_CALLS } from '../../model/jwtApi';
import { isMutatedObject, signSite } from '../../model/jwtSignSites';
import { classifyName, NameClass } from '../../model/sensitiveNames';
import { isTestishPath } from '../../model/testPaths';
import { JWT_RELEVANCE } from '../../model/jwtRelevance';

const CLASS_LABEL: Record<string, string> = {
  password: 'a password or password hash', secret: 'a secret', token: 'a credential token', key: 'a key', pii: 'personal data',
};
/** Terminal names of values that are references, not credentials (`token: session.id`). */
const REFERENCE_VALUE = /(^|[a-z0-9_])(id|Id|ID|_id|jti|uuid|Uuid)$/;

export default defineRule({
  meta: {
    relevance: JWT_RELEVANCE,
    id: 'jwt/sensitive-data-in-payload',
    title: 'Secrets or personal data in a JWT payload',
    description: 'A signed (not encrypted) JWT carries a password, secret, credential token or personal data: anyone holding the token can read it.',
    defaultSeverity: 'error',
    checklist: ['jwt-payload'],
    owasp: ['API3', 'API2'],
    cwe: [522, 359],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
  },
  create(context) {
    const model = context.model;
    const check = (call: ResolvedCall) => {
      const site = signSite(model, call);
      const payload = site?.payload;
      if (!payload || payload.getSourceFile() !== context.sourceFile) return;
      const e = skipOuter(payload);
      if (ts.isObjectLiteralExpression(e)) { walkLiteral(context, model, e, e, [], 0); return; }
      const v = evaluate(model, e);
      if (v.kind === 'object' && ts.isObjectLiteralExpression(v.node)) {
        // `delete payload.password` before signing
        if (isMutatedObject(e) && hasDelete(e)) return;
        const lit = v.node;
        walkLiteral(context, model, lit, lit.getSourceFile() === context.sourceFile ? lit : e, [], 0);
        return;
      }
      if (v.kind === 'string' || v.kind === 'number' || v.kind === 'object') return;
      const guess = guessEntity(model, e);
      if (guess) reportEntity(context, guess, e, 'payload');
    };
    const calls: Record<string, (c: ResolvedCall) => void> = {};
    for (const sym of Object.keys(SIGN_CALLS)) calls[sym] = check;
    return { calls };
  },
});

/**
 * Classifies every key of a payload literal (nested objects and resolvable spreads included). `anchor` is the node
 * in this file to report at when the literal is written elsewhere (an imported object).
 */
function walkLiteral(context: RuleContext, model: FileModel, lit: ts.ObjectLiteralExpression, anchor: ts.Node, path: string[], depth: number): void {
  if (depth > 3) return;
  const local = lit.getSourceFile() === context.sourceFile;
  for (const p of lit.properties) {
    if (ts.isSpreadAssignment(p)) {
      const v = evaluate(model, p.expression);
      if (v.kind === 'object' && ts.isObjectLiteralExpression(v.node)) {
        walkLiteral(context, model, v.node, local ? p : anchor, path, depth + 1);
        continue;
      }
      if (v.kind === 'null' || v.kind === 'undefined') continue;
      const guess = guessEntity(model, p.expression);
      if (guess && local) reportEntity(context, guess, p, 'spread');
      continue;
    }
    if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) continue;
    const name = propertyName(p.name);
    if (name === undefined) continue;
    const valueExpr = ts.isPropertyAssignment(p) ? p.initializer : p.name;
    const cls = classifyName(name);
    const at = local ? p : anchor;
    if (cls === 'password' || cls === 'secret' || cls === 'token' || cls === 'key' || cls === 'pii') {
      if (!valueMayBeSensitive(model, valueExpr)) continue;
      reportKey(context, lit, p, at, [...path, name], cls);
      continue;
    }
    const inner = skipOuter(valueExpr);
    if (ts.isObjectLiteralExpression(inner)) { walkLiteral(context, model, inner, local ? inner : anchor, [...path, name], depth + 1); continue; }
    const v = evaluate(model, inner);
    if (v.kind === 'object' && ts.isObjectLiteralExpression(v.node)) { walkLiteral(context, model, v.node, at, [...path, name], depth + 1); continue; }
    if (v.kind === 'string' || v.kind === 'number' || v.kind === 'boolean' || v.kind === 'array') continue;
    // `{ data: user.password }`: the value's own name
    if (ts.isPropertyAccessExpression(inner)) {
      const vc = classifyName(inner.name.text);
      if (vc === 'password' || vc === 'secret') { reportKey(context, lit, p, at, [...path, name], vc, inner.getText()); continue; }
    }
    // `{ user }`, `{ user: foundUser }`: a whole record nested in the payload
    const guess = guessEntity(model, inner);
    if (guess && local) reportEntity(context, guess, p, 'property', name);
  }
}

/** E8's type gate without types: constants, numbers, booleans and references (`tokenId`) are not credentials. */
function valueMayBeSensitive(model: FileModel, valueExpr: ts.Expression): boolean {
  const e = skipOuter(valueExpr);
  const v = evaluate(model, e);
  if (v.kind === 'number' || v.kind === 'boolean' || v.kind === 'null' || v.kind === 'undefined' || v.kind === 'array') return false;
  if (v.kind === 'string') return false; // a constant is not user data (hard-coded secrets are another rule's)
  if (ts.isPrefixUnaryExpression(e) || (ts.isBinaryExpression(e) && /^(===|!==|==|!=|<|>|<=|>=|&&|\|\|)$/.test(e.operatorToken.getText()))) return false;
  if (ts.isCallExpression(e) && /^(Boolean|Number|parseInt|parseFloat)$/.test(e.expression.getText())) return false;
  const terminal = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : undefined;
  if (terminal && REFERENCE_VALUE.test(terminal)) return false;
  if (terminal && /^(has|is)[A-Z_]/.test(terminal)) return false;
  return true;
}

function reportKey(context: RuleContext, lit: ts.ObjectLiteralExpression, prop: ts.ObjectLiteralElementLike, at: ts.Node, path: string[], cls: NameClass, via?: string): void {
  const label = CLASS_LABEL[cls] ?? 'sensitive data';
  const claim = path.join('.');
  const severity: Severity = isTestishPath(context) ? 'info' : cls === 'pii' || via ? 'warning' : 'error';
  const message = via
    ? `JWT claim \`${claim}\` carries \`${via}\`, ${label}: a signed JWT is only base64-encoded, so anyone holding the token can read it.`
    : `JWT claim \`${claim}\` looks like ${label}: a signed JWT is only base64-encoded, so anyone holding the token can read it. Keep it server-side (or use an encrypted JWE).`;
  const suggestions: CodeFix[] = [];
  if (lit.getSourceFile() === context.sourceFile) {
    suggestions.push({ title: `Remove \`${claim}\` from the token payload (code that reads this claim must look it up server-side instead)`, edits: [removeListElement(lit.properties, prop)] });
  }
  context.report({ node: at, severity, message, suggestions });
}

function reportEntity(context: RuleContext, guess: EntityGuess, at: ts.Node, where: 'payload' | 'spread' | 'property', propName?: string): void {
  if (guess.evidence === 'type' && guess.sensitiveFields.length === 0) return;
  const fields = guess.sensitiveFields.map((f) => f.name);
  const idField = new RegExp(`\\b${escape(guess.base)}\\._id\\b`).test(context.sourceFile.text) ? '_id' : 'id';
  const what = where === 'spread' ? `Spreading \`${guess.base}\` into the payload` : where === 'property' ? `Claim \`${propName}\` nests \`${guess.base}\`` : `Signing \`${guess.base}\` as the payload`;
  let message: string;
  if (guess.evidence === 'type') {
    message = `${what} puts ${fields.map((f) => `\`${f}\``).join(', ')} (from type \`${guess.typeName}\`) into the token, readable by anyone holding it. Sign only the claims you need.`;
  } else {
    const why = guess.evidence === 'query' ? 'it comes straight from a database query' : 'its name says it is a whole user record';
    message = `${what} copies every field of the record into the token (a password hash, reset tokens…), readable by anyone holding it; ${why}, though without type information this is a guess. Sign only the claims you need, e.g. \`{ sub: ${guess.base}.${idField} }\`.`;
  }
  const removed = fields.length ? ` (drops ${fields.join(', ')})` : '';
  const suggestions: CodeFix[] = [];
  if (where === 'spread') suggestions.push({ title: `Replace \`...${guess.base}\` with \`sub: ${guess.base}.${idField}\`${removed}`, edits: [replaceNode(at, `sub: ${guess.base}.${idField}`)] });
  else if (where === 'payload') suggestions.push({ title: `Sign \`{ sub: ${guess.base}.${idField} }\` instead${removed}`, edits: [replaceNode(at, `{ sub: ${guess.base}.${idField} }`)] });
  else if (ts.isShorthandPropertyAssignment(at) || ts.isPropertyAssignment(at)) {
    const key = at.name.getText();
    suggestions.push({ title: `Keep only the id: \`${key}: { ${idField}: ${guess.base}.${idField} }\`${removed}`, edits: [replaceNode(at, `${key}: { ${idField}: ${guess.base}.${idField} }`)] });
  }
  context.report({ node: at, severity: isTestishPath(context) ? 'info' : 'warning', message, suggestions });
}

function hasDelete(id: ts.Expression): boolean {
  const sf = id.getSourceFile();
  return new RegExp(`\\bdelete\\s+${escape(id.getText())}\\b`).test(sf.text);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
