import ts = require('typescript');
import { CodeFix, defineRule, Severity, TextEdit } from '../../engine/types';
import { evaluate } from '../../model/constEval';
import { removeListElement, replaceNode } from '../../model/edits';
import { isEdgeRuntime, isFrontEndFile } from '../../model/fileKind';
import type { FileModel } from '../../model/fileModel';
import { skipOuter } from '../../model/imports';
import { generatorClass, KeyClass, keyClass, keyEvidence, leadingLiteral, referencesOf, Sink, sinkClass, sinkOf, sinkVisitors } from '../../model/keySinks';
import { CryptoImports } from '../../model/nodeCrypto';
import { assignmentsTo, Entropy, entropyOf, entropyVerdict, RandomSource } from '../../model/randomness';
import { Declaration, findDeclaration } from '../../model/scope';
import { KEY_NAMES, KEY_OR_IDENTIFIER_NAMES } from '../../model/textGates';

const { SyntaxKind } = ts;

const CLASS_WORDS: Record<KeyClass, string> = {
  apiKey: 'API key', token: 'token', secret: 'secret', password: 'password', session: 'session id', reset: 'one-time token', otp: 'one-time code',
  csrf: 'CSRF token', oauth: 'OAuth value', key: 'key', generic: 'value', identifier: 'identifier',
};

export default defineRule({
  meta: {
    id: 'apikey/insecure-generation',
    title: 'Key or token from a predictable source',
    description: 'API keys, tokens, reset codes and session ids generated with Math.random(), the clock, uuid v1/v3/v5/v6 or another non-cryptographic source can be predicted.',
    defaultSeverity: 'error',
    checklist: ['api-keys'],
    owasp: ['API2'],
    cwe: [338, 330, 340],
    scope: 'file',
    needsTypes: false,
    fixable: 'both',
    relevance: (options) => (options.reportIdentifiers === true ? KEY_OR_IDENTIFIER_NAMES : KEY_NAMES),
    options: {
      reportIdentifiers: { type: 'boolean', default: false, description: 'Also report (as info) identifiers such as requestId, traceId, idempotencyKey built from weak sources; they are not secrets.' },
    },
  },
  create(context) {
    const model = context.model;
    // Test code: generated fixtures protect nothing.
    if (context.isTestLike) return {};
    let frontEnd: boolean | undefined;
    let browserLike: boolean | undefined;
    const isFront = () => (frontEnd ??= isFrontEndFile(model));
    const isBrowserLike = () => (browserLike ??= isFront() || isEdgeRuntime(model));
    const reportedDecls = new Set<Declaration>();

    const check = (node: ts.Node) => {
      const sink = sinkOf(node);
      if (!sink) return;
      // `token = x` on a local declared here is judged at the declaration (with every assignment).
      if (sink.kind === 'variable' && ts.isBinaryExpression(node)) {
        const d = findDeclaration(sink.nameNode as ts.Identifier);
        if (d && d.kind === 'variable') return;
      }
      const cls = sinkClass(sink);
      if (!cls) return;
      if (cls === 'identifier' && context.options.reportIdentifiers !== true) return;
      if (isFront() && cls !== 'oauth') return;

      const decl = sink.kind === 'variable' && ts.isVariableDeclaration(node) ? findDeclaration(sink.nameNode as ts.Identifier) : undefined;
      const pieces: ts.Expression[] = [sink.value];
      if (decl && decl.kind === 'variable' && !decl.isConst) for (const a of assignmentsTo(decl)) pieces.push(a.right);
      const ent = combined(model, pieces, context.isTestLike);
      const verdict = entropyVerdict(ent);
      if (verdict === 'strong' || verdict === 'none' || ent.opaque) return;
      if (decl) reportedDecls.add(decl);

      // Reported where the value is first named key-like.
      const v = skipOuter(sink.value);
      const inner = ts.isAwaitExpression(v) ? skipOuter(v.expression) : v;
      if (ts.isIdentifier(inner)) {
        const d = findDeclaration(inner);
        if (d && d.kind === 'variable' && (reportedDecls.has(d) || isKeyLikeName(d.name))) return;
      }
      if (ent.via.some((f) => { const n = calleeName(f.node); return n !== undefined && generatorClass(n) !== undefined && generatorClass(n) !== 'generic'; })) return;

      let severity: Severity = 'error';
      let evidence = '';
      if (cls === 'generic') {
        const ev = keyEvidence(model, sink);
        if (!ev) return;
        severity = 'warning';
        evidence = ` (it is ${EVIDENCE_WORDS[ev]})`;
      }
      if (cls === 'identifier') severity = 'info';
      if (verdict === 'timeOrdered') severity = severity === 'error' ? 'warning' : severity;

      const reportAt = pieces.find((p) => { const e = entropyOf(model, p, context.isTestLike); const vv = entropyVerdict(e); return vv !== 'none' && vv !== 'strong'; }) ?? sink.value;
      const word = cls === 'oauth' ? (/nonce/i.test(sink.name) ? 'nonce' : /verifier|pkce/i.test(sink.name) ? 'PKCE code verifier' : /state/i.test(sink.name) ? 'OAuth state' : CLASS_WORDS[cls]) : CLASS_WORDS[cls];
      const what = cls === 'generic' ? `\`${sink.name}\`` : `${word} \`${sink.name}${sink.kind === 'return' ? '()' : ''}\``;
      const sources = describeSources(ent);
      const via = ent.via.length ? ` (through ${ent.via.map((f) => `\`${calleeName(f.node) ?? f.name}()\``).slice(0, 2).join(', ')})` : '';
      const message = cls === 'identifier'
        ? `\`${sink.name}\` comes from ${sources || 'uuid v7'}${via}: fine for an identifier, but not if it is ever trusted as a secret (use randomUUID() to be safe).`
        : verdict === 'timeOrdered'
        ? `The ${what} comes from uuid v7${via}, which is time-ordered (a timestamp plus 74 random bits): use randomUUID() for values that must not be guessed.`
        : verdict === 'time'
          ? `The ${what} is built only from the clock (${sources})${via}${evidence}, so it can be guessed: generate it with crypto.randomBytes() or randomUUID().`
          : `The ${what} comes from ${sources}${via}${evidence}, which is not a cryptographically secure random source, so it can be predicted: generate it with crypto.randomBytes() or randomUUID().`;

      const { fix, suggestions } = codeActions(model, sink, ent, verdict, isBrowserLike(), context.fileName);
      context.report({ node: reportAt, message, severity, fix, suggestions });
    };

    return { nodes: sinkVisitors(check) };
  },
});

const EVIDENCE_WORDS: Record<string, string> = {
  persisted: 'stored in the database', cookie: 'set as a cookie', response: 'sent to the client', redirect: 'put in a redirect URL',
  email: 'sent by e-mail or SMS', compared: 'compared with request input', oauth: 'part of an OAuth request',
};

function isKeyLikeName(name: string): boolean {
  const c = keyClass(name);
  return c !== undefined && c !== 'generic';
}

function calleeName(call: ts.Expression): string | undefined {
  const e = skipOuter(call);
  if (!ts.isCallExpression(e)) return undefined;
  const c = skipOuter(e.expression);
  return ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : undefined;
}

function combined(model: FileModel, pieces: ts.Expression[], isTestLike: boolean): Entropy {
  const out: Entropy = { strong: [], weak: [], time: [], timeOrdered: [], opaque: false, loop: false, via: [] };
  for (const p of pieces) {
    const e = entropyOf(model, p, isTestLike);
    out.strong.push(...e.strong); out.weak.push(...e.weak); out.time.push(...e.time); out.timeOrdered.push(...e.timeOrdered);
    out.opaque ||= e.opaque; out.loop ||= e.loop; out.via.push(...e.via);
  }
  return out;
}

function describeSources(ent: Entropy): string {
  const labels = [...new Set([...ent.weak, ...ent.time].map((s) => s.label))];
  return labels.slice(0, 3).join(' and ');
}

/** The shape-preserving fix (uuid v1/3/5/6 → randomUUID(), Math.floor(A + Math.random() * B) → randomInt), else a suggestion. */
function codeActions(model: FileModel, sink: Sink, ent: Entropy, verdict: string, browserLike: boolean, fileName: string): { fix?: CodeFix; suggestions: CodeFix[] } {
  const sf = model.sourceFile;
  const sources = [...ent.weak, ...ent.time, ...ent.timeOrdered];
  const inFile = sources.every((s) => s.node.getSourceFile() === sf);

  if (verdict === 'timeOrdered') {
    if (!inFile || !sources.every((s) => s.uuidVersion === 7)) return { suggestions: [] };
    const imports = new CryptoImports(model);
    const ref = browserLike ? 'crypto.randomUUID' : undefined;
    const edits: TextEdit[] = sources.map((s) => replaceNode(s.node, `${ref ?? imports.ref('randomUUID')}()`));
    return { suggestions: [{ title: 'Use randomUUID() (random, not time-ordered; ids no longer sort by creation time)', edits: mergeEdits([...edits, ...(browserLike ? [] : imports.importEdits()), ...dropUnusedImports(model, sources)]) }] };
  }

  if (inFile && sources.length > 0) {
    const imports = new CryptoImports(model);
    const edits: TextEdit[] = [];
    let ok = true;
    let kind = '';
    for (const s of sources) {
      if (s.uuidVersion && [1, 3, 5, 6].includes(s.uuidVersion)) {
        edits.push(replaceNode(s.node, browserLike ? 'crypto.randomUUID()' : `${imports.ref('randomUUID')}()`));
        kind ||= 'randomUUID()';
        continue;
      }
      const floor = !browserLike && s.label === 'Math.random()' ? floorPattern(model, s) : undefined;
      if (floor) {
        edits.push(replaceNode(floor.node, `${imports.ref('randomInt')}(${floor.args})`));
        kind ||= 'randomInt()';
        continue;
      }
      ok = false;
      break;
    }
    if (ok && edits.length) {
      return { fix: { title: `Generate it with ${kind === 'randomUUID()' ? 'crypto.randomUUID() (same format)' : 'crypto.randomInt() (same range)'}`, edits: mergeEdits([...edits, ...(browserLike ? [] : imports.importEdits()), ...dropUnusedImports(model, sources)]) }, suggestions: [] };
    }
  }

  // Suggestion: 32 random bytes, keeping a leading literal prefix.
  const target = suggestionTarget(sink);
  if (!target) return { suggestions: [] };
  const imports = new CryptoImports(model);
  const material = browserLike
    ? "Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('')"
    : `${imports.ref('randomBytes')}(32).toString('base64url')`;
  const replacement = withPrefix(target.expr, material);
  const edits: TextEdit[] = [replaceNode(target.expr, replacement), ...target.extra];
  if (!browserLike) edits.push(...imports.importEdits());
  if (sources.every((s) => s.node.getSourceFile() === sf)) edits.push(...dropUnusedImports(model, sources, [target.expr, ...target.removed]));
  void fileName;
  return {
    suggestions: [{
      title: `Use ${browserLike ? 'crypto.getRandomValues() (32 bytes, hex)' : "randomBytes(32).toString('base64url')"} (changes length and alphabet: check column sizes and validators)`,
      edits: mergeEdits(edits),
    }],
  };
}

/** What the suggestion replaces: the written value, or for a local variable its initializer (and a simple character-picking loop). */
function suggestionTarget(sink: Sink): { expr: ts.Expression; extra: TextEdit[]; removed: ts.Node[] } | undefined {
  let value = skipOuter(sink.value);
  if (ts.isAwaitExpression(value)) value = skipOuter(value.expression);
  let decl: Declaration | undefined;
  if (sink.kind === 'variable' && ts.isVariableDeclaration(sink.node)) decl = findDeclaration(sink.nameNode as ts.Identifier);
  else if (ts.isIdentifier(value)) {
    const d = findDeclaration(value);
    if (d && d.kind === 'variable' && d.initializer && !d.path && d.nameNode.getSourceFile() === sink.node.getSourceFile()) decl = d;
  }
  if (decl && decl.initializer && !decl.path && ts.isVariableDeclaration(decl.declaration)) {
    const assigns = decl.isConst ? [] : assignmentsTo(decl);
    if (assigns.length === 0) return { expr: decl.initializer, extra: [], removed: [] };
    // let s = ''; for (...) s += chars[...];  → s = <random>; loop removed
    if (assigns.length === 1 && assigns[0].operatorToken.kind === SyntaxKind.PlusEqualsToken) {
      const loop = simpleLoop(assigns[0]);
      if (loop) return { expr: decl.initializer, extra: [removeStatement(loop)], removed: [loop] };
    }
    return undefined;
  }
  if (sink.kind === 'variable' && !ts.isVariableDeclaration(sink.node)) return undefined;
  return { expr: sink.value, extra: [], removed: [] };
}

function simpleLoop(assign: ts.BinaryExpression): ts.Statement | undefined {
  const stmt = assign.parent;
  if (!ts.isExpressionStatement(stmt)) return undefined;
  let body: ts.Node = stmt.parent;
  let loop: ts.Node = body;
  if (ts.isBlock(body)) {
    if (body.statements.some((s) => s !== stmt && !ts.isVariableStatement(s))) return undefined;
    loop = body.parent;
  }
  if (!(ts.isForStatement(loop) || ts.isWhileStatement(loop) || ts.isForOfStatement(loop) || ts.isForInStatement(loop) || ts.isDoStatement(loop))) return undefined;
  body = loop;
  const parent = loop.parent;
  if (!ts.isBlock(parent) && !ts.isSourceFile(parent)) return undefined;
  return loop as ts.Statement;
}

function removeStatement(st: ts.Statement): TextEdit {
  const sf = st.getSourceFile();
  const start = st.getStart(sf);
  const lineStart = sf.getLineStarts()[sf.getLineAndCharacterOfPosition(start).line];
  const onlyIndent = /^[ \t]*$/.test(sf.text.slice(lineStart, start));
  let end = st.getEnd();
  if (onlyIndent && sf.text[end] === '\n') end += 1;
  else if (onlyIndent && sf.text.slice(end, end + 2) === '\r\n') end += 2;
  return { fileName: sf.fileName, start: onlyIndent ? lineStart : start, end, newText: '' };
}

function withPrefix(expr: ts.Expression, material: string): string {
  const e = skipOuter(expr);
  const prefix = leadingLiteral(e);
  if (!prefix || ts.isStringLiteralLike(e)) return material;
  if (ts.isTemplateExpression(e)) {
    const raw = e.head.getText().slice(1, -2); // between ` and ${
    return `\`${raw}\${${material}}\``;
  }
  let left: ts.Expression = e;
  while (ts.isBinaryExpression(left) && left.operatorToken.kind === SyntaxKind.PlusToken) left = skipOuter(left.left);
  return `${left.getText()} + ${material}`;
}

/** `Math.floor(Math.random() * B)`, `Math.floor(A + Math.random() * B)`, `Math.floor(Math.random() * B) + A` with integer A/B. */
function floorPattern(model: FileModel, src: RandomSource): { node: ts.Expression; args: string } | undefined {
  let cur: ts.Node = src.node;
  const up = (n: ts.Node): ts.Node => { let p = n.parent; while (ts.isParenthesizedExpression(p)) p = p.parent; return p; };
  const mul = up(cur);
  if (!ts.isBinaryExpression(mul) || mul.operatorToken.kind !== SyntaxKind.AsteriskToken) return undefined;
  const bExpr = skipOuter(mul.left) === src.node ? mul.right : mul.left;
  cur = mul;
  let aExpr: ts.Expression | undefined;
  let p = up(cur);
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === SyntaxKind.PlusToken) {
    aExpr = skipOuter(p.left) === skipOuter(mul as ts.Expression) || p.left === cur ? p.right : p.left;
    cur = p;
    p = up(cur);
  }
  if (!ts.isCallExpression(p) || p.arguments.length !== 1 || p.expression.getText() !== 'Math.floor') return undefined;
  let node: ts.Expression = p;
  // Math.floor(Math.random() * B) + A
  if (!aExpr) {
    const outer = up(p);
    if (ts.isBinaryExpression(outer) && outer.operatorToken.kind === SyntaxKind.PlusToken) {
      const other = outer.left === p || skipOuter(outer.left) === p ? outer.right : outer.left;
      const ov = evaluate(model, other);
      if (ov.kind === 'number' && Number.isSafeInteger(ov.value)) { aExpr = other; node = outer; }
    }
  }
  const b = evaluate(model, bExpr);
  const bIsLength = ts.isPropertyAccessExpression(skipOuter(bExpr)) && (skipOuter(bExpr) as ts.PropertyAccessExpression).name.text === 'length';
  if (!(b.kind === 'number' && Number.isSafeInteger(b.value) && b.value > 0) && !bIsLength) return undefined;
  const bText = bIsLength ? skipOuter(bExpr).getText() : String((b as { value: number }).value);
  if (!aExpr) return { node, args: bText };
  const a = evaluate(model, aExpr);
  if (a.kind !== 'number' || !Number.isSafeInteger(a.value)) return undefined;
  if (b.kind === 'number' && !bIsLength) return { node, args: `${a.value}, ${a.value + b.value}` };
  return { node, args: `${a.value}, ${a.value} + ${skipOuter(bExpr).getText()}` };
}

/** Removes `import { v1 } from 'uuid'` (or the specifier) when every use of it was replaced. */
function dropUnusedImports(model: FileModel, sources: RandomSource[], replacedRoots: ts.Node[] = []): TextEdit[] {
  const edits: TextEdit[] = [];
  const done = new Set<string>();
  for (const s of sources) {
    const call = skipOuter(s.node);
    if (!ts.isCallExpression(call)) continue;
    const callee = skipOuter(call.expression);
    if (!ts.isIdentifier(callee) || done.has(callee.text)) continue;
    if (!s.uuidVersion && !/nanoid|shortid/.test(s.label)) continue;
    done.add(callee.text);
    const d = findDeclaration(callee);
    if (!d || !(d.kind === 'import' || d.kind === 'variable' && d.initializer && /^require\(/.test(skipOuter(d.initializer).getText()))) continue;
    const replaced = new Set(sources.map((x) => x.node as ts.Node));
    const uses = referencesOf(d).filter((r) => {
      for (let p: ts.Node | undefined = r; p; p = p.parent) if (replaced.has(p) || replacedRoots.includes(p)) return false;
      return true;
    });
    if (uses.length) continue;
    const st = d.declaration;
    if (ts.isImportDeclaration(st) && st.importClause) {
      const nb = st.importClause.namedBindings;
      const onlyThis = !st.importClause.name && nb && ts.isNamedImports(nb) && nb.elements.length === 1;
      if (onlyThis || (st.importClause.name?.text === d.name && !nb)) { edits.push(removeStatementEdit(st)); continue; }
      if (nb && ts.isNamedImports(nb)) {
        const el = nb.elements.find((x) => x.name.text === d.name);
        if (el) edits.push(removeListElement(nb.elements, el));
      }
    } else if (ts.isVariableDeclaration(st) && ts.isVariableDeclarationList(st.parent) && ts.isVariableStatement(st.parent.parent) && st.parent.declarations.length === 1) {
      if (ts.isIdentifier(st.name)) edits.push(removeStatementEdit(st.parent.parent));
      else if (ts.isObjectBindingPattern(st.name)) {
        if (st.name.elements.length === 1) edits.push(removeStatementEdit(st.parent.parent));
        else { const el = st.name.elements.find((x) => ts.isIdentifier(x.name) && x.name.text === d.name); if (el) edits.push(removeListElement(st.name.elements, el)); }
      }
    }
  }
  return edits;
}

function removeStatementEdit(st: ts.Statement): TextEdit {
  return removeStatement(st);
}

/** An import added right where a removed import was: one replacing edit instead of two overlapping ones. */
function mergeEdits(edits: TextEdit[]): TextEdit[] {
  const out = [...edits];
  for (const ins of edits) {
    if (ins.start !== ins.end || !/node:crypto/.test(ins.newText)) continue;
    const r = out.find((x) => x !== ins && x.newText === '' && x.start <= ins.start && ins.start <= x.end);
    if (!r) continue;
    const consumedNewline = r.end > ins.start; // the removal took the line break after the statement
    r.newText = ins.newText.replace(/^\n/, '') + (consumedNewline ? '\n' : '');
    out.splice(out.indexOf(ins), 1);
  }
  return out;
}
