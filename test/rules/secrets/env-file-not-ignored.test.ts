import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig, Finding, Project, runProjectRules, scan } from '../../../shared-rules/src';
import rule from '../../../shared-rules/src/rules/secrets/env-file-not-ignored';
import { isEnvFileName, parseDotenv, secretKeys } from '../../../shared-rules/src/model/envFiles';
import { GitignoreMatcher } from '../../../shared-rules/src/model/gitignore';
import { applyEdits } from '../../support/ruleTester';
import { fake, rand } from './fakeSecrets';

const secret = rand(32);
const dbPassword = rand(16);
const stripe = fake.stripeLive();

let counter = 0;
/** Runs the rule over a virtual workspace (open documents only: no disk, no git). */
function run(files: Record<string, string>): { findings: Finding[]; root: string; project: Project } {
  const root = path.resolve('/virtual', `envws${++counter}`);
  const project = new Project(root);
  for (const [rel, text] of Object.entries(files)) project.setOverlay(path.join(root, rel), text, 1);
  const config = defaultConfig([rule]);
  const r = runProjectRules(project, [rule], config, new Map(), (f) => project.readText(f));
  assert.deepEqual(r.failures, []);
  return { findings: r.findings.filter((f) => !f.suppressed), root, project };
}

/** Applies a fix's .gitignore edit to the virtual workspace and runs again: the finding must be gone. */
function applyFixAndRerun(files: Record<string, string>, f: Finding, root: string): Record<string, string> {
  assert.ok(f.fix, 'expected a fix');
  const next = { ...files };
  for (const e of f.fix!.edits) {
    const rel = path.relative(root, e.fileName).split(path.sep).join('/');
    next[rel] = applyEdits(next[rel] ?? '', [e]);
  }
  const again = run(next).findings.filter((g) => path.relative(root, g.fileName) === path.relative(root, f.fileName));
  assert.deepEqual(again.map((g) => g.message), [], 'finding still present after the fix');
  return next;
}

const rel = (root: string, f: Finding) => path.relative(root, f.fileName).split(path.sep).join('/');

describe('secrets/env-file-not-ignored', () => {
  describe('model', () => {
    it('knows env files from templates', () => {
      for (const n of ['.env', '.env.local', '.env.production', '.env.development.local', '.env.keys']) assert.ok(isEnvFileName(n), n);
      for (const n of ['.env.example', '.env.sample', '.env.template', '.env.dist', '.env.defaults', '.env.local.example', '.envrc', 'env', '.env.vault']) assert.ok(!isEnvFileName(n), n);
    });
    it('parses dotenv syntax and finds secret-holding keys', () => {
      const entries = parseDotenv(`# comment\nexport JWT_SECRET="${secret}"\nPORT=3000\nAPI_KEY=\nDB_PASSWORD=changeme\nDATABASE_URL=postgres://app:${dbPassword}@db.internal/app\nNEXT_PUBLIC_KEY=${secret}\nPRIVATE_KEY="-----BEGIN\nline\n-----END"\nSTRIPE=${stripe} # live\nREF=\${OTHER}`);
      assert.deepEqual(entries.map((e) => e.key), ['JWT_SECRET', 'PORT', 'API_KEY', 'DB_PASSWORD', 'DATABASE_URL', 'NEXT_PUBLIC_KEY', 'PRIVATE_KEY', 'STRIPE', 'REF']);
      assert.equal(entries[6].value, '-----BEGIN\nline\n-----END');
      assert.deepEqual(secretKeys(entries), ['JWT_SECRET', 'DATABASE_URL', 'PRIVATE_KEY', 'STRIPE']);
    });
    it('evaluates .gitignore files like git', () => {
      const files: Record<string, string> = {
        '/r/.gitignore': 'node_modules/\n.env*\n!.env.example\n/build\nlogs/**/*.log\n\\#hash\n',
        '/r/pkg/.gitignore': '!.env.local\nsecret[0-9].txt\n',
        '/r/cfg/.gitignore': '*\n!keep.env\n',
      };
      const m = new GitignoreMatcher('/r', (f) => files[f]);
      const yes = ['/r/.env', '/r/a/b/.env.production', '/r/node_modules/x/.env', '/r/build/x', '/r/logs/a/b/c.log', '/r/#hash', '/r/pkg/secret1.txt', '/r/cfg/x'];
      const no = ['/r/.env.example', '/r/pkg/.env.local', '/r/src/build/x', '/r/logs/a.txt', '/r/pkg/secretA.txt', '/r/readme'];
      for (const f of yes) assert.ok(m.isIgnored(f), `${f} should be ignored`);
      for (const f of no) assert.ok(!m.isIgnored(f), `${f} should not be ignored`);
      assert.ok(!m.isIgnored('/r/cfg/keep.env'), '`*` then `!keep.env` re-includes the file (its folder is not ignored)');
      assert.ok(new GitignoreMatcher('/r', (f) => (f === '/r/.gitignore' ? 'dir/\n' : undefined)).isIgnored('/r/dir/!keep'));
      assert.ok(m.isIgnored('/r/.env.example', '.env.example'), 'extra root lines apply last');
    });
  });

  describe('virtual workspaces (no git: .gitignore parsed)', () => {
    it('P1-like: a .env with secrets and no .gitignore: warning on line 1, fix creates .gitignore', () => {
      const files = { '.env': `JWT_SECRET=${secret}\nDB_PASSWORD=${dbPassword}\nPORT=3000\n`, 'src/app.ts': `import 'dotenv/config';` };
      const { findings, root } = run(files);
      assert.equal(findings.length, 1);
      const f = findings[0];
      assert.equal(rel(root, f), '.env');
      assert.deepEqual([f.range.start.line, f.severity], [0, 'warning']);
      assert.match(f.message, /holds secrets \(JWT_SECRET, DB_PASSWORD\) and is not git-ignored \(judged from \.gitignore: no git work tree\)/);
      assert.ok(!f.message.includes(secret) && !f.message.includes(dbPassword));
      assert.deepEqual(f.fix!.edits.map((e) => [path.basename(e.fileName), e.start, e.end, e.newText]), [['.gitignore', 0, 0, '.env\n']]);
      assert.equal(f.fix!.title, 'Add ".env" to .gitignore');
      const after = applyFixAndRerun(files, f, root);
      assert.equal(after['.gitignore'], '.env\n');
    });
    it('P2: .env.production next to a .gitignore that only has node_modules/', () => {
      const files = { '.env.production': `SESSION_SECRET=${secret}\n`, '.gitignore': 'node_modules/' };
      const { findings, root } = run(files);
      assert.equal(findings.length, 1);
      assert.equal(findings[0].severity, 'warning');
      assert.deepEqual(findings[0].fix!.edits.map((e) => [e.start, e.newText]), [[13, '\n.env.production\n']]);
      assert.equal(applyFixAndRerun(files, findings[0], root)['.gitignore'], 'node_modules/\n.env.production\n');
    });
    it('N1: .env* ignored with !.env.example', () => {
      assert.deepEqual(run({ '.env': `JWT_SECRET=${secret}`, '.env.example': 'JWT_SECRET=', '.gitignore': '.env*\n!.env.example\n' }).findings, []);
    });
    it('N2: only a template exists', () => {
      assert.deepEqual(run({ '.env.example': `JWT_SECRET=\nAPI_KEY=your-api-key\n`, 'src/app.ts': `import 'dotenv/config';` }).findings, []);
    });
    it('a file without secret values is info', () => {
      const { findings } = run({ '.env': 'PORT=3000\nNODE_ENV=development\nJWT_SECRET=changeme\nAPI_KEY=\n' });
      assert.deepEqual(findings.map((f) => f.severity), ['info']);
      assert.match(findings[0].message, /holds no secret-named values now/);
    });
    it('nested env files get an anchored pattern', () => {
      const files = { 'apps/api/.env': `API_TOKEN=${secret}`, '.gitignore': 'dist\n' };
      const { findings, root } = run(files);
      assert.equal(rel(root, findings[0]), 'apps/api/.env');
      assert.equal(findings[0].fix!.edits[0].newText, '/apps/api/.env\n');
      applyFixAndRerun(files, findings[0], root);
    });
    it('a negation that re-includes the file is overridden by the appended line', () => {
      const files = { '.env.staging': `API_KEY=${secret}`, '.gitignore': '.env*\n!.env.staging\n' };
      const { findings, root } = run(files);
      assert.equal(findings.length, 1);
      applyFixAndRerun(files, findings[0], root);
    });
    it('test configuration is info at most, short numbers are dummies', () => {
      const { findings } = run({ '.env.test': `JWT_SECRET=${secret}\nMONITOR_PASSWORD=1234\n`, 'test/fixtures/.env': `API_KEY=${secret}\n` });
      assert.deepEqual(findings.map((f) => f.severity), ['info', 'info']);
      assert.match(findings[0].message, /\(test configuration\)/);
      assert.deepEqual(secretKeys(parseDotenv('MONITOR_PASSWORD=1234\nPIN=12')), []);
    });
    it('files inside an ignored folder are silent', () => {
      assert.deepEqual(run({ 'config/.env': `JWT_SECRET=${secret}`, '.gitignore': 'config/\n' }).findings, []);
    });
    it('Next.js conventions: committed defaults are judged by content, .env*.local must be ignored', () => {
      const pkg = JSON.stringify({ dependencies: { next: '15.1.0' } });
      const { findings, root } = run({
        'package.json': pkg, '.gitignore': 'node_modules\n',
        '.env': 'NEXT_PUBLIC_API_URL=https://api.example.com\n',
        '.env.development': 'NEXT_PUBLIC_FLAG=1\n',
        '.env.production': `STRIPE_SECRET_KEY=${stripe}\n`,
        '.env.local': 'NEXT_PUBLIC_DEBUG=1\n',
      });
      assert.deepEqual(findings.map((f) => [rel(root, f), f.severity]), [['.env.local', 'warning'], ['.env.production', 'warning']]);
      assert.equal(findings[0].fix!.edits[0].newText, '.env*.local\n');
      assert.match(findings[0].message, /next projects keep secrets in `\.env\*\.local` files/);
      assert.ok(!findings[1].message.includes(stripe));
    });
  });

  describe('real git repositories', function () {
    let hasGit = true;
    try { execFileSync('git', ['--version'], { stdio: 'ignore' }); } catch { hasGit = false; }
    const dirs: string[] = [];
    after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });
    const repo = (files: Record<string, string>, add: string[]): string => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aw-env-'));
      dirs.push(dir);
      for (const [r, t] of Object.entries(files)) { fs.mkdirSync(path.dirname(path.join(dir, r)), { recursive: true }); fs.writeFileSync(path.join(dir, r), t); }
      execFileSync('git', ['init', '-q'], { cwd: dir });
      if (add.length) execFileSync('git', ['add', '-f', '--', ...add], { cwd: dir });
      return dir;
    };
    const findingsOf = (dir: string) => scan(dir, { rules: [rule] }).projectFindings;

    it('a tracked .env with secrets is an error, with the .gitignore fix and git rm --cached advice', function () {
      if (!hasGit) this.skip();
      const dir = repo({ '.env': `JWT_SECRET=${secret}\n`, 'src/app.ts': `import 'dotenv/config';\n` }, ['.env']);
      const fs_ = findingsOf(dir);
      assert.equal(fs_.length, 1);
      assert.equal(fs_[0].severity, 'error');
      assert.match(fs_[0].message, /is tracked by git and holds secrets \(JWT_SECRET\).*git rm --cached \.env/);
      assert.equal(fs_[0].fix!.title, 'Add ".env" to .gitignore (then run git rm --cached .env and rotate its secrets)');
      assert.deepEqual(fs_[0].fix!.edits.map((e) => [e.fileName, e.start, e.newText]), [[path.join(dir, '.gitignore'), 0, '.env\n']]);
    });
    it('tracked although ignored: still an error, no .gitignore fix', function () {
      if (!hasGit) this.skip();
      const dir = repo({ '.env': `API_KEY=${secret}\n`, '.gitignore': '.env\n' }, ['.env', '.gitignore']);
      const fs_ = findingsOf(dir);
      assert.deepEqual(fs_.map((f) => [f.severity, !!f.fix]), [['error', false]]);
    });
    it('untracked and ignored by git: silent; untracked and not ignored: warning', function () {
      if (!hasGit) this.skip();
      const dir = repo({ '.env': `API_KEY=${secret}\n`, '.env.staging': `DB_PASSWORD=${dbPassword}\n`, '.gitignore': '.env\n' }, []);
      const fs_ = findingsOf(dir);
      assert.deepEqual(fs_.map((f) => [path.basename(f.fileName), f.severity]), [['.env.staging', 'warning']]);
      assert.doesNotMatch(fs_[0].message, /no git work tree/);
    });
    it('a nested package with its own .gitignore is handled by git check-ignore', function () {
      if (!hasGit) this.skip();
      const dir = repo({ 'packages/api/.gitignore': '.env\n', 'packages/api/.env': `JWT_SECRET=${secret}\n`, 'packages/web/.env': `JWT_SECRET=${secret}\n` }, []);
      const fs_ = findingsOf(dir);
      assert.deepEqual(fs_.map((f) => path.relative(dir, f.fileName)), [path.join('packages', 'web', '.env')]);
    });
  });
});
