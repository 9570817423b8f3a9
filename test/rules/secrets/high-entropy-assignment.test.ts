import * as assert from 'node:assert/strict';
import rule from '../../../shared-rules/src/rules/secrets/high-entropy-assignment';
import { looksLikeSecret, notSecretReason } from '../../../shared-rules/src/model/secretValues';
import { ruleTester } from '../../support/ruleTester';
import { fake, rand, withRequireEnvHelper } from './fakeSecrets';

const s32 = fake.secret32();
const pw = fake.password();
const hex64 = rand(64, '0123456789abcdef');
const b64 = rand(43, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') + '=';

describe('secretValues model', () => {
  it('tells placeholders and structured strings from random ones', () => {
    for (const v of ['changeme', '<your-key>', 'xxxxxxxxxxxxxxxxxxxx', 'JWT_SECRET', 'https://api.example.com/v1', './keys/private.pem', 'auth.login.title',
      '{{ secret }}', 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC', 'data:image/png;base64,iVBORw0KGgo',
      '^[a-z0-9]{32}$', 'accessTokenStorageKey', 'my-app-session-key', 'Password must be at least 8 characters', '$2b$10$abcdefghijklmnopqrstuv']) {
      assert.ok(notSecretReason(v), `${v} should not look like a secret`);
    }
    assert.equal(notSecretReason(s32), undefined);
    assert.ok(looksLikeSecret(s32, 'secret'));
    assert.ok(looksLikeSecret(pw, 'password'));
    assert.ok(!looksLikeSecret('Summer', 'password'));
    assert.ok(looksLikeSecret(hex64, 'secret'));
    assert.ok(!looksLikeSecret('deadbeefdeadbeef', 'secret'));
    assert.ok(!looksLikeSecret(s32, 'secret', { minLength: 16, minPasswordLength: 8, entropy: 5.5, hexEntropy: 3, hexMinLength: 32, base64Entropy: 4 }));
  });
});

ruleTester(rule, {
  valid: [
    { name: 'N1: an env var name is not its value', code: `export const SECRET_ENV_VAR = 'JWT_SECRET';` },
    { name: 'N2: Firebase web config apiKey is public', code: `const firebaseConfig = { apiKey: '${rand(39)}', authDomain: 'x.firebaseapp.com', projectId: 'x' };` },
    { name: 'placeholder values', code: `const config = { apiKey: 'your-api-key-here', secret: 'changeme', password: 'password', token: '<token>' };` },
    { name: 'non-secret names', code: `const publicKey = '${s32}';\nconst publishableKey = '${s32}';\nconst pageToken = '${s32}';\nconst tokenType = 'Bearer';\nconst csrfToken = '${s32}';\nconst apiKeyId = '${s32}';` },
    { name: 'hash-suffixed names hold one-way values', code: `const passwordHash = '${hex64}';\nconst tokenDigest = '${b64}';` },
    { name: 'URLs, paths and i18n keys', code: `const tokenUrl = 'https://auth.example.com/oauth/token';\nconst privateKey = './keys/private.pem';\nconst passwordLabel = 'auth.password.label';\nconst secret = 'https://vault.internal/v1/secret/data/app';` },
    { name: 'SRI and data URIs', code: `const integrityToken = 'sha384-${b64}';\nconst secretImage = 'data:image/png;base64,${b64}';` },
    { name: 'readable words are not random', code: `const sessionSecret = 'my-very-long-session-secret-phrase';\nconst tokenKey = 'accessTokenStorageKey';` },
    { name: 'short and low-entropy values', code: `const secret = 'abc123';\nconst apiKey = 'aaaaaaaaaaaaaaaaaaaaaaaa';\nconst token = '1234567890123456';` },
    { name: 'provider formats are left to known-token-format', code: `const stripeSecret = '${fake.stripeLive()}';` },
    { name: 'hex hash constants in tests are silent', filename: 'test/hash.test.ts', code: `const secret = '${hex64}';` },
    { name: 'names saying the value is a dummy', code: `const fakeToken = '${s32}';\nconst mockApiKey = '${s32}';` },
    { name: 'a bare key name is not a credential', code: `const key = '${s32}';\nconst cacheKey = '${s32}';` },
    { name: 'salts and nonces are not secrets', code: `const salt = '${s32}';\nconst tokenNonce = '${s32}';` },
    { name: 'non-literal values', code: `const secret = process.env.SECRET;\nconst token = crypto.randomBytes(32).toString('hex');\nconst apiKey = \`\${prefix}${s32}\`;` },
    { name: 'Authorization header with a placeholder', code: `const headers = { Authorization: 'Bearer <token>' };` },
    { name: 'quoted keys that are paths, and timestamps', code: `export const dates = { 'references/api_key/Client.token/page.mdx': '2024-08-28T15:21:48.873Z', 'app/api-key/page.mdx': '${s32}' };` },
    { name: 'publishable keys', filename: 'src/keys.ts', code: `const token = 'pk_${s32}';` },
    { name: 'blockchain addresses are public', code: `const BeeTokenAddress = '0x36435796Ca9be2bf150CE0dECc2D8Fab5C4d6E13';` },
    { name: 'upper-case word placeholders', code: `const subjectToken = 'HEADER.SUBJECT_TOKEN_PAYLOAD.SIGNATURE';` },
    { name: 'a passphrase of dictionary words (RFC 7517 example)', code: `const pwd = 'entrap_o\u2013peter_long\u2013credit_tun';` },
    { name: 'documented AWS example secret', code: `const creds = { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };` },
    { name: 'test users\' passwords in tests are fixtures', filename: 'test/api/login.test.ts', code: `const user = { email: 'admin@example.com', password: '${pw}' };` },
    { name: 'hex keys in fixture files', filename: 'tap/fixtures.ts', code: `export const secret = '${hex64}';` },
  ],
  invalid: [
    {
      name: 'P1: webhook secret in a config object',
      code: `const config = { webhookSecret: '${s32}' };`,
      errors: [{
        line: 1, severity: 'warning', message: `\`webhookSecret\` is assigned a random-looking literal (${s32.slice(0, 3)}…(32 chars))`,
        suggestions: [{ title: 'WEBHOOK_SECRET', output: withRequireEnvHelper(`const config = { webhookSecret: requireEnv('WEBHOOK_SECRET') };`) }],
      }],
    },
    {
      name: 'P2: exported password constant',
      code: `export const DB_PASSWORD = '${pw}';`,
      errors: [{ message: 'a password written in the source', suggestions: [{ output: withRequireEnvHelper(`export const DB_PASSWORD = requireEnv('DB_PASSWORD');`) }] }],
    },
    {
      name: 'generic name takes the parent object as prefix',
      code: `export default { jwt: { secret: '${s32}' } };`,
      errors: [{ suggestions: [{ title: 'JWT_SECRET' }] }],
    },
    {
      name: 'class property, parameter default, assignment and destructuring default',
      code: `class Client { private apiKey = '${s32}'; }\nfunction connect(password = '${pw}') {}\nlet token: string;\ntoken = '${hex64}';\nconst { clientSecret = '${b64}' } = opts;`,
      errors: [{ line: 1, message: '`apiKey`' }, { line: 2, message: '`password`' }, { line: 4, message: '`token`' }, { line: 5, message: '`clientSecret`' }],
    },
    {
      name: 'Buffer.from around the literal',
      code: `const signingKey = Buffer.from('${s32}', 'utf8');`,
      errors: [{ suggestions: [{ output: withRequireEnvHelper(`const signingKey = Buffer.from(requireEnv('SIGNING_KEY'), 'utf8');`) }] }],
    },
    {
      name: 'client constructors: nodemailer auth pass, pg password',
      code: `import nodemailer from 'nodemailer';\nconst t = nodemailer.createTransport({ auth: { user: 'bot', pass: '${pw}' } });\nconst pool = new Pool({ password: '${pw}' });`,
      errors: [{ line: 2, message: '`pass`' }, { line: 3, message: '`password`' }],
    },
    {
      name: 'Authorization header with a literal bearer token',
      code: `const headers = { Authorization: 'Bearer ${s32}' };`,
      errors: [{ message: '`Authorization`', suggestions: [] }],
    },
    {
      name: 'quoted header name',
      code: `fetch(url, { headers: { 'x-api-key': '${s32}' } });`,
      errors: [{ message: '`x-api-key`', suggestions: [{ title: 'X_API_KEY' }] }],
    },
    {
      name: 'test paths are info',
      filename: 'src/__tests__/client.spec.ts',
      code: `const clientSecret = '${s32}';`,
      errors: [{ severity: 'info' }],
    },
    {
      name: 'fixture files the engine does not call test-like are info here',
      filename: 'src/testing/fixtures.ts',
      code: `export const apiToken = '${s32}';`,
      errors: [{ severity: 'info' }],
    },
    {
      name: 'thresholds are configurable',
      code: `const secret = '${rand(12)}';`,
      options: { minLength: 12, entropy: 3.0 },
      errors: [{ severity: 'warning' }],
    },
  ],
});
