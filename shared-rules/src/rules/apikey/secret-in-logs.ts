import ts = require('typescript');
import { CodeFix, defineRule, Severity, TextEdit } from '../../engine/types';
import { evaluate, propertyName } from '../../model/constEval';
import { credentialOf, headerCredential, secretValueOf } from '../../model/credentials';
import { addProperty, asObjectLiteral, replaceNode } from '../../model/edits';
import type { FileModel } from '../../model/fileModel';
import { hashCallOf } from '../../model/hashing';
import { skipOuter } from '../../model/imports';
import { SIGN_CALLS } from '../../model/jwtApi';
import { generatorClass } from '../../model/keySinks';
import { LogCall, logCallOf, redactionCovers } from '../../model/loggers';
import { isFrontEndFile } from '../../model/fileKind';
import { requestSource } from '../../model/requestInput';
import { findDeclaration } from '../../model/scope';
import { classifyName } from '../../model/sensitiveNames';
import { LOG_RELEVANCE } from '../../model/textGates';

const { SyntaxKind } = ts;

interface Leak {
  /** The logged expression to point at and to replace. */
  node: ts.Expression;
  /** The object property holding it, when logged as `{ name: value }` / `{ name }`. */
  prop?: ts.ObjectLiteralElementLike;
  what: string;
  severity: Severity;
  /** Path of the secret inside the logged object (for pino `redact`). */
  path: string[];
}

const AUTH_ROUTE = /(log-?in|sign-?in|sign-?up|register|token|reset|password|passwd|auth|session|credential|oauth|otp|mfa|2fa|verify)/i;

export default defineRule({
  meta: {
    id: 'apikey/secret-in-logs',
    title: 'Keys, tokens, Authorization headers or passwords written to logs',
    description: 'Logs are copied to many systems and people: Authorization/Cookie headers, whole request headers, passwords, API keys, tokens and secrets must not be logged.',
    defaultSeverity: 'error',
    checklist: ['api-keys'],
    owasp: ['API8'],
    cwe: [532, 312],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
    relevance: LOG_RELEVANCE,
  },
  create(context) {
    const model = context.model;
    const testCode = context.isTestLike;

    const onCall = (node: ts.Node) => {
      const call = node as ts.CallExpression;
      const log = logCallOf(model, call);
      if (log) return checkLog(log);
      checkMorgan(call);
    };

    let front: boolean | undefined;
    const checkLog = (log: LogCall) => {
      if ((front ??= isFrontEndFile(model))) return; // the browser console is the user's own
      const leaks: Leak[] = [];
      for (const a of log.args) collect(model, a, [], leaks, 0);
      const failed = failureBranchResponse(log.call);
      const seen = new Set<ts.Node>();
      for (const leak of leaks) {
        if (seen.has(leak.node)) continue;
        seen.add(leak.node);
        if (log.redaction && redactionCovers(log.redaction, leak.path)) continue;
        if (failed && isResponseBody(leak.node, failed)) continue; // an error response body, not a token
        let severity = leak.severity;
        if (insideNonProductionBranch(log.call)) severity = 'info';
        if (log.library === 'debug' && severity === 'warning') severity = 'info'; // debug('ns') output is off unless DEBUG enables it
        if (testCode) severity = 'info';
        const suggestions: CodeFix[] = [redactSuggestion(leak)];
        const pino = pinoRedactSuggestion(model, log, leak);
        if (pino) suggestions.push(pino);
        context.report({
          node: leak.node, severity,
          message: `${leak.what} is written to the log (${loggerName(log)}): logs are shipped to many systems and people, and anyone who reads them can reuse it. Log a redacted form instead.`,
          suggestions,
        });
      }
    };

    /** morgan(':method :url :req[authorization]') and morgan.token('x', (req) => req.headers.authorization) */
    const checkMorgan = (call: ts.CallExpression) => {
      const sym = model.resolveCall(call)?.symbol;
      if (!sym || !/^morgan\.(default|token)$/.test(sym)) return;
      if (sym === 'morgan.default') {
        const f = evaluate(model, call.arguments[0]);
        if (f.kind === 'string') {
          const m = /:req\[(authorization|cookie|x-api-key|proxy-authorization|x-auth-token)\]/i.exec(f.value);
          if (m) {
            const fmt = skipOuter(call.arguments[0]);
            const cleaned = f.value.replace(/\s*:req\[(authorization|cookie|x-api-key|proxy-authorization|x-auth-token)\]/gi, '');
            const suggestions: CodeFix[] = ts.isStringLiteralLike(fmt) ? [{ title: `Remove :req[${m[1]}] from the log format`, edits: [replaceNode(fmt, quoteLike(fmt, cleaned))] }] : [];
            context.report({ node: call.arguments[0], severity: testCode ? 'info' : 'error', message: `The morgan format logs the \`${m[1]}\` request header: every request's credential ends up in the access log.`, suggestions });
          }
        }
        return;
      }
      // morgan.token(name, fn) whose function returns a credential header
      const fn = call.arguments[1] && skipOuter(call.arguments[1]);
      if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return;
      const leaks: Leak[] = [];
      const body = fn.body;
      const rets = ts.isBlock(body) ? collectReturns(body) : [body];
      for (const r of rets) collect(model, r, [], leaks, 0);
      const bad = leaks.find((l) => l.severity === 'error');
      if (bad) context.report({ node: bad.node, severity: testCode ? 'info' : 'error', message: `A custom morgan token logs ${bad.what.replace(/^The /, 'the ')}: every request's credential ends up in the access log.` });
    };

    return { nodes: { CallExpression: onCall } };
  },
});

/** A string literal with the same quotes as `like`. */
function quoteLike(like: ts.StringLiteralLike, value: string): string {
  const q = like.getText()[0];
  if (q === '`') return `\`${value.replace(/[`\\]|\$\{/g, (c) => '\\' + c)}\``;
  if (q === "'") return `'${value.replace(/[\\']/g, (c) => '\\' + c)}'`;
  return JSON.stringify(value);
}

function collectReturns(b: ts.Block): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(b, visit);
  return out;
}

const SAFE_WRAPPERS = /^(mask\w*|redact\w*|truncate|last4|lastFour|obfuscate|censor|hide\w*|anonymi[sz]e|scrub|sanitize\w*|fingerprint|hash\w*|sha\d*|md5|digest|keyId|prefix\w*|typeOf|isDefined|isSet|Boolean|Number|parseInt)$/i;

/** Finds logged secrets inside one argument: object properties, template spans, concatenation, JSON.stringify/inspect. */
function collect(model: FileModel, arg: ts.Expression, path: string[], out: Leak[], depth: number, prop?: ts.ObjectLiteralElementLike): void {
  if (depth > 6) return;
  let e = skipOuter(arg);
  if (ts.isAwaitExpression(e)) e = skipOuter(e.expression);
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || e.kind === SyntaxKind.NullKeyword || e.kind === SyntaxKind.TrueKeyword || e.kind === SyntaxKind.FalseKeyword) return;
  if (ts.isTemplateExpression(e)) { for (const s of e.templateSpans) collect(model, s.expression, path, out, depth + 1); return; }
  if (ts.isBinaryExpression(e)) {
    if (e.operatorToken.kind === SyntaxKind.PlusToken) { collect(model, e.left, path, out, depth + 1); collect(model, e.right, path, out, depth + 1); }
    if (e.operatorToken.kind === SyntaxKind.BarBarToken || e.operatorToken.kind === SyntaxKind.QuestionQuestionToken) { collect(model, e.left, path, out, depth + 1, prop); collect(model, e.right, path, out, depth + 1, prop); }
    return;
  }
  if (ts.isConditionalExpression(e)) { collect(model, e.whenTrue, path, out, depth + 1, prop); collect(model, e.whenFalse, path, out, depth + 1, prop); return; }
  if (ts.isPrefixUnaryExpression(e) || ts.isTypeOfExpression(e)) return; // !!token, typeof token
  if (ts.isObjectLiteralExpression(e)) {
    for (const p of e.properties) {
      if (ts.isSpreadAssignment(p)) { collect(model, p.expression, path, out, depth + 1); continue; }
      const name = propertyName(p.name);
      if (name === undefined) continue;
      if (ts.isShorthandPropertyAssignment(p)) { collect(model, p.name, [...path, name], out, depth + 1, p); continue; }
      if (ts.isPropertyAssignment(p)) {
        const before = out.length;
        collect(model, p.initializer, [...path, name], out, depth + 1, p);
        if (out.length === before) {
          // { password: somethingNeutral }: the key names the secret
          const v = skipOuter(p.initializer);
          const kind = nameKind(name);
          if (kind && loggableValue(v) && !safeValue(v)) out.push({ node: p.initializer, prop: p, what: `The ${kind} in \`${name}\``, severity: 'warning', path: [...path, name] });
        }
      }
    }
    return;
  }
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(e.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (SAFE_WRAPPERS.test(name) || hashCallOf(model, e)) return;
    if (ts.isPropertyAccessExpression(callee) && /^(slice|substring|substr|at|charAt|startsWith|endsWith|includes|split|indexOf|test|match)$/.test(name)) return; // prefixes, checks
    if (ts.isIdentifier(callee) && /^(String|inspect)$/.test(name) || ts.isPropertyAccessExpression(callee) && (callee.getText() === 'JSON.stringify' || callee.getText() === 'util.inspect')) {
      if (e.arguments[0]) collect(model, e.arguments[0], path, out, depth + 1, prop);
      return;
    }
    if (ts.isPropertyAccessExpression(callee) && /^(toString|trim|toLowerCase|toUpperCase|valueOf)$/.test(name)) { collect(model, callee.expression, path, out, depth + 1, prop); return; }
    // req.get('authorization'), req.header('cookie'), request.headers.get('authorization'), c.req.header()
    if (ts.isPropertyAccessExpression(callee) && /^(get|header)$/.test(name) && requestSource(e)) {
      const a0 = e.arguments[0];
      if (!a0 && name === 'header') { out.push({ node: e, prop, what: 'The whole request header set', severity: 'error', path: [...path, 'headers'] }); return; }
      if (a0 && ts.isStringLiteralLike(a0) && isAuthHeader(a0.text)) out.push({ node: e, prop, what: `The \`${a0.text}\` request header`, severity: 'error', path: [...path, 'headers', a0.text.toLowerCase()] });
      return;
    }
    // jwt.sign(...) results, generated keys
    const sym = model.resolveCall(e)?.symbol;
    if (sym && sym in SIGN_CALLS) { out.push({ node: e, prop, what: 'A freshly signed JWT', severity: 'warning', path }); return; }
    const gen = name && /^(generate|create|issue|new|make|mint)/i.test(name) ? generatorClass(name) : undefined;
    if (gen && (gen === 'apiKey' || gen === 'token' || gen === 'secret' || gen === 'password' || gen === 'reset')) out.push({ node: e, prop, what: `A generated credential (\`${name}()\`)`, severity: 'warning', path });
    return;
  }
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isIdentifier(e)) {
    const leak = classifyValue(model, e, path, prop);
    if (leak) out.push(leak);
  }
}

/** A referenced value: request headers/body/password, a credential-named binding or property, an env secret, a signed JWT. */
function classifyValue(model: FileModel, e: ts.Expression, path: string[], prop?: ts.ObjectLiteralElementLike): Leak | undefined {
  const at = (name: string) => (prop ? path : [...path, name]);
  const src = requestSource(e);
  if (src && (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e))) {
    const last = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : undefined;
    const base = skipOuter(e.expression);
    if (last === 'headers' && isRequestObject(base)) return { node: e, prop, what: 'The whole request header set (Authorization and Cookie included)', severity: 'error', path: at('headers') };
    if (last && isHeaderContainer(base) && isAuthHeader(last)) return { node: e, prop, what: `The \`${last}\` request header`, severity: 'error', path: at(last.toLowerCase()) };
    if (last === 'body' && isRequestObject(base) && onAuthRoute(e)) return { node: e, prop, what: 'The request body of an authentication route (passwords included)', severity: 'error', path: at('body') };
  }
  if (ts.isIdentifier(e) && /^(req|request)$/.test(e.text) && requestObjectParam(e)) {
    // the whole request object: std serializers of pino/bunyan and console print its headers
    return undefined;
  }
  const constant = evaluate(model, e);
  if (constant.kind === 'string' || constant.kind === 'number' || constant.kind === 'boolean') return undefined; // a constant (an env var's name), not runtime data
  const cred = credentialOf(e, { sessionIdIsToken: true, hashIsSafe: true });
  if (cred) {
    if (cred.kind === 'password') return { node: e, prop, what: cred.fromRequest ? `The password from the request (\`${shortText(e)}\`)` : `The password \`${shortText(e)}\``, severity: cred.fromRequest ? 'error' : 'warning', path: at(cred.name) };
    if (cred.fromRequest && headerCredential(cred.name)) return { node: e, prop, what: `The \`${cred.name}\` request header`, severity: 'error', path: at(cred.name.toLowerCase()) };
    return { node: e, prop, what: `The ${cred.kind === 'secret' ? 'secret' : cred.kind === 'key' ? 'key' : 'token'} \`${shortText(e)}\``, severity: 'warning', path: at(cred.name) };
  }
  const sec = secretValueOf(model, e);
  if (sec && sec.kind === 'env') return { node: e, prop, what: `The secret \`${sec.label}\``, severity: 'warning', path: at(sec.label.replace(/^process\.env\./, '')) };
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (d && d.kind === 'variable' && d.initializer && !d.path && d.isConst) {
      const init = skipOuter(d.initializer);
      const inner = ts.isAwaitExpression(init) ? skipOuter(init.expression) : init;
      if (ts.isCallExpression(inner)) {
        const sym = model.resolveCall(inner)?.symbol;
        if (sym && sym in SIGN_CALLS) return { node: e, prop, what: `A freshly signed JWT (\`${e.text}\`)`, severity: 'warning', path: at(e.text) };
      }
      // const auth = req.headers.authorization
      if (ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner) || ts.isCallExpression(inner)) {
        const viaInit = classifyValue(model, inner, path, prop);
        if (viaInit && viaInit.severity === 'error') return { ...viaInit, node: e };
      }
    }
  }
  return undefined;
}

function shortText(e: ts.Expression): string {
  const t = e.getText();
  return t.length > 40 ? t.slice(0, 37) + '…' : t;
}

function isAuthHeader(name: string): boolean {
  const n = name.toLowerCase();
  return n === 'authorization' || n === 'proxy-authorization' || n === 'cookie' || n === 'x-api-key' || n === 'x-auth-token' || n === 'x-access-token' || n === 'api-key' || /^x-[a-z-]*(api-key|token|secret)$/.test(n);
}

function isRequestObject(e: ts.Expression): boolean {
  const t = e.getText();
  return /^(req|request|ctx|context|c\.req|ctx\.request|event|event\.node\.req)$/.test(t);
}

function isHeaderContainer(e: ts.Expression): boolean {
  return ts.isPropertyAccessExpression(e) && e.name.text === 'headers';
}

function requestObjectParam(id: ts.Identifier): boolean {
  const d = findDeclaration(id);
  return !!d && d.kind === 'parameter';
}

/** The handler is registered on an authentication route: `router.post('/login', …)`. */
function onAuthRoute(n: ts.Node): boolean {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (!ts.isFunctionLike(p)) continue;
    // router.post('/login', handler) — also through wrappers: asyncHandler(handler), catchErrors(handler)
    let cur: ts.Node = p;
    for (let i = 0; i < 4; i++) {
      const parent: ts.Node = cur.parent;
      if (!(ts.isCallExpression(parent) && (parent.arguments as readonly ts.Node[]).includes(cur))) break;
      const first = parent.arguments[0];
      if (first && ts.isStringLiteralLike(first)) { if (AUTH_ROUTE.test(first.text)) return true; break; }
      cur = parent;
    }
    // Nest: @Post('login')
    if (ts.isMethodDeclaration(p) && (ts.getDecorators(p) ?? []).some((d) => ts.isCallExpression(d.expression) && d.expression.arguments[0] && ts.isStringLiteralLike(d.expression.arguments[0]) && AUTH_ROUTE.test(d.expression.arguments[0].text))) return true;
  }
  return false;
}

function nameKind(name: string): string | undefined {
  const c = classifyName(name, { sessionIdIsToken: true, hashIsSafe: true });
  return c === 'password' || c === 'secret' || c === 'key' || c === 'token' ? c : undefined;
}

/** A value that could hold the secret (not a literal, count, boolean or masked form). */
function loggableValue(v: ts.Expression): boolean {
  return ts.isIdentifier(v) && v.text !== 'undefined' || ts.isPropertyAccessExpression(v) || ts.isElementAccessExpression(v) || ts.isTemplateExpression(v) || ts.isCallExpression(v) || ts.isAwaitExpression(v);
}

function safeValue(v: ts.Expression): boolean {
  const e = skipOuter(v);
  if (ts.isPropertyAccessExpression(e) && /^(length|size|type|kind|id|name|expiresAt|exp|iat|prefix|last4)$/.test(e.name.text)) return true;
  if (ts.isCallExpression(e)) {
    const c = skipOuter(e.expression);
    const n = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
    return SAFE_WRAPPERS.test(n) || /^(slice|substring|substr|startsWith|includes|has|get|toISOString|getTime)$/.test(n);
  }
  return false;
}

/** `if (!response.ok) { … }`: the name of the response whose failure this branch handles. */
function failureBranchResponse(n: ts.Node): string | undefined {
  for (let p: ts.Node | undefined = n.parent; p && !ts.isFunctionLike(p); p = p.parent) {
    if (ts.isIfStatement(p) && isInside(n, p.thenStatement)) {
      const m = /!\s*([\w$.]+)\.ok\b|([\w$.]+)\.ok\s*===?\s*false|([\w$.]+)\.status(Code)?\s*(!==?|>=?)\s*\d/.exec(p.expression.getText());
      if (m) return m[1] ?? m[2] ?? m[3];
    }
  }
  return undefined;
}

/** A local holding `await response.json()` / `.text()` of that response. */
function isResponseBody(e: ts.Expression, response: string): boolean {
  const x = skipOuter(e);
  if (!ts.isIdentifier(x)) return false;
  const d = findDeclaration(x);
  if (!d || d.kind !== 'variable' || !d.initializer) return false;
  let init = skipOuter(d.initializer);
  if (ts.isAwaitExpression(init)) init = skipOuter(init.expression);
  return ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && /^(json|text)$/.test(init.expression.name.text) && init.expression.expression.getText() === response;
}

function isInside(n: ts.Node, container: ts.Node): boolean {
  for (let p: ts.Node | undefined = n; p; p = p.parent) if (p === container) return true;
  return false;
}

function insideNonProductionBranch(n: ts.Node): boolean {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (ts.isIfStatement(p) && /NODE_ENV\s*!==?\s*['"]production['"]|NODE_ENV\s*===?\s*['"](development|dev|test)['"]|isDev|isDevelopment|!isProd/.test(p.expression.getText())) return true;
  }
  return false;
}

function loggerName(log: LogCall): string {
  const lib = log.library === 'generic' ? 'logger' : log.library === 'nest' ? 'Nest Logger' : log.library;
  return `${lib}.${log.method}`;
}

/** Replace the logged value by '[REDACTED]' (keeps the field, so log consumers still see it was present). */
function redactSuggestion(leak: Leak): CodeFix {
  const sf = leak.node.getSourceFile();
  let edit: TextEdit;
  if (leak.prop && ts.isShorthandPropertyAssignment(leak.prop)) edit = { fileName: sf.fileName, start: leak.prop.getStart(sf), end: leak.prop.getEnd(), newText: `${leak.prop.name.text}: '[REDACTED]'` };
  else edit = replaceNode(leak.node, "'[REDACTED]'");
  return { title: "Log '[REDACTED]' instead of the value", edits: [edit] };
}

/** For a pino logger created in this file: add the path to its `redact` list. */
function pinoRedactSuggestion(model: FileModel, log: LogCall, leak: Leak): CodeFix | undefined {
  if (log.library !== 'pino' || leak.path.length === 0) return undefined;
  const callee = skipOuter(log.call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  let recv = skipOuter(callee.expression);
  if (ts.isIdentifier(recv)) {
    const d = findDeclaration(recv);
    if (!d || d.kind !== 'variable' || !d.initializer || d.nameNode.getSourceFile() !== model.sourceFile) return undefined;
    recv = skipOuter(d.initializer);
  }
  if (!ts.isCallExpression(recv)) return undefined;
  const sym = model.resolveCall(recv)?.symbol ?? '';
  if (!/^pino\.(default|pino)$/.test(sym)) return undefined;
  const path = leak.path.length === 1 ? `*.${leak.path[0]}` : leak.path.map((s) => /^[A-Za-z_$][\w$]*$/.test(s) ? s : `["${s}"]`).join('.').replace(/\.\[/g, '[');
  const pathList = leak.path.length === 1 ? `'${leak.path[0]}', '${path}'` : `'${path}'`;
  const opts = recv.arguments[0] ? asObjectLiteral(recv.arguments[0]) : undefined;
  if (recv.arguments[0] && !opts) return undefined;
  if (opts) {
    const existing = opts.properties.find((p) => propertyName(p.name) === 'redact');
    if (existing && ts.isPropertyAssignment(existing) && ts.isArrayLiteralExpression(skipOuter(existing.initializer))) {
      const arr = skipOuter(existing.initializer) as ts.ArrayLiteralExpression;
      const at = arr.elements.length ? arr.elements[arr.elements.length - 1].getEnd() : arr.getStart() + 1;
      return { title: `Redact it in the pino configuration: ${pathList}`, edits: [{ fileName: model.sourceFile.fileName, start: at, end: at, newText: `${arr.elements.length ? ', ' : ''}${pathList}` }] };
    }
    if (existing) return undefined;
    return { title: `Redact it in the pino configuration: redact: [${pathList}]`, edits: [addProperty(opts, `redact: [${pathList}]`)] };
  }
  const close = recv.getEnd() - 1;
  return { title: `Redact it in the pino configuration: redact: [${pathList}]`, edits: [{ fileName: model.sourceFile.fileName, start: close, end: close, newText: `{ redact: [${pathList}] }` }] };
}
