import ts = require('typescript');
import { skipOuter } from './imports';
import { findDeclaration } from './scope';

const { SyntaxKind } = ts;

/**
 * Request-input sources, inside one function (RULES.md E6, "taint lite"): does this expression come from the
 * HTTP request (headers, cookies, query, body, params) of Express, Fastify, Koa, Hono, Next.js or Nest?
 * Follows local variables, destructuring, property reads, template literals, `.split()/.slice()/.replace()`
 * and String/Number conversions. Returns the source expression (for related locations), or undefined.
 */
const REQUEST_OBJECTS = /^(req|request|ctx|context|c|event)$/;
const REQUEST_PARTS = new Set(['headers', 'header', 'get', 'cookies', 'signedCookies', 'query', 'body', 'params', 'param', 'json', 'parseBody', 'formData', 'searchParams', 'nextUrl', 'url', 'req', 'request', 'raw', 'rawBody', 'payload']);
const NEST_PARAM_DECORATORS = /^(Body|Query|Param|Headers|Req|Request|Cookies|Ip)$/;

export function requestSource(expr: ts.Expression | undefined, depth = 0): ts.Expression | undefined {
  if (!expr || depth > 12) return undefined;
  const e = skipOuter(expr);
  if (ts.isAwaitExpression(e)) return requestSource(e.expression, depth + 1);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    if (isRequestAccess(e)) return e;
    return requestSource(e.expression, depth + 1);
  }
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(e.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      // req.get('authorization'), req.header('x'), c.req.header('x'), request.headers.get('x'), cookies().get('x')
      if (isRequestAccess(callee)) return e;
      const m = callee.name.text;
      if (/^(split|slice|substring|substr|replace|replaceAll|trim|toString|toLowerCase|toUpperCase|at|pop|shift)$/.test(m)) return requestSource(callee.expression, depth + 1);
      if (m === 'get' && requestSource(callee.expression, depth + 1)) return e;
    }
    if (ts.isIdentifier(callee) && /^(String|Number|decodeURIComponent|atob)$/.test(callee.text)) return requestSource(e.arguments[0], depth + 1);
    if (ts.isIdentifier(callee) && callee.text === 'cookies') return e; // next/headers cookies()
    if (ts.isIdentifier(callee) && callee.text === 'headers') return e; // next/headers headers()
    return undefined;
  }
  if (ts.isTemplateExpression(e)) {
    for (const s of e.templateSpans) { const r = requestSource(s.expression, depth + 1); if (r) return r; }
    return undefined;
  }
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === SyntaxKind.BarBarToken || e.operatorToken.kind === SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === SyntaxKind.PlusToken)) {
    return requestSource(e.left, depth + 1) ?? requestSource(e.right, depth + 1);
  }
  if (ts.isConditionalExpression(e)) return requestSource(e.whenTrue, depth + 1) ?? requestSource(e.whenFalse, depth + 1);
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (!d) return undefined;
    if (d.kind === 'parameter' && ts.isParameter(d.declaration)) {
      const decs = ts.canHaveDecorators(d.declaration) ? ts.getDecorators(d.declaration) ?? [] : [];
      for (const dec of decs) {
        const x = dec.expression;
        const name = ts.isCallExpression(x) ? x.expression.getText() : x.getText();
        if (NEST_PARAM_DECORATORS.test(name)) return e;
      }
      return undefined;
    }
    if (d.kind === 'variable' && d.initializer) {
      const base = requestSource(d.initializer, depth + 1);
      if (base) return base;
      // const { authorization } = req.headers
      return undefined;
    }
  }
  return undefined;
}

/** `req.headers`, `req.body.x`, `request.query`, `ctx.request.body`, `c.req.param()`: the request object's input parts. */
function isRequestAccess(e: ts.PropertyAccessExpression | ts.ElementAccessExpression): boolean {
  const chain: string[] = [];
  let cur: ts.Expression = e;
  while (ts.isPropertyAccessExpression(cur) || ts.isElementAccessExpression(cur)) {
    if (ts.isPropertyAccessExpression(cur)) chain.unshift(cur.name.text);
    else chain.unshift(ts.isStringLiteralLike(cur.argumentExpression) ? cur.argumentExpression.text : '*');
    cur = skipOuter(cur.expression);
  }
  if (cur.kind === SyntaxKind.ThisKeyword) return false;
  if (!ts.isIdentifier(cur) || !REQUEST_OBJECTS.test(cur.text)) return false;
  // ctx.request.body / c.req.header / event.node.req
  const parts = chain.filter((p) => p !== 'request' && p !== 'req' && p !== 'node');
  return parts.length > 0 && REQUEST_PARTS.has(parts[0]) && parts[0] !== 'req' && parts[0] !== 'request';
}
