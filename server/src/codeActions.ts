import { CodeAction, CodeActionKind, Command, Diagnostic, Range, TextEdit as LspTextEdit, WorkspaceEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { pathToFileURL } from 'node:url';
import { lineColumn, type CodeFix, type Finding } from '../../shared-rules/src';
import { findingKey, toDiagnostic } from './diagnostics';

export const FIX_ALL_KIND = 'source.fixAll.apiWarden';
export const OPEN_DOCS_COMMAND = 'apiWarden.server.openDocs';
const REASON_PLACEHOLDER = 'reason: explain why this is safe';

/** The code actions of one finding, in vscode-eslint's order: fix, suggestions, ignore line, ignore file, docs. */
export function actionsFor(f: Finding, doc: TextDocument, diagnostic: Diagnostic, readText: (file: string) => string | undefined): CodeAction[] {
  const out: CodeAction[] = [];
  if (f.fix) out.push(editAction(`${f.fix.title} (${f.ruleId})`, f.fix, doc, diagnostic, true, readText));
  for (const s of f.suggestions) out.push(editAction(`${s.title} (${f.ruleId})`, s, doc, diagnostic, false, readText));
  out.push({
    title: `Ignore ${f.ruleId} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [doc.uri]: [ignoreNextLineEdit(doc, f.ruleId, f.range.start.line)] } },
  });
  out.push({
    title: `Ignore ${f.ruleId} for this file`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [doc.uri]: [ignoreFileEdit(doc, f.ruleId)] } },
  });
  out.push({
    title: `Show documentation for ${f.ruleId}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: Command.create(`Show documentation for ${f.ruleId}`, OPEN_DOCS_COMMAND, f.docsUrl),
  });
  return out;
}

function editAction(title: string, fix: CodeFix, doc: TextDocument, diagnostic: Diagnostic, preferred: boolean, readText: (file: string) => string | undefined): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred || undefined, edit: workspaceEdit(fix, doc, readText) };
}

/**
 * Edits are offsets into the analysed text; the document here is that same version. Edits of other files
 * (`.env.example`, `.gitignore`) are positioned in those files' current text (empty when the file is new).
 */
export function workspaceEdit(fix: CodeFix, doc: TextDocument, readText: (file: string) => string | undefined): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of fix.edits) {
    const uri = pathToFileURL(e.fileName).href === pathToFileURL(docPath(doc)).href ? doc.uri : pathToFileURL(e.fileName).href;
    let range: Range;
    if (uri === doc.uri) range = { start: doc.positionAt(e.start), end: doc.positionAt(e.end) };
    else {
      const at = lineColumn(readText(e.fileName) ?? '');
      range = { start: at(e.start), end: at(e.end) };
    }
    (changes[uri] ??= []).push({ range, newText: e.newText });
  }
  return { changes };
}

function docPath(doc: TextDocument): string {
  try { return new URL(doc.uri).pathname ? decodeURIComponent(new URL(doc.uri).pathname) : doc.uri; } catch { return doc.uri; }
}

/** Adds `// api-warden-ignore-next-line <id> -- reason` above the line, merging into an existing comment there. */
export function ignoreNextLineEdit(doc: TextDocument, ruleId: string, line: number): LspTextEdit {
  const lines = doc.getText().split(/\r?\n/);
  const prev = line > 0 ? lines[line - 1] : undefined;
  const m = prev !== undefined ? /^(\s*\/\/\s*api-warden-ignore-next-line\s+)(.*?)(\s+--(?:\s.*)?)?$/.exec(prev) : null;
  if (m && prev !== undefined) {
    const ids = m[2].split(/[\s,]+/).filter(Boolean);
    if (!ids.includes(ruleId)) ids.push(ruleId);
    const merged = `${m[1]}${ids.join(', ')}${m[3] ?? ` -- ${REASON_PLACEHOLDER}`}`;
    return { range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: prev.length } }, newText: merged };
  }
  const indent = /^\s*/.exec(lines[line] ?? '')![0];
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}// api-warden-ignore-next-line ${ruleId} -- ${REASON_PLACEHOLDER}\n` };
}

export function ignoreFileEdit(doc: TextDocument, ruleId: string): LspTextEdit {
  const text = doc.getText();
  const line = text.startsWith('#!') ? 1 : 0;
  return { range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `/* api-warden-ignore-file ${ruleId} -- ${REASON_PLACEHOLDER} */\n` };
}

/** "Fix all": every preferred fix of the document whose edits do not overlap an earlier one. */
export function fixAllAction(findings: Finding[], doc: TextDocument): CodeAction | undefined {
  const edits: LspTextEdit[] = [];
  const taken: [number, number][] = [];
  for (const f of findings) {
    if (!f.fix || f.fix.edits.some((e) => e.fileName !== f.fileName)) continue;
    if (f.fix.edits.some((e) => taken.some(([s, en]) => e.start < en && e.end > s))) continue;
    for (const e of f.fix.edits) { taken.push([e.start, e.end]); edits.push({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText }); }
  }
  if (!edits.length) return undefined;
  return { title: 'Fix all auto-fixable API Warden problems', kind: FIX_ALL_KIND, edit: { changes: { [doc.uri]: edits } } };
}

/** Matches the client's diagnostics (from context) to our findings by the key we put in `data`. */
export function findingsForDiagnostics(findings: Finding[], diagnostics: Diagnostic[], range: Range, doc: TextDocument): { finding: Finding; diagnostic: Diagnostic }[] {
  const byKey = new Map(findings.map((f) => [findingKey(f), f]));
  const out: { finding: Finding; diagnostic: Diagnostic }[] = [];
  const seen = new Set<Finding>();
  for (const d of diagnostics) {
    const key = (d.data as { key?: string } | undefined)?.key;
    const f = key ? byKey.get(key) : findings.find((x) => x.ruleId === d.code && x.range.start.line === d.range.start.line);
    if (f && !seen.has(f)) { seen.add(f); out.push({ finding: f, diagnostic: d }); }
  }
  // Clients that send no diagnostics in the context (or only some): every finding on the requested lines.
  for (const f of findings) {
    if (seen.has(f)) continue;
    if (f.range.start.line <= range.end.line && f.range.end.line >= range.start.line) { seen.add(f); out.push({ finding: f, diagnostic: toDiagnostic(f, doc) }); }
  }
  return out;
}
