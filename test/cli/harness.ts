// Shared helpers of the CLI tests: the real bundled CLI (dist/cli.js) run as a child process, and throw-away
// workspaces written into the OS temp directory.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allRules } from '../../shared-rules/src';

/** Repository root (this file runs from out/test/cli/). */
export const REPO = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(REPO, 'dist', 'cli.js');

export interface CliRun { code: number | null; stdout: string; stderr: string }

/** Runs `node dist/cli.js <args>` in `cwd`, colours off, and returns its exit code and output. */
export function runCli(args: string[], cwd: string = REPO): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd, encoding: 'utf8', timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Fails the suite early with a clear message when the bundle is missing (npm test builds it first), and re-bundles
 * when dist/cli.js is older than the compiled engine in out/ (after a bare `tsc -b`): the tests read the rule list
 * from out/ and must run the same rules through the CLI.
 */
export function requireBundle(): void {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run \`npm run build\` (npm test does) before the CLI tests`);
  const bundled = fs.statSync(CLI).mtimeMs;
  if (newestMtime(path.join(REPO, 'out', 'shared-rules')) > bundled || newestMtime(path.join(REPO, 'out', 'server')) > bundled) {
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'bundle.js')], { cwd: REPO, encoding: 'utf8' });
    assert.equal(r.status, 0, `dist/cli.js is stale and re-bundling failed: ${r.stderr}`);
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (e.name.endsWith('.js')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const created: string[] = [];

/** Writes a workspace (relative path → text) into a fresh temp directory and returns its path. */
export function workspace(files: Record<string, string>, prefix = 'api-warden-cli-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  created.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  return dir;
}

/** Removes every workspace created so far (call from `after`). */
export function cleanupWorkspaces(): void {
  for (const d of created.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** The JSON report of a run (`--format json`), parsed. */
export interface JsonFinding {
  ruleId: string; severity: 'error' | 'warning' | 'info'; file: string; line: number; column: number;
  endLine: number; endColumn: number; message: string; docsUrl: string;
  fix?: { title: string; edits: { fileName: string; start: number; end: number; newText: string }[] };
  suggestions: { title: string; edits: unknown[] }[];
  suppressed?: { reason: string; line: number };
}
export interface JsonReport {
  findings: JsonFinding[]; suppressed: JsonFinding[]; skipped: { file: string; reason: string }[];
  ruleFailures: unknown[]; filesScanned: number;
}

export function parseJson(run: CliRun): JsonReport {
  try { return JSON.parse(run.stdout) as JsonReport; } catch (e) {
    throw new Error(`stdout is not JSON (${(e as Error).message}); exit ${run.code}; stderr: ${run.stderr}\nstdout: ${run.stdout.slice(0, 500)}`);
  }
}

/** The canonical vulnerable snippet every CLI test relies on: one `jwt/verify-without-algorithms` finding (warning). */
export const VERIFY_NO_ALGS = [
  "import jwt from 'jsonwebtoken';",
  '',
  'export function authenticate(token: string) {',
  '  return jwt.verify(token, process.env.JWT_PUBLIC_KEY!);',
  '}',
  '',
].join('\n');

/** The same function written correctly: no finding. */
export const VERIFY_PINNED = [
  "import jwt from 'jsonwebtoken';",
  '',
  'export function authenticate(token: string) {',
  "  return jwt.verify(token, process.env.JWT_PUBLIC_KEY!, { algorithms: ['RS256'] });",
  '}',
  '',
].join('\n');

export const RULE = 'jwt/verify-without-algorithms';

/**
 * Configuration that leaves only `ruleId` on (at `severity`, or its default) and turns every other registered rule
 * off, so that the exit-code and format tests do not change as more rules land.
 */
export function onlyRule(ruleId: string = RULE, severity?: string): { rules: Record<string, string> } {
  const rules: Record<string, string> = {};
  for (const r of allRules) if (r.meta.id !== ruleId) rules[r.meta.id] = 'off';
  if (severity) rules[ruleId] = severity;
  return { rules };
}

/** `onlyRule` as the text of an `.apiwarden.json`. */
export function onlyRuleFile(ruleId: string = RULE, severity?: string): string {
  return JSON.stringify(onlyRule(ruleId, severity), null, 2);
}
