import ts = require('typescript');

const { SyntaxKind } = ts;

/**
 * What a text offset of a file is part of: a string-like literal, a comment, or other code. Used by rules that
 * match patterns over the raw file text (one regex pass per file) and then need the node the match belongs to.
 */
export type TextSite =
  | { kind: 'literal'; node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateHead | ts.TemplateMiddle | ts.TemplateTail | ts.JsxText }
  | { kind: 'comment'; start: number; end: number }
  | { kind: 'other'; node: ts.Node };

/** Finds the token or comment at `pos` by descending from the source file (no full walk). */
export function siteAt(sf: ts.SourceFile, pos: number): TextSite {
  let node: ts.Node = sf;
  for (;;) {
    let next: ts.Node | undefined;
    ts.forEachChild(node, (c) => {
      if (c.pos <= pos && pos < c.end) { next = c; return true; }
      return undefined;
    });
    if (!next) break;
    node = next;
  }
  const text = sf.text;
  const tokenStart = node === sf ? 0 : node.getStart(sf);
  if (node !== sf && pos < tokenStart) {
    for (const r of ts.getLeadingCommentRanges(text, node.pos) ?? []) if (r.pos <= pos && pos < r.end) return { kind: 'comment', start: r.pos, end: r.end };
    return { kind: 'other', node };
  }
  switch (node.kind) {
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
    case SyntaxKind.TemplateHead:
    case SyntaxKind.TemplateMiddle:
    case SyntaxKind.TemplateTail:
    case SyntaxKind.JsxText:
      return { kind: 'literal', node: node as Extract<TextSite, { kind: 'literal' }>['node'] };
  }
  // Between this node's children (or its own punctuation): scan the trivia from the last child that ends before pos.
  let from = tokenStart;
  ts.forEachChild(node, (c) => { if (c.end <= pos && c.end > from) from = c.end; });
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, sf.languageVariant, text, undefined, from, node.end - from);
  for (let k = scanner.scan(); k !== SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    const s = scanner.getTokenStart();
    if (s > pos) break;
    if ((k === SyntaxKind.SingleLineCommentTrivia || k === SyntaxKind.MultiLineCommentTrivia) && pos < scanner.getTokenEnd()) {
      return { kind: 'comment', start: s, end: scanner.getTokenEnd() };
    }
  }
  return { kind: 'other', node };
}

/** The cooked text of a literal site (escape sequences resolved). */
export function literalText(node: Extract<TextSite, { kind: 'literal' }>['node']): string {
  return node.text;
}
