import ts = require('typescript');
import { CodeFix, defineRule, Severity } from '../../engine/types';
import type { ResolvedCall } from '../../model/calls';
import { missingArgReportNode } from '../../model/calls';
import { evaluate, Value } from '../../model/constEval';
import { addOptionAt } from '../../model/edits';
import type { FileModel } from '../../model/fileModel';
import { skipOuter } from '../../model/imports';
import { evaluateOptions, isSymmetricAlg, JOSE_VERIFY_CALLS, keyKind } from '../../model/jwtApi';
import { versionVersus } from '../../model/versions';
import { mentionsHeaderAlg } from '../../model/jwtHeader';
import { JWT_RELEVANCE } from '../../model/jwtRelevance';

const JWKS = /^jose\.create(Remote|Local)JWKSet$/;
const IMPORTS = /^jose\.import(SPKI|X509|JWK|PKCS8)$/;

export default defineRule({
  meta: {
    relevance: JWT_RELEVANCE,
    id: 'jwt/jose-verify-without-algorithms',
    title: 'jose jwtVerify without `algorithms`',
    description: 'jose verifies with every algorithm applicable to the key when `algorithms` is missing; with a custom key function the token header can steer that.',
    defaultSeverity: 'warning',
    checklist: ['jwt-verification'],
    owasp: ['API2'],
    cwe: [347],
    scope: 'file',
    needsTypes: false,
    fixable: 'both',
  },
  create(context) {
    const model = context.model;
    const sf = context.sourceFile;
    const sev = (s: Severity): Severity => (context.isTestLike ? 'info' : s);

    const check = (call: ResolvedCall) => {
      const optsExpr = call.args[2];
      const opts = evaluateOptions(model, optsExpr);
      if (opts.kind !== 'object' || opts.hasUnknownSpread || opts.props.has('algorithms')) return;
      const reportNode = optsExpr && optsExpr.getSourceFile() === sf ? optsExpr : missingArgReportNode(call, 2);
      if (!reportNode) return;
      const keyExpr = call.args[1];
      const key = classify(model, keyExpr, context);
      if (key.kind === 'pinned-cryptokey') return;
      let severity: Severity = 'info';
      let why: string;
      switch (key.kind) {
        case 'function':
          severity = key.publicOnly ? 'info' : 'warning';
          why = key.headerAlg ? 'the key function chooses the key by the token header `alg`, so the attacker picks the algorithm family'
            : key.publicOnly ? 'the key function returns public keys, so any algorithm of their family is accepted'
              : 'the key function may return an HMAC secret or a key of another family, and every algorithm applicable to it is accepted';
          if (key.headerAlg) severity = 'warning';
          break;
        case 'jwks': why = 'the JWKS keys are public, so the header can only choose among algorithms of the same family (e.g. RS256 vs PS256): hardening'; break;
        case 'pinned': why = `the key was imported for ${key.alg}, but in this jose version it is not bound to that algorithm`; break;
        default: why = 'every algorithm applicable to the key is accepted';
      }
      const alg = key.kind === 'pinned' ? key.alg : guessAlg(model, keyExpr, key.kind);
      const edit = !call.wrapper && ts.isCallExpression(call.node) ? addOptionAt(call.node, 2, `algorithms: ['${alg}']`) : undefined;
      let fix: CodeFix | undefined;
      const suggestions: CodeFix[] = [];
      if (edit && key.kind === 'pinned') fix = { title: `Pin algorithms: ['${alg}'] (the algorithm the key was imported for)`, edits: [edit] };
      else if (edit) suggestions.push({ title: `Pin algorithms: ['${alg}'] (check it is the algorithm your tokens are signed with)`, edits: [edit] });
      context.report({
        node: reportNode, severity: sev(severity), fix, suggestions,
        message: `jose ${call.symbol.slice(5)}() without \`algorithms\`: ${why}. Pin the expected algorithm.`,
      });
    };

    const calls: Record<string, (c: ResolvedCall) => void> = {};
    for (const sym of Object.keys(JOSE_VERIFY_CALLS)) calls[sym] = check;
    calls['jose.jwtDecrypt'] = (call) => {
      const optsExpr = call.args[2];
      const opts = evaluateOptions(model, optsExpr);
      if (opts.kind !== 'object' || opts.hasUnknownSpread) return;
      const missing = ['keyManagementAlgorithms', 'contentEncryptionAlgorithms'].filter((k) => !opts.props.has(k));
      if (missing.length === 0) return;
      const reportNode = optsExpr && optsExpr.getSourceFile() === sf ? optsExpr : missingArgReportNode(call, 2);
      if (!reportNode) return;
      context.report({
        node: reportNode, severity: 'info',
        message: `jose jwtDecrypt() without ${missing.map((m) => `\`${m}\``).join(' and ')}: every algorithm applicable to the key is accepted. Pin the expected algorithms.`,
      });
    };
    return { calls };
  },
});

type KeyClass =
  | { kind: 'function'; publicOnly: boolean; headerAlg: boolean }
  | { kind: 'jwks' }
  | { kind: 'pinned'; alg: string }
  | { kind: 'pinned-cryptokey' }
  | { kind: 'static' };

function classify(model: FileModel, keyExpr: ts.Expression | undefined, context: { project: import('../../engine/project').Project; fileName: string }): KeyClass {
  if (!keyExpr) return { kind: 'static' };
  const v = evaluate(model, keyExpr);
  if (v.kind === 'function') return classifyFunction(v);
  if (v.kind === 'unknown' && v.symbol && JWKS.test(v.symbol)) return { kind: 'jwks' };
  if (v.kind === 'unknown' && v.symbol && IMPORTS.test(v.symbol) && (ts.isCallExpression(v.node))) {
    const algArg = v.node.arguments[1];
    const a = algArg ? evaluate(model, algArg) : undefined;
    if (a?.kind === 'string') {
      // jose 6 returns a CryptoKey bound to that one algorithm; jose < 6 returns a KeyObject on Node (not bound);
      // HMAC imports yield raw bytes that every HS* accepts.
      const old = versionVersus(context.project, 'jose', context.fileName, [6, 0, 0]) === 'below';
      if (!old && !isSymmetricAlg(a.value)) return { kind: 'pinned-cryptokey' };
      return { kind: 'pinned', alg: a.value };
    }
  }
  if (keyKind(model, keyExpr) === 'jwks') return { kind: 'jwks' };
  return { kind: 'static' };
}

function classifyFunction(v: Extract<Value, { kind: 'function' }>): KeyClass {
  const fn = v.node as ts.FunctionLikeDeclaration;
  const returns: ts.Expression[] = [];
  if (fn.body && !ts.isBlock(fn.body)) returns.push(fn.body);
  else if (fn.body) {
    const visit = (n: ts.Node): void => {
      if (ts.isReturnStatement(n) && n.expression) returns.push(n.expression);
      if (ts.isFunctionLike(n)) return;
      ts.forEachChild(n, visit);
    };
    fn.body.statements.forEach(visit);
  }
  const headerAlg = fn.body ? mentionsHeaderAlgIn(v.model, fn) : false;
  const publicOnly = returns.length > 0 && returns.every((r) => {
    let e = skipOuter(r);
    if (ts.isAwaitExpression(e)) e = skipOuter(e.expression);
    const k = keyKind(v.model, e);
    if (k === 'public' || k === 'jwks') return true;
    const ev = evaluate(v.model, e);
    return ev.kind === 'unknown' && !!ev.symbol && (JWKS.test(ev.symbol) || /^jose\.import(SPKI|X509)$|^crypto\.createPublicKey$/.test(ev.symbol));
  });
  return { kind: 'function', publicOnly, headerAlg };
}

function mentionsHeaderAlgIn(model: FileModel, fn: ts.FunctionLikeDeclaration): boolean {
  // The first parameter of a jose key function is the protected header.
  const p = fn.parameters[0];
  if (!p || !fn.body) return false;
  if (mentionsHeaderAlg(model, fn.body)) return true;
  if (ts.isIdentifier(p.name)) {
    const name = p.name.text;
    let hit = false;
    const visit = (n: ts.Node): void => {
      if (hit) return;
      if (ts.isPropertyAccessExpression(n) && n.name.text === 'alg' && ts.isIdentifier(n.expression) && n.expression.text === name) { hit = true; return; }
      ts.forEachChild(n, visit);
    };
    visit(fn.body);
    return hit;
  }
  return ts.isObjectBindingPattern(p.name) && p.name.elements.some((el) => (el.propertyName ?? el.name).getText() === 'alg');
}

function guessAlg(model: FileModel, keyExpr: ts.Expression | undefined, kind: KeyClass['kind']): string {
  if (kind === 'jwks') return 'RS256';
  if (!keyExpr) return 'RS256';
  const e = skipOuter(keyExpr);
  const v = evaluate(model, e);
  if (v.kind === 'string' && v.bytes) return 'HS256';
  switch (keyKind(model, e)) {
    case 'secret': return 'HS256';
    default: return 'RS256';
  }
}
