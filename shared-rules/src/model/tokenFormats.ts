import { isRepetitive, shannonEntropy } from './entropy';

/**
 * Provider credentials recognisable by their format (RULES.md `secrets/known-token-format`), modelled on the
 * gitleaks defaults and re-implemented here. Works on raw file text (so comments and the one-line PEM form with
 * escaped `\n` are seen) and on plain string values. Never returns a value for printing: use maskSecret().
 */
export interface TokenMatch {
  /** Stable pattern id: `aws-access-key-id`, `stripe-secret-key`, `private-key`, `jwt` … */
  id: string;
  /** What it is, for messages: "Stripe live secret key". */
  label: string;
  /** Environment variable the suggestion reads instead. */
  envName: string;
  /** The matched token (secret: never put it in a message). */
  value: string;
  start: number;
  end: number;
  severity: 'error' | 'warning' | 'info';
  /** Extra facts for the message (algorithm of a JWT, "encrypted", "expired"); never secret material. */
  note?: string;
}

/** Optional provider patterns, on by default; users can narrow them with the rule option `extensions`. */
export const EXTENSION_IDS = ['anthropic', 'openai', 'sendgrid', 'twilio', 'npm'] as const;

export interface TokenScanOptions {
  /** Extension patterns to use (default: all). */
  extensions?: ReadonlySet<string>;
  /** Twilio `SK…` keys are only reported where the text mentions Twilio (32 hex digits after `SK` also occur in ids). */
  twilioContext?: boolean;
  /** Reference time for JWT `exp` checks (seconds since the epoch). */
  nowSeconds?: number;
}

interface Pattern {
  id: string;
  re: RegExp;
  /** Which part must look random (defaults to the whole match). */
  random?: (m: RegExpExecArray) => string;
  classify: (m: RegExpExecArray, text: string, opts: TokenScanOptions) => Omit<TokenMatch, 'id' | 'value' | 'start' | 'end'> | undefined;
  minEntropy?: number;
  extension?: string;
}

/** Cheap pre-filter: no candidate prefix, no work. */
export const TOKEN_ANCHORS = /A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|[sr]k_(?:live|prod|test)_|whsec_|gh[pousr]_|github_pat_|xox[baprs]-|xapp-|hooks\.slack\.com|AIza|PRIVATE KEY|eyJ|ey[A-Za-z0-9_-]{17}|sk-|SG\.|SK[0-9a-f]{32}|npm_/;

const PATTERNS: Pattern[] = [
  {
    id: 'private-key',
    re: /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g,
    classify: (m, text) => {
      const body = pemBody(text, m.index + m[0].length);
      if (!body.present) return undefined;
      const encrypted = /ENCRYPTED/.test(m[0]) || body.encrypted;
      return {
        label: encrypted ? 'Encrypted PEM private key' : 'PEM private key', envName: 'PRIVATE_KEY',
        severity: encrypted ? 'warning' : 'error', note: encrypted ? 'encrypted' : undefined,
      };
    },
  },
  {
    id: 'jwt',
    re: /\bey[A-Za-z0-9_-]{17,}\.ey[A-Za-z0-9_-]{17,}\.[A-Za-z0-9_-]*/g,
    classify: (m, _text, opts) => jwtFacts(m[0], opts.nowSeconds ?? Date.now() / 1000),
  },
  {
    id: 'aws-access-key-id',
    re: /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/g,
    random: (m) => m[0].slice(4),
    minEntropy: 3.0,
    classify: () => ({ label: 'AWS access key id', envName: 'AWS_ACCESS_KEY_ID', severity: 'error' }),
  },
  {
    id: 'stripe-secret-key',
    re: /\b(sk|rk)_(live|prod|test)_([A-Za-z0-9]{10,99})\b/g,
    random: (m) => m[3],
    minEntropy: 3.0,
    classify: (m) => {
      const restricted = m[1] === 'rk';
      const test = m[2] === 'test';
      return {
        label: `Stripe ${test ? 'test-mode' : 'live'} ${restricted ? 'restricted' : 'secret'} key`,
        envName: restricted ? 'STRIPE_RESTRICTED_KEY' : 'STRIPE_SECRET_KEY', severity: test ? 'warning' : 'error',
      };
    },
  },
  {
    id: 'stripe-webhook-secret',
    re: /\bwhsec_([A-Za-z0-9]{24,})\b/g,
    random: (m) => m[1],
    minEntropy: 3.0,
    classify: () => ({ label: 'Stripe webhook signing secret', envName: 'STRIPE_WEBHOOK_SECRET', severity: 'error' }),
  },
  {
    id: 'github-token',
    re: /\b(?:(gh[pousr])_([0-9A-Za-z]{36})|github_pat_(\w{82}))\b/g,
    random: (m) => m[2] ?? m[3],
    minEntropy: 3.0,
    classify: (m) => ({
      label: m[3] ? 'GitHub fine-grained access token' : ({ ghp: 'GitHub personal access token', gho: 'GitHub OAuth token', ghu: 'GitHub user-to-server token', ghs: 'GitHub app installation token', ghr: 'GitHub refresh token' } as Record<string, string>)[m[1]],
      envName: 'GITHUB_TOKEN', severity: 'error',
    }),
  },
  {
    id: 'slack-token',
    re: /\bxox([baprs])-([0-9A-Za-z-]{10,})/g,
    random: (m) => m[2],
    minEntropy: 3.0,
    classify: (m) => {
      // Real tokens carry numeric workspace/user ids: `xoxb-<digits>-<digits>-<random>`.
      if ((m[2].match(/\d/g) ?? []).length < 8 || !/\d{6,}/.test(m[2])) return undefined;
      const kind = m[1] === 'b' ? 'bot' : m[1] === 'p' ? 'user' : m[1] === 'a' ? 'app' : m[1] === 'r' ? 'refresh' : 'session';
      return { label: `Slack ${kind} token`, envName: m[1] === 'b' ? 'SLACK_BOT_TOKEN' : m[1] === 'p' ? 'SLACK_USER_TOKEN' : 'SLACK_TOKEN', severity: 'error' };
    },
  },
  {
    id: 'slack-app-token',
    re: /\bxapp-\d-[A-Z0-9]+-\d+-([a-z0-9]+)/g,
    random: (m) => m[1],
    minEntropy: 3.0,
    classify: () => ({ label: 'Slack app-level token', envName: 'SLACK_APP_TOKEN', severity: 'error' }),
  },
  {
    id: 'slack-webhook',
    re: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/([A-Za-z0-9]+)/g,
    random: (m) => m[1],
    minEntropy: 3.0,
    classify: (m) => (m[1].length >= 16 ? { label: 'Slack incoming-webhook URL', envName: 'SLACK_WEBHOOK_URL', severity: 'error' } : undefined),
  },
  {
    id: 'google-api-key',
    re: /\bAIza([\w-]{35})(?![\w-])/g,
    random: (m) => m[1],
    minEntropy: 3.0,
    classify: () => ({ label: 'Google API key', envName: 'GOOGLE_API_KEY', severity: 'error' }),
  },
  {
    id: 'anthropic-api-key', extension: 'anthropic',
    re: /\bsk-ant-(?:[a-z]+\d*-)?([A-Za-z0-9_-]{20,})/g,
    random: (m) => m[1],
    minEntropy: 3.5,
    classify: () => ({ label: 'Anthropic API key', envName: 'ANTHROPIC_API_KEY', severity: 'error' }),
  },
  {
    id: 'openai-api-key', extension: 'openai',
    re: /\bsk-(?:(?:proj|svcacct|admin)-([A-Za-z0-9_-]{20,})|([A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})\b|([A-Za-z0-9]{48})\b)/g,
    random: (m) => m[1] ?? m[2] ?? m[3],
    minEntropy: 3.5,
    classify: () => ({ label: 'OpenAI API key', envName: 'OPENAI_API_KEY', severity: 'error' }),
  },
  {
    id: 'sendgrid-api-key', extension: 'sendgrid',
    re: /\bSG\.([\w-]{22})\.([\w-]{43})(?![\w-])/g,
    random: (m) => m[2],
    minEntropy: 3.5,
    classify: () => ({ label: 'SendGrid API key', envName: 'SENDGRID_API_KEY', severity: 'error' }),
  },
  {
    id: 'twilio-api-key', extension: 'twilio',
    re: /\bSK([0-9a-f]{32})\b/g,
    random: (m) => m[1],
    minEntropy: 3.0,
    classify: (_m, _t, opts) => (opts.twilioContext ? { label: 'Twilio API key', envName: 'TWILIO_API_KEY', severity: 'error' } : undefined),
  },
  {
    id: 'npm-token', extension: 'npm',
    re: /\bnpm_([A-Za-z0-9]{36})\b/g,
    random: (m) => m[1],
    minEntropy: 3.0,
    classify: () => ({ label: 'npm access token', envName: 'NPM_TOKEN', severity: 'error' }),
  },
];

/**
 * Documented sample credentials (vendor docs): reported by nobody. Kept in pieces so this file itself does not
 * contain a provider-format string.
 */
const DOCUMENTED_EXAMPLES = new Set([
  ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join(''),
  ['sk', 'test', '4eC39HqLyjWDarjtT1zdp7dc'].join('_'),
  ['sk', 'test', 'BQokikJOvBiI2HlWgH4olfQ2'].join('_'),
]);

/** Obvious dummies inside a token: `sk_live_xxxx…`, `AKIA0000…`, `ghp_your_token…`. */
function isDummy(value: string, random: string): boolean {
  if (DOCUMENTED_EXAMPLES.has(value)) return true;
  if (/example|x{4,}|0{10}|(.)\1{5,}/i.test(value)) return true;
  if (/dummy|fake|sample|placeholder|your|mock|invalid|redacted|changeme|notreal|replace|insert|token_?here|secret_?here/i.test(random)) return true;
  if (isRepetitive(random)) return true;
  if (/abcdefgh|bcdefghi|01234567|12345678|23456789|98765432|qwertyui/i.test(random)) return true;
  return false;
}

/** Every provider credential in `text`, left to right; overlapping matches keep the first pattern (list order). */
export function findKnownTokens(text: string, opts: TokenScanOptions = {}): TokenMatch[] {
  if (!TOKEN_ANCHORS.test(text)) return [];
  const out: TokenMatch[] = [];
  for (const p of PATTERNS) {
    if (p.extension && opts.extensions && !opts.extensions.has(p.extension)) continue;
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      if (m[0].length === 0) { p.re.lastIndex++; continue; }
      const start = m.index;
      const end = start + m[0].length;
      if (out.some((o) => o.start < end && start < o.end)) continue;
      const random = p.random ? p.random(m) : m[0];
      if (p.id !== 'private-key' && p.id !== 'jwt') {
        if (isDummy(m[0], random)) continue;
        if (p.minEntropy !== undefined && shannonEntropy(random) < p.minEntropy) continue;
      }
      const facts = p.classify(m, text, opts);
      if (!facts) continue;
      if (p.id === 'private-key') {
        // The whole block is the secret (its length in messages, no other pattern inside its body).
        const endRe = /-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g;
        endRe.lastIndex = end;
        const em = endRe.exec(text);
        const blockEnd = em && em.index - end < 20000 ? em.index + em[0].length : end;
        out.push({ id: p.id, value: text.slice(start, blockEnd), start, end: blockEnd, ...facts });
        continue;
      }
      out.push({ id: p.id, value: m[0], start, end, ...facts });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** True when the value contains a provider credential (other rules leave such literals to known-token-format). */
export function containsKnownToken(value: string): boolean {
  return findKnownTokens(value, { twilioContext: false }).length > 0;
}

/**
 * Is there key material after a PEM header? Follows the one-line form with escaped newlines (`\n`, `\\n`),
 * string concatenation (`'…\n' + 'MIIE…'`) and arrays of lines, and skips RFC 1421 headers (`Proc-Type:`).
 * A bare header (a constant in a PEM parser, a template with `${body}`) has no body and is not a key.
 */
export function pemBody(text: string, from: number): { present: boolean; encrypted: boolean } {
  let rest = text.slice(from, from + 800);
  rest = rest.replace(/\\\\?[rn]/g, '\n');
  rest = rest.replace(/['"`]\s*[+,]\s*['"`]/g, '');
  rest = rest.replace(/^\s+/, '');
  const encrypted = /^Proc-Type:\s*4,\s*ENCRYPTED/i.test(rest);
  for (let i = 0; i < 4 && /^[A-Za-z-]+:[^\n]*\n/.test(rest); i++) rest = rest.replace(/^[A-Za-z-]+:[^\n]*\n\s*/, '');
  const b64 = /^[A-Za-z0-9+/=]*/.exec(rest.replace(/[ \t\r\n]+/g, ''))![0];
  const present = b64.length >= 40 && shannonEntropy(b64.slice(0, 200)) >= 4.0 && !isRepetitive(b64);
  return { present, encrypted };
}

/** Decodes a JWT's header and payload; undefined when it is not a JWT (the header must name an `alg`). */
export function decodeJwtParts(token: string): { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!header || typeof header !== 'object' || typeof header.alg !== 'string') return undefined;
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
    return { header, payload, signature: parts[2] };
  } catch {
    return undefined;
  }
}

function jwtFacts(token: string, now: number): Omit<TokenMatch, 'id' | 'value' | 'start' | 'end'> | undefined {
  const jwt = decodeJwtParts(token);
  if (!jwt) return undefined;
  const alg = String(jwt.header.alg);
  const unsigned = alg.toLowerCase() === 'none';
  if (!unsigned && jwt.signature.length < 10) return undefined;
  // jwt.io's documented sample token
  if (jwt.payload.sub === '1234567890' && jwt.payload.name === 'John Doe') return undefined;
  const exp = typeof jwt.payload.exp === 'number' ? jwt.payload.exp : undefined;
  const expired = exp !== undefined && exp < now;
  const note = unsigned ? 'alg none' : expired ? `alg ${safeAlg(alg)}, expired` : `alg ${safeAlg(alg)}`;
  return { label: 'JWT', envName: 'JWT', severity: unsigned || expired ? 'info' : 'warning', note };
}

function safeAlg(alg: string): string {
  return /^[A-Za-z0-9+-]{1,12}$/.test(alg) ? alg : 'unknown';
}
