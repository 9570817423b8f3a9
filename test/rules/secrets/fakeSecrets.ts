/**
 * Fake credentials in real provider formats, built at test time so that no file of the repository contains one.
 * Deterministic (seeded) so failures reproduce; random enough to pass the rules' entropy gates.
 */
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64 = ALNUM + '+/';
const B64URL = ALNUM + '-_';

let state = 0x2545f491;
export function seed(n: number): void { state = n >>> 0 || 1; }
function next(): number {
  // xorshift32
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state;
}
export function rand(n: number, alphabet = ALNUM): string {
  let s = '';
  while (s.length < n) {
    const c = alphabet[next() % alphabet.length];
    if (s.length >= 2 && s[s.length - 1] === c && s[s.length - 2] === c) continue;
    s += c;
  }
  return s;
}
export const digits = (n: number) => rand(n, '0123456789');
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

export const fake = {
  stripeLive: () => ['sk', 'live', rand(24)].join('_'),
  stripeTest: () => ['sk', 'test', rand(24)].join('_'),
  stripeRestricted: () => ['rk', 'live', rand(24)].join('_'),
  stripeWebhook: () => ['whsec', rand(32)].join('_'),
  awsKeyId: () => 'AK' + 'IA' + rand(16, UPPER_B32),
  awsSecret: () => rand(40, B64),
  github: () => ['gh' + 'p', rand(36)].join('_'),
  githubFine: () => ['github', 'pat', rand(22) + '_' + rand(59)].join('_'),
  slackBot: () => ['xo' + 'xb', digits(11), digits(12), rand(24)].join('-'),
  slackWebhook: () => `https://hooks.slack.com/services/T${rand(8, UPPER_B32)}/B${rand(8, UPPER_B32)}/${rand(24)}`,
  google: () => 'AI' + 'za' + rand(35, B64URL),
  anthropic: () => ['sk', 'ant', 'api03', rand(80, B64URL)].join('-'),
  openai: () => ['sk', 'proj', rand(48)].join('-'),
  sendgrid: () => ['S' + 'G', rand(22, B64URL), rand(43, B64URL)].join('.'),
  twilio: () => 'S' + 'K' + rand(32, '0123456789abcdef'),
  npm: () => ['np' + 'm', rand(36)].join('_'),
  pemBody: (lines = 4) => Array.from({ length: lines }, () => rand(64, B64)),
  /** A PEM private key with real newlines. */
  pem: (label = 'PRIVATE KEY') => [`-----BEGIN ${label}-----`, ...fake.pemBody(), `-----END ${label}-----`].join('\n'),
  jwt: (payload: Record<string, unknown> = { sub: 'user-1', exp: Math.floor(Date.now() / 1000) + 3600 }, alg = 'HS256') =>
    [b64url(JSON.stringify({ alg, typ: 'JWT' })), b64url(JSON.stringify(payload)), alg === 'none' ? '' : rand(43, B64URL)].join('.'),
  password: () => rand(6) + '#' + rand(5) + '!' + digits(3),
  secret32: () => rand(32),
};

/** The helper requireEnvSuggestion appends to a TypeScript file. */
export function withRequireEnvHelper(code: string, js = false): string {
  const sig = js ? 'function requireEnv(name)' : 'function requireEnv(name: string): string';
  return code.replace(/\s+$/, '') + `\n\n${sig} {\n  const value = process.env[name];\n  if (!value) throw new Error(\`\${name} is not set\`);\n  return value;\n}\n`;
}
