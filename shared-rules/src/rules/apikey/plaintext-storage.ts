import ts = require('typescript');
import type { Project } from '../../engine/project';
import { CodeFix, defineRule, Severity, TextEdit } from '../../engine/types';
import { credentialOf } from '../../model/credentials';
import { DataWrite, dataWriteOf, entityField, savedObject, WrittenValue } from '../../model/dataWrites';
import { moduleStyle } from '../../model/fileKind';
import type { FileModel } from '../../model/fileModel';
import { hashCallOf } from '../../model/hashing';
import { requireSpecifier, skipOuter } from '../../model/imports';
import { generatorClass, keyClass, KeyClass } from '../../model/keySinks';
import { CryptoImports, importInsertionPoint } from '../../model/nodeCrypto';
import { entropyOf, entropyVerdict } from '../../model/randomness';
import { requestSource } from '../../model/requestInput';
import { findDeclaration, isReassigned } from '../../model/scope';
import { classifyName, splitName } from '../../model/sensitiveNames';
import { KEY_NAMES } from '../../model/textGates';

const { SyntaxKind } = ts;

/** Where a stored value comes from. */
interface Origin {
  kind: 'generated' | 'password';
  /** The source expression (for the message and the related location). */
  node: ts.Node;
  label: string;
  /** The value crossed a function boundary (parameter, workspace helper): medium confidence. */
  crossFunction: boolean;
  /** A key-like name the value was held under on its way (`const apiKey = …`). */
  heldAs?: string;
}

interface Verdict { origin?: Origin; protectedBy?: 'hash' | 'encrypt' | 'prefix'; encryptedOrigin?: Origin }

/** Key classes whose plaintext must not be stored (session ids, OTPs, CSRF and OAuth values are short-lived or not bearer secrets). */
const STORED_SECRET_CLASSES = new Set<KeyClass>(['apiKey', 'token', 'reset', 'key', 'password']);
// Not `secret`: webhook/postback signing secrets and encryption keys must be readable by the server that signs with them.

export default defineRule({
  meta: {
    id: 'apikey/plaintext-storage',
    title: 'API key or password stored without hashing',
    description: 'A generated key/token or a user-supplied password is written to the database as plaintext, so a database leak hands out working credentials.',
    defaultSeverity: 'error',
    checklist: ['api-keys'],
    owasp: ['API2'],
    cwe: [256, 312, 522],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
    relevance: KEY_NAMES,
  },
  create(context) {
    const model = context.model;
    // Test code writes fixture users and keys to throw-away databases.
    if (context.isTestLike) return {};
    let hook: boolean | undefined;
    let hashes: boolean | undefined;
    const passwordHook = () => (hook ??= passwordHashedByHook(context.project));

    const checkValue = (w: WrittenValue, target: string | undefined, reportNode: ts.Node, lock = false, write?: DataWrite) => {
      const column = w.column;
      if (column && protectedColumn(column)) return;
      const v = originOf(model, w.value, 0);
      if (v.protectedBy === 'hash' || v.protectedBy === 'prefix') return;
      const origin = v.origin ?? v.encryptedOrigin;
      if (!origin) return;
      if (origin.kind === 'generated' && !storesSecret(column, target, origin)) return;
      if (lock) return; // a lock owner token (SET NX), not a credential
      if (origin.kind === 'password' && passwordHook()) return;
      // A password that arrives as a parameter is usually hashed by the caller when the project hashes passwords anywhere.
      if (origin.kind === 'password' && origin.crossFunction && (hashes ??= projectHashesPasswords(context.project))) return;
      const where = column ? `\`${column}\`` : target ? `\`${target}\`` : 'the database';
      if (v.protectedBy === 'encrypt' || (!v.origin && v.encryptedOrigin)) {
        context.report({
          node: reportNode, severity: 'info',
          message: `${describe(origin, column)} is stored encrypted in ${where}: fine for credentials you must replay, but keys you only verify are safer hashed (SHA-256 for random keys, argon2id/bcrypt for passwords), since an encryption key leak exposes them all.`,
        });
        return;
      }
      const severity: Severity = origin.crossFunction ? 'warning' : 'error';
      const suggestions = suggestion(model, w, origin);
      context.report({
        node: reportNode, severity,
        message: origin.kind === 'password'
          ? `${describe(origin, column)} is stored in ${where} without hashing: a database leak exposes every user's password. Hash it with argon2id or bcrypt before storing.`
          : `${describe(origin, column)} is stored in ${where} as plaintext: anyone who can read the database can use it. Store a SHA-256 hash (and a short prefix for lookup) and show the key only once.`,
        suggestions,
        related: [{ node: origin.node, message: 'value created here' }, ...fieldLocation(model, write, column)],
      });
    };

    const onCall = (node: ts.Node) => {
      const w = dataWriteOf(model, node as ts.CallExpression);
      if (!w) return;
      for (const v of w.values) {
        const reportNode = v.columnNode && v.columnNode.parent && ts.isShorthandPropertyAssignment(v.columnNode.parent) ? v.columnNode.parent : v.value;
        checkValue(v, w.target, reportNode, w.lock, w);
      }
    };
    const onAssign = (node: ts.Node) => {
      const b = node as ts.BinaryExpression;
      if (b.operatorToken.kind !== SyntaxKind.EqualsToken) return;
      const left = skipOuter(b.left);
      if (!ts.isPropertyAccessExpression(left)) return;
      if (!savedObject(model, b)) return;
      checkValue({ column: left.name.text, columnNode: left.name, value: b.right }, undefined, b.right);
    };
    return {
      nodes: {
        CallExpression: onCall,
        NewExpression: onCall,
        TaggedTemplateExpression: onCall,
        BinaryExpression: onAssign,
      },
    };
  },
});

/** RULES step 4: point at the entity field (TypeORM property, Mongoose schema path) that receives the plaintext. */
function fieldLocation(model: FileModel, write: DataWrite | undefined, column: string | undefined): { node: ts.Node; message: string }[] {
  if (!write || !column) return [];
  const field = entityField(model, write, column);
  return field ? [{ node: field, message: `\`${column}\` is declared here: store a hash in it (and rename it, e.g. \`${column}Hash\`)` }] : [];
}

function describe(o: Origin, column?: string): string {
  if (o.kind === 'password') return `The password${o.label ? ` (${o.label})` : ''}`;
  const cls = (o.heldAs && keyClass(o.heldAs)) || (column && keyClass(column));
  const what = cls === 'apiKey' ? 'API key' : cls === 'reset' ? 'one-time token' : cls === 'secret' ? 'secret' : cls === 'token' ? 'token' : 'key';
  return `The generated ${what}${o.heldAs ? ` \`${o.heldAs}\`` : ''}${o.label ? ` (${o.label})` : ''}`;
}

/** `randomInt(100000, 1000000)`, `Math.floor(100000 + Math.random() * 900000)`: a short numeric code. */
function numericCode(n: ts.Node): boolean {
  let cur: ts.Node = n;
  while (cur.parent && (ts.isCallExpression(cur.parent) || ts.isPropertyAccessExpression(cur.parent) || ts.isBinaryExpression(cur.parent) || ts.isParenthesizedExpression(cur.parent) || ts.isTemplateSpan(cur.parent) || ts.isTemplateExpression(cur.parent) || ts.isElementAccessExpression(cur.parent))) {
    const p = cur.parent;
    if (ts.isElementAccessExpression(p) && p.argumentExpression === cur) return false; // chars[randomIndex]: picks characters
    if (ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && /^(charAt|at|codePointAt)$/.test(p.expression.name.text) && p.arguments.includes(cur as ts.Expression)) return false;
    cur = p;
  }
  const text = (ts.isVariableDeclaration(cur.parent) || ts.isPropertyAssignment(cur.parent) ? cur.parent : cur).getText();
  return /randomInt\s*\(|Math\.floor\s*\(/.test(text) && !/toString\(\s*(16|36|32)\s*\)|randomBytes|base64/.test(text);
}

/** Hash-suffixed, encrypted, prefix and display columns are fine (E8 "stored in plaintext" exclusions). */
function protectedColumn(column: string): boolean {
  const words = splitName(column);
  const last = words[words.length - 1] ?? '';
  const first = words[0] ?? '';
  return /^(hash|hashed|digest|hmac|encrypted|enc|cipher|ciphertext|sha256|sha512|bcrypt|argon2|prefix|last4|suffix|hint|preview|masked|mask|id|ids|expires|expiry|at|length|count|salt)$/.test(last)
    || /^(hashed|encrypted|masked|display|last4)$/.test(first);
}

/** A generated value is a stored secret when its column, its variable or its table says so. */
function storesSecret(column: string | undefined, target: string | undefined, origin: Origin): boolean {
  const col = column ? keyClass(column) : undefined;
  if (col && STORED_SECRET_CLASSES.has(col) && col !== 'key') return true;
  const held = origin.heldAs ? keyClass(origin.heldAs) ?? (generatorClass(origin.heldAs) === 'apiKey' ? 'apiKey' : undefined) : undefined;
  const table = target ? keyClass(target.replace(/[^A-Za-z0-9_]/g, '')) ?? tableClass(target) : undefined;
  const genericColumn = !column || col === 'generic' || /^(value|secret|token|key|code|raw|plain)$/i.test(column);
  if (genericColumn && ((held && STORED_SECRET_CLASSES.has(held)) || (table && STORED_SECRET_CLASSES.has(table)))) return true;
  return false;
}

function tableClass(target: string): KeyClass | undefined {
  const t = target.toLowerCase().replace(/[^a-z]/g, '');
  if (/^(apikeys?|apitokens?|accesstokens?|personalaccesstokens?|servicetokens?|refreshtokens?|passwordresets?|passwordresettokens?|resettokens?)$/.test(t)) return t.includes('reset') ? 'reset' : 'apiKey';
  return undefined;
}

const PASS_METHODS = /^(toString|trim|toLowerCase|toUpperCase|normalize|valueOf|then|slice|substring|substr|replace|replaceAll)$/;

/** `key.slice(0, 8)`, `key.substring(0, 6)`, `key.slice(-4)`, `key.at(-1)`: a short display prefix/suffix, not the key. */
function isShortPrefix(call: ts.CallExpression, method: string): boolean {
  const a = call.arguments;
  const num = (x: ts.Expression | undefined) => {
    const e = x && skipOuter(x);
    if (!e) return undefined;
    if (ts.isNumericLiteral(e)) return Number(e.text);
    if (ts.isPrefixUnaryExpression(e) && e.operator === SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return -Number(e.operand.text);
    return undefined;
  };
  if (method === 'at' || method === 'charAt' || method === 'padStart') return true;
  if (!/^(slice|substring|substr)$/.test(method)) return false;
  const start = num(a[0]);
  const end = num(a[1]);
  if (start === 0 && end !== undefined && end > 0 && end <= 16) return true;
  if (start !== undefined && start < 0 && start >= -8 && a.length === 1) return true;
  return false;
}

/** Follows the stored expression back to a generator or a password, stopping at hashes, encryption and prefixes. */
function originOf(model: FileModel, expr: ts.Expression | undefined, depth: number, cross = false, heldAs?: string): Verdict {
  if (!expr || depth > 10) return {};
  let e = skipOuter(expr);
  if (ts.isAwaitExpression(e)) e = skipOuter(e.expression);
  if (ts.isTemplateExpression(e)) return combine(e.templateSpans.map((s) => originOf(model, s.expression, depth + 1, cross, heldAs)));
  if (ts.isBinaryExpression(e)) {
    const k = e.operatorToken.kind;
    if (k === SyntaxKind.PlusToken) return combine([originOf(model, e.left, depth + 1, cross, heldAs), originOf(model, e.right, depth + 1, cross, heldAs)]);
    if (k === SyntaxKind.BarBarToken || k === SyntaxKind.QuestionQuestionToken) return combine([originOf(model, e.left, depth + 1, cross, heldAs), originOf(model, e.right, depth + 1, cross, heldAs)]);
    return {};
  }
  if (ts.isConditionalExpression(e)) return combine([originOf(model, e.whenTrue, depth + 1, cross, heldAs), originOf(model, e.whenFalse, depth + 1, cross, heldAs)]);
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) {
    const h = hashCallOf(model, e);
    if (h) {
      if (h.kind !== 'encrypt') return { protectedBy: 'hash' };
      const inner = originOf(model, h.input ?? e.arguments?.[0], depth + 1, cross, heldAs);
      return { protectedBy: 'encrypt', encryptedOrigin: inner.origin };
    }
    const callee = skipOuter(e.expression);
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(callee)) {
      const m = callee.name.text;
      if (isShortPrefix(e, m) || /^(last4|prefix|mask|redact|truncate)/i.test(m)) return { protectedBy: 'prefix' };
      if (m === 'digest' || m === 'update' || PASS_METHODS.test(m)) {
        const r = originOf(model, callee.expression, depth + 1, cross, heldAs);
        if (r.protectedBy || r.origin) return r;
        if (m === 'update') return originOf(model, e.arguments[0], depth + 1, cross, heldAs);
        return r;
      }
    }
    if (ts.isCallExpression(e) && ts.isIdentifier(callee) && /^(String|JSON\.stringify)$/.test(callee.text)) return originOf(model, e.arguments[0], depth + 1, cross, heldAs);
    if (ts.isCallExpression(e) && ts.isIdentifier(callee) && /^(mask|redact|last4|truncate)/i.test(callee.text)) return { protectedBy: 'prefix' };
    // key generators, also through workspace helpers
    const ent = entropyOf(model, e);
    const verdict = entropyVerdict(ent);
    if (verdict !== 'none' && !ent.opaque) {
      const src = [...ent.strong, ...ent.weak, ...ent.time, ...ent.timeOrdered][0];
      // one-time numeric codes (through generateOtp() or randomInt): not worth hashing
      if (ent.via.some((v) => generatorClass(v.name.replace(/^.*\./, '')) === 'otp') || numericCode(src.node)) return {};
      return { origin: { kind: 'generated', node: e, label: src.label, crossFunction: cross || ent.via.length > 0, heldAs } };
    }
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    const gc = name ? generatorClass(name) : undefined;
    if (gc && STORED_SECRET_CLASSES.has(gc) && gc !== 'key' && /^(generate|gen|create|new|issue|make|mint)/i.test(name)) {
      return { origin: { kind: 'generated', node: e, label: `${name}()`, crossFunction: true, heldAs } };
    }
    return {};
  }
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const cred = credentialOf(e, { hashIsSafe: true, followInitializers: false });
    if (cred?.kind !== 'password') return {};
    if (requestSource(e)) return { origin: { kind: 'password', node: e, label: `\`${e.getText()}\` from the request`, crossFunction: cross } };
    // dto.password where dto is a parameter (a service called by the controller)
    const root = rootIdentifier(e);
    const d = root && findDeclaration(root);
    if (d && d.kind === 'parameter') return { origin: { kind: 'password', node: e, label: `\`${e.getText()}\``, crossFunction: true } };
    if (d && d.kind === 'variable' && d.initializer) {
      const base = originBase(model, d.initializer);
      if (base) return { origin: { kind: 'password', node: e, label: `\`${e.getText()}\``, crossFunction: cross } };
    }
    return {};
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (!d) return {};
    if (d.kind === 'parameter') {
      const cred = credentialOf(e, { hashIsSafe: true, followInitializers: false });
      if (cred?.kind === 'password') {
        if (requestSource(e)) return { origin: { kind: 'password', node: e, label: `\`${e.text}\` from the request`, crossFunction: cross } };
        return { origin: { kind: 'password', node: e, label: `parameter \`${e.text}\``, crossFunction: true } };
      }
      return {};
    }
    if (d.kind === 'variable') {
      if (d.path) {
        // const { password } = req.body
        const last = d.path[d.path.length - 1];
        if (d.initializer && classifyName(last, { hashIsSafe: true }) === 'password' && requestSource(d.initializer)) {
          return { origin: { kind: 'password', node: e, label: `\`${last}\` from the request`, crossFunction: cross } };
        }
        return {};
      }
      const held = keyClass(d.name) ? d.name : heldAs;
      if (d.initializer && !d.isConst && isReassigned(d)) {
        // let token = ''; for (…) token += chars[randomInt(n)]
        const ent = entropyOf(model, e);
        const verdict = entropyVerdict(ent);
        if (verdict === 'none' || ent.opaque) return {};
        const src = [...ent.strong, ...ent.weak, ...ent.time, ...ent.timeOrdered][0];
        if (numericCode(src.node)) return {};
        return { origin: { kind: 'generated', node: e, label: src.label, crossFunction: cross || ent.via.length > 0, heldAs: held } };
      }
      if (!d.initializer) return {};
      if (/lock|mutex|semaphore|lease/i.test(d.name)) return {};
      const sameFn = enclosingFn(d.nameNode) === enclosingFn(e);
      return originOf(model, d.initializer, depth + 1, cross || !sameFn, held);
    }
  }
  return {};
}

/** `const body = await req.json()` / `const { body } = req`: a local holding request data. */
function originBase(_model: FileModel, init: ts.Expression): boolean {
  return !!requestSource(init);
}

function rootIdentifier(e: ts.Expression): ts.Identifier | undefined {
  let cur = skipOuter(e);
  while (ts.isPropertyAccessExpression(cur) || ts.isElementAccessExpression(cur)) cur = skipOuter(cur.expression);
  return ts.isIdentifier(cur) ? cur : undefined;
}

function enclosingFn(n: ts.Node): ts.Node | undefined {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return p;
  return undefined;
}

/** Several parts: plaintext wins over protection (a hash next to the raw key still leaks the key). */
function combine(vs: Verdict[]): Verdict {
  const plain = vs.find((v) => v.origin && !v.protectedBy);
  if (plain) return plain;
  const enc = vs.find((v) => v.protectedBy === 'encrypt' && v.encryptedOrigin);
  if (enc) return enc;
  const prot = vs.find((v) => v.protectedBy);
  return prot ?? {};
}

/**
 * A workspace hook that hashes passwords before they are saved: Mongoose `schema.pre('save', …)`, TypeORM
 * `@BeforeInsert()/@BeforeUpdate()`, Sequelize `beforeCreate/beforeSave/beforeUpdate` hooks, Prisma `$use` /
 * `$extends` query extensions. Then `User.create({ password })` is hashed by the hook.
 */
function passwordHashedByHook(project: Project): boolean {
  const needles = ['.pre(', 'BeforeInsert', 'BeforeUpdate', 'beforeCreate', 'beforeSave', 'beforeUpdate', '$extends', '$use('];
  return project.memo('plaintext-storage:hashingHook', () => project.gather('plaintext-storage:hashingHook', needles,
    (m) => [/password|passwd|pwd/i.test(m.sourceFile.text) && fileHasHashingHook(m)]).some(Boolean));
}

function fileHasHashingHook(m: FileModel): boolean {
  let found = false;
  const hashes = (body: ts.Node): boolean => {
    let h = false;
    const visit = (n: ts.Node): void => {
      if (h) return;
      if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && hashCallOf(m, n)) { h = true; return; }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return h;
  };
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const name = n.expression.name.text;
      if ((name === 'pre' || /^(before(Create|Save|Update|BulkCreate|Validate)|addHook|\$use|\$extends)$/.test(name)) && n.arguments.some((a) => hashes(a))) { found = true; return; }
    }
    if ((ts.isMethodDeclaration(n) || ts.isPropertyDeclaration(n)) && (ts.getDecorators(n) ?? []).some((d) => /^(BeforeInsert|BeforeUpdate|BeforeCreate|BeforeSave|BeforeUpsert)\b/.test(d.expression.getText())) && hashes(n)) { found = true; return; }
    if (ts.isPropertyAssignment(n) && /^(before(Create|Save|Update|BulkCreate|Validate))$/.test(n.name.getText()) && hashes(n.initializer)) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(m.sourceFile);
  return found;
}

/** Some workspace file hashes a password with a KDF or a hashing helper (`bcrypt.hash(req.body.password)`). */
function projectHashesPasswords(project: Project): boolean {
  return project.memo('plaintext-storage:hashesPasswords', () => project.gather('plaintext-storage:hashesPasswords',
    ['bcrypt', 'argon2', 'scrypt', 'pbkdf2', 'hashPassword', 'hash_password'], (m) => [fileHashesPasswords(m)]).some(Boolean));
}

function fileHashesPasswords(m: FileModel): boolean {
  let value = false;
  const visit = (n: ts.Node): void => {
    if (value) return;
    if (ts.isCallExpression(n)) {
      const h = hashCallOf(m, n);
      if (h && (h.kind === 'kdf' || h.kind === 'helper') && credentialOf(h.input, { hashIsSafe: true })?.kind === 'password') { value = true; return; }
    }
    ts.forEachChild(n, visit);
  };
  visit(m.sourceFile);
  return value;
}

/** Suggestion: SHA-256 for generated keys; argon2/bcrypt (or the project's helper) for passwords, only in async functions. */
function suggestion(model: FileModel, w: WrittenValue, origin: Origin): CodeFix[] {
  const value = w.value;
  const shorthand = w.columnNode && w.columnNode.parent && ts.isShorthandPropertyAssignment(w.columnNode.parent) ? w.columnNode.parent : undefined;
  const sf = model.sourceFile;
  const wrap = (text: string, extra: TextEdit[]): TextEdit[] => shorthand
    ? [{ fileName: sf.fileName, start: shorthand.getStart(sf), end: shorthand.getEnd(), newText: `${shorthand.name.text}: ${text}` }, ...extra]
    : [{ fileName: sf.fileName, start: value.getStart(sf), end: value.getEnd(), newText: text }, ...extra];
  const exprText = value.getText();
  if (origin.kind === 'generated') {
    const imports = new CryptoImports(model);
    const ref = imports.ref('createHash');
    return [{
      title: "Store SHA-256 of the key instead (hash the presented key the same way when looking it up; migrate existing rows)",
      edits: wrap(`${ref}('sha256').update(${exprText}).digest('hex')`, imports.importEdits()),
    }];
  }
  const fn = enclosingFn(value);
  const isAsync = !!fn && (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
  if (!isAsync) return [];
  const hasher = passwordHasher(model);
  if (!hasher) return [];
  return [{
    title: `Hash the password with ${hasher.label} before storing (the login code must verify with the same library; migrate existing rows)`,
    edits: wrap(`await ${hasher.call(exprText)}`, hasher.edits),
  }];
}

function passwordHasher(model: FileModel): { label: string; call: (x: string) => string; edits: TextEdit[] } | undefined {
  const sf = model.sourceFile;
  // an existing project helper: hashPassword(x)
  for (const st of sf.statements) {
    const names: string[] = [];
    if (ts.isFunctionDeclaration(st) && st.name) names.push(st.name.text);
    if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) names.push(...st.importClause.namedBindings.elements.map((e) => e.name.text));
    const helper = names.find((n) => /^hash(Password|Pw|Pwd)$/i.test(n));
    if (helper) return { label: `${helper}()`, call: (x) => `${helper}(${x})`, edits: [] };
  }
  for (const lib of ['argon2', 'bcrypt', 'bcryptjs']) {
    const local = importedAs(sf, lib);
    if (local) return { label: lib, call: (x) => lib === 'argon2' ? `${local}.hash(${x})` : `${local}.hash(${x}, 12)`, edits: [] };
  }
  for (const lib of ['argon2', 'bcrypt', 'bcryptjs']) {
    if (!model.project.hasDependency(lib, model.fileName)) continue;
    const local = lib === 'argon2' ? 'argon2' : 'bcrypt';
    if (findDeclarationInFile(sf, local)) continue;
    const style = moduleStyle(model);
    const at = importInsertionPoint(sf, style);
    const text = style === 'esm' ? (lib === 'argon2' ? `import * as argon2 from 'argon2';` : `import ${local} from '${lib}';`) : `const ${local} = require('${lib}');`;
    return { label: lib, call: (x) => lib === 'argon2' ? `argon2.hash(${x})` : `${local}.hash(${x}, 12)`, edits: [{ fileName: sf.fileName, start: at.pos, end: at.pos, newText: at.before + text + at.after }] };
  }
  return undefined;
}

function importedAs(sf: ts.SourceFile, lib: string): string | undefined {
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.moduleSpecifier.text === lib && st.importClause) {
      if (st.importClause.name) return st.importClause.name.text;
      const nb = st.importClause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) return nb.name.text;
    }
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.initializer && requireSpecifier(d.initializer) === lib) return d.name.text;
    }
  }
  return undefined;
}

function findDeclarationInFile(sf: ts.SourceFile, name: string): boolean {
  return sf.statements.some((st) => (ts.isImportDeclaration(st) && st.importClause && (st.importClause.name?.text === name
    || (st.importClause.namedBindings && ((ts.isNamespaceImport(st.importClause.namedBindings) && st.importClause.namedBindings.name.text === name)
      || (ts.isNamedImports(st.importClause.namedBindings) && st.importClause.namedBindings.elements.some((e) => e.name.text === name))))))
    || (ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === name)));
}
