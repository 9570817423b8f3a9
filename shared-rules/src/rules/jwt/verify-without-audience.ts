import ts = require('typescript');
import { CodeFix, defineRule, Severity, TextEdit } from '../../engine/types';
import type { ResolvedCall } from '../../model/calls';
import { evaluate, possibilities, propValue, Value } from '../../model/constEval';
import { addOptionAt, addProperty, asObjectLiteral } from '../../model/edits';
import type { FileModel } from '../../model/fileModel';
import { skipOuter } from '../../model/imports';
import { evaluateOptions, jwtModuleConfigs, moduleSubOptions } from '../../model/jwtApi';
import { JwtVerifySite, keyIdentity, signingIssuers, signingKeyIdentities, siteKeyKind, verifySiteVisitors } from '../../model/jwtSites';
import { requireEnvSuggestion } from '../../model/requireEnvFix';
import { enclosingFunction, findDeclaration } from '../../model/scope';
import { JWT_RELEVANCE } from '../../model/jwtRelevance';

export default defineRule({
  meta: {
    relevance: JWT_RELEVANCE,
    id: 'jwt/verify-without-audience',
    title: 'Third-party or shared-issuer token verified without an audience check',
    description: "A token from an identity provider (JWKS, Google) or a shared secret is accepted without checking `aud`: tokens minted for another application pass.",
    defaultSeverity: 'warning',
    checklist: ['jwt-verification'],
    owasp: ['API2'],
    cwe: [287, 345],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
  },
  create(context) {
    const model = context.model;
    const sf = context.sourceFile;
    const inFile = (n: ts.Node | undefined): n is ts.Node => !!n && n.getSourceFile() === sf;
    const sev = (s: Severity): Severity => (context.isTestLike ? 'info' : s);

    /** `audience: requireEnv('X')` (or the Nest ConfigService form), with the helper added when needed. */
    const envCache = new Map<string, { expr: string; extra: TextEdit[] }>();
    const audienceEdits = (anchor: ts.Expression, prop: string, envName: string, valueText?: string, add?: (text: string) => TextEdit | undefined): CodeFix | undefined => {
      let expr = valueText;
      const extra: TextEdit[] = [];
      if (!expr) {
        // The helper edit is the same for every finding of a file (and costly on big files): computed once per class/file.
        let scope: ts.Node = sf;
        for (let p: ts.Node | undefined = anchor.parent; p; p = p.parent) if (ts.isClassLike(p)) { scope = p; break; }
        const key = `${scope.pos}:${envName}`;
        let e = envCache.get(key);
        if (!e) {
          const s = requireEnvSuggestion(anchor, envName);
          e = { expr: s.edits[0].newText, extra: s.edits.slice(1) };
          envCache.set(key, e);
        }
        expr = e.expr;
        extra.push(...e.extra);
      }
      const edit = add?.(`${prop}: ${expr}`);
      if (!edit) return undefined;
      return { title: `Check the audience: ${prop}: ${expr}`, edits: [edit, ...extra] };
    };

    const onSite = (site: JwtVerifySite) => {
      if (site.kind === 'module' || site.kind === 'plugin') return; // reported at the calls they configure
      if (site.library === '@fastify/jwt' || site.library === 'fast-jwt') return;
      let container: Value | undefined = site.options;
      if (site.library === 'hono' && site.kind === 'middleware') container = propValue(site.options, 'verification') ?? { kind: 'object', props: new Map(), hasUnknownSpread: false, node: site.node };
      if (!container || container.kind !== 'object' || container.hasUnknownSpread) return;
      if (site.options.kind === 'object' && site.options.hasUnknownSpread) return;
      const aud = container.props.get(site.audienceKey);
      let envAudience = false;
      if (aud) {
        const v = aud.valueNode ? evaluate(aud.model, aud.valueNode) : undefined;
        if (!v || !possibilities(v).every((p) => p.kind === 'env' || p.kind === 'undefined')) return;
        envAudience = possibilities(v).some((p) => p.kind === 'env');
        if (!envAudience) { /* audience: undefined */ }
      }
      if (site.library === '@nestjs/jwt' && !aud && nestModulesCheckAudience(context.project)) return;
      if (manualAudCheck(site.node)) return;

      const kind = siteKeyKind(site);
      const external = kind === 'jwks' || externalIssuer(context.project, site);
      let severity: Severity;
      let why: string;
      if (envAudience) {
        severity = 'info';
        why = 'the audience comes from an environment variable that may be unset, and then no `aud` check happens';
      } else if (kind === 'jwks') {
        severity = 'warning';
        why = "the keys come from an identity provider's JWKS, which signs tokens for all of its applications: a token minted for another app passes";
      } else {
        if (!external && firstParty(context.project, site)) return;
        severity = 'info';
        why = external
          ? 'the issuer is external, and a token it minted for another application passes'
          : 'this key is not used to sign tokens in this workspace, so other services sharing it can mint tokens that pass here';
      }
      const node = inFile(site.optionsExpr) ? site.optionsExpr : site.node;
      const suggestions: CodeFix[] = [];
      if (!envAudience && !site.algArg) {
        const anchor = site.node as ts.Expression;
        const fix = audienceEdits(anchor, site.audienceKey, 'JWT_AUDIENCE', undefined, (text) => {
          if (site.library === 'hono' && site.kind === 'middleware') {
            const ver = site.options.kind === 'object' ? site.options.props.get('verification') : undefined;
            const lit = ver?.valueNode && inFile(ver.valueNode) ? asObjectLiteral(ver.valueNode) : undefined;
            return lit ? addProperty(lit, text) : undefined;
          }
          if (site.optionsIndex === undefined || site.resolved?.wrapper) return undefined;
          return addOptionAt(site.node, site.optionsIndex, text);
        });
        if (fix) suggestions.push(fix);
      }
      context.report({
        node, severity: sev(severity), suggestions,
        message: `JWT verified without an audience check: ${why}. Pin the audience (your API's identifier or client id).`,
      });
    };

    const visitors = verifySiteVisitors(context, onSite, { jose: true });
    visitors.calls!['google-auth-library.OAuth2Client#verifyIdToken'] = (call: ResolvedCall) => {
      const arg = call.args[0];
      const o = evaluateOptions(model, arg);
      if (o.kind !== 'object' || o.hasUnknownSpread) return;
      const aud = o.props.get('audience');
      let info = false;
      if (aud) {
        const v = aud.valueNode ? evaluate(aud.model, aud.valueNode) : undefined;
        if (!v || !possibilities(v).every((p) => p.kind === 'env' || p.kind === 'undefined')) return;
        info = possibilities(v).some((p) => p.kind === 'env');
      }
      if (manualAudCheck(call.node)) return;
      const suggestions: CodeFix[] = [];
      if (!info && arg && inFile(arg) && asObjectLiteral(arg)) {
        const client = clientIdOf(model, call.receiver);
        const fix = audienceEdits(call.node as ts.Expression, 'audience', client?.env ?? 'GOOGLE_CLIENT_ID', client?.text, (text) => addProperty(asObjectLiteral(arg)!, text));
        if (fix) suggestions.push(fix);
      }
      context.report({
        node: arg && inFile(arg) ? arg : call.node, severity: sev(info ? 'info' : 'warning'), suggestions,
        message: info
          ? 'verifyIdToken() audience comes from an environment variable that may be unset: google-auth-library then skips the `aud` check and accepts ID tokens issued to any Google client.'
          : 'verifyIdToken() without `audience`: google-auth-library then skips the `aud` check and accepts ID tokens issued to any Google client ("Sign in with Google" on any site).',
      });
    };
    return visitors;
  },
});

/** Some `JwtModule` configuration sets (or may set) `verifyOptions.audience`. */
function nestModulesCheckAudience(project: import('../../engine/project').Project): boolean {
  return jwtModuleConfigs(project).some((m) => {
    const vo = moduleSubOptions(m.options, 'verifyOptions');
    return vo.kind !== 'object' || vo.hasUnknownSpread || vo.props.has('audience');
  });
}

/** An `issuer` that names an external identity provider (an https URL, or an ISSUER / DOMAIN setting). */
function externalIssuer(project: import('../../engine/project').Project, site: JwtVerifySite): boolean {
  const iss = propValue(site.options, site.library === 'hono' ? 'iss' : 'issuer');
  if (!iss) return false;
  const own = signingIssuers(project);
  return possibilities(iss).some((p) => (p.kind === 'string' && /^https?:\/\//.test(p.value) && !own.has(p.value))
    || (p.kind === 'env' && /ISSUER|DOMAIN|AUTH0|COGNITO|OKTA|CLERK|KEYCLOAK/i.test(p.name)));
}

/** The verifier's key is one the workspace signs with (first-party tokens). */
function firstParty(project: import('../../engine/project').Project, site: JwtVerifySite): boolean {
  const ids = signingKeyIdentities(project);
  if (site.library === '@nestjs/jwt' && !site.key) return ids.size > 0 || jwtModuleConfigs(project).length > 0;
  if (!site.key) return false;
  const id = keyIdentity(site.key.model, site.key.expr);
  return !!id && ids.has(id);
}

/** The enclosing function compares the verified payload's `aud` itself. */
function manualAudCheck(node: ts.Node): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isPropertyAccessExpression(n) && n.name.text === 'aud') || (ts.isElementAccessExpression(n) && ts.isStringLiteralLike(n.argumentExpression) && n.argumentExpression.text === 'aud')
      || (ts.isBindingElement(n) && (n.propertyName ?? n.name).getText() === 'aud')) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}

/** The client id an OAuth2Client was built with (`new OAuth2Client(CLIENT_ID)` / `{ clientId }`). */
function clientIdOf(model: FileModel, receiver: ts.Expression | undefined): { text?: string; env?: string } | undefined {
  if (!receiver) return undefined;
  const r = skipOuter(receiver);
  if (!ts.isIdentifier(r)) return undefined;
  const d = findDeclaration(r);
  const init = d?.kind === 'variable' && !d.path && d.initializer ? skipOuter(d.initializer) : undefined;
  if (!init || !ts.isNewExpression(init) || !init.arguments?.length) return undefined;
  let arg: ts.Expression | undefined = init.arguments[0];
  const obj = asObjectLiteral(arg);
  if (obj) {
    const p = obj.properties.find((x) => x.name && x.name.getText() === 'clientId');
    arg = p && ts.isPropertyAssignment(p) ? p.initializer : p && ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
  }
  if (!arg) return undefined;
  const v = evaluate(model, arg);
  if (v.kind === 'env') return { env: v.name };
  const e = skipOuter(arg);
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) return { text: e.getText() };
  return undefined;
}
