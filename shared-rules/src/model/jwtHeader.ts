import ts = require('typescript');
import { evaluate } from './constEval';
import type { FileModel } from './fileModel';
import { skipOuter } from './imports';
import { JOSE_VERIFY_CALLS, VERIFY_CALLS } from './jwtApi';
import { Declaration, findDeclaration } from './scope';

/**
 * Values read from the header of a token that has not been verified yet (RULES.md `jwt/algorithm-from-token-header`):
 * `jwt.decode(t, { complete: true }).header`, jose `decodeProtectedHeader(t)`, the header parameter of a key
 * resolver (`jwt.verify(t, (header, cb) => …)`, `jwtVerify(t, (protectedHeader) => …)`), and a hand-parsed first
 * token segment (`JSON.parse(Buffer.from(t.split('.')[0], 'base64url').toString())`).
 */

const COMPLETE_DECODERS = new Set(['jsonwebtoken.decode', '@nestjs/jwt.JwtService#decode', '@fastify/jwt#jwt.decode']);

/** True when `expr` denotes the untrusted header object of a token. */
export function isHeaderObject(model: FileModel, expr: ts.Expression, depth = 0): boolean {
  if (depth > 6) return false;
  const e = skipOuter(expr);
  if (ts.isCallExpression(e)) {
    const c = model.resolveCall(e);
    if (c?.symbol === 'jose.decodeProtectedHeader') return true;
    if (isJsonParseOfFirstSegment(e)) return true;
    return false;
  }
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'header') return isCompleteDecode(model, e.expression, depth + 1);
  if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression) && e.argumentExpression.text === 'header') return isCompleteDecode(model, e.expression, depth + 1);
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (!d) return false;
    if (d.kind === 'parameter') return !d.path && isResolverHeaderParam(model, d);
    return declarationIs(model, d, depth, (init, path) => {
      if (path.length === 0) return isHeaderObject(model, init, depth + 1);
      if (path.length === 1 && path[0] === 'header') return isCompleteDecode(model, init, depth + 1);
      return false;
    });
  }
  return false;
}

/** True when `expr` is (derived from) the `alg` of an untrusted header. */
export function isHeaderAlg(model: FileModel, expr: ts.Expression, depth = 0): boolean {
  if (depth > 6) return false;
  const e = skipOuter(expr);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const name = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : undefined;
    if (name === 'alg') return isHeaderObject(model, e.expression, depth + 1);
    return false;
  }
  if (ts.isCallExpression(e)) {
    // alg.toUpperCase(), String(alg)
    if (ts.isPropertyAccessExpression(e.expression) && /^(toUpperCase|toLowerCase|trim|toString)$/.test(e.expression.name.text)) return isHeaderAlg(model, e.expression.expression, depth + 1);
    if (ts.isIdentifier(e.expression) && e.expression.text === 'String' && e.arguments[0]) return isHeaderAlg(model, e.arguments[0], depth + 1);
    return false;
  }
  if (ts.isTemplateExpression(e)) return e.templateSpans.some((s) => isHeaderAlg(model, s.expression, depth + 1));
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (!d) return false;
    if (d.kind === 'parameter') return !!d.path && d.path.length === 1 && d.path[0] === 'alg' && isResolverHeaderParam(model, d);
    return declarationIs(model, d, depth, (init, path) => {
      if (path.length === 0) return isHeaderAlg(model, init, depth + 1);
      if (path.length === 1 && path[0] === 'alg') return isHeaderObject(model, init, depth + 1);
      if (path.length === 2 && path[0] === 'header' && path[1] === 'alg') return isCompleteDecode(model, init, depth + 1);
      return false;
    });
  }
  return false;
}

/** True when any sub-expression of `node` reads an untrusted header `alg`. */
export function mentionsHeaderAlg(model: FileModel, node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isExpression(n) && (ts.isIdentifier(n) || ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && isHeaderAlg(model, n)) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function declarationIs(model: FileModel, d: Declaration, depth: number, test: (init: ts.Expression, path: string[]) => boolean): boolean {
  if (d.kind !== 'variable' || !d.initializer) return false;
  if (!d.isConst && !ts.isVariableDeclaration(d.declaration)) return false;
  void model; void depth;
  return test(d.initializer, d.path ?? []);
}

function isCompleteDecode(model: FileModel, expr: ts.Expression, depth: number): boolean {
  if (depth > 6) return false;
  const e = skipOuter(expr);
  if (ts.isCallExpression(e)) {
    const c = model.resolveCall(e);
    if (!c || !COMPLETE_DECODERS.has(c.symbol)) return false;
    const o = evaluate(model, c.args[1]);
    if (o.kind !== 'object') return false;
    const p = o.props.get('complete');
    const v = p?.valueNode ? evaluate(p.model, p.valueNode) : undefined;
    return v?.kind === 'boolean' && v.value;
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (!d || d.kind !== 'variable' || !d.initializer || d.path) return false;
    return isCompleteDecode(model, d.initializer, depth + 1);
  }
  return false;
}

/** `JSON.parse(<...t.split('.')[0]...>)`: a hand-decoded header segment. */
function isJsonParseOfFirstSegment(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'parse' || callee.expression.getText() !== 'JSON' || !call.arguments[0]) return false;
  return /\.split\(\s*(['"`])\.\1\s*\)\s*\[\s*0\s*\]/.test(call.arguments[0].getText());
}

const resolverCache = new WeakMap<ts.Node, boolean>();

/** The first parameter of a function used as a key resolver of a verify call (jsonwebtoken, jose). */
function isResolverHeaderParam(model: FileModel, d: Declaration): boolean {
  const fn = d.declaration.parent;
  if (!fn || !ts.isFunctionLike(fn) || fn.parameters[0] !== d.declaration) return false;
  const cached = resolverCache.get(fn);
  if (cached !== undefined) return cached;
  resolverCache.set(fn, false);
  const result = isKeyResolver(model, fn);
  resolverCache.set(fn, result);
  return result;
}

export function isKeyResolver(model: FileModel, fn: ts.SignatureDeclaration): boolean {
  const isVerifyKeyArg = (arg: ts.Node): boolean => {
    const call = arg.parent;
    if (!call || !ts.isCallExpression(call) || call.arguments[1] !== arg) return false;
    const c = model.resolveCall(call);
    return !!c && (!!VERIFY_CALLS[c.symbol] || !!JOSE_VERIFY_CALLS[c.symbol]);
  };
  // Passed directly: jwt.verify(t, (header, cb) => …)
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && isVerifyKeyArg(fn)) return true;
  // Named: function getKey(header, cb) {…} / const getKey = (header) => …, passed by name in this file.
  let name: string | undefined;
  if (ts.isFunctionDeclaration(fn) && fn.name) name = fn.name.text;
  else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) name = fn.parent.name.text;
  if (!name) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n.text === name && isVerifyKeyArg(n)) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(model.sourceFile);
  return found;
}
