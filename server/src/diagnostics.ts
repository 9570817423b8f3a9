import { Diagnostic, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../../shared-rules/src';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** Data carried on every diagnostic so code actions can find the finding again. */
export interface DiagnosticData { ruleId: string; key: string }

export function findingKey(f: Finding): string {
  return `${f.ruleId}@${f.start}:${f.end}:${f.message.length}`;
}

export function toDiagnostic(f: Finding, doc: TextDocument | undefined): Diagnostic {
  const range = doc
    ? { start: doc.positionAt(f.start), end: doc.positionAt(f.end) }
    : f.range;
  return {
    range,
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    codeDescription: { href: f.docsUrl },
    source: 'api-warden',
    message: f.message,
    data: { ruleId: f.ruleId, key: findingKey(f) } satisfies DiagnosticData,
    relatedInformation: f.related.length
      ? f.related.map((r) => ({ location: { uri: pathToFileURL(r.fileName).href, range: { start: f.range.start, end: f.range.end } }, message: r.message }))
      : undefined,
  };
}

export function skippedDiagnostic(reason: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Hint,
    source: 'api-warden',
    message: `API Warden did not analyse this file (${reason}).`,
    tags: [] as DiagnosticTag[],
  };
}
