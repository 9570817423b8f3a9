import ts = require('typescript');
import type { Project } from '../engine/project';
import type { RuleContext, RuleVisitors } from '../engine/types';
import type { ResolvedCall } from './calls';
import { evaluate, PropEntry, propValue, Value } from './constEval';
import type { FileModel } from './fileModel';
import { skipOuter } from './imports';
import {
  evaluateOptions, JOSE_VERIFY_CALLS, JWT_MODULE_CALLS, keyKind, MIDDLEWARE_CALLS, moduleSubOptions, optionsArgument, VERIFY_CALLS,
} from './jwtApi';
import { Version, versionVersus } from './versions';

const { SyntaxKind } = ts;

/**
 * Every place where a JWT is verified with options the code can see (RULES.md section 2 table): verify calls,
 * middleware/strategy factories (incl. Nest `super({...})` in a `PassportStrategy(Strategy)` class), module-level
 * defaults (`JwtModule.register({ verifyOptions })`, `fastify.register(fastifyJwt, { verify })`), fast-jwt verifiers.
 * Rules that ask "what do these verify options say" (none, expiry, audience, HMAC confusion) share this.
 */
export type SiteLibrary = 'jsonwebtoken' | '@nestjs/jwt' | '@fastify/jwt' | 'fast-jwt' | 'hono' | 'jose' | 'express-jwt' | 'koa-jwt' | 'passport-jwt';

export interface ExprIn { expr: ts.Expression; model: FileModel }

export interface JwtVerifySite {
  library: SiteLibrary;
  /** 'call': one verification; 'middleware': a factory whose options apply to every request; 'module'/'plugin': defaults. */
  kind: 'call' | 'middleware' | 'module' | 'plugin';
  symbol: string;
  /** The call written in this file (for `super(...)` the super call). */
  node: ts.CallExpression | ts.NewExpression;
  resolved?: ResolvedCall;
  /** Effective verify options as evaluated (an `object` Value when known). */
  options: Value;
  /** The expression holding the options, when there is one. */
  optionsExpr?: ts.Expression;
  /** Argument index where an options object is or would go (calls, middleware). */
  optionsIndex?: number;
  /** Key material (argument or option). */
  key?: ExprIn;
  /** The option naming the accepted algorithms. */
  algorithmsKey: 'algorithms' | 'alg';
  /** hono `verify(t, k, alg)`: the positional algorithm argument. */
  algArg?: ts.Expression;
  /** Option names for claims checks. */
  audienceKey: string;
}

const MIDDLEWARE_KEY_OPTIONS: Record<string, string[]> = {
  'express-jwt': ['secret'],
  'koa-jwt': ['secret'],
  'passport-jwt': ['secretOrKey', 'secretOrKeyProvider'],
  hono: ['secret', 'keys', 'jwks_uri'],
};

const VERIFY_SYMBOLS = Object.keys(VERIFY_CALLS);
const JOSE_VERIFY_SYMBOLS = Object.keys(JOSE_VERIFY_CALLS);
const MIDDLEWARE_SYMBOLS = Object.keys(MIDDLEWARE_CALLS);

/** Visitors that call `onSite` for every verification site in a file. */
export function verifySiteVisitors(context: RuleContext, onSite: (site: JwtVerifySite) => void, opts: { jose?: boolean } = {}): RuleVisitors {
  const model = context.model;
  const calls: Record<string, (c: ResolvedCall) => void> = {};
  // A call through a project wrapper whose options are fixed inside the wrapper is the wrapper's own library
  // call, reported once where it is written (not again at every call of the wrapper).
  const fixedInWrapper = (c: ResolvedCall, slot: number | undefined) => !!c.wrapper && (slot === undefined || c.wrapper.slotFromParam[slot] === undefined);
  // One handler per family of calls (the table is built for every file: no closure per symbol).
  const onVerify = (c: ResolvedCall) => {
    const spec = VERIFY_CALLS[c.symbol];
    if (fixedInWrapper(c, spec.options ?? spec.algArg)) return;
    const s = callSite(model, c); if (s) onSite(s);
  };
  const onJose = (c: ResolvedCall) => { if (fixedInWrapper(c, 2)) return; const s = joseSite(model, c); if (s) onSite(s); };
  const onMiddleware = (c: ResolvedCall) => { if (fixedInWrapper(c, 0)) return; const s = middlewareSite(model, c); if (s) onSite(s); };
  const onModule = (c: ResolvedCall) => { const s = moduleSite(model, c); if (s) onSite(s); };
  for (const sym of VERIFY_SYMBOLS) calls[sym] = onVerify;
  if (opts.jose) for (const sym of JOSE_VERIFY_SYMBOLS) calls[sym] = onJose;
  for (const sym of MIDDLEWARE_SYMBOLS) calls[sym] = onMiddleware;
  for (const sym of JWT_MODULE_CALLS) calls[sym] = onModule;
  calls['fast-jwt.createVerifier'] = (c) => {
    if (fixedInWrapper(c, 0)) return;
    const o = evaluateOptions(model, c.args[0]);
    onSite({ library: 'fast-jwt', kind: 'middleware', symbol: c.symbol, node: c.node, resolved: c, options: o, optionsExpr: c.args[0], optionsIndex: 0,
      key: optionExpr(o, 'key'), algorithmsKey: 'algorithms', audienceKey: 'allowedAud' });
  };
  const nodes: RuleVisitors['nodes'] = {
    CallExpression: (n) => {
      const call = n as ts.CallExpression;
      if (call.expression.kind === SyntaxKind.SuperKeyword) { const s = nestStrategySite(model, call); if (s) onSite(s); return; }
      const s = fastifyPluginSite(model, call);
      if (s) onSite(s);
    },
  };
  return { calls, nodes };
}

function optionExpr(o: Value, name: string): ExprIn | undefined {
  if (o.kind !== 'object') return undefined;
  const p = o.props.get(name);
  return p?.valueNode ? { expr: p.valueNode, model: p.model } : undefined;
}

function callSite(model: FileModel, c: ResolvedCall): JwtVerifySite | undefined {
  const spec = VERIFY_CALLS[c.symbol];
  const library = spec.library as SiteLibrary;
  const key = spec.key !== undefined && c.args[spec.key] ? { expr: c.args[spec.key]!, model } : undefined;
  if (spec.library === 'hono') {
    const third = c.args[2];
    const v = third ? evaluate(model, third) : undefined;
    // hono >= 4.11.4 also takes `{ alg, exp, aud, ... }` as the third argument.
    if (v?.kind === 'object') {
      return { library, kind: 'call', symbol: c.symbol, node: c.node, resolved: c, options: v, optionsExpr: third, optionsIndex: 2, key, algorithmsKey: 'alg', audienceKey: 'aud' };
    }
    return { library, kind: 'call', symbol: c.symbol, node: c.node, resolved: c, options: { kind: 'object', props: new Map(), hasUnknownSpread: v !== undefined && v.kind !== 'string', node: c.node },
      algArg: third, key, algorithmsKey: 'alg', audienceKey: 'aud' };
  }
  const slot = optionsArgument(c, spec);
  const options = evaluateOptions(model, slot?.expr);
  let k = key;
  if (spec.library === '@nestjs/jwt') k = optionExpr(options, 'publicKey') ?? optionExpr(options, 'secret');
  const audienceKey = spec.library === '@fastify/jwt' ? 'allowedAud' : 'audience';
  return { library, kind: 'call', symbol: c.symbol, node: c.node, resolved: c, options, optionsExpr: slot?.expr, optionsIndex: slot?.index, key: k, algorithmsKey: 'algorithms', audienceKey };
}

function joseSite(model: FileModel, c: ResolvedCall): JwtVerifySite {
  const options = evaluateOptions(model, c.args[2] && !ts.isArrowFunction(c.args[2]) ? c.args[2] : undefined);
  return { library: 'jose', kind: 'call', symbol: c.symbol, node: c.node, resolved: c, options, optionsExpr: c.args[2], optionsIndex: 2,
    key: c.args[1] ? { expr: c.args[1], model } : undefined, algorithmsKey: 'algorithms', audienceKey: 'audience' };
}

function middlewareSite(model: FileModel, c: ResolvedCall): JwtVerifySite | undefined {
  const spec = MIDDLEWARE_CALLS[c.symbol];
  const options = evaluateOptions(model, c.args[0]);
  const library = spec.library as SiteLibrary;
  return { library, kind: 'middleware', symbol: c.symbol, node: c.node, resolved: c, options, optionsExpr: c.args[0], optionsIndex: 0,
    key: middlewareKey(library, options), algorithmsKey: spec.algorithmsKey, audienceKey: library === 'hono' ? 'aud' : 'audience' };
}

function middlewareKey(library: SiteLibrary, options: Value): ExprIn | undefined {
  for (const k of MIDDLEWARE_KEY_OPTIONS[library] ?? []) { const e = optionExpr(options, k); if (e) return e; }
  return undefined;
}

function moduleSite(model: FileModel, c: ResolvedCall): JwtVerifySite | undefined {
  let v = evaluate(model, c.args[0]);
  if (c.symbol.endsWith('registerAsync')) v = factoryResult(v);
  if (v.kind !== 'object') return undefined;
  const vo = v.props.get('verifyOptions');
  const options = moduleSubOptions(v, 'verifyOptions');
  return { library: '@nestjs/jwt', kind: 'module', symbol: c.symbol, node: c.node, resolved: c, options, optionsExpr: vo?.valueNode,
    key: optionExpr(v, 'publicKey') ?? optionExpr(v, 'secret') ?? optionExpr(v, 'secretOrKeyProvider'), algorithmsKey: 'algorithms', audienceKey: 'audience' };
}

/** `registerAsync({ useFactory: () => ({...}) })` → the factory's returned options. */
export function factoryResult(v: Value): Value {
  if (v.kind !== 'object') return v;
  const factory = v.props.get('useFactory');
  const fv = factory?.valueNode ? evaluate(factory.model, factory.valueNode) : undefined;
  if (fv?.kind !== 'function') return { kind: 'unknown', node: v.node };
  const fn = fv.node as ts.FunctionLikeDeclaration;
  const body = fn.body;
  let ret: ts.Expression | undefined;
  if (body && !ts.isBlock(body)) ret = body;
  else if (body) { const last = body.statements[body.statements.length - 1]; if (last && ts.isReturnStatement(last)) ret = last.expression; }
  return ret ? evaluate(fv.model, ret) : { kind: 'unknown', node: fn };
}

/** `super({...})` inside `class X extends PassportStrategy(Strategy)` with passport-jwt's Strategy. */
function nestStrategySite(model: FileModel, call: ts.CallExpression): JwtVerifySite | undefined {
  let cls: ts.ClassLikeDeclaration | undefined;
  for (let p: ts.Node | undefined = call.parent; p; p = p.parent) if (ts.isClassLike(p)) { cls = p; break; }
  const ext = cls?.heritageClauses?.find((h) => h.token === SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!ext || !ts.isCallExpression(ext)) return undefined;
  if (model.librarySymbol(ext.expression) !== '@nestjs/passport.PassportStrategy') return undefined;
  if (!ext.arguments[0] || model.librarySymbol(ext.arguments[0]) !== 'passport-jwt.Strategy') return undefined;
  const options = evaluateOptions(model, call.arguments[0]);
  return { library: 'passport-jwt', kind: 'middleware', symbol: 'passport-jwt.Strategy', node: call, options, optionsExpr: call.arguments[0], optionsIndex: 0,
    key: middlewareKey('passport-jwt', options), algorithmsKey: 'algorithms', audienceKey: 'audience' };
}

/** `app.register(fastifyJwt, { secret, verify: {...} })`: the plugin-level verify defaults. */
function fastifyPluginSite(model: FileModel, call: ts.CallExpression): JwtVerifySite | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'register' || call.arguments.length < 2) return undefined;
  const plugin = model.librarySymbol(call.arguments[0]);
  if (!plugin || !/^(@fastify\/jwt|fastify-jwt)(\.default)?$/.test(plugin)) return undefined;
  const all = evaluateOptions(model, call.arguments[1]);
  if (all.kind !== 'object') return undefined;
  const vo = all.props.get('verify');
  const options: Value = vo?.valueNode ? evaluateOptions(vo.model, vo.valueNode)
    : vo ? { kind: 'unknown', node: vo.node } : { kind: 'object', props: new Map(), hasUnknownSpread: all.hasUnknownSpread, node: call };
  let key = optionExpr(all, 'secret');
  const sv = key ? evaluate(key.model, key.expr) : undefined;
  if (sv?.kind === 'object') key = optionExpr(sv, 'public') ?? key;
  return { library: '@fastify/jwt', kind: 'plugin', symbol: '@fastify/jwt.register', node: call, options, optionsExpr: vo?.valueNode, key,
    algorithmsKey: 'algorithms', audienceKey: 'allowedAud' };
}

/** The property entry of an option, when the options are a known object. */
export function optionEntry(site: JwtVerifySite, name: string): PropEntry | undefined {
  return site.options.kind === 'object' ? site.options.props.get(name) : undefined;
}

export function optionValue(site: JwtVerifySite, name: string): Value | undefined {
  return propValue(site.options, name);
}

/** True when the options are fully known (an object without unresolved spreads). */
export function optionsFullyKnown(site: JwtVerifySite): boolean {
  return site.options.kind === 'object' && !site.options.hasUnknownSpread;
}

/**
 * The jsonwebtoken major (8 = before 9, 9 = 9 or later) that will run this verification, from the lockfile or the
 * package.json range (only when the whole range is on one side): directly, or
 * through the wrapper library's own dependency (express-jwt 8 / passport-jwt 4.0.1 / koa-jwt 4.0.4 /
 * @nestjs/jwt 10 depend on jsonwebtoken 9). Undefined when unknown or not jsonwebtoken-based.
 */
export function jsonwebtokenMajor(project: Project, site: { library: SiteLibrary }, fromFile: string): number | undefined {
  const at = (pkg: string, min: Version) => { const r = versionVersus(project, pkg, fromFile, min); return r === undefined ? undefined : r === 'atLeast' ? 9 : 8; };
  switch (site.library) {
    case 'jsonwebtoken': return at('jsonwebtoken', [9, 0, 0]);
    case 'express-jwt': return at('express-jwt', [8, 0, 0]);
    case 'passport-jwt': return at('passport-jwt', [4, 0, 1]);
    case 'koa-jwt': return at('koa-jwt', [4, 0, 4]);
    case '@nestjs/jwt': return at('@nestjs/jwt', [10, 0, 0]);
    default: return undefined;
  }
}

/** Whether the verifier is built on jsonwebtoken (so its option names and version facts apply). */
export function usesJsonwebtoken(library: SiteLibrary): boolean {
  return library === 'jsonwebtoken' || library === 'express-jwt' || library === 'koa-jwt' || library === 'passport-jwt' || library === '@nestjs/jwt';
}

/** The string values an `algorithms`/`alg` value may hold, with their nodes (arrays, single strings, unions). */
export function algorithmValues(v: Value | undefined): { value: string; node: ts.Node }[] {
  if (!v) return [];
  const out: { value: string; node: ts.Node }[] = [];
  const add = (x: Value) => {
    if (x.kind === 'string') out.push({ value: x.value, node: x.node });
    else if (x.kind === 'array') x.elements.forEach(add);
    else if (x.kind === 'union') x.options.forEach(add);
  };
  add(v);
  return out;
}

/** Finds the array literal written in source for an algorithms value (for element edits), if any. */
export function algorithmsArrayLiteral(entry: PropEntry | undefined): ts.ArrayLiteralExpression | undefined {
  if (!entry?.valueNode) return undefined;
  let e = skipOuter(entry.valueNode);
  if (ts.isIdentifier(e)) {
    const v = evaluate(entry.model, e);
    if (v.kind === 'array' && ts.isArrayLiteralExpression(v.node)) return v.node;
    return undefined;
  }
  e = skipOuter(e);
  return ts.isArrayLiteralExpression(e) ? e : undefined;
}

/** Identity of a key for "same key signs and verifies" comparisons: env name, literal value or source text. */
export function keyIdentity(model: FileModel, expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const v = evaluate(model, expr);
  if (v.kind === 'env') return `env:${v.name}`;
  if (v.kind === 'string') return `str:${v.value}`;
  if (v.kind === 'union') {
    const env = v.options.find((o) => o.kind === 'env');
    if (env && env.kind === 'env') return `env:${env.name}`;
  }
  const text = skipOuter(expr).getText().replace(/^this\./, '');
  return `text:${text}`;
}

/** What kind of key material a site verifies with (hono `jwk()` always uses a JWKS). */
export function siteKeyKind(site: JwtVerifySite): ReturnType<typeof keyKind> {
  if (site.symbol === 'hono/jwk.jwk') return 'jwks';
  if (!site.key) return 'unknown';
  // Follow a variable to the call that made the key (`const key = createPublicKey(pem)`).
  const v = evaluate(site.key.model, site.key.expr);
  const sym = v.kind === 'unknown' ? v.symbol ?? '' : '';
  if (/^jwks-rsa\.(expressJwtSecret|koaJwtSecret|passportJwtSecret)$|^jose\.create(Remote|Local)JWKSet$/.test(sym)) return 'jwks';
  if (/^crypto\.createPublicKey$|^jose\.import(SPKI|X509)$/.test(sym)) return 'public';
  if (/^crypto\.createPrivateKey$|^jose\.importPKCS8$/.test(sym)) return 'private';
  if (/^crypto\.(createSecretKey|randomBytes)$/.test(sym)) return 'secret';
  return keyKind(site.key.model, site.key.expr);
}

/**
 * Identities (see `keyIdentity`) of every key this workspace signs JWTs with: `jwt.sign(p, KEY)`, jose
 * `SignJWT#sign(KEY)`, hono `sign(p, KEY)`, Nest `JwtModule` `secret`/`privateKey` (with `JwtService#sign` calls
 * or a module that can sign). A verifier whose key is among them checks first-party tokens.
 */
export function signingKeyIdentities(project: Project): Set<string> {
  return project.memo('jwt:signingKeyIdentities', () =>
    new Set(project.gather('jwt:signingKeyIdentities', ['jsonwebtoken', 'jose', 'hono', '@nestjs/jwt'], fileSigningKeyIdentities)));
}

/** One file's part of `signingKeyIdentities`. */
function fileSigningKeyIdentities(m: FileModel): string[] {
  const out: string[] = [];
  for (const n of m.callNodes()) {
    const c = m.resolveCall(n);
    if (!c) continue;
    if (c.symbol === 'jsonwebtoken.sign' || c.symbol === 'hono/jwt.sign' || c.symbol === 'hono/utils/jwt/jwt.sign') {
      const id = keyIdentity(m, c.args[1]);
      if (id) out.push(id);
    } else if (c.symbol === '@nestjs/jwt.JwtService#sign' || c.symbol === '@nestjs/jwt.JwtService#signAsync') {
      const o = evaluate(m, c.args[1]);
      for (const k of ['secret', 'privateKey']) {
        const e = optionExpr(o, k);
        const id = e && keyIdentity(e.model, e.expr);
        if (id) out.push(id);
      }
    } else if (c.symbol === 'jose.SignJWT#sign') {
      const id = keyIdentity(m, c.args[0]);
      if (id) out.push(id);
    } else if (JWT_MODULE_CALLS.includes(c.symbol)) {
      let v = evaluate(m, c.args[0]);
      if (c.symbol.endsWith('registerAsync')) v = factoryResult(v);
      for (const k of ['secret', 'privateKey']) {
        const e = optionExpr(v, k);
        const id = e && keyIdentity(e.model, e.expr);
        if (id) out.push(id);
      }
    }
  }
  return out;
}

/** Issuer strings this workspace puts into the tokens it signs (sign options `issuer`, jose `setIssuer`). */
export function signingIssuers(project: Project): Set<string> {
  return project.memo('jwt:signingIssuers', () =>
    new Set(project.gather('jwt:signingIssuers', ['jsonwebtoken', 'jose', '@nestjs/jwt'], fileSigningIssuers)));
}

/** One file's part of `signingIssuers`. */
function fileSigningIssuers(m: FileModel): string[] {
  const out: string[] = [];
  const add = (v: Value | undefined) => { for (const p of v ? (v.kind === 'union' ? v.options : [v]) : []) if (p.kind === 'string') out.push(p.value); };
  for (const n of m.callNodes()) {
    const c = m.resolveCall(n);
    if (c?.symbol === 'jsonwebtoken.sign') add(propValue(evaluate(m, c.args[2]), 'issuer'));
    else if (c?.symbol === '@nestjs/jwt.JwtService#sign' || c?.symbol === '@nestjs/jwt.JwtService#signAsync') add(propValue(evaluate(m, c.args[1]), 'issuer'));
    else if (c?.symbol === 'jose.SignJWT#setIssuer') add(evaluate(m, c.args[0]));
    else if (c && JWT_MODULE_CALLS.includes(c.symbol)) {
      let v = evaluate(m, c.args[0]);
      if (c.symbol.endsWith('registerAsync')) v = factoryResult(v);
      const so = propValue(v, 'signOptions');
      add(so ? propValue(so, 'issuer') : undefined);
    }
  }
  return out;
}
