import ts = require('typescript');
import { CodeFix, defineRule, Severity } from '../../engine/types';
import type { ResolvedCall } from '../../model/calls';
import { envRead, evaluate, propertyName } from '../../model/constEval';
import { removeListElement } from '../../model/edits';
import { skipOuter } from '../../model/imports';
import { SIGN_CALLS, VERIFY_CALLS, JOSE_VERIFY_CALLS, versionAtLeast } from '../../model/jwtApi';
import { requestSource } from '../../model/requestInput';
import { isSecretsTestLike } from '../../model/secretValues';
import { requireEnvSuggestion } from '../../model/requireEnvFix';
import { findDeclaration } from '../../model/scope';
import { isCredentialName } from '../../model/sensitiveNames';
import { containsKnownToken } from '../../model/tokenFormats';
import { ENV_FALLBACK_RELEVANCE } from '../../model/textGates';

const { SyntaxKind } = ts;

const CONFIG_GET = '@nestjs/config.ConfigService#get';
const ENVALID = ['envalid.str', 'envalid.host', 'envalid.url', 'envalid.json', 'envalid.email'];
/** Options that hold a signing or verification key (an outbound client's `apiKey` is not one: empty only fails calls). */
const KEY_PROPS = /^(secret|secretOrKey|secretOrPrivateKey|privateKey|signingKey|jwtSecret|sessionSecret|cookieSecret|hmacKey|webhookSecret|signingSecret)$/;

/** Where the fallback applies: an env read, or a ConfigService lookup (whose fix is getOrThrow). */
interface EnvSource { name: string; config?: ts.CallExpression }

interface Candidate {
  node: ts.Node;
  name: string;
  fallback: ts.Expression;
  empty: boolean;
  suggestions: CodeFix[];
}

export default defineRule({
  meta: {
    id: 'secrets/env-literal-fallback',
    title: 'Secret read from the environment with a hard-coded fallback',
    description: '`process.env.JWT_SECRET || \'dev-secret\'` and config-library defaults: a deployment that forgets the variable runs with a secret written in the code.',
    defaultSeverity: 'error',
    checklist: ['secrets'],
    owasp: ['API8', 'API2'],
    cwe: [798, 1188],
    scope: 'file',
    needsTypes: false,
    fixable: 'suggestion',
    relevance: ENV_FALLBACK_RELEVANCE,
  },
  create(context) {
    const model = context.model;
    const candidates: Candidate[] = [];
    const comparisons: [ts.Expression, ts.Expression][] = [];
    const keySinks: ts.Expression[] = [];

    /** The env variable a `||`/`??` left side reads (`process.env.A || process.env.B`, `config.get('A')`). */
    const envSourceOf = (expr: ts.Expression): EnvSource | undefined => {
      const e = skipOuter(expr);
      if ((ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) && isEnvHolder(e.expression)) {
        const name = envRead(e);
        if (name) return { name };
      }
      if (ts.isCallExpression(e)) {
        const callee = skipOuter(e.expression);
        if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'get' || !e.arguments[0] || !ts.isStringLiteralLike(e.arguments[0])) return undefined;
        if (callee.expression.getText() === 'Deno.env') return { name: e.arguments[0].text };
        const call = model.resolveCall(e);
        if (call?.symbol === CONFIG_GET && e.arguments.length === 1 && ts.isStringLiteralLike(e.arguments[0])) return { name: e.arguments[0].text, config: e };
      }
      if (ts.isBinaryExpression(e) && isFallbackOperator(e)) {
        const sources = [envSourceOf(e.left), envSourceOf(e.right)].filter((s): s is EnvSource => !!s);
        return sources.find((s) => isCredentialName(s.name)) ?? sources[0];
      }
      return undefined;
    };

    /** A constant fallback value: non-empty string/number, or the empty string. */
    const constantFallback = (expr: ts.Expression): { empty: boolean } | undefined => {
      const v = evaluate(model, expr);
      if (v.kind === 'string') return containsKnownToken(v.value) ? undefined : { empty: v.value === '' };
      if (v.kind === 'number') return { empty: false };
      return undefined;
    };

    const getOrThrowText = (call: ts.CallExpression, name: string): string | undefined => {
      const callee = skipOuter(call.expression) as ts.PropertyAccessExpression;
      if (versionAtLeast(context.project, '@nestjs/config', context.fileName, [2, 2, 0]) === false) return undefined;
      const typeArgs = call.typeArguments ? `<${call.typeArguments.map((t) => t.getText()).join(', ')}>` : '';
      return `${callee.expression.getText()}.getOrThrow${typeArgs}('${name}')`;
    };

    const replaceWith = (node: ts.Node, newText: string, title: string): CodeFix => ({
      title, edits: [{ fileName: context.fileName, start: node.getStart(), end: node.getEnd(), newText }],
    });

    const onFallback = (b: ts.BinaryExpression) => {
      if (!isFallbackOperator(b)) return;
      const right = skipOuter(b.right);
      if (!ts.isStringLiteralLike(right) && !ts.isNumericLiteral(right) && !ts.isIdentifier(right) && !ts.isPropertyAccessExpression(right)) return;
      // `(process.env.A || 'x') || 'y'`: the outer expression is the one reported.
      if (ts.isBinaryExpression(b.parent) && isFallbackOperator(b.parent) && b.parent.left === b) return;
      const src = envSourceOf(b.left);
      if (!src || !isCredentialName(src.name)) return;
      const fb = constantFallback(b.right);
      if (!fb) return;
      const suggestions: CodeFix[] = [];
      const got = src.config && getOrThrowText(src.config, src.name);
      if (got) suggestions.push(replaceWith(b, got, `Use getOrThrow('${src.name}') (start-up fails when it is missing)`));
      else suggestions.push(requireEnvSuggestion(b, src.name, `Require ${src.name} with requireEnv() (start-up fails when it is missing)`));
      candidates.push({ node: b, name: src.name, fallback: b.right, empty: fb.empty, suggestions });
    };

    const onConfigGet = (call: ResolvedCall) => {
      const c = call.node;
      if (!ts.isCallExpression(c) || call.wrapper || c.arguments.length < 2) return;
      const key = c.arguments[0];
      if (!ts.isStringLiteralLike(key) || !isCredentialName(key.text)) return;
      // `get('X', { infer: true })` is an options object, not a default value.
      const fb = constantFallback(c.arguments[1]);
      if (!fb) return;
      const got = getOrThrowText(c, key.text);
      const suggestions = got ? [replaceWith(c, got, `Use getOrThrow('${key.text}') (start-up fails when it is missing)`)]
        : [requireEnvSuggestion(c, key.text, `Require ${key.text} with requireEnv() (start-up fails when it is missing)`)];
      candidates.push({ node: c, name: key.text, fallback: c.arguments[1], empty: fb.empty, suggestions });
    };

    const onBindingDefault = (el: ts.BindingElement) => {
      if (!el.initializer || !ts.isObjectBindingPattern(el.parent)) return;
      const decl = el.parent.parent;
      if (!ts.isVariableDeclaration(decl) || !decl.initializer || !isEnvObject(decl.initializer)) return;
      const name = el.propertyName ? propertyName(el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : undefined;
      if (!name || !isCredentialName(name)) return;
      const fb = constantFallback(el.initializer);
      if (!fb) return;
      const sf = context.sourceFile;
      const suggestions: CodeFix[] = [{
        title: `Remove the default of ${name} (then check at start-up that it is set)`,
        edits: [{ fileName: context.fileName, start: el.name.getEnd(), end: el.initializer.getEnd(), newText: '' }],
      }];
      void sf;
      candidates.push({ node: el, name, fallback: el.initializer, empty: fb.empty, suggestions });
    };

    /** envalid `str({ default: 'x' })` under a secret-named key; `devDefault` is envalid's dev-only default. */
    const onEnvalid = (call: ResolvedCall) => {
      const c = call.node;
      const opts = c.arguments?.[0] && skipOuter(c.arguments[0]);
      if (!opts || !ts.isObjectLiteralExpression(opts)) return;
      const name = keyOfSchemaEntry(c);
      if (!name || !isCredentialName(name)) return;
      const def = opts.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === 'default');
      if (!def) return;
      const fb = constantFallback(def.initializer);
      if (!fb) return;
      candidates.push({
        node: def, name, fallback: def.initializer, empty: fb.empty,
        suggestions: [{ title: `Remove the default of ${name} (envalid then fails at start-up when it is missing)`, edits: [removeListElement(opts.properties, def)] }],
      });
    };

    /** zod `.default('x')` on a secret-named key of an env schema. */
    const onCall = (n: ts.Node) => {
      const c = n as ts.CallExpression;
      const callee = skipOuter(c.expression);
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'default' || c.arguments.length !== 1) return;
      if (!isZodChain(callee.expression)) return;
      let top: ts.Expression = c;
      while (ts.isPropertyAccessExpression(top.parent) && top.parent.expression === top && ts.isCallExpression(top.parent.parent)) top = top.parent.parent;
      const name = keyOfSchemaEntry(top);
      if (!name || !isCredentialName(name)) return;
      const fb = constantFallback(c.arguments[0]);
      if (!fb) return;
      candidates.push({
        node: c, name, fallback: c.arguments[0], empty: fb.empty,
        suggestions: [{ title: `Remove .default(…) from ${name} (validation then fails at start-up when it is missing)`, edits: [{ fileName: context.fileName, start: callee.expression.getEnd(), end: c.getEnd(), newText: '' }] }],
      });
    };

    const isZodChain = (e: ts.Expression): boolean => {
      let cur = skipOuter(e);
      for (let i = 0; i < 20; i++) {
        if (ts.isCallExpression(cur)) cur = skipOuter(cur.expression);
        else if (ts.isPropertyAccessExpression(cur)) {
          const sym = model.librarySymbol(cur);
          if (sym && /^zod(\/v\d+|\/mini)?\./.test(sym)) return true;
          cur = skipOuter(cur.expression);
        } else break;
      }
      const sym = ts.isIdentifier(cur) ? model.librarySymbol(cur) : undefined;
      return !!sym && /^zod(\/v\d+|\/mini)?(\.|$)/.test(sym);
    };

    const calls: Record<string, (c: ResolvedCall) => void> = { [CONFIG_GET]: onConfigGet };
    for (const s of ENVALID) calls[s] = onEnvalid;
    for (const [sym, spec] of Object.entries({ ...SIGN_CALLS, ...VERIFY_CALLS, ...JOSE_VERIFY_CALLS })) {
      if (spec.key === undefined) continue;
      const prev = calls[sym];
      calls[sym] = (c) => { prev?.(c); const k = c.args[spec.key!]; if (k && !c.wrapper) keySinks.push(k); };
    }
    calls['crypto.createHmac'] = (c) => { if (c.args[1]) keySinks.push(c.args[1]); };

    return {
      nodes: {
        BinaryExpression: (n) => {
          const b = n as ts.BinaryExpression;
          const op = b.operatorToken.kind;
          if (op === SyntaxKind.EqualsEqualsEqualsToken || op === SyntaxKind.ExclamationEqualsEqualsToken || op === SyntaxKind.EqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken) comparisons.push([b.left, b.right]);
          else onFallback(b);
        },
        BindingElement: (n) => onBindingDefault(n as ts.BindingElement),
        CallExpression: onCall,
        PropertyAssignment: (n) => {
          const p = n as ts.PropertyAssignment;
          const name = propertyName(p.name);
          if (name && KEY_PROPS.test(name)) keySinks.push(p.initializer);
        },
      },
      calls,
      fileEnd() {
        for (const c of candidates) {
          let severity: Severity = 'error';
          let message: string;
          if (c.empty) {
            const sink = reachesSink(c);
            severity = sink ? 'warning' : 'info';
            message = sink === 'compare'
              ? `\`${c.name}\` falls back to an empty string and is compared with request input: when the variable is unset, a request without the value matches; fail at start-up instead.`
              : sink === 'key'
                ? `\`${c.name}\` falls back to an empty string and is used as a signing or verification key: when the variable is unset, tokens are signed with an empty secret; fail at start-up instead.`
                : `\`${c.name}\` falls back to an empty string: a missing variable goes unnoticed until something fails later; fail at start-up instead.`;
          } else {
            message = `\`${c.name}\` falls back to a hard-coded value when the variable is unset: a deployment that forgets it silently runs with a secret anyone reading the code knows; fail at start-up instead.`;
          }
          if (inDevBranch(c.node)) { severity = 'info'; message = message.replace(/: /, ' (only in a development branch): '); }
          if (isSecretsTestLike(context.isTestLike, context.fileName, context.project.root)) severity = 'info';
          context.report({ node: c.node, severity, message, suggestions: c.suggestions });
        }
      },
    };

    function reachesSink(c: Candidate): 'compare' | 'key' | undefined {
      const value: ts.Node = ts.isBindingElement(c.node) ? c.node.name : c.node;
      const refers = (expr: ts.Expression): boolean => {
        const e = skipOuter(expr);
        if (e === value || e === c.fallback) return true;
        if (!ts.isIdentifier(e)) return false;
        const d = findDeclaration(e);
        if (!d) return false;
        if (ts.isBindingElement(c.node)) return d.nameNode === c.node.name;
        return !d.path && !!d.initializer && skipOuter(d.initializer) === value;
      };
      for (const [l, r] of comparisons) {
        if ((refers(l) && requestSource(r)) || (refers(r) && requestSource(l))) return 'compare';
      }
      if (keySinks.some(refers)) return 'key';
      // `{ secret: process.env.X ?? '' }`
      const p = value.parent;
      if (p && ts.isPropertyAssignment(p) && p.initializer === value && KEY_PROPS.test(propertyName(p.name) ?? '')) return 'key';
      return undefined;
    }
  },
});

function isFallbackOperator(b: ts.BinaryExpression): boolean {
  return b.operatorToken.kind === SyntaxKind.BarBarToken || b.operatorToken.kind === SyntaxKind.QuestionQuestionToken;
}

/** Cheap syntactic test before envRead(): `process.env`, `import.meta.env`, `Bun.env`. */
function isEnvHolder(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return ts.isPropertyAccessExpression(x) && x.name.text === 'env';
}

function isEnvObject(e: ts.Expression): boolean {
  const t = skipOuter(e).getText();
  return t === 'process.env' || t === 'import.meta.env' || t === 'Bun.env';
}

/** The key of an env schema entry whose value is `expr` (`{ JWT_SECRET: z.string()… }`). */
function keyOfSchemaEntry(expr: ts.Node): string | undefined {
  const p = expr.parent;
  return p && ts.isPropertyAssignment(p) && p.initializer === expr ? propertyName(p.name) : undefined;
}

/** Polarity of a condition: true when it holds only in development/test, false when only in production. */
function devPolarity(cond: ts.Expression): boolean | undefined {
  const e = skipOuter(cond);
  if (ts.isPrefixUnaryExpression(e) && e.operator === SyntaxKind.ExclamationToken) {
    const p = devPolarity(e.operand);
    return p === undefined ? undefined : !p;
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    const eq = op === SyntaxKind.EqualsEqualsEqualsToken || op === SyntaxKind.EqualsEqualsToken;
    const ne = op === SyntaxKind.ExclamationEqualsEqualsToken || op === SyntaxKind.ExclamationEqualsToken;
    if (eq || ne) {
      const [envSide, lit] = ts.isStringLiteralLike(skipOuter(e.right)) ? [e.left, skipOuter(e.right)] : [e.right, skipOuter(e.left)];
      if (!ts.isStringLiteralLike(lit) || !/NODE_ENV|nodeEnv|APP_ENV|appEnv|environment|\benv\b|get\(['"]env['"]\)|mode\b/i.test(envSide.getText())) return undefined;
      const v = lit.text.toLowerCase();
      const dev = /^(development|dev|test|testing|local)$/.test(v) ? true : /^(production|prod)$/.test(v) ? false : undefined;
      if (dev === undefined) return undefined;
      return eq ? dev : !dev;
    }
    if (op === SyntaxKind.AmpersandAmpersandToken) return devPolarity(e.left) === true || devPolarity(e.right) === true ? true : undefined;
    return undefined;
  }
  const text = e.getText();
  if (/^(import\.meta\.env\.DEV|__DEV__)$/.test(text)) return true;
  if (text === 'import.meta.env.PROD') return false;
  const last = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : undefined;
  if (!last) return undefined;
  if (/^(is)?(dev|development|local|test|testing)(mode|env|environment)?$/i.test(last)) return true;
  if (/^(is)?(prod|production)(mode|env|environment)?$/i.test(last)) return false;
  return undefined;
}

function inDevBranch(node: ts.Node): boolean {
  for (let cur: ts.Node = node, p = node.parent; p && !ts.isSourceFile(p); cur = p, p = p.parent) {
    if (ts.isConditionalExpression(p) && (cur === p.whenTrue || cur === p.whenFalse)) {
      const pol = devPolarity(p.condition);
      if (pol !== undefined && (cur === p.whenTrue) === pol) return true;
    } else if (ts.isIfStatement(p) && (cur === p.thenStatement || cur === p.elseStatement)) {
      const pol = devPolarity(p.expression);
      if (pol !== undefined && (cur === p.thenStatement) === pol) return true;
    } else if (ts.isBinaryExpression(p) && p.operatorToken.kind === SyntaxKind.AmpersandAmpersandToken && cur === p.right) {
      if (devPolarity(p.left) === true) return true;
    }
  }
  return false;
}
