import ts = require('typescript');
import type { RuleVisitors } from '../engine/types';
import { propertyName } from './constEval';
import { dataWriteOf, savedObject } from './dataWrites';
import type { FileModel } from './fileModel';
import { skipOuter } from './imports';
import { requestSource } from './requestInput';
import { Declaration, findDeclaration } from './scope';
import { classifyName, splitName } from './sensitiveNames';

const { SyntaxKind } = ts;

/**
 * "Key-like sinks" of RULES.md section 3: where a generated value lands (a binding, property, class field or a
 * function's return) and whether that name denotes a credential. Shared by `apikey/insecure-generation`,
 * `apikey/plaintext-storage` and `apikey/missing-prefix`.
 *
 * Classes:
 * - `apiKey`   API keys and long-lived access keys (`apiKey`, `apiToken`, `accessKey`, `personalAccessToken`, `licenseKey`)
 * - `token`    other bearer tokens (`token`, `accessToken`, `refreshToken`, `bearer`)
 * - `secret`   signing/encryption material (`secret`, `clientSecret`, `encryptionKey`, `hmacKey`)
 * - `password` generated passwords
 * - `session`  session ids (`sessionId`, `sid`, `sessionToken`)
 * - `reset`    one-time links/codes (`resetToken`, `verificationCode`, `inviteCode`, `magicLinkToken`)
 * - `otp`      one-time passcodes (`otp`, `mfaCode`, `smsCode`)
 * - `csrf`     CSRF tokens
 * - `oauth`    OAuth `state`, `nonce`, `codeVerifier`
 * - `key`      a generator explicitly named for keys (`generateKey()`): key-like without further evidence
 * - `generic`  bare `key`, `code`, `state`: key-like only with a second piece of evidence
 * - `identifier` `requestId`, `traceId`, `correlationId`, `idempotencyKey`: not secrets (info at most)
 */
export type KeyClass = 'apiKey' | 'token' | 'secret' | 'password' | 'session' | 'reset' | 'otp' | 'csrf' | 'oauth' | 'key' | 'generic' | 'identifier';

const NOT_A_VALUE_SUFFIX = new Set(['url', 'uri', 'endpoint', 'path', 'name', 'names', 'length', 'len', 'type', 'types', 'kind', 'expires', 'expiry', 'expiration', 'count', 'at', 'header',
  'headers', 'field', 'fields', 'label', 'prefix', 'suffix', 'hint', 'policy', 'required', 'size', 'limit', 'usage', 'version', 'file', 'location', 'env', 'var', 'ttl', 'ms',
  'seconds', 'timeout', 'hash', 'hashed', 'digest', 'regex', 're', 'pattern', 'schema', 'format', 'store', 'storage', 'cache', 'map', 'list', 'index', 'idx', 'param', 'params',
  'column', 'col', 'attr', 'attribute', 'property', 'prop', 'error', 'err', 'message', 'msg', 'status', 'valid', 'validator', 'enabled', 'mode', 'options', 'opts', 'config',
  'provider', 'generator', 'factory', 'service', 'fn', 'func', 'callback', 'cb', 'handler', 'ref', 'selector', 'template', 'mask', 'masked', 'last4', 'preview', 'encrypted',
  'cipher', 'ciphertext', 'iv', 'tag', 'ids', 'hint', 'bytes', 'bits', 'alphabet', 'charset', 'chars', 'characters', 'set', 'info', 'data', 'payload', 'claims', 'parts', 'part',
  'start', 'end', 'pos', 'position', 'offset', 'line', 'column', 'loc', 'range', 'node', 'nodes', 'kind']);
const IDENTIFIER_HEADS = new Set(['request', 'req', 'trace', 'correlation', 'span', 'idempotency', 'transaction', 'tx', 'message', 'msg', 'event', 'job', 'task', 'run', 'operation', 'op', 'batch', 'upload', 'client', 'device', 'instance', 'cache', 'dedupe', 'dedup', 'lock']);

const keyClassCache = new Map<string, KeyClass | undefined>();

/** The key class of a binding/property/function-result name, or undefined when it is not key-like (memoised: a pure function of the name). */
export function keyClass(name: string): KeyClass | undefined {
  if (keyClassCache.has(name)) return keyClassCache.get(name);
  const c = computeKeyClass(name);
  if (keyClassCache.size > 50_000) keyClassCache.clear();
  keyClassCache.set(name, c);
  return c;
}

function computeKeyClass(name: string): KeyClass | undefined {
  const words = splitName(name);
  if (words.length === 0) return undefined;
  const joined = words.join(' ');
  const last = words[words.length - 1];
  const has = (w: string) => words.includes(w);
  if (has('public') || has('publishable')) return undefined;
  if (/^(is|has|should|can|needs?|use|with|without|get|set|validate|verify|check|parse|read|load|find|compare|on|handle)$/.test(words[0]) && words.length > 1) return undefined;
  if (/\b(page|next|prev|previous|continuation|cancellation|sync|lexer|parser|syntax|ast)\b/.test(joined) && (has('token') || has('key'))) return undefined;
  if (/^(max|min|num|total|prompt|completion|input|output|remaining)$/.test(words[0]) && has('token')) return undefined;
  if (has('tokens') || has('keys') || has('secrets') || has('codes') && !has('recovery') || has('passwords')) return undefined;
  if (has('salt')) return undefined;
  // requestId, traceId, idempotencyKey: identifiers, not secrets
  if (IDENTIFIER_HEADS.has(words[0]) && (last === 'id' || last === 'key' || last === 'uuid' || last === 'nonce' && words[0] !== 'request')) {
    if (!(words[0] === 'client' && (has('secret') || last === 'key'))) return 'identifier';
  }
  // tokenKey, cacheKey, storageKey, redisKey: the key a value is stored under, not key material
  if (last === 'key' && words.length > 1 && /^(token|cache|storage|store|redis|map|lookup|local|db|row|item|entry|object|s3|file|bucket|state|partition|sort|primary|foreign|composite|index|dedupe|i18n|translation|react|list|group|sub|query|route|path|prop|field|column|attr|data|meta|metadata|hash|record|message|event|tenant|user|account|customer|order|unique|element|node|child|parent|form|component|registry|memo|config|setting|settings|env|type|kind|shortcut|hot|keyboard|press|sub|super|option|section|collection|table|doc|document|log)$/.test(words[words.length - 2])) return undefined;
  const sessionish = has('session') || has('sid') || joined === 'sessionid' || has('sessid');
  if (sessionish && (last === 'id' || last === 'sid' || last === 'token' || last === 'key' || last === 'sessid' || words.length === 1 && last === 'sid')) return 'session';
  if (NOT_A_VALUE_SUFFIX.has(last) && words.length > 1) return undefined;
  if (last === 'id' || last === 'ids' || last === 'uuid') return undefined;
  if (has('csrf') || has('xsrf')) return 'csrf';
  if (has('otp') || has('totp') || has('hotp') || has('mfa') && has('code') || (has('sms') || has('2fa') || has('twofa')) && has('code')
    || has('two') && has('factor') && has('code') || has('one') && has('time') && (has('code') || has('password'))) return 'otp';
  const oneTimeHead = /\b(reset|recovery|verification|verify|confirmation|confirm|activation|activate|invite|invitation|magic|unlock|signup|email|phone|claim|redeem|unsubscribe|download|pairing|login|signin|access|auth|authorization|otp)\b/;
  if (last === 'token' && oneTimeHead.test(joined) && !/\b(access|auth|authorization|login|signin)\b/.test(joined)) return 'reset';
  if (last === 'link' && has('magic')) return 'reset';
  if (last === 'code' && oneTimeHead.test(joined)) return (has('auth') || has('authorization')) && !has('two') ? 'oauth' : 'reset';
  if (has('nonce') || has('verifier') || (has('code') && has('challenge')) || joined === 'oauth state' || joined === 'auth state' || joined === 'oidc state') return 'oauth';
  if (has('pkce')) return 'oauth';
  if ((has('api') && (has('key') || has('token') || has('secret'))) || has('apikey') || has('apitoken') || joined === 'access key'
    || has('personal') && has('access') && has('token') || joined === 'pat' || has('license') && has('key') || has('service') && (last === 'key' || last === 'token')
    || has('client') && last === 'key' || joined === 'secret key' || joined === 'secret access key' || joined === 'app key' || joined === 'app token') return 'apiKey';
  const c = classifyName(name);
  if (c === 'password') return 'password';
  if (c === 'secret') return 'secret';
  if (c === 'key') return 'secret';
  if (c === 'token') return 'token';
  if (words.length === 1 && /^(key|code|state|pin|passkey|signature)$/.test(last)) return last === 'signature' ? undefined : 'generic';
  if (words.length === 2 && /^(random|new|generated|raw|plain|plaintext|unique|secure|short|temp|tmp)$/.test(words[0]) && /^(key|code|state|string|str|value|id)$/.test(last)) return last === 'key' || last === 'code' || last === 'state' ? 'generic' : undefined;
  if (last === 'key' && words.length === 2 && /^(encryption|signing|hmac|master|secret|private|session|jwt|aes|crypto|cipher|shared|root|admin|auth|access)$/.test(words[0])) return 'secret';
  if (last === 'token' || last === 'secret') return has('secret') ? 'secret' : 'token';
  return undefined;
}

/**
 * Generator functions (RULES.md: `/(generate|create|new|issue|make)(Api)?(Key|Token|Secret|Otp|Code|Nonce|State|Verifier)/i`):
 * the class of what a function with this name returns, or undefined.
 */
export function generatorClass(fnName: string): KeyClass | undefined {
  const m = /^(generate|gen|create|new|issue|make|mint|random|build|get|compute)_?(.+)$/i.exec(fnName);
  if (!m) return keyClass(fnName);
  const rest = m[2];
  if (/^(api)?(key|token|secret|otp|code|nonce|state|verifier)s?$/i.test(rest)) {
    if (/^get|^compute|^build/i.test(m[1])) return undefined;
    const r = rest.toLowerCase().replace(/s$/, '');
    if (r.startsWith('api')) return 'apiKey';
    if (r === 'key') return 'key';
    if (r === 'token') return 'token';
    if (r === 'secret') return 'secret';
    if (r === 'otp') return 'otp';
    if (r === 'code') return 'key';
    return 'oauth';
  }
  if (/^get|^compute|^build/i.test(m[1])) return undefined;
  const c = keyClass(rest);
  return c === 'generic' ? 'key' : c;
}

/** Where a value is written to, with the name that decides whether it is key-like. */
export interface Sink {
  kind: 'variable' | 'property' | 'field' | 'return';
  name: string;
  /** The name to point at (binding name, property name, function name). */
  nameNode: ts.Node;
  /** The value written. */
  value: ts.Expression;
  /** The statement/declaration node (for report positions). */
  node: ts.Node;
  /** For `return`: the function. */
  fn?: ts.SignatureDeclaration;
  /** For properties: the object literal or the receiver of `obj.prop = v`. */
  container?: ts.Expression;
}

/** Visitors for every node kind that can establish a sink (see `sinkOf`): one list for the rules that judge sinks. */
export function sinkVisitors(check: (node: ts.Node) => void): RuleVisitors['nodes'] {
  return {
    VariableDeclaration: check,
    BinaryExpression: check,
    PropertyAssignment: check,
    PropertyDeclaration: check,
    ReturnStatement: check,
    ArrowFunction: check,
  };
}

/** The sink a node establishes: `const x = v`, `o.x = v`, `{ x: v }`, class field `x = v`, `return v` / `() => v`. */
export function sinkOf(node: ts.Node): Sink | undefined {
  if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
    return { kind: 'variable', name: node.name.text, nameNode: node.name, value: node.initializer, node };
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === SyntaxKind.EqualsToken) {
    const l = skipOuter(node.left);
    if (ts.isIdentifier(l)) return { kind: 'variable', name: l.text, nameNode: l, value: node.right, node };
    if (ts.isPropertyAccessExpression(l)) return { kind: 'property', name: l.name.text, nameNode: l.name, value: node.right, node, container: l.expression };
    if (ts.isElementAccessExpression(l) && ts.isStringLiteralLike(l.argumentExpression)) return { kind: 'property', name: l.argumentExpression.text, nameNode: l.argumentExpression, value: node.right, node, container: l.expression };
    return undefined;
  }
  if (ts.isPropertyAssignment(node)) {
    const name = propertyName(node.name);
    return name === undefined ? undefined : { kind: 'property', name, nameNode: node.name, value: node.initializer, node, container: node.parent as ts.ObjectLiteralExpression };
  }
  if (ts.isPropertyDeclaration(node) && node.initializer) {
    const name = propertyName(node.name);
    return name === undefined ? undefined : { kind: 'field', name, nameNode: node.name, value: node.initializer, node };
  }
  if (ts.isReturnStatement(node) && node.expression) {
    const fn = enclosingFunctionLike(node);
    const named = fn && functionName(fn);
    return named ? { kind: 'return', name: named.name, nameNode: named.node, value: node.expression, node, fn } : undefined;
  }
  if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) {
    const named = functionName(node);
    return named ? { kind: 'return', name: named.name, nameNode: named.node, value: node.body, node: node.body, fn: node } : undefined;
  }
  return undefined;
}

/** The class of a sink: binding/property names by `keyClass`, function results by `generatorClass`. */
export function sinkClass(sink: Sink): KeyClass | undefined {
  return sink.kind === 'return' ? generatorClass(sink.name) : keyClass(sink.name);
}

export function enclosingFunctionLike(n: ts.Node): ts.SignatureDeclaration | undefined {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return p;
  return undefined;
}

/** The name a function is known by: declaration, method, `const f = () => …`, `{ f: () => … }`, `exports.f = …`. */
export function functionName(fn: ts.SignatureDeclaration): { name: string; node: ts.Node } | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name && (ts.isIdentifier(fn.name) || ts.isStringLiteral(fn.name))) {
    return { name: fn.name.text, node: fn.name };
  }
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    let p: ts.Node = fn.parent;
    while (ts.isParenthesizedExpression(p) || ts.isAsExpression(p)) p = p.parent;
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return { name: p.name.text, node: p.name };
    if (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) {
      const n = propertyName(p.name);
      if (n) return { name: n, node: p.name };
    }
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(p.left)) return { name: p.left.name.text, node: p.left.name };
  }
  return undefined;
}

/** `'sk_' + x`, `` `sk_${x}` ``: the literal text in front of the generated material, if any. */
export function leadingLiteral(expr: ts.Expression): string | undefined {
  const e = skipOuter(expr);
  if (ts.isTemplateExpression(e)) return e.head.text || undefined;
  if (ts.isNoSubstitutionTemplateLiteral(e) || ts.isStringLiteral(e)) return e.text;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === SyntaxKind.PlusToken) return leadingLiteral(e.left);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'concat') return leadingLiteral(e.expression.expression);
  return undefined;
}

/**
 * The second piece of evidence a generic name (`key`, `code`, `state`) needs before it counts as key-like:
 * the value is persisted, sent in a response/cookie/redirect/e-mail, compared with request input, or placed
 * in an OAuth authorization request. Returns what was seen, or undefined.
 */
export type KeyEvidence = 'persisted' | 'cookie' | 'response' | 'redirect' | 'email' | 'compared' | 'oauth';

export function keyEvidence(model: FileModel, sink: Sink): KeyEvidence | undefined {
  if (sink.kind === 'property' && sink.container && ts.isObjectLiteralExpression(sink.container)) {
    return objectEvidence(model, sink.container);
  }
  if (sink.kind === 'property' && sink.container && ts.isBinaryExpression(sink.node)) {
    return savedObject(model, sink.node) ? 'persisted' : undefined;
  }
  if (sink.kind !== 'variable' || !ts.isIdentifier(sink.nameNode)) return undefined;
  const decl = findDeclaration(sink.nameNode);
  if (!decl) return undefined;
  for (const ref of referencesOf(decl)) {
    const ev = referenceEvidence(model, ref);
    if (ev) return ev;
  }
  return undefined;
}

function objectEvidence(model: FileModel, obj: ts.ObjectLiteralExpression): KeyEvidence | undefined {
  const keys = new Set(obj.properties.map((p) => propertyName(p.name) ?? ''));
  if (['client_id', 'clientId', 'redirect_uri', 'redirectUri', 'response_type', 'responseType', 'code_challenge'].some((k) => keys.has(k))) return 'oauth';
  return referenceEvidence(model, obj);
}

/** What happens to one use of the value (an identifier reference or an object literal holding it). */
function referenceEvidence(model: FileModel, ref: ts.Expression): KeyEvidence | undefined {
  let cur: ts.Node = ref;
  for (let depth = 0; depth < 8 && cur.parent; depth++) {
    const p: ts.Node = cur.parent;
    if (ts.isCallExpression(p) || ts.isNewExpression(p)) {
      if (p.expression === cur) return undefined;
      const w = dataWriteOf(model, p);
      if (w) return 'persisted';
      const callee = skipOuter(p.expression);
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      const recv = ts.isPropertyAccessExpression(callee) ? callee.expression.getText() : '';
      if (/^(cookie|setCookie)$/.test(name) || name === 'set' && /cookies/i.test(recv) || name === 'serialize' && /cookie/i.test(recv + callee.getText())) return 'cookie';
      if (/^redirect$/.test(name) || (name === 'set' || name === 'append') && /searchParams|params|query/i.test(recv) && p.arguments?.[0] && ts.isStringLiteralLike(p.arguments[0]) && /^(state|nonce|code|token|key)$/.test(p.arguments[0].text)) return 'redirect';
      if (/^(json|send|end|write)$/.test(name) && /^(res|response|reply|c|ctx|NextResponse|Response)$/.test(recv)) return 'response';
      if (/mail|email|sms|notify|sendText|sendMessage/i.test(name)) return 'email';
      return undefined;
    }
    if (ts.isBinaryExpression(p)) {
      const k = p.operatorToken.kind;
      if (k === SyntaxKind.EqualsEqualsEqualsToken || k === SyntaxKind.EqualsEqualsToken || k === SyntaxKind.ExclamationEqualsEqualsToken || k === SyntaxKind.ExclamationEqualsToken) {
        const other = p.left === cur ? p.right : p.left;
        return requestSource(other) ? 'compared' : undefined;
      }
      if (k === SyntaxKind.EqualsToken && p.right === cur) {
        const l = p.left.getText();
        if (/^(ctx|context)\.body$/.test(l)) return 'response';
        return undefined;
      }
    }
    if (ts.isTemplateSpan(p)) {
      const tpl = p.parent;
      const before = tpl.head.text + tpl.templateSpans.slice(0, tpl.templateSpans.indexOf(p)).map((s) => s.literal.text).join('');
      if (/[?&](state|nonce|code|token|key)=$/.test(before)) return 'redirect';
    }
    if (ts.isReturnStatement(p)) return undefined;
    if (ts.isExpressionStatement(p) || ts.isVariableDeclaration(p) || ts.isBlock(p)) return undefined;
    cur = p;
  }
  return undefined;
}

/** Identifier references to a declaration in its scope (excluding the declaration itself). */
export function referencesOf(decl: Declaration): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  let scope: ts.Node | undefined;
  for (let p: ts.Node | undefined = decl.nameNode.parent; p; p = p.parent) if (ts.isFunctionLike(p) || ts.isSourceFile(p)) { scope = p; break; }
  if (!scope) return out;
  for (const n of identifiersIn(scope).get(decl.name) ?? []) {
    if (n !== decl.nameNode && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)
      && !(ts.isPropertyAssignment(n.parent) && n.parent.name === n) && findDeclaration(n) === decl) out.push(n);
  }
  return out;
}

/** Every identifier under a scope node by name, in tree order; one walk per scope node (trees are immutable). */
const identifierIndex = new WeakMap<ts.Node, Map<string, ts.Identifier[]>>();
function identifiersIn(scope: ts.Node): Map<string, ts.Identifier[]> {
  let index = identifierIndex.get(scope);
  if (!index) {
    const m = new Map<string, ts.Identifier[]>();
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) { const list = m.get(n.text); if (list) list.push(n); else m.set(n.text, [n]); }
      ts.forEachChild(n, visit);
    };
    visit(scope);
    identifierIndex.set(scope, m);
    index = m;
  }
  return index;
}
