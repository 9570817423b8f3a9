import ts = require('typescript');
import { CodeFix, defineRule, RuleContext, RuleVisitors, TextEdit } from '../../engine/types';
import * as path from 'node:path';
import type { ResolvedCall } from '../../model/calls';
import { evaluate, propValue, Value } from '../../model/constEval';
import { addProperty, asObjectLiteral } from '../../model/edits';
import { skipOuter } from '../../model/imports';
import { JWT_MODULE_CALLS, majorVersion, SIGN_CALLS } from '../../model/jwtApi';
import { describeSeconds, DurationApi, lifetimeOf, mentionsRefresh, namesAround } from '../../model/jwtLifetime';
import { jwtModuleOptions, signSite } from '../../model/jwtSignSites';
import { JwtVerifySite, verifySiteVisitors } from '../../model/jwtSites';
import { isTestishPath } from '../../model/testPaths';
import { REVOCATION_RELEVANCE } from '../../model/textGates';

const { SyntaxKind } = ts;

/**
 * Project rule (RULES.md `jwt/no-revocation-path`): every file contributes its verification sites and any evidence
 * that tokens can be revoked; at the end, one info finding per workspace when sites exist and no evidence does.
 */
type Fact =
  | { type: 'site'; fileName: string; start: number; end: number; library: string; middleware: boolean; suggestion?: CodeFix }
  | { type: 'evidence'; kind: string; fileName: string; start: number }
  /** An access token issued for longer than a day: corroborating evidence that raises the finding to warning. */
  | { type: 'long-lived'; fileName: string; start: number; seconds: number };

/** Claims whose comparison means "this token may have been invalidated" (token versions, ids, password changes). */
const REVOCATION_CLAIMS = /^(tokenVersion|token_version|tokenVer|ver|jti|sessionVersion|session_version|passwordChangedAt|password_changed_at|passwordUpdatedAt|logoutAt|loggedOutAt|tokensValidAfter|validAfter|revokedAt|sid|sessionId|session_id|tokenId|token_id|securityStamp)$/;
const IAT_PARTNER = /changed|revoked|logout|logged_?out|invalidat|valid_?after|valid_?since|reset|updated|issued_?after/i;
const LOOKUP_METHOD = /^(get|exists|has|sismember|sIsMember|isMember|hget|hexists|find\w*|count|includes|isRevoked|isBlacklisted|isDenylisted|check\w*|update\w*|delete\w*|remove\w*|destroy|del|srem|set|sadd|setex)$/;
const LOOKUP_ARG = /\bjti\b|sessionId|session_id|\bsid\b|tokenId|token_id/;
const DENYLIST_NAME = /revok|blacklist|denylist|blocklist/i;
/** Revocation flags stored with tokens (`Token.findOne({ token, blacklisted: false })`). */
const REVOKED_FLAG = /^(blacklisted|isBlacklisted|revoked|isRevoked|revokedAt|denylisted|blocklisted|invalidated)$/;
/** A refresh-token or session store queried or changed (`RefreshToken.findOne`, `prisma.session.delete`). */
const STORE_RECEIVER = /refresh_?tokens?\b|\bsessions?\b|refreshTokenRepository|sessionRepository|sessionService/i;
const STORE_METHOD = /^(find\w*|create\w*|delete\w*|remove\w*|destroy|update\w*|upsert|save|insert\w*|get|set|del|exists|revoke\w*)$/;
/** Libraries that verify tokens for their users: their own repositories are not applications. */
const JWT_LIBRARIES = new Set(['jsonwebtoken', 'jose', 'express-jwt', '@fastify/jwt', 'fastify-jwt', 'fast-jwt', 'passport-jwt', 'koa-jwt', 'jwks-rsa', 'hono',
  '@nestjs/jwt', 'express-oauth2-jwt-bearer', 'jwt-decode', 'jws', 'jwt-simple', 'next-auth', '@auth/core']);
const SESSION_STORES = new Set(['express-session', '@fastify/session', 'koa-generic-session', 'iron-session', 'connect-redis', 'connect-mongo']);
const LONG_LIVED_SECONDS = 86400;
const COMPARISON = new Set([SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken,
  SyntaxKind.LessThanToken, SyntaxKind.LessThanEqualsToken, SyntaxKind.GreaterThanToken, SyntaxKind.GreaterThanEqualsToken]);

export default defineRule({
  meta: {
    id: 'jwt/no-revocation-path',
    title: 'Issued JWTs cannot be revoked',
    description: 'The application verifies JWTs but nothing consults server-side state (isRevoked, a jti denylist, a token version, a session store): a stolen token stays valid until it expires.',
    defaultSeverity: 'info',
    checklist: ['jwt-verification'],
    owasp: ['API2'],
    cwe: [613],
    scope: 'project',
    needsTypes: false,
    fixable: 'suggestion',
    relevance: REVOCATION_RELEVANCE,
  },
  create(context) {
    if (isTestishPath(context)) return {};
    const add = (f: Fact) => context.addFact(f);
    const evidence = (kind: string, node: ts.Node) => add({ type: 'evidence', kind, fileName: context.fileName, start: node.getStart() });

    for (const m of context.model.importedModules()) if (SESSION_STORES.has(m)) evidence(`session store (${m})`, context.sourceFile);

    const onSite = (site: JwtVerifySite) => {
      if (site.kind === 'module') return;
      if (site.kind === 'plugin') {
        const all = ts.isCallExpression(site.node) && site.node.arguments[1] ? evaluate(context.model, site.node.arguments[1]) : undefined;
        if (all?.kind === 'object' && all.props.has('trusted')) evidence('@fastify/jwt trusted', site.node);
        return;
      }
      if (site.library === 'express-jwt' || site.library === 'koa-jwt') {
        if (site.options.kind !== 'object' || site.options.hasUnknownSpread || site.options.props.has('isRevoked')) { evidence(`${site.library} isRevoked`, site.node); return; }
      }
      if (site.node.getSourceFile() !== context.sourceFile) return;
      add({
        type: 'site', fileName: context.fileName, start: site.node.getStart(), end: site.node.getEnd(), library: site.library,
        middleware: site.kind === 'middleware',
        suggestion: site.library === 'express-jwt' ? isRevokedScaffold(context, site) : undefined,
      });
    };
    const sites = verifySiteVisitors(context, onSite, { jose: true });
    const siteCallNode = sites.nodes?.CallExpression;

    const nodes: RuleVisitors['nodes'] = {
      CallExpression: (n) => {
        siteCallNode?.(n);
        const call = n as ts.CallExpression;
        const callee = call.expression;
        const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
        if (LOOKUP_METHOD.test(name) && call.arguments.some((a) => LOOKUP_ARG.test(a.getText()))) evidence('jti/session lookup', call);
        if (ts.isPropertyAccessExpression(callee) && STORE_METHOD.test(name) && STORE_RECEIVER.test(callee.expression.getText())) evidence('refresh/session store', call);
        if (DENYLIST_NAME.test(name)) evidence('denylist call', call);
      },
      BinaryExpression: (n) => {
        const b = n as ts.BinaryExpression;
        if (!COMPARISON.has(b.operatorToken.kind)) return;
        const l = terminalName(b.left);
        const r = terminalName(b.right);
        if ((l && REVOCATION_CLAIMS.test(l)) || (r && REVOCATION_CLAIMS.test(r))) { evidence('revocation claim compared', b); return; }
        const lt = b.left.getText();
        const rt = b.right.getText();
        if ((/\biat\b/.test(lt) && IAT_PARTNER.test(rt)) || (/\biat\b/.test(rt) && IAT_PARTNER.test(lt))) evidence('iat compared with a change time', b);
      },
      PropertyAssignment: (n) => { const a = n as ts.PropertyAssignment; if (REVOKED_FLAG.test(a.name.getText())) evidence('revocation flag', a); },
      FunctionDeclaration: (n) => { const f = n as ts.FunctionDeclaration; if (f.name && DENYLIST_NAME.test(f.name.text)) evidence('denylist function', f); },
      MethodDeclaration: (n) => { const f = n as ts.MethodDeclaration; if (DENYLIST_NAME.test(f.name.getText())) evidence('denylist method', f); },
      ClassDeclaration: (n) => { const c = n as ts.ClassDeclaration; if (c.name && DENYLIST_NAME.test(c.name.text)) evidence('denylist class', c); },
      VariableDeclaration: (n) => { const d = n as ts.VariableDeclaration; if (ts.isIdentifier(d.name) && DENYLIST_NAME.test(d.name.text)) evidence('denylist variable', d); },
    };
    const { CallExpression: _ownCallVisitor, ...otherSiteNodes } = sites.nodes ?? {};
    Object.assign(nodes!, otherSiteNodes);
    const calls: Record<string, (c: ResolvedCall) => void> = { ...sites.calls };
    const longLived = (v: Value | undefined, node: ts.Node, api: DurationApi) => {
      const life = v && lifetimeOf(v, api);
      if (!life || life.seconds <= LONG_LIVED_SECONDS) return;
      if (namesAround(node).some((n) => mentionsRefresh(n)) || mentionsRefresh(node.getText())) return;
      add({ type: 'long-lived', fileName: context.fileName, start: node.getStart(), seconds: life.seconds });
    };
    for (const sym of Object.keys(SIGN_CALLS)) {
      calls[sym] = (c) => {
        const site = signSite(context.model, c);
        if (!site || site.options.kind !== 'object') return;
        const e = site.options.props.get('expiresIn');
        if (e?.valueNode) longLived(evaluate(e.model, e.valueNode), c.node, site.library === '@fastify/jwt' ? 'fastify' : 'jsonwebtoken');
      };
    }
    for (const sym of JWT_MODULE_CALLS) {
      const prev = calls[sym];
      calls[sym] = (c) => {
        prev?.(c);
        const so = propValue(jwtModuleOptions(context.model, c), 'signOptions');
        const e = so?.kind === 'object' ? so.props.get('expiresIn') : undefined;
        if (e?.valueNode) longLived(evaluate(e.model, e.valueNode), c.node, 'jsonwebtoken');
      };
    }
    return { calls, nodes };
  },
  projectEnd(facts, context) {
    const all = [...facts.values()].flat() as Fact[];
    // the repository of a JWT library verifies on behalf of its users
    try {
      const pj = context.readText(path.join(context.project.root, 'package.json'));
      const name = pj ? (JSON.parse(pj) as { name?: string }).name : undefined;
      if (name && JWT_LIBRARIES.has(name)) return;
    } catch { /* not JSON: judge the facts */ }
    if (all.some((f) => f.type === 'evidence')) return;
    const sites = all.filter((f): f is Extract<Fact, { type: 'site' }> => f.type === 'site')
      .sort((a, b) => Number(b.middleware) - Number(a.middleware) || a.fileName.localeCompare(b.fileName) || a.start - b.start);
    const first = sites[0];
    if (!first) return;
    const others = sites.length - 1;
    const long = all.find((f): f is Extract<Fact, { type: 'long-lived' }> => f.type === 'long-lived');
    context.report({
      fileName: first.fileName, start: first.start, end: first.end, severity: long ? 'warning' : 'info',
      message: `Issued JWTs cannot be revoked before they expire: no \`isRevoked\` check, \`jti\` denylist, token-version comparison or server-side session was found in the workspace${others > 0 ? ` (reported once, here; ${others} other verification site${others === 1 ? '' : 's'})` : ''}. A stolen token stays valid until \`exp\`${long ? ` — and access tokens here live ${describeSeconds(long.seconds)} (${path.basename(long.fileName)})` : ''}: keep access tokens short and give logout/password change a way to invalidate them.`,
      suggestions: first.suggestion ? [first.suggestion] : [],
    });
  },
});

function terminalName(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  if (ts.isPropertyAccessExpression(x)) return x.name.text;
  if (ts.isIdentifier(x)) return x.text;
  if (ts.isElementAccessExpression(x) && ts.isStringLiteralLike(x.argumentExpression)) return x.argumentExpression.text;
  return undefined;
}

/** express-jwt `isRevoked` backed by an in-memory set the app fills on logout (to be replaced by Redis/DB). */
function isRevokedScaffold(context: RuleContext, site: JwtVerifySite): CodeFix | undefined {
  const lit = asObjectLiteral(site.optionsExpr);
  if (!lit || lit.getSourceFile() !== context.sourceFile) return undefined;
  const isTs = /\.[cm]?tsx?$/.test(context.fileName);
  const major = majorVersion(context.project, 'express-jwt', context.fileName);
  const name = 'revokedTokenIds';
  const prop = major !== undefined && major < 7
    ? `isRevoked: (_req, payload, done) => done(null, revokedTokenIds.has(payload && payload.jti))`
    : `isRevoked: async (_req, token) => typeof token?.payload === 'object' && revokedTokenIds.has(token.payload.jti ?? '')`;
  const edits: TextEdit[] = [addProperty(lit, prop)];
  const sf = context.sourceFile;
  const declared = sf.statements.some((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name));
  if (!declared) {
    let at = 0;
    for (const st of sf.statements) {
      const isImport = ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st)
        || (ts.isVariableStatement(st) && st.declarationList.declarations.every((d) => d.initializer && /^require\(/.test(skipOuter(d.initializer).getText())));
      if (isImport) at = st.getEnd(); else break;
    }
    const decl = `const ${name} = new Set${isTs ? '<string>' : ''}(); // jti of revoked tokens: fill it on logout/password change; back it with Redis or the DB in production`;
    edits.push({ fileName: context.fileName, start: at, end: at, newText: at === 0 ? `${decl}\n` : `\n${decl}` });
  }
  return { title: 'Add an isRevoked check to express-jwt (a jti denylist you fill on logout; needs a shared store in production)', edits };
}
