import ts = require('typescript');
import { CodeFix, defineRule, RuleContext, Severity } from '../../engine/types';
import type { ResolvedCall } from '../../model/calls';
import { envRead, evaluate, propValue } from '../../model/constEval';
import { isFrontEndFile } from '../../model/fileKind';
import type { FileModel } from '../../model/fileModel';
import { skipOuter } from '../../model/imports';
import { algorithmFromMatchingSign, DECODE_CALLS, inferAlgorithm, JOSE_VERIFY_CALLS, VERIFY_CALLS } from '../../model/jwtApi';
import { requestSource } from '../../model/requestInput';
import { Declaration, declarationsOf, enclosingFunction, findDeclaration } from '../../model/scope';
import { isTestishPath } from '../../model/testPaths';
import { JWT_DECODE_RELEVANCE } from '../../model/jwtRelevance';

const { SyntaxKind } = ts;

/** Claims that say nothing about who the caller is: reading them to refresh or pick a key is fine. */
const SAFE_CLAIMS = new Set(['exp', 'iat', 'nbf', 'kid', 'iss', 'alg', 'typ', 'header', 'jti', 'aud', 'signature']);
/** Where the request's identity lives (E7). */
const PRINCIPAL_LHS = /^(req|request|ctx\.state|ctx|context|res\.locals|event\.locals|locals)\.(user|auth|principal|claims|currentUser|userId|user_id|identity|account|session|jwt|jwtPayload|decoded|tokenPayload|payload|tenantId|role|roles)$/;
const PRINCIPAL_KEYS = /^(user|jwtPayload|auth|claims|principal|session|userId|currentUser|payload)$/;
const QUERY_METHOD = /^(find\w*|where|update\w*|delete\w*|destroy|upsert|get\w*By\w*|query|count|exists|aggregate|select)$/;
const ROUTE_METHOD = /^(get|post|put|patch|delete|del|all|use|head|options)$/;

type Level = 'safe' | 'neutral' | 'warning' | 'error';
const RANK: Record<Level, number> = { safe: 0, neutral: 1, warning: 2, error: 3 };

interface Verdict { level: Level; why?: string; node?: ts.Node }

export default defineRule({
  meta: {
    relevance: JWT_DECODE_RELEVANCE,
    id: 'jwt/decode-used-for-authorization',
    title: 'Decoded, unverified JWT claims are trusted',
    description: 'A token from the request is decoded (no signature check) and its claims become the caller identity or decide access: anyone can forge them.',
    defaultSeverity: 'error',
    checklist: ['jwt-verification'],
    owasp: ['API2'],
    cwe: [347, 345],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
  },
  create(context) {
    const model = context.model;
    if (isFrontEndFile(model)) return {};
    const onDecode = (source: ts.Expression, token: ts.Expression | undefined, label: string, call?: ResolvedCall) => {
      const fromRequest = token ? requestSource(token) ?? requestTokenHelper(token) : undefined;
      if (!fromRequest) return;
      const fn = enclosingFunction(source);
      if (fn && verifiedInFunction(model, fn, token!)) return;
      const verdict = judgeUses(source, fn);
      if (verdict.level === 'safe') return;
      let severity: Severity = verdict.level === 'error' ? 'error' : verdict.level === 'warning' ? 'warning' : 'info';
      let message: string;
      if (verdict.level === 'neutral') {
        message = `${label} reads a token from the request without checking its signature: if these claims are trusted anywhere (here or in a caller), anyone can forge them. Verify the token unless only \`exp\`/\`kid\` is read.`;
      } else {
        message = `Claims from ${label} are not verified (anyone can forge them) but ${verdict.why}. Verify the token's signature instead of decoding it.`;
      }
      const guard = fn && earlierGuard(fn);
      if (guard && severity !== 'info') { severity = 'info'; message += ` (${guard} may already verify this token; then read its result instead of decoding again.)`; }
      if (isTestishPath(context)) severity = 'info';
      const suggestions = call ? verifySuggestion(context, call, token!) : [];
      context.report({ node: source, severity, message, suggestions, related: verdict.node && verdict.node !== source ? [{ node: verdict.node, message: 'claims trusted here' }] : undefined });
    };

    const calls: Record<string, (c: ResolvedCall) => void> = {};
    for (const [sym, spec] of Object.entries(DECODE_CALLS)) {
      calls[sym] = (c) => {
        let token = spec.token !== undefined ? c.args[spec.token] : undefined;
        // `request.jwtDecode()` decodes the request's own token
        if (sym === '@fastify/jwt#jwtDecode' && c.receiver) token = c.receiver;
        onDecode(c.node, token, decodeLabel(sym), c);
      };
    }
    calls['jws.decode'] = (c) => onDecode(c.node, c.args[0], '`jws.decode()`');
    calls['jwt-simple.decode'] = (c) => {
      const noVerify = c.args[2] ? evaluate(model, c.args[2]) : undefined;
      if (noVerify?.kind === 'boolean' && noVerify.value) onDecode(c.node, c.args[0], '`jwt-simple.decode(…, true)`');
    };
    const nodes = {
      CallExpression: (n: ts.Node) => {
        const call = n as ts.CallExpression;
        const token = manualPayloadDecode(call);
        if (token) onDecode(call, token, 'hand-decoded `JSON.parse(base64(token.split(\'.\')[1]))`');
      },
    };
    return { calls, nodes };
  },
});

function decodeLabel(sym: string): string {
  switch (sym) {
    case 'jsonwebtoken.decode': return '`jwt.decode()`';
    case 'jose.decodeJwt': return 'jose `decodeJwt()`';
    case '@nestjs/jwt.JwtService#decode': return '`JwtService.decode()`';
    case 'hono/jwt.decode': return 'hono `decode()`';
    case 'jwt-decode.default': case 'jwt-decode.jwtDecode': return '`jwtDecode()`';
    default: return '`jwtDecode`';
  }
}

/** `JSON.parse(Buffer.from(t.split('.')[1], 'base64')…)`, `JSON.parse(atob(payloadPart))`: the token expression, if any. */
function manualPayloadDecode(call: ts.CallExpression): ts.Expression | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'parse' || callee.expression.getText() !== 'JSON' || !call.arguments[0]) return undefined;
  let token: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (token) return;
    // t.split('.')[1]
    if (ts.isElementAccessExpression(n) && ts.isNumericLiteral(n.argumentExpression) && n.argumentExpression.text === '1') {
      const recv = splitOnDot(n.expression);
      if (recv) { token = recv; return; }
    }
    // const [, payload] = t.split('.'); … payload …
    if (ts.isIdentifier(n)) {
      const d = findDeclaration(n);
      const decl = d?.declaration;
      if (decl && ts.isVariableDeclaration(decl) && ts.isArrayBindingPattern(decl.name) && decl.initializer) {
        const el = decl.name.elements[1];
        if (el && ts.isBindingElement(el) && ts.isIdentifier(el.name) && el.name.text === n.text) {
          const recv = splitOnDot(decl.initializer);
          if (recv) { token = recv; return; }
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(call.arguments[0]);
  return token;
}

function splitOnDot(e: ts.Expression): ts.Expression | undefined {
  const x = skipOuter(e);
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'split'
    && x.arguments[0] && ts.isStringLiteralLike(x.arguments[0]) && x.arguments[0].text === '.') return x.expression.expression;
  return undefined;
}

/**
 * One level into token helpers (E6): `utils.jwtFrom(req)`, `getTokenFromHeaders(req)`, `extractToken(request)`,
 * `ExtractJwt.fromAuthHeaderAsBearerToken()(req)` — a call named for tokens that is given the request.
 */
function requestTokenHelper(expr: ts.Expression, depth = 0): ts.Expression | undefined {
  if (depth > 6) return undefined;
  let e = skipOuter(expr);
  if (ts.isAwaitExpression(e)) e = skipOuter(e.expression);
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    return d?.kind === 'variable' && d.initializer && !d.path ? requestTokenHelper(d.initializer, depth + 1) : undefined;
  }
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isNonNullExpression(e)) return requestTokenHelper(e.expression, depth + 1);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === SyntaxKind.BarBarToken || e.operatorToken.kind === SyntaxKind.QuestionQuestionToken)) {
    return requestTokenHelper(e.left, depth + 1) ?? requestTokenHelper(e.right, depth + 1);
  }
  if (!ts.isCallExpression(e)) return undefined;
  const callee = skipOuter(e.expression);
  if (ts.isPropertyAccessExpression(callee) && /^(split|slice|substring|replace|trim|at)$/.test(callee.name.text)) return requestTokenHelper(callee.expression, depth + 1);
  const named = (c: ts.Expression): string => ts.isPropertyAccessExpression(c) ? c.name.text : ts.isIdentifier(c) ? c.text : ts.isCallExpression(c) ? named(skipOuter(c.expression)) : '';
  if (!/token|jwt|bearer|auth/i.test(named(callee))) return undefined;
  const givenRequest = e.arguments.some((a) => {
    const x = skipOuter(a);
    return (ts.isIdentifier(x) && /^(req|request|ctx|context|c|event)$/.test(x.text)) || !!requestSource(x);
  });
  return givenRequest ? e : undefined;
}

/** A verify-like call of the same token anywhere in the function (then the decode only reads a verified token). */
function verifiedInFunction(model: FileModel, fn: ts.SignatureDeclaration, token: ts.Expression): boolean {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return false;
  const tokenKey = tokenIdentity(token);
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const c = model.resolveCall(n);
      if (c && (VERIFY_CALLS[c.symbol] || JOSE_VERIFY_CALLS[c.symbol])) {
        const spec = VERIFY_CALLS[c.symbol] ?? JOSE_VERIFY_CALLS[c.symbol];
        const t = spec.token !== undefined ? c.args[spec.token] : undefined;
        if (!t) found = true; // request.jwtVerify(): the request's token
        else if (tokenIdentity(t) === tokenKey) found = true;
      }
      // passport.authenticate / guard helpers called inline are not token-specific: not counted
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

function tokenIdentity(e: ts.Expression): string {
  const x = skipOuter(e);
  if (ts.isIdentifier(x)) {
    const d = findDeclaration(x);
    if (d?.initializer && !d.path) {
      const src = requestSource(d.initializer);
      return src ? `req:${src.getText()}` : `decl:${d.nameNode.pos}:${d.name}`;
    }
    if (d) return `decl:${d.nameNode.pos}:${d.name}`;
  }
  const src = requestSource(x);
  return src ? `req:${src.getText()}` : `text:${x.getText()}`;
}

interface Use { expr: ts.Expression; path: string[] }

/** How the decoded claims are used: the strongest trust sink wins. */
function judgeUses(source: ts.Expression, fn: ts.SignatureDeclaration | undefined, depth = 0): Verdict {
  return judgeUseList(collectUses(source, fn), fn, depth);
}

function judgeUseList(uses: Use[], fn: ts.SignatureDeclaration | undefined, depth: number): Verdict {
  let best: Verdict = { level: 'safe' };
  for (const u of uses) {
    const v = judgeUse(u, fn, depth);
    if (RANK[v.level] > RANK[best.level]) best = v;
    if (best.level === 'error') break;
  }
  return best;
}

function collectUses(source: ts.Expression, fn: ts.SignatureDeclaration | undefined): Use[] {
  let top: ts.Node = source;
  while (top.parent && (ts.isParenthesizedExpression(top.parent) || ts.isAsExpression(top.parent) || ts.isNonNullExpression(top.parent)
    || ts.isAwaitExpression(top.parent) || ts.isTypeAssertionExpression(top.parent) || ts.isSatisfiesExpression(top.parent))) top = top.parent;
  const p = top.parent;
  if (p && ts.isVariableDeclaration(p) && p.initializer === top) {
    if (ts.isIdentifier(p.name)) return referencesOf(p.name, fn).map((expr) => ({ expr, path: [] }));
    if (ts.isObjectBindingPattern(p.name)) {
      const out: Use[] = [];
      for (const el of p.name.elements) {
        const prop = el.propertyName ? el.propertyName.getText() : ts.isIdentifier(el.name) ? el.name.text : undefined;
        if (el.dotDotDotToken && ts.isIdentifier(el.name)) { out.push(...referencesOf(el.name, fn).map((expr) => ({ expr, path: [] }))); continue; }
        if (!prop || !ts.isIdentifier(el.name)) continue;
        out.push(...referencesOf(el.name, fn).map((expr) => ({ expr, path: [prop] })));
      }
      return out;
    }
    return [];
  }
  if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === SyntaxKind.EqualsToken && p.right === top && ts.isIdentifier(p.left)) {
    const d = findDeclaration(p.left);
    if (d && (d.kind === 'variable' || d.kind === 'parameter')) return referencesOf(d.nameNode, fn).filter((r) => r.pos > p.pos && r !== p.left).map((expr) => ({ expr, path: [] }));
    return [{ expr: top as ts.Expression, path: [] }];
  }
  return [{ expr: top as ts.Expression, path: [] }];
}

/** References to a declared name within the function (or the file for top-level names). */
function referencesOf(name: ts.Identifier, fn: ts.SignatureDeclaration | undefined): ts.Identifier[] {
  const decl = findDeclaration(name);
  const scope: ts.Node = (fn as ts.FunctionLikeDeclaration | undefined)?.body ?? name.getSourceFile();
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n !== name && n.text === name.text) {
      const p = n.parent;
      const isPropName = (ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n);
      if (!isPropName && findDeclaration(n) === decl) out.push(n);
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return out;
}

function judgeUse(u: Use, fn: ts.SignatureDeclaration | undefined, depth: number): Verdict {
  let e: ts.Expression = u.expr;
  const path = [...u.path];
  for (;;) {
    const p: ts.Node = e.parent;
    if (ts.isPropertyAccessExpression(p) && p.expression === e) { path.push(p.name.text); e = p; continue; }
    if (ts.isElementAccessExpression(p) && p.expression === e) { path.push(ts.isStringLiteralLike(p.argumentExpression) ? p.argumentExpression.text : '*'); e = p; continue; }
    if (ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p) || ts.isTypeAssertionExpression(p)) { e = p; continue; }
    break;
  }
  if (path[0] === 'payload' && path.length > 1) path.shift();
  if (path.length && SAFE_CLAIMS.has(path[0])) return { level: 'safe' };
  // `jwt.decode(t)?.exp`: optional chains are property accesses too; calls on claims (`claims.roles.includes('admin')`) keep the path
  const claim = path.length ? `\`${path.join('.')}\`` : 'the decoded claims';
  let inCondition = false;
  let inQuery: ts.Node | undefined;
  for (let n: ts.Node = e; n.parent; n = n.parent) {
    const p: ts.Node = n.parent;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === SyntaxKind.EqualsToken && p.right === n) {
      const lhs = skipOuter(p.left).getText().replace(/\s+/g, '').replace(/\?\./g, '.');
      if (PRINCIPAL_LHS.test(lhs)) return { level: 'error', why: `become the request identity (\`${lhs} = …\`)`, node: p };
    }
    if (ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression) && ts.isPropertyAccessExpression(p.expression) && p.expression.name.text === 'set'
      && p.arguments[0] && ts.isStringLiteralLike(p.arguments[0]) && PRINCIPAL_KEYS.test(p.arguments[0].text) && p.arguments[1] === n) {
      return { level: 'error', why: `become the request identity (\`${p.expression.getText()}('${p.arguments[0].text}', …)\`)`, node: p };
    }
    if (ts.isIfStatement(p) && p.expression === n) inCondition = true;
    if (ts.isConditionalExpression(p) && p.condition === n) inCondition = true;
    if (ts.isSwitchStatement(p) && p.expression === n) inCondition = true;
    if (ts.isBinaryExpression(p) && (p.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken || p.operatorToken.kind === SyntaxKind.BarBarToken) && p.left === n
      && (ts.isExpressionStatement(p.parent) || ts.isReturnStatement(p.parent))) inCondition = true;
    if (ts.isReturnStatement(p) && isCanActivate(fn)) return { level: 'error', why: `decide \`canActivate()\` (${claim})`, node: p };
    if (ts.isCallExpression(p) && p.arguments.some((a) => a === n) && !inQuery) {
      const name = ts.isPropertyAccessExpression(p.expression) ? p.expression.name.text : ts.isIdentifier(p.expression) ? p.expression.text : '';
      if (QUERY_METHOD.test(name)) inQuery = p;
    }
    // `const user = { id: claims.sub }` → follow the new variable once
    if (ts.isVariableDeclaration(p) && p.initializer === n && ts.isIdentifier(p.name) && depth < 2) {
      const inner = judgeUseList(referencesOf(p.name, fn).map((expr) => ({ expr, path: ['*'] })), fn, depth + 1);
      if (inner.level === 'error' || inner.level === 'warning') return inner;
      break;
    }
    if (ts.isStatement(p) || ts.isFunctionLike(p)) break;
  }
  if (inCondition && isCanActivate(fn)) return { level: 'error', why: `decide \`canActivate()\` (${claim})`, node: e };
  if (inCondition) return { level: 'warning', why: `${claim} decide${path.length ? 's' : ''} an access check`, node: e };
  if (inQuery && path.length) return { level: 'warning', why: `${claim} select${'s'} the data that is read or changed`, node: inQuery };
  return { level: 'neutral' };
}

function isCanActivate(fn: ts.SignatureDeclaration | undefined): boolean {
  for (let f: ts.Node | undefined = fn; f; f = enclosingFunction(f)) {
    if (ts.isMethodDeclaration(f) && f.name.getText() === 'canActivate') return true;
  }
  return false;
}

/**
 * A route whose handler runs after other middleware (`app.get('/x', auth, handler)`), or a Nest handler under
 * `@UseGuards(...)`: the token may already be verified there.
 */
function earlierGuard(fn: ts.SignatureDeclaration): string | undefined {
  for (let f: ts.Node | undefined = fn; f; f = f.parent) {
    if (ts.isMethodDeclaration(f) || ts.isClassDeclaration(f)) {
      const decs = ts.canHaveDecorators(f) ? ts.getDecorators(f) ?? [] : [];
      const g = decs.find((d) => /^UseGuards\b/.test(d.expression.getText()));
      if (g) return `\`@${g.expression.getText()}\``;
    }
    const p = f.parent;
    if (p && ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && ROUTE_METHOD.test(p.expression.name.text)) {
      const idx = p.arguments.indexOf(f as ts.Expression);
      if (idx < 0) continue;
      const first = p.arguments[0];
      const start = first && (ts.isStringLiteralLike(first) || ts.isRegularExpressionLiteral(first) || ts.isArrayLiteralExpression(first)) ? 1 : 0;
      if (idx > start) return `the middleware before this handler (\`${p.arguments[start].getText().slice(0, 40)}\`)`;
    }
  }
  return undefined;
}

/**
 * decode → verify, when the key is known from another jsonwebtoken verify/sign call in the workspace and can be
 * written here (an env read, or a name in scope at the decode).
 */
function verifySuggestion(context: RuleContext, call: ResolvedCall, token: ts.Expression): CodeFix[] {
  if (call.symbol !== 'jsonwebtoken.decode' || call.wrapper || !ts.isCallExpression(call.node)) return [];
  const callee = skipOuter(call.node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return [];
  const ns = context.model.librarySymbol(callee.expression);
  if (ns !== 'jsonwebtoken' && ns !== 'jsonwebtoken.default') return [];
  const key = knownKey(context, call.node);
  if (!key) return [];
  const opts = evaluate(context.model, call.args[1]);
  const complete = propValue(opts, 'complete');
  const alg = algorithmFromMatchingSign(context.project, key.text) ?? key.alg ?? 'HS256';
  const extra = complete?.kind === 'boolean' && complete.value ? ', complete: true' : '';
  const text = `${callee.expression.getText()}.verify(${token.getText()}, ${key.text}, { algorithms: ['${alg}']${extra} })`;
  return [{
    title: `Verify instead of decode: ${callee.expression.getText()}.verify(…, ${key.text}, { algorithms: ['${alg}'] }) (throws on forged or expired tokens: answer 401 in the catch)`,
    edits: [{ fileName: context.fileName, start: call.node.getStart(), end: call.node.getEnd(), newText: text }],
  }];
}

function knownKey(context: RuleContext, at: ts.Node): { text: string; alg?: string } | undefined {
  const isTs = /\.[cm]?tsx?$/.test(context.fileName);
  const candidates: { text: string; alg?: string; verify: boolean }[] = [];
  const files = [context.fileName, ...context.project.filesMentioning('jsonwebtoken').filter((f) => f !== context.fileName)];
  for (const file of files) {
    const m = file === context.fileName ? context.model : context.project.getModel(file);
    if (!m) continue;
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && n.arguments.length >= 2) {
        const c = m.resolveCall(n);
        if (c && (c.symbol === 'jsonwebtoken.verify' || c.symbol === 'jsonwebtoken.sign') && !c.wrapper) {
          const k = skipOuter(n.arguments[1]);
          if (!ts.isArrowFunction(k) && !ts.isFunctionExpression(k)) {
            const text = writableKey(context, m, k, at, isTs);
            if (text) {
              const o = c.symbol === 'jsonwebtoken.verify' ? evaluate(m, n.arguments[2]) : undefined;
              const algs = o ? propValue(o, 'algorithms') : undefined;
              const first = algs?.kind === 'array' ? algs.elements[0] : undefined;
              const alg = first?.kind === 'string' ? first.value : inferAlgorithm(m, k);
              candidates.push({ text, alg, verify: c.symbol === 'jsonwebtoken.verify' });
            }
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(m.sourceFile);
    if (candidates.some((c) => c.verify)) break;
  }
  const best = candidates.find((c) => c.verify) ?? candidates.find((c) => !c.alg || /^HS/.test(c.alg));
  return best && { text: best.text, alg: best.alg };
}

/** The key expression as text usable at `at`: env reads anywhere; names only when they mean the same thing here. */
function writableKey(context: RuleContext, m: FileModel, k: ts.Expression, at: ts.Node, isTs: boolean): string | undefined {
  const env = envRead(k);
  if (env) return `process.env.${env}${isTs ? '!' : ''}`;
  if (m.fileName !== context.fileName) return undefined;
  let root: ts.Expression = k;
  while (ts.isPropertyAccessExpression(root)) root = root.expression;
  if (!ts.isIdentifier(root)) return undefined;
  const there = findDeclaration(root);
  if (!there) return undefined;
  const here = lookupAt(at, root.text);
  return here === there ? k.getText() : undefined;
}

function lookupAt(at: ts.Node, name: string): Declaration | undefined {
  for (let n: ts.Node | undefined = at; n; n = n.parent) {
    if (ts.isSourceFile(n) || ts.isBlock(n) || ts.isModuleBlock(n) || ts.isCaseBlock(n) || ts.isFunctionLike(n) || ts.isForStatement(n)
      || ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isCatchClause(n) || ts.isClassLike(n)) {
      const d = declarationsOf(n).get(name);
      if (d) return d;
    }
  }
  return undefined;
}
