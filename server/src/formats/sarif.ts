import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as fs from 'node:fs';
import type { Finding, Rule, ScanResult } from '../../../shared-rules/src';
import { allRules, INVALID_SUPPRESSION, lineColumn, suppressedFindings, visibleFindings } from '../../../shared-rules/src';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** SARIF 2.1.0 as GitHub code scanning accepts it: one run, rules with help URIs, relative artifact paths. */
export function formatSarif(result: ScanResult, version: string, rules: readonly Rule[] = allRules): string {
  const findings = [...visibleFindings(result), ...suppressedFindings(result)];
  const usedIds = [...new Set([...rules.map((r) => r.meta.id), ...findings.map((f) => f.ruleId)])];
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  const descriptors = usedIds.map((id) => {
    const r = byId.get(id);
    const title = r?.meta.title ?? (id === INVALID_SUPPRESSION ? 'Invalid suppression comment' : id);
    const description = r?.meta.description ?? (id === INVALID_SUPPRESSION ? 'A suppression comment lacks a reason or names an unknown rule.' : title);
    return {
      id, name: id.split('/').map(pascal).join(''),
      shortDescription: { text: title },
      fullDescription: { text: description },
      helpUri: findings.find((f) => f.ruleId === id)?.docsUrl ?? docsUrl(id),
      help: { text: `${description} See ${docsUrl(id)}` },
      defaultConfiguration: { level: r ? (r.meta.defaultSeverity === 'off' ? 'none' : LEVEL[r.meta.defaultSeverity]) : 'warning' },
      properties: {
        tags: ['security', ...(r?.meta.owasp ?? []).map((o) => `OWASP-${o}:2023`), ...(r?.meta.cwe ?? []).map((c) => `external/cwe/cwe-${c}`)],
        ...(r ? { precision: 'high', 'security-severity': securitySeverity(r) } : {}),
      },
    };
  });
  const index = new Map(usedIds.map((id, i) => [id, i]));
  const srcRoot = pathToFileURL(result.root + path.sep).href;
  const positions = positionsOf(result);
  const occurrences = new Map<string, number>();
  const results = findings.map((f: Finding) => ({
    ruleId: f.ruleId, ruleIndex: index.get(f.ruleId)!, level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{
      physicalLocation: {
        artifactLocation: { uri: relUri(result.root, f.fileName), uriBaseId: 'SRCROOT' },
        region: { startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1 },
      },
    }],
    ...(f.related.length ? {
      relatedLocations: f.related.map((r, i) => {
        const pos = positions(r.fileName);
        const start = pos(r.start), end = pos(r.end);
        return {
          id: i + 1,
          physicalLocation: {
            artifactLocation: { uri: relUri(result.root, r.fileName), uriBaseId: 'SRCROOT' },
            region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
          },
          message: { text: r.message },
        };
      }),
    } : {}),
    partialFingerprints: { 'apiWarden/v1': fingerprint(f, result.root, occurrences) },
    ...(f.fix ? {
      fixes: [{
        description: { text: f.fix.title },
        artifactChanges: groupEdits(f.fix.edits, result.root),
      }],
    } : {}),
    ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: f.suppressed.reason }] } : {}),
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'API Warden', semanticVersion: version, informationUri: 'https://github.com/api-warden/api-warden', rules: descriptors } },
      originalUriBaseIds: { SRCROOT: { uri: srcRoot } },
      results,
      invocations: [{
        executionSuccessful: true,
        // Rules that threw on a file (fault isolation) and files that were not analysed: shown as tool notifications.
        toolExecutionNotifications: [
          ...result.failures.map((x) => ({
            level: 'warning', message: { text: `Rule ${x.ruleId} failed and was skipped for this file: ${x.message}` },
            locations: [{ physicalLocation: { artifactLocation: { uri: relUri(result.root, x.fileName), uriBaseId: 'SRCROOT' } } }],
          })),
          ...result.files.filter((x) => x.skipped).map((x) => ({
            level: 'note', message: { text: `File ${x.skipped}.` },
            locations: [{ physicalLocation: { artifactLocation: { uri: relUri(result.root, x.fileName), uriBaseId: 'SRCROOT' } } }],
          })),
        ],
      }],
      columnKind: 'utf16CodeUnits',
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function groupEdits(edits: { fileName: string; start: number; end: number; newText: string }[], root: string) {
  const byFile = new Map<string, typeof edits>();
  for (const e of edits) { if (!byFile.has(e.fileName)) byFile.set(e.fileName, []); byFile.get(e.fileName)!.push(e); }
  return [...byFile].map(([file, es]) => ({
    artifactLocation: { uri: relUri(root, file), uriBaseId: 'SRCROOT' },
    replacements: es.map((e) => ({ deletedRegion: { charOffset: e.start, charLength: e.end - e.start }, insertedContent: { text: e.newText } })),
  }));
}

function relUri(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).map(encodeURIComponent).join('/') || encodeURIComponent(path.basename(file));
}

/** Line/column of offsets in any workspace file (related locations may point into files other than the finding's). */
function positionsOf(result: ScanResult): (fileName: string) => (offset: number) => { line: number; character: number } {
  const cache = new Map<string, (offset: number) => { line: number; character: number }>();
  return (fileName) => {
    let lc = cache.get(fileName);
    if (!lc) {
      let text = '';
      try { text = fs.readFileSync(fileName, 'utf8'); } catch { /* unreadable: offsets map to line 1 */ }
      lc = lineColumn(text);
      cache.set(fileName, lc);
    }
    return lc;
  };
}

function fingerprint(f: Finding, root: string, occurrences: Map<string, number>): string {
  // Stable across unrelated edits above the finding: rule, file and the message, not the line number; the n-th
  // identical (rule, file, message) keeps its own fingerprint so code scanning does not merge distinct findings.
  const key = `${f.ruleId}|${relUri(root, f.fileName)}|${f.message}`;
  const n = occurrences.get(key) ?? 0;
  occurrences.set(key, n + 1);
  const s = n ? `${key}|${n}` : key;
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function securitySeverity(r: Rule): string {
  return r.meta.defaultSeverity === 'error' ? '8.0' : r.meta.defaultSeverity === 'warning' ? '5.5' : '3.0';
}

function pascal(s: string): string {
  return s.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

function docsUrl(id: string): string {
  return `https://github.com/api-warden/api-warden/blob/main/docs/rules/${id}.md`;
}
