import { registerWords } from '../engine/relevance';
import type { Anchor, RuleRelevance } from '../engine/types';
import { JWT_RELEVANCE } from './jwtRelevance';
import { LOG_LEVEL_NAMES } from './loggers';

/**
 * Text gates: for each rule family, a pattern every file it can report in matches (its `relevance`), so the engine
 * skips the rule — and, when no rule is left, the parse — elsewhere. Each pattern is a necessary condition derived
 * from the vocabulary the rule's model reacts to, and errs wide: a wider pattern only costs time, a narrower one
 * would lose findings. Names can be written with escape sequences inside string literals, so every name gate also
 * accepts any `\u`/`\x`/octal escape.
 *
 * RegExp objects are shared between rules on purpose: the engine tests each pattern once per file text.
 */

/** Any `\u`/`\x`/octal escape: a name spelled with one is not visible to a word search. */
const ESCAPES: readonly Anchor[] = ['u', 'x', '0', '1', '2', '3', '4', '5', '6', '7'].map((c) => ({ text: `\\${c}`, caseSensitive: true }));

/** Anchors for literals matched as written. */
const literal = (...texts: string[]): Anchor[] => texts.map((text) => ({ text, caseSensitive: true }));

/** A word boundary before / after an anchor (as `\b` next to a word character). */
const WORD_START = /(?<![A-Za-z0-9_])/y;
const WORD_END = /(?![A-Za-z0-9_])/y;

/** Lower-case words for a `words` gate, registered so the engine finds all of them in one pass per file. */
function words(...list: string[]): readonly string[] {
  registerWords(list);
  return list;
}

/**
 * Every name the sensitive-name classifier (sensitiveNames.ts) puts in the password, secret, token or key class
 * contains one of these, case-insensitively: pass/pwd/passcode/passphrase, salt, token, bearer, (api/private/signing)
 * key, secret, credential(s), otp/totp/mfa (with secret or seed), recovery codes, session id — or is `sid` (a whole
 * word: `inside` is not a session id).
 */
const CREDENTIAL_WORDS = ['pass', 'pwd', 'salt', 'token', 'bearer', 'key', 'secret', 'credential', 'otp', 'mfa', 'recovery', 'session'];
words(...CREDENTIAL_WORDS);
export const CREDENTIAL_NAMES: RuleRelevance = { words: CREDENTIAL_WORDS, nameWords: words('sid'), anchors: ESCAPES };

/** As above plus `Authorization`/`auth` names (whose `Bearer …` value is judged; whole words). */
export const CREDENTIAL_OR_AUTH_NAMES: RuleRelevance = { words: CREDENTIAL_WORDS, nameWords: words('sid', 'auth', 'authorization'), anchors: ESCAPES };

/** Name prefixes of key generators (keySinks.ts `generatorClass`), which may be glued to the word (`generatepin`). */
const GENERATOR_PREFIX = 'generate|gen|create|new|issue|make|mint|random|build|get|compute';

/**
 * Every name the key-sink classifier (keySinks.ts `keyClass`/`generatorClass`) gives a class other than
 * "identifier" contains one of these: the credential words, sessid, signature, nonce, verifier, challenge/pkce, csrf/xsrf,
 * magic link; or has a whole word `code`, `state`, `pin`, `pat` (personal access token) or `sid` — also glued to a
 * generator prefix (`newstate`, `generatePIN`).
 */
const KEY_SUBSTRINGS = [...CREDENTIAL_WORDS, 'sessid', 'signature', 'nonce', 'verifier', 'pkce', 'csrf', 'xsrf', 'magic'];
const KEY_WHOLE_WORDS = ['sid', 'code', 'state', 'pin', 'pat'];
words(...KEY_SUBSTRINGS);
const GLUED = new RegExp(`(?:${GENERATOR_PREFIX})_?(?:api)?(?:${KEY_WHOLE_WORDS.join('|')})`, 'i');
export const KEY_NAMES: RuleRelevance = {
  words: KEY_SUBSTRINGS, nameWords: KEY_WHOLE_WORDS, anchors: ESCAPES,
  any: [{ all: [{ words: KEY_WHOLE_WORDS }], pattern: GLUED }], // the glued search only where such a word occurs at all
};
/** The key vocabulary as plain substrings (comparisons and logs also match header names and route paths). */
const KEY_WORDS = [...KEY_SUBSTRINGS, ...KEY_WHOLE_WORDS];
words(...KEY_WORDS);

/**
 * `apikey/missing-prefix` (pureRandom → randomness.ts `randomSource`, strong sources only): a key name, and a CSPRNG —
 * node:crypto / Web Crypto, uuid, nanoid, openid-client, crypto-random-string, uid-safe, cuid2 — named in the file or
 * reached through a project wrapper.
 */
export const STRONG_RANDOM_KEY_RELEVANCE: RuleRelevance = {
  all: [KEY_NAMES, { words: words('crypto', 'uid', 'nanoid', 'openid', 'random'), modules: ['crypto', 'uid', 'nanoid', 'openid', 'random'] }],
};

/** With `reportIdentifiers`, request/trace/idempotency ids and keys count too (`…Id`, `…Key`, `…Uuid`, `…Nonce`). */
// `id` and `uuid` are in most files: they join the one-pass vocabulary only when the option is on.
export const KEY_OR_IDENTIFIER_NAMES: RuleRelevance = { words: [...KEY_WORDS, 'id', 'uuid'], anchors: ESCAPES };

/**
 * Request input (requestInput.ts): a property of `req`/`request`/`ctx`/`context`/`c`/`event`, a Nest parameter
 * decorator (`@Body`, `@Headers`, `@Ip`…), or Next.js `cookies()`/`headers()`.
 */
const REQUEST_WORDS = ['req', 'ctx', 'context', 'event', 'body', 'query', 'param', 'header', 'cookie'];

/**
 * Hash and KDF calls (hashing.ts `hashCallOf`): node:crypto, bcrypt, argon2, scrypt/pbkdf2, crypto-js, md5/sha
 * packages, KMS and jose encryption (resolved through imports, so project wrappers count), or a helper named after
 * hashing or encryption.
 */
export const HASH_RELEVANCE: RuleRelevance = {
  words: words('hash', 'digest', 'sha', 'md5', 'crypt', 'argon', 'pbkdf', 'cipher', 'seal'),
  modules: ['crypto', 'bcrypt', 'argon2', 'md5', 'sha1', 'sha256', 'sha512', 'hash.js', 'kms', 'jose'],
};

/**
 * `apikey/non-constant-time-compare` (classify/helperPair): an equality operator, `.equals(`, `Buffer.compare(` or
 * `.localeCompare(` in the file; and either a key or credential name (a helper named after a key, a secret's name, a
 * stored hash `pwHash`, the Authorization header), or request input compared with what can only be a secret through
 * another file: an HMAC digest (node:crypto, also through a wrapper) or a function of an imported module that returns
 * a credential environment variable (evaluated across files).
 */
export const COMPARE_RELEVANCE: RuleRelevance = {
  all: [{ anchors: [...literal('==', '!='), ...['equals', 'compare', 'localeCompare'].map((text) => ({ text, caseSensitive: true, before: WORD_START, then: WORD_END }))] }],
  any: [
    { words: words(...KEY_WORDS, 'pw', 'auth'), anchors: ESCAPES },
    {
      all: [{ words: words(...REQUEST_WORDS), pattern: /\bc\b|\bIp\b/ }],
      any: [HASH_RELEVANCE],
      importsMention: [CREDENTIAL_WORDS, words('env', 'config')],
    },
  ],
};

/**
 * `secrets/env-literal-fallback`: a credential name, and an environment read it falls back from: `….env.X`
 * (process, import.meta, Bun, Deno), Nest `ConfigService#get` (by type name or through a re-export), envalid
 * validators, or a zod `.default(…)`.
 */
export const ENV_FALLBACK_RELEVANCE: RuleRelevance = {
  all: [CREDENTIAL_NAMES, { pattern: /\benv\b|ConfigService|\.\s*default\s*\(/, modules: ['@nestjs/config', 'envalid'] }],
};

/**
 * `apikey/secret-in-logs`: a log call (loggers.ts `logCallOf`: `console.*`, a log-level method with whitespace or
 * comments allowed after the dot, or — resolved through imports — a `debug` instance or morgan), and something it can
 * flag: a key or credential name (also a generated one, `createApiKey()`), request headers or cookies, the body of an
 * authentication route (`'/login'`, `@Post('sign-in')`), a JWT just signed, or a credential env var brought in by a
 * function of an imported module.
 */
/**
 * `console`, or a log-level method name after a dot (whitespace and comments allowed between them): the name preceded,
 * across whitespace, by a dot or by the end of a comment (wider than "a dot, then comments", and linear: a lookbehind
 * matching whole comments backwards rescans the file at every name that follows one).
 */
const LOG_CALL: readonly Anchor[] = [
  { text: 'console', caseSensitive: true },
  ...LOG_LEVEL_NAMES.map((text) => ({ text, caseSensitive: true, before: /(?<=(?:\.|\*\/|\/\/[^\n]*\n)\s*)/y, then: WORD_END })),
];

export const LOG_RELEVANCE: RuleRelevance = {
  all: [{ anchors: LOG_CALL, modules: ['debug', 'morgan'] }],
  any: [
    {
      words: words(...KEY_WORDS, 'pw', 'auth', 'header', 'cookie', 'login', 'log-in', 'signin', 'sign-in', 'signup', 'sign-up', 'register', 'reset', 'verify', '2fa'),
      anchors: ESCAPES,
      importsMention: [CREDENTIAL_WORDS, words('env', 'config')],
    },
    JWT_RELEVANCE,
  ],
};


/**
 * A provider token prefix — tokenFormats.ts `TOKEN_ANCHORS`, branch by branch (a test checks that they agree) — or an
 * AWS secret access key name (`secretAccessKey`, `SECRET_ACCESS_KEY`).
 */
export const TOKEN_RELEVANCE: RuleRelevance = {
  anchors: [
    { text: 'A3T', caseSensitive: true, then: /[A-Z0-9]/y },
    ...literal('AKIA', 'ASIA', 'ABIA', 'ACCA'),
    ...literal(...['s', 'r'].flatMap((p) => ['live', 'prod', 'test'].map((env) => `${p}k_${env}_`))),
    ...literal('whsec_', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'xoxb-', 'xoxa-', 'xoxp-', 'xoxr-', 'xoxs-', 'xapp-', 'hooks.slack.com'),
    ...literal('AIza', 'PRIVATE KEY', 'eyJ'),
    { text: 'ey', caseSensitive: true, then: /[A-Za-z0-9_-]{17}/y },
    ...literal('sk-', 'SG.'),
    { text: 'SK', caseSensitive: true, then: /[0-9a-f]{32}/y },
    ...literal('npm_'),
    { text: 'secret', caseSensitive: false, then: /[^A-Za-z0-9]*access[^A-Za-z0-9]*key/iy },
  ],
};

/** `scheme://` in a string or template (or an escape that could spell it). */
export const URI_RELEVANCE: RuleRelevance = { anchors: [...literal('://', ':\\/'), ...ESCAPES] };

/**
 * `jwt/no-revocation-path` facts: verification sites (JWT files) and revocation evidence anywhere — revocation claims
 * (`jti`, `sid`, `ver`, token/session versions, password-changed times, `iat` comparisons), denylists, revoked flags,
 * refresh-token and session stores.
 */
export const REVOCATION_RELEVANCE: RuleRelevance = {
  words: words('jti', 'sid', 'session', 'passwordchanged', 'password_changed', 'passwordupdated', 'password_updated', 'logout', 'loggedout',
    'logged_out', 'validafter', 'valid_after', 'revok', 'blacklist', 'denylist', 'blocklist', 'invalidated', 'refresh', 'tokenid', 'token_id',
    'tokenver', 'token_ver', 'securitystamp', 'connect-redis', 'connect-mongo'),
  anchors: ['ver', 'iat'].map((text) => ({ text, caseSensitive: false, before: WORD_START, then: WORD_END })),
  modules: JWT_RELEVANCE.modules,
};

/** A rule without per-file work (it reads other files in `projectEnd`): never relevant to a source file. */
export const NO_FILE_WORK: RuleRelevance = {};
