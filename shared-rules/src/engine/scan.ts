import * as path from 'node:path';
import { allRules } from '../rules';
import { analyzeFile, FileResult, RuleFailure, runProjectRules } from './analyze';
import { ConfigProblem, loadConfigFile, WardenConfig } from './config';
import { globToRegExp, listSourceFiles, Project } from './project';
import type { Finding, Rule } from './types';

export interface ScanResult {
  root: string;
  files: FileResult[];
  /** Findings of project rules (located in some file). */
  projectFindings: Finding[];
  failures: RuleFailure[];
  configProblems: ConfigProblem[];
  configSource?: string;
}

export interface ScanOptions {
  /** Workspace root: configuration and package.json are read from here. Defaults to the scanned path. */
  root?: string;
  config?: WardenConfig;
  rules?: readonly Rule[];
}

/** Scans a directory (or one file) the way the CLI does: every source file, then the project rules. */
export function scan(target: string, options: ScanOptions = {}): ScanResult {
  const abs = path.resolve(target);
  const root = path.resolve(options.root ?? abs);
  const rules = options.rules ?? allRules;
  const loaded = options.config ? { config: options.config, problems: [] as ConfigProblem[], source: undefined } : loadConfigFile(root, rules);
  const project = new Project(root);
  project.ignore = loaded.config.ignore.map(globToRegExp);
  // Scanning the root itself: the project's own walk (which also serves its workspace-wide lookups).
  const files = abs === root ? project.listFiles() : listSourceFiles(abs, project.ignore);
  const results: FileResult[] = [];
  const facts = new Map<string, Map<string, unknown[]>>();
  for (const f of files) {
    const r = analyzeFile(project, f, rules, loaded.config);
    results.push(r);
    facts.set(f, r.facts);
  }
  const proj = runProjectRules(project, rules, loaded.config, facts, (f) => project.readText(f));
  return {
    root, files: results, projectFindings: proj.findings,
    failures: [...results.flatMap((r) => r.failures), ...proj.failures],
    configProblems: loaded.problems, configSource: loaded.source,
  };
}

/** Every visible finding of a scan, in file order. */
export function visibleFindings(r: ScanResult): Finding[] {
  return [...r.files.flatMap((f) => f.findings), ...r.projectFindings.filter((f) => !f.suppressed)]
    .sort((a, b) => a.fileName.localeCompare(b.fileName) || a.start - b.start);
}

export function suppressedFindings(r: ScanResult): Finding[] {
  return [...r.files.flatMap((f) => f.suppressed), ...r.projectFindings.filter((f) => f.suppressed)];
}
