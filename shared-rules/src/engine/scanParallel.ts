import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { allRules } from '../rules';
import { analyzeFile, FileResult, runProjectRules } from './analyze';
import { ConfigProblem, loadConfigFile, WardenConfig } from './config';
import { globToRegExp, listSourceFiles, Project } from './project';
import { scan, ScanOptions, ScanResult } from './scan';

/**
 * The CLI scan spread over threads: the main thread and `analysers - 1` worker threads take batches of consecutive
 * files from one queue (an Atomics counter in a SharedArrayBuffer), each with its own `Project` (a thread parses the
 * files it analyses and whatever they import),
 * and send back their `FileResult`s (findings and project-rule facts, structured-cloned); the main thread puts them
 * in file order and runs the project rules over the merged facts. Results are the same as `scan()`'s: per-file
 * analysis depends only on the workspace's contents, never on which files were analysed before in the same project.
 */

/** Below this many files the threads' start-up (each loads the engine and TypeScript) costs more than it saves. */
export const PARALLEL_MIN_FILES = 200;

export interface ParallelScanOptions extends Omit<ScanOptions, 'rules'> {
  /** The script a worker runs: it must call `runScanWorker()` first thing (the CLI passes its own file). */
  workerScript: string;
  /** Threads analysing files, the main thread included; default: `defaultAnalysers(file count)`. */
  analysers?: number;
}

export interface ParallelScanResult extends ScanResult {
  /** How many files worker threads analysed (0: the scan ran on the main thread only). */
  filesInWorkers: number;
}

const WORKER_FLAG = '__apiWardenScanWorker';

interface WorkerInit {
  [WORKER_FLAG]: true; root: string; config: WardenConfig; files: string[]; batchSize: number;
  /** The worker's own first batch [start, end), reserved before the queue opens: every worker analyses at least one. */
  first: { start: number; end: number };
  /** One Int32: the index of the next file nobody has taken (every thread takes batches with Atomics.add). */
  next: SharedArrayBuffer;
}
type FromWorker = { type: 'results'; start: number; results: FileResult[] } | { type: 'failed'; start: number; message: string };

/** The next batch of the shared queue: [start, end) of the file list, or undefined when it is empty. */
function takeBatch(next: Int32Array, batchSize: number, total: number): { start: number; end: number } | undefined {
  const start = Atomics.add(next, 0, batchSize);
  return start < total ? { start, end: Math.min(total, start + batchSize) } : undefined;
}

/**
 * Default number of analysing threads for `fileCount` files (main thread included): 2 on machines with at least 4
 * hardware threads, else 1. Measured on a 2-thread VM (bench/README.md), two threads were no faster than one: each
 * thread computes the workspace-wide memos and parses the files its batches import (about 20% more parsing in all),
 * the worker loads the bundle, and the two threads slow each other down (two concurrent scans: 1.4x throughput).
 */
export function defaultAnalysers(fileCount: number): number {
  if (fileCount <= PARALLEL_MIN_FILES) return 1;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores >= 4 ? 2 : 1;
}

export async function scanParallel(target: string, options: ParallelScanOptions): Promise<ParallelScanResult> {
  const abs = path.resolve(target);
  const root = path.resolve(options.root ?? abs);
  const rules = allRules;
  const loaded = options.config ? { config: options.config, problems: [] as ConfigProblem[], source: undefined } : loadConfigFile(root, rules);
  const project = new Project(root);
  project.ignore = loaded.config.ignore.map(globToRegExp);
  const files = listSourceFiles(abs, project.ignore);
  const analysers = Math.max(1, Math.floor(options.analysers ?? defaultAnalysers(files.length)));
  if (analysers <= 1 || files.length < 2 || loaded.problems.length) {
    return { ...scan(target, { root: options.root, config: options.config }), filesInWorkers: 0 };
  }

  const results: (FileResult | undefined)[] = new Array(files.length).fill(undefined);
  const batchSize = Math.max(1, Math.min(48, Math.ceil(files.length / (analysers * 6))));
  const nextBuffer = new SharedArrayBuffer(4);
  const next = new Int32Array(nextBuffer);
  const workers = Math.min(analysers - 1, Math.floor(files.length / batchSize));
  next[0] = workers * batchSize; // one first batch reserved per worker
  let filesInWorkers = 0;
  const exits: Promise<void>[] = [];
  for (let i = 0; i < workers; i++) {
    const first = { start: i * batchSize, end: (i + 1) * batchSize };
    const init: WorkerInit = { [WORKER_FLAG]: true, root, config: loaded.config, files, batchSize, first, next: nextBuffer };
    let worker: Worker;
    try { worker = new Worker(options.workerScript, { workerData: init }); } catch { break; }
    worker.on('message', (m: FromWorker) => {
      if (m.type !== 'results') return; // 'failed': the batch stays unfilled and is analysed here at the end
      m.results.forEach((r, k) => { results[m.start + k] = r; });
      filesInWorkers += m.results.length;
    });
    exits.push(new Promise<void>((resolve) => {
      worker.on('error', () => { /* its unfinished batch is redone below */ });
      worker.on('exit', () => resolve());
    }));
  }

  // The main thread takes batches from the same queue meanwhile (the workers' results wait in its message queue).
  for (let b = takeBatch(next, batchSize, files.length); b; b = takeBatch(next, batchSize, files.length)) {
    for (let i = b.start; i < b.end; i++) results[i] = analyzeFile(project, files[i], rules, loaded.config);
  }
  await Promise.all(exits);
  // Batches of a worker that failed or died: analysed here (same results, only slower).
  for (let i = 0; i < files.length; i++) if (!results[i]) results[i] = analyzeFile(project, files[i], rules, loaded.config);

  const done = results as FileResult[];
  const facts = new Map<string, Map<string, unknown[]>>();
  for (const r of done) facts.set(r.fileName, r.facts);
  const proj = runProjectRules(project, rules, loaded.config, facts, (f) => project.readText(f));
  return {
    root, files: done, projectFindings: proj.findings,
    failures: [...done.flatMap((r) => r.failures), ...proj.failures],
    configProblems: loaded.problems, configSource: loaded.source, filesInWorkers,
  };
}

/**
 * Worker side: when this thread was started by `scanParallel`, analyses the batches it is sent and returns true (the
 * caller must then do nothing else); returns false in any other thread.
 */
export function runScanWorker(): boolean {
  const init = workerData as WorkerInit | undefined;
  if (isMainThread || !parentPort || !init || init[WORKER_FLAG] !== true) return false;
  const port = parentPort;
  const project = new Project(init.root);
  project.ignore = init.config.ignore.map(globToRegExp);
  const next = new Int32Array(init.next);
  for (let b: { start: number; end: number } | undefined = init.first; b; b = takeBatch(next, init.batchSize, init.files.length)) {
    let reply: FromWorker;
    try {
      const results: FileResult[] = [];
      for (let i = b.start; i < b.end; i++) results.push(analyzeFile(project, init.files[i], allRules, init.config));
      reply = { type: 'results', start: b.start, results };
    } catch (e) {
      reply = { type: 'failed', start: b.start, message: (e as Error).message };
    }
    try { port.postMessage(reply); } catch (e) {
      port.postMessage({ type: 'failed', start: b.start, message: (e as Error).message } satisfies FromWorker);
    }
  }
  port.close();
  return true;
}
