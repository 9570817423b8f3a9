import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import ts = require('typescript');
import { analyzeFile, defaultConfig, Finding, Project, Rule, runProjectRules, TextEdit } from '../../shared-rules/src';

/** A test case: the code of `src/app.ts` (or `filename`), plus other workspace files (package.json, modules). */
export interface Case {
  name?: string;
  code: string;
  filename?: string;
  files?: Record<string, string>;
  options?: Record<string, unknown>;
}

export interface ExpectedError {
  /** Substring (or pattern) of the message. */
  message?: string | RegExp;
  /** 1-based line of the finding's start. */
  line?: number;
  severity?: 'error' | 'warning' | 'info';
  /** Expected fix output (whole main file), or `null` for "no fix". */
  fixOutput?: string | null;
  /** Expected suggestions, by index: title substring and/or whole output. */
  suggestions?: { title?: string | RegExp; output?: string }[];
}

export interface InvalidCase extends Case { errors: ExpectedError[] }

let counter = 0;

/** Analyses a virtual workspace held in memory (overlays), with only the rule under test enabled. */
export function runRule(rule: Rule, c: Case): { findings: Finding[]; text: string; fileName: string; project: Project } {
  const root = path.resolve('/virtual', `ws${++counter}`);
  const project = new Project(root);
  const fileName = path.join(root, c.filename ?? 'src/app.ts');
  project.setOverlay(fileName, c.code, 1);
  for (const [rel, text] of Object.entries(c.files ?? {})) project.setOverlay(path.join(root, rel), text, 1);
  const config = defaultConfig([rule]);
  if (config.rules[rule.meta.id].severity === 'off') config.rules[rule.meta.id].severity = rule.meta.defaultSeverity === 'off' ? 'info' : rule.meta.defaultSeverity;
  if (config.rules[rule.meta.id].severity === 'off') config.rules[rule.meta.id].severity = 'info';
  Object.assign(config.rules[rule.meta.id].options, c.options ?? {});
  const result = analyzeFile(project, fileName, [rule], config);
  assert.deepEqual(result.failures, [], `rule threw: ${JSON.stringify(result.failures)}`);
  let findings = result.findings.filter((f) => f.ruleId === rule.meta.id);
  if (rule.projectEnd) {
    const facts = new Map<string, Map<string, unknown[]>>([[fileName, result.facts]]);
    for (const rel of Object.keys(c.files ?? {})) {
      const other = path.join(root, rel);
      if (/\.[cm]?[jt]sx?$/.test(rel)) facts.set(other, analyzeFile(project, other, [rule], config).facts);
    }
    const pr = runProjectRules(project, [rule], config, facts, (f) => project.readText(f));
    findings = [...findings, ...pr.findings.filter((f) => !f.suppressed && f.fileName === fileName)];
  }
  return { findings, text: c.code, fileName, project };
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function syntaxErrors(fileName: string, text: string): number {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  return ((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics ?? []).length;
}

/** Applies a code action, re-parses and re-analyses: the finding is gone and no syntax error appeared. */
export function checkCodeAction(rule: Rule, c: Case, finding: Finding, edits: TextEdit[], fileName: string): string {
  const mine = edits.filter((e) => e.fileName === fileName);
  const output = applyEdits(c.code, mine);
  assert.ok(syntaxErrors(fileName, output) <= syntaxErrors(fileName, c.code), `code action introduced a syntax error:\n${output}`);
  const before = runRule(rule, c).findings.length;
  const after = runRule(rule, { ...c, code: output }).findings;
  const sameSpot = after.filter((f) => f.range.start.line === finding.range.start.line && f.message === finding.message);
  assert.ok(after.length < before || sameSpot.length === 0, `finding still present after applying the code action:\n${output}\n${after.map((f) => f.message).join('\n')}`);
  return output;
}

/** typescript-eslint style: `valid` must stay silent, `invalid` must produce exactly the listed errors. */
export function ruleTester(rule: Rule, cases: { valid: (Case | string)[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    describe('valid', () => {
      for (const v of cases.valid) {
        const c = typeof v === 'string' ? { code: v } : v;
        it(c.name ?? firstLine(c.code), () => {
          const { findings } = runRule(rule, c);
          assert.deepEqual(findings.map((f) => `${f.range.start.line + 1}: ${f.message}`), [], 'expected no findings');
        });
      }
    });
    describe('invalid', () => {
      for (const c of cases.invalid) {
        it(c.name ?? firstLine(c.code), () => {
          const { findings, fileName } = runRule(rule, c);
          assert.equal(findings.length, c.errors.length, `expected ${c.errors.length} finding(s), got:\n${findings.map((f) => `${f.range.start.line + 1}: [${f.severity}] ${f.message}`).join('\n')}`);
          findings.forEach((f, i) => {
            const exp = c.errors[i];
            if (exp.line !== undefined) assert.equal(f.range.start.line + 1, exp.line, `line of finding ${i}`);
            if (exp.severity) assert.equal(f.severity, exp.severity, `severity of finding ${i}: ${f.message}`);
            if (exp.message) {
              if (typeof exp.message === 'string') assert.ok(f.message.includes(exp.message), `message "${f.message}" lacks "${exp.message}"`);
              else assert.match(f.message, exp.message);
            }
            if (exp.fixOutput !== undefined) {
              if (exp.fixOutput === null) assert.equal(f.fix, undefined, 'expected no fix');
              else {
                assert.ok(f.fix, 'expected a fix');
                assert.equal(checkCodeAction(rule, c, f, f.fix!.edits, fileName), exp.fixOutput);
              }
            } else if (f.fix) checkCodeAction(rule, c, f, f.fix.edits, fileName);
            if (exp.suggestions) assert.equal(f.suggestions.length, exp.suggestions.length, `suggestions: ${f.suggestions.map((s) => s.title).join(' | ')}`);
            f.suggestions.forEach((s, j) => {
              const out = checkCodeAction(rule, c, f, s.edits, fileName);
              const es = exp.suggestions?.[j];
              if (es?.title) typeof es.title === 'string' ? assert.ok(s.title.includes(es.title), `suggestion title "${s.title}"`) : assert.match(s.title, es.title);
              if (es?.output !== undefined) assert.equal(out, es.output);
            });
          });
        });
      }
    });
  });
}

function firstLine(code: string): string {
  const l = code.trim().split('\n').find((x) => !/^\s*(import|const \w+ = require)/.test(x)) ?? code.trim().split('\n')[0];
  return l.trim().slice(0, 100);
}
