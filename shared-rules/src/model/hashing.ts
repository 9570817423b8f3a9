import ts = require('typescript');
import { evaluate } from './constEval';
import type { FileModel } from './fileModel';
import { skipOuter } from './imports';
import { findDeclaration } from './scope';

/**
 * Hashes, KDFs and encryption calls (shared by `apikey/weak-hash`, `apikey/plaintext-storage` and
 * `apikey/non-constant-time-compare`): what a call does to its input, with which algorithm, and where the input is.
 *
 * - fast:    `createHash(alg)`, `crypto.hash(alg, x)`, crypto-js `MD5/SHA1/SHA256…`, `md5`, `js-sha1`, `js-sha256`, `sha1`
 * - hmac:    `createHmac(alg, key)`, crypto-js `HmacSHA256…`
 * - kdf:     bcrypt/bcryptjs/@node-rs/bcrypt `hash|hashSync|genSalt`, argon2/@node-rs/argon2 `hash`, `scrypt(Sync)`,
 *            `pbkdf2(Sync)` (also promisified), crypto-js `PBKDF2`
 * - encrypt: `createCipheriv`, `publicEncrypt`, KMS `encrypt`/`EncryptCommand`, jose `CompactEncrypt`/`EncryptJWT`
 * - helper:  a workspace function whose name says it hashes (`hashPassword`, `sha256`, `hashApiKey`)
 */
export type HashKind = 'fast' | 'hmac' | 'kdf' | 'encrypt' | 'helper';

export interface HashCall {
  kind: HashKind;
  /** Lower-cased algorithm (`md5`, `sha1`, `sha256`, `bcrypt`, `argon2`, `scrypt`, `pbkdf2`) when known. */
  algorithm?: string;
  /** The library or helper, for messages. */
  label: string;
  /** The call to report at / edit (for `createHash(alg).update(x).digest()`: the `createHash` call). */
  call: ts.CallExpression | ts.NewExpression;
  /** The hashed input, when visible (`.update(x)` of the chain or of the hash object variable). */
  input?: ts.Expression;
  /** The algorithm argument (for edits). */
  algorithmArg?: ts.Expression;
}

const CRYPTOJS_FAST: Record<string, string> = { MD5: 'md5', SHA1: 'sha1', SHA224: 'sha224', SHA256: 'sha256', SHA384: 'sha384', SHA512: 'sha512', SHA3: 'sha3', RIPEMD160: 'ripemd160' };
const FAST_PACKAGES: Record<string, string> = { 'md5': 'md5', 'js-md5': 'md5', 'blueimp-md5': 'md5', 'md5-hex': 'md5', 'sha1': 'sha1', 'js-sha1': 'sha1', 'js-sha256': 'sha256', 'js-sha512': 'sha512', 'sha256': 'sha256', 'hash.js': '' };

/** Classifies a call; for method chains pass the outermost call of interest (e.g. the `digest()` call). */
export function hashCallOf(model: FileModel, node: ts.CallExpression | ts.NewExpression): HashCall | undefined {
  const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  const resolved = model.resolveCall(node);
  let sym = resolved?.symbol;
  if (!sym && ts.isCallExpression(node) && ts.isIdentifier(node.expression)) sym = promisified(model, node.expression);
  if (sym) {
    const s = sym.replace(/^node:/, '');
    const c = /^crypto\.(createHash|createHmac|hash|scrypt|scryptSync|pbkdf2|pbkdf2Sync|createCipheriv|createCipher|publicEncrypt|privateEncrypt)$/.exec(s);
    if (c) {
      const fn = c[1];
      if (fn === 'createHash' || fn === 'createHmac') {
        const alg = algorithmOf(model, args[0]);
        return { kind: fn === 'createHash' ? 'fast' : 'hmac', algorithm: alg, label: `${fn}('${alg ?? '?'}')`, call: node, input: updateInput(node), algorithmArg: args[0] };
      }
      if (fn === 'hash') { const alg = algorithmOf(model, args[0]); return { kind: 'fast', algorithm: alg, label: `crypto.hash('${alg ?? '?'}')`, call: node, input: args[1], algorithmArg: args[0] }; }
      if (fn.startsWith('scrypt')) return { kind: 'kdf', algorithm: 'scrypt', label: fn, call: node, input: args[0] };
      if (fn.startsWith('pbkdf2')) return { kind: 'kdf', algorithm: 'pbkdf2', label: fn, call: node, input: args[0] };
      return { kind: 'encrypt', label: fn, call: node, input: fn === 'publicEncrypt' || fn === 'privateEncrypt' ? args[1] : undefined };
    }
    const b = /^(bcrypt|bcryptjs|bcrypt-nodejs|@node-rs\/bcrypt)\.(?:default\.)?(hash|hashSync|genSalt|genSaltSync)$/.exec(s);
    if (b) return { kind: 'kdf', algorithm: 'bcrypt', label: `${b[1]}.${b[2]}`, call: node, input: b[2].startsWith('hash') ? args[0] : undefined };
    const a = /^(argon2|@node-rs\/argon2|argon2-browser)\.(?:default\.)?(hash|hashSync|hashRaw|hashRawSync)$/.exec(s);
    if (a) return { kind: 'kdf', algorithm: 'argon2', label: `${a[1]}.${a[2]}`, call: node, input: args[0] };
    const cj = /^crypto-js(?:\.default)?\.(\w+)$/.exec(s) ?? /^crypto-js\/(\w+)\.default$/.exec(s);
    if (cj) {
      const name = cj[1].toUpperCase();
      if (CRYPTOJS_FAST[name]) return { kind: 'fast', algorithm: CRYPTOJS_FAST[name], label: `CryptoJS.${cj[1]}`, call: node, input: args[0] };
      if (/^HMAC/.test(name)) return { kind: 'hmac', algorithm: name.slice(4).toLowerCase(), label: `CryptoJS.${cj[1]}`, call: node, input: args[0] };
      if (name === 'PBKDF2') return { kind: 'kdf', algorithm: 'pbkdf2', label: 'CryptoJS.PBKDF2', call: node, input: args[0] };
      if (/^(AES|DES|TRIPLEDES|RABBIT|RC4)$/.test(name)) return undefined; // .encrypt is a member call
    }
    const cjEnc = /^crypto-js(?:\.default)?\.(AES|TripleDES|Rabbit|RC4)\.encrypt$/.exec(s);
    if (cjEnc) return { kind: 'encrypt', label: `CryptoJS.${cjEnc[1]}.encrypt`, call: node, input: args[0] };
    const pkg = /^([^.]+)\.(default|hex|sha1|sha256|md5)$/.exec(s);
    if (pkg && pkg[1] in FAST_PACKAGES && FAST_PACKAGES[pkg[1]]) return { kind: 'fast', algorithm: FAST_PACKAGES[pkg[1]], label: pkg[1], call: node, input: args[0] };
    if (/^(@aws-sdk\/client-kms\.EncryptCommand|@google-cloud\/kms|jose\.(CompactEncrypt|EncryptJWT|FlattenedEncrypt|GeneralEncrypt))/.test(s)) return { kind: 'encrypt', label: s, call: node };
    return undefined;
  }
  // Workspace helpers and methods by name: hashPassword(x), this.hash(x), sha256(x), encrypt(x), kms.encrypt(...)
  if (ts.isCallExpression(node)) {
    const callee = skipOuter(node.expression);
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (!name) return undefined;
    if (/encrypt|seal|cipher/i.test(name) && !/decrypt|unseal|decipher/i.test(name)) return { kind: 'encrypt', label: `${name}()`, call: node, input: args[0] };
    if (/hash|digest|^sha\d*|^md5$|bcrypt|argon|scrypt|pbkdf/i.test(name) && !/^(un|de)hash|rehash$|needsRehash|^(is|has|compare|verify|check)/i.test(name) && !/^(hashCode|digest|update|hashKey|hashes)$/.test(name)) {
      return { kind: 'helper', label: `${name}()`, call: node, input: args[0] };
    }
  }
  return undefined;
}

/** `const scryptAsync = promisify(scrypt)` → `crypto.scrypt`. */
function promisified(model: FileModel, id: ts.Identifier): string | undefined {
  const d = findDeclaration(id);
  if (!d || d.kind !== 'variable' || !d.initializer || d.path) return undefined;
  const init = skipOuter(d.initializer);
  if (!ts.isCallExpression(init) || !init.arguments[0]) return undefined;
  const callee = model.resolveCall(init)?.symbol;
  const isPromisify = callee === 'util.promisify' || init.expression.getText() === 'promisify' || init.expression.getText() === 'util.promisify';
  if (!isPromisify) return undefined;
  return model.librarySymbol(init.arguments[0]);
}

function algorithmOf(model: FileModel, e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const v = evaluate(model, e);
  return v.kind === 'string' ? v.value.toLowerCase() : undefined;
}

/**
 * The input of `createHash(alg)`: `.update(x)` chained on the call, or on the variable holding the hash object
 * (`const h = createHash('md5'); h.update(x)`). Several updates: the first one that is not a literal.
 */
export function updateInput(createCall: ts.CallExpression | ts.NewExpression): ts.Expression | undefined {
  // chained
  const updates: ts.Expression[] = [];
  let cur: ts.Node = createCall;
  while (cur.parent && ts.isPropertyAccessExpression(cur.parent) && ts.isCallExpression(cur.parent.parent) && cur.parent.parent.expression === cur.parent) {
    const call = cur.parent.parent;
    if (cur.parent.name.text === 'update' && call.arguments[0]) updates.push(call.arguments[0]);
    cur = call;
  }
  if (updates.length) return updates.find((u) => !ts.isStringLiteralLike(skipOuter(u))) ?? updates[0];
  // const h = createHash('md5'); h.update(x)
  const decl = createCall.parent;
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name)) {
    const name = decl.name.text;
    let fn: ts.Node | undefined;
    for (let p: ts.Node | undefined = decl.parent; p; p = p.parent) if (ts.isFunctionLike(p) || ts.isSourceFile(p)) { fn = p; break; }
    let found: ts.Expression | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'update' && ts.isIdentifier(n.expression.expression)
        && n.expression.expression.text === name && n.arguments[0] && !ts.isStringLiteralLike(skipOuter(n.arguments[0]))) found = n.arguments[0];
      ts.forEachChild(n, visit);
    };
    if (fn) visit(fn);
    return found;
  }
  return undefined;
}

/** The outermost expression of a `createHash(...).update(...).digest(...)` chain (where the hash value flows on). */
export function chainEnd(createCall: ts.Expression): ts.Expression {
  let cur: ts.Expression = createCall;
  while (cur.parent && ts.isPropertyAccessExpression(cur.parent) && ts.isCallExpression(cur.parent.parent) && cur.parent.parent.expression === cur.parent) cur = cur.parent.parent;
  return cur;
}
