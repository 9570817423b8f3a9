import ts = require('typescript');
import { CodeFix, defineRule, Severity } from '../../engine/types';
import { evaluate, PropEntry, possibilities, propValue, Value } from '../../model/constEval';
import { removeListElement } from '../../model/edits';
import { skipOuter } from '../../model/imports';
import { JOSE_VERIFY_CALLS, VERIFY_CALLS } from '../../model/jwtApi';
import type { FileModel } from '../../model/fileModel';
import { JwtVerifySite, optionEntry, verifySiteVisitors } from '../../model/jwtSites';
import { enclosingFunction } from '../../model/scope';
import { JWT_RELEVANCE } from '../../model/jwtRelevance';

const { SyntaxKind } = ts;

const MAX_TOLERANCE_S = 300;

export default defineRule({
  meta: {
    relevance: JWT_RELEVANCE,
    id: 'jwt/ignore-expiration',
    title: 'JWT expiry check disabled',
    description: 'Verification ignores `exp` (ignoreExpiration, exp: false, a non-throwing express-jwt onExpired, huge clock tolerance): stolen tokens never stop working.',
    defaultSeverity: 'error',
    checklist: ['jwt-verification'],
    owasp: ['API2'],
    cwe: [613],
    scope: 'file',
    needsTypes: false,
    fixable: 'both',
  },
  create(context) {
    const sf = context.sourceFile;
    const inFile = (n: ts.Node | undefined): n is ts.Node => !!n && n.getSourceFile() === sf;
    const sev = (s: Severity): Severity => (context.isTestLike ? 'info' : s);

    /** Deleting the property restores the library default (expiry checked) and changes nothing else. */
    const deleteProp = (entry: PropEntry, label: string): CodeFix | undefined => {
      const p = entry.node;
      if (!inFile(p) || !ts.isObjectLiteralExpression(p.parent)) return undefined;
      return { title: `Remove ${label} (expired tokens are rejected again)`, edits: [removeListElement(p.parent.properties, p)] };
    };

    const reportDisabled = (site: JwtVerifySite, entry: PropEntry, label: string, what: string) => {
      const refresh = site.kind === 'call' && refreshFlow(context.model, site.node);
      const action = deleteProp(entry, label);
      const node = inFile(entry.node) ? entry.node : inFile(site.optionsExpr) ? site.optionsExpr : site.node;
      context.report({
        node, severity: refresh ? 'info' : sev('error'),
        fix: refresh ? undefined : action, suggestions: refresh && action ? [action] : [],
        message: refresh
          ? `${what} in a function that also verifies a refresh token: if this only reads the expired access token's subject, keep it; otherwise expired tokens are accepted.`
          : `${what}: expired (for example stolen or logged-out) tokens are still accepted.`,
      });
    };

    const onSite = (site: JwtVerifySite) => {
      if (site.options.kind !== 'object') return;
      if (site.library === 'hono') {
        const container = site.kind === 'middleware' ? propValue(site.options, 'verification') : site.options;
        const exp = container?.kind === 'object' ? container.props.get('exp') : undefined;
        if (exp && mayBe(exp, false)) reportDisabled(site, exp, '`exp: false`', 'hono JWT verification with `exp: false`');
        return;
      }
      if (site.library !== 'jose') {
        const ig = optionEntry(site, 'ignoreExpiration');
        if (ig && mayBe(ig, true)) {
          if (site.kind === 'call' && checksExpManually(site.node)) return;
          reportDisabled(site, ig, '`ignoreExpiration`', `JWT verified with \`ignoreExpiration\`${site.kind === 'module' ? ' in module-wide verifyOptions' : ''}`);
          return;
        }
      }
      // Clock tolerance: seconds in jsonwebtoken and jose, milliseconds in fast-jwt/@fastify/jwt.
      const tol = optionEntry(site, 'clockTolerance');
      if (tol?.valueNode) {
        const secs = toleranceSeconds(evaluate(tol.model, tol.valueNode), site.library);
        if (secs !== undefined && secs > MAX_TOLERANCE_S) {
          context.report({
            node: inFile(tol.node) ? tol.node : site.node, severity: sev('warning'),
            message: `JWT clockTolerance of ${formatSeconds(secs)}: tokens stay valid that long after \`exp\`; keep clock skew allowance under ${MAX_TOLERANCE_S / 60} minutes.`,
          });
        }
      }
      if (site.library === 'jose') {
        const cd = optionEntry(site, 'currentDate');
        const behind = cd?.valueNode ? secondsBehindNow(cd.valueNode, cd) : undefined;
        if (cd && behind !== undefined && behind > MAX_TOLERANCE_S) {
          context.report({
            node: inFile(cd.node) ? cd.node : site.node, severity: sev('warning'),
            message: 'jose jwtVerify with a `currentDate` in the past: `exp` is checked against that date, so expired tokens are accepted.',
          });
        }
      }
      if (site.library === 'express-jwt') {
        const oe = optionEntry(site, 'onExpired');
        if (oe?.valueNode) checkOnExpired(oe);
      }
    };

    const checkOnExpired = (oe: PropEntry) => {
      const fv = evaluate(oe.model, oe.valueNode!);
      if (fv.kind !== 'function') return;
      const fn = fv.node as ts.FunctionLikeDeclaration;
      if (alwaysThrows(fn)) return;
      const suggestions: CodeFix[] = [];
      const errParam = fn.parameters[1];
      if (fn.body && ts.isBlock(fn.body) && inFile(fn.body) && errParam && ts.isIdentifier(errParam.name)) {
        const stmt = `throw ${errParam.name.text};`;
        const close = fn.body.getEnd() - 1;
        const last = fn.body.statements[fn.body.statements.length - 1];
        const multiline = last && sf.getLineAndCharacterOfPosition(last.getEnd()).line !== sf.getLineAndCharacterOfPosition(close).line;
        const edit = multiline
          ? { fileName: sf.fileName, start: last.getEnd(), end: last.getEnd(), newText: `\n${indentOf(last)}${stmt}` }
          : last ? { fileName: sf.fileName, start: last.getEnd(), end: last.getEnd(), newText: ` ${stmt}` }
            : { fileName: sf.fileName, start: fn.body.getStart(sf), end: fn.body.getEnd(), newText: `{ ${stmt} }` };
        suggestions.push({ title: `Reject the expired token: add \`${stmt}\` at the end of onExpired`, edits: [edit] });
      }
      context.report({
        node: inFile(oe.node) ? oe.node : fn, severity: sev('error'), suggestions,
        message: 'express-jwt `onExpired` can return without throwing: express-jwt then accepts the expired token and sets req.auth.',
      });
    };

    return verifySiteVisitors(context, onSite, { jose: true });
  },
});

function mayBe(entry: PropEntry, target: boolean): boolean {
  if (!entry.valueNode) return false;
  const v = evaluate(entry.model, entry.valueNode);
  return possibilities(v).some((p) => {
    if (p.kind === 'boolean') return p.value === target;
    if (target && p.kind === 'env') return true; // any non-empty env string is truthy
    if (target && p.kind === 'unknown') return isBooleanExpression(p.node);
    if (!target && p.kind === 'unknown') return isBooleanExpression(p.node);
    return false;
  });
}

/** `a !== 'production'`, `!prod`, `x && y`: a condition whose value may be either. */
function isBooleanExpression(n: ts.Node): boolean {
  const e = ts.isExpression(n) ? skipOuter(n) : n;
  if (ts.isPrefixUnaryExpression(e)) return e.operator === SyntaxKind.ExclamationToken;
  if (ts.isBinaryExpression(e)) {
    const k = e.operatorToken.kind;
    return k === SyntaxKind.EqualsEqualsEqualsToken || k === SyntaxKind.ExclamationEqualsEqualsToken || k === SyntaxKind.EqualsEqualsToken
      || k === SyntaxKind.ExclamationEqualsToken || k === SyntaxKind.AmpersandAmpersandToken || k === SyntaxKind.BarBarToken;
  }
  return false;
}

function toleranceSeconds(v: Value, library: string): number | undefined {
  const ms = library === 'fast-jwt' || library === '@fastify/jwt';
  if (v.kind === 'number') return ms ? v.value / 1000 : v.value;
  if (v.kind === 'string' && library === 'jose') return parseDuration(v.value);
  return undefined;
}

/** jose duration strings: '30s', '5 minutes', '2h', '1d', '1w', '1y'. */
function parseDuration(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks|y|yr|yrs|year|years)$/i.exec(s.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const u = m[2].toLowerCase();
  const f = u.startsWith('s') ? 1 : u.startsWith('m') ? 60 : u.startsWith('h') ? 3600 : u.startsWith('d') ? 86400 : u.startsWith('w') ? 604800 : 31557600;
  return n * f;
}

function formatSeconds(s: number): string {
  if (s >= 86400) return `${Math.round(s / 86400)} day(s)`;
  if (s >= 3600) return `${Math.round(s / 3600)} hour(s)`;
  return `${Math.round(s / 60)} minutes`;
}

/** `new Date(<constant in the past>)` / `new Date(Date.now() - big)`: how far behind now, in seconds. */
function secondsBehindNow(expr: ts.Expression, entry: PropEntry): number | undefined {
  const e = skipOuter(expr);
  if (!ts.isNewExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'Date' || !e.arguments?.length) return undefined;
  const v = evaluate(entry.model, e.arguments[0]);
  if (v.kind === 'number') return (Date.now() - v.value) / 1000;
  if (v.kind === 'string') { const t = Date.parse(v.value); return Number.isNaN(t) ? undefined : (Date.now() - t) / 1000; }
  if (v.kind === 'time') return -(v.unit === 'ms' ? v.offset / 1000 : v.offset);
  return undefined;
}

/** True when the function's body throws (or returns a rejection) unconditionally at its top level. */
function alwaysThrows(fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body) return true;
  if (!ts.isBlock(body)) return isRejection(body);
  return body.statements.some((s) => ts.isThrowStatement(s) || (ts.isReturnStatement(s) && !!s.expression && isRejection(s.expression)));
}

function isRejection(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'reject'
    && ts.isIdentifier(x.expression.expression) && x.expression.expression.text === 'Promise';
}

function indentOf(n: ts.Node): string {
  const sf = n.getSourceFile();
  const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
  return /^[ \t]*/.exec(sf.text.slice(sf.getLineStarts()[line]))![0];
}

/**
 * The enclosing function compares an `exp` claim itself (`if (payload.exp < now) …`): the library check was
 * replaced, not dropped.
 */
function checksExpManually(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  const isExp = (e: ts.Expression): boolean => {
    const x = skipOuter(e);
    return (ts.isPropertyAccessExpression(x) && x.name.text === 'exp') || (ts.isElementAccessExpression(x) && ts.isStringLiteralLike(x.argumentExpression) && x.argumentExpression.text === 'exp');
  };
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= SyntaxKind.LessThanToken && n.operatorToken.kind <= SyntaxKind.GreaterThanEqualsToken
      && (isExp(n.left) || isExp(n.right))) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}

/** The enclosing function also verifies (jsonwebtoken, Nest, fastify, hono, jose) a token whose expression names a refresh token. */
function refreshFlow(model: FileModel, node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (n !== node && ts.isCallExpression(n) && n.arguments.length > 0 && /refresh/i.test(n.arguments[0].getText())) {
      const c = model.resolveCall(n);
      if (c && (VERIFY_CALLS[c.symbol] || JOSE_VERIFY_CALLS[c.symbol])) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}
