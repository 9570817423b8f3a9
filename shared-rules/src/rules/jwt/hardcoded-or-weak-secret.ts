import ts = require('typescript');
import { maskSecret } from '../../engine/mask';
import { CodeFix, defineRule, RuleContext, Severity } from '../../engine/types';
import type { ResolvedCall } from '../../model/calls';
import { envRead, evaluate, possibilities, propValue, Value } from '../../model/constEval';
import { isPlaceholderValue, isRepetitive, shannonEntropy } from '../../model/entropy';
import type { FileModel } from '../../model/fileModel';
import { skipOuter } from '../../model/imports';
import { JOSE_VERIFY_CALLS, JWT_MODULE_CALLS } from '../../model/jwtApi';
import { isFastifyJwtRegister, jwtModuleOptions } from '../../model/jwtSignSites';
import { envNameFor, requireEnvSuggestion } from '../../model/requireEnvFix';
import { findDeclaration } from '../../model/scope';
import { splitName } from '../../model/sensitiveNames';
import { isTestishPath } from '../../model/testPaths';
import { JWT_RELEVANCE } from '../../model/jwtRelevance';

const { SyntaxKind } = ts;

/**
 * Key sinks (RULES.md `jwt/hardcoded-or-weak-secret`): where the signing/verification key of a JWT API is given.
 * `arg`: positional key argument; `option`: options object argument and the option names holding key material.
 */
const ARG_SINKS: Record<string, number> = {
  'jsonwebtoken.sign': 1, 'jsonwebtoken.verify': 1,
  'jose.SignJWT#sign': 0, 'jose.EncryptJWT#encrypt': 0, 'jose.jwtDecrypt': 1,
  'hono/jwt.sign': 1, 'hono/jwt.verify': 1, 'hono/utils/jwt/jwt.sign': 1, 'hono/utils/jwt/jwt.verify': 1,
};
for (const s of Object.keys(JOSE_VERIFY_CALLS)) ARG_SINKS[s] = 1;

const OPTION_SINKS: Record<string, { arg: number; keys: string[]; localOnly?: boolean }> = {
  '@nestjs/jwt.JwtService#sign': { arg: 1, keys: ['secret', 'privateKey'] },
  '@nestjs/jwt.JwtService#signAsync': { arg: 1, keys: ['secret', 'privateKey'] },
  '@nestjs/jwt.JwtService#verify': { arg: 1, keys: ['secret'] },
  '@nestjs/jwt.JwtService#verifyAsync': { arg: 1, keys: ['secret'] },
  'passport-jwt.Strategy': { arg: 0, keys: ['secretOrKey'] },
  'express-jwt.expressjwt': { arg: 0, keys: ['secret'] },
  'express-jwt.default': { arg: 0, keys: ['secret'] },
  'koa-jwt.default': { arg: 0, keys: ['secret'] },
  'hono/jwt.jwt': { arg: 0, keys: ['secret'] },
  'fast-jwt.createSigner': { arg: 0, keys: ['key'] },
  'fast-jwt.createVerifier': { arg: 0, keys: ['key'] },
  'next-auth.default': { arg: 0, keys: ['secret'], localOnly: true },
  'next-auth/jwt.getToken': { arg: 0, keys: ['secret'] },
  'next-auth/jwt.encode': { arg: 0, keys: ['secret'] },
  'next-auth/jwt.decode': { arg: 0, keys: ['secret'] },
};

const NEXT_AUTH_TYPES = /^(NextAuthOptions|AuthOptions|NextAuthConfig|AuthConfig)$/;

interface KeyFinding {
  kind: 'hardcoded' | 'fallback';
  /** The literal (hardcoded) or the whole `||`/`??`/conditional/`get(name, default)` expression (fallback). */
  node: ts.Node;
  literals: string[];
  envName?: string;
  /** The fallback only applies outside production (`NODE_ENV` conditional). */
  devOnly?: boolean;
}

export default defineRule({
  meta: {
    relevance: JWT_RELEVANCE,
    id: 'jwt/hardcoded-or-weak-secret',
    title: 'Hardcoded, weak or env-fallback JWT key',
    description: 'A JWT signing/verification key is a literal in the source, or falls back to one when an environment variable is unset; weak literals (short, dictionary, low entropy) are named.',
    defaultSeverity: 'error',
    checklist: ['jwt-verification', 'secrets'],
    owasp: ['API2'],
    cwe: [798, 321, 1391],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
  },
  create(context) {
    const model = context.model;
    /** Literals written in other files are reported at the first sink of this file only. */
    const seenRemote = new Set<ts.Node>();
    const sinkAt = (keyExpr: ts.Expression | undefined, sinkNode: ts.Node, label: string, localOnly = false) => {
      if (!keyExpr) return;
      const e = skipOuter(keyExpr);
      if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return;
      if (isPublicKeyName(e)) return;
      const m = modelOf(context, keyExpr);
      const f = classifyKey(m, keyExpr);
      if (!f) return;
      if (f.node.getSourceFile() !== context.sourceFile) {
        if (seenRemote.has(f.node)) return;
        seenRemote.add(f.node);
      }
      report(context, f, keyExpr, sinkNode, label, localOnly);
    };
    const optionSinks = (options: Value, keys: string[], sinkNode: ts.Node, label: string, localOnly = false) => {
      if (options.kind !== 'object') return;
      for (const k of keys) {
        const p = options.props.get(k);
        if (p?.valueNode) sinkAt(p.valueNode, p.node.getSourceFile() === context.sourceFile ? p.node : sinkNode, `${label} \`${k}\``, localOnly);
      }
    };

    const calls: Record<string, (c: ResolvedCall) => void> = {};
    for (const [sym, idx] of Object.entries(ARG_SINKS)) {
      calls[sym] = (c) => {
        // through a thin wrapper whose key is fixed inside it: the wrapper's own call is reported where it is written
        if (c.wrapper && c.wrapper.slotFromParam[idx] === undefined) return;
        sinkAt(c.args[idx], c.node, sinkLabel(sym));
      };
    }
    for (const [sym, spec] of Object.entries(OPTION_SINKS)) {
      calls[sym] = (c) => {
        const a = c.args[spec.arg];
        if (!a || (c.wrapper && c.wrapper.slotFromParam[spec.arg] === undefined)) return;
        optionSinks(evaluate(model, a), spec.keys, c.node, sinkLabel(sym), spec.localOnly);
      };
    }
    for (const sym of JWT_MODULE_CALLS) {
      calls[sym] = (c) => optionSinks(jwtModuleOptions(model, c), ['secret', 'privateKey'], c.node, '`JwtModule`');
    }
    const nodes = {
      CallExpression: (n: ts.Node) => {
        const call = n as ts.CallExpression;
        if (call.expression.kind === SyntaxKind.SuperKeyword) {
          if (isPassportJwtStrategyClass(model, call) && call.arguments[0]) optionSinks(evaluate(model, call.arguments[0]), ['secretOrKey'], call, 'passport-jwt strategy');
          return;
        }
        if (isFastifyJwtRegister(model, call) && call.arguments[1]) {
          const o = evaluate(model, call.arguments[1]);
          const secret = propValue(o, 'secret');
          if (secret?.kind === 'object') optionSinks(secret, ['private'], call, '@fastify/jwt `secret`');
          else optionSinks(o, ['secret'], call, '@fastify/jwt');
        }
      },
      // `export const authOptions: NextAuthOptions = { secret: ... }` / `{ ... } satisfies NextAuthConfig`
      VariableDeclaration: (n: ts.Node) => {
        const d = n as ts.VariableDeclaration;
        if (!d.type || !d.initializer || !NEXT_AUTH_TYPES.test(d.type.getText().replace(/^.*\./, ''))) return;
        if (!usesNextAuth(model)) return;
        optionSinks(evaluate(model, d.initializer), ['secret'], d, 'next-auth', true);
      },
      SatisfiesExpression: (n: ts.Node) => {
        const s = n as ts.SatisfiesExpression;
        if (!NEXT_AUTH_TYPES.test(s.type.getText().replace(/^.*\./, '')) || !usesNextAuth(model)) return;
        optionSinks(evaluate(model, s.expression), ['secret'], s, 'next-auth', true);
      },
    };
    return { calls, nodes };
  },
});

function sinkLabel(sym: string): string {
  if (sym.startsWith('jsonwebtoken.')) return `\`jwt.${sym.slice('jsonwebtoken.'.length)}()\` key`;
  if (sym.startsWith('jose.')) return 'jose key';
  if (sym.startsWith('hono/')) return 'hono JWT key';
  if (sym.startsWith('@nestjs/jwt.JwtService')) return '`JwtService` option';
  if (sym.startsWith('passport-jwt')) return 'passport-jwt';
  if (sym.startsWith('express-jwt')) return 'express-jwt';
  if (sym.startsWith('koa-jwt')) return 'koa-jwt';
  if (sym.startsWith('fast-jwt')) return 'fast-jwt';
  if (sym.startsWith('next-auth')) return 'next-auth';
  return 'JWT key';
}

function usesNextAuth(model: FileModel): boolean {
  return [...model.importedModules()].some((m) => m === 'next-auth' || m.startsWith('next-auth/') || m.startsWith('@auth/'));
}

function isPassportJwtStrategyClass(model: FileModel, call: ts.CallExpression): boolean {
  let cls: ts.ClassLikeDeclaration | undefined;
  for (let p: ts.Node | undefined = call.parent; p; p = p.parent) if (ts.isClassLike(p)) { cls = p; break; }
  const ext = cls?.heritageClauses?.find((h) => h.token === SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!ext) return false;
  if (ts.isCallExpression(ext)) return !!ext.arguments[0] && model.librarySymbol(ext.arguments[0]) === 'passport-jwt.Strategy';
  return model.librarySymbol(ext) === 'passport-jwt.Strategy';
}

function modelOf(context: RuleContext, node: ts.Node): FileModel {
  const f = node.getSourceFile().fileName;
  return f === context.fileName ? context.model : context.project.getModel(f) ?? context.model;
}

/** `encoder.encode(x)` where `const encoder = new TextEncoder()` (constEval handles the inline form). */
function unwrapEncoder(e: ts.Expression, depth = 0): ts.Expression {
  const x = skipOuter(e);
  if (depth > 3) return x;
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'encode' && ts.isIdentifier(x.expression.expression) && x.arguments[0]) {
    const d = findDeclaration(x.expression.expression);
    const init = d?.initializer && skipOuter(d.initializer);
    if (init && ts.isNewExpression(init) && /TextEncoder$/.test(init.expression.getText())) return x.arguments[0];
  }
  if (ts.isIdentifier(x)) {
    const d = findDeclaration(x);
    if (d?.kind === 'variable' && d.isConst && d.initializer && !d.path) {
      const inner = unwrapEncoder(d.initializer, depth + 1);
      if (inner !== skipOuter(d.initializer)) return inner;
    }
  }
  return x;
}

/** `publicKey`, `PUB_KEY`, `cert`: verification material, public by design (and not this rule's concern). */
function isPublicKeyName(e: ts.Expression): boolean {
  let name: string | undefined;
  if (ts.isIdentifier(e)) name = e.text;
  else if (ts.isPropertyAccessExpression(e)) name = e.name.text;
  const env = envRead(e);
  if (env) name = env;
  return !!name && /public|pub_?key|(^|_)pub$|cert/i.test(name);
}

function classifyKey(model: FileModel, keyExpr: ts.Expression): KeyFinding | undefined {
  const v = evaluate(model, unwrapEncoder(keyExpr));
  const poss = possibilities(v);
  // a public-key file with a placeholder fallback (`fs ? readFileSync('jwt.pub') : 'placeholder-public-key'`)
  if (poss.some((p) => p.kind === 'file' && /pub|public|\.crt|\.cer|cert/i.test(p.path ?? ''))) return undefined;
  const lits = poss.filter((p): p is Extract<Value, { kind: 'string' }> => p.kind === 'string' && p.value.trim() !== '');
  if (lits.length === 0) return undefined;
  if (lits.every((l) => /-----BEGIN (RSA |EC )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----|public[-_ ]?key/i.test(l.value))) return undefined;
  // `<your-secret>`, `${JWT_SECRET}`, `{{ secret }}`: templates, not keys
  if (lits.every((l) => /^\s*(<[^>]+>|\$\{[^}]+\}|\{\{[^}]+\}\})\s*$/.test(l.value))) return undefined;
  const others = poss.filter((p) => p.kind !== 'string' && p.kind !== 'null' && p.kind !== 'undefined');
  if (others.length === 0) {
    const node = v.kind === 'string' ? literalNode(v.node) : v.node;
    return { kind: 'hardcoded', node, literals: lits.map((l) => l.value) };
  }
  const env = poss.find((p) => p.kind === 'env');
  let devOnly = false;
  if (ts.isConditionalExpression(v.node)) devOnly = /NODE_ENV|production|isProd|isDev|development/i.test(v.node.condition.getText());
  return { kind: 'fallback', node: v.node, literals: lits.map((l) => l.value), envName: env && env.kind === 'env' ? env.name : undefined, devOnly };
}

/** The string literal inside byte wrappers (`Buffer.from('x')`, `new TextEncoder().encode('x')`). */
function literalNode(n: ts.Node): ts.Node {
  let x = n;
  for (let i = 0; i < 5; i++) {
    if ((ts.isCallExpression(x) || ts.isNewExpression(x)) && x.arguments?.[0]) { x = skipOuter(x.arguments[0]); continue; }
    break;
  }
  return x;
}

function weaknesses(value: string): string[] {
  const out: string[] = [];
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return out;
  const bytes = Buffer.byteLength(value, 'utf8');
  if (isPlaceholderValue(value) || /^(keyboard cat|shhhhh?|mysecret|secretkey|jwtsecret)$/i.test(value.replace(/[\s_-]/g, '').toLowerCase()) || /secret|changeme|password/i.test(value) && bytes < 32) out.push('a guessable word');
  if (bytes < 32) out.push(`${bytes} bytes (HS256 needs at least 32)`);
  if (value.length >= 8 && (shannonEntropy(value) < 3.0 || isRepetitive(value))) out.push('low entropy');
  return out;
}

function report(context: RuleContext, f: KeyFinding, keyExpr: ts.Expression, sinkNode: ts.Node, label: string, localOnly: boolean): void {
  const local = f.node.getSourceFile() === context.sourceFile;
  if (!local && localOnly) return;
  const node = local ? f.node : keyExpr.getSourceFile() === context.sourceFile ? keyExpr : sinkNode.getSourceFile() === context.sourceFile ? sinkNode : undefined;
  if (!node) return;
  if (hasPlaceholderGuard(context, f)) return;
  const privatePem = f.literals.some((l) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(l));
  const shown = f.literals.map((l) => `\`${maskSecret(l)}\``).join(' / ');
  const weak = [...new Set(f.literals.flatMap(weaknesses))];
  const weakText = weak.length ? `; it is also weak: ${weak.join(', ')}` : '';
  let message: string;
  let severity: Severity = 'error';
  if (f.kind === 'hardcoded') {
    message = privatePem
      ? `JWT private key is hardcoded (${shown}) as the ${label}: anyone who can read the source can mint valid tokens. Load it from a file outside the repository or a secrets manager.`
      : `JWT key is hardcoded (${shown}) as the ${label}${weakText}: anyone who can read the source can mint valid tokens. Load it from the environment or a secrets manager.`;
  } else {
    const when = f.envName ? `when ${f.envName} is unset` : 'when the configured value is missing';
    message = `JWT key falls back to a hardcoded value (${shown}) ${when}${weakText}: a deployment without the variable silently signs and accepts tokens with a key anyone who can read the source knows. Fail fast instead.`;
    if (f.devOnly) { severity = 'warning'; message += ' (The fallback is limited to non-production by a NODE_ENV check.)'; }
  }
  if (isTestishPath(context)) severity = privatePem ? 'warning' : 'info';
  const suggestions: CodeFix[] = [];
  if (local && !isTestishPath(context)) {
    const s = suggestion(context, f);
    if (s) suggestions.push(s);
  }
  context.report({ node, severity, message, suggestions });
}

/** `CHANGE_ME` with a runtime guard (`if (secret === 'CHANGE_ME') throw ...`) is a deliberate tripwire. */
function hasPlaceholderGuard(context: RuleContext, f: KeyFinding): boolean {
  if (!f.literals.every((l) => isPlaceholderValue(l) || /change[_-]?me|replace[_-]?me/i.test(l))) return false;
  const sf = f.node.getSourceFile();
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && /^(===|!==|==|!=)$/.test(n.operatorToken.getText())) {
      const sides = [skipOuter(n.left), skipOuter(n.right)];
      if (sides.some((s) => ts.isStringLiteralLike(s) && f.literals.includes(s.text))) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

function suggestion(context: RuleContext, f: KeyFinding): CodeFix | undefined {
  const node = f.node;
  if (!ts.isExpression(node) || !isReplaceable(node)) return undefined;
  const envName = f.envName ?? envNameFromContext(node);
  const workers = honoWorkersBinding(context, node);
  if (workers) {
    return { title: `Read ${envName} from the Workers binding (${workers}.env.${envName})`, edits: [{ fileName: context.fileName, start: node.getStart(), end: node.getEnd(), newText: `${workers}.env.${envName}` }] };
  }
  // `config.get('JWT_SECRET', 'dev')` / `config.get('JWT_SECRET') ?? 'dev'` → `config.getOrThrow('JWT_SECRET')`
  const cfg = configGetCall(node);
  if (cfg) {
    const recv = cfg.expression as ts.PropertyAccessExpression;
    return { title: `Read ${envName} with ${recv.expression.getText()}.getOrThrow() (fails at start-up when missing)`, edits: [{ fileName: context.fileName, start: node.getStart(), end: node.getEnd(), newText: `${recv.expression.getText()}.getOrThrow('${(cfg.arguments[0] as ts.StringLiteral).text}')` }] };
  }
  return requireEnvSuggestion(node, envName, f.kind === 'fallback'
    ? `Drop the hardcoded fallback: read ${envName} with requireEnv() (fails fast when missing)`
    : `Read the key from ${envName} with requireEnv() (fails fast when missing)`);
}

function isReplaceable(node: ts.Expression): boolean {
  const p = node.parent;
  if (!p) return false;
  if ((ts.isPropertyAssignment(p) || ts.isBindingElement(p)) && p.name === node) return false;
  if (ts.isBindingElement(p) || ts.isIdentifier(node) && !ts.isExpression(p)) return false;
  return !ts.isExpressionStatement(p);
}

function configGetCall(node: ts.Expression): ts.CallExpression | undefined {
  const pick = (e: ts.Expression): ts.CallExpression | undefined => {
    const x = skipOuter(e);
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'get'
      && /config/i.test(x.expression.expression.getText()) && x.arguments[0] && ts.isStringLiteralLike(x.arguments[0])) return x;
    return undefined;
  };
  if (ts.isBinaryExpression(node)) return pick(node.left);
  return pick(node);
}

/** Hono on Cloudflare Workers reads configuration from `c.env`: a handler parameter `c` in scope. */
function honoWorkersBinding(context: RuleContext, node: ts.Node): string | undefined {
  const mods = context.model.importedModules();
  if (![...mods].some((m) => m === 'hono' || m.startsWith('hono/'))) return undefined;
  if (/process\.env/.test(context.sourceFile.text)) return undefined;
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) {
      const c = p.parameters.find((x) => ts.isIdentifier(x.name) && (x.name.text === 'c' || x.name.text === 'ctx'));
      if (c) return (c.name as ts.Identifier).text;
    }
  }
  return undefined;
}

/** `const ACCESS_TOKEN_SECRET = '...'` → ACCESS_TOKEN_SECRET; a generic `secret` → JWT_SECRET. */
function envNameFromContext(node: ts.Node): string {
  const p = node.parent;
  let name: string | undefined;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) name = p.name.text;
  else if (p && ts.isPropertyAssignment(p)) name = p.name.getText();
  const env = envRead(node as ts.Expression);
  if (env) return env;
  if (name) {
    const words = splitName(name);
    if (words.length >= 2 && words.some((w) => /^(jwt|token|access|refresh|signing|auth|session)$/.test(w)) && words.some((w) => /^(secret|key)$/.test(w))) return envNameFor(name, 'JWT_SECRET');
  }
  return 'JWT_SECRET';
}
