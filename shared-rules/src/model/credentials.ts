import ts = require('typescript');
import { envRead, evaluate } from './constEval';
import type { FileModel } from './fileModel';
import { hashCallOf } from './hashing';
import { skipOuter } from './imports';
import { requestSource } from './requestInput';
import { findDeclaration } from './scope';
import { ClassifyOptions, classifyName, splitName } from './sensitiveNames';

const { SyntaxKind } = ts;

/**
 * Does an expression hold a credential (E8 applied to values)? Used by `apikey/weak-hash` (what is hashed),
 * `apikey/secret-in-logs` (what is logged) and `apikey/non-constant-time-compare` (what is compared).
 *
 * The name decides (`password`, `body.password`, `apiKey`, `refreshToken`), after formatting that keeps the
 * whole value (`String(x)`, `x.trim()`, `Buffer.from(x)`, concatenation with a salt), and with E8's gates: a
 * declared non-string type is never a credential (`token: Token` in a parser, `tokenCount: number`), and a
 * `token` whose `.type`/`.value`/`.start` is read in the same function is a lexer token.
 */
export type CredentialKind = 'password' | 'secret' | 'token' | 'key';

export interface CredentialRef {
  kind: CredentialKind;
  /** The name that classified (`password`, `apiKey`). */
  name: string;
  /** The expression carrying the name. */
  node: ts.Expression;
  /** The value is read from the HTTP request (E6). */
  fromRequest: boolean;
}

export interface CredentialOptions extends ClassifyOptions {
  /** Follow a neutral local to its initializer (`const pw = req.body.password`). Default true. */
  followInitializers?: boolean;
}

const KEEP_METHODS = /^(toString|trim|trimStart|trimEnd|normalize|toLowerCase|toUpperCase|valueOf|toWellFormed)$/;
const LEXICAL_PROPS = /^(type|kind|value|start|end|pos|loc|range|line|column|col|text|raw|tokenType|image|offset|length)$/;

export function credentialOf(expr: ts.Expression | undefined, opts: CredentialOptions = {}, depth = 0): CredentialRef | undefined {
  if (!expr || depth > 8) return undefined;
  let e = skipOuter(expr);
  if (ts.isAwaitExpression(e)) e = skipOuter(e.expression);
  if (ts.isTemplateExpression(e)) {
    for (const s of e.templateSpans) { const r = credentialOf(s.expression, opts, depth + 1); if (r) return r; }
    return undefined;
  }
  if (ts.isBinaryExpression(e)) {
    const k = e.operatorToken.kind;
    if (k === SyntaxKind.PlusToken || k === SyntaxKind.BarBarToken || k === SyntaxKind.QuestionQuestionToken) {
      return credentialOf(e.left, opts, depth + 1) ?? credentialOf(e.right, opts, depth + 1);
    }
    return undefined;
  }
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(e.expression);
    if (ts.isPropertyAccessExpression(callee) && KEEP_METHODS.test(callee.name.text)) return credentialOf(callee.expression, opts, depth + 1);
    if (ts.isIdentifier(callee) && /^(String|unescape|decodeURIComponent)$/.test(callee.text)) return credentialOf(e.arguments[0], opts, depth + 1);
    if (ts.isPropertyAccessExpression(callee) && callee.expression.getText() === 'Buffer' && callee.name.text === 'from') return credentialOf(e.arguments[0], opts, depth + 1);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'encode' && /TextEncoder/.test(callee.expression.getText())) return credentialOf(e.arguments[0], opts, depth + 1);
    // req.get('authorization'), req.header('x-api-key'), headers.get('authorization')
    if (ts.isPropertyAccessExpression(callee) && /^(get|header)$/.test(callee.name.text) && e.arguments[0] && ts.isStringLiteralLike(e.arguments[0])) {
      const kind = headerCredential(e.arguments[0].text);
      if (kind && requestSource(e)) return { kind, name: e.arguments[0].text, node: e, fromRequest: true };
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const name = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : undefined;
    if (name === undefined) return undefined;
    const fromRequest = !!requestSource(e);
    if (fromRequest && isHeaderAccess(e)) {
      const kind = headerCredential(name);
      return kind ? { kind, name, node: e, fromRequest } : undefined;
    }
    const kind = credentialClass(name, opts);
    if (!kind) return undefined;
    if (kind === 'token' && ts.isIdentifier(skipOuter(e.expression)) && lexicalToken(skipOuter(e.expression) as ts.Identifier)) return undefined;
    // coupon.token, nft.token: the owner names another domain
    const owner = skipOuter(e.expression);
    const ownerName = ts.isIdentifier(owner) ? owner.text : ts.isPropertyAccessExpression(owner) ? owner.name.text : '';
    if (ownerName && splitName(ownerName).some((w) => NON_AUTH_DOMAIN.test(w))) return undefined;
    return { kind, name, node: e, fromRequest };
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    const typeNode = d && !d.path ? (d.declaration as { type?: ts.TypeNode }).type : undefined;
    if (typeNode && !stringLikeType(typeNode)) return undefined;
    const kind = credentialClass(e.text, opts);
    if (kind) {
      if (kind === 'token' && lexicalToken(e)) return undefined;
      return { kind, name: e.text, node: e, fromRequest: !!requestSource(e) };
    }
    if (opts.followInitializers !== false && d && d.kind === 'variable' && d.initializer && d.isConst) {
      if (d.path) {
        // const { password: pw } = req.body
        const last = d.path[d.path.length - 1];
        const k = credentialClass(last, opts);
        if (k) return { kind: k, name: last, node: e, fromRequest: !!requestSource(d.initializer) };
        return undefined;
      }
      const r = credentialOf(d.initializer, opts, depth + 1);
      return r ? { ...r, node: e } : undefined;
    }
  }
  return undefined;
}

/**
 * Names that describe a credential without holding it: durations and offsets (`tokenRenewalOffsetSeconds`,
 * `tokenTtl`), settings (`tokenStrategy`, `secretProvider`), and `pass` meaning an iteration (`passNumber`).
 */
const DESCRIPTOR_SUFFIX = /^(address|symbol|decimals|price|amount|balance|supply|response|resp|result|results|request|req|info|payload|claims|manager|service|helper|client|handler|decoded|details|meta|metadata|seconds|secs|sec|ms|millis|milliseconds|minutes|mins|hours|days|ttl|timeout|duration|lifetime|interval|delay|age|offset|window|threshold|retries|attempts|enabled|disabled|mode|strategy|source|provider|store|storage|cache|format|schema|regex|pattern|validator|options|opts|config|settings|version|endpoint|url|uri|path|file|location|name|names|label|type|kind|header|field|param|key[sS]?|count|length|len|size|limit|max|min|index|idx|number|num|status|state|error|err|message|msg|policy|rules|hint|placeholder|changed|updated|created|expires|expiry|expiration|at|id|ids)$/;

const NON_AUTH_DOMAIN = /^(coupon|promo|voucher|gift|nft|erc20|erc721|erc1155|coin|wallet|chain|contract|lexer|parser|syntax|ast|css|theme|color|colour|design|font|spacing|i18n|translation|word|sentence|llm|gpt|embedding)$/;

export function describesNotTheValue(name: string): boolean {
  const words = splitName(name);
  if (words.length < 2) return false;
  const last = words[words.length - 1];
  if (last === 'key' || last === 'keys') return false;
  // couponToken, nftToken, tokenAddress: tokens of another domain (coupons, blockchains, lexers, design systems)
  if (words.some((w) => NON_AUTH_DOMAIN.test(w))) return true;
  // AZURE_TOKEN_CREDENTIALS, GOOGLE_APPLICATION_CREDENTIALS: a selector or a key file's path, not the credential
  if (last === 'credentials' && words.length > 1) return true;
  if (DESCRIPTOR_SUFFIX.test(last)) return true;
  // passNumber, passCount, passIndex, firstPass: a pass over data, not a password
  if (words.includes('pass') && !words.some((w) => /^(password|passwd|passcode|passphrase|pwd)$/.test(w)) && last !== 'pass' && !/^(word|wd|phrase|code|hash)$/.test(last)) return true;
  return false;
}

function credentialClass(name: string, opts: ClassifyOptions): CredentialKind | undefined {
  const sessionId = opts.sessionIdIsToken && /^(session id|sid|sessionid)$/.test(splitName(name).join(' '));
  if (!sessionId && describesNotTheValue(name)) return undefined;
  const c = classifyName(name, opts);
  return c === 'password' || c === 'secret' || c === 'token' || c === 'key' ? c : undefined;
}

/** Header names that carry credentials: Authorization, Cookie, API-key and webhook-signature headers. */
export function headerCredential(name: string): CredentialKind | undefined {
  const n = name.toLowerCase();
  if (n === 'authorization' || n === 'proxy-authorization' || n === 'cookie' || n === 'set-cookie') return 'token';
  if (/^x-(api|auth|access|admin|service|client)[-_]?(key|token|secret)$/.test(n) || n === 'x-api-key' || n === 'api-key' || n === 'apikey') return 'token';
  if (/signature|^x-hub-signature|^stripe-signature$|^x-slack-signature$/.test(n)) return 'secret';
  if (/(^|-)(token|secret|password)$/.test(n)) return 'token';
  return undefined;
}

/** `req.headers.x`, `req.headers['x-api-key']`, `request.headers.authorization`. */
function isHeaderAccess(e: ts.PropertyAccessExpression | ts.ElementAccessExpression): boolean {
  const base = skipOuter(e.expression);
  return (ts.isPropertyAccessExpression(base) && base.name.text === 'headers') || (ts.isIdentifier(base) && /^headers$/.test(base.text));
}

function stringLikeType(t: ts.TypeNode): boolean {
  if (ts.isUnionTypeNode(t)) return t.types.some(stringLikeType);
  if (ts.isParenthesizedTypeNode(t)) return stringLikeType(t.type);
  if (t.kind === SyntaxKind.StringKeyword || t.kind === SyntaxKind.AnyKeyword || t.kind === SyntaxKind.UnknownKeyword) return true;
  if (ts.isLiteralTypeNode(t)) return ts.isStringLiteral(t.literal);
  if (ts.isTypeReferenceNode(t)) return /^(String|Buffer|Uint8Array|KeyObject|crypto\.KeyObject|BinaryLike|Secret)$/.test(t.typeName.getText());
  return false;
}

/** A `token` that is a lexer/parser token: its `.type`, `.value`, `.start` … are read in the same function. */
function lexicalToken(id: ts.Identifier): boolean {
  let fn: ts.Node | undefined;
  for (let p: ts.Node | undefined = id.parent; p; p = p.parent) if (ts.isFunctionLike(p) || ts.isSourceFile(p)) { fn = p; break; }
  if (!fn) return false;
  const name = id.text;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name && LEXICAL_PROPS.test(n.name.text) && n.name.text !== 'length') found = true;
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}

/**
 * A server-side secret value (the other operand of a comparison, or a logged value): `process.env.<SECRET>`,
 * `config.get('API_KEY')`, a config/settings/env object property with a secret name, a stored credential or
 * credential hash loaded from the database (`record.keyHash`, `user.apiKey`), or a computed
 * `createHmac(...).digest()`. Never request input (that is the other side).
 */
export interface SecretValue { kind: 'env' | 'config' | 'stored' | 'hmac'; label: string; node: ts.Expression }

export function secretValueOf(model: FileModel, expr: ts.Expression | undefined, depth = 0): SecretValue | undefined {
  if (!expr || depth > 6) return undefined;
  let e = skipOuter(expr);
  if (ts.isAwaitExpression(e)) e = skipOuter(e.expression);
  if (requestSource(e)) return undefined;
  const env = envRead(e);
  if (env !== undefined) return credentialClass(env, {}) ? { kind: 'env', label: `process.env.${env}`, node: e } : undefined;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === SyntaxKind.PlusToken || ts.isTemplateExpression(e)) {
    // 'sha256=' + hmac.digest('hex'), `v0=${digest}`
    const parts = ts.isTemplateExpression(e) ? e.templateSpans.map((t) => t.expression) : [e.left, e.right];
    for (const p of parts) { const r = secretValueOf(model, p, depth + 1); if (r?.kind === 'hmac') return { ...r, node: e }; }
    return undefined;
  }
  if (ts.isCallExpression(e)) {
    const v = evaluate(model, e);
    if (v.kind === 'env') return credentialClass(v.name, {}) ? { kind: 'config', label: e.getText().slice(0, 60), node: e } : undefined;
    // createHmac(alg, key).update(body).digest('hex')
    if (hmacChain(model, e)) return { kind: 'hmac', label: 'an HMAC digest', node: e };
    const callee = skipOuter(e.expression);
    if (ts.isPropertyAccessExpression(callee) && /^(toString|trim|toLowerCase|toUpperCase)$/.test(callee.name.text)) return secretValueOf(model, callee.expression, depth + 1);
    if (ts.isIdentifier(callee) && callee.text === 'String') return secretValueOf(model, e.arguments[0], depth + 1);
    return undefined;
  }
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const name = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : undefined;
    if (!name) return undefined;
    if (credentialClass(name, {}) || storedHashName(name)) {
      const base = skipOuter(e.expression).getText();
      const kind = /\b(config|cfg|conf|settings|env|options|opts|secrets)\b/i.test(base) ? 'config' : 'stored';
      return { kind, label: e.getText().slice(0, 60), node: e };
    }
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (!d) return undefined;
    if (d.kind === 'variable' && d.initializer && (d.isConst || !d.path)) {
      if (d.path) {
        // const { ADMIN_API_KEY } = process.env;  const { apiKey } = config
        const last = d.path[d.path.length - 1];
        if (!requestSource(d.initializer) && credentialClass(last, {})) return { kind: /process\.env|env/.test(d.initializer.getText()) ? 'env' : 'config', label: e.text, node: e };
        return undefined;
      }
      const inner = secretValueOf(model, d.initializer, depth + 1);
      if (inner) return { ...inner, label: inner.kind === 'hmac' ? inner.label : e.text, node: e };
      return undefined;
    }
    return undefined;
  }
  return undefined;
}

/** `keyHash`, `tokenHash`, `secretHash`, `apiKeyHash`, `passwordHash`: a stored credential hash. */
function storedHashName(name: string): boolean {
  return /^(api_?)?(key|token|secret|password|pw)_?(hash|digest)$/i.test(name) || /^hashed_?(key|token|secret|password|api_?key)$/i.test(name);
}

function hmacChain(model: FileModel, e: ts.Expression): boolean {
  let cur = skipOuter(e);
  for (let i = 0; i < 6 && ts.isCallExpression(cur); i++) {
    const h = hashCallOf(model, cur);
    if (h) return h.kind === 'hmac';
    const callee = skipOuter(cur.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    cur = skipOuter(callee.expression);
  }
  return false;
}
