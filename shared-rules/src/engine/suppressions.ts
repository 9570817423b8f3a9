/** Suppression comments (RULES.md E11): every form needs `-- reason`. */
export interface Suppression {
  kind: 'next-line' | 'line' | 'file';
  ruleIds: string[];
  reason: string;
  /** 0-based line the comment is on. */
  line: number;
  start: number;
  end: number;
  /** Set once a finding used it. */
  used?: boolean;
}

/** Text every suppression comment contains (a file without it has none to check). */
export const SUPPRESSION_MARKER = 'api-warden-ignore-';

const PATTERN = /(?:\/\/|\/\*)[ \t]*api-warden-ignore-(next-line|line|file)\b([^\n]*)/g;

export function parseSuppressions(text: string, lineOf: (offset: number) => number): Suppression[] {
  if (!text.includes(SUPPRESSION_MARKER)) return [];
  const out: Suppression[] = [];
  for (const m of text.matchAll(PATTERN)) {
    let rest = m[2];
    const close = rest.indexOf('*/');
    if (close >= 0) rest = rest.slice(0, close);
    const sep = rest.indexOf('--');
    const idsPart = sep >= 0 ? rest.slice(0, sep) : rest;
    const reason = sep >= 0 ? rest.slice(sep + 2).trim() : '';
    const ruleIds = idsPart.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
    const start = m.index!;
    out.push({ kind: m[1] as Suppression['kind'], ruleIds, reason, line: lineOf(start), start, end: start + m[0].length - (m[2].length - rest.length) });
  }
  return out;
}

/** Finds the suppression that covers a finding of `ruleId` starting on `line`, if any. */
export function findSuppression(list: Suppression[], ruleId: string, line: number): Suppression | undefined {
  return list.find((s) => s.reason && s.ruleIds.includes(ruleId)
    && (s.kind === 'file' || (s.kind === 'next-line' && s.line + 1 === line) || (s.kind === 'line' && s.line === line)));
}
