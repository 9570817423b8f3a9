import ts = require('typescript');
import type { FileModel } from './fileModel';
import { skipOuter } from './imports';
import { Declaration, findDeclaration, isReassigned } from './scope';

const { SyntaxKind } = ts;

/**
 * Randomness and key-generator sources (RULES.md E12), shared by `apikey/*` and the OAuth rules.
 *
 * - weak: `Math.random()`, `crypto.pseudoRandomBytes`, uuid v1/v3/v5/v6, `nanoid/non-secure`, shortid, chance,
 *   random-number packages, faker (outside tests);
 * - time: `Date.now()`, `new Date().getTime()`, `performance.now()`, `process.hrtime` (weak when it is the only entropy);
 * - timeOrdered: uuid v7 (74 random bits behind a timestamp);
 * - strong: `crypto.randomBytes|randomInt|randomUUID|getRandomValues|randomFill(Sync)|generateKey(Sync)|webcrypto`,
 *   global Web Crypto, `nanoid` (secure), uuid v4, openid-client random helpers, `crypto-random-string`, `uid-safe`.
 */
export type RandomStrength = 'strong' | 'weak' | 'time' | 'timeOrdered';

export interface RandomSource {
  /** The call (or `new Date()` expression) producing the randomness. */
  node: ts.Expression;
  strength: RandomStrength;
  /** How to name it in a message: `Math.random()`, `uuid v1`, `Date.now()`. */
  label: string;
  /** uuid versions keep the 36-character format when replaced by `randomUUID()`. */
  uuidVersion?: number;
}

const WEAK_PACKAGES = /^(shortid|chance|random-number|random-int|random-float|random-seed|unique-random|randomstring|random-string|@faker-js\/faker|faker)(\.|\/|#|$)/;
const STRONG_CRYPTO = new Set(['randomBytes', 'randomInt', 'randomUUID', 'getRandomValues', 'randomFill', 'randomFillSync', 'generateKey', 'generateKeySync', 'generateKeyPair', 'generateKeyPairSync', 'generatePrime', 'generatePrimeSync']);

/** Classifies one call/expression as a randomness source, or undefined when it is none. */
export function randomSource(model: FileModel, expr: ts.Expression, isTestLike = false): RandomSource | undefined {
  const e = skipOuter(expr);
  if (ts.isNewExpression(e)) {
    // new Date() as a value: `+new Date()`, `new Date().getTime()` (handled by the caller through the method)
    return undefined;
  }
  if (!ts.isCallExpression(e)) return undefined;
  const callee = skipOuter(e.expression);
  // Globals: Math.random(), Date.now(), performance.now(), process.hrtime(), crypto.randomUUID() (Web Crypto)
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    const base = skipOuter(callee.expression);
    if (ts.isIdentifier(base) && !findDeclaration(base)) {
      if (base.text === 'Math' && name === 'random') return { node: e, strength: 'weak', label: 'Math.random()' };
      if (base.text === 'Date' && name === 'now') return { node: e, strength: 'time', label: 'Date.now()' };
      if (base.text === 'performance' && name === 'now') return { node: e, strength: 'time', label: 'performance.now()' };
      if (base.text === 'process' && name === 'hrtime') return { node: e, strength: 'time', label: 'process.hrtime()' };
      if (base.text === 'crypto' && (name === 'randomUUID' || name === 'getRandomValues')) return { node: e, strength: 'strong', label: `crypto.${name}()` };
    }
    if (ts.isPropertyAccessExpression(base) && ts.isIdentifier(base.expression) && !findDeclaration(base.expression)) {
      if (base.expression.text === 'process' && base.name.text === 'hrtime' && name === 'bigint') return { node: e, strength: 'time', label: 'process.hrtime.bigint()' };
      if ((base.expression.text === 'crypto' || base.expression.text === 'globalThis') && (base.name.text === 'subtle' || base.name.text === 'crypto')) return { node: e, strength: 'strong', label: 'Web Crypto' };
    }
    // new Date().getTime() / .valueOf()
    if ((name === 'getTime' || name === 'valueOf') && ts.isNewExpression(base) && ts.isIdentifier(base.expression) && base.expression.text === 'Date' && !(base.arguments?.length)) {
      return { node: e, strength: 'time', label: `new Date().${name}()` };
    }
  }
  // customAlphabet(alphabet, n)() — the generator returned by nanoid's factory
  if (ts.isCallExpression(callee)) {
    const inner = randomSource(model, callee, isTestLike);
    if (inner && /customAlphabet|customRandom/.test(inner.label)) return { ...inner, node: e };
  }
  if (ts.isIdentifier(callee)) {
    // const gen = customAlphabet(...); gen()
    const d = findDeclaration(callee);
    if (d && d.kind === 'variable' && d.initializer && !d.path && ts.isCallExpression(skipOuter(d.initializer))) {
      const inner = randomSource(model, d.initializer, isTestLike);
      if (inner && /customAlphabet|customRandom/.test(inner.label)) return { ...inner, node: e };
    }
  }
  const sym = model.resolveCall(e)?.symbol ?? instanceSymbol(model, callee);
  if (!sym) return undefined;
  return classifySymbol(sym, e, isTestLike);
}

function instanceSymbol(model: FileModel, callee: ts.Expression): string | undefined {
  // chance: `const chance = new Chance(); chance.string()`
  if (ts.isPropertyAccessExpression(callee)) {
    const cls = model.instanceClass(callee.expression);
    if (cls) return `${cls}#${callee.name.text}`;
  }
  return undefined;
}

export function classifySymbol(sym: string, node: ts.Expression, isTestLike = false): RandomSource | undefined {
  const s = sym.replace(/^node:/, '');
  const m = /^crypto\.(?:webcrypto\.)?(\w+)$/.exec(s);
  if (m) {
    if (STRONG_CRYPTO.has(m[1])) return { node, strength: 'strong', label: `crypto.${m[1]}()` };
    if (m[1] === 'pseudoRandomBytes' || m[1] === 'prng' || m[1] === 'rng') return { node, strength: 'weak', label: `crypto.${m[1]}()` };
  }
  if (s === 'crypto.webcrypto' || s.startsWith('crypto.webcrypto.') || s.startsWith('crypto.subtle.')) return { node, strength: 'strong', label: 'Web Crypto' };
  const uuid = /^uuid(?:\/(v\d)(?:\.default)?|\.(v\d))$/.exec(s);
  if (uuid) {
    const v = Number((uuid[1] ?? uuid[2]).slice(1));
    if (v === 4) return { node, strength: 'strong', label: 'uuid v4' };
    if (v === 7) return { node, strength: 'timeOrdered', label: 'uuid v7', uuidVersion: 7 };
    if (v === 1 || v === 3 || v === 5 || v === 6) return { node, strength: 'weak', label: `uuid v${v}`, uuidVersion: v };
    return undefined;
  }
  if (s === 'uuid.default' || s === 'uuid-random.default') return { node, strength: 'strong', label: 'uuid' };
  if (/^nanoid\/non-secure\.(nanoid|customAlphabet|default)$/.test(s)) return { node, strength: 'weak', label: s.endsWith('customAlphabet') ? 'nanoid/non-secure customAlphabet' : 'nanoid/non-secure' };
  if (/^nanoid\.(nanoid|default|customAlphabet|customRandom)$/.test(s)) return { node, strength: 'strong', label: s.endsWith('customAlphabet') ? 'nanoid customAlphabet' : s.endsWith('customRandom') ? 'nanoid customRandom' : 'nanoid' };
  if (/^openid-client\.(randomState|randomNonce|randomPKCECodeVerifier)$/.test(s) || /^openid-client\.generators\./.test(s)) return { node, strength: 'strong', label: s };
  if (/^(crypto-random-string|uid-safe|secure-random-string|cuid2|@paralleldrive\/cuid2)(\.|$)/.test(s)) return { node, strength: 'strong', label: s.split('.')[0] };
  if (/^(@faker-js\/faker|faker)(\.|$)/.test(s) && isTestLike) return undefined;
  if (WEAK_PACKAGES.test(s)) {
    // randomstring ≥ 1.2 draws from crypto.randomBytes
    if (/^(randomstring|random-string)(\.|$)/.test(s)) return undefined;
    return { node, strength: 'weak', label: s.replace(/\.default$/, '').replace(/#.*$/, '') };
  }
  return undefined;
}

/** What an expression's value is made of, following string formatting, locals and workspace functions. */
export interface Entropy {
  strong: RandomSource[];
  weak: RandomSource[];
  time: RandomSource[];
  timeOrdered: RandomSource[];
  /** A call the analysis could not see into: it may add entropy (a secure project helper, a KMS call). */
  opaque: boolean;
  /** The value was assembled by `+=` in a loop (character picking). */
  loop: boolean;
  /** Workspace functions whose body produced the sources (`randomString()` in utils.ts). */
  via: { name: string; node: ts.Expression }[];
}

/** The overall verdict: strong wins; else weak; else time only; else time-ordered; else none. */
export function entropyVerdict(e: Entropy): RandomStrength | 'none' {
  if (e.strong.length) return 'strong';
  if (e.weak.length) return 'weak';
  if (e.time.length) return 'time';
  if (e.timeOrdered.length) return 'timeOrdered';
  return 'none';
}

/** Methods on strings/numbers/buffers/arrays that carry their receiver's (and arguments') randomness on. */
const PASS_METHODS = /^(toString|slice|substring|substr|padStart|padEnd|toUpperCase|toLowerCase|replace|replaceAll|split|join|concat|trim|repeat|toFixed|toPrecision|charAt|at|map|flatMap|reduce|from|digest|update|toJSON|valueOf|encode|normalize)$/;
const PASS_GLOBALS = /^(String|Number|parseInt|parseFloat|BigInt|btoa|encodeURIComponent|encodeURI|escape)$/;
const PASS_STATIC = /^(Math\.(floor|round|ceil|trunc|abs|min|max)|Buffer\.from|Array\.from|String\.fromCharCode|JSON\.stringify)$/;

export function entropyOf(model: FileModel, expr: ts.Expression, isTestLike = false): Entropy {
  const out: Entropy = { strong: [], weak: [], time: [], timeOrdered: [], opaque: false, loop: false, via: [] };
  const seen = new Set<ts.Node>();
  const add = (s: RandomSource) => { out[s.strength].push(s); };

  const visit = (m: FileModel, x: ts.Expression | undefined, depth: number): void => {
    if (!x || depth > 12 || seen.has(x)) return;
    seen.add(x);
    const e = skipOuter(x);
    if (ts.isAwaitExpression(e)) return visit(m, e.expression, depth + 1);
    if (ts.isTemplateExpression(e)) { for (const s of e.templateSpans) visit(m, s.expression, depth + 1); return; }
    if (ts.isBinaryExpression(e)) {
      const k = e.operatorToken.kind;
      if (k === SyntaxKind.BarBarToken || k === SyntaxKind.QuestionQuestionToken || isArithmetic(k)) { visit(m, e.left, depth + 1); visit(m, e.right, depth + 1); }
      return;
    }
    if (ts.isConditionalExpression(e)) { visit(m, e.whenTrue, depth + 1); visit(m, e.whenFalse, depth + 1); return; }
    if (ts.isPrefixUnaryExpression(e)) {
      // +new Date()
      const op = skipOuter(e.operand);
      if (e.operator === SyntaxKind.PlusToken && ts.isNewExpression(op) && ts.isIdentifier(op.expression) && op.expression.text === 'Date' && !op.arguments?.length) {
        add({ node: e, strength: 'time', label: '+new Date()' });
        return;
      }
      return visit(m, e.operand, depth + 1);
    }
    if (ts.isElementAccessExpression(e)) {
      // chars[Math.floor(Math.random() * n)]: the picked element is as random as the index
      visit(m, e.argumentExpression, depth + 1);
      return;
    }
    if (ts.isArrayLiteralExpression(e)) { for (const el of e.elements) visit(m, ts.isSpreadElement(el) ? el.expression : el, depth + 1); return; }
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
      // a callback producing the elements (Array.from(n, () => …), .map(() => …)), not a function value
      if (depth > 0 && ts.isCallExpression(e.parent) && e.parent.arguments.includes(e)) for (const r of returnedExpressions(e)) visit(m, r, depth + 1);
      return;
    }
    if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
      const src = randomSource(m, e, isTestLike);
      if (src) { add(src); return; }
      if (ts.isNewExpression(e)) {
        if (ts.isIdentifier(e.expression) && /^(Uint8Array|Uint16Array|Uint32Array|Array)$/.test(e.expression.text)) return;
        out.opaque = true;
        return;
      }
      const callee = skipOuter(e.expression);
      if (ts.isPropertyAccessExpression(callee)) {
        const name = callee.name.text;
        const calleeText = `${callee.expression.getText()}.${name}`;
        if (PASS_STATIC.test(calleeText)) { for (const a of e.arguments) visit(m, a, depth + 1); return; }
        // new Date().getTime() handled by randomSource; Date.now().toString(36) → receiver
        if (PASS_METHODS.test(name)) {
          visit(m, callee.expression, depth + 1);
          for (const a of e.arguments) visit(m, a, depth + 1);
          return;
        }
      }
      if (ts.isIdentifier(callee) && PASS_GLOBALS.test(callee.text) && !findDeclaration(callee)) { for (const a of e.arguments) visit(m, a, depth + 1); return; }
      // createHash('sha256').update(x).digest(): hashing keeps (un)predictability; the algorithm name is no entropy
      const sym = m.resolveCall(e)?.symbol;
      if (sym === 'crypto.createHash') return;
      // A workspace function or method: follow its returned expression (one or two levels)
      const ref = m.resolveRef(callee);
      const fn = (ref && functionOf(ref)) ?? thisMethod(m, callee);
      if (fn && depth < 8) {
        const before = out.strong.length + out.weak.length + out.time.length + out.timeOrdered.length;
        for (const r of returnedExpressions(fn.node)) visit(fn.model, r, depth + 2);
        const after = out.strong.length + out.weak.length + out.time.length + out.timeOrdered.length;
        if (after > before) out.via.push({ name: callee.getText(), node: e });
        return;
      }
      out.opaque = true;
      return;
    }
    if (ts.isIdentifier(e)) {
      const d = findDeclaration(e);
      if (!d) return;
      if (d.kind === 'variable') {
        if (d.initializer && !d.path) visit(m, d.initializer, depth + 1);
        if (!d.isConst && isReassigned(d)) {
          for (const a of assignmentsTo(d)) {
            if (a.operatorToken.kind === SyntaxKind.PlusEqualsToken && insideLoop(a)) out.loop = true;
            visit(m, a.right, depth + 1);
          }
        }
        // arr.push(x) in a loop then arr.join('')
        for (const p of pushesTo(d)) { out.loop = true; for (const a of p.arguments) visit(m, a, depth + 1); }
        return;
      }
      if (d.kind === 'import') {
        const ref = m.resolveRef(e);
        if (ref && ref.kind === 'declaration' && ref.declaration.kind === 'variable' && ref.declaration.initializer) visit(ref.model, ref.declaration.initializer, depth + 1);
      }
      return;
    }
    // property reads (user.id), literals: data, not entropy
  };
  visit(model, expr, 0);
  return out;
}

function isArithmetic(k: ts.SyntaxKind): boolean {
  return k === SyntaxKind.PlusToken || k === SyntaxKind.MinusToken || k === SyntaxKind.AsteriskToken || k === SyntaxKind.SlashToken
    || k === SyntaxKind.PercentToken || k === SyntaxKind.BarToken || k === SyntaxKind.CaretToken || k === SyntaxKind.AmpersandToken
    || k === SyntaxKind.LessThanLessThanToken || k === SyntaxKind.GreaterThanGreaterThanToken || k === SyntaxKind.GreaterThanGreaterThanGreaterThanToken
    || k === SyntaxKind.AsteriskAsteriskToken;
}

/** Every expression a function returns (arrow body or `return` statements, not those of nested functions). */
export function returnedExpressions(fn: ts.SignatureDeclaration): ts.Expression[] {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return out;
}

/** `this.generate()` → the method `generate` of the enclosing class. */
function thisMethod(model: FileModel, callee: ts.Expression): { node: ts.SignatureDeclaration; model: FileModel } | undefined {
  if (!ts.isPropertyAccessExpression(callee) || callee.expression.kind !== SyntaxKind.ThisKeyword) return undefined;
  for (let p: ts.Node | undefined = callee.parent; p; p = p.parent) {
    if (ts.isClassLike(p)) {
      for (const mem of p.members) {
        if (ts.isMethodDeclaration(mem) && mem.body && mem.name.getText() === callee.name.text) return { node: mem, model };
        if (ts.isPropertyDeclaration(mem) && mem.initializer && mem.name.getText() === callee.name.text) {
          const init = skipOuter(mem.initializer);
          if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return { node: init, model };
        }
      }
      return undefined;
    }
  }
  return undefined;
}

function functionOf(ref: NonNullable<ReturnType<FileModel['resolveRef']>>): { node: ts.SignatureDeclaration; model: FileModel } | undefined {
  if (ref.kind === 'declaration') {
    const d = ref.declaration;
    if (d.kind === 'function' && ts.isFunctionDeclaration(d.declaration)) return { node: d.declaration, model: ref.model };
    if (d.kind === 'variable' && d.initializer && !d.path) {
      const init = skipOuter(d.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return { node: init, model: ref.model };
    }
    return undefined;
  }
  if (ref.kind === 'node') {
    const n = ref.node;
    if (ts.isFunctionDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n)) return { node: n, model: ref.model };
  }
  return undefined;
}

/** `x = …`, `x += …` below the declaration's function. */
export function assignmentsTo(d: Declaration): ts.BinaryExpression[] {
  const container = scopeOf(d.nameNode);
  if (!container) return [];
  return memoOn(container, `=${d.name}@${d.nameNode.pos}`, () => collectAssignments(d, container));
}

/**
 * Per-container memo (a changed function is a new node after an incremental parse, so results never go stale):
 * rules ask about the same variable once per reference, and each answer is a walk of the whole container.
 */
const containerMemo = new WeakMap<ts.Node, Map<string, unknown>>();
function memoOn<T>(container: ts.Node, key: string, compute: () => T): T {
  let m = containerMemo.get(container);
  if (!m) { m = new Map(); containerMemo.set(container, m); }
  if (m.has(key)) return m.get(key) as T;
  const v = compute();
  m.set(key, v);
  return v;
}

function collectAssignments(d: Declaration, container: ts.Node): ts.BinaryExpression[] {
  const out: ts.BinaryExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= SyntaxKind.FirstAssignment && n.operatorToken.kind <= SyntaxKind.LastAssignment
      && ts.isIdentifier(n.left) && n.left.text === d.name && findDeclaration(n.left) === d) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(container);
  return out;
}

function pushesTo(d: Declaration): ts.CallExpression[] {
  const container = scopeOf(d.nameNode);
  if (!container || !d.initializer || !ts.isArrayLiteralExpression(skipOuter(d.initializer))) return [];
  return memoOn(container, `push:${d.name}@${d.nameNode.pos}`, () => collectPushes(d, container));
}

function collectPushes(d: Declaration, container: ts.Node): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && (n.expression.name.text === 'push' || n.expression.name.text === 'unshift')
      && ts.isIdentifier(n.expression.expression) && n.expression.expression.text === d.name && findDeclaration(n.expression.expression) === d) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(container);
  return out;
}

function scopeOf(n: ts.Node): ts.Node | undefined {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (ts.isSourceFile(p) || ts.isFunctionLike(p)) return p;
  return undefined;
}

function insideLoop(n: ts.Node): boolean {
  for (let p: ts.Node | undefined = n.parent; p && !ts.isFunctionLike(p); p = p.parent) {
    if (ts.isForStatement(p) || ts.isForOfStatement(p) || ts.isForInStatement(p) || ts.isWhileStatement(p) || ts.isDoStatement(p)) return true;
  }
  return false;
}

/** True when a function body calls a CSPRNG anywhere (RULES.md FP control for jitter next to real key generation). */
export function functionUsesCsprng(model: FileModel, fn: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) { const s = randomSource(model, n); if (s?.strength === 'strong') { found = true; return; } }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}
