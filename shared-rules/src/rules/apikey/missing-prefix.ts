import ts = require('typescript');
import { defineRule, TextEdit } from '../../engine/types';
import { dataWriteOf } from '../../model/dataWrites';
import { replaceNode } from '../../model/edits';
import { isFrontEndFile, moduleStyle } from '../../model/fileKind';
import type { FileModel } from '../../model/fileModel';
import { skipOuter } from '../../model/imports';
import { enclosingFunctionLike, functionName, generatorClass, keyClass, leadingLiteral, referencesOf, Sink, sinkOf, sinkVisitors } from '../../model/keySinks';
import { importInsertionPoint } from '../../model/nodeCrypto';
import { randomSource } from '../../model/randomness';
import { declarationsOf, findDeclaration } from '../../model/scope';
import { STRONG_RANDOM_KEY_RELEVANCE } from '../../model/textGates';

const { SyntaxKind } = ts;

const PREFIX = /^[a-z][a-z0-9]{1,10}_/i;
const PASS = /^(toString|slice|substring|substr|replace|replaceAll|toUpperCase|toLowerCase|padStart|padEnd|trim)$/;

export default defineRule({
  meta: {
    id: 'apikey/missing-prefix',
    title: 'Generated API key without an identifying prefix',
    description: 'API keys made only of random material cannot be recognised by secret scanners, routed by type or redacted by pattern: give them a prefix such as `acme_live_`.',
    defaultSeverity: 'info',
    checklist: ['api-keys'],
    owasp: ['API8'],
    cwe: [],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
    relevance: STRONG_RANDOM_KEY_RELEVANCE,
  },
  create(context) {
    const model = context.model;
    if (context.isTestLike) return {};
    let front: boolean | undefined;
    const check = (node: ts.Node) => {
      const sink = sinkOf(node);
      if (!sink) return;
      // Cheapest test first: most values are not random material at all.
      const material = pureRandom(model, sink.value);
      if (!material) return;
      if (!isApiKeySink(model, sink)) return;
      if (sink.kind === 'variable' && ts.isBinaryExpression(node)) {
        const d = findDeclaration(sink.nameNode as ts.Identifier);
        if (d && d.kind === 'variable' && d.initializer) return; // judged at the declaration
      }
      if (prefixedLater(sink)) return; // return `fbk_${secret}`
      if ((front ??= isFrontEndFile(model))) return;
      const edits: TextEdit[] = [replaceNode(material.replace, `\`\${KEY_PREFIX}_\${${material.text}}\``)];
      if (!declarationsOf(context.sourceFile).has('KEY_PREFIX')) edits.push(prefixDeclaration(model));
      context.report({
        node: sink.value,
        message: `The API key \`${sink.name}${sink.kind === 'return' ? '()' : ''}\` is only random material (${material.label}) with no identifying prefix: a prefix such as \`acme_live_\` lets secret scanners find leaked keys and lets you route, revoke and redact them by type.`,
        suggestions: [{ title: "Prefix the key: `${KEY_PREFIX}_…` with `const KEY_PREFIX = 'myapp'` (update the code that validates keys)", edits }],
      });
    };
    return { nodes: sinkVisitors(check) };
  },
});

/**
 * An API-key-class sink: a name that classifies as an API key (`apiKey`, `apiToken`, `accessKey`, `personalAccessToken`),
 * a generator named for API keys (`generateApiKey()`), or a bare `key`/`token`/`secret` that is stored in an API-key
 * table or produced inside such a generator.
 */
function isApiKeySink(model: FileModel, sink: Sink): boolean {
  if (sink.kind === 'return') return generatorClass(sink.name) === 'apiKey';
  const cls = keyClass(sink.name);
  if (cls === 'apiKey') return true;
  if (cls !== 'generic' && cls !== 'token' && cls !== 'secret') return false;
  if (!/^(key|token|secret|plain(text)?Key|raw(Key|Token)|new(Key|Token))$/i.test(sink.name)) return false;
  const fn = enclosingFunctionLike(sink.node);
  const fnName = fn && functionName(fn)?.name;
  if (fnName && (generatorClass(fnName) === 'apiKey' || /api_?key|apitoken|api_?token/i.test(fnName))) return true;
  // stored in an API-key table: prisma.apiKey.create({ data: { key } }), knex('api_keys').insert({ token })
  if (sink.kind === 'variable' && ts.isIdentifier(sink.nameNode)) {
    const d = findDeclaration(sink.nameNode);
    if (!d) return false;
    for (const ref of referencesOf(d)) {
      for (let p: ts.Node | undefined = ref.parent; p && !ts.isFunctionLike(p) && !ts.isBlock(p); p = p.parent) {
        if (ts.isCallExpression(p) || ts.isNewExpression(p)) {
          const w = dataWriteOf(model, p);
          if (w?.target && keyClass(w.target.replace(/[^A-Za-z0-9_]/g, '')) === 'apiKey') return true;
        }
      }
    }
  }
  return false;
}

/** The variable is later used behind a literal prefix: `` `fbk_${secret}` ``, `'ak_' + key`. */
function prefixedLater(sink: Sink): boolean {
  if (sink.kind !== 'variable' || !ts.isIdentifier(sink.nameNode)) return false;
  const d = findDeclaration(sink.nameNode);
  if (!d) return false;
  for (const ref of referencesOf(d)) {
    const p = ref.parent;
    if (ts.isTemplateSpan(p) && p.parent.templateSpans[0] === p && PREFIX.test(p.parent.head.text)) return true;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === SyntaxKind.PlusToken && p.right === ref) {
      const lit = leadingLiteral(p.left);
      if (lit !== undefined && PREFIX.test(lit)) return true;
    }
  }
  return false;
}

/** The value when it is nothing but CSPRNG output (`randomBytes(24).toString('base64url')`, `randomUUID()`, `nanoid()`). */
function pureRandom(model: FileModel, value: ts.Expression, depth = 0): { replace: ts.Expression; text: string; label: string } | undefined {
  if (depth > 4) return undefined;
  let e = skipOuter(value);
  if (ts.isAwaitExpression(e)) e = skipOuter(e.expression);
  const lit = leadingLiteral(e);
  if (lit !== undefined && PREFIX.test(lit)) return undefined;
  if (ts.isTemplateExpression(e)) {
    if (e.head.text || e.templateSpans.length !== 1 || e.templateSpans[0].literal.text) return undefined;
    const inner = pureRandom(model, e.templateSpans[0].expression, depth + 1);
    return inner ? { replace: e, text: inner.text, label: inner.label } : undefined;
  }
  if (ts.isCallExpression(e)) {
    const src = randomSource(model, e);
    if (src) return src.strength === 'strong' && !/customAlphabet|customRandom/.test(src.label) ? { replace: e, text: e.getText(), label: src.label } : undefined;
    const callee = skipOuter(e.expression);
    if (ts.isPropertyAccessExpression(callee) && PASS.test(callee.name.text)) {
      const inner = pureRandom(model, callee.expression, depth + 1);
      return inner ? { replace: e, text: e.getText(), label: inner.label } : undefined;
    }
    return undefined;
  }
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    if (!d || d.kind !== 'variable' || !d.initializer || d.path || !d.isConst) return undefined;
    const own = sinkOf(d.declaration);
    if (own && isApiKeySink(model, own)) return undefined; // judged at that declaration
    const inner = pureRandom(model, d.initializer, depth + 1);
    return inner ? { replace: e, text: e.getText(), label: inner.label } : undefined;
  }
  return undefined;
}

function prefixDeclaration(model: FileModel): TextEdit {
  const sf = model.sourceFile;
  const at = importInsertionPoint(sf, moduleStyle(model));
  const text = "const KEY_PREFIX = 'myapp'; // identifies this service's keys (e.g. 'acme_live')";
  return { fileName: sf.fileName, start: at.pos, end: at.pos, newText: at.before + text + at.after };
}
