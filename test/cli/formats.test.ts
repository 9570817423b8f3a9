// The three report formats of the real CLI process, and --output.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanupWorkspaces, onlyRuleFile, parseJson, requireBundle, RULE, runCli, VERIFY_NO_ALGS, VERIFY_PINNED, workspace } from './harness';

const SUPPRESSED = [
  "import * as jsonwebtoken from 'jsonwebtoken';",
  '',
  'export function fromGateway(token: string) {',
  `  // api-warden-ignore-next-line ${RULE} -- the gateway verified the token with RS256 already`,
  '  return jsonwebtoken.verify(token, process.env.GATEWAY_KEY!);',
  '}',
  '',
].join('\n');

describe('cli: output formats', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    requireBundle();
    dir = workspace({
      'package.json': JSON.stringify({ name: 'orders-api', dependencies: { jsonwebtoken: '^9.0.2', express: '^4.21.0' } }),
      'src/auth.ts': VERIFY_NO_ALGS,
      'src/safe.ts': VERIFY_PINNED,
      'src/gateway.ts': SUPPRESSED,
      'src/vendor/lib.min.js': 'var a=1;\n',
      // Only RULE is on, so that rules landing later do not change what these tests count.
      '.apiwarden.json': onlyRuleFile(),
    });
  });
  after(cleanupWorkspaces);

  it('stylish (default): a header per file, line:column, severity, message, rule id, hint, summary', () => {
    const r = runCli(['scan', '.', '--fail-on', 'none'], dir);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const header = lines.indexOf('src/auth.ts');
    assert.ok(header >= 0, `file header relative to the working directory:\n${r.stdout}`);
    assert.match(lines[header + 1], new RegExp(`^  4:10 +warning  JWT verified without an \`algorithms\` allow-list.*  ${RULE}  \\(suggestion available\\)$`));
    assert.ok(!r.stdout.includes('src/safe.ts') && !r.stdout.includes('src/gateway.ts'), 'files without visible findings get no header');
    assert.match(r.stdout, /src\/vendor\/lib\.min\.js: skipped: minified file \(\.min\.js\)/);
    assert.match(r.stdout, /^1 problem \(0 errors, 1 warning, 0 info\) in 4 files, 1 suppressed, 1 skipped$/m);
    assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour codes when stdout is not a terminal');
  });

  it('json: stable fields, workspace-relative posix paths, suppressed and skipped listed apart', () => {
    const r = runCli(['scan', dir, '--format', 'json', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    const report = parseJson(r);
    assert.equal(report.filesScanned, 4);
    assert.equal(report.findings.length, 1);
    const f = report.findings[0];
    assert.deepEqual(
      { ruleId: f.ruleId, severity: f.severity, file: f.file, line: f.line, column: f.column, endLine: f.endLine },
      { ruleId: RULE, severity: 'warning', file: 'src/auth.ts', line: 4, column: 10, endLine: 4 },
    );
    assert.ok(f.endColumn > f.column);
    assert.match(f.message, /JWT verified without an `algorithms` allow-list/);
    assert.equal(f.docsUrl, `https://github.com/api-warden/api-warden/blob/main/docs/rules/${RULE}.md`);
    assert.equal(f.fix, undefined);
    assert.ok(f.suggestions.length >= 1 && f.suggestions.every((s) => s.title && s.edits.length > 0));
    assert.deepEqual(report.suppressed.map((s) => [s.ruleId, s.file, s.line, s.suppressed]),
      [[RULE, 'src/gateway.ts', 5, { reason: 'the gateway verified the token with RS256 already', line: 3 }]]);
    assert.deepEqual(report.skipped, [{ file: 'src/vendor/lib.min.js', reason: 'skipped: minified file (.min.js)' }]);
    assert.deepEqual(report.ruleFailures, []);
  });

  it('sarif: 2.1.0, one run, rules with help, relative locations under SRCROOT, suppressions', () => {
    const r = runCli(['scan', dir, '--format', 'sarif', '--fail-on', 'none']);
    assert.equal(r.code, 0, r.stderr);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'API Warden');
    assert.match(run.tool.driver.semanticVersion, /^\d+\.\d+\.\d+/);
    assert.equal(run.originalUriBaseIds.SRCROOT.uri, `file://${dir}/`);
    assert.equal(run.columnKind, 'utf16CodeUnits');
    const visible = run.results.filter((x: { suppressions?: unknown }) => !x.suppressions);
    const suppressed = run.results.filter((x: { suppressions?: unknown }) => x.suppressions);
    assert.equal(visible.length, 1);
    assert.equal(suppressed.length, 1);
    const res = visible[0];
    assert.equal(res.ruleId, RULE);
    assert.equal(res.level, 'warning');
    assert.equal(run.tool.driver.rules[res.ruleIndex].id, RULE, 'ruleIndex points at the rule descriptor');
    const rule = run.tool.driver.rules[res.ruleIndex];
    assert.equal(rule.helpUri, `https://github.com/api-warden/api-warden/blob/main/docs/rules/${RULE}.md`);
    assert.ok(rule.properties.tags.includes('security'));
    assert.ok(rule.properties.tags.includes('external/cwe/cwe-347'));
    assert.match(rule.properties['security-severity'], /^\d+\.\d$/);
    assert.deepEqual(res.locations[0].physicalLocation.artifactLocation, { uri: 'src/auth.ts', uriBaseId: 'SRCROOT' });
    assert.deepEqual(
      { startLine: res.locations[0].physicalLocation.region.startLine, startColumn: res.locations[0].physicalLocation.region.startColumn },
      { startLine: 4, startColumn: 10 },
    );
    assert.match(res.partialFingerprints['apiWarden/v1'], /^[0-9a-f]{8}$/);
    assert.deepEqual(suppressed[0].suppressions, [{ kind: 'inSource', justification: 'the gateway verified the token with RS256 already' }]);
    assert.equal(suppressed[0].locations[0].physicalLocation.artifactLocation.uri, 'src/gateway.ts');
    const notes = run.invocations[0].toolExecutionNotifications;
    assert.deepEqual(notes.map((n: { level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [n.level, n.locations[0].physicalLocation.artifactLocation.uri]),
      [['note', 'src/vendor/lib.min.js']]);
  });

  it('--output writes the report to a file (creating folders), stdout stays empty', () => {
    for (const [format, file] of [['json', 'reports/out/api-warden.json'], ['sarif', 'reports/results.sarif'], ['stylish', 'reports/api-warden.txt']] as const) {
      const r = runCli(['scan', '.', '--format', format, '--output', file, '--fail-on', 'warning'], dir);
      assert.equal(r.code, 1, `--fail-on still decides the exit code with --output (${format})`);
      assert.equal(r.stdout, '');
      const written = fs.readFileSync(path.join(dir, file), 'utf8');
      if (format === 'json') assert.equal(JSON.parse(written).findings.length, 1);
      if (format === 'sarif') assert.equal(JSON.parse(written).runs[0].results.length, 2);
      if (format === 'stylish') assert.match(written, /1 problem \(0 errors, 1 warning, 0 info\)/);
      if (format === 'stylish') assert.equal(r.stderr, '');
      else assert.equal(r.stderr, `api-warden: wrote 1 finding(s) to ${file}\n`);
    }
    const short = runCli(['scan', '.', '-f', 'json', '-o', 'short.json', '--fail-on', 'none'], dir);
    assert.equal(short.code, 0);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'short.json'), 'utf8')).findings.length, 1);
    const eq = runCli(['scan', '.', '--format=sarif', '--output', path.join(dir, 'abs.sarif'), '--fail-on=none'], dir);
    assert.equal(eq.code, 0);
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'abs.sarif'), 'utf8')).version, '2.1.0');
  });

  it('never prints a secret value in any format', () => {
    // Built at run time so that no provider-format string sits in the repository.
    const hmacSecret = ['q7', 'Vx', '2m', 'Lp', '9R', 'tZ', '4k', 'Wn', '8c', 'Hs', '3J', 'yD', '6f', 'Bg'].join('');
    const stripeLike = 'sk_' + 'live_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8';
    const awsLike = 'AK' + 'IA' + 'Q3EGRT5YB2LX7N4D';
    const ws = workspace({
      'src/tokens.ts': [
        "import jwt from 'jsonwebtoken';",
        `const JWT_SECRET = '${hmacSecret}';`,
        'export const issue = (sub: string) => jwt.sign({ sub }, JWT_SECRET);',
        'export const check = (t: string) => jwt.verify(t, JWT_SECRET);',
        `export const billing = { apiKey: '${stripeLike}' };`,
        `export const aws = { accessKeyId: '${awsLike}', region: 'eu-west-1' };`,
        `export const fallback = process.env.SESSION_SECRET || '${hmacSecret}';`,
        '',
      ].join('\n'),
    });
    for (const format of ['stylish', 'json', 'sarif']) {
      const r = runCli(['scan', ws, '--format', format, '--fail-on', 'none']);
      assert.equal(r.code, 0, r.stderr);
      for (const secret of [hmacSecret, stripeLike, awsLike]) {
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${format} output contains a secret value`);
      }
    }
  });
});
