import * as path from 'node:path';
import type { Finding, ScanResult } from '../../../shared-rules/src';
import { suppressedFindings, visibleFindings } from '../../../shared-rules/src';

const useColor = () => process.stdout.isTTY && !process.env.NO_COLOR;
const c = (code: number, s: string) => (useColor() ? `\u001b[${code}m${s}\u001b[0m` : s);

/** ESLint-"stylish"-like text: a header per file, one line per finding, a summary. */
export function formatStylish(result: ScanResult, cwd = process.cwd()): string {
  const findings = visibleFindings(result);
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!byFile.has(f.fileName)) byFile.set(f.fileName, []);
    byFile.get(f.fileName)!.push(f);
  }
  const lines: string[] = [];
  for (const [file, fs] of byFile) {
    lines.push('', c(4, path.relative(cwd, file) || file));
    for (const f of fs) {
      const pos = `${f.range.start.line + 1}:${f.range.start.character + 1}`.padEnd(8);
      const sev = f.severity === 'error' ? c(31, 'error  ') : f.severity === 'warning' ? c(33, 'warning') : c(36, 'info   ');
      const hint = f.fix ? '  (fix available)' : f.suggestions.length ? '  (suggestion available)' : '';
      lines.push(`  ${pos}${sev}  ${f.message}  ${c(2, f.ruleId)}${c(2, hint)}`);
    }
  }
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const suppressed = suppressedFindings(result).length;
  const skipped = result.files.filter((f) => f.skipped);
  for (const s of skipped) lines.push(c(2, `${path.relative(cwd, s.fileName)}: ${s.skipped}`));
  lines.push('', `${findings.length} problem${findings.length === 1 ? '' : 's'} (${count('error')} error${count('error') === 1 ? '' : 's'}, ${count('warning')} warning${count('warning') === 1 ? '' : 's'}, ${count('info')} info) in ${result.files.length} file${result.files.length === 1 ? '' : 's'}`
    + (suppressed ? `, ${suppressed} suppressed` : '') + (skipped.length ? `, ${skipped.length} skipped` : ''));
  return lines.join('\n') + '\n';
}
