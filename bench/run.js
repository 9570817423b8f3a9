#!/usr/bin/env node
// API Warden benchmark (`npm run bench`, after the build): scan throughput against two yardsticks measured side by
// side in one process on the same files, and keystroke latency.
//
//   1. floor   read + ts.createSourceFile of every file (the parse the engine cannot avoid)
//   2. scan    the engine's whole scan (out/shared-rules/src scan(): every rule, project rules included)
//   3. eslint  ESLint + eslint-plugin-security (recommended rules) with typescript-eslint's parser
//
// Corpus: bench/corpus/ (git-ignored), generated deterministically by bench/corpus.js, plus a copy of examples/.
// Keystroke: a 2,500-line file open in a Project; one-character edits; setOverlay + analyzeFile per edit.
//
// Options: --files N (corpus size, default 3000)   --reps N (default 5)   --eslint-reps N (default 3)
//          --no-eslint   --keystrokes N (default 300)   --profile (CPU profiles of one scan and of the keystrokes,
//          written to bench/corpus/*.cpuprofile, hot spots printed)
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

if (typeof global.gc !== 'function' && !process.env.API_WARDEN_BENCH_CHILD) {
  // Re-run with --expose-gc so every measurement starts from a collected heap.
  const r = spawnSync(process.execPath, ['--expose-gc', __filename, ...process.argv.slice(2)], {
    stdio: 'inherit', env: { ...process.env, API_WARDEN_BENCH_CHILD: '1' },
  });
  process.exit(r.status ?? 1);
}

const ROOT = path.resolve(__dirname, '..');
const CORPUS = path.join(__dirname, 'corpus');
const WORKSPACE = path.join(CORPUS, 'workspace');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  return Number.isFinite(v) ? v : fallback;
}
const FILES = arg('--files', 3000);
const REPS = arg('--reps', 9);
const ESLINT_REPS = arg('--eslint-reps', 3);
const KEYSTROKES = arg('--keystrokes', 300);
const WITH_ESLINT = !process.argv.includes('--no-eslint');
const PROFILE = process.argv.includes('--profile');

const engineEntry = path.join(ROOT, 'out', 'shared-rules', 'src', 'index.js');
if (!fs.existsSync(engineEntry)) {
  console.error(`bench: ${path.relative(process.cwd(), engineEntry)} is missing; run \`npm run build\` first (npm run bench does).`);
  process.exit(2);
}
const ts = require('typescript');
const engine = require(engineEntry);
const { ensureCorpus, largeFile } = require('./corpus');

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const ms = (x) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const gc = () => { if (global.gc) { global.gc(); global.gc(); } };
const now = () => performance.now();

function copyDir(from, to) {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(from, to, { recursive: true, filter: (src) => !src.split(path.sep).includes('node_modules') });
}

// ---------------------------------------------------------------------------------------------------------------
// Corpus

function prepare() {
  const t0 = now();
  fs.mkdirSync(WORKSPACE, { recursive: true });
  const summary = ensureCorpus(WORKSPACE, FILES);
  const examples = path.join(ROOT, 'examples');
  if (fs.existsSync(examples)) copyDir(examples, path.join(WORKSPACE, 'examples'));
  const files = engine.listSourceFiles(WORKSPACE);
  let bytes = 0, lines = 0;
  for (const f of files) { const t = fs.readFileSync(f, 'utf8'); bytes += Buffer.byteLength(t); lines += t.split('\n').length; }
  return { files, bytes, lines, summary, ms: now() - t0 };
}

// ---------------------------------------------------------------------------------------------------------------
// The three measurements

/** Read + parse every file, as the engine parses (same script kind, parent pointers set). */
function floor(files) {
  let nodes = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true, engine.scriptKind(f));
    nodes += sf.statements.length;
  }
  return nodes;
}

function scanOnce() {
  return engine.scan(WORKSPACE);
}

function eslintConfigFile() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-warden-bench-eslint-'));
  const file = path.join(dir, 'eslint.config.cjs');
  const security = require.resolve('eslint-plugin-security', { paths: [ROOT] });
  const parser = require.resolve('@typescript-eslint/parser', { paths: [ROOT] });
  fs.writeFileSync(file, `'use strict';
const security = require(${JSON.stringify(security)});
const tsParser = require(${JSON.stringify(parser)});
module.exports = [{
  files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'],
  languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
  plugins: { security },
  rules: { ...security.configs.recommended.rules },
}];
`);
  return { file, dir };
}

async function eslintOnce(ESLint, configFile, files) {
  const eslint = new ESLint({ cwd: WORKSPACE, overrideConfigFile: configFile, cache: false, errorOnUnmatchedPattern: false });
  const results = await eslint.lintFiles(files);
  let messages = 0, fatal = 0;
  for (const r of results) { messages += r.messages.length; fatal += r.fatalErrorCount; }
  return { messages, fatal, files: results.length };
}

// ---------------------------------------------------------------------------------------------------------------
// Keystroke latency

function keystrokes(profileFn) {
  // The big file lives (as an open, unsaved document) in the first Express service of the corpus, so cross-file
  // lookups (config, imports) see a real workspace.
  const services = fs.readdirSync(path.join(WORKSPACE, 'services')).sort();
  const svc = services.find((s) => fs.existsSync(path.join(WORKSPACE, 'services', s, 'src', 'app.ts'))) ?? services[0];
  const root = path.join(WORKSPACE, 'services', svc);
  const file = path.join(root, 'src', 'admin', 'admin-console.routes.ts');
  let text = largeFile(2500);
  const lineCount = text.split('\n').length;
  const project = new engine.Project(root);
  const config = engine.defaultConfig(engine.allRules);
  let version = 1;
  project.setOverlay(file, text, version);
  const t0 = now();
  const first = engine.analyzeFile(project, file, engine.allRules, config);
  const firstMs = now() - t0;

  // Full parse of the same text, for reference.
  const parses = [];
  for (let i = 0; i < 20; i++) { const s = now(); ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS); parses.push(now() - s); }

  // Type a character into an identifier in the middle of the file, then delete it again (as a user would).
  const anchor = text.indexOf('const take', Math.floor(text.length / 2));
  const at = anchor + 'const tak'.length;
  const times = [];
  let findings = first.findings.length;
  const edits = (count) => {
  for (let i = 0; i < count + 20; i++) {
    text = i % 2 === 0 ? text.slice(0, at) + 'x' + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
    version++;
    const s = now();
    project.setOverlay(file, text, version);
    const r = engine.analyzeFile(project, file, engine.allRules, config);
    const d = now() - s;
    if (i >= 20) times.push(d);
    findings = r.findings.length;
  }
  };
  if (profileFn) { edits(20); return profileFn(() => edits(KEYSTROKES)); }
  edits(KEYSTROKES);
  return { lineCount, firstMs, parseMs: median(parses), p50: pct(times, 50), p95: pct(times, 95), max: Math.max(...times), findings, firstFindings: first.findings.length };
}

// ---------------------------------------------------------------------------------------------------------------
// Profile

async function profile(label, fn) {
  const inspector = require('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  fn();
  const { profile } = await post('Profiler.stop');
  session.disconnect();
  const out = path.join(CORPUS, `${label}.cpuprofile`);
  fs.writeFileSync(out, JSON.stringify(profile));
  // Self time per function, from the sample counts.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = (profile.endTime - profile.startTime) / 1000 / profile.samples.length;
  for (const id of profile.samples) {
    const n = byId.get(id);
    const cf = n.callFrame;
    const key = `${cf.functionName || '(anonymous)'}  ${cf.url ? path.relative(ROOT, cf.url.replace(/^file:\/\//, '')) : ''}:${cf.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  // Inclusive time per source file of the engine (where is the time spent, by module).
  const byModule = new Map();
  for (const [key, t] of self) {
    const m = key.split('  ')[1].replace(/:\d+$/, '') || '(native)';
    byModule.set(m, (byModule.get(m) ?? 0) + t);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\nCPU profile of ${label} (${ms(total)} sampled) written to ${path.relative(process.cwd(), out)}`);
  console.log('  self time by function:');
  for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`    ${ms(t).padStart(9)}  ${(100 * t / total).toFixed(1).padStart(5)}%  ${k}`);
  console.log('  self time by module:');
  for (const [k, t] of [...byModule].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${ms(t).padStart(9)}  ${(100 * t / total).toFixed(1).padStart(5)}%  ${k}`);
}

// ---------------------------------------------------------------------------------------------------------------

async function main() {
  const corpus = prepare();
  const { files } = corpus;
  console.log(`API Warden bench — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, TypeScript ${ts.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} threads), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB`);
  console.log(`corpus: ${files.length} files, ${corpus.lines.toLocaleString('en-US')} lines, ${(corpus.bytes / 2 ** 20).toFixed(1)} MiB ` +
    `(${corpus.summary.services} generated services${corpus.summary.reused ? ', reused' : `, generated in ${ms(corpus.ms)}`} + examples/) in ${path.relative(process.cwd(), WORKSPACE)}`);

  if (PROFILE) {
    floor(files); scanOnce(); gc();
    await profile('scan', scanOnce);
    await keystrokes((fn) => profile('keystrokes', fn));
    return;
  }

  // Warm-up: JIT and file-system cache for both, then alternate the repetitions.
  floor(files);
  const warm = scanOnce();
  const findings = engine.visibleFindings(warm);
  const floors = [], scans = [];
  for (let i = 0; i < REPS; i++) {
    gc(); let t = now(); floor(files); floors.push(now() - t);
    gc(); t = now(); scanOnce(); scans.push(now() - t);
  }
  const byRule = new Map();
  for (const f of findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  gc();
  const heapAfterScan = process.memoryUsage().heapUsed;

  let eslint;
  if (WITH_ESLINT) {
    const { ESLint } = require(require.resolve('eslint', { paths: [ROOT] }));
    const cfg = eslintConfigFile();
    try {
      const first = await eslintOnce(ESLint, cfg.file, files);
      const times = [];
      for (let i = 0; i < ESLINT_REPS; i++) { gc(); const t = now(); await eslintOnce(ESLint, cfg.file, files); times.push(now() - t); }
      eslint = { ...first, times };
    } finally {
      fs.rmSync(cfg.dir, { recursive: true, force: true });
    }
  }

  const key = keystrokes();

  const floorMs = median(floors), scanMs = median(scans);
  console.log('\nWhole corpus (median of repetitions; every file read from disk each time):');
  console.log(`  floor  read + parse          ${ms(floorMs).padStart(10)}   (${REPS} reps: ${floors.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  scan   API Warden            ${ms(scanMs).padStart(10)}   (${REPS} reps: ${scans.map((x) => x.toFixed(0)).join(', ')})   ${(scanMs / floorMs).toFixed(2)}x floor`);
  // Each scan runs right after its floor: on a shared machine the pair sees the same load, so the median of the
  // per-pair ratios is steadier than the ratio of the two medians.
  const pairRatios = scans.map((x, i) => x / floors[i]);
  console.log(`  scan/floor per repetition pair: ${pairRatios.map((x) => x.toFixed(2)).join(', ')}; median ${median(pairRatios).toFixed(2)}x`);
  if (eslint) {
    const e = median(eslint.times);
    console.log(`  eslint + plugin-security     ${ms(e).padStart(10)}   (${ESLINT_REPS} reps: ${eslint.times.map((x) => x.toFixed(0)).join(', ')})   ${(e / floorMs).toFixed(2)}x floor`);
    console.log(`         ESLint: ${eslint.files} files linted, ${eslint.messages} messages, ${eslint.fatal} parse errors`);
  }
  console.log(`  per file: floor ${(1000 * floorMs / files.length).toFixed(0)} µs, scan ${(1000 * scanMs / files.length).toFixed(0)} µs; heap after scan ${(heapAfterScan / 2 ** 20).toFixed(0)} MiB`);
  console.log(`  findings: ${findings.length} visible (${[...byRule].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ')})`);
  console.log(`  rule failures: ${warm.failures.length}${warm.failures.length ? ' — ' + [...new Set(warm.failures.map((f) => f.ruleId))].join(', ') : ''}`);
  console.log(`\nKeystroke (${key.lineCount}-line file, one-character edits, setOverlay + analyzeFile, ${KEYSTROKES} edits):`);
  console.log(`  p50 ${ms(key.p50)}, p95 ${ms(key.p95)}, max ${ms(key.max)}; first analysis ${ms(key.firstMs)}; a full createSourceFile of that file ${ms(key.parseMs)}; ${key.findings} findings`);
  console.log(`\nratios: scan/floor ${(scanMs / floorMs).toFixed(2)}x (pairwise median ${median(scans.map((x, i) => x / floors[i])).toFixed(2)}x; target <= 1.5x)${eslint ? `, eslint/floor ${(median(eslint.times) / floorMs).toFixed(2)}x` : ''}; keystroke p95 ${ms(key.p95)} (target <= 10 ms)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
