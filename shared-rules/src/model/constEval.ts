import ts = require('typescript');
import type { FileModel } from './fileModel';
import { skipOuter } from './imports';
import { isReassigned } from './scope';

const { SyntaxKind } = ts;

/** What an expression is known to evaluate to (RULES.md E2). `union` keeps every possibility (`a || 'x'`). */
export type Value =
  | { kind: 'string'; value: string; node: ts.Node; bytes?: boolean }
  | { kind: 'number'; value: number; node: ts.Node }
  | { kind: 'boolean'; value: boolean; node: ts.Node }
  | { kind: 'null' | 'undefined'; node: ts.Node }
  | { kind: 'array'; elements: Value[]; hasUnknown: boolean; node: ts.Node }
  | { kind: 'object'; props: Map<string, PropEntry>; hasUnknownSpread: boolean; node: ts.Node }
  | { kind: 'env'; name: string; node: ts.Node }
  | { kind: 'file'; path?: string; node: ts.Node }
  | { kind: 'time'; unit: 'ms' | 's'; offset: number; node: ts.Node }
  | { kind: 'function'; node: ts.Node; model: FileModel }
  | { kind: 'union'; options: Value[]; node: ts.Node }
  | { kind: 'unknown'; node: ts.Node; symbol?: string };

/** One property of an evaluated object literal; its value is evaluated on demand. */
export interface PropEntry {
  /** The PropertyAssignment / ShorthandPropertyAssignment / method node (for edits and reports). */
  node: ts.Node;
  /** The value expression, when there is one. */
  valueNode?: ts.Expression;
  model: FileModel;
}

const MAX_DEPTH = 10;

export function evaluate(model: FileModel, expr: ts.Expression | undefined, depth = 0): Value {
  if (!expr) return { kind: 'undefined', node: model.sourceFile };
  if (depth > MAX_DEPTH) return { kind: 'unknown', node: expr };
  const e = skipOuter(expr);
  switch (e.kind) {
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
      return { kind: 'string', value: (e as ts.StringLiteralLike).text, node: e };
    case SyntaxKind.NumericLiteral:
      return { kind: 'number', value: Number((e as ts.NumericLiteral).text), node: e };
    case SyntaxKind.TrueKeyword: return { kind: 'boolean', value: true, node: e };
    case SyntaxKind.FalseKeyword: return { kind: 'boolean', value: false, node: e };
    case SyntaxKind.NullKeyword: return { kind: 'null', node: e };
  }
  if (ts.isIdentifier(e) && e.text === 'undefined') return { kind: 'undefined', node: e };
  if (ts.isPrefixUnaryExpression(e)) {
    const v = evaluate(model, e.operand, depth + 1);
    if (e.operator === SyntaxKind.MinusToken && v.kind === 'number') return { kind: 'number', value: -v.value, node: e };
    if (e.operator === SyntaxKind.ExclamationToken) {
      const t = truthiness(v);
      return t === undefined ? { kind: 'unknown', node: e } : { kind: 'boolean', value: !t, node: e };
    }
    return { kind: 'unknown', node: e };
  }
  if (ts.isTemplateExpression(e)) {
    let s = e.head.text;
    for (const span of e.templateSpans) {
      const v = evaluate(model, span.expression, depth + 1);
      if (v.kind !== 'string' && v.kind !== 'number') return { kind: 'unknown', node: e };
      s += String(v.value) + span.literal.text;
    }
    return { kind: 'string', value: s, node: e };
  }
  if (ts.isArrayLiteralExpression(e)) {
    const elements: Value[] = [];
    let hasUnknown = false;
    for (const el of e.elements) {
      if (ts.isSpreadElement(el)) {
        const v = evaluate(model, el.expression, depth + 1);
        if (v.kind === 'array') { elements.push(...v.elements); hasUnknown ||= v.hasUnknown; } else hasUnknown = true;
      } else elements.push(evaluate(model, el, depth + 1));
    }
    return { kind: 'array', elements, hasUnknown, node: e };
  }
  if (ts.isObjectLiteralExpression(e)) return evaluateObject(model, e, depth);
  if (ts.isConditionalExpression(e)) {
    const c = truthiness(evaluate(model, e.condition, depth + 1));
    if (c === true) return evaluate(model, e.whenTrue, depth + 1);
    if (c === false) return evaluate(model, e.whenFalse, depth + 1);
    return { kind: 'union', options: [evaluate(model, e.whenTrue, depth + 1), evaluate(model, e.whenFalse, depth + 1)], node: e };
  }
  if (ts.isBinaryExpression(e)) return evaluateBinary(model, e, depth);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return { kind: 'function', node: e, model };
  if (ts.isAwaitExpression(e)) return evaluate(model, e.expression, depth + 1);
  const env = envRead(e);
  if (env) return { kind: 'env', name: env, node: e };
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) return evaluateCall(model, e, depth);
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return evaluateReference(model, e, depth);
  return { kind: 'unknown', node: e };
}

function evaluateObject(model: FileModel, e: ts.ObjectLiteralExpression, depth: number): Value {
  const props = new Map<string, PropEntry>();
  let hasUnknownSpread = false;
  for (const p of e.properties) {
    if (ts.isSpreadAssignment(p)) {
      const v = evaluate(model, p.expression, depth + 1);
      if (v.kind === 'object') { for (const [k, pe] of v.props) props.set(k, pe); hasUnknownSpread ||= v.hasUnknownSpread; }
      else if (v.kind !== 'null' && v.kind !== 'undefined') hasUnknownSpread = true;
      continue;
    }
    const name = propertyName(p.name);
    if (name === undefined) { hasUnknownSpread = true; continue; }
    if (ts.isPropertyAssignment(p)) props.set(name, { node: p, valueNode: p.initializer, model });
    else if (ts.isShorthandPropertyAssignment(p)) props.set(name, { node: p, valueNode: p.name, model });
    else props.set(name, { node: p, model });
  }
  return { kind: 'object', props, hasUnknownSpread, node: e };
}

export function propertyName(name: ts.PropertyName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

function evaluateBinary(model: FileModel, e: ts.BinaryExpression, depth: number): Value {
  const op = e.operatorToken.kind;
  if (op === SyntaxKind.BarBarToken || op === SyntaxKind.QuestionQuestionToken) {
    const left = evaluate(model, e.left, depth + 1);
    const right = () => evaluate(model, e.right, depth + 1);
    if (op === SyntaxKind.BarBarToken) {
      const t = truthiness(left);
      if (t === true) return left;
      if (t === false) return right();
    } else {
      if (left.kind === 'null' || left.kind === 'undefined') return right();
      if (isDefinite(left)) return left;
    }
    return { kind: 'union', options: [left, right()], node: e };
  }
  const l = evaluate(model, e.left, depth + 1);
  const r = evaluate(model, e.right, depth + 1);
  if (op === SyntaxKind.PlusToken) {
    if (l.kind === 'number' && r.kind === 'number') return { kind: 'number', value: l.value + r.value, node: e };
    if ((l.kind === 'string' || l.kind === 'number') && (r.kind === 'string' || r.kind === 'number')) return { kind: 'string', value: String(l.value) + String(r.value), node: e };
    if (l.kind === 'time' && r.kind === 'number') return { ...l, offset: l.offset + r.value, node: e };
    if (r.kind === 'time' && l.kind === 'number') return { ...r, offset: r.offset + l.value, node: e };
  }
  if (l.kind === 'number' && r.kind === 'number') {
    switch (op) {
      case SyntaxKind.MinusToken: return { kind: 'number', value: l.value - r.value, node: e };
      case SyntaxKind.AsteriskToken: return { kind: 'number', value: l.value * r.value, node: e };
      case SyntaxKind.SlashToken: return { kind: 'number', value: l.value / r.value, node: e };
      case SyntaxKind.AsteriskAsteriskToken: return { kind: 'number', value: l.value ** r.value, node: e };
    }
  }
  if (op === SyntaxKind.SlashToken && l.kind === 'time' && l.unit === 'ms' && r.kind === 'number' && r.value === 1000) {
    return { kind: 'time', unit: 's', offset: l.offset / 1000, node: e };
  }
  if (op === SyntaxKind.MinusToken && l.kind === 'time' && r.kind === 'number') return { ...l, offset: l.offset - r.value, node: e };
  return { kind: 'unknown', node: e };
}

function evaluateCall(model: FileModel, e: ts.CallExpression | ts.NewExpression, depth: number): Value {
  const callee = skipOuter(e.expression);
  const args = e.arguments ?? ts.factory.createNodeArray();
  const calleeText = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  const sym = model.librarySymbol(callee);
  // Byte wrappers keep the secret's value: Buffer.from('x'), new TextEncoder().encode('x'), createSecretKey(...)
  const isBufferFrom = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'Buffer' && calleeText === 'from';
  const isEncode = calleeText === 'encode' && ts.isPropertyAccessExpression(callee) && ts.isNewExpression(skipOuter(callee.expression))
    && /TextEncoder$/.test((skipOuter(callee.expression) as ts.NewExpression).expression.getText());
  if (isBufferFrom || isEncode || sym === 'crypto.createSecretKey' || sym === 'node:crypto.createSecretKey' || (ts.isIdentifier(callee) && callee.text === 'String')) {
    const v = evaluate(model, args[0], depth + 1);
    if (v.kind === 'string') return { ...v, bytes: true, node: e };
    return v.kind === 'env' || v.kind === 'union' || v.kind === 'file' ? v : { kind: 'unknown', node: e, symbol: sym };
  }
  if (sym === 'fs.readFileSync' || sym === 'node:fs.readFileSync' || sym === 'fs/promises.readFile' || sym === 'node:fs/promises.readFile' || sym === 'fs.promises.readFile') {
    const p = evaluate(model, args[0], depth + 1);
    return { kind: 'file', path: p.kind === 'string' ? p.value : argText(args[0]), node: e };
  }
  if (ts.isPropertyAccessExpression(callee) && callee.expression.getText() === 'Date' && calleeText === 'now') return { kind: 'time', unit: 'ms', offset: 0, node: e };
  if (ts.isPropertyAccessExpression(callee) && callee.expression.getText() === 'Math' && (calleeText === 'floor' || calleeText === 'round' || calleeText === 'trunc')) {
    const v = evaluate(model, args[0], depth + 1);
    if (v.kind === 'number') return { kind: 'number', value: Math.floor(v.value), node: e };
    if (v.kind === 'time') return { ...v, node: e };
    return { kind: 'unknown', node: e };
  }
  if (ts.isPropertyAccessExpression(callee) && (calleeText === 'get' || calleeText === 'getOrThrow') && args.length >= 1 && ts.isStringLiteralLike(args[0])
    && /config/i.test(callee.expression.getText())) {
    const env: Value = { kind: 'env', name: args[0].text, node: e };
    if (calleeText === 'get' && args[1]) return { kind: 'union', options: [env, evaluate(model, args[1], depth + 1)], node: e };
    return env;
  }
  if (ts.isPropertyAccessExpression(callee) && callee.expression.getText() === 'Deno.env' && calleeText === 'get' && args[0] && ts.isStringLiteralLike(args[0])) {
    return { kind: 'env', name: args[0].text, node: e };
  }
  if (sym) return { kind: 'unknown', node: e, symbol: sym };
  // A project function returning a literal (one level): getJwtOptions()
  if (ts.isCallExpression(e) && depth < 4) {
    const fn = evaluate(model, callee, depth + 1);
    if (fn.kind === 'function') {
      const ret = returnedExpression(fn.node as ts.FunctionLikeDeclaration);
      if (ret) return evaluate(fn.model, ret, depth + 1);
    }
  }
  return { kind: 'unknown', node: e, symbol: sym };
}

function argText(a: ts.Expression | undefined): string | undefined {
  return a ? a.getText() : undefined;
}

export function returnedExpression(fn: ts.FunctionLikeDeclaration): ts.Expression | undefined {
  const body = fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return body;
  const last = body.statements[body.statements.length - 1];
  return last && ts.isReturnStatement(last) ? last.expression : undefined;
}

function evaluateReference(model: FileModel, e: ts.Expression, depth: number): Value {
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const name = ts.isPropertyAccessExpression(e) ? e.name.text
      : ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : undefined;
    const base = evaluate(model, e.expression, depth + 1);
    if (name !== undefined && base.kind === 'object') {
      const p = base.props.get(name);
      if (p) return p.valueNode ? evaluate(p.model, p.valueNode, depth + 1) : { kind: 'unknown', node: p.node };
      if (!base.hasUnknownSpread) return { kind: 'undefined', node: e };
    }
    if (name === 'length' && base.kind === 'string') return { kind: 'number', value: base.value.length, node: e };
  }
  const ref = model.resolveRef(e);
  if (!ref) return { kind: 'unknown', node: e };
  if (ref.kind === 'library') return { kind: 'unknown', node: e, symbol: ref.symbol };
  if (ref.kind === 'projectModule') return { kind: 'unknown', node: e };
  if (ref.kind === 'node') {
    const n = ref.node;
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) return { kind: 'function', node: n, model: ref.model };
    return ts.isExpression(n) ? evaluate(ref.model, n, depth + 1) : { kind: 'unknown', node: e };
  }
  const d = ref.declaration;
  if (d.kind === 'function') return { kind: 'function', node: d.declaration, model: ref.model };
  if (d.kind === 'enum' && ts.isPropertyAccessExpression(e)) {
    const m = (d.declaration as ts.EnumDeclaration).members.find((mm) => propertyName(mm.name) === e.name.text);
    if (m?.initializer) return evaluate(ref.model, m.initializer, depth + 1);
    return { kind: 'unknown', node: e };
  }
  if (d.kind !== 'variable' || !d.initializer) return { kind: 'unknown', node: e };
  if (!d.isConst) {
    // let/var: trusted only when never reassigned
    if (isReassigned(d)) return { kind: 'unknown', node: e };
  }
  let v = evaluate(ref.model, d.initializer, depth + 1);
  if (d.path) {
    for (const seg of d.path) {
      if (v.kind === 'object') {
        const p = v.props.get(seg);
        v = p?.valueNode ? evaluate(p.model, p.valueNode, depth + 1) : p ? { kind: 'unknown', node: p.node } : v.hasUnknownSpread ? { kind: 'unknown', node: e } : { kind: 'undefined', node: e };
      } else if (isEnvObject(d.initializer) && d.path.length === 1) {
        v = { kind: 'env', name: seg, node: d.nameNode };
      } else v = { kind: 'unknown', node: e };
    }
    if (d.defaultValue) {
      const dv = evaluate(ref.model, d.defaultValue, depth + 1);
      if (v.kind === 'undefined') return dv;
      if (!isDefinite(v)) return { kind: 'union', options: [v, dv], node: d.nameNode };
    }
  }
  return v;
}

function isEnvObject(e: ts.Expression): boolean {
  const t = skipOuter(e).getText();
  return t === 'process.env' || t === 'import.meta.env' || t === 'Bun.env';
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X`, `Bun.env.X` → 'X'. */
export function envRead(e: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(e) && isEnvObject(e.expression)) return e.name.text;
  if (ts.isElementAccessExpression(e) && isEnvObject(e.expression) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression.text;
  return undefined;
}

export function truthiness(v: Value): boolean | undefined {
  switch (v.kind) {
    case 'string': return v.value !== '';
    case 'number': return v.value !== 0 && !Number.isNaN(v.value);
    case 'boolean': return v.value;
    case 'null': case 'undefined': return false;
    case 'array': case 'object': case 'function': return true;
    case 'union': {
      const ts_ = v.options.map(truthiness);
      return ts_.every((t) => t === true) ? true : ts_.every((t) => t === false) ? false : undefined;
    }
    default: return undefined;
  }
}

function isDefinite(v: Value): boolean {
  return v.kind === 'string' || v.kind === 'number' || v.kind === 'boolean' || v.kind === 'array' || v.kind === 'object' || v.kind === 'function';
}

/** Every concrete possibility of a value (unions flattened). */
export function possibilities(v: Value): Value[] {
  return v.kind === 'union' ? v.options.flatMap(possibilities) : [v];
}

/** The value of property `name` of an evaluated object, or undefined when absent. */
export function propValue(obj: Value, name: string, depth = 0): Value | undefined {
  if (obj.kind !== 'object') return undefined;
  const p = obj.props.get(name);
  if (!p) return undefined;
  return p.valueNode ? evaluate(p.model, p.valueNode, depth) : { kind: 'unknown', node: p.node };
}

/** True when the value may be exactly `target` (case-insensitive for strings). */
export function mayBeString(v: Value, test: (s: string) => boolean): boolean {
  return possibilities(v).some((p) => p.kind === 'string' && test(p.value));
}
