import ts = require('typescript');
import { CodeFix, defineRule, ReportDescriptor, Severity, TextEdit } from '../../engine/types';
import { evaluate, propertyName, Value } from '../../model/constEval';
import { credentialOf, CredentialRef } from '../../model/credentials';
import { addProperty, asObjectLiteral, insertArgument, isFunctionArg, replaceNode } from '../../model/edits';
import type { FileModel } from '../../model/fileModel';
import { HashCall, hashCallOf } from '../../model/hashing';
import { skipOuter } from '../../model/imports';
import { entropyOf, entropyVerdict } from '../../model/randomness';
import { functionName, generatorClass } from '../../model/keySinks';
import { findDeclaration } from '../../model/scope';
import { HASH_RELEVANCE } from '../../model/textGates';

const { SyntaxKind } = ts;

const BROKEN = new Set(['md5', 'md4', 'md2', 'sha1', 'sha-1', 'rsa-sha1', 'rsa-md5', 'ripemd160', 'ripemd', 'rmd160', 'md5-sha1', 'sha1withrsaencryption']);
/** OWASP Password Storage Cheat Sheet: PBKDF2 iteration floors per digest. */
const PBKDF2_FLOOR: Record<string, number> = { sha1: 1_300_000, sha256: 600_000, sha512: 210_000 };
/** OWASP scrypt pairs (r = 8): N, p. */
const SCRYPT_PAIRS: [number, number][] = [[2 ** 17, 1], [2 ** 16, 2], [2 ** 15, 3], [2 ** 14, 5], [2 ** 13, 10]];
/** OWASP Argon2id pairs: memory (KiB), iterations. */
const ARGON2_PAIRS: [number, number][] = [[19456, 2], [47104, 1], [12288, 3], [9216, 4], [7168, 5]];

export default defineRule({
  meta: {
    id: 'apikey/weak-hash',
    title: 'Weak hash for passwords or keys',
    description: 'Passwords hashed with MD5/SHA-1 or any fast hash, API keys hashed with MD5/SHA-1, and password KDFs (bcrypt, PBKDF2, scrypt, Argon2) configured below the OWASP floors.',
    defaultSeverity: 'error',
    checklist: ['api-keys'],
    owasp: ['API2'],
    cwe: [328, 916, 327],
    scope: 'file',
    needsTypes: false,
    fixable: 'both',
    relevance: HASH_RELEVANCE,
    options: {
      bcryptRounds: { type: 'number', default: 12, description: 'bcrypt cost the fix raises low work factors to (at least 10).' },
    },
  },
  create(context) {
    const model = context.model;
    // Test code hashes fixture passwords fast on purpose.
    if (context.isTestLike) return {};
    const rounds = Math.max(10, Number(context.options.bcryptRounds ?? 12) || 12);
    const report = (d: ReportDescriptor) => {
      if (inTestHelper(d.node)) return; // createTestPasswordHash(), mockHash()
      context.report(d);
    };

    const onCall = (node: ts.Node) => {
      const call = node as ts.CallExpression;
      const h = hashCallOf(model, call);
      if (!h) return;
      if (h.kind === 'fast' || h.kind === 'hmac' || h.kind === 'helper') return checkFast(h);
      if (h.kind === 'kdf') return checkKdf(h);
    };

    const checkFast = (h: HashCall) => {
      let algorithm = h.algorithm;
      if (h.kind === 'helper') {
        // only helpers named after a fast algorithm: sha256(x), md5(x)
        const m = /^(md5|sha1|sha256|sha512|sha)\(\)$/i.exec(h.label);
        if (!m) return;
        algorithm = m[1].toLowerCase();
      }
      const input = credentialOf(h.input, { hashIsSafe: false }) ?? generatedKeyInput(model, h);
      if (!input) return;
      const broken = algorithm !== undefined && BROKEN.has(algorithm);
      const algName = algorithm ? prettyAlgorithm(algorithm) : 'an unknown algorithm';
      if (input.kind === 'password') {
        if (protocolContext(h.call)) return; // NTLM, SCRAM, MySQL/Postgres auth, HTTP Digest: a response computed for a peer, not storage
        if (breachCheck(h.call)) return; // HaveIBeenPwned k-anonymity range query: SHA-1 is the API's format
        if (tokenFunction(h.call)) return; // createAccessToken({ password, salt }): a generated token named password
        report({
          node: h.call, severity: 'error',
          message: `${describe(input)} is hashed with ${h.kind === 'hmac' ? `HMAC-${algName}` : algName}, a fast${broken ? ', broken' : ''} hash: passwords need a slow, salted KDF (argon2id, bcrypt or scrypt), or stolen hashes are cracked by brute force.`,
        });
        return;
      }
      if (!broken || h.kind === 'hmac') return; // SHA-256 of a high-entropy key is fine; HMAC-SHA1 is not broken as a MAC
      // A key mixed with other data (`${id}${user.jwtSecret}`) derives a code or MAC; it is not a stored key hash.
      if (!wholeValue(h.input)) return;
      // Truncated into a short code, or used as a cache key / ETag / fingerprint: not a stored key hash either.
      if (derivedNonSecurityUse(h.call)) return;
      const suggestions: CodeFix[] = [];
      if (h.algorithmArg && ts.isStringLiteralLike(skipOuter(h.algorithmArg))) {
        const q = skipOuter(h.algorithmArg).getText()[0];
        suggestions.push({ title: 'Hash with SHA-256 (existing stored hashes must be migrated)', edits: [replaceNode(skipOuter(h.algorithmArg), `${q}sha256${q}`)] });
      }
      report({
        node: h.call, severity: 'warning',
        message: `${describe(input)} is hashed with ${algName}, which is broken (collisions, fast to brute-force): use SHA-256 for high-entropy keys and tokens.`,
        suggestions,
      });
    };

    const checkKdf = (h: HashCall) => {
      const call = h.call as ts.CallExpression;
      const args = call.arguments;
      if (h.algorithm === 'bcrypt') {
        const isSalt = /genSalt/.test(h.label);
        const idx = isSalt ? 0 : 1;
        const arg = args[idx];
        if (!arg) return;
        const v = evaluate(model, arg);
        if (v.kind !== 'number' || v.value >= 10) return;
        const literal = numericLiteralOf(arg);
        const fix: CodeFix | undefined = literal ? { title: `Raise the bcrypt cost to ${rounds} (existing hashes keep verifying: bcrypt stores its cost)`, edits: [replaceNode(literal, String(rounds))] } : undefined;
        report({
          node: arg, severity: 'warning',
          message: `bcrypt cost ${v.value} is below the OWASP minimum of 10: each guess is ${2 ** (10 - v.value)}× cheaper than at cost 10. Use ${rounds}.`,
          fix,
        });
        return;
      }
      const input = credentialOf(h.input, {});
      if (input && input.kind !== 'password') return; // a KDF over a high-entropy key: cost does not matter
      if (derivesCipherKey(call)) return; // deriving an encryption key (from a server secret), not storing a password
      if (h.algorithm === 'pbkdf2' && !/CryptoJS/.test(h.label)) {
        const it = evaluate(model, args[2]);
        const dg = evaluate(model, args[4]);
        if (it.kind !== 'number' || dg.kind !== 'string') return;
        const floor = PBKDF2_FLOOR[dg.value.toLowerCase().replace('-', '')];
        if (!floor || it.value >= floor) return;
        report({
          node: args[2]!, severity: 'warning',
          message: `PBKDF2-${dg.value.toUpperCase()} with ${it.value.toLocaleString('en-US')} iterations is below the OWASP floor of ${floor.toLocaleString('en-US')}. Raw PBKDF2 output does not record its parameters, so raise it with a migration (re-hash on next login), not in place.`,
        });
        return;
      }
      if (h.algorithm === 'scrypt') {
        const optsArg = args[3] && !isFunctionArg(args[3]) ? args[3] : undefined;
        if (!optsArg) {
          report({
            node: call, severity: 'info',
            message: "scrypt with Node's default cost (N=16384, r=8, p=1) is below the OWASP floor (N=2^17 with p=1, or an equivalent pair). Raw scrypt output does not record its parameters, so raise the cost with a migration, and set `maxmem` when raising N.",
          });
          return;
        }
        const opts = evaluate(model, optsArg);
        if (opts.kind !== 'object' || opts.hasUnknownSpread) return;
        const N = numProp(model, opts, ['N', 'cost']) ?? 16384;
        const r = numProp(model, opts, ['r', 'blockSize']) ?? 8;
        const p = numProp(model, opts, ['p', 'parallelization']) ?? 1;
        if ([N, r, p].some((x) => Number.isNaN(x))) return;
        if (r >= 8 && SCRYPT_PAIRS.some(([n, pp]) => N >= n && p >= pp)) return;
        report({
          node: optsArg, severity: 'warning',
          message: `scrypt with N=${N}, r=${r}, p=${p} is below every OWASP pair (N=2^17/p=1 … N=2^13/p=10, r=8). Raw scrypt output does not record its parameters, so raise the cost with a migration (and \`maxmem\` for larger N), not in place.`,
        });
        return;
      }
      if (h.algorithm === 'argon2') checkArgon2(h, call);
    };

    const checkArgon2 = (h: HashCall, call: ts.CallExpression) => {
      const optsArg = call.arguments[1];
      if (!optsArg) return; // library defaults pass (node-argon2: m=65536, t=3; @node-rs/argon2: m=19456, t=2)
      const opts = evaluate(model, optsArg);
      if (opts.kind !== 'object' || opts.hasUnknownSpread) return;
      const nodeRs = h.label.startsWith('@node-rs');
      const m = numProp(model, opts, ['memoryCost']) ?? (nodeRs ? 19456 : 65536);
      const t = numProp(model, opts, ['timeCost']) ?? (nodeRs ? 2 : 3);
      const lit = asObjectLiteral(optsArg);
      if (!Number.isNaN(m) && !Number.isNaN(t) && !ARGON2_PAIRS.some(([pm, pt]) => m >= pm && t >= pt)) {
        let fix: CodeFix | undefined;
        if (lit) {
          const edits: TextEdit[] = [];
          const set = (name: string, value: number) => {
            const p = lit.properties.find((x) => propertyName(x.name) === name);
            if (p && ts.isPropertyAssignment(p)) { const n = numericLiteralOf(p.initializer); if (n) edits.push(replaceNode(n, String(value))); else edits.length = 0; }
            else if (!p) edits.push(addProperty(lit, `${name}: ${value}`));
          };
          if (m < 19456) set('memoryCost', 19456);
          if (t < 2) set('timeCost', 2);
          if (edits.length) fix = { title: 'Raise Argon2 to memoryCost 19456 KiB, timeCost 2 (old hashes keep verifying: Argon2 stores its parameters)', edits };
        }
        report({
          node: optsArg, severity: 'warning',
          message: `Argon2 with memoryCost ${m} KiB and timeCost ${t} is below every OWASP pair (19456 KiB/2, 47104/1, 12288/3, 9216/4, 7168/5).`,
          fix,
        });
      }
      const type = opts.props.get('type') ?? opts.props.get('algorithm');
      if (type?.valueNode) {
        const text = skipOuter(type.valueNode).getText();
        const tv = evaluate(model, type.valueNode);
        const weakType = /argon2[id]$|Argon2[id]$/.test(text) && !/argon2id$/i.test(text) || (tv.kind === 'number' && (tv.value === 0 || tv.value === 1) && !nodeRs) || (tv.kind === 'string' && /^argon2[id]$/.test(tv.value));
        if (weakType) {
          const nameNode = skipOuter(type.valueNode);
          const fix: CodeFix | undefined = ts.isPropertyAccessExpression(nameNode)
            ? { title: 'Use argon2id (old hashes keep verifying: the variant is stored in the hash)', edits: [replaceNode(nameNode.name, nameNode.name.text.replace(/2([id])$/, '2id'))] }
            : undefined;
          report({ node: type.valueNode, severity: 'info', message: 'Argon2i/Argon2d is used for password hashing: OWASP recommends Argon2id, which resists both side-channel and GPU attacks.', fix });
        }
      }
    };

    return { nodes: { CallExpression: onCall } };
  },
});

/**
 * Client-side authentication protocols hash the password to answer a server challenge (NTLM, SCRAM, MySQL
 * native/caching_sha2 auth, PostgreSQL md5 auth, HTTP Digest); the algorithm is fixed by the protocol and the
 * result is never stored. Recognised by the protocol vocabulary in the enclosing functions.
 */
function protocolContext(call: ts.Node): boolean {
  let fns = 0;
  for (let p: ts.Node | undefined = call.parent; p && fns < 2; p = p.parent) {
    if (!ts.isFunctionLike(p)) continue;
    fns++;
    if (/\b(challenge|serverChallenge|scramble|sasl|ntlm|realm|handshake|authPluginData|serverSignature|clientProof|clientKey|serverKey|nonce|cnonce)\b/i.test(p.getText())) return true;
  }
  return false;
}

/**
 * E8's second evidence for a bare `key`/`token`/`secret`: the hashed value was generated as key material
 * (`const key = randomBytes(32)…`), or the digest is stored under a key-hash name (`keyHash`, `tokenHash`).
 */
function generatedKeyInput(model: FileModel, h: HashCall): CredentialRef | undefined {
  const x = h.input && skipOuter(h.input);
  if (!x || !ts.isIdentifier(x) || !/^(key|token|secret|raw_?key|plain(text)?_?key|new_?key)$/i.test(x.text)) return undefined;
  const d = findDeclaration(x);
  const generated = !!d && d.kind === 'variable' && !!d.initializer && !d.path && (() => { const e = entropyOf(model, d.initializer!); const v = entropyVerdict(e); return v !== 'none' && !e.opaque; })();
  if (generated || storedUnderKeyHashName(h.call)) return { kind: 'key', name: x.text, node: x, fromRequest: false };
  return undefined;
}

function storedUnderKeyHashName(call: ts.Node): boolean {
  let cur: ts.Node = call;
  while (cur.parent && (ts.isPropertyAccessExpression(cur.parent) || ts.isCallExpression(cur.parent) && cur.parent.expression === cur || ts.isParenthesizedExpression(cur.parent) || ts.isAwaitExpression(cur.parent))) cur = cur.parent;
  const p = cur.parent;
  const name = p && (ts.isPropertyAssignment(p) || ts.isVariableDeclaration(p)) ? p.name.getText() : p && ts.isBinaryExpression(p) ? p.left.getText().replace(/^.*\./, '') : '';
  return /^(api_?)?(key|token|secret)_?(hash|digest)$/i.test(name);
}

/** The hashed input is the credential itself (after formatting), not a concatenation with other data. */
function wholeValue(e: ts.Expression | undefined): boolean {
  if (!e) return false;
  const x = skipOuter(e);
  if (ts.isIdentifier(x) || ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) return true;
  if (ts.isCallExpression(x)) {
    const c = skipOuter(x.expression);
    if (ts.isPropertyAccessExpression(c) && /^(toString|trim|normalize|toLowerCase|toUpperCase)$/.test(c.name.text)) return wholeValue(c.expression);
    if (ts.isIdentifier(c) && c.text === 'String' || ts.isPropertyAccessExpression(c) && c.getText() === 'Buffer.from') return wholeValue(x.arguments[0]);
  }
  return false;
}

/**
 * A PBKDF2/scrypt call that derives an encryption key: its result goes to `createCipheriv`/`createDecipheriv`, is
 * held in a `key`-named binding, or is returned by a function named for keys (`getKey`, `deriveEncryptionKey`).
 */
function derivesCipherKey(call: ts.CallExpression): boolean {
  const keyName = (n: string) => /key|cipher|encrypt|aes/i.test(n) && !/hash|password|passwd|verify|digest/i.test(n);
  let cur: ts.Node = call;
  while (ts.isAwaitExpression(cur.parent) || ts.isParenthesizedExpression(cur.parent) || ts.isAsExpression(cur.parent)) cur = cur.parent;
  const p = cur.parent;
  const isCipher = (c: ts.Node) => ts.isCallExpression(c) && /(^|\.)(createCipheriv|createDecipheriv|createCipher|createDecipher)$/.test(c.expression.getText());
  if (isCipher(p)) return true;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && keyName(p.name.text)) return true;
  const fn = ts.isReturnStatement(p) ? enclosingFunctionOf(p) : ts.isArrowFunction(p) && p.body === cur ? p : undefined;
  if (fn) {
    const name = (fn as { name?: ts.Node }).name?.getText() ?? (ts.isVariableDeclaration(fn.parent) ? fn.parent.name.getText() : '');
    if (name && keyName(name)) return true;
  }
  // scrypt(pw, salt, 32, (err, key) => …)
  const cb = call.arguments[call.arguments.length - 1];
  if (cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) && cb.parameters[1] && keyName(cb.parameters[1].name.getText())) return true;
  return false;
}

function enclosingFunctionOf(n: ts.Node): ts.SignatureDeclaration | undefined {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return p;
  return undefined;
}

/** The digest is cut down (`.slice(0, 8)`) or lands in a cache key, ETag, fingerprint, checksum or lock name. */
function derivedNonSecurityUse(call: ts.Node): boolean {
  let cur: ts.Node = call;
  for (let i = 0; i < 8; i++) {
    const p = cur.parent;
    if (ts.isPropertyAccessExpression(p) && ts.isCallExpression(p.parent) && p.parent.expression === p) {
      if (/^(slice|substring|substr)$/.test(p.name.text)) return true;
      cur = p.parent;
      continue;
    }
    if (ts.isParenthesizedExpression(p) || ts.isAwaitExpression(p) || ts.isAsExpression(p)) { cur = p; continue; }
    const NON_SECURITY = /etag|cache|checksum|fingerprint|gravatar|bucket|shard|partition|lock|dedupe|fileName|filename|cacheKey/i;
    if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) return NON_SECURITY.test(p.name.getText());
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === SyntaxKind.EqualsToken) return NON_SECURITY.test(p.left.getText());
    if (ts.isCallExpression(p) && p.arguments[0] && ts.isStringLiteralLike(p.arguments[0]) && /^etag$/i.test(p.arguments[0].text)) return true;
    return false;
  }
  return false;
}

/** Inside a function named for tests (`createTestPasswordHash`, `mockHash`, `fakeDigest`). */
function inTestHelper(n: ts.Node): boolean {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) {
      const name = (p as { name?: ts.Node }).name?.getText() ?? (ts.isVariableDeclaration(p.parent) ? p.parent.name.getText() : '');
      if (/(^|[a-z_])(Test|Mock|Fake|Dummy|Stub|Fixture)|^(test|mock|fake|dummy|stub|fixture)/.test(name)) return true;
    }
  }
  return false;
}

/** HaveIBeenPwned / breach checks: the SHA-1 prefix is sent to the range API, nothing is stored. */
function breachCheck(call: ts.Node): boolean {
  for (let p: ts.Node | undefined = call.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) return /pwned|hibp|breach|compromised|leaked/i.test(p.getText().slice(0, 4000));
  }
  return /pwned|hibp/i.test(call.getSourceFile().text);
}

/** The enclosing function is named for tokens or keys (`createAccessToken`, `hashApiKey`): its input is key material. */
function tokenFunction(call: ts.Node): boolean {
  for (let p: ts.Node | undefined = call.parent; p; p = p.parent) {
    if (!ts.isFunctionLike(p)) continue;
    const name = functionName(p)?.name;
    if (!name) return false;
    const c = generatorClass(name.replace(/^(hash|digest|sign)/i, 'create'));
    return c === 'token' || c === 'apiKey' || c === 'secret' || c === 'key';
  }
  return false;
}

function prettyAlgorithm(a: string): string {
  const m = /^(sha|sha3|ripemd|md)-?(\d+)$/.exec(a);
  if (m) return m[1] === 'md' ? `MD${m[2]}` : m[1] === 'ripemd' ? `RIPEMD-${m[2]}` : `${m[1].toUpperCase()}-${m[2]}`;
  return a.toUpperCase();
}

function describe(c: CredentialRef): string {
  const what = c.kind === 'password' ? 'A password' : c.kind === 'secret' ? 'A secret' : c.kind === 'key' ? 'A key' : 'A token/API key';
  return `${what} (\`${c.name}\`${c.fromRequest ? ' from the request' : ''})`;
}

function numProp(model: FileModel, obj: Value, names: string[]): number | undefined {
  if (obj.kind !== 'object') return undefined;
  for (const n of names) {
    const p = obj.props.get(n);
    if (!p) continue;
    const v = p.valueNode ? evaluate(p.model, p.valueNode) : undefined;
    return v?.kind === 'number' ? v.value : NaN;
  }
  void model;
  return undefined;
}

/** The numeric literal behind an argument: itself, or a `const` initializer in the same file. */
function numericLiteralOf(e: ts.Expression): ts.NumericLiteral | undefined {
  const x = skipOuter(e);
  if (ts.isNumericLiteral(x)) return x;
  if (ts.isIdentifier(x)) {
    const d = findDeclaration(x);
    if (d && d.kind === 'variable' && d.isConst && !d.path && d.initializer && ts.isNumericLiteral(skipOuter(d.initializer)) && d.nameNode.getSourceFile() === x.getSourceFile()) return skipOuter(d.initializer) as ts.NumericLiteral;
  }
  return undefined;
}

void insertArgument;
void (null as unknown as Severity);
