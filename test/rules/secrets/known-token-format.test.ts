import * as assert from 'node:assert/strict';
import rule from '../../../shared-rules/src/rules/secrets/known-token-format';
import { findKnownTokens, pemBody } from '../../../shared-rules/src/model/tokenFormats';
import { ruleTester, runRule } from '../../support/ruleTester';
import { fake, rand, withRequireEnvHelper } from './fakeSecrets';

const live = fake.stripeLive();
const testKey = fake.stripeTest();
const aws = fake.awsKeyId();
const gh = fake.github();
const pemLines = fake.pemBody();
const pem = ['-----BEGIN PRIVATE KEY-----', ...pemLines, '-----END PRIVATE KEY-----'].join('\n');
const oneLinePem = ['-----BEGIN RSA PRIVATE KEY-----', ...pemLines, '-----END RSA PRIVATE KEY-----'].join('\\n');
const jwtLive = fake.jwt();
const jwtExpired = fake.jwt({ sub: 'user-2', exp: 1_000_000_000 });
const jwtNone = fake.jwt({ sub: 'user-3' }, 'none');
const jwtDocs = fake.jwt({ sub: '1234567890', name: 'John Doe', iat: 1516239022 });
const slack = fake.slackBot();
const google = fake.google();
const twilio = fake.twilio();
const openai = fake.openai();
const awsSecret = fake.awsSecret();

describe('tokenFormats model', () => {
  it('finds each provider format once and keeps the first pattern on overlaps', () => {
    const ids = (s: string) => findKnownTokens(s, { twilioContext: true }).map((m) => m.id);
    assert.deepEqual(ids(`a ${live} b ${aws} c ${gh}`), ['stripe-secret-key', 'aws-access-key-id', 'github-token']);
    assert.deepEqual(ids(fake.anthropic()), ['anthropic-api-key']);
    assert.deepEqual(ids(openai), ['openai-api-key']);
    assert.deepEqual(ids(fake.sendgrid()), ['sendgrid-api-key']);
    assert.deepEqual(ids(fake.npm()), ['npm-token']);
    assert.deepEqual(ids(fake.slackWebhook()), ['slack-webhook']);
    assert.deepEqual(ids(fake.githubFine()), ['github-token']);
    assert.deepEqual(ids(fake.stripeWebhook()), ['stripe-webhook-secret']);
  });
  it('needs key material after a PEM header', () => {
    assert.equal(pemBody(`-----BEGIN PRIVATE KEY-----';`, 27).present, false);
    assert.equal(pemBody('-----BEGIN PRIVATE KEY-----\\n${body}', 27).present, false);
    assert.equal(pemBody(`-----BEGIN PRIVATE KEY-----\\n' +\n  '${pemLines[0]}\\n' +`, 27).present, true);
    assert.equal(pemBody(`-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,ABC\n\n${pemLines[0]}`, 31).encrypted, true);
  });
  it('ignores placeholders and low-entropy bodies', () => {
    assert.equal(findKnownTokens(['sk', 'live', 'x'.repeat(24)].join('_')).length, 0);
    assert.equal(findKnownTokens(['gh' + 'p', 'a'.repeat(36)].join('_')).length, 0);
    assert.equal(findKnownTokens(['sk', 'live', 'your0secret0key0goes0here1'].join('_')).length, 0);
    assert.equal(findKnownTokens(['xo' + 'xb', 'your', 'token', 'here'].join('-')).length, 0);
  });
});

ruleTester(rule, {
  valid: [
    { name: 'N1: key read from the environment', code: `import Stripe from 'stripe';\nconst stripe = new Stripe(requireEnv('STRIPE_SECRET_KEY'));` },
    { name: 'N2: documented AWS example key', code: `const demoKey = '${'AKIA' + 'IOSFODNN7EXAMPLE'}';` },
    { name: 'placeholder body', code: `const k = '${['sk', 'live', 'x'.repeat(28)].join('_')}';` },
    { name: 'PEM header constant in a parser', code: `const HEADER = '-----BEGIN PRIVATE KEY-----';\nconst FOOTER = '-----END PRIVATE KEY-----';\nexport const isPem = (s: string) => s.startsWith(HEADER);` },
    { name: 'PEM built from a variable body', code: 'export const toPem = (b64: string) => `-----BEGIN PRIVATE KEY-----\\n${b64}\\n-----END PRIVATE KEY-----`;' },
    { name: 'PEM header in a regular expression', code: `const re = /-----BEGIN (RSA )?PRIVATE KEY-----[\\s\\S]+?-----END/;` },
    { name: 'public key PEM', code: `const pub = \`-----BEGIN PUBLIC KEY-----\n${pemLines.join('\n')}\n-----END PUBLIC KEY-----\`;` },
    { name: 'jwt.io documented sample token', code: `const sample = '${jwtDocs}';` },
    { name: 'base64 starting with ey that is not a JWT', code: `const blob = 'ey${rand(30)}.ey${rand(30)}.${rand(20)}';` },
    { name: 'Twilio-looking SK id without any Twilio context', code: `const id = '${twilio}';` },
    { name: 'extension patterns can be switched off', code: `const k = '${openai}';`, options: { extensions: [] } },
    { name: 'low-entropy GitHub-looking string', code: `const t = '${['gh' + 'p', 'ab'.repeat(18)].join('_')}';` },
    { name: 'AWS secret access key placeholder', code: `const cfg = { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };` },
  ],
  invalid: [
    {
      name: 'P1: Stripe live key in a constructor',
      code: `import Stripe from 'stripe';\nconst stripe = new Stripe('${live}');`,
      errors: [{
        line: 2, severity: 'error', message: 'Stripe live secret key sk_live_…(32 chars) is hard-coded: rotate the credential',
        suggestions: [{ title: 'STRIPE_SECRET_KEY', output: withRequireEnvHelper(`import Stripe from 'stripe';\nconst stripe = new Stripe(requireEnv('STRIPE_SECRET_KEY'));`) }],
      }],
    },
    {
      name: 'P2: PEM private key in a multi-line template',
      code: `export const privateKey = \`${pem}\`;`,
      errors: [{ line: 1, severity: 'error', message: 'PEM private key -----BEGIN PRIVATE KEY-----…', suggestions: [{ output: withRequireEnvHelper(`export const privateKey = requireEnv('PRIVATE_KEY');`) }] }],
    },
    {
      name: 'one-line PEM with escaped newlines',
      code: `const key = '${oneLinePem}';\nexport default key;`,
      errors: [{ line: 1, severity: 'error', message: 'PEM private key' }],
    },
    {
      name: 'PEM concatenated line by line',
      code: `const key = '-----BEGIN EC PRIVATE KEY-----\\n' +\n  '${pemLines[0]}\\n' +\n  '${pemLines[1]}\\n' +\n  '-----END EC PRIVATE KEY-----';`,
      errors: [{ line: 1, severity: 'error', message: 'PEM private key', suggestions: [] }],
    },
    {
      name: 'encrypted PEM is a warning',
      code: `const key = \`-----BEGIN ENCRYPTED PRIVATE KEY-----\n${pemLines.join('\n')}\n-----END ENCRYPTED PRIVATE KEY-----\`;`,
      errors: [{ severity: 'warning', message: 'Encrypted PEM private key (encrypted)' }],
    },
    {
      name: 'Stripe test-mode key is a warning',
      code: `const stripe = require('stripe')('${testKey}');`,
      filename: 'src/pay.js',
      errors: [{ severity: 'warning', message: 'Stripe test-mode secret key sk_test_…', suggestions: [{ output: withRequireEnvHelper(`const stripe = require('stripe')(requireEnv('STRIPE_SECRET_KEY'));`, true) }] }],
    },
    {
      name: 'test paths are info',
      filename: 'test/aws.test.ts',
      code: `const creds = { accessKeyId: '${aws}' };`,
      errors: [{ severity: 'info', message: 'AWS access key id AKIA…(20 chars)' }],
    },
    {
      name: 'private keys in fixtures stay warnings',
      filename: 'test/fixtures/keys.ts',
      code: `export const KEY = \`${pem}\`;`,
      errors: [{ severity: 'warning', message: 'PEM private key' }],
    },
    {
      name: 'fixture files outside test folders: private keys are warnings, tokens info',
      filename: 'tap/fixtures.ts',
      code: `export const KEY = \`${pem}\`;\nexport const T = '${gh}';`,
      errors: [{ line: 1, severity: 'warning' }, { severity: 'info' }],
    },
    {
      name: 'a token in a comment is info without a code action',
      code: `// old token: ${gh}\nexport const token = process.env.GITHUB_TOKEN;\n/* slack: ${slack} */`,
      errors: [
        { line: 1, severity: 'info', message: 'GitHub personal access token ghp_…(40 chars) is hard-coded in a comment', suggestions: [] },
        { line: 3, severity: 'info', message: 'Slack bot token', suggestions: [] },
      ],
    },
    {
      name: 'JWT literal with a future exp is a warning, expired and unsigned ones info',
      code: `const a = '${jwtLive}';\nconst b = '${jwtExpired}';\nconst c = '${jwtNone}';`,
      errors: [
        { line: 1, severity: 'warning', message: 'A JWT (alg HS256) eyJ…', suggestions: [] },
        { line: 2, severity: 'info', message: 'expired' },
        { line: 3, severity: 'info', message: 'alg none' },
      ],
    },
    {
      name: 'one finding per literal',
      code: `const both = '${live} ${aws}';`,
      errors: [{ message: 'Stripe live secret key', suggestions: [] }],
    },
    {
      name: 'env fallback: the whole expression becomes requireEnv of that variable',
      code: `const key = process.env.STRIPE_KEY || '${live}';`,
      errors: [{ suggestions: [{ title: 'Require STRIPE_KEY', output: withRequireEnvHelper(`const key = requireEnv('STRIPE_KEY');`) }] }],
    },
    {
      name: 'token inside a template with substitutions: reported, no code action',
      code: 'const url = `https://api.example.com/?key=' + google + '&q=${q}`;',
      errors: [{ message: 'Google API key AIza…(39 chars)', suggestions: [] }],
    },
    {
      name: 'Google API key in a Firebase web config is info',
      code: `const firebaseConfig = { apiKey: '${google}', authDomain: 'x.firebaseapp.com', projectId: 'x' };`,
      errors: [{ severity: 'info', message: 'public by design' }],
    },
    {
      name: 'Google API key in server code is an error',
      code: `const maps = new Client({ key: '${google}' });`,
      errors: [{ severity: 'error', message: 'Google API key' }],
    },
    {
      name: 'AWS secret access key recognised by its name',
      code: `const s3 = new S3Client({ credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: '${awsSecret}' } });`,
      errors: [{ severity: 'error', message: 'AWS secret access key', suggestions: [{ title: 'AWS_SECRET_ACCESS_KEY' }] }],
    },
    {
      name: 'Twilio key next to a twilio import',
      code: `import twilio from 'twilio';\nconst client = twilio('${twilio}', process.env.TWILIO_SECRET);`,
      errors: [{ line: 2, message: 'Twilio API key' }],
    },
    {
      name: 'JSX attribute: reported without a code action',
      filename: 'src/App.tsx',
      code: `export const A = () => <Widget token="${gh}" />;`,
      errors: [{ message: 'GitHub personal access token', suggestions: [] }],
    },
    {
      name: 'suggestion adds the variable to an existing .env.example',
      code: `export const client = new OpenAI({ apiKey: '${openai}' });`,
      files: { '.env.example': 'PORT=3000\n' },
      errors: [{ message: 'OpenAI API key sk-proj-…(56 chars)', suggestions: [{ output: withRequireEnvHelper(`export const client = new OpenAI({ apiKey: requireEnv('OPENAI_API_KEY') });`) }] }],
    },
  ],
});

describe('secrets/known-token-format: .env.example edit', () => {
  it('appends NAME= to .env.example once', () => {
    const { findings } = runRule(rule, { code: `const k = '${live}';`, files: { '.env.example': 'PORT=3000' } });
    const edits = findings[0].suggestions[0].edits.filter((e) => e.fileName.endsWith('.env.example'));
    assert.deepEqual(edits.map((e) => [e.start, e.newText]), [[9, '\nSTRIPE_SECRET_KEY=\n']]);
    const again = runRule(rule, { code: `const k = '${live}';`, files: { '.env.example': 'STRIPE_SECRET_KEY=\n' } });
    assert.equal(again.findings[0].suggestions[0].edits.filter((e) => e.fileName.endsWith('.env.example')).length, 0);
  });
  it('messages never contain the secret', () => {
    const code = [live, testKey, aws, gh, pem, jwtLive, slack, google, openai].map((s, i) => `const v${i} = \`${s}\`;`).join('\n');
    const { findings } = runRule(rule, { code });
    assert.equal(findings.length, 9);
    for (const f of findings) for (const s of [live, testKey, aws, gh, pemLines[0], jwtLive, slack, google, openai]) assert.ok(!f.message.includes(s.slice(8)), f.message);
  });
});
