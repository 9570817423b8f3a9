import ts = require('typescript');
import type { Project } from '../engine/project';
import type { ResolvedCall } from './calls';
import { evaluate, PropEntry, Value } from './constEval';
import type { FileModel } from './fileModel';
import { isFunctionArg } from './edits';
import { skipOuter } from './imports';

/** The JWT call surface of RULES.md section 2, as canonical symbols with argument positions. */
export interface JwtCallSpec {
  library: 'jsonwebtoken' | 'jose' | '@nestjs/jwt' | '@fastify/jwt' | 'hono';
  token?: number;
  payload?: number;
  key?: number;
  /** Where the options object is (or goes). */
  options?: number;
  /** hono: the algorithm is a positional argument. */
  algArg?: number;
}

export const VERIFY_CALLS: Record<string, JwtCallSpec> = {
  'jsonwebtoken.verify': { library: 'jsonwebtoken', token: 0, key: 1, options: 2 },
  '@nestjs/jwt.JwtService#verify': { library: '@nestjs/jwt', token: 0, options: 1 },
  '@nestjs/jwt.JwtService#verifyAsync': { library: '@nestjs/jwt', token: 0, options: 1 },
  '@fastify/jwt#jwtVerify': { library: '@fastify/jwt', options: 0 },
  '@fastify/jwt#jwt.verify': { library: '@fastify/jwt', token: 0, options: 1 },
  'hono/jwt.verify': { library: 'hono', token: 0, key: 1, algArg: 2 },
  'hono/utils/jwt/jwt.verify': { library: 'hono', token: 0, key: 1, algArg: 2 },
};

export const JOSE_VERIFY_CALLS: Record<string, JwtCallSpec> = {
  'jose.jwtVerify': { library: 'jose', token: 0, key: 1, options: 2 },
  'jose.compactVerify': { library: 'jose', token: 0, key: 1, options: 2 },
  'jose.flattenedVerify': { library: 'jose', token: 0, key: 1, options: 2 },
  'jose.generalVerify': { library: 'jose', token: 0, key: 1, options: 2 },
};

export const SIGN_CALLS: Record<string, JwtCallSpec> = {
  'jsonwebtoken.sign': { library: 'jsonwebtoken', payload: 0, key: 1, options: 2 },
  '@nestjs/jwt.JwtService#sign': { library: '@nestjs/jwt', payload: 0, options: 1 },
  '@nestjs/jwt.JwtService#signAsync': { library: '@nestjs/jwt', payload: 0, options: 1 },
  '@fastify/jwt#jwtSign': { library: '@fastify/jwt', payload: 0, options: 1 },
  '@fastify/jwt#jwt.sign': { library: '@fastify/jwt', payload: 0, options: 1 },
  'hono/jwt.sign': { library: 'hono', payload: 0, key: 1, algArg: 2 },
  'hono/utils/jwt/jwt.sign': { library: 'hono', payload: 0, key: 1, algArg: 2 },
  /** jose: `new SignJWT(payload)…sign(key)`; the payload is the constructor's argument. */
  'jose.SignJWT#sign': { library: 'jose', key: 0 },
};

export const DECODE_CALLS: Record<string, JwtCallSpec> = {
  'jsonwebtoken.decode': { library: 'jsonwebtoken', token: 0, options: 1 },
  'jose.decodeJwt': { library: 'jose', token: 0 },
  '@nestjs/jwt.JwtService#decode': { library: '@nestjs/jwt', token: 0 },
  'hono/jwt.decode': { library: 'hono', token: 0 },
  '@fastify/jwt#jwtDecode': { library: '@fastify/jwt' },
  '@fastify/jwt#jwt.decode': { library: '@fastify/jwt', token: 0 },
  'jwt-decode.default': { library: 'jose', token: 0 },
  'jwt-decode.jwtDecode': { library: 'jose', token: 0 },
};

/** Auth middleware / strategies that verify tokens from options objects (argument 0). */
export const MIDDLEWARE_CALLS: Record<string, { library: string; algorithmsKey: 'algorithms' | 'alg' }> = {
  'express-jwt.expressjwt': { library: 'express-jwt', algorithmsKey: 'algorithms' },
  'express-jwt.default': { library: 'express-jwt', algorithmsKey: 'algorithms' },
  'koa-jwt.default': { library: 'koa-jwt', algorithmsKey: 'algorithms' },
  'passport-jwt.Strategy': { library: 'passport-jwt', algorithmsKey: 'algorithms' },
  'hono/jwt.jwt': { library: 'hono', algorithmsKey: 'alg' },
  'hono/jwk.jwk': { library: 'hono', algorithmsKey: 'alg' },
};

export const JWT_MODULE_CALLS = ['@nestjs/jwt.JwtModule.register', '@nestjs/jwt.JwtModule.registerAsync'];

/**
 * The index where a call's options object is or would go. jsonwebtoken takes a callback last, so
 * `jwt.verify(t, k, cb)` has no options and they would be inserted at index 2, before `cb`.
 */
export function optionsArgument(call: ResolvedCall, spec: JwtCallSpec): { index: number; expr?: ts.Expression } | undefined {
  if (spec.options === undefined) return undefined;
  const a = call.args[spec.options];
  if (a && isFunctionArg(skipOuter(a))) return { index: spec.options };
  return { index: spec.options, expr: a };
}

/** Options object evaluated (E3); `absent` when no options were passed at all. */
export function evaluateOptions(model: FileModel, expr: ts.Expression | undefined): Value {
  if (!expr) return { kind: 'object', props: new Map<string, PropEntry>(), hasUnknownSpread: false, node: model.sourceFile };
  const v = evaluate(model, expr);
  if (v.kind === 'undefined' || v.kind === 'null') return { kind: 'object', props: new Map(), hasUnknownSpread: false, node: expr };
  return v;
}

/**
 * One part of a module or plugin configuration: `signOptions`/`verifyOptions` of `JwtModule.register`, `sign`/`verify`
 * of the `@fastify/jwt` plugin. An empty object when the configuration has no such part; `unknown` when the
 * configuration itself cannot be seen whole (not an object, or an unresolvable spread that could supply it).
 */
export function moduleSubOptions(config: Value, key: string): Value {
  if (config.kind !== 'object' || config.hasUnknownSpread) return { kind: 'unknown', node: config.node };
  const part = config.props.get(key);
  if (!part) return { kind: 'object', props: new Map(), hasUnknownSpread: false, node: config.node };
  return part.valueNode ? evaluateOptions(part.model, part.valueNode) : { kind: 'unknown', node: part.node };
}

/**
 * Module-level defaults for `JwtService` (RULES.md E3): the `verifyOptions`/`signOptions` of every
 * `JwtModule.register`/`registerAsync({ useFactory })` in the workspace. Undefined when none is visible.
 */
export function jwtModuleConfigs(project: Project): { options: Value; model: FileModel }[] {
  return project.gather('jwt:moduleConfigs', ['JwtModule'], fileJwtModuleConfigs);
}

/** One file's part of `jwtModuleConfigs`. */
function fileJwtModuleConfigs(m: FileModel): { options: Value; model: FileModel }[] {
  const out: { options: Value; model: FileModel }[] = [];
  for (const n of m.callNodes()) {
    const c = m.resolveCall(n);
    if (c && JWT_MODULE_CALLS.includes(c.symbol)) {
      let v = evaluate(m, c.args[0]);
      if (c.symbol.endsWith('registerAsync') && v.kind === 'object') {
        const factory = v.props.get('useFactory');
        const fv = factory?.valueNode ? evaluate(factory.model, factory.valueNode) : undefined;
        if (fv?.kind === 'function') {
          const fn = fv.node as ts.FunctionLikeDeclaration;
          const body = fn.body;
          let ret: ts.Expression | undefined;
          if (body && !ts.isBlock(body)) ret = body;
          else if (body) { const last = body.statements[body.statements.length - 1]; if (last && ts.isReturnStatement(last)) ret = last.expression; }
          v = ret ? evaluate(fv.model, ret) : { kind: 'unknown', node: fn };
        } else v = { kind: 'unknown', node: n };
      }
      out.push({ options: v, model: m });
    }
  }
  return out;
}

/** Major version of a dependency from package.json's range (`^9.0.2` → 9), undefined when unknown. */
export function majorVersion(project: Project, pkg: string, fromFile: string): number | undefined {
  const range = project.dependencyVersion(pkg, fromFile);
  const m = range && /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(range);
  return m ? Number(m[1]) : undefined;
}

export function versionAtLeast(project: Project, pkg: string, fromFile: string, min: [number, number, number]): boolean | undefined {
  const range = project.dependencyVersion(pkg, fromFile);
  const m = range && /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(range);
  if (!m) return undefined;
  const v = [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
  for (let i = 0; i < 3; i++) if (v[i] !== min[i]) return v[i] > min[i];
  return true;
}

const ASYMMETRIC = /^(RS|PS|ES)(256|384|512)$|^EdDSA$|^ES256K$/i;
const SYMMETRIC = /^HS(256|384|512)$/i;
export function isSymmetricAlg(a: string): boolean { return SYMMETRIC.test(a); }
export function isAsymmetricAlg(a: string): boolean { return ASYMMETRIC.test(a); }

/** What kind of key material an expression looks like (for algorithm inference and HMAC confusion). */
export function keyKind(model: FileModel, keyExpr: ts.Expression | undefined): 'public' | 'private' | 'secret' | 'jwks' | 'function' | 'unknown' {
  if (!keyExpr) return 'unknown';
  const e = skipOuter(keyExpr);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return 'function';
  if (ts.isCallExpression(e)) {
    const sym = model.librarySymbol(e.expression) ?? '';
    if (/jwks-rsa\.(expressJwtSecret|koaJwtSecret|passportJwtSecret)|jose\.create(Remote|Local)JWKSet/.test(sym)) return 'jwks';
    if (/crypto\.createPublicKey|jose\.importSPKI|jose\.importX509/.test(sym)) return 'public';
    if (/crypto\.createPrivateKey|jose\.importPKCS8/.test(sym)) return 'private';
    if (/crypto\.createSecretKey/.test(sym)) return 'secret';
  }
  const v = evaluate(model, e);
  if (v.kind === 'string') {
    if (/-----BEGIN (RSA |EC )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(v.value)) return 'public';
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v.value)) return 'private';
    return 'secret';
  }
  if (v.kind === 'file') {
    const p = v.path ?? '';
    if (/pub|public|\.crt|\.cer|cert/i.test(p)) return 'public';
    if (/priv|private|\.key$/i.test(p)) return 'private';
    return 'unknown';
  }
  if (v.kind === 'function') return 'function';
  const name = nameOf(e, v);
  if (name) {
    if (/public|pubkey|(^|_)pub(_|$)|cert|jwks/i.test(name)) return 'public';
    if (/private/i.test(name)) return 'private';
    if (/secret|hmac|jwt_?key|signing_?key/i.test(name)) return 'secret';
  }
  return 'unknown';
}

function nameOf(e: ts.Expression, v: Value): string | undefined {
  if (v.kind === 'env') return v.name;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression.text;
  return undefined;
}

/** Infers the algorithm a verify call should pin, from the key; `undefined` when nothing can be inferred. */
export function inferAlgorithm(model: FileModel, keyExpr: ts.Expression | undefined): string | undefined {
  switch (keyKind(model, keyExpr)) {
    case 'secret': return 'HS256';
    case 'public': case 'jwks': case 'private': return 'RS256';
    default: return undefined;
  }
}

/**
 * The `algorithm` used by `jsonwebtoken.sign` calls in the workspace with the same key expression text
 * (the "matching sign call" of RULES.md): the strongest inference there is.
 */
export function algorithmFromMatchingSign(project: Project, keyText: string | undefined): string | undefined {
  if (!keyText) return undefined;
  return signAlgorithmsByKey(project).get(keyText);
}

/** key expression text → `algorithm` of the first `jsonwebtoken.sign` using it, for the whole workspace (memoised). */
function signAlgorithmsByKey(project: Project): Map<string, string> {
  return project.memo('jwt:signAlgorithmsByKey', () => {
    const byKey = new Map<string, string>();
    for (const [k, alg] of project.gather('jwt:signAlgorithmsByKey', ['jsonwebtoken'], (m) => [...fileSignAlgorithmsByKey(m)])) if (!byKey.has(k)) byKey.set(k, alg);
    return byKey;
  });
}

/** One file's part of `signAlgorithmsByKey` (the first sign call per key text wins, in file order). */
function fileSignAlgorithmsByKey(m: FileModel): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const n of m.callNodes()) {
    if (n.arguments.length < 2) continue;
    const keyText = n.arguments[1].getText();
    if (byKey.has(keyText)) continue;
    const c = m.resolveCall(n);
    if (c?.symbol === 'jsonwebtoken.sign') {
      const o = c.args[2] ? evaluate(m, c.args[2]) : undefined;
      const alg = o?.kind === 'object' ? o.props.get('algorithm') : undefined;
      const av = alg?.valueNode ? evaluate(alg.model, alg.valueNode) : undefined;
      if (av?.kind === 'string') byKey.set(keyText, av.value);
    }
  }
  return byKey;
}
