import ts = require('typescript');
import type { Project } from '../engine/project';
import type { ResolvedCall } from './calls';
import { evaluate, PropEntry, propValue, Value } from './constEval';
import type { FileModel } from './fileModel';
import { skipOuter } from './imports';
import { evaluateOptions, JwtCallSpec, jwtModuleConfigs, moduleSubOptions, SIGN_CALLS } from './jwtApi';
import { factoryResult } from './jwtSites';
import { findDeclaration } from './scope';

const { SyntaxKind } = ts;

/**
 * Token-issuing sites (RULES.md section 2, "Sign-like"): the payload, the options as written at the call, the
 * module/plugin defaults that merge into them, and for jose the builder chain. Shared by the expiry, lifetime
 * and payload rules.
 */
export interface SignSite {
  call: ResolvedCall;
  spec: JwtCallSpec;
  library: JwtCallSpec['library'];
  /** The payload expression (jose: the `new SignJWT(payload)` argument). */
  payload?: ts.Expression;
  /** Call-site options. `kind: 'object'` with no props when none were passed; `unknown` when they cannot be seen. */
  options: Value;
  /** Where the options argument is, or where a new one would go; undefined when the API has none (hono, jose). */
  optionsIndex?: number;
  optionsExpr?: ts.Expression;
  /** jose builder chain. */
  jose?: JoseChain;
}

export interface JoseChain {
  /** `new SignJWT(payload)` when found. */
  root?: ts.NewExpression;
  /** Builder calls seen on the way (`setExpirationTime` → its calls). */
  setters: Map<string, ts.CallExpression[]>;
  /** False when the builder escapes (passed to a function, a parameter, reassigned): unseen setters may exist. */
  complete: boolean;
}

/** The sign site of a resolved sign call (SIGN_CALLS symbols). */
export function signSite(model: FileModel, call: ResolvedCall): SignSite | undefined {
  const spec = SIGN_CALLS[call.symbol];
  if (!spec) return undefined;
  if (spec.library === 'jose') {
    if (call.wrapper || !ts.isCallExpression(call.node) || !ts.isPropertyAccessExpression(call.node.expression)) return undefined;
    const jose = joseChain(call.node.expression.expression);
    return { call, spec, library: 'jose', payload: jose.root?.arguments?.[0], options: { kind: 'object', props: new Map(), hasUnknownSpread: false, node: call.node }, jose };
  }
  const payload = spec.payload !== undefined ? call.args[spec.payload] : undefined;
  if (spec.options === undefined) return { call, spec, library: spec.library, payload, options: { kind: 'object', props: new Map(), hasUnknownSpread: false, node: call.node } };
  const raw = call.args[spec.options];
  let optionsExpr: ts.Expression | undefined = raw;
  let options: Value;
  if (!raw) options = evaluateOptions(model, undefined);
  else if (isCallbackArg(model, raw)) { optionsExpr = undefined; options = evaluateOptions(model, undefined); }
  else options = evaluateOptions(model, raw);
  // @fastify/jwt `reply.jwtSign(payload, { sign: { expiresIn } })`: nested form
  if (spec.library === '@fastify/jwt' && options.kind === 'object' && options.props.has('sign')) {
    const nested = propValue(options, 'sign');
    if (nested && nested.kind === 'object') options = { ...nested, props: new Map([...options.props, ...nested.props]) };
  }
  return { call, spec, library: spec.library, payload, options, optionsIndex: spec.options, optionsExpr };
}

/** A trailing callback in the options slot (`jwt.sign(p, k, cb)`, `fastify.jwt.sign(p, cb)`). */
function isCallbackArg(model: FileModel, e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (ts.isArrowFunction(x) || ts.isFunctionExpression(x)) return true;
  if (ts.isIdentifier(x)) return evaluate(model, x).kind === 'function';
  return false;
}

/** Walks `new SignJWT(p).setA().setB()` (or a builder variable and its statements) back from `.sign`'s receiver. */
export function joseChain(receiver: ts.Expression): JoseChain {
  const setters = new Map<string, ts.CallExpression[]>();
  const add = (name: string, c: ts.CallExpression) => { if (!setters.has(name)) setters.set(name, []); setters.get(name)!.push(c); };
  let complete = true;
  let e: ts.Expression = skipOuter(receiver);
  const seen = new Set<ts.Node>();
  for (let i = 0; i < 30; i++) {
    if (seen.has(e)) break;
    seen.add(e);
    if (ts.isAwaitExpression(e)) { e = skipOuter(e.expression); continue; }
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) { add(e.expression.name.text, e); e = skipOuter(e.expression.expression); continue; }
    if (ts.isNewExpression(e)) return { root: e, setters, complete };
    if (ts.isIdentifier(e)) {
      const d = findDeclaration(e);
      if (!d || d.kind !== 'variable' || !d.initializer || d.path) return { setters, complete: false };
      // statements on the builder variable: `jwt.setExpirationTime('1h')`
      const scope = scopeOf(d.nameNode);
      let escapes = false;
      if (scope) {
        const visit = (n: ts.Node): void => {
          if (ts.isIdentifier(n) && n !== d.nameNode && n.text === d.name && findDeclaration(n) === d) {
            const p = n.parent;
            if (ts.isPropertyAccessExpression(p) && p.expression === n) {
              if (ts.isCallExpression(p.parent) && p.parent.expression === p) add(p.name.text, p.parent);
            } else if (!ts.isExpressionStatement(p)) {
              // reassigned, passed along (`configure(jwt)`), returned: setters may be called elsewhere
              escapes = true;
            }
          }
          ts.forEachChild(n, visit);
        };
        visit(scope);
      }
      if (escapes) complete = false;
      e = skipOuter(d.initializer);
      continue;
    }
    return { setters, complete: false };
  }
  return { setters, complete: false };
}

function scopeOf(n: ts.Node): ts.Node | undefined {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (ts.isFunctionLike(p) || ts.isSourceFile(p)) return p;
  return undefined;
}

/** The `expiresIn`-like option of a sign site's own options: entry + value, or undefined when absent. */
export function optionEntry(v: Value, name: string): PropEntry | undefined {
  return v.kind === 'object' ? v.props.get(name) : undefined;
}

/**
 * Module/plugin defaults merged into a sign site's options (RULES.md E3): every `JwtModule.register*` `signOptions`
 * for `JwtService`, every `fastify.register(fastifyJwt, { sign })` for @fastify/jwt. `unknown` entries mean a
 * configuration exists that cannot be read.
 */
export interface DefaultsSource { options: Value; model: FileModel; node: ts.Node }

export function signDefaults(project: Project, library: SignSite['library']): DefaultsSource[] | undefined {
  const part = (config: Value, key: string, model: FileModel, node: ts.Node): DefaultsSource => {
    // A configuration that is not an object literal is passed on as it is (consumers treat it as unknown).
    if (config.kind !== 'object') return { options: config, model, node };
    const at = config.hasUnknownSpread ? undefined : config.props.get(key)?.node;
    return { options: moduleSubOptions(config, key), model, node: at ?? node };
  };
  if (library === '@nestjs/jwt') return jwtModuleConfigs(project).map((m) => part(m.options, 'signOptions', m.model, m.options.node));
  if (library === '@fastify/jwt') return fastifyJwtPluginOptions(project).map((p) => part(p.options, 'sign', p.model, p.node));
  return [];
}

/** Every `X.register(fastifyJwt, options)` in the workspace, with the evaluated plugin options. */
export function fastifyJwtPluginOptions(project: Project): { options: Value; model: FileModel; node: ts.Node }[] {
  return project.gather('jwt:fastifyPluginOptions', ['@fastify/jwt', 'fastify-jwt'], (m) => {
    const acc: { options: Value; model: FileModel; node: ts.Node }[] = [];
    for (const n of m.callNodes()) if (ts.isCallExpression(n) && isFastifyJwtRegister(m, n)) acc.push({ options: evaluateOptions(m, n.arguments[1]), model: m, node: n });
    return acc;
  });
}

export function isFastifyJwtRegister(model: FileModel, call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'register' || call.arguments.length < 1) return false;
  const plugin = model.librarySymbol(call.arguments[0]);
  return !!plugin && /^(@fastify\/jwt|fastify-jwt)(\.default|\.fastifyJwt)?$/.test(plugin);
}

/** Nest `JwtModule.register(opts)` / `registerAsync({ useFactory })` options as one evaluated value. */
export function jwtModuleOptions(model: FileModel, call: ResolvedCall): Value {
  const v = evaluate(model, call.args[0]);
  return call.symbol.endsWith('registerAsync') ? factoryResult(v) : v;
}

/**
 * True when an object held in a variable is changed after its literal was written (`opts.expiresIn = '1h'`,
 * `payload['exp'] = …`, `Object.assign(opts, …)`, `delete payload.password`): its evaluated literal is then not the
 * whole story. `props` narrows the question to these property names (undefined: any property).
 */
export function isMutatedObject(expr: ts.Expression | undefined, props?: string[]): boolean {
  if (!expr) return false;
  const e = skipOuter(expr);
  if (!ts.isIdentifier(e)) return false;
  const d = findDeclaration(e);
  if (!d || d.kind === 'import') return false;
  let scope: ts.Node | undefined = d.nameNode;
  while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (!scope) return false;
  const name = d.name;
  const refersHere = (id: ts.Node) => ts.isIdentifier(id) && id.text === name && findDeclaration(id) === d;
  const propOf = (n: ts.Expression): string | undefined => ts.isPropertyAccessExpression(n) ? n.name.text
    : ts.isElementAccessExpression(n) ? (ts.isStringLiteralLike(n.argumentExpression) ? n.argumentExpression.text : '*') : undefined;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= SyntaxKind.FirstAssignment && n.operatorToken.kind <= SyntaxKind.LastAssignment) {
      const l = skipOuter(n.left);
      if ((ts.isPropertyAccessExpression(l) || ts.isElementAccessExpression(l)) && refersHere(skipOuter(l.expression))) {
        const p = propOf(l);
        if (!props || p === '*' || (p && props.includes(p))) found = true;
      }
    }
    if (ts.isDeleteExpression(n)) {
      const x = skipOuter(n.expression);
      if ((ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) && refersHere(skipOuter(x.expression))) {
        const p = propOf(x);
        if (!props || p === '*' || (p && props.includes(p))) found = true;
      }
    }
    if (ts.isCallExpression(n) && n.arguments[0] && refersHere(skipOuter(n.arguments[0]))) {
      const c = n.expression;
      if (ts.isPropertyAccessExpression(c) && /^(assign|defineProperty|merge|extend|set)$/.test(c.name.text)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}
