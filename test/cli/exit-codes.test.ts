// Exit codes of the real CLI process: 0 clean, 1 findings at/above --fail-on, 2 usage or configuration error.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  cleanupWorkspaces, onlyRule, onlyRuleFile, parseJson, requireBundle, REPO, RULE, runCli, VERIFY_NO_ALGS, VERIFY_PINNED, workspace,
} from './harness';

describe('cli: exit codes', function () {
  this.timeout(60_000);
  before(requireBundle);
  after(cleanupWorkspaces);

  // Every workspace below turns all rules but RULE off, so that rules landing later do not change the counts.
  const severityConfig = (severity: string) => onlyRuleFile(RULE, severity);
  const only = onlyRuleFile();

  describe('--fail-on', () => {
    it('exits 0 on a clean workspace whatever the threshold', () => {
      const dir = workspace({ 'src/auth.ts': VERIFY_PINNED, 'src/health.ts': 'export const ok = () => ({ status: "ok" });\n', '.apiwarden.json': only });
      for (const failOn of [[], ['--fail-on', 'error'], ['--fail-on', 'warning'], ['--fail-on', 'info'], ['--fail-on=none']]) {
        const r = runCli(['scan', dir, ...failOn]);
        assert.equal(r.code, 0, `${failOn.join(' ')}: ${r.stderr}`);
        assert.match(r.stdout, /^0 problems \(0 errors, 0 warnings, 0 info\) in 2 files$/m);
      }
    });

    it('a warning fails --fail-on warning and info, not error (the default) or none', () => {
      const dir = workspace({ 'src/auth.ts': VERIFY_NO_ALGS, '.apiwarden.json': only });
      const report = parseJson(runCli(['scan', dir, '--format', 'json', '--fail-on', 'none']));
      assert.deepEqual(report.findings.map((f) => [f.ruleId, f.severity]), [[RULE, 'warning']]);
      assert.equal(runCli(['scan', dir]).code, 0, 'default threshold is error');
      assert.equal(runCli(['scan', dir, '--fail-on', 'error']).code, 0);
      assert.equal(runCli(['scan', dir, '--fail-on', 'warning']).code, 1);
      assert.equal(runCli(['scan', dir, '--fail-on=info']).code, 1);
      assert.equal(runCli(['scan', dir, '--fail-on', 'none']).code, 0);
    });

    it('an error (severity raised in .apiwarden.json) fails the default threshold', () => {
      const dir = workspace({ 'src/auth.ts': VERIFY_NO_ALGS, '.apiwarden.json': severityConfig('error') });
      const report = parseJson(runCli(['scan', dir, '--format', 'json', '--fail-on', 'none']));
      assert.deepEqual(report.findings.map((f) => f.severity), ['error']);
      assert.equal(runCli(['scan', dir]).code, 1);
      assert.equal(runCli(['scan', dir, '--fail-on', 'error']).code, 1);
      assert.equal(runCli(['scan', dir, '--fail-on', 'warning']).code, 1);
      assert.equal(runCli(['scan', dir, '--fail-on', 'none']).code, 0);
    });

    it('an info finding (severity lowered in package.json apiWarden) fails only --fail-on info', () => {
      const dir = workspace({
        'src/auth.ts': VERIFY_NO_ALGS,
        'package.json': JSON.stringify({ name: 'svc', dependencies: { jsonwebtoken: '^9.0.2' }, apiWarden: onlyRule(RULE, 'info') }),
      });
      const report = parseJson(runCli(['scan', dir, '--format', 'json', '--fail-on', 'none']));
      assert.deepEqual(report.findings.map((f) => f.severity), ['info']);
      assert.equal(runCli(['scan', dir, '--fail-on', 'error']).code, 0);
      assert.equal(runCli(['scan', dir, '--fail-on', 'warning']).code, 0);
      assert.equal(runCli(['scan', dir, '--fail-on', 'info']).code, 1);
    });

    it('a rule turned off, an ignored folder and a suppressed finding do not fail the run', () => {
      const off = workspace({ 'src/auth.ts': VERIFY_NO_ALGS, '.apiwarden.json': severityConfig('off') });
      assert.equal(runCli(['scan', off, '--fail-on', 'info']).code, 0);

      const ignored = workspace({ 'src/legacy/auth.ts': VERIFY_NO_ALGS, 'src/auth.ts': VERIFY_PINNED, '.apiwarden.json': JSON.stringify({ ...onlyRule(), ignore: ['src/legacy/**'] }) });
      const r = runCli(['scan', ignored, '--fail-on', 'info', '--format', 'json']);
      assert.equal(r.code, 0, r.stdout);
      assert.equal(parseJson(r).filesScanned, 1);

      const suppressed = workspace({
        'src/auth.ts': VERIFY_NO_ALGS.replace('  return jwt.verify', `  // api-warden-ignore-next-line ${RULE} -- the API gateway pins RS256 before this runs\n  return jwt.verify`),
        '.apiwarden.json': only,
      });
      const s = runCli(['scan', suppressed, '--fail-on', 'info', '--format', 'json']);
      assert.equal(s.code, 0, s.stdout);
      const report = parseJson(s);
      assert.equal(report.findings.length, 0);
      assert.deepEqual(report.suppressed.map((f) => [f.ruleId, f.suppressed?.reason]), [[RULE, 'the API gateway pins RS256 before this runs']]);
    });

    it('a suppression without a reason silences nothing and is itself a warning', () => {
      const dir = workspace({ 'src/auth.ts': VERIFY_NO_ALGS.replace('  return jwt.verify', `  // api-warden-ignore-next-line ${RULE}\n  return jwt.verify`), '.apiwarden.json': only });
      const r = runCli(['scan', dir, '--fail-on', 'warning', '--format', 'json']);
      assert.equal(r.code, 1);
      assert.deepEqual(parseJson(r).findings.map((f) => f.ruleId).sort(), ['api-warden/invalid-suppression', RULE]);
    });

    it('scans a single file', () => {
      const dir = workspace({ 'src/auth.ts': VERIFY_NO_ALGS, 'src/other.ts': VERIFY_NO_ALGS });
      // Configuration is read from the scanned file's folder (src/) unless --root says otherwise.
      fs.writeFileSync(path.join(dir, 'src', '.apiwarden.json'), only);
      const r = runCli(['scan', path.join(dir, 'src/auth.ts'), '--format', 'json', '--fail-on', 'warning']);
      assert.equal(r.code, 1);
      const report = parseJson(r);
      assert.equal(report.filesScanned, 1);
      assert.deepEqual(report.findings.map((f) => f.file), ['auth.ts']);
    });
  });

  describe('usage errors exit 2 with the reason and the usage text on stderr', () => {
    const dir = () => workspace({ 'src/auth.ts': VERIFY_NO_ALGS });
    const cases: [string, (d: string) => string[], RegExp][] = [
      ['no command', () => [], /missing command/],
      ['unknown command', (d) => ['check', d], /unknown command "check"/],
      ['unknown option', (d) => ['scan', d, '--strict'], /unknown option "--strict"/],
      ['bad --format', (d) => ['scan', d, '--format', 'xml'], /--format must be stylish, json or sarif \(got "xml"\)/],
      ['bad --fail-on', (d) => ['scan', d, '--fail-on', 'critical'], /--fail-on must be error, warning, info or none \(got "critical"\)/],
      ['option without its value', (d) => ['scan', d, '--output'], /--output needs a value/],
      ['option followed by another option', (d) => ['scan', d, '--format', '--fail-on', 'none'], /--format needs a value/],
      ['missing path', (d) => ['scan', path.join(d, 'nope')], /path not found: .*nope/],
      ['two paths', (d) => ['scan', d, d], /only one path can be scanned/],
    ];
    for (const [name, args, message] of cases) {
      it(name, () => {
        const r = runCli(args(dir()));
        assert.equal(r.code, 2, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.match(r.stderr, /Usage: api-warden scan/);
        assert.equal(r.stdout, '', 'nothing on stdout for a usage error');
      });
    }

    it('--help exits 0 and --version prints the package version', () => {
      const help = runCli(['--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /Usage: api-warden scan/);
      const version = runCli(['--version']);
      assert.equal(version.code, 0);
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
      assert.equal(version.stdout.trim(), pkg.version);
    });
  });

  describe('invalid configuration exits 2 naming the wrong key, never a crash', () => {
    const configCases: [string, Record<string, string>, RegExp[]][] = [
      ['unknown top-level key in .apiwarden.json', { '.apiwarden.json': JSON.stringify({ rulez: {} }) }, [/\.apiwarden\.json/, /rulez: unknown key "rulez"/]],
      ['unknown rule id in .apiwarden.json (with a did-you-mean)', { '.apiwarden.json': JSON.stringify({ rules: { 'jwt/verify-without-algorithm': 'warning' } }) },
        [/\.apiwarden\.json/, /rules\.jwt\/verify-without-algorithm: unknown rule "jwt\/verify-without-algorithm" \(did you mean "jwt\/verify-without-algorithms"\?\)/]],
      ['bad severity in .apiwarden.json', { '.apiwarden.json': JSON.stringify({ rules: { [RULE]: 'fatal' } }) }, [new RegExp(`rules\\.${RULE}: severity must be one of error, warning, info, off`)]],
      ['unknown rule option in .apiwarden.json', { '.apiwarden.json': JSON.stringify({ rules: { [RULE]: { severity: 'warning', options: { strictness: 3 } } } }) },
        [new RegExp(`rules\\.${RULE}\\.options\\.strictness: unknown option "strictness"`)]],
      ['unknown key in a rule entry', { '.apiwarden.json': JSON.stringify({ rules: { [RULE]: { level: 'warning' } } }) }, [new RegExp(`rules\\.${RULE}\\.level: unknown key "level"`)]],
      ['ignore that is not a list', { '.apiwarden.json': JSON.stringify({ ignore: 'dist' }) }, [/ignore: "ignore" must be an array of glob strings/]],
      ['.apiwarden.json that is not JSON', { '.apiwarden.json': '{ "rules": { ' }, [/\.apiwarden\.json: .apiwarden\.json: not valid JSON/]],
      ['unknown rule id in package.json apiWarden', { 'package.json': JSON.stringify({ name: 'svc', apiWarden: { rules: { 'jwt/nope': 'off' } } }) },
        [/configuration error in package\.json/, /apiWarden\.rules\.jwt\/nope: unknown rule "jwt\/nope"/]],
      ['unknown key in package.json apiWarden', { 'package.json': JSON.stringify({ name: 'svc', apiWarden: { severity: 'high' } }) },
        [/configuration error in package\.json/, /apiWarden\.severity: unknown key "severity"/]],
      ['package.json apiWarden that is not an object', { 'package.json': JSON.stringify({ name: 'svc', apiWarden: ['jwt'] }) }, [/package\.json: apiWarden: apiWarden must be an object/]],
    ];
    for (const [name, files, messages] of configCases) {
      it(name, () => {
        const dir = workspace({ 'src/auth.ts': VERIFY_NO_ALGS, ...files });
        const out = path.join(dir, 'report.sarif');
        const r = runCli(['scan', dir, '--format', 'sarif', '--output', out, '--fail-on', 'none'], dir);
        assert.equal(r.code, 2, `stderr: ${r.stderr}`);
        for (const m of messages) assert.match(r.stderr, m);
        assert.match(r.stderr, /^api-warden: configuration error in /m);
        assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, 'no stack trace');
        assert.equal(r.stdout, '');
        assert.ok(!fs.existsSync(out), 'no report is written when the configuration is invalid');
      });
    }

    it('.apiwarden.json wins over package.json apiWarden', () => {
      const dir = workspace({
        'src/auth.ts': VERIFY_NO_ALGS,
        '.apiwarden.json': onlyRuleFile(RULE, 'error'),
        'package.json': JSON.stringify({ name: 'svc', apiWarden: { rules: { 'jwt/nope': 'off' } } }),
      });
      assert.equal(runCli(['scan', dir]).code, 1);
    });

    it('--root reads the configuration of the workspace root when a sub-folder is scanned', () => {
      const dir = workspace({ 'src/auth.ts': VERIFY_NO_ALGS, '.apiwarden.json': JSON.stringify({ rules: { 'jwt/unknown-rule': 'off' } }) });
      assert.equal(runCli(['scan', path.join(dir, 'src'), '--fail-on', 'none']).code, 0, 'without --root the sub-folder has no configuration');
      const r = runCli(['scan', path.join(dir, 'src'), '--root', dir]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /rules\.jwt\/unknown-rule/);
    });
  });
});
