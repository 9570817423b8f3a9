import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import ts = require('typescript');
import {
  analyzeFile, allRules, defaultConfig, defineRule, INVALID_SUPPRESSION, isTestLikePath, parseConfig, Project, Rule,
} from '../../shared-rules/src';
import { skipReason } from '../../shared-rules/src/engine/fileFilter';
import { maskSecret } from '../../shared-rules/src/engine/mask';

const demoRule: Rule = defineRule({
  meta: { id: 'jwt/verify-without-algorithms', title: 't', description: 'd', defaultSeverity: 'warning', checklist: [], owasp: [], cwe: [], scope: 'file', needsTypes: false, fixable: 'none' },
  create: (ctx) => ({ calls: { 'jsonwebtoken.verify': (c) => ctx.report({ node: c.node, message: 'verify seen' }) } }),
});

function analyse(code: string, rules: Rule[] = [demoRule], fileName = 'src/app.ts') {
  const root = path.resolve('/virtual/engine', String(Math.random()).slice(2));
  const project = new Project(root);
  const f = path.join(root, fileName);
  project.setOverlay(f, code, 1);
  return analyzeFile(project, f, rules, defaultConfig(rules));
}

describe('engine: suppressions', () => {
  const rules = [demoRule];
  it('next-line, same-line and file forms with a reason suppress, and are counted', () => {
    const r1 = analyse(`import jwt from 'jsonwebtoken';\n// api-warden-ignore-next-line jwt/verify-without-algorithms -- gateway verifies\njwt.verify(a, b);`, rules);
    assert.equal(r1.findings.length, 0);
    assert.equal(r1.suppressed.length, 1);
    assert.equal(r1.suppressed[0].suppressed?.reason, 'gateway verifies');
    const r2 = analyse(`import jwt from 'jsonwebtoken';\njwt.verify(a, b); // api-warden-ignore-line jwt/verify-without-algorithms -- legacy`, rules);
    assert.equal(r2.findings.length, 0);
    const r3 = analyse(`/* api-warden-ignore-file jwt/verify-without-algorithms -- test helper */\nimport jwt from 'jsonwebtoken';\njwt.verify(a, b);\njwt.verify(c, d);`, rules);
    assert.equal(r3.suppressed.length, 2);
  });
  it('a suppression without a reason suppresses nothing and is reported', () => {
    const r = analyse(`import jwt from 'jsonwebtoken';\n// api-warden-ignore-next-line jwt/verify-without-algorithms\njwt.verify(a, b);`, rules);
    assert.deepEqual(r.findings.map((f) => f.ruleId).sort(), [INVALID_SUPPRESSION, 'jwt/verify-without-algorithms'].sort());
    assert.match(r.findings.find((f) => f.ruleId === INVALID_SUPPRESSION)!.message, /needs a reason/);
  });
  it('a suppression naming an unknown rule is reported', () => {
    const r = analyse(`// api-warden-ignore-next-line jwt/no-such-rule -- because\nconst x = 1;`, rules);
    assert.equal(r.findings.length, 1);
    assert.match(r.findings[0].message, /unknown rule "jwt\/no-such-rule"/);
  });
  it('a suppression for another line does not apply', () => {
    const r = analyse(`import jwt from 'jsonwebtoken';\n// api-warden-ignore-next-line jwt/verify-without-algorithms -- x\n\njwt.verify(a, b);`, rules);
    assert.equal(r.findings.filter((f) => f.ruleId === 'jwt/verify-without-algorithms').length, 1);
  });
});

describe('engine: fault isolation', () => {
  const thrower: Rule = defineRule({
    meta: { ...demoRule.meta, id: 'jwt/none-algorithm' },
    create: () => ({ nodes: { CallExpression: () => { throw new Error('boom'); } } }),
  });
  it('a rule that throws is disabled for the file, reported once, and other rules still report', () => {
    const r = analyse(`import jwt from 'jsonwebtoken';\njwt.verify(a, b);\njwt.verify(c, d);`, [thrower, demoRule]);
    assert.equal(r.failures.length, 1);
    assert.equal(r.failures[0].ruleId, 'jwt/none-algorithm');
    assert.match(r.failures[0].message, /boom/);
    assert.equal(r.findings.filter((f) => f.ruleId === 'jwt/verify-without-algorithms').length, 2);
  });
  it('a rule whose create() throws is isolated too', () => {
    const bad: Rule = { ...thrower, create: () => { throw new TypeError('bad create'); } };
    const r = analyse(`import jwt from 'jsonwebtoken';\njwt.verify(a, b);`, [bad, demoRule]);
    assert.equal(r.failures.length, 1);
    assert.equal(r.findings.length, 1);
  });
});

describe('engine: configuration', () => {
  it('names the wrong key for unknown rules, bad severities, unknown options and wrong types', () => {
    const { problems } = parseConfig({ rules: { 'jwt/verify-without-algorithm': 'error', 'jwt/verify-without-algorithms': 'loud', }, ignore: 'x', extra: 1 }, allRules, '.apiwarden.json');
    const keys = problems.map((p) => p.key).sort();
    assert.deepEqual(keys, ['extra', 'ignore', 'rules.jwt/verify-without-algorithm', 'rules.jwt/verify-without-algorithms'].sort());
    assert.match(problems.find((p) => p.key === 'rules.jwt/verify-without-algorithm')!.message, /did you mean "jwt\/verify-without-algorithms"/);
    const opt = parseConfig({ rules: { 'jwt/verify-without-algorithms': { severity: 'error', options: { nope: 1 } } } }, allRules, 'x').problems;
    assert.deepEqual(opt.map((p) => p.key), ['rules.jwt/verify-without-algorithms.options.nope']);
  });
  it('valid parts still apply when others are wrong', () => {
    const { config } = parseConfig({ rules: { 'jwt/verify-without-algorithms': 'error', 'nope/x': 'off' } }, allRules, 'x');
    assert.equal(config.rules['jwt/verify-without-algorithms'].severity, 'error');
  });
  it('a configured severity applies to every finding; the default lets the rule choose', () => {
    const r = analyse(`import jwt from 'jsonwebtoken';\njwt.verify(a, b);`, [demoRule]);
    assert.equal(r.findings[0].severity, 'warning');
  });
});

describe('engine: files that are not analysed', () => {
  it('skips huge, binary and minified files with a reason', () => {
    assert.match(skipReason('a.ts', 'x'.repeat(1_100_000))!, /over the 1000 kB limit/);
    assert.match(skipReason('a.ts', Buffer.from([0x61, 0x00, 0x62]))!, /binary/);
    assert.match(skipReason('vendor.min.js', 'var a=1')!, /minified/);
    assert.match(skipReason('bundle.js', ('var a=1;').repeat(2000))!, /minified/);
    assert.equal(skipReason('app.ts', 'const a = 1;\n'), undefined);
  });
  it('an unparsable file is analysed as far as it parses, without throwing', () => {
    const r = analyse(`import jwt from 'jsonwebtoken';\njwt.verify(a, b);\nfunction (((( {`);
    assert.equal(r.failures.length, 0);
    assert.equal(r.findings.length, 1);
  });
});

describe('engine: masking secrets', () => {
  it('shows a recognisable prefix and the length only', () => {
    const key = 'sk_' + 'live_' + 'Q'.repeat(8) + 'w9'.repeat(8);
    const m = maskSecret(key);
    assert.equal(m, `sk_live_…(${key.length} chars)`);
    assert.ok(!m.includes('QQQQ'));
    assert.equal(maskSecret('hunter2-is-my-password'), 'hun…(22 chars)');
    assert.equal(maskSecret('dev-secret'), '…(10 chars)');
    assert.equal(maskSecret('abc'), '…(3 chars)');
  });
});

describe('engine: test-like paths (E11) are one fact for every rule', () => {
  const root = '/ws';
  const testLike = ['test/a.ts', 'src/__tests__/a.ts', 'src/__mocks__/db.ts', 'test-d/api.ts', 'browser-test/test.oauth2.ts',
    'integration-tests/a.ts', 'src/test-utils/keys.ts', 'src/test-support/x.ts', 'cypress/e2e/login.ts', 'src/stubs/mail.ts',
    'src/app.spec.ts', 'src/db.mock.ts', 'src/user.fixture.ts', 'src/Button.stories.tsx', 'src/fixtures.ts', 'prisma/seed.ts', 'examples/app.ts'];
  const production = ['src/controllers/auth.ts', 'src/testimonials/list.ts', 'src/latest/x.ts', 'src/contest/a.ts', 'src/attestation/x.ts',
    'src/mockingbird.ts', 'src/stubborn.ts', 'src/fakeroo/x.ts'];
  for (const p of testLike) it(`${p} is test-like`, () => assert.equal(isTestLikePath(`${root}/${p}`, root), true));
  for (const p of production) it(`${p} is production code`, () => assert.equal(isTestLikePath(`${root}/${p}`, root), false));
});

