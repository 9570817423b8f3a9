import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules, defaultConfig, scan, visibleFindings } from '../../../shared-rules/src';
import { formatJson } from '../../../server/src/formats/json';
import { formatSarif } from '../../../server/src/formats/sarif';
import { formatStylish } from '../../../server/src/formats/stylish';
import { fake, rand, seed } from './fakeSecrets';

/**
 * Issue 3: "every finding's message and every output format masks the value". A workspace full of fake secrets
 * (built here, at test time) is scanned with every rule on, and no report format may contain any of them.
 */
describe('secrets never reach any output format', () => {
  let dir: string;
  const secrets: string[] = [];
  const keep = <T extends string>(s: T): T => { secrets.push(s); return s; };

  before(() => {
    seed(0xC0FFEE);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-noleak-'));
    const pemLines = fake.pemBody();
    pemLines.forEach(keep);
    const pem = ['-----BEGIN RSA PRIVATE KEY-----', ...pemLines, '-----END RSA PRIVATE KEY-----'];
    const dbPw = keep(rand(18));
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'leaky', dependencies: { express: '^5.0.0', jsonwebtoken: '^9.0.2' } }),
      'src/config.ts': [
        `import Stripe from 'stripe';`,
        `import jwt from 'jsonwebtoken';`,
        `export const stripe = new Stripe('${keep(fake.stripeLive())}');`,
        `export const stripeTest = '${keep(fake.stripeTest())}';`,
        `export const restricted = '${keep(fake.stripeRestricted())}';`,
        `export const webhook = '${keep(fake.stripeWebhook())}';`,
        `export const aws = { accessKeyId: '${keep(fake.awsKeyId())}', secretAccessKey: '${keep(fake.awsSecret())}' };`,
        `export const github = '${keep(fake.github())}';`,
        `export const githubFine = '${keep(fake.githubFine())}';`,
        `export const slack = '${keep(fake.slackBot())}';`,
        `export const slackHook = '${keep(fake.slackWebhook())}';`,
        `export const maps = { key: '${keep(fake.google())}' };`,
        `export const openai = '${keep(fake.openai())}';`,
        `export const anthropic = '${keep(fake.anthropic())}';`,
        `export const sendgrid = '${keep(fake.sendgrid())}';`,
        `export const npmToken = '${keep(fake.npm())}';`,
        `export const privateKey = \`${pem.join('\n')}\`;`,
        `export const oneLine = '${pem.join('\\n')}';`,
        `export const session = '${keep(fake.jwt())}';`,
        `// rotated? ${keep(fake.github())}`,
        `export const db = 'postgres://app:${dbPw}@db.prod.internal:5432/app';`,
        `export const mongo = \`mongodb+srv://admin:${keep(rand(15))}@cluster0.abcd.mongodb.net/prod\`;`,
        `export const webhookSecret = '${keep(fake.secret32())}';`,
        `export const DB_PASSWORD = '${keep(fake.password())}';`,
        `export const headers = { Authorization: 'Bearer ${keep(rand(40))}' };`,
        `export const jwtSecret = process.env.JWT_SECRET || '${keep(rand(24))}';`,
        `export const apiKey = process.env.API_KEY ?? '${keep('k-' + rand(20))}';`,
        `export const token = jwt.sign({ sub: 1 }, '${keep(rand(28))}', { expiresIn: '1h' });`,
      ].join('\n'),
      'src/legacy.js': [
        `const twilio = require('twilio');`,
        `const client = twilio('${keep(fake.twilio())}', process.env.TWILIO_SECRET || '${keep(rand(32))}');`,
        `module.exports = { client, password: '${keep(fake.password())}' };`,
      ].join('\n'),
      'test/fixtures/keys.ts': `export const KEY = \`${['-----BEGIN PRIVATE KEY-----', ...fake.pemBody().map(keep), '-----END PRIVATE KEY-----'].join('\n')}\`;\n`,
      '.env': `JWT_SECRET=${keep(rand(32))}\nDB_PASSWORD=${dbPw}\nDATABASE_URL=postgres://app:${dbPw}@db.prod.internal/app\nPORT=3000\n`,
      '.env.production': `STRIPE_SECRET_KEY=${keep(fake.stripeLive())}\n`,
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
  });
  after(() => { if (!process.env.AW_KEEP) fs.rmSync(dir, { recursive: true, force: true }); else console.log(dir); });

  it('finds the secrets and prints none of them in JSON, stylish or SARIF', () => {
    const config = defaultConfig(allRules);
    for (const r of Object.values(config.rules)) if (r.severity === 'off') r.severity = 'info';
    const result = scan(dir, { config });
    const findings = visibleFindings(result);
    const byRule = new Map<string, number>();
    for (const f of findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    for (const id of ['secrets/known-token-format', 'secrets/connection-string-credentials', 'secrets/high-entropy-assignment',
      'secrets/env-literal-fallback', 'secrets/env-file-not-ignored', 'secrets/no-secrets-manager']) {
      assert.ok((byRule.get(id) ?? 0) > 0, `${id} found nothing: ${JSON.stringify([...byRule])}`);
    }
    assert.ok((byRule.get('secrets/known-token-format') ?? 0) >= 20, `known-token-format: ${byRule.get('secrets/known-token-format')}`);
    const outputs = { json: formatJson(result), stylish: formatStylish(result), sarif: formatSarif(result, '0.0.0-test') };
    assert.ok(secrets.length > 30);
    for (const [format, text] of Object.entries(outputs)) {
      for (const s of secrets) {
        assert.ok(!text.includes(s), `${format} output contains a secret (${s.length} chars, starting ${s.slice(0, 4)})`);
        // no long piece of the random material either
        const tail = s.slice(-12);
        assert.ok(!text.includes(tail), `${format} output contains the last 12 characters of a secret (${s.slice(0, 4)}…)`);
      }
    }
  });
});
