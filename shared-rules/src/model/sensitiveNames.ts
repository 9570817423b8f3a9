/**
 * The sensitive-name classifier (RULES.md E8): what kind of data a binding, property or header name holds.
 * Names are split on camelCase, snake_case, kebab-case and dots, then lower-cased.
 */
export type NameClass = 'password' | 'secret' | 'token' | 'key' | 'pii' | 'internal' | 'none';

const splitCache = new Map<string, readonly string[]>();

/** The lower-cased words of a name; memoised (rules split the same names per node) and frozen: do not mutate. */
export function splitName(name: string): string[] {
  let words = splitCache.get(name);
  if (words === undefined) {
    if (splitCache.size > 50_000) splitCache.clear();
    words = Object.freeze(name
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w.toLowerCase()));
    splitCache.set(name, words);
  }
  return words as string[];
}

const EXCLUDED_SUFFIX = new Set(['url', 'uri', 'endpoint', 'path', 'name', 'length', 'type', 'expires', 'expiry', 'count', 'id', 'ids', 'at', 'header', 'field', 'label', 'prefix', 'hint', 'policy', 'required', 'set', 'len', 'size', 'limit', 'usage', 'version', 'file', 'location', 'env', 'var', 'key' /* "secretKey" handled below */]);
const PAGINATION = ['page token', 'next token', 'continuation token', 'cancellation token', 'sync token', 'csrf token', 'xsrf token', 'public key', 'publishable key', 'site key'];

export interface ClassifyOptions {
  /** For logs a session id is a bearer credential; inside a JWT it is only a reference. */
  sessionIdIsToken?: boolean;
  /** Exposure rules keep `passwordHash`; plaintext-storage rules treat hash-suffixed names as safe. */
  hashIsSafe?: boolean;
}

const classCache = new Map<string, NameClass>();

/** Classifies a name (pure in `name` and `opts`, so answers are memoised: rules ask about the same names per node). */
export function classifyName(name: string, opts: ClassifyOptions = {}): NameClass {
  const key = `${opts.sessionIdIsToken ? 1 : 0}${opts.hashIsSafe ? 1 : 0}${name}`;
  let c = classCache.get(key);
  if (c === undefined) {
    if (classCache.size > 50_000) classCache.clear();
    c = classifyNameUncached(name, opts);
    classCache.set(key, c);
  }
  return c;
}

function classifyNameUncached(name: string, opts: ClassifyOptions): NameClass {
  const words = splitName(name);
  if (words.length === 0) return 'none';
  const joined = words.join(' ');
  const last = words[words.length - 1];
  if (words.includes('public') || words.includes('publishable')) return 'none';
  if (PAGINATION.some((p) => joined.includes(p))) return 'none';
  if (/^(is|has|should|can|needs?)$/.test(words[0]) && words.length > 1) return 'none';
  if (opts.hashIsSafe && /^(hash|hashed|digest|hmac)$/.test(last)) return 'none';
  if (opts.hashIsSafe && words[0] === 'hashed') return 'none';
  if (opts.sessionIdIsToken && (joined === 'session id' || joined === 'sid' || joined === 'sessionid')) return 'token';

  // password class
  if (words.some((w) => /^(password|passwd|passcode|passphrase|pwd|pass)$/.test(w)) || /password/.test(joined.replace(/ /g, ''))) {
    if (words.some((w) => /^(policy|required|updated|changed|reset|set|length|rules|strength|field|label|placeholder|hint|confirm|expires|expiry|expired|at|count)$/.test(w))
      && !/^(hash|hashed)$/.test(last) && !(words.includes('reset') && words.includes('token'))) return 'none';
    if (words.includes('reset') && (words.includes('token') || words.includes('code'))) return 'token';
    return 'password';
  }
  if (words.includes('salt') && words.length <= 2) return 'password';

  const tokenish = (ws: string[]): boolean => ws.includes('token') || ws.includes('bearer') || (ws.includes('api') && ws.includes('key')) || ws.includes('apikey');
  const secretish = (ws: string[]): boolean => ws.includes('secret') || (ws.includes('private') && ws.includes('key')) || ws.includes('privatekey')
    || (ws.includes('signing') && ws.includes('key')) || (ws.includes('mfa') || ws.includes('totp') || ws.includes('otp')) && (ws.includes('secret') || ws.includes('seed'))
    || (ws.includes('recovery') && ws.includes('codes'));

  const suffixExcluded = words.length > 1 && EXCLUDED_SUFFIX.has(last) && last !== 'key';
  // plural / counting forms: tokens, maxTokens, tokenUsage
  if (words.includes('tokens') || /^(max|min|num|total|prompt|completion|input|output)$/.test(words[0]) && words.includes('token')) return 'none';

  if (secretish(words)) return suffixExcluded && !/^(hash|hashed)$/.test(last) ? 'none' : 'secret';
  if (tokenish(words)) return suffixExcluded && !/^(hash|hashed|digest)$/.test(last) ? 'none' : 'token';
  if (words.includes('credential') || words.includes('credentials')) return suffixExcluded ? 'none' : 'secret';
  if (words.includes('key') && words.length > 1) {
    if (/^(access|secret|encryption|master|hmac|license|webhook|signing|client|private|auth|api|session|jwt|app|service|stripe)$/.test(words[words.length - 2] ?? '')
      && last === 'key') return 'key';
  }
  if (words.length >= 2 && words[0] === 'secret' && words[1] === 'access') return 'key';
  if (words.includes('ssn') || joined.includes('social security') || joined.includes('national id') || joined.includes('passport no') || joined.includes('passport number')
    || joined.includes('tax id') || joined.includes('card number') || joined.includes('card no') || words.includes('cvv') || words.includes('cvc')
    || words.includes('iban') || joined.includes('account number') || words.includes('dob') || joined.includes('date of birth') || joined.includes('birth date')) return 'pii';
  if (words[0] === 'internal' || last === 'internal' || joined === 'admin notes' || joined === 'risk score' || joined === 'stripe customer id' || joined === 'is deleted') return 'internal';
  return 'none';
}

/** True for password/secret/token/key classes: the names whose values are credentials. */
export function isCredentialName(name: string, opts: ClassifyOptions = {}): boolean {
  const c = classifyName(name, opts);
  return c === 'password' || c === 'secret' || c === 'token' || c === 'key';
}
