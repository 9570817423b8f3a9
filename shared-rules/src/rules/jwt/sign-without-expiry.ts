import ts = require('typescript');
import { CodeFix, defineRule, RuleContext, Severity } from '../../engine/types';
import type { ResolvedCall } from '../../model/calls';
import { evaluate, Value } from '../../model/constEval';
import { addOptionAt, addProperty, asObjectLiteral, insertArgument } from '../../model/edits';
import type { FileModel } from '../../model/fileModel';
import { skipOuter } from '../../model/imports';
import { SIGN_CALLS } from '../../model/jwtApi';
import { configuredSeconds, durationLiteral, namesAround } from '../../model/jwtLifetime';
import { isMutatedObject, SignSite, signDefaults, signSite } from '../../model/jwtSignSites';
import { enclosingFunction } from '../../model/scope';
import { isTestishPath } from '../../model/testPaths';
import { JWT_RELEVANCE } from '../../model/jwtRelevance';

/** Tokens that are not sessions: signed links and webhook signatures (RULES.md FP control) → info. */
const NON_AUTH = /unsubscribe|webhook|sign(ed)?_?ur[li]|download|attachment|share_?link/i;

export default defineRule({
  meta: {
    relevance: JWT_RELEVANCE,
    id: 'jwt/sign-without-expiry',
    title: 'JWT issued without an expiry',
    description: 'A token is signed without `exp` (no `expiresIn`, no `setExpirationTime`, no `exp` claim): a stolen token works forever.',
    defaultSeverity: 'warning',
    checklist: ['jwt-verification'],
    owasp: ['API2'],
    cwe: [613],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
    options: {
      defaultExpiry: { type: 'string', default: '15m', description: 'Lifetime written by the quick fix (a duration with a unit, e.g. "15m").' },
    },
  },
  create(context) {
    const model = context.model;
    const check = (call: ResolvedCall) => {
      const site = signSite(model, call);
      if (!site) return;
      const expiry = expirySource(context, site);
      if (expiry !== 'missing') return;
      // options or payload objects filled in later (`opts.expiresIn = …`, `payload.exp = …`)
      if (isMutatedObject(site.optionsExpr, ['expiresIn']) || isMutatedObject(site.payload, ['exp'])) return;
      const payload = payloadShape(context, site);
      if (payload.kind === 'has-exp' || payload.kind === 'unknown-spread' || payload.kind === 'wrapper-param') return;
      const reportNode = calleeNameNode(call);
      if (!reportNode) return;

      let severity: Severity = 'warning';
      let message: string;
      const lib = libraryLabel(site);
      if (payload.kind === 'string') {
        severity = 'info';
        message = `${lib} signs a string payload, which cannot carry \`exp\`: the token never expires. Sign an object (\`{ sub }\`) with an expiry instead.`;
      } else if (payload.kind === 'unknown') {
        severity = 'info';
        message = `${lib} issues a token without an expiry unless the payload (not visible here) carries \`exp\`: a stolen token would work forever. Set ${expiryHint(site)}.`;
      } else {
        message = `${lib} issues a token without an expiry: a stolen token works forever. Set ${expiryHint(site)}.`;
      }
      if ((payload.kind === 'object' || payload.kind === 'object-literal') && payload.customExpiry) {
        severity = 'info';
        message = `${lib} issues a token without \`exp\`; it carries a custom \`${payload.customExpiry}\` claim instead, which no JWT library enforces: make sure every verifier checks it, or use ${expiryHint(site)}.`;
      }
      const names = [...namesAround(call.node), enclosingName(call.node)].join(' ');
      if (severity === 'warning' && NON_AUTH.test(names)) { severity = 'info'; message += ' (Looks like a signed link rather than a session; links also deserve an expiry.)'; }
      if (isTestishPath(context)) severity = 'info';
      const suggestions = payload.kind === 'object-literal' ? suggestion(context, site, payload.literal) : [];
      context.report({ node: reportNode, severity, message, suggestions: suggestions ? suggestions : [] });
    };
    const calls: Record<string, (c: ResolvedCall) => void> = {};
    for (const sym of Object.keys(SIGN_CALLS)) calls[sym] = check;
    return { calls };
  },
});

function libraryLabel(site: SignSite): string {
  switch (site.library) {
    case 'jsonwebtoken': return '`jwt.sign()`';
    case '@nestjs/jwt': return '`JwtService.sign()`';
    case '@fastify/jwt': return '@fastify/jwt `sign`';
    case 'hono': return 'hono `sign()`';
    case 'jose': return '`SignJWT`';
  }
}

function expiryHint(site: SignSite): string {
  switch (site.library) {
    case 'jose': return "`.setExpirationTime('15m')`";
    case 'hono': return 'an `exp` claim';
    case '@nestjs/jwt': return '`expiresIn` (call options or `JwtModule` `signOptions`)';
    case '@fastify/jwt': return '`expiresIn` (call options or the plugin `sign` options)';
    default: return '`expiresIn`';
  }
}

/** 'present' (or cannot tell) vs 'missing', from call options, module/plugin defaults and jose setters. */
function expirySource(context: RuleContext, site: SignSite): 'present' | 'missing' {
  if (site.library === 'jose') {
    const j = site.jose!;
    if (!j.root || !j.complete) return 'present';
    return j.setters.has('setExpirationTime') ? 'present' : 'missing';
  }
  if (site.library === 'hono') return 'missing';
  if (!optionsLackExpiry(site.options)) return 'present';
  if (site.library === '@nestjs/jwt' || site.library === '@fastify/jwt') {
    const defaults = signDefaults(context.project, site.library) ?? [];
    // No visible module/plugin configuration: the defaults may live where we cannot see them.
    if (defaults.length === 0) return 'present';
    if (defaults.some((d) => !optionsLackExpiry(d.options))) return 'present';
  }
  return 'missing';
}

function optionsLackExpiry(o: Value): boolean {
  if (o.kind !== 'object') return false;
  const p = o.props.get('expiresIn');
  if (p) {
    const v = p.valueNode ? evaluate(p.model, p.valueNode) : undefined;
    return !!v && (v.kind === 'undefined' || v.kind === 'null');
  }
  return !o.hasUnknownSpread;
}

type PayloadShape =
  | { kind: 'has-exp' | 'unknown-spread' | 'string' | 'unknown' | 'wrapper-param' }
  | { kind: 'object'; customExpiry?: string }
  | { kind: 'object-literal'; literal: ts.ObjectLiteralExpression; customExpiry?: string };

/** An app-defined expiry or age claim (`expiresAt`, `validUntil`, `createdAt`): enforced by the app's own verifier, not by the library. */
const CUSTOM_EXPIRY = /^(expires?(_?at|_?on)?|expiry|expiration(_?date|_?time)?|exp_?at|valid_?(until|to|till)|ttl|created_?at|issued_?at)$/i;

function payloadShape(context: RuleContext, site: SignSite): PayloadShape {
  const expr = site.payload;
  if (!expr) {
    if (site.library === 'jose' && site.jose?.root) return { kind: 'object' }; // new SignJWT() → {}
    return { kind: 'unknown' };
  }
  const model = modelOf(context, expr);
  const e = skipOuter(expr);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'from' && e.expression.expression.getText() === 'Buffer') return { kind: 'string' };
  const v = evaluate(model, e);
  if (v.kind === 'string') return { kind: 'string' };
  if (v.kind === 'object') {
    if (v.props.has('exp')) return { kind: 'has-exp' };
    if (v.hasUnknownSpread) return { kind: 'unknown-spread' };
    const custom = [...v.props.keys()].find((k) => CUSTOM_EXPIRY.test(k));
    const lit = asObjectLiteral(e);
    const local = lit && lit.getSourceFile() === context.sourceFile ? lit : undefined;
    return { kind: local ? 'object-literal' : 'object', literal: local, customExpiry: custom } as PayloadShape;
  }
  if (ts.isIdentifier(e) && isWrapperParameter(context, e)) return { kind: 'wrapper-param' };
  return { kind: 'unknown' };
}

/** `const signToken = (p) => jwt.sign(p, KEY)`: each call site is analysed with its own payload instead. */
function isWrapperParameter(context: RuleContext, id: ts.Identifier): boolean {
  const fn = enclosingFunction(id);
  if (!fn || !fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === id.text)) return false;
  return context.model.wrapperSummary(fn) !== undefined;
}

function modelOf(context: RuleContext, node: ts.Node): FileModel {
  const f = node.getSourceFile().fileName;
  return f === context.fileName ? context.model : context.project.getModel(f) ?? context.model;
}

function calleeNameNode(call: ResolvedCall): ts.Node | undefined {
  const callee = skipOuter(call.node.expression);
  if (ts.isPropertyAccessExpression(callee)) return callee.name;
  return callee;
}

function enclosingName(n: ts.Node): string {
  const fn = enclosingFunction(n);
  if (!fn) return '';
  if (fn.name) return fn.name.getText();
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p)) return p.name.getText();
  if (p && ts.isPropertyAssignment(p)) return p.name.getText();
  return '';
}

function suggestion(context: RuleContext, site: SignSite, literal: ts.ObjectLiteralExpression): CodeFix[] {
  const lit = durationLiteral(context.options.defaultExpiry, '15m');
  const call = site.call;
  const title = (what: string) => `Add ${what} (tokens that never expired will now expire: clients need a way to get a new one)`;
  if (site.library === 'jose') {
    const callee = call.node.expression;
    if (!ts.isPropertyAccessExpression(callee)) return [];
    const at = callee.expression.getEnd();
    return [{ title: title(`.setExpirationTime('${lit}')`), edits: [{ fileName: context.fileName, start: at, end: at, newText: `.setExpirationTime('${lit}')` }] }];
  }
  if (site.library === 'hono') {
    const secs = configuredSeconds(lit, 900);
    const expr = secs % 60 === 0 ? `${secs / 60} * 60` : `${secs}`;
    return [{ title: title(`exp: Math.floor(Date.now() / 1000) + ${expr}`), edits: [addProperty(literal, `exp: Math.floor(Date.now() / 1000) + ${expr}`)] }];
  }
  if (site.optionsIndex === undefined || !ts.isCallExpression(call.node)) return [];
  let index = site.optionsIndex;
  if (call.wrapper) {
    const p = call.wrapper.slotFromParam[index];
    if (p === undefined) return [];
    index = p;
  }
  const node = call.node;
  if (site.library === 'jsonwebtoken' && !call.wrapper && node.arguments.length < 2) return [];
  const text = `expiresIn: '${lit}'`;
  const existing = node.arguments[index];
  let edit;
  if (existing && !site.optionsExpr && !asObjectLiteral(existing)) edit = insertArgument(node, index, `{ ${text} }`); // a callback identifier
  else edit = addOptionAt(node, index, text);
  if (!edit) return [];
  return [{ title: title(text), edits: [edit] }];
}
