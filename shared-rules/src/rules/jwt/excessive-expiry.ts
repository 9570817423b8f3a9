import * as path from 'node:path';
import ts = require('typescript');
import { CodeFix, defineRule, RuleContext, RuleVisitors, Severity } from '../../engine/types';
import type { ResolvedCall } from '../../model/calls';
import { evaluate, PropEntry, propValue, Value } from '../../model/constEval';
import { replaceNode } from '../../model/edits';
import type { FileModel } from '../../model/fileModel';
import { skipOuter } from '../../model/imports';
import { isAsymmetricAlg, JWT_MODULE_CALLS, SIGN_CALLS } from '../../model/jwtApi';
import {
  configuredSeconds, describeSeconds, DurationApi, durationLiteral, lifetimeOf, mentionsRefresh, namesAround,
} from '../../model/jwtLifetime';
import { isFastifyJwtRegister, jwtModuleOptions, SignSite, signSite } from '../../model/jwtSignSites';
import { JwtVerifySite, verifySiteVisitors } from '../../model/jwtSites';
import { isTestishPath } from '../../model/testPaths';
import { JWT_RELEVANCE } from '../../model/jwtRelevance';

/** Long-lived by design (personal access tokens, service credentials): reported as info. */
const LONG_LIVED_BY_DESIGN = /api_?key|personal_?access|\bpat\b|service_?(token|account)|machine|integration/i;

interface Finding {
  /** The expression that sets the lifetime, where it is written. */
  valueExpr?: ts.Expression;
  /** Where to report when valueExpr is in another file. */
  fallbackNode: ts.Node;
  value: Value;
  api: DurationApi;
  what: 'expiry' | 'maxAge';
  /** Names and texts that tell refresh from access tokens. */
  hints: string[];
  /** Asymmetric algorithm + audience: service-to-service token. */
  serviceToService?: boolean;
  /** How the suggestion writes a relative lifetime. */
  replacement: 'duration' | 'exp-claim' | 'seconds-number';
}

export default defineRule({
  meta: {
    relevance: JWT_RELEVANCE,
    id: 'jwt/excessive-expiry',
    title: 'JWT with a very long lifetime',
    description: 'A token (or a verifier `maxAge`) lives longer than the configured maximum: 24 h for access tokens, 90 days for refresh tokens.',
    defaultSeverity: 'warning',
    checklist: ['jwt-verification'],
    owasp: ['API2'],
    cwe: [613],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
    options: {
      accessMaxAge: { type: 'string', default: '24h', description: 'Longest acceptable access-token lifetime (a duration with a unit).' },
      refreshMaxAge: { type: 'string', default: '90d', description: 'Longest acceptable refresh-token lifetime.' },
      accessDefault: { type: 'string', default: '15m', description: 'Access-token lifetime written by the quick fix.' },
      refreshDefault: { type: 'string', default: '30d', description: 'Refresh-token lifetime written by the quick fix.' },
    },
  },
  create(context) {
    const model = context.model;
    const fileHint = path.basename(context.fileName);
    const judge = (f: Finding) => report(context, { ...f, hints: [...f.hints, fileHint] });

    const onSign = (call: ResolvedCall) => {
      const site = signSite(model, call);
      if (!site) return;
      const hints = signHints(model, site);
      // Through a thin wrapper, slots fixed inside it are judged where the wrapper's own call is written.
      const fixedInWrapper = (i: number | undefined) => !!call.wrapper && (i === undefined || call.wrapper.slotFromParam[i] === undefined);
      const payload = site.payload && !fixedInWrapper(site.spec.payload) ? evaluate(model, site.payload) : undefined;
      const serviceToService = isServiceToService(site.options);
      const fallbackNode = callee(call);
      if (payload?.kind === 'object') {
        const exp = payload.props.get('exp');
        if (exp?.valueNode) judge({ valueExpr: exp.valueNode, fallbackNode, value: evaluate(exp.model, exp.valueNode), api: 'exp-claim', what: 'expiry', hints, serviceToService, replacement: 'exp-claim' });
      }
      if (site.library === 'jose') {
        for (const c of site.jose?.setters.get('setExpirationTime') ?? []) {
          if (c.arguments[0]) judge({ valueExpr: c.arguments[0], fallbackNode: c, value: evaluate(model, c.arguments[0]), api: 'jose-exp', what: 'expiry', hints, replacement: 'duration' });
        }
        return;
      }
      const e = site.options.kind === 'object' && !fixedInWrapper(site.optionsIndex) ? site.options.props.get('expiresIn') : undefined;
      if (e?.valueNode) {
        judge({ valueExpr: e.valueNode, fallbackNode: site.optionsExpr && inFile(context, site.optionsExpr) ? site.optionsExpr : fallbackNode,
          value: evaluate(e.model, e.valueNode), api: site.library === '@fastify/jwt' ? 'fastify' : 'jsonwebtoken', what: 'expiry', hints, serviceToService, replacement: 'duration' });
      }
    };

    const onModule = (call: ResolvedCall) => {
      const v = jwtModuleOptions(model, call);
      if (v.kind !== 'object') return;
      const so = propValue(v, 'signOptions');
      const hints = namesAround(call.node);
      const e = so?.kind === 'object' ? so.props.get('expiresIn') : undefined;
      if (e?.valueNode && so) judge({ valueExpr: e.valueNode, fallbackNode: call.node.expression, value: evaluate(e.model, e.valueNode), api: 'jsonwebtoken', what: 'expiry', hints, serviceToService: isServiceToService(so), replacement: 'duration' });
    };

    const onVerifySite = (site: JwtVerifySite) => {
      let opts = site.options;
      let api: DurationApi = site.library === '@fastify/jwt' || site.library === 'fast-jwt' ? 'fastify' : 'jsonwebtoken';
      let key = 'maxAge';
      if (site.library === 'jose') { api = 'jose-relative'; key = 'maxTokenAge'; }
      if (site.library === 'passport-jwt') opts = propValue(opts, 'jsonWebTokenOptions') ?? opts;
      if (site.library === 'hono' || site.library === 'express-jwt' || site.library === 'koa-jwt') return;
      if (opts.kind !== 'object') return;
      const e: PropEntry | undefined = opts.props.get(key);
      if (!e?.valueNode) return;
      const hints = [...namesAround(site.node), site.key ? site.key.expr.getText() : ''];
      judge({ valueExpr: e.valueNode, fallbackNode: site.node, value: evaluate(e.model, e.valueNode), api, what: 'maxAge', hints, replacement: 'duration' });
    };

    const verify = verifySiteVisitors(context, onVerifySite, { jose: true });
    const calls: Record<string, (c: ResolvedCall) => void> = { ...verify.calls };
    for (const sym of Object.keys(SIGN_CALLS)) calls[sym] = onSign;
    for (const sym of JWT_MODULE_CALLS) {
      const prev = calls[sym];
      calls[sym] = (c) => { prev?.(c); onModule(c); };
    }
    const verifyCallNode = verify.nodes?.CallExpression;
    const nodes: RuleVisitors['nodes'] = {
      CallExpression: (n) => {
        verifyCallNode?.(n);
        const call = n as ts.CallExpression;
        if (!isFastifyJwtRegister(model, call) || !call.arguments[1]) return;
        const all = evaluate(model, call.arguments[1]);
        const sign = propValue(all, 'sign');
        const e = sign?.kind === 'object' ? sign.props.get('expiresIn') : undefined;
        if (e?.valueNode) judge({ valueExpr: e.valueNode, fallbackNode: call.expression, value: evaluate(e.model, e.valueNode), api: 'fastify', what: 'expiry', hints: namesAround(call), replacement: 'duration' });
      },
    };
    return { calls, nodes };
  },
});

function inFile(context: RuleContext, n: ts.Node): boolean {
  return n.getSourceFile() === context.sourceFile;
}

function callee(call: ResolvedCall): ts.Node {
  const c = skipOuter(call.node.expression);
  return ts.isPropertyAccessExpression(c) ? c.name : c;
}

/** Names around a sign call that say which kind of token it issues. */
function signHints(model: FileModel, site: SignSite): string[] {
  const hints: string[] = [];
  const payload = site.payload ? evaluate(model, site.payload) : undefined;
  if (payload?.kind === 'object') {
    for (const k of ['type', 'typ', 'tokenType', 'token_type', 'kind', 'use', 'token_use', 'purpose']) {
      const v = propValue(payload, k);
      if (v?.kind === 'string') hints.push(v.value);
    }
  }
  const key = site.spec.key !== undefined ? site.call.args[site.spec.key] : undefined;
  if (key) hints.push(key.getText());
  if (site.options.kind === 'object') {
    const secret = site.options.props.get('secret') ?? site.options.props.get('privateKey');
    if (secret?.valueNode) hints.push(secret.valueNode.getText());
  }
  if (site.optionsExpr && ts.isIdentifier(skipOuter(site.optionsExpr))) hints.push(skipOuter(site.optionsExpr).getText());
  hints.push(...namesAround(site.call.node));
  return hints;
}

/** The first hint (strongest first) naming a token kind decides: `refresh` → refresh, `access` → access. */
function isRefresh(hints: string[]): boolean {
  for (const h of hints) {
    if (mentionsRefresh(h)) return true;
    if (/access/i.test(h)) return false;
  }
  return false;
}

function isServiceToService(o: Value | undefined): boolean {
  if (!o || o.kind !== 'object') return false;
  const alg = propValue(o, 'algorithm');
  return !!alg && alg.kind === 'string' && isAsymmetricAlg(alg.value) && o.props.has('audience');
}

function report(context: RuleContext, f: Finding): void {
  const life = lifetimeOf(f.value, f.api);
  if (!life) return;
  const own = f.valueExpr && !ts.isLiteralExpression(skipOuter(f.valueExpr)) ? [skipOuter(f.valueExpr).getText()] : [];
  const refresh = isRefresh([...own, ...f.hints]);
  const accessMax = configuredSeconds(context.options.accessMaxAge, 86400);
  const refreshMax = configuredSeconds(context.options.refreshMaxAge, 90 * 86400);
  const limit = refresh ? refreshMax : accessMax;
  if (!life.millisecondsAsSeconds && life.seconds <= limit) return;

  const node = f.valueExpr && inFile(context, f.valueExpr) ? f.valueExpr : inFile(context, f.fallbackNode) ? f.fallbackNode : undefined;
  if (!node) return;
  const kind = refresh ? 'refresh token' : 'access token';
  const subject = f.what === 'maxAge' ? `Verifier \`${f.api === 'jose-relative' ? 'maxTokenAge' : 'maxAge'}\`` : kind === 'refresh token' ? 'Refresh token' : 'Access token';
  let severity: Severity = refresh ? 'info' : 'warning';
  let message: string;
  if (life.millisecondsAsSeconds) {
    severity = 'warning';
    message = `${f.api === 'jose-exp' ? '`setExpirationTime()`' : '`exp`'} is built from \`Date.now()\` (milliseconds) but JWT times are epoch seconds: the token is valid for tens of thousands of years. Divide by 1000.`;
  } else {
    message = `${subject} lifetime is ${describeSeconds(life.seconds)}, over the ${describeSeconds(limit)} maximum for ${kind}s: a stolen token stays usable that long.`;
    if (f.serviceToService) { severity = 'info'; message += ' (Asymmetric key and an audience: if this is a service-to-service token, a longer life may be intended.)'; }
    else if (!refresh && f.hints.some((h) => LONG_LIVED_BY_DESIGN.test(h))) { severity = 'info'; message += ' (Looks like a long-lived API credential; prefer revocable opaque keys for those.)'; }
  }
  if (isTestishPath(context)) severity = 'info';
  const suggestions: CodeFix[] = [];
  if (f.valueExpr && inFile(context, f.valueExpr)) {
    const lit = durationLiteral(refresh ? context.options.refreshDefault : context.options.accessDefault, refresh ? '30d' : '15m');
    const secs = configuredSeconds(lit, refresh ? 30 * 86400 : 900);
    let text: string;
    if (f.replacement === 'exp-claim') text = `Math.floor(Date.now() / 1000) + ${secondsExpr(secs)}`;
    else text = `'${lit}'`;
    suggestions.push({ title: `Shorten the ${f.what === 'maxAge' ? 'accepted token age' : `${kind} lifetime`} to ${lit} (sessions end sooner for every client)`, edits: [replaceNode(f.valueExpr, text)] });
  }
  context.report({ node, severity, message, suggestions });
}

function secondsExpr(s: number): string {
  if (s % 86400 === 0) return `${s / 86400} * 24 * 60 * 60`;
  if (s % 3600 === 0) return `${s / 3600} * 60 * 60`;
  if (s % 60 === 0) return `${s / 60} * 60`;
  return String(s);
}

