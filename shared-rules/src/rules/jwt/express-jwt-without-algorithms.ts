import ts = require('typescript');
import { CodeFix, defineRule, Severity } from '../../engine/types';
import { addOptionAt, addProperty, asObjectLiteral, removeListElement } from '../../model/edits';
import { algorithmFromMatchingSign } from '../../model/jwtApi';
import { versionVersus } from '../../model/versions';
import { jsonwebtokenMajor, JwtVerifySite, optionEntry, siteKeyKind, verifySiteVisitors } from '../../model/jwtSites';
import { evaluate } from '../../model/constEval';
import { JWT_RELEVANCE } from '../../model/jwtRelevance';

const LIBS = new Set(['express-jwt', 'koa-jwt', 'passport-jwt', 'hono']);

export default defineRule({
  meta: {
    relevance: JWT_RELEVANCE,
    id: 'jwt/express-jwt-without-algorithms',
    title: 'Auth middleware configured without an algorithm allow-list',
    description: 'express-jwt, koa-jwt, passport-jwt or hono jwt()/jwk() without `algorithms`/`alg`: old versions trust the token header or an unsafe default.',
    defaultSeverity: 'warning',
    checklist: ['jwt-verification'],
    owasp: ['API2'],
    cwe: [347],
    scope: 'file',
    needsTypes: false,
    fixable: 'both',
  },
  create(context) {
    const sf = context.sourceFile;
    const isJs = /\.[cm]?jsx?$/.test(context.fileName);
    const inFile = (n: ts.Node | undefined): n is ts.Node => !!n && n.getSourceFile() === sf;

    const onSite = (site: JwtVerifySite) => {
      if (site.kind !== 'middleware' || !LIBS.has(site.library)) return;
      if (site.options.kind !== 'object' || site.options.hasUnknownSpread) return;
      if (site.options.props.has(site.algorithmsKey)) return;
      const verdict = severityFor(site);
      if (!verdict) return;
      const reportNode = inFile(site.optionsExpr) ? site.optionsExpr : site.node;
      const isJwk = site.symbol === 'hono/jwk.jwk';
      const kind = siteKeyKind(site);
      let alg: string | undefined;
      if (kind === 'jwks' || isJwk) alg = 'RS256';
      else if (kind === 'public') alg = 'RS256';
      else if (kind === 'secret') alg = 'HS256';
      else alg = algorithmFromMatchingSign(context.project, site.key?.expr.getText());
      const shown = alg ?? 'HS256';
      const text = site.library === 'hono' ? (isJwk ? `alg: ['${shown}']` : `alg: '${shown}'`) : `algorithms: ['${shown}']`;

      let fix: CodeFix | undefined;
      const suggestions: CodeFix[] = [];
      // passport-jwt: a list inside jsonWebTokenOptions is overwritten by the (undefined) top-level one.
      const nested = site.library === 'passport-jwt' ? nestedAlgorithms(site) : undefined;
      if (nested) {
        const top = asObjectLiteral(site.optionsExpr);
        if (top && inFile(top) && inFile(nested.prop) && ts.isObjectLiteralExpression(nested.prop.parent)) {
          fix = { title: 'Move `algorithms` out of jsonWebTokenOptions to the top level, where passport-jwt reads it', edits: [removeListElement(nested.prop.parent.properties, nested.prop), addProperty(top, nested.prop.getText(sf))] };
        }
        context.report({
          node: inFile(nested.prop) ? nested.prop : reportNode, severity: context.isTestLike ? 'info' : verdict.severity, fix,
          message: 'passport-jwt ignores `jsonWebTokenOptions.algorithms`: the strategy overwrites it with its top-level `algorithms`, which is undefined here, so no allow-list applies.',
        });
        return;
      }
      const edit = site.node.arguments && site.optionsIndex !== undefined ? addOptionAt(site.node, site.optionsIndex, text) : undefined;
      if (edit) suggestions.push({ title: `Pin the accepted algorithms: ${text}${alg ? '' : ' (check: nothing told which algorithm your tokens use)'}`, edits: [edit] });
      context.report({ node: reportNode, severity: context.isTestLike ? 'info' : verdict.severity, suggestions, message: verdict.message });
    };

    const severityFor = (site: JwtVerifySite): { severity: Severity; message: string } | undefined => {
      const name = site.library === 'hono' ? (site.symbol === 'hono/jwk.jwk' ? 'hono jwk()' : 'hono jwt()') : site.library;
      const field = site.algorithmsKey === 'alg' ? '`alg`' : '`algorithms`';
      const startup = (v: string) => isJs
        ? { severity: 'warning' as Severity, message: `${name} without ${field}: ${v} throws at start-up without it (the TypeScript types require it; this JavaScript file has none).` }
        : undefined;
      switch (site.library) {
        case 'express-jwt': {
          const vs = versionVersus(context.project, 'express-jwt', context.fileName, [6, 0, 0]);
          const v6 = vs === undefined ? undefined : vs === 'atLeast';
          if (v6 === false) return { severity: 'error', message: `express-jwt before 6 without \`algorithms\`: the token header chooses the algorithm, which with a JWKS or public key allows forged tokens (CVE-2020-15084).` };
          if (v6 === true || site.symbol === 'express-jwt.expressjwt') return startup('express-jwt 6+');
          return { severity: 'warning', message: 'express-jwt without `algorithms`: versions before 6 let the token header choose the algorithm (CVE-2020-15084); 6+ throws at start-up. Pin the algorithm list.' };
        }
        case 'hono': {
          const hv = versionVersus(context.project, 'hono', context.fileName, [4, 11, 4]);
          const fixed = hv === undefined ? undefined : hv === 'atLeast';
          if (fixed === true) return startup('hono 4.11.4+');
          const old = site.symbol === 'hono/jwk.jwk' ? 'falls back to the unverified header `alg` when a JWK has none' : 'silently defaults to HS256 whatever the key';
          if (fixed === false) return { severity: 'error', message: `${name} without \`alg\`: before hono 4.11.4 it ${old} (algorithm confusion, CVE-2026-22817/-22818). Pin \`alg\`.` };
          return { severity: 'warning', message: `${name} without \`alg\`: before hono 4.11.4 it ${old}; from 4.11.4 it throws at start-up. Pin \`alg\`.` };
        }
        default: {
          const major = jsonwebtokenMajor(context.project, site, context.fileName);
          if (major !== undefined && major < 9) {
            return { severity: 'error', message: `${name} without \`algorithms\` on jsonwebtoken ${major}.x: the accepted algorithm is not pinned and old jsonwebtoken trusts the token header${kindNote(site)} (CVE-2022-23540/23541).` };
          }
          return { severity: 'warning', message: `${name} without \`algorithms\`: jsonwebtoken then accepts every algorithm the key allows${kindNote(site)}. Pin the algorithm your tokens are signed with.` };
        }
      }
    };
    return verifySiteVisitors(context, onSite);
  },
});

function kindNote(site: JwtVerifySite): string {
  return siteKeyKind(site) === 'function' || siteKeyKind(site) === 'jwks' ? ', with a key resolver choosing the key per token' : '';
}

function nestedAlgorithms(site: JwtVerifySite): { prop: ts.Node } | undefined {
  const jo = optionEntry(site, 'jsonWebTokenOptions');
  if (!jo?.valueNode) return undefined;
  const v = evaluate(jo.model, jo.valueNode);
  if (v.kind !== 'object') return undefined;
  const p = v.props.get('algorithms');
  return p ? { prop: p.node } : undefined;
}
