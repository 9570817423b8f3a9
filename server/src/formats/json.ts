import * as path from 'node:path';
import type { Finding, ScanResult } from '../../../shared-rules/src';
import { suppressedFindings, visibleFindings } from '../../../shared-rules/src';

/** Machine-readable output for scripts: stable field names, paths relative to the scan root. */
export function formatJson(result: ScanResult): string {
  const rel = (f: string) => path.relative(result.root, f).split(path.sep).join('/') || path.basename(f);
  const one = (f: Finding) => ({
    ruleId: f.ruleId, severity: f.severity, file: rel(f.fileName),
    line: f.range.start.line + 1, column: f.range.start.character + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1,
    message: f.message, docsUrl: f.docsUrl,
    fix: f.fix ? { title: f.fix.title, edits: f.fix.edits.map((e) => ({ ...e, fileName: rel(e.fileName) })) } : undefined,
    suggestions: f.suggestions.map((s) => ({ title: s.title, edits: s.edits.map((e) => ({ ...e, fileName: rel(e.fileName) })) })),
    ...(f.suppressed ? { suppressed: f.suppressed } : {}),
  });
  return JSON.stringify({
    findings: visibleFindings(result).map(one),
    suppressed: suppressedFindings(result).map(one),
    skipped: result.files.filter((f) => f.skipped).map((f) => ({ file: rel(f.fileName), reason: f.skipped })),
    ruleFailures: result.failures.map((f) => ({ ...f, fileName: rel(f.fileName) })),
    filesScanned: result.files.length,
  }, null, 2) + '\n';
}
