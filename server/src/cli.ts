import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules, Finding, Severity, visibleFindings } from '../../shared-rules/src';
import { runScanWorker, scanParallel } from '../../shared-rules/src/engine/scanParallel';
import { formatJson } from './formats/json';
import { formatSarif } from './formats/sarif';
import { formatStylish } from './formats/stylish';
import { VERSION } from './version';

const USAGE = `Usage: api-warden scan [dir|file] [options]

Options:
  --format stylish|json|sarif   output format (default: stylish)
  --output <file>               write the report to a file instead of stdout
  --fail-on error|warning|info|none
                                exit 1 when a finding at or above this severity exists (default: error)
  --root <dir>                  workspace root for configuration (default: the scanned path)
  --version, --help

Exit codes: 0 clean, 1 findings at/above --fail-on, 2 usage or configuration error.`;

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  if (args.includes('--help') || args.includes('-h')) { process.stdout.write(USAGE + '\n'); return 0; }
  if (args.includes('--version')) { process.stdout.write(VERSION + '\n'); return 0; }
  const cmd = args.shift();
  if (cmd !== 'scan') return usage(cmd ? `unknown command "${cmd}"` : 'missing command');
  let target = '.';
  let format = 'stylish';
  let output: string | undefined;
  let failOn = 'error' as Severity | 'none';
  let root: string | undefined;
  let sawTarget = false;
  while (args.length) {
    const a = args.shift()!;
    const value = () => { const v = args.shift(); if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`); return v; };
    try {
      if (a === '--format' || a === '-f') format = value();
      else if (a.startsWith('--format=')) format = a.slice(9);
      else if (a === '--output' || a === '-o') output = value();
      else if (a === '--fail-on') failOn = value() as Severity;
      else if (a.startsWith('--fail-on=')) failOn = a.slice(10) as Severity;
      else if (a === '--root') root = value();
      else if (a.startsWith('-')) return usage(`unknown option "${a}"`);
      else if (!sawTarget) { target = a; sawTarget = true; }
      else return usage(`only one path can be scanned (got "${target}" and "${a}")`);
    } catch (e) {
      if (e instanceof UsageError) return usage(e.message);
      throw e;
    }
  }
  if (!['stylish', 'json', 'sarif'].includes(format)) return usage(`--format must be stylish, json or sarif (got "${format}")`);
  if (!['error', 'warning', 'info', 'none'].includes(failOn)) return usage(`--fail-on must be error, warning, info or none (got "${failOn}")`);
  if (!fs.existsSync(target)) return usage(`path not found: ${target}`);

  const defaultRoot = fs.statSync(target).isDirectory() ? target : path.dirname(target);
  const forced = workersFromEnv();
  if (forced === null) return usage(`API_WARDEN_WORKERS must be a whole number from 1 to 16 (got "${process.env.API_WARDEN_WORKERS}")`);
  // Large scans are spread over worker threads; each is this same script, started with a flag in workerData.
  const result = await scanParallel(target, { root: root ?? defaultRoot, workerScript: __filename, analysers: forced });
  if (forced !== undefined) process.stderr.write(`api-warden: ${forced} analysing thread(s); ${result.filesInWorkers} of ${result.files.length} file(s) analysed in worker threads\n`);
  if (result.configProblems.length) {
    for (const p of result.configProblems) process.stderr.write(`api-warden: configuration error in ${result.configSource ? path.relative(process.cwd(), result.configSource) : 'settings'}: ${p.key}: ${p.message}\n`);
    return 2;
  }
  for (const f of result.failures) process.stderr.write(`api-warden: rule ${f.ruleId} failed on ${path.relative(process.cwd(), f.fileName)} and was skipped for that file: ${f.message}\n`);
  const text = format === 'json' ? formatJson(result) : format === 'sarif' ? formatSarif(result, VERSION) : formatStylish(result);
  if (output) {
    fs.mkdirSync(path.dirname(path.resolve(output)), { recursive: true });
    fs.writeFileSync(output, text);
    if (format !== 'stylish') process.stderr.write(`api-warden: wrote ${visibleFindings(result).length} finding(s) to ${output}\n`);
  } else process.stdout.write(text);
  if (failOn === 'none') return 0;
  return visibleFindings(result).some((f: Finding) => RANK[f.severity] >= RANK[failOn as Severity]) ? 1 : 0;
}

class UsageError extends Error {}

/** `API_WARDEN_WORKERS=N`: analyse with N threads (1 = main thread only) whatever the file count; null when invalid. */
function workersFromEnv(): number | undefined | null {
  const raw = process.env.API_WARDEN_WORKERS;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 16 ? n : null;
}

function usage(msg: string): number {
  process.stderr.write(`api-warden: ${msg}\n\n${USAGE}\n`);
  return 2;
}

if (runScanWorker()) {
  // a scan worker thread (started by scanParallel with this file): it only answers the main thread's batches
} else if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    process.stderr.write(`api-warden: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 2;
  });
  void allRules;
}
