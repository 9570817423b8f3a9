import ts = require('typescript');
import { CodeFix, defineRule, TextEdit } from '../../engine/types';
import { credentialOf, secretValueOf, SecretValue } from '../../model/credentials';
import { isEdgeRuntime, isFrontEndFile } from '../../model/fileKind';
import type { FileModel } from '../../model/fileModel';
import { skipOuter } from '../../model/imports';
import { functionName, keyClass } from '../../model/keySinks';
import { CryptoImports, importInsertionPoint } from '../../model/nodeCrypto';
import { requestSource } from '../../model/requestInput';
import { declarationsOf, findDeclaration } from '../../model/scope';
import { COMPARE_RELEVANCE } from '../../model/textGates';

const { SyntaxKind } = ts;

const EQUALITY = new Set([SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken]);

export default defineRule({
  meta: {
    id: 'apikey/non-constant-time-compare',
    title: 'Secret compared with === instead of a constant-time comparison',
    description: 'An API key, token, signature or password hash from the request is compared with a server secret using ===/!==, whose early exit leaks through timing how much of a guess is right.',
    defaultSeverity: 'warning',
    checklist: ['api-keys'],
    owasp: ['API2'],
    cwe: [208],
    scope: 'file',
    needsTypes: false,
    fixable: 'both',
    relevance: COMPARE_RELEVANCE,
  },
  create(context) {
    const model = context.model;
    const testCode = context.isTestLike;
    let edge: boolean | undefined;

    const onBinary = (node: ts.Node) => {
      const b = node as ts.BinaryExpression;
      if (!EQUALITY.has(b.operatorToken.kind)) return;
      const l = skipOuter(b.left);
      const r = skipOuter(b.right);
      if (trivial(l) || trivial(r)) return;
      if (insideConstantTimeHelper(b)) return;
      const pair = classify(model, l, r) ?? helperPair(b, l, r);
      if (!pair) return;
      if (isFrontEndFile(model)) return;
      const negated = b.operatorToken.kind === SyntaxKind.ExclamationEqualsEqualsToken || b.operatorToken.kind === SyntaxKind.ExclamationEqualsToken;
      const { fix, suggestions } = (edge ??= isEdgeRuntime(model)) ? honoActions(model, b, negated) : codeActions(model, b, negated);
      context.report({
        node: b,
        severity: testCode ? 'info' : 'warning',
        message: `${pair.subject} using \`${b.operatorToken.getText()}\`, which stops at the first differing character: response timing reveals how much of a guess is right. Compare with crypto.timingSafeEqual (after a length check).`,
        fix, suggestions,
      });
    };

    const onCall = (node: ts.Node) => {
      // a.equals(b) on Buffers and Buffer.compare(a, b) are not constant-time either
      const c = node as ts.CallExpression;
      const callee = skipOuter(c.expression);
      if (!ts.isPropertyAccessExpression(callee)) return;
      let a: ts.Expression | undefined;
      let bb: ts.Expression | undefined;
      if (callee.name.text === 'equals' && c.arguments.length === 1) { a = callee.expression; bb = c.arguments[0]; }
      else if (callee.name.text === 'compare' && callee.expression.getText() === 'Buffer' && c.arguments.length === 2) { a = c.arguments[0]; bb = c.arguments[1]; }
      else if (callee.name.text === 'localeCompare' && c.arguments.length >= 1) { a = callee.expression; bb = c.arguments[0]; }
      if (!a || !bb) return;
      if (insideConstantTimeHelper(c)) return;
      const ua = unwrapBuffer(a);
      const ub = unwrapBuffer(bb);
      const pair = classify(model, ua, ub) ?? helperPair(c as unknown as ts.BinaryExpression, ua, ub);
      if (!pair) return;
      context.report({
        node: c, severity: testCode ? 'info' : 'warning', fix: bufferEqualsFix(model, c, callee.name.text, ua, ub),
        message: `${pair.subject} using \`${callee.name.text}()\`, which is not constant-time: response timing reveals how much of a guess is right. Use crypto.timingSafeEqual (after a length check).`,
      });
    };

    return { nodes: { BinaryExpression: onBinary, CallExpression: onCall } };
  },
});

/**
 * `Buffer.from(a).equals(Buffer.from(b))` → `safeEqual(a, b)` when both are certainly strings: same bytes compared,
 * in constant time (a fix). Other forms compare Buffers or need guards: no code action.
 */
function bufferEqualsFix(model: FileModel, c: ts.CallExpression, method: string, a: ts.Expression, b: ts.Expression): CodeFix | undefined {
  if (method !== 'equals' || !certainlyString(a) || !certainlyString(b)) return undefined;
  if (isEdgeRuntime(model)) return undefined;
  const sf = model.sourceFile;
  const imports = new CryptoImports(model);
  const helper = helperEdits(model, imports, /\.[cm]?jsx?$/.test(sf.fileName));
  let node: ts.Node = c;
  let negated = false;
  if (ts.isPrefixUnaryExpression(c.parent) && c.parent.operator === SyntaxKind.ExclamationToken) { node = c.parent; negated = true; }
  return { title: 'Compare in constant time with safeEqual() (crypto.timingSafeEqual)', edits: [{ fileName: sf.fileName, start: node.getStart(sf), end: node.getEnd(), newText: `${negated ? '!' : ''}safeEqual(${a.getText()}, ${b.getText()})` }, ...helper, ...imports.importEdits()] };
}

/** Literals, null/undefined, typeof, lengths and counts: comparing them leaks nothing. */
function trivial(e: ts.Expression): boolean {
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || e.kind === SyntaxKind.NullKeyword || e.kind === SyntaxKind.TrueKeyword || e.kind === SyntaxKind.FalseKeyword) return true;
  if (ts.isIdentifier(e) && e.text === 'undefined') return true;
  if (ts.isTypeOfExpression(e) || ts.isPrefixUnaryExpression(e)) return true;
  if (ts.isPropertyAccessExpression(e) && /^(length|size|byteLength)$/.test(e.name.text)) return true;
  if (ts.isTemplateExpression(e) && e.templateSpans.length === 0) return true;
  return false;
}

function unwrapBuffer(e: ts.Expression): ts.Expression {
  const x = skipOuter(e);
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.expression.getText() === 'Buffer' && x.expression.name.text === 'from' && x.arguments[0]) return skipOuter(x.arguments[0]);
  return x;
}

interface Pair { subject: string; secret: SecretValue }

/** One operand from the request (E6), the other a server-side secret. */
function classify(model: FileModel, l: ts.Expression, r: ts.Expression): Pair | undefined {
  for (const [req, other] of [[l, r], [r, l]] as const) {
    const src = requestSource(req);
    if (!src) continue;
    const secret = secretValueOf(model, other);
    if (!secret) continue;
    const cred = credentialOf(req, {});
    const text = req.getText();
    const label = cred ? `The ${cred.kind === 'password' ? 'password' : cred.kind === 'secret' ? 'signature/secret' : 'credential'} from the request (\`${text.length > 50 ? cred.name : text}\`)` : `Request input (\`${text.length > 50 ? text.slice(0, 47) + '…' : text}\`)`;
    const what = secret.kind === 'hmac' ? 'an HMAC digest computed on the server' : secret.label.length > 50 ? 'a server secret' : `\`${secret.label}\``;
    return { subject: `${label} is compared with ${what}`, secret };
  }
  return undefined;
}

/**
 * `function matchesAdminKey(presented: string, expected: string) { return presented === expected; }`: a helper
 * whose name says it compares secrets, comparing two of its parameters.
 */
function helperPair(b: ts.BinaryExpression, l: ts.Expression, r: ts.Expression): Pair | undefined {
  if (!ts.isIdentifier(l) || !ts.isIdentifier(r)) return undefined;
  const dl = findDeclaration(l);
  const dr = findDeclaration(r);
  if (!dl || !dr || dl === dr || dl.kind !== 'parameter' || dr.kind !== 'parameter') return undefined;
  const fn = dl.declaration.parent;
  if (fn !== dr.declaration.parent || !ts.isFunctionLike(fn)) return undefined;
  const name = functionName(fn)?.name;
  if (!name) return undefined;
  const m = /^(is)?(matches|match|compare|verify|check|validate|equals?|same|constantTime)(.+)$/i.exec(name);
  if (!m) return undefined;
  const cls = keyClass(m[3]);
  if (!(cls === 'apiKey' || cls === 'secret' || cls === 'password' || (cls === 'token' && /api|access|auth|bearer|admin|service|webhook|refresh|session/i.test(m[3])))) return undefined;
  for (const p of [dl, dr]) {
    const t = (p.declaration as ts.ParameterDeclaration).type;
    if (t && t.kind !== SyntaxKind.StringKeyword && !/^(string|Buffer)\b/.test(t.getText())) return undefined;
  }
  void b;
  return { subject: `\`${name}()\` compares its arguments \`${l.text}\` and \`${r.text}\``, secret: { kind: 'stored', label: r.text, node: r } };
}

/** Comparisons inside a constant-time helper (a function that calls timingSafeEqual) are its length checks. */
function insideConstantTimeHelper(n: ts.Node): boolean {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) return /\btimingSafeEqual\b|\bsafeCompare\b|\bconstantTimeEqual\b|\bscmp\b|\btsse\b/.test(p.getText());
  }
  return false;
}

/** Certainly a string without a type checker: literals, templates, String(...), `: string` declarations, `.digest('hex')`. */
function certainlyString(e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (ts.isStringLiteralLike(x) || ts.isTemplateExpression(x)) return true;
  if (ts.isCallExpression(x)) {
    const c = skipOuter(x.expression);
    if (ts.isIdentifier(c) && c.text === 'String' && !findDeclaration(c)) return true;
    if (ts.isPropertyAccessExpression(c) && c.name.text === 'digest' && x.arguments[0] && ts.isStringLiteralLike(x.arguments[0]) && x.arguments[0].text !== 'buffer') return true;
    if (ts.isPropertyAccessExpression(c) && /^(toString|toLowerCase|toUpperCase|trim|join)$/.test(c.name.text)) return true;
    return false;
  }
  if (ts.isIdentifier(x)) {
    const d = findDeclaration(x);
    if (!d || d.path) return false;
    const t = (d.declaration as { type?: ts.TypeNode }).type;
    if (t) return t.kind === SyntaxKind.StringKeyword;
    if (d.kind === 'variable' && d.isConst && d.initializer) return certainlyString(d.initializer);
  }
  return false;
}

/** Operands we can guard with `typeof` and use again: identifiers and property/element access chains. */
function narrowable(e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (ts.isIdentifier(x) || x.kind === SyntaxKind.ThisKeyword) return true;
  if (ts.isPropertyAccessExpression(x)) return narrowable(x.expression);
  if (ts.isElementAccessExpression(x)) return ts.isStringLiteralLike(x.argumentExpression) && narrowable(x.expression);
  return false;
}

/**
 * Edge runtimes have no `node:crypto`: with Hono installed, its async `timingSafeEqual` from `hono/utils/buffer`
 * (inside an async function only; a suggestion, guarded like the Node form); otherwise no code action.
 */
function honoActions(model: FileModel, b: ts.BinaryExpression, negated: boolean): { fix?: CodeFix; suggestions: CodeFix[] } {
  const sf = model.sourceFile;
  if (!model.project.hasDependency('hono', sf.fileName)) return { suggestions: [] };
  let fn: ts.Node | undefined;
  for (let p: ts.Node | undefined = b.parent; p; p = p.parent) if (ts.isFunctionLike(p)) { fn = p; break; }
  if (!fn || !((ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0)) return { suggestions: [] };
  const taken = declarationsOf(sf);
  const bound = [...taken.values()].find((d) => d.kind === 'import' && d.name === 'timingSafeEqual');
  if (taken.has('timingSafeEqual') && !bound) return { suggestions: [] };
  const edits: TextEdit[] = [];
  if (!bound) {
    const at = importInsertionPoint(sf, 'esm');
    edits.push({ fileName: sf.fileName, start: at.pos, end: at.pos, newText: `${at.before}import { timingSafeEqual } from 'hono/utils/buffer';${at.after}` });
  }
  const s = guardedCall(sf, b, negated, (a, c) => `await timingSafeEqual(${a}, ${c})`);
  if (!s) return { suggestions: [] };
  return { suggestions: [{ title: `Compare in constant time with Hono's timingSafeEqual (hono/utils/buffer)${s.guarded ? ' — a missing value no longer matches a missing secret' : ''}`, edits: [...s.edits, ...edits] }] };
}

/** `typeof a === 'string' && typeof b === 'string' && <call>(a, b)`, hoisting operands TypeScript cannot narrow. */
function guardedCall(sf: ts.SourceFile, b: ts.BinaryExpression, negated: boolean, call: (a: string, b: string) => string): { edits: TextEdit[]; guarded: boolean } | undefined {
  const l = skipOuter(b.left);
  const r = skipOuter(b.right);
  const lStr = certainlyString(l);
  const rStr = certainlyString(r);
  const hoists: TextEdit[] = [];
  const operand = (e: ts.Expression, isStr: boolean, base: string): string | undefined => {
    if (isStr || narrowable(e)) return e.getText();
    const stmt = enclosingStatement(b);
    if (!stmt) return undefined;
    const name = freshName(b, base);
    const indent = /^[ \t]*/.exec(sf.text.slice(sf.getLineStarts()[sf.getLineAndCharacterOfPosition(stmt.getStart(sf)).line]))![0];
    hoists.push({ fileName: sf.fileName, start: stmt.getStart(sf), end: stmt.getStart(sf), newText: `const ${name} = ${e.getText()};\n${indent}` });
    return name;
  };
  const a = operand(l, lStr, requestSource(l) ? 'presented' : 'expected');
  const c = operand(r, rStr, requestSource(r) ? 'presented' : 'expected');
  if (!a || !c || a === c) return undefined;
  const guards = [...(lStr ? [] : [`typeof ${a} === 'string'`]), ...(rStr ? [] : [`typeof ${c} === 'string'`])];
  const inner = [...guards, call(a, c)].join(' && ');
  const text = negated ? `!(${inner})` : inner;
  const wrap = guards.length && !negated && needsParensForChain(b);
  return { edits: [...hoists, { fileName: sf.fileName, start: b.getStart(sf), end: b.getEnd(), newText: wrap ? `(${text})` : text }], guarded: guards.length > 0 };
}

function codeActions(model: FileModel, b: ts.BinaryExpression, negated: boolean): { fix?: CodeFix; suggestions: CodeFix[] } {
  const sf = model.sourceFile;
  const isJs = /\.[cm]?jsx?$/.test(sf.fileName);
  const imports = new CryptoImports(model);
  const helper = helperEdits(model, imports, isJs);
  const l = skipOuter(b.left);
  const r = skipOuter(b.right);
  const lStr = certainlyString(l);
  const rStr = certainlyString(r);
  if (lStr && rStr) {
    const text = `${negated ? '!' : ''}safeEqual(${l.getText()}, ${r.getText()})`;
    return { fix: { title: 'Compare in constant time with safeEqual() (crypto.timingSafeEqual)', edits: [{ fileName: sf.fileName, start: b.getStart(sf), end: b.getEnd(), newText: text }, ...helper, ...imports.importEdits()] }, suggestions: [] };
  }
  // Guarded form. Operands that cannot be narrowed (calls) are hoisted into a local first.
  const g = guardedCall(sf, b, negated, (a, c) => `safeEqual(${a}, ${c})`);
  if (!g) return { suggestions: [] };
  return {
    suggestions: [{
      title: `Compare in constant time: ${g.guarded ? 'typeof guards + ' : ''}safeEqual() (crypto.timingSafeEqual)${g.guarded ? ' — a missing value no longer matches a missing secret (undefined === undefined)' : ''}`,
      edits: [...g.edits, ...helper, ...imports.importEdits()],
    }],
  };
}

/** An `a && b && c` chain put where `a === b` was: parentheses unless the context binds looser than `&&`. */
function needsParensForChain(b: ts.BinaryExpression): boolean {
  const p = b.parent;
  if (ts.isParenthesizedExpression(p) || ts.isIfStatement(p) || ts.isReturnStatement(p) || ts.isVariableDeclaration(p) || ts.isExpressionStatement(p)
    || ts.isWhileStatement(p) || ts.isDoStatement(p) || ts.isArrowFunction(p) || ts.isTemplateSpan(p) || ts.isPropertyAssignment(p) || ts.isArrayLiteralExpression(p)
    || ts.isConditionalExpression(p) || ts.isJsxExpression(p) || ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(b))) return false;
  if (ts.isBinaryExpression(p) && (p.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken || p.operatorToken.kind === SyntaxKind.BarBarToken)) return false;
  return true;
}

function enclosingStatement(n: ts.Node): ts.Statement | undefined {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p) || ts.isClassLike(p)) return undefined;
    if (ts.isStatement(p) && (ts.isBlock(p.parent) || ts.isSourceFile(p.parent) || ts.isCaseClause(p.parent))) return p;
    // not inside loop conditions (hoisting would evaluate once)
    if (ts.isWhileStatement(p) || ts.isForStatement(p) || ts.isDoStatement(p)) return undefined;
  }
  return undefined;
}

function freshName(at: ts.Node, base: string): string {
  const taken = new Set<string>();
  for (let p: ts.Node | undefined = at.parent; p; p = p.parent) {
    if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isFunctionLike(p)) for (const k of declarationsOf(p).keys()) taken.add(k);
  }
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/** The `safeEqual` helper, added once per file (an existing one is reused). */
function helperEdits(model: FileModel, imports: CryptoImports, isJs: boolean): TextEdit[] {
  const sf = model.sourceFile;
  if (declarationsOf(sf).has('safeEqual')) return [];
  const tse = imports.ref('timingSafeEqual');
  const sig = isJs ? 'function safeEqual(a, b)' : 'function safeEqual(a: string, b: string): boolean';
  const text = `\n\n${sig} {\n  const x = Buffer.from(a);\n  const y = Buffer.from(b);\n  return x.length === y.length && ${tse}(x, y);\n}\n`;
  const trimmed = sf.text.replace(/\s+$/, '');
  return [{ fileName: sf.fileName, start: trimmed.length, end: sf.text.length, newText: text }];
}
