// The CLI scan spread over worker threads (API_WARDEN_WORKERS) reports exactly what the one-thread scan reports.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CLI, cleanupWorkspaces, parseJson, requireBundle, VERIFY_NO_ALGS, workspace } from './harness';

function runWith(workers: string, cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'scan', '.', '--format', 'json', '--fail-on', 'none'], {
    cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', API_WARDEN_WORKERS: workers },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: worker threads', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    requireBundle();
    const files: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'shop', dependencies: { jsonwebtoken: '^9.0.2', 'express-jwt': '^8.4.1', express: '^4.21.0' } }),
      'src/vendor/lib.min.js': `var a=${'1+'.repeat(30000)}1;\n`,
    };
    // 30 services: a wrapper in one file called from another (cross-file resolution in whichever thread), middleware
    // and env reads (project-rule facts merged from both threads), a suppression, a hardcoded key.
    for (let i = 0; i < 30; i++) {
      files[`src/svc${i}/token.ts`] = [
        "import jwt from 'jsonwebtoken';",
        `export const check${i} = (t: string, o: object) => jwt.verify(t, process.env.KEY_${i}!, o);`,
        `export const issue${i} = (p: object) => jwt.sign(p, ${i % 3 === 0 ? "'dev-secret'" : `process.env.KEY_${i}!`});`,
        '',
      ].join('\n');
      files[`src/svc${i}/routes.ts`] = [
        `import { check${i}, issue${i} } from './token';`,
        "import { expressjwt } from 'express-jwt';",
        `export const mw = expressjwt({ secret: process.env.KEY_${i}!, algorithms: ['HS256'] });`,
        `export function me(token: string) { return check${i}(token, {}); }`,
        `export function login(user: { id: string; password: string }) { return issue${i}({ sub: user.id, password: user.password }); }`,
        i % 5 === 0 ? `// api-warden-ignore-next-line jwt/verify-without-algorithms -- test\nexport const x${i} = check${i}('t', {});` : '',
        '',
      ].join('\n');
      files[`src/svc${i}/auth.ts`] = VERIFY_NO_ALGS;
    }
    dir = workspace(files, 'api-warden-workers-');
  });
  after(cleanupWorkspaces);

  it('API_WARDEN_WORKERS=2 gives byte-identical --format json output to API_WARDEN_WORKERS=1', () => {
    const one = runWith('1', dir);
    const two = runWith('2', dir);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    assert.match(one.stderr, /1 analysing thread\(s\); 0 of 91 file\(s\) analysed in worker threads/);
    const m = /2 analysing thread\(s\); (\d+) of 91 file\(s\) analysed in worker threads/.exec(two.stderr);
    assert.ok(m && Number(m[1]) > 0, `a worker analysed files: ${two.stderr}`);
    const report = parseJson(one);
    assert.equal(report.filesScanned, 91);
    assert.ok(report.findings.length >= 60, `findings: ${report.findings.length}`);
    assert.ok(report.suppressed.length >= 1);
    assert.equal(report.skipped.length, 1);
    assert.ok(report.findings.some((f) => f.ruleId === 'jwt/no-revocation-path'), 'a project-rule finding from merged facts');
    assert.equal(two.stdout, one.stdout);
  });

  it('rejects an invalid API_WARDEN_WORKERS with a usage error', () => {
    const r = runWith('two', dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /API_WARDEN_WORKERS must be a whole number/);
  });
});
