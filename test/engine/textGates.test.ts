import * as assert from 'node:assert/strict';
import { classifyName } from '../../shared-rules/src/model/sensitiveNames';
import { generatorClass, keyClass } from '../../shared-rules/src/model/keySinks';
import * as path from 'node:path';
import { Project } from '../../shared-rules/src';
import { isRelevant } from '../../shared-rules/src/engine/relevance';
import { TOKEN_ANCHORS } from '../../shared-rules/src/model/tokenFormats';
import { LOG_LEVEL_NAMES } from '../../shared-rules/src/model/loggers';
import type { RuleRelevance } from '../../shared-rules/src/engine/types';
import {
  COMPARE_RELEVANCE, STRONG_RANDOM_KEY_RELEVANCE, CREDENTIAL_NAMES, CREDENTIAL_OR_AUTH_NAMES, ENV_FALLBACK_RELEVANCE, KEY_NAMES, KEY_OR_IDENTIFIER_NAMES, LOG_RELEVANCE, REVOCATION_RELEVANCE, TOKEN_RELEVANCE,
  URI_RELEVANCE,
} from '../../shared-rules/src/model/textGates';

const gateProject = new Project(path.resolve('/virtual/gates'));
/** Whether a file whose whole text is `text` passes the gate. */
const passes = (r: RuleRelevance, text: string) => isRelevant(gateProject, path.resolve('/virtual/gates/x.ts'), text, r);

/**
 * Text gates must be necessary conditions: every name a classifier accepts must match its gate, or a rule would be
 * skipped in a file it should report in. Checked over names built from the classifiers' vocabulary and common words,
 * in camelCase, snake_case, SCREAMING_CASE and kebab-case.
 */
const WORDS = [
  'password', 'passwd', 'passcode', 'passphrase', 'pwd', 'pass', 'salt', 'token', 'bearer', 'api', 'key', 'apikey', 'secret', 'private', 'privatekey',
  'signing', 'mfa', 'totp', 'otp', 'hotp', 'seed', 'recovery', 'codes', 'code', 'credential', 'credentials', 'session', 'sid', 'sessid', 'id',
  'access', 'client', 'service', 'app', 'license', 'personal', 'pat', 'reset', 'verification', 'email', 'magic', 'link', 'invite', 'one', 'time',
  'two', 'factor', 'sms', '2fa', 'nonce', 'verifier', 'challenge', 'pkce', 'state', 'oauth', 'oidc', 'auth', 'authorization', 'csrf', 'xsrf', 'pin',
  'passkey', 'signature', 'random', 'new', 'raw', 'plain', 'generated', 'encryption', 'hmac', 'master', 'webhook', 'jwt', 'stripe', 'refresh',
  'request', 'trace', 'idempotency', 'uuid', 'user', 'data', 'value', 'hash', 'url', 'secure', 'short', 'temp', 'admin', 'root', 'shared', 'aes',
];

function* names(): Generator<string> {
  const styles = [
    (ws: string[]) => ws[0] + ws.slice(1).map((w) => w[0].toUpperCase() + w.slice(1)).join(''),
    (ws: string[]) => ws.join('_'),
    (ws: string[]) => ws.join('_').toUpperCase(),
    (ws: string[]) => ws.join('-'),
  ];
  for (const a of WORDS) {
    for (const s of styles) yield s([a]);
    // generator prefixes glued to the word, as generatorClass reads them (`generatepin`, `NEWSTATE`)
    for (const p of ['generate', 'gen', 'create', 'new', 'issue', 'make', 'mint', 'random', 'build', 'get', 'compute']) {
      yield p + a; yield (p + a).toUpperCase(); yield p + 'api' + a;
    }
    for (const b of WORDS) {
      for (const s of styles) yield s([a, b]);
      for (const c of ['key', 'token', 'code', 'id', 'secret', 'hash']) yield styles[0]([a, b, c]);
    }
  }
}

describe('engine: text gates are necessary conditions of the classifiers', () => {
  it('every credential-class name matches CREDENTIAL_NAME_TEXT (and the auth variant)', () => {
    let checked = 0;
    for (const n of names()) {
      for (const opts of [{}, { hashIsSafe: true }, { sessionIdIsToken: true }]) {
        const c = classifyName(n, opts);
        if (c === 'password' || c === 'secret' || c === 'token' || c === 'key') {
          checked++;
          assert.ok(passes(CREDENTIAL_NAMES, n), `${n} is ${c} but does not pass CREDENTIAL_NAMES`);
          assert.ok(passes(CREDENTIAL_OR_AUTH_NAMES, n), n);
        }
      }
    }
    assert.ok(checked > 5000, `only ${checked} credential names generated`);
  });

  it('every key-sink class name matches KEY_NAME_TEXT; identifiers match KEY_OR_IDENTIFIER_TEXT', () => {
    let checked = 0;
    for (const n of names()) {
      const generator = 'generate' + n[0].toUpperCase() + n.slice(1);
      for (const [name, c] of [[n, keyClass(n)], [n, generatorClass(n)], [generator, generatorClass(generator)]] as const) {
        if (c === undefined) continue;
        checked++;
        if (c === 'identifier') assert.ok(passes(KEY_OR_IDENTIFIER_NAMES, name), `${name} (identifier) does not pass KEY_OR_IDENTIFIER_NAMES`);
        else assert.ok(passes(KEY_NAMES, name), `${name} is ${c} but does not pass KEY_NAMES`);
      }
    }
    assert.ok(checked > 5000, `only ${checked} key names generated`);
  });

  it('words are found case-insensitively, overlapping and inside longer words, in one pass', () => {
    assert.ok(passes(CREDENTIAL_NAMES, 'const PASSALT = 1;')); // "salt" overlaps "pass"
    assert.ok(passes({ words: ['salt'] }, 'const PASSALT = 1;'));
    assert.ok(passes({ words: ['ssa'] }, 'const PASSALT = 1;')); // an unregistered word: looked up directly
    assert.ok(passes(KEY_NAMES, 'const passkey = 1;'));
    assert.equal(passes(CREDENTIAL_NAMES, 'export const total = items.length;'), false);
  });

  it('names written with escape sequences pass every name gate', () => {
    const text = `const x = process.env['JWT_\\u0053ECRET'] || 'fallback';`;
    for (const r of [CREDENTIAL_NAMES, CREDENTIAL_OR_AUTH_NAMES, KEY_NAMES, URI_RELEVANCE]) assert.ok(passes(r, text), JSON.stringify(r.words));
    assert.ok(passes(URI_RELEVANCE, `const u = 'postgres:\\/\\/u:p@db';`));
    assert.ok(passes(URI_RELEVANCE, `const u = 'postgres://u:p@db';`));
    assert.equal(passes(URI_RELEVANCE, `const u = 'postgres:/u:p@db';`), false);
  });

  it('log calls: console, level methods with whitespace or comments after the dot', () => {
    const logCall = LOG_RELEVANCE.all![0];
    for (const t of ['console.log(x)', 'logger.info(x)', 'this.logger\n  .warn(x)', 'log./* why */error(x)', 'log.// why\n  error(x)', 'request.log.fatal(x)']) assert.ok(passes(logCall, t), t);
    for (const t of ['const info = 1;', 'res.json({ error: "x" })', 'throw new Error("x")', 'function warn() {}', 'const log =\n  error;']) assert.equal(passes(logCall, t), false, t);
    // Wider than the calls themselves, never narrower: a level name right after a comment counts.
    assert.ok(passes(logCall, '/** Logs. */\n  error(m) {}'));
    assert.equal(passes(LOG_RELEVANCE, `console.log('listening on', port);`), false);
    for (const t of [`console.log(req.headers);`, `logger.info({ body: req.body }, 'POST /login');`, `log.debug('issued', createApiKey());`]) assert.ok(passes(LOG_RELEVANCE, t), t);
  });

  it('anchor gates agree with the patterns they stand for (log calls, comparisons, revocation claims)', () => {
    const logPattern = new RegExp(String.raw`console|\.\s*(?:\/\*[\s\S]*?\*\/\s*|\/\/[^\n]*\n\s*)*(?:${LOG_LEVEL_NAMES.join('|')})\b`);
    // [gate, pattern, fragments, exact]: an exact gate matches where the pattern does; the log-call gate is wider
    // (a level name after any comment end counts, not only after a dot and comments), never narrower.
    const cases: [RuleRelevance, RegExp, string[], boolean][] = [
      [{ anchors: LOG_RELEVANCE.all![0].anchors }, logPattern, ['log', 'info', 'warn', 'warning', 'star', 'start', 'console', 'consol', '.', ' ', '\n', '/*', '*/', '//', 'x', '_', '(', 'logger', 'Error', 'debug'], false],
      [COMPARE_RELEVANCE.all![0], /[!=]=|\bequals\b|\bcompare\b|\blocaleCompare\b/, ['=', '!', '==', 'equals', 'compare', 'locale', 'Compare', 'x', '_', '.', ' ', '(', 'Equals', '1'], true],
      [{ anchors: REVOCATION_RELEVANCE.anchors }, /\bver\b|\biat\b/i, ['ver', 'VER', 'iat', 'Iat', 'sion', 'x', '_', '.', ' ', ':', 'ed', 'e', 'server', '2'], true],
    ];
    for (const [gate, reference, fragments, exact] of cases) {
      let seed = 11;
      const random = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x80000000; };
      let matched = 0;
      for (let i = 0; i < 6000; i++) {
        const t = Array.from({ length: 1 + Math.floor(random() * 7) }, () => fragments[Math.floor(random() * fragments.length)]).join('');
        const expected = reference.test(t);
        if (expected) matched++;
        if (exact || expected) assert.equal(passes(gate, t), expected, `${reference}: ${JSON.stringify(t)}`);
      }
      assert.ok(matched > 300 && matched < 5700, `${reference}: ${matched} of 6000 samples matched`);
    }
  });

  it('AWS secret access key names in any spelling pass the token gate', () => {
    for (const t of ['secretAccessKey', 'SECRET_ACCESS_KEY', 'aws_secret_access_key', "'secret-access-key'", 'SecretAccessKey']) assert.ok(passes(TOKEN_RELEVANCE, t), t);
    assert.equal(passes(TOKEN_RELEVANCE, 'const accessKeyId = process.env.ID;'), false);
  });

  it('the token gate agrees with the token pre-filter pattern (tokenFormats.ts TOKEN_ANCHORS) on every branch', () => {
    const caseless = (w: string) => [...w].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}]`).join('');
    const reference = new RegExp(`${TOKEN_ANCHORS.source}|${caseless('secret')}[^A-Za-z0-9]*${caseless('access')}[^A-Za-z0-9]*${caseless('key')}`);
    // One sample per branch (built here: no provider-format literal in the repository), near misses, then random text
    // over the characters the branches are made of.
    const hex = 'a1b2c3d4e5f60718'.repeat(2);
    const samples = [
      'A3TX', 'A3Tx', 'AKIA', 'ASIA', 'ABIA', 'ACCA', ...['s', 'r'].flatMap((p) => ['live', 'prod', 'test', 'dev'].map((e) => `${p}k_${e}_`)),
      'whsec_', ...'pousrx'.split('').map((c) => `gh${c}_`), 'github_pat_', ...'baprsx'.split('').map((c) => `xox${c}-`), 'xapp-', 'hooks.slack.com',
      'hooks-slack.com', 'AIza', 'PRIVATE KEY', 'private key', 'eyJ', 'ey' + 'A'.repeat(17), 'ey' + 'A'.repeat(16), 'sk-', 'SG.', 'SG-', 'SK' + hex, 'SK' + hex.slice(1),
      'SK' + hex.toUpperCase(), 'npm_', 'secret access key', 'SECRET.ACCESS.KEY', 'secretkey', 'accessSecretKey',
    ];
    const fragments = ['A', 'A3T', 'AK', 'IA', 'AS', 'AB', 'ACC', 'sk', 'rk', '_', 'live', 'test', 'ey', 'J', 'SG', '.', 'gh', 'p', 'xox', 'b', '-', 'app',
      'whsec', 'hooks', 'slack', 'com', 'secret', 'Access', 'KEY', ' ', 'SK', 'a1b2c3d4', 'F00D', 'npm', 'AI', 'za', 'PRIVATE', 'github', 'pat', 'x'];
    let seed = 7;
    const random = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x80000000; };
    for (let i = 0; i < 20000; i++) samples.push(Array.from({ length: 2 + Math.floor(random() * 8) }, () => fragments[Math.floor(random() * fragments.length)]).join(''));
    let matched = 0;
    for (const t of samples) {
      const expected = reference.test(t);
      if (expected) matched++;
      assert.equal(passes(TOKEN_RELEVANCE, t), expected, JSON.stringify(t));
    }
    assert.ok(matched > 1000 && matched < 18000, `${matched} samples matched: the random text does not exercise the branches and their near misses`);
  });

  it('conjunctions: a comparison needs an operator; an env fallback needs a credential name and an env read', () => {
    const rel = (text: string, r: RuleRelevance) => passes(r, text);
    assert.equal(rel(`if (req.headers['x-api-key'] === process.env.API_KEY) next();`, COMPARE_RELEVANCE), true);
    assert.equal(rel(`if (!Buffer.from(req.get('x-signature')).equals(expected)) throw e;`, COMPARE_RELEVANCE), true);
    assert.equal(rel(`const key = req.headers['x-api-key']; lookup(key);`, COMPARE_RELEVANCE), false);
    assert.equal(rel(`const secret = process.env.JWT_SECRET || 'dev';`, ENV_FALLBACK_RELEVANCE), true);
    assert.equal(rel(`constructor(private readonly config: ConfigService) {}\nconst k = this.config.get('API_KEY', 'x');`, ENV_FALLBACK_RELEVANCE), true);
    assert.equal(rel(`export const Env = z.object({ JWT_SECRET: z.string().default('dev') });`, ENV_FALLBACK_RELEVANCE), true);
    assert.equal(rel(`const secret = settings.secret || 'dev';`, ENV_FALLBACK_RELEVANCE), false);
    assert.equal(rel(`const port = process.env.PORT || 3000;`, ENV_FALLBACK_RELEVANCE), false);
  });

  it('a request value compared with a secret from another module: HMAC wrappers and env-returning functions count, plain imports do not', () => {
    const root = path.resolve('/virtual/gates-compare', String(Math.random()).slice(2));
    const p = new Project(root);
    const f = (n: string) => path.join(root, n);
    p.setOverlay(f('errors.ts'), `export class NotFoundError extends Error {}`, 1);
    p.setOverlay(f('paging.ts'), `export const page = (q: any) => Number(q.page ?? 1);`, 1);
    p.setOverlay(f('env.ts'), `export const adminSecret = () => process.env.ADMIN_SECRET;`, 1);
    p.setOverlay(f('sig.ts'), `import { createHmac } from 'node:crypto';\nexport const macOf = (b: string) => createHmac('sha256', b);`, 1);
    const rel = (name: string, text: string) => { p.setOverlay(f(name), text, 1); return isRelevant(p, f(name), text, COMPARE_RELEVANCE); };
    assert.equal(rel('a.ts', `import { NotFoundError } from './errors';\nimport { page } from './paging';\nif (req.params.id !== user.id) throw new NotFoundError();`), false);
    assert.equal(rel('b.ts', `import { adminSecret } from './env';\nif (req.query.s !== adminSecret()) throw new Error();`), true);
    assert.equal(rel('c.ts', `import { macOf } from './sig';\nif (req.get('x-sig') !== macOf(req.body)) throw new Error();`), true);
    assert.equal(rel('d.ts', `if (req.headers.authorization === expected) next();`), true);
  });

  it('combinators: only `all` is the conjunction; a relevance with nothing to look for is never relevant', () => {
    assert.equal(passes({}, 'anything at all'), false);
    assert.equal(passes({ all: [{ words: ['alpha'] }, { words: ['beta'] }] }, 'alpha beta'), true);
    assert.equal(passes({ all: [{ words: ['alpha'] }, { words: ['beta'] }] }, 'alpha'), false);
    assert.equal(passes({ all: [{ words: ['alpha'] }], any: [{ words: ['beta'] }, { words: ['gamma'] }] }, 'alpha gamma'), true);
    assert.equal(passes({ all: [{ words: ['alpha'] }], any: [{ words: ['beta'] }, { words: ['gamma'] }] }, 'alpha delta'), false);
  });

  it('missing-prefix needs a key name and a CSPRNG named in the file or reached through a wrapper', () => {
    assert.ok(passes(STRONG_RANDOM_KEY_RELEVANCE, `import { randomBytes } from 'node:crypto';\nconst apiKey = randomBytes(32).toString('hex');`));
    assert.ok(passes(STRONG_RANDOM_KEY_RELEVANCE, `import { nanoid } from 'nanoid';\nexport const newApiKey = () => nanoid(32);`));
    assert.equal(passes(STRONG_RANDOM_KEY_RELEVANCE, `const apiKey = req.headers['x-api-key'];\nawait keys.findOne({ apiKey });`), false);
  });
});
