import ts = require('typescript');
import { CodeFix, defineRule, Severity } from '../../engine/types';
import type { ResolvedCall } from '../../model/calls';
import { missingArgReportNode } from '../../model/calls';
import { evaluate, possibilities, propValue, Value } from '../../model/constEval';
import { removeListElement, replaceNode } from '../../model/edits';
import { skipOuter } from '../../model/imports';
import { evaluateOptions, inferAlgorithm, optionsArgument, SIGN_CALLS } from '../../model/jwtApi';
import {
  algorithmsArrayLiteral, algorithmValues, factoryResult, JwtVerifySite, jsonwebtokenMajor, optionEntry, verifySiteVisitors,
} from '../../model/jwtSites';
import { JWT_RELEVANCE } from '../../model/jwtRelevance';

const isNone = (s: string) => s.trim().toLowerCase() === 'none';

export default defineRule({
  meta: {
    relevance: JWT_RELEVANCE,
    id: 'jwt/none-algorithm',
    title: "'none' algorithm accepted or used",
    description: "Unsigned JWTs (`alg: 'none'`) are accepted or issued, or a verify call can never check a signature: anyone can forge such tokens.",
    defaultSeverity: 'error',
    checklist: ['jwt-verification'],
    owasp: ['API2'],
    cwe: [347, 327],
    scope: 'file',
    needsTypes: false,
    fixable: 'both',
  },
  create(context) {
    const model = context.model;
    const sev = (s: Severity): Severity => (context.isTestLike ? 'info' : s);
    const inFile = (n: ts.Node | undefined): n is ts.Node => !!n && n.getSourceFile() === context.sourceFile;

    // (a) 'none' in the accepted algorithms of any verify-like options.
    const onSite = (site: JwtVerifySite) => {
      if (site.library === 'hono' || site.library === 'jose') return; // neither can verify unsigned tokens
      const entry = optionEntry(site, site.algorithmsKey);
      if (!entry) return;
      const algs = algorithmValues(propValue(site.options, site.algorithmsKey));
      const nones = algs.filter((a) => isNone(a.value));
      if (nones.length === 0) return;
      const node = inFile(nones[0].node) ? nones[0].node : inFile(site.optionsExpr) ? site.optionsExpr : site.node;
      let fix: CodeFix | undefined;
      const suggestions: CodeFix[] = [];
      const arr = algorithmsArrayLiteral(entry);
      if (arr && inFile(arr) && nones.length === 1 && nones[0].node.parent === arr) {
        const others = arr.elements.filter((e) => e !== nones[0].node);
        if (others.length > 0) fix = { title: "Remove 'none' from the accepted algorithms", edits: [removeListElement(arr.elements, nones[0].node)] };
        else {
          const alg = (site.key && inferAlgorithm(site.key.model, site.key.expr)) ?? 'HS256';
          suggestions.push({ title: `Accept only a signed algorithm: ['${alg}'] (check it is the one your tokens are signed with)`, edits: [replaceNode(arr, `['${alg}']`)] });
        }
      }
      const where = site.kind === 'call' ? 'this verify call' : site.kind === 'middleware' ? 'this middleware' : 'these module-wide verify options';
      context.report({
        node, severity: sev('error'), fix, suggestions,
        message: `'none' is an accepted JWT algorithm for ${where}: unsigned tokens that anyone can forge pass verification.`,
      });
    };
    const visitors = verifySiteVisitors(context, onSite);
    const calls = visitors.calls!;

    // (b) signing with 'none'.
    const reportSign = (algValue: Value | undefined, at: ts.Node, keyExpr: ts.Expression | undefined, jose: boolean) => {
      if (!algValue) return;
      const hit = possibilities(algValue).find((p) => p.kind === 'string' && isNone(p.value));
      if (!hit) return;
      const node = inFile(hit.node) ? hit.node : at;
      const alg = (keyExpr && inferAlgorithm(model, keyExpr)) ?? 'HS256';
      const suggestions: CodeFix[] = inFile(hit.node) && ts.isStringLiteralLike(hit.node)
        ? [{ title: `Sign with a real algorithm: '${alg}' (verifiers must accept it)`, edits: [replaceNode(hit.node, `'${alg}'`)] }] : [];
      context.report({
        node, severity: sev(jose ? 'warning' : 'error'), suggestions,
        message: jose
          ? "jose's SignJWT cannot sign with alg 'none' (it throws): unsigned tokens would need UnsecuredJWT, which must never be trusted."
          : "JWT signed with algorithm 'none': the token is unsigned and anyone can forge one the verifier accepts.",
      });
    };
    for (const [sym, spec] of Object.entries(SIGN_CALLS)) {
      if (spec.options === undefined) continue;
      calls[sym] = (c: ResolvedCall) => {
        const slot = optionsArgument(c, spec);
        if (!slot?.expr) return;
        const o = evaluateOptions(model, slot.expr);
        reportSign(propValue(o, 'algorithm'), slot.expr, spec.key !== undefined ? c.args[spec.key] : undefined, false);
      };
    }
    calls['jose.SignJWT#setProtectedHeader'] = (c) => {
      const o = evaluate(model, c.args[0]);
      reportSign(propValue(o, 'alg'), c.node, undefined, true);
    };
    calls['fast-jwt.createSigner'] = (c) => reportSign(propValue(evaluateOptions(model, c.args[0]), 'algorithm'), c.node, undefined, false);
    const moduleSign = (c: ResolvedCall) => {
      let v = evaluate(model, c.args[0]);
      if (c.symbol.endsWith('registerAsync')) v = factoryResult(v);
      const so = propValue(v, 'signOptions');
      if (so) reportSign(propValue(so, 'algorithm'), c.node, undefined, false);
    };
    for (const sym of ['@nestjs/jwt.JwtModule.register', '@nestjs/jwt.JwtModule.registerAsync']) {
      const verifyHandler = calls[sym];
      calls[sym] = (c) => { verifyHandler?.(c); moduleSign(c); };
    }

    // (c) jose UnsecuredJWT.decode outside tests.
    calls['jose.UnsecuredJWT.decode'] = (c) => {
      if (context.isTestLike) return;
      context.report({
        node: c.node, severity: 'error',
        message: "jose UnsecuredJWT.decode() reads an unsigned ('none') token: its claims prove nothing and anyone can forge them. Verify a signed token with jwtVerify() instead.",
      });
    };

    // (d) jsonwebtoken.verify with a falsy key.
    const verifyHandler = calls['jsonwebtoken.verify'];
    calls['jsonwebtoken.verify'] = (c) => {
      verifyHandler?.(c);
      const keyArg = c.args[1];
      if (keyArg && (ts.isArrowFunction(skipOuter(keyArg)) || ts.isFunctionExpression(skipOuter(keyArg)))) return;
      const kv = evaluate(model, keyArg);
      if (!possibilities(kv).every(isFalsyConstant)) return;
      const o = evaluateOptions(model, c.args[2] && !ts.isArrowFunction(skipOuter(c.args[2])) && !ts.isFunctionExpression(skipOuter(c.args[2])) ? c.args[2] : undefined);
      if (algorithmValues(propValue(o, 'algorithms')).some((a) => isNone(a.value))) return; // case (a) reports it
      const node = keyArg && inFile(keyArg) ? keyArg : missingArgReportNode(c, 1);
      if (!node) return;
      const major = jsonwebtokenMajor(context.project, { library: 'jsonwebtoken' }, context.fileName);
      const old = major !== undefined && major < 9;
      context.report({
        node, severity: sev(old ? 'error' : 'warning'),
        message: old
          ? `jwt.verify() with an empty key: jsonwebtoken ${major}.x then accepts unsigned ('none') tokens, so anyone can forge one. Pass the real secret or public key.`
          : "jwt.verify() with an empty key: the signature is never checked against a real key (jsonwebtoken < 9 accepts unsigned tokens here; 9+ rejects every signed token). Pass the real secret or public key.",
      });
    };

    // (e) jwt-simple decode(token, key, noVerify = true).
    calls['jwt-simple.decode'] = (c) => {
      const flag = c.args[2];
      if (!flag) return;
      const fv = evaluate(model, flag);
      if (!possibilities(fv).some((p) => p.kind === 'boolean' ? p.value : p.kind === 'string' ? p.value !== '' : p.kind === 'number' ? p.value !== 0 : false)) return;
      const node = inFile(flag) ? flag : c.node;
      const suggestions: CodeFix[] = inFile(flag) && ts.isCallExpression(c.node) && c.node.arguments.length === 3 && c.node.arguments[2] === flag
        ? [{ title: 'Verify the signature: remove the noVerify argument', edits: [removeListElement(c.node.arguments, flag)] }] : [];
      context.report({
        node, severity: sev('error'), suggestions,
        message: 'jwt-simple decode() with noVerify: the signature is not checked, so any forged or unsigned token is accepted.',
      });
    };
    return { calls, nodes: visitors.nodes };
  },
});

function isFalsyConstant(v: Value): boolean {
  return v.kind === 'null' || v.kind === 'undefined' || (v.kind === 'string' && v.value === '') || (v.kind === 'boolean' && !v.value);
}
