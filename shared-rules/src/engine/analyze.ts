import ts = require('typescript');
import type { ResolvedCall } from '../model/calls';
import type { FileModel } from '../model/fileModel';
import { effectiveSeverity, WardenConfig } from './config';
import { findSuppression, parseSuppressions, Suppression, SUPPRESSION_MARKER } from './suppressions';
import { relevanceChecker } from './relevance';
import type { Project } from './project';
import {
  CodeFix, docsUrlFor, Finding, NodeKindName, NodeVisitor, ProjectReport, ReportDescriptor, Rule, RuleContext, RuleRelevance, Severity,
} from './types';

const { SyntaxKind, forEachChild } = ts; // read once: `ts.X` is a getter call

/** The engine's own findings (suppression comments that are wrong). */
export const INVALID_SUPPRESSION = 'api-warden/invalid-suppression';

export interface RuleFailure { ruleId: string; fileName: string; message: string }

export interface FileResult {
  fileName: string;
  /** Visible findings (not suppressed). */
  findings: Finding[];
  /** Findings covered by a suppression comment: counted, not shown. */
  suppressed: Finding[];
  /** Why the file was not analysed, if it was not. */
  skipped?: string;
  /** Rules that threw on this file: disabled for it, reported once. */
  failures: RuleFailure[];
  /** Per-rule facts for project rules (a rule that added none has no entry). */
  facts: Map<string, unknown[]>;
}

/**
 * Test, fixture, example and seed paths (E11): plain folders (`test/`, `__mocks__/`, `fixtures/`, `stubs/`, `tap/`,
 * `testdata/`, `cypress/`, `playwright/`), prefixed or suffixed ones (`integration-tests/`, `browser-test/`,
 * `test-utils/`, `test-support/`, `test-d/`, `e2e-tests/`, `testing/`), and test, mock, fixture, stub, fake and
 * story file names. One fact for every rule: rules do not add their own test-path lists.
 */
const TEST_LIKE = new RegExp([
  String.raw`(^|[\\/])(__tests__|__mocks__|__fixtures__|tests?|specs?|fixtures?|examples?|demo|e2e|mocks?|stubs?|fakes?|tap|testdata|testing|cypress|playwright)[\\/]`,
  String.raw`(^|[\\/])([\w.-]*[-_.](tests?|specs?|e2e|fixtures?)|(tests?|specs?|integration|e2e)[-_.][\w.-]*)[\\/]`,
  String.raw`\.(test|spec|e2e|test-d|mocks?|fixture|stub|fake|stories|story)\.[cm]?[jt]sx?$`,
  String.raw`(^|[\\/])(fixtures?|test-?helpers?|test-?utils?)\.[cm]?[jt]sx?$`,
  String.raw`(^|[\\/])seeds?[^\\/]*\.[cm]?[jt]s$`,
].join('|'), 'i');

export function isTestLikePath(fileName: string, root?: string): boolean {
  const rel = root && fileName.startsWith(root) ? fileName.slice(root.length) : fileName;
  return TEST_LIKE.test(rel);
}

const KIND_COUNT = SyntaxKind.Count + 1;

/** Node kinds by name, for visitors keyed by name (a lookup in the enum object itself is a slow keyed load). */
const KIND_BY_NAME = new Map<string, ts.SyntaxKind>(Object.entries(SyntaxKind).filter((e): e is [string, ts.SyntaxKind] => typeof e[1] === 'number'));

/** The enabled rules of a configuration, each with its relevance for its options (computed once per rule list and configuration). */
const enabledCache = new WeakMap<readonly Rule[], WeakMap<WardenConfig, { rule: Rule; relevance?: RuleRelevance }[]>>();
function enabledRules(rules: readonly Rule[], config: WardenConfig): { rule: Rule; relevance?: RuleRelevance }[] {
  let byConfig = enabledCache.get(rules);
  if (!byConfig) { byConfig = new WeakMap(); enabledCache.set(rules, byConfig); }
  let list = byConfig.get(config);
  if (!list) {
    list = [];
    for (const rule of rules) {
      const setting = config.rules[rule.meta.id];
      if (!setting || setting.severity === 'off') continue;
      const r = rule.meta.relevance;
      list.push({ rule, relevance: typeof r === 'function' ? r(setting.options) : r });
    }
    byConfig.set(config, list);
  }
  return list;
}

/** Analyses one file: one parse (cached in the project), one walk, every enabled rule dispatched from it. */
export function analyzeFile(project: Project, fileName: string, rules: readonly Rule[], config: WardenConfig): FileResult {
  const result: FileResult = { fileName, findings: [], suppressed: [], failures: [], facts: new Map() };
  const peeked = project.peek(fileName);
  if (peeked.text === undefined) { result.skipped = peeked.skipped ?? 'not analysed'; return result; }
  const text = peeked.text;

  // Relevance is decided on text: a file no enabled rule can report in (and without suppression comments to check)
  // is not parsed for itself; other files may still parse it when they follow an import into it.
  const active: Rule[] = [];
  const relevant = relevanceChecker(project, fileName, text);
  for (const { rule, relevance } of enabledRules(rules, config)) if (!relevance || relevant(relevance)) active.push(rule);
  if (active.length === 0 && !text.includes(SUPPRESSION_MARKER)) return result;

  const model = project.getModel(fileName);
  if (!model) { result.skipped = project.getSkipReason(fileName) ?? 'not analysed'; return result; }
  const sf = model.sourceFile;
  const isTestLike = isTestLikePath(fileName, project.root);

  // Dispatch tables: handlers by node kind (an array indexed by SyntaxKind) and by canonical call symbol; a rule is
  // named by its index into `ruleIds`/`disabled` so the per-node check is an array read.
  const byKind: ({ rule: number; fn: NodeVisitor }[] | undefined)[] = new Array(KIND_COUNT).fill(undefined);
  // Call handlers stay in each rule's own table, looked up once a call resolves (few do): no per-file merge.
  const callTables: { rule: number; table: Record<string, (c: ResolvedCall) => void> }[] = [];
  const endHandlers: { rule: number; fn: () => void }[] = [];
  const ruleIds: string[] = [];
  const disabled: boolean[] = [];
  const raw: Finding[] = [];

  const fail = (rule: number, err: unknown) => {
    if (disabled[rule]) return;
    disabled[rule] = true;
    const e = err as Error;
    result.failures.push({ ruleId: ruleIds[rule], fileName, message: `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}${e?.stack ? ' @ ' + (e.stack.split('\n')[1] ?? '').trim() : ''}` });
  };

  for (const rule of active) {
    const setting = config.rules[rule.meta.id];
    const ruleId = rule.meta.id;
    const index = ruleIds.length;
    ruleIds.push(ruleId);
    disabled.push(false);
    let facts: unknown[] | undefined;
    const context: RuleContext = {
      sourceFile: sf, fileName, model, project, options: setting.options, isTestLike,
      report: (d) => {
        const sev = effectiveSeverity(setting.severity, rule.meta.defaultSeverity, d.severity);
        if (!sev) return;
        const f = toFinding(ruleId, sev, sf, d);
        if (f) raw.push(f);
      },
      addFact: (fact) => {
        if (!facts) { facts = []; result.facts.set(ruleId, facts); }
        facts.push(fact);
      },
    };
    let visitors;
    try { visitors = rule.create(context); } catch (e) { fail(index, e); continue; }
    const nodes = visitors.nodes;
    if (nodes) for (const name in nodes) {
      const fn = nodes[name as NodeKindName];
      if (fn) (byKind[KIND_BY_NAME.get(name)!] ??= []).push({ rule: index, fn });
    }
    if (visitors.calls) callTables.push({ rule: index, table: visitors.calls });
    if (visitors.fileEnd) endHandlers.push({ rule: index, fn: visitors.fileEnd });
  }

  const wantsCalls = callTables.length > 0;
  const CALL = SyntaxKind.CallExpression;
  const NEW = SyntaxKind.NewExpression;
  const visit = (node: ts.Node): void => {
    const kind = node.kind;
    const hs = byKind[kind];
    if (hs !== undefined) for (let i = 0; i < hs.length; i++) {
      const h = hs[i];
      if (disabled[h.rule]) continue;
      try { h.fn(node); } catch (e) { fail(h.rule, e); }
    }
    if (wantsCalls && (kind === CALL || kind === NEW)) {
      let call: ResolvedCall | undefined;
      try { call = model.resolveCall(node as ts.CallExpression); } catch (e) { result.failures.push({ ruleId: 'api-warden/engine', fileName, message: `call resolution failed: ${(e as Error).message}` }); }
      if (call) for (let i = 0; i < callTables.length; i++) {
        const t = callTables[i];
        const fn = Object.prototype.hasOwnProperty.call(t.table, call.symbol) ? t.table[call.symbol] : undefined;
        if (!fn || disabled[t.rule]) continue;
        try { fn(call); } catch (e) { fail(t.rule, e); }
      }
    }
    forEachChild(node, visit);
  };
  visit(sf);
  for (const h of endHandlers) {
    if (disabled[h.rule]) continue;
    try { h.fn(); } catch (e) { fail(h.rule, e); }
  }
  // A rule that threw contributes nothing for this file (its partial findings could be wrong).
  const off = new Set(ruleIds.filter((_, i) => disabled[i]));
  const kept = dedupe(off.size ? raw.filter((f) => !off.has(f.ruleId)) : raw);
  applySuppressions(sf, kept, rules, result);
  return result;
}

function toFinding(ruleId: string, severity: Severity, sf: ts.SourceFile, d: ReportDescriptor): Finding | undefined {
  if (d.node.getSourceFile() !== sf) return undefined; // reported where that node is written
  const start = d.range?.start ?? d.node.getStart(sf);
  const end = d.range?.end ?? d.node.getEnd();
  return {
    ruleId, severity, fileName: sf.fileName, start, end,
    range: { start: sf.getLineAndCharacterOfPosition(start), end: sf.getLineAndCharacterOfPosition(end) },
    message: d.message, docsUrl: docsUrlFor(ruleId),
    fix: d.fix && normaliseFix(d.fix, sf), suggestions: (d.suggestions ?? []).map((s) => normaliseFix(s, sf)),
    related: (d.related ?? []).map((r) => ({ fileName: r.node.getSourceFile().fileName, start: r.node.getStart(), end: r.node.getEnd(), message: r.message })),
  };
}

function normaliseFix(fix: CodeFix, sf: ts.SourceFile): CodeFix {
  return { title: fix.title, edits: fix.edits.map((e) => ({ ...e, fileName: e.fileName || sf.fileName })) };
}

/** Precedence on one node (E11): one finding per family; JWT and session secret rules beat `secrets/*`. */
function dedupe(findings: Finding[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    const family = f.ruleId.split('/')[0];
    const key = `${f.start}:${f.end}:${family}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out.filter((f) => !(f.ruleId.startsWith('secrets/') && out.some((g) => (g.ruleId.startsWith('jwt/') || g.ruleId.startsWith('session/'))
    && g.start <= f.start && g.end >= f.end)));
}

function applySuppressions(sf: ts.SourceFile, findings: Finding[], rules: readonly Rule[], result: FileResult): void {
  const sups = parseSuppressions(sf.text, (o) => sf.getLineAndCharacterOfPosition(o).line);
  const known = new Set(rules.map((r) => r.meta.id));
  for (const f of findings) {
    const s = findSuppression(sups, f.ruleId, f.range.start.line);
    if (s) { s.used = true; f.suppressed = { reason: s.reason, line: s.line }; result.suppressed.push(f); }
    else result.findings.push(f);
  }
  for (const s of sups) result.findings.push(...suppressionProblems(sf, s, known));
}

function suppressionProblems(sf: ts.SourceFile, s: Suppression, known: Set<string>): Finding[] {
  const problems: string[] = [];
  if (s.ruleIds.length === 0) problems.push(`api-warden-ignore-${s.kind} must name the rule it silences (e.g. jwt/verify-without-algorithms)`);
  for (const id of s.ruleIds) if (!known.has(id)) problems.push(`api-warden-ignore-${s.kind} names unknown rule "${id}"`);
  if (!s.reason) problems.push(`api-warden-ignore-${s.kind} needs a reason after "--" (e.g. "-- token is verified by the gateway"); without it nothing is suppressed`);
  return problems.map((message) => ({
    ruleId: INVALID_SUPPRESSION, severity: 'warning' as Severity, fileName: sf.fileName, start: s.start, end: s.end,
    range: { start: sf.getLineAndCharacterOfPosition(s.start), end: sf.getLineAndCharacterOfPosition(s.end) },
    message, docsUrl: docsUrlFor(INVALID_SUPPRESSION), suggestions: [], related: [],
  }));
}

/** Runs project rules over every file's facts; findings are located by offsets in the named files. */
export function runProjectRules(project: Project, rules: readonly Rule[], config: WardenConfig,
  factsByFile: ReadonlyMap<string, Map<string, unknown[]>>, readText: (f: string) => string | undefined): { findings: Finding[]; failures: RuleFailure[] } {
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  for (const rule of rules) {
    if (!rule.projectEnd) continue;
    const setting = config.rules[rule.meta.id];
    if (!setting || setting.severity === 'off') continue;
    const facts = new Map<string, unknown[]>();
    for (const [file, m] of factsByFile) { const f = m.get(rule.meta.id); if (f && f.length) facts.set(file, f); }
    try {
      rule.projectEnd(facts, {
        options: setting.options, readText, project,
        report: (r: ProjectReport) => {
          const sev = effectiveSeverity(setting.severity, rule.meta.defaultSeverity, r.severity);
          if (!sev) return;
          const text = readText(r.fileName) ?? '';
          const lc = lineColumn(text);
          findings.push({
            ruleId: rule.meta.id, severity: sev, fileName: r.fileName, start: r.start, end: r.end,
            range: { start: lc(r.start), end: lc(r.end) }, message: r.message, docsUrl: docsUrlFor(rule.meta.id),
            fix: r.fix, suggestions: r.suggestions ?? [], related: [],
          });
        },
      });
    } catch (e) {
      failures.push({ ruleId: rule.meta.id, fileName: project.root, message: (e as Error).message });
    }
  }
  // Suppressions apply to project findings too.
  const visible: Finding[] = [];
  for (const f of findings) {
    const text = readText(f.fileName) ?? '';
    const sups = parseSuppressions(text, (o) => lineColumn(text)(o).line);
    const s = findSuppression(sups, f.ruleId, f.range.start.line);
    if (s) f.suppressed = { reason: s.reason, line: s.line };
    visible.push(f);
  }
  return { findings: visible, failures };
}

export function lineColumn(text: string): (offset: number) => { line: number; character: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= offset) lo = mid; else hi = mid - 1; }
    return { line: lo, character: offset - starts[lo] };
  };
}

export type { FileModel };
