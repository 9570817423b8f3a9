import ts = require('typescript');
import { CodeFix, defineRule } from '../../engine/types';
import type { FileModel } from '../../model/fileModel';
import { skipOuter } from '../../model/imports';
import { inferAlgorithm } from '../../model/jwtApi';
import { isHeaderAlg, isKeyResolver, mentionsHeaderAlg } from '../../model/jwtHeader';
import { JwtVerifySite, optionEntry, verifySiteVisitors } from '../../model/jwtSites';
import { findDeclaration } from '../../model/scope';
import { JWT_RELEVANCE } from '../../model/jwtRelevance';

const { SyntaxKind } = ts;

export default defineRule({
  meta: {
    relevance: JWT_RELEVANCE,
    id: 'jwt/algorithm-from-token-header',
    title: 'Verification algorithm chosen from the untrusted token header',
    description: "The algorithm list or the key type is taken from the token's own (unverified) header: the attacker picks the algorithm.",
    defaultSeverity: 'error',
    checklist: ['jwt-verification'],
    owasp: ['API2'],
    cwe: [347, 757],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
  },
  create(context) {
    const model = context.model;
    const sf = context.sourceFile;
    const inFile = (n: ts.Node | undefined): n is ts.Node => !!n && n.getSourceFile() === sf;
    const severity = context.isTestLike ? 'info' as const : 'error' as const;

    const onSite = (site: JwtVerifySite) => {
      const fallbackAlg = (site.key && inferAlgorithm(site.key.model, site.key.expr)) ?? 'RS256';
      // 1. algorithms / alg option fed by the header.
      const entry = optionEntry(site, site.algorithmsKey);
      if (entry?.valueNode && inFile(entry.valueNode)) {
        const hit = headerAlgIn(model, entry.valueNode);
        if (hit && !guarded(model, hit)) {
          const list = site.algorithmsKey === 'algorithms';
          const suggestions: CodeFix[] = [{ title: `Pin the algorithm instead: ${list ? `['${fallbackAlg}']` : `'${fallbackAlg}'`} (check the one your tokens are signed with)`, edits: [{ fileName: sf.fileName, start: entry.valueNode.getStart(sf), end: entry.valueNode.getEnd(), newText: list ? `['${fallbackAlg}']` : `'${fallbackAlg}'` }] }];
          context.report({ node: hit, severity, suggestions, message: `The accepted JWT algorithm comes from the token's own unverified header: an attacker chooses it (e.g. HS256 with the public key as secret). Pin the algorithm list.` });
          return;
        }
      }
      // 2. hono verify(t, k, header.alg)
      if (site.algArg && inFile(site.algArg) && isHeaderAlg(model, site.algArg) && !guarded(model, site.algArg)) {
        context.report({
          node: site.algArg, severity,
          suggestions: [{ title: `Pin the algorithm: '${fallbackAlg}'`, edits: [{ fileName: sf.fileName, start: site.algArg.getStart(sf), end: site.algArg.getEnd(), newText: `'${fallbackAlg}'` }] }],
          message: "The verification algorithm comes from the token's own unverified header: an attacker chooses it. Pin the algorithm.",
        });
        return;
      }
      // 3. the key (type) chosen from the header alg.
      if (site.key && inFile(site.key.expr)) {
        const sel = keySelection(model, site.key.expr);
        if (sel && !guarded(model, sel)) {
          context.report({ node: sel, severity, message: "The verification key is chosen by the token's own unverified `alg` header: an attacker can switch to HMAC and have a public key used as the secret. Choose the key by `kid` and pin `algorithms`." });
        }
      }
    };
    return verifySiteVisitors(context, onSite, { jose: true });
  },
});

/** The first header-alg expression in an algorithms value (`[header.alg]`, `alg`, `[alg] as Algorithm[]`, a const array). */
function headerAlgIn(model: FileModel, value: ts.Expression): ts.Expression | undefined {
  let e = skipOuter(value);
  if (ts.isIdentifier(e) && !isHeaderAlg(model, e)) {
    const d = findDeclaration(e);
    if (d?.kind === 'variable' && d.initializer && !d.path && d.declaration.getSourceFile() === value.getSourceFile()) e = skipOuter(d.initializer);
  }
  if (ts.isArrayLiteralExpression(e)) {
    for (const el of e.elements) {
      const x = ts.isSpreadElement(el) ? el.expression : el;
      if (isHeaderAlg(model, x)) return x;
    }
    return undefined;
  }
  return isHeaderAlg(model, e) ? e : undefined;
}

/** A conditional (`alg.startsWith('HS') ? secret : pub`) on the header alg that picks the key, directly or in a key resolver. */
function keySelection(model: FileModel, keyExpr: ts.Expression): ts.Node | undefined {
  let e = skipOuter(keyExpr);
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (d?.kind === 'variable' && d.initializer && !d.path) e = skipOuter(d.initializer);
    else if (d?.kind === 'function' && ts.isFunctionDeclaration(d.declaration)) return resolverSelection(model, d.declaration);
  }
  if (ts.isConditionalExpression(e) && mentionsHeaderAlg(model, e.condition)) return e;
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return resolverSelection(model, e);
  return undefined;
}

function resolverSelection(model: FileModel, fn: ts.SignatureDeclaration): ts.Node | undefined {
  if (!isKeyResolver(model, fn)) return undefined;
  let hit: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (hit) return;
    if (ts.isConditionalExpression(n) && mentionsHeaderAlg(model, n.condition)) { hit = n; return; }
    if (ts.isIfStatement(n) && mentionsHeaderAlg(model, n.expression) && !rejects(n.thenStatement) && !(n.elseStatement && rejects(n.elseStatement))) { hit = n.expression; return; }
    if (n !== fn && ts.isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return hit;
}

/** A branch that throws or reports an error (an allow-list guard, not a key choice). */
function rejects(st: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isThrowStatement(n)) { found = true; return; }
    if (ts.isNewExpression(n) && /Error$/.test(n.expression.getText())) { found = true; return; }
    if (ts.isCallExpression(n) && /reject$/.test(n.expression.getText())) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(st);
  return found;
}

/**
 * Allow-list guards (RULES.md FP controls): the use sits in the checked branch of an `if`/`?:`/`switch` on the
 * header alg, or an earlier statement rejects unexpected values (`if (!ALLOWED.includes(alg)) throw …`,
 * `assert(alg === 'RS256')`).
 */
function guarded(model: FileModel, use: ts.Node): boolean {
  for (let child: ts.Node = use, p: ts.Node | undefined = use.parent; p; child = p, p = p.parent) {
    if (ts.isIfStatement(p) && child !== p.expression && mentionsHeaderAlg(model, p.expression)) return true;
    if (ts.isConditionalExpression(p) && child !== p.condition && mentionsHeaderAlg(model, p.condition)) return true;
    if (ts.isCaseClause(p) && ts.isCaseBlock(p.parent) && mentionsHeaderAlg(model, p.parent.parent.expression)) return true;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken && child === p.right && mentionsHeaderAlg(model, p.left)) return true;
    if (ts.isBlock(p) || ts.isSourceFile(p)) {
      const idx = p.statements.indexOf(child as ts.Statement);
      for (let i = 0; i < idx; i++) {
        const st = p.statements[i];
        if (ts.isIfStatement(st) && mentionsHeaderAlg(model, st.expression) && exits(st.thenStatement)) return true;
        if (ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && /^(assert|invariant|ok)\b|^assert\./.test(st.expression.expression.getText())
          && st.expression.arguments.some((a) => mentionsHeaderAlg(model, a))) return true;
        if (ts.isSwitchStatement(st) && mentionsHeaderAlg(model, st.expression)) return true;
      }
    }
    if (ts.isFunctionLike(p) && !isInlineCallback(p)) break;
  }
  return false;
}

function isInlineCallback(fn: ts.Node): boolean {
  return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !!fn.parent && ts.isCallExpression(fn.parent);
}

function exits(st: ts.Statement): boolean {
  if (ts.isThrowStatement(st) || ts.isReturnStatement(st)) return true;
  if (ts.isBlock(st)) return st.statements.some((s) => ts.isThrowStatement(s) || ts.isReturnStatement(s));
  if (ts.isExpressionStatement(st)) return rejects(st);
  return false;
}
