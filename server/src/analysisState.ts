import * as path from 'node:path';
import {
  allRules, analyzeFile, FileResult, Finding, globToRegExp, listSourceFiles, Project, runProjectRules, WardenConfig,
} from '../../shared-rules/src';

/**
 * One workspace folder's analysis: its Project (parsed files shared across imports), the latest result per
 * file and version, and the per-file facts project rules need. Re-analysing a file touches only that file;
 * project rules re-run over cached facts.
 */
export class AnalysisState {
  readonly project: Project;
  private readonly results = new Map<string, { version: number; result: FileResult }>();
  private readonly facts = new Map<string, Map<string, unknown[]>>();
  private projectFindings: Finding[] = [];
  private reportedFailures = new Set<string>();
  config: WardenConfig;

  constructor(readonly root: string, config: WardenConfig, private readonly log: (msg: string) => void) {
    this.project = new Project(root);
    this.config = config;
    this.project.ignore = config.ignore.map(globToRegExp);
  }

  setConfig(config: WardenConfig): void {
    this.config = config;
    this.project.ignore = config.ignore.map(globToRegExp);
    this.project.filesChanged();
    this.results.clear();
  }

  contains(file: string): boolean {
    const rel = path.relative(this.root, file);
    return !rel.startsWith('..') && !path.isAbsolute(rel);
  }

  /** Analyses an open document at a version (cached: asking twice for one version costs nothing). */
  analyse(file: string, text: string, version: number): FileResult {
    const cached = this.results.get(file);
    if (cached && cached.version === version) return cached.result;
    this.project.setOverlay(file, text, version);
    const result = analyzeFile(this.project, file, allRules, this.config);
    this.results.set(file, { version, result });
    this.facts.set(file, result.facts);
    for (const f of result.failures) {
      const key = `${f.ruleId}|${f.fileName}`;
      if (this.reportedFailures.has(key)) continue;
      this.reportedFailures.add(key);
      this.log(`rule ${f.ruleId} failed on ${f.fileName} and is disabled for that file: ${f.message}`);
    }
    return result;
  }

  cachedResult(file: string, version: number): FileResult | undefined {
    const c = this.results.get(file);
    return c && c.version === version ? c.result : undefined;
  }

  close(file: string): void {
    this.project.removeOverlay(file);
    this.results.delete(file);
  }

  /** Collects facts of every workspace file once (in slices, so the server stays responsive). */
  async indexWorkspace(shouldStop: () => boolean): Promise<number> {
    const files = listSourceFiles(this.root, this.project.ignore);
    let n = 0;
    for (const f of files) {
      if (shouldStop()) break;
      if (!this.facts.has(f)) {
        const r = analyzeFile(this.project, f, allRules.filter((rule) => rule.projectEnd), this.config);
        this.facts.set(f, r.facts);
      }
      if (++n % 50 === 0) await new Promise((res) => setImmediate(res));
    }
    return n;
  }

  /** Re-runs project rules over cached facts; returns the findings per file. */
  runProjectRules(): Map<string, Finding[]> {
    const { findings, failures } = runProjectRules(this.project, allRules, this.config, this.facts, (f) => this.project.readText(f));
    for (const f of failures) this.log(`project rule ${f.ruleId} failed: ${f.message}`);
    this.projectFindings = findings.filter((f) => !f.suppressed);
    const byFile = new Map<string, Finding[]>();
    for (const f of this.projectFindings) {
      if (!byFile.has(f.fileName)) byFile.set(f.fileName, []);
      byFile.get(f.fileName)!.push(f);
    }
    return byFile;
  }

  projectFindingsFor(file: string): Finding[] {
    return this.projectFindings.filter((f) => f.fileName === file);
  }

  /** A watched file was created, changed or deleted on disk. */
  fileChangedOnDisk(file: string, kind: 'created' | 'changed' | 'deleted'): void {
    this.project.invalidate(file);
    this.facts.delete(file);
    if (kind !== 'changed') this.project.filesChanged(); // the workspace file list is rebuilt
  }
}
