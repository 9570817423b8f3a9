import * as path from 'node:path';
import ts = require('typescript');
import type { Project } from '../engine/project';
import type { CodeFix } from '../engine/types';
import { isPlaceholderValue, isRepetitive, shannonEntropy } from './entropy';
import { requireEnvSuggestion } from './requireEnvFix';

const { SyntaxKind } = ts;

/**
 * What a string literal is, for the secrets rules: shapes that are not credentials whatever the name
 * (RULES.md `secrets/high-entropy-assignment` FP controls), entropy by alphabet, and connection-URI credentials.
 */

/** `JWT_SECRET`, `API_KEY`: an environment variable's name, not its value. */
export function isEnvVarName(v: string): boolean {
  return /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(v) || /^[A-Z]{2,}[0-9]*$/.test(v);
}

/** A URL, connection string or URI without inline credentials. */
export function isUrlLike(v: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^(mailto|urn|tel|about|blob|javascript):/i.test(v) || /^\/\/[\w.-]+\//.test(v);
}

export function isPathLike(v: string): boolean {
  if (/^(\.{1,2}\/|~\/|\/[\w.@-]+\/|[A-Za-z]:\\|\\\\)/.test(v)) return true;
  if (/^[\w.@-]+(\/[\w.@-]+)+\/?$/.test(v) && /\.[a-z0-9]{1,6}$|\/$/i.test(v)) return true; // keys/private.pem, dir/sub/
  if (/^[\w-]+\.(pem|key|crt|cer|p12|pfx|json|ya?ml|txt|env|js|ts)$/i.test(v)) return true;
  return false;
}

/** `'auth.login.title'`, `'errors.password_too_short'`: translation keys. */
export function isI18nKey(v: string): boolean {
  return /^[a-z][a-zA-Z0-9_-]*(\.[a-zA-Z][a-zA-Z0-9_-]*)+$/.test(v) && !/\d{4,}/.test(v);
}

/** Placeholders and interpolation syntax of template engines: `{{x}}`, `<x>`, `${x}`, `%s`, `:param`. */
export function isTemplatePlaceholder(v: string): boolean {
  return /\{\{.*\}\}|<[^>]*>|\$\{[^}]*\}|%[sdoj]|^:[a-z]\w*$|\$[A-Z_]{3,}/i.test(v);
}

export function isSri(v: string): boolean {
  return /^sha(256|384|512)-[A-Za-z0-9+/=]+$/.test(v);
}

export function isDataUri(v: string): boolean {
  return /^data:[\w/+.-]*[;,]/i.test(v);
}

/** A regular-expression source (`'^[a-z0-9]{32}$'`). */
export function isRegexSource(v: string): boolean {
  return /\\[dwsbDWSB]|\[\^?[^\]]+\]\{?|\(\?[:=!<]|^\^.*\$$|\{\d+(,\d*)?\}/.test(v);
}

/** Public key material or publishable keys: public by design. */
export function isPublicKeyMaterial(v: string): boolean {
  return /-----BEGIN (RSA |EC )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----|^ssh-(rsa|ed25519|dss) AAAA|^ecdsa-sha2-|^pk_[A-Za-z0-9]|^(npub|age)1/.test(v);
}

/** bcrypt / argon2 / scrypt / crypt(3) hash strings: one-way, not credentials. */
export function isPasswordHashFormat(v: string): boolean {
  return /^\$(2[abxy]?|argon2(id|i|d)|scrypt|s2|5|6|pbkdf2[-\w]*)\$/.test(v);
}

/** Words joined by separators or camelCase (`accessTokenStorageKey`, `AccessToken_With_AuthScheme`): readable, not random. */
export function isWordLike(v: string): boolean {
  if (/\s/.test(v.trim()) && /[A-Za-z]{3,}[,;:]?\s+[A-Za-z]{2,}/.test(v)) return true; // prose, lists of names
  const segs = v.split(/[-_.:/ ,;|()[\]\u2013\u2014]+/).filter(Boolean);
  if (segs.length === 0) return false;
  const words = segs.flatMap((s) => s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(' '));
  return words.every((w) => {
    if (/^\d{1,4}$/.test(w)) return true;
    if (/^[A-Za-z]{2,}\d{1,3}$/.test(w)) return isWord(w.replace(/\d+$/, '')); // sha256, utf8, oauth2
    return isWord(w);
  });
}

function isWord(w: string): boolean {
  if (!/^[A-Za-z]+$/.test(w) || w.length > 24) return false;
  if (!(w === w.toLowerCase() || /^[A-Z][a-z]+$/.test(w) || (w === w.toUpperCase() && w.length <= 12))) return false;
  if (w.length <= 3) return true;
  return /[aeiouy]/i.test(w) && !/[bcdfghjklmnpqrstvwxz]{5,}/i.test(w) && !/[aeiou]{4,}/i.test(w);
}

export function isUuid(v: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);
}

/**
 * E11 test-like paths, plus fixture files the engine's pattern does not name (`fixtures.ts`, `tap/`, `testdata/`):
 * credentials there are test material (secrets rules downgrade them).
 */
export function isSecretsTestLike(isTestLike: boolean, fileName: string, root: string): boolean {
  if (isTestLike) return true;
  const rel = path.relative(root, fileName).split(path.sep).join('/');
  return /(^|\/)(tap|testdata|test-data|__fixtures__|test-fixtures|mocks?)\/|(^|\/)[\w.-]*fixtures?\.[cm]?[jt]sx?$|(^|\/)(mock|fake|stub)[\w.-]*\.[cm]?[jt]sx?$/i.test(rel);
}

export interface EntropyThresholds {
  minLength: number;
  minPasswordLength: number;
  entropy: number;
  hexEntropy: number;
  hexMinLength: number;
  base64Entropy: number;
}

export const DEFAULT_THRESHOLDS: EntropyThresholds = {
  minLength: 16, minPasswordLength: 8, entropy: 3.5, hexEntropy: 3.0, hexMinLength: 32, base64Entropy: 4.0,
};

/** Why a value is not a credential-looking literal (for tests and docs), or undefined when it looks like one. */
export function notSecretReason(raw: string): string | undefined {
  const v = raw.trim();
  if (!v) return 'empty';
  if (isPlaceholderValue(v)) return 'placeholder';
  if (isRepetitive(v)) return 'repetitive';
  if (/example|dummy|placeholder|changeme|redacted|not[-_]?a[-_]?real|your[-_]?(api[-_]?)?(key|token|secret|password)/i.test(v)) return 'placeholder';
  if (/^0x[0-9a-fA-F]{40}$/.test(v)) return 'blockchain address';
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) return 'timestamp';
  if (isEnvVarName(v)) return 'env var name';
  if (isUrlLike(v)) return 'url';
  if (isDataUri(v)) return 'data uri';
  if (isSri(v)) return 'sri';
  if (isPublicKeyMaterial(v)) return 'public key';
  if (isPasswordHashFormat(v)) return 'password hash';
  if (isPathLike(v)) return 'path';
  if (isI18nKey(v)) return 'i18n key';
  if (isTemplatePlaceholder(v)) return 'template placeholder';
  if (isRegexSource(v)) return 'regex source';
  if (/^(test|fake|dummy|mock|sample|example|demo|placeholder|dev|local|changeme|default|your)[-_]/i.test(v) || /[-_](test|fake|dummy|mock|sample|example|demo|placeholder|dev|local)$/i.test(v)) return 'dummy';
  if (isWordLike(v)) return 'words';
  if (/^(abc|123|qwe|asd|pass|secret|token|key)/i.test(v) && /^[a-z]+\d+$/i.test(v)) return 'dummy';
  return undefined;
}

/**
 * Does this literal look like a random secret for a name of class `nameClass`? Thresholds per alphabet:
 * hex needs ≥ hexMinLength characters and hexEntropy bits/char, base64 (with `+`, `/` or `=`) base64Entropy,
 * anything else `entropy`; passwords may be shorter (minPasswordLength) but need mixed character classes.
 */
export function looksLikeSecret(raw: string, nameClass: string, t: EntropyThresholds = DEFAULT_THRESHOLDS): boolean {
  const v = raw.trim();
  if (notSecretReason(v)) return false;
  const isPassword = nameClass === 'password';
  if (v.length < (isPassword ? t.minPasswordLength : t.minLength)) return false;
  const h = shannonEntropy(v);
  if (/^[0-9a-f]+$/i.test(v)) return v.length >= t.hexMinLength && h >= t.hexEntropy && /[a-f]/i.test(v) && /\d/.test(v);
  if (/^[0-9]+$/.test(v)) return false;
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(v) && /[+/=]/.test(v)) return h >= t.base64Entropy;
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(v)).length;
  if (isPassword && v.length < t.minLength) {
    // Short passwords: bounded entropy (log2 of the length), so ask for variety instead.
    return classes >= 3 && h >= Math.min(t.entropy, Math.log2(v.length) - 0.2);
  }
  if (classes < 2) return false;
  return h >= t.entropy;
}

export interface UriCredentials {
  scheme: string;
  user: string;
  password: string;
  host: string;
  /** Offsets of the whole URI and of the password within the scanned text. */
  start: number;
  end: number;
  passwordStart: number;
}

export const CONNECTION_SCHEMES = /^(postgres(ql)?|mysql2?|mariadb|mongodb(\+srv)?|redis(s)?|rediss|amqps?|mssql|sqlserver|clickhouse|nats|ftp|sftp|https?)$/i;

/** `scheme://user:password@host` occurrences (RULES.md `secrets/connection-string-credentials`). */
export function findUriCredentials(text: string): UriCredentials[] {
  const out: UriCredentials[] = [];
  const re = /\b([a-z][a-z0-9+.-]*):\/\/([^:/\s@'"`]*):([^@\s/'"`]+)@([^/\s:?#'"`]+)/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!CONNECTION_SCHEMES.test(m[1])) continue;
    const prefix = `${m[1]}://${m[2]}:`;
    out.push({ scheme: m[1].toLowerCase(), user: m[2], password: m[3], host: m[4], start: m.index, end: m.index + m[0].length, passwordStart: m.index + prefix.length });
  }
  return out;
}

/** Environment variable name for a connection URI of `scheme`. */
export function connectionEnvName(scheme: string): string {
  const s = scheme.toLowerCase();
  if (/^(postgres|postgresql|mysql2?|mariadb|mssql|sqlserver)$/.test(s)) return 'DATABASE_URL';
  if (s.startsWith('mongodb')) return 'MONGODB_URI';
  if (s.startsWith('redis')) return 'REDIS_URL';
  if (s.startsWith('amqp')) return 'AMQP_URL';
  if (s === 'clickhouse') return 'CLICKHOUSE_URL';
  if (s === 'nats') return 'NATS_URL';
  if (s === 'ftp' || s === 'sftp') return 'FTP_URL';
  return 'SERVICE_URL';
}

/** Hosts that mean "documentation or a developer's machine". */
export function isDevOrExampleHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|::1|host\.docker\.internal|db|database|postgres|postgresql|mysql|mariadb|mongo|mongodb|redis|rabbitmq|rabbit|amqp|nats|clickhouse|mssql|sqlserver)$/.test(h)
    || /(^|\.)(example\.(com|org|net)|example|test|localhost|local|invalid)$/.test(h) || /^(host|hostname|server|your[-_]?host|<.*>)$/.test(h);
}

/**
 * The "read it from the environment" suggestion of the secrets rules: requireEnv() (or Nest getOrThrow) at the
 * node, plus the variable appended to `.env.example` with an empty value when that file exists and lacks it.
 */
export function secretEnvSuggestion(node: ts.Expression, envName: string, project: Project, title?: string): CodeFix {
  const fix = requireEnvSuggestion(node, envName, title);
  const example = nearestEnvExample(project, node.getSourceFile().fileName);
  if (example) {
    const text = project.readText(example) ?? '';
    if (!new RegExp(`^\\s*(export\\s+)?${envName}\\s*=`, 'm').test(text)) {
      const sep = text.length === 0 || text.endsWith('\n') ? '' : '\n';
      fix.edits.push({ fileName: example, start: text.length, end: text.length, newText: `${sep}${envName}=\n` });
    }
  }
  return fix;
}

function nearestEnvExample(project: Project, fromFile: string): string | undefined {
  const root = path.resolve(project.root);
  for (let dir = path.dirname(path.resolve(fromFile)); dir.startsWith(root); dir = path.dirname(dir)) {
    const f = path.join(dir, '.env.example');
    if (project.readText(f) !== undefined) return f;
    if (dir === root || path.dirname(dir) === dir) break;
  }
  return undefined;
}

/**
 * True when a string literal can be replaced by a call expression without breaking the syntax (not a type, a
 * property name, a module specifier, an enum initialiser, a JSX attribute or a tagged template).
 */
export function isReplaceableExpression(node: ts.Node): node is ts.Expression {
  const p = node.parent;
  if (!p) return false;
  if (ts.isLiteralTypeNode(p) || ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isExternalModuleReference(p) || ts.isImportTypeNode(p)) return false;
  if (ts.isEnumMember(p) || ts.isJsxAttribute(p) || ts.isTaggedTemplateExpression(p) || ts.isModuleDeclaration(p)) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p) || ts.isBindingElement(p)) && p.name === node) return false;
  if (ts.isPropertyDeclaration(p) && p.modifiers?.some((m) => m.kind === SyntaxKind.DeclareKeyword)) return false;
  if (ts.isExpressionStatement(p)) return false; // a directive prologue ('use strict') or a bare string
  if (ts.isImportAttribute?.(p)) return false;
  return true;
}
