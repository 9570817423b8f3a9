import ts = require('typescript');
import { possibilities, Value } from './constEval';
import { skipOuter } from './imports';

const { SyntaxKind } = ts;

/**
 * Token lifetimes (RULES.md E2 `parseDuration`), with each API's own units:
 * - jsonwebtoken `expiresIn`/`maxAge` (and Nest `JwtService`, passport-jwt): a number is seconds, a string goes
 *   through `ms`, so a unit-less numeric string (`'3600'`) is **milliseconds**;
 * - @fastify/jwt (fast-jwt) `expiresIn`/`maxAge`: a number is seconds (converted by the plugin), a string needs a unit;
 * - jose `setExpirationTime`/`maxTokenAge`: a string is relative and must carry a unit; a number is an **absolute**
 *   epoch-seconds timestamp (only compared with "now" when built from `Date.now()`);
 * - an `exp` claim: absolute epoch seconds; relative only when built from `Date.now()` arithmetic.
 */
export type DurationApi = 'jsonwebtoken' | 'fastify' | 'jose-relative' | 'jose-exp' | 'exp-claim';

export interface Lifetime {
  /** Lifetime in seconds (Infinity-like for millisecond `exp` mistakes). */
  seconds: number;
  /** The value node the lifetime was read from (literal, arithmetic, identifier initializer). */
  node: ts.Node;
  /** `exp` built from `Date.now()` without dividing by 1000: a timestamp ~1000× too far in the future. */
  millisecondsAsSeconds?: boolean;
}

const MS_UNITS: Record<string, number> = {
  ms: 1, msec: 1, msecs: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
  y: 31_557_600_000, yr: 31_557_600_000, yrs: 31_557_600_000, year: 31_557_600_000, years: 31_557_600_000,
};

/** The `ms` package's parse (vercel/ms): milliseconds, or undefined when `ms` would return NaN. */
export function parseMs(s: string): number | undefined {
  if (s.length > 100) return undefined;
  const m = /^(-?(?:\d+)?\.?\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)?$/i.exec(s);
  if (!m) return undefined;
  const n = parseFloat(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  return n * MS_UNITS[unit];
}

/** jose's relative time strings (`'2h'`, `'1 day'`, `'+30m'`): seconds, or undefined (jose throws). Units are required. */
export function parseJoseSeconds(s: string): number | undefined {
  const m = /^(\+|-)? ?(\d+|\d+\.\d+) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)(?: (ago|from now))?$/i.exec(s);
  if (!m) return undefined;
  const unit = m[3].toLowerCase();
  const ms = MS_UNITS[unit === 'm' ? 'm' : unit];
  if (ms === undefined) return undefined;
  const v = parseFloat(m[2]) * ms / 1000;
  return m[1] === '-' || m[4] === 'ago' ? -v : v;
}

/** True when a duration string carries a unit (`'15m'`), i.e. means the same in every API. */
export function hasUnit(s: string): boolean {
  return /^\s*-?(\d+|\d*\.\d+)\s*[a-z]+\s*$/i.test(s) && parseMs(s) !== undefined;
}

/**
 * The lifetime a value stands for under an API's units, or undefined when it cannot be known (env/config values,
 * absolute timestamps, unparsable strings). Unions (`a ? '1h' : '30d'`) yield their longest member, and only when
 * every member is known.
 */
export function lifetimeOf(v: Value, api: DurationApi): Lifetime | undefined {
  const opts = possibilities(v);
  let best: Lifetime | undefined;
  for (const o of opts) {
    const l = single(o, api);
    if (!l) return undefined;
    if (!best || l.seconds > best.seconds) best = l;
  }
  return best;
}

function single(v: Value, api: DurationApi): Lifetime | undefined {
  switch (api) {
    case 'jsonwebtoken':
      if (v.kind === 'number') return { seconds: v.value, node: v.node };
      if (v.kind === 'string') { const ms = parseMs(v.value.trim()); return ms === undefined ? undefined : { seconds: ms / 1000, node: v.node }; }
      return undefined;
    case 'fastify':
      if (v.kind === 'number') return { seconds: v.value, node: v.node };
      if (v.kind === 'string' && hasUnit(v.value)) { const ms = parseMs(v.value.trim()); return ms === undefined ? undefined : { seconds: ms / 1000, node: v.node }; }
      return undefined;
    case 'jose-relative':
      if (v.kind === 'number') return { seconds: v.value, node: v.node };
      if (v.kind === 'string') { const s = parseJoseSeconds(v.value.trim()); return s === undefined ? undefined : { seconds: s, node: v.node }; }
      return undefined;
    case 'jose-exp':
      if (v.kind === 'string') { const s = parseJoseSeconds(v.value.trim()); return s === undefined ? undefined : { seconds: s, node: v.node }; }
      return timeOffset(v);
    case 'exp-claim':
      return timeOffset(v);
  }
}

/** `Math.floor(Date.now() / 1000) + n` → n seconds; `Date.now() + n` used as seconds → a millisecond timestamp. */
function timeOffset(v: Value): Lifetime | undefined {
  if (v.kind !== 'time') return undefined;
  if (v.unit === 's') return { seconds: v.offset, node: v.node };
  // epoch milliseconds read as epoch seconds: ~1.7e12 s ≈ 55 000 years from now
  return { seconds: Number.MAX_SAFE_INTEGER, node: v.node, millisecondsAsSeconds: true };
}

/** Human form of a lifetime for messages: `365 days`, `12 hours`, `90 minutes`. */
export function describeSeconds(s: number): string {
  if (!Number.isFinite(s) || s >= Number.MAX_SAFE_INTEGER) return 'effectively forever';
  const fmt = (n: number, unit: string) => `${Number.isInteger(n) ? n : n.toFixed(1)} ${unit}${n === 1 ? '' : 's'}`;
  if (s >= 31_557_600 && s % 31_557_600 === 0) return fmt(s / 31_557_600, 'year'); // ms/jose years are 365.25 days
  if (s >= 86400) return fmt(s / 86400, 'day');
  if (s >= 3600) return fmt(s / 3600, 'hour');
  if (s >= 60) return fmt(s / 60, 'minute');
  return fmt(s, 'second');
}

/** Seconds of a configured duration such as `'15m'` (always with a unit), or the fallback. */
export function configuredSeconds(s: unknown, fallback: number): number {
  if (typeof s === 'number' && s > 0) return s;
  if (typeof s === 'string' && hasUnit(s)) return (parseMs(s.trim()) ?? fallback * 1000) / 1000;
  return fallback;
}

/** A configured duration normalised to a string with a unit (`900` → `'900s'`, `'15m'` stays). */
export function durationLiteral(s: unknown, fallback: string): string {
  if (typeof s === 'string' && hasUnit(s)) return s.trim();
  if (typeof s === 'number' && s > 0) return `${s}s`;
  return fallback;
}

/**
 * Refresh vs access token, by the names around a sign call or an expiry value (RULES.md: variable, property,
 * function, cookie or key names containing `refresh`, a `typ: 'refresh'` claim, a refresh module).
 */
export function namesAround(node: ts.Node, maxUp = 12): string[] {
  const names: string[] = [];
  let n: ts.Node | undefined = node;
  for (let i = 0; n && i < maxUp; i++, n = n.parent) {
    const p: ts.Node | undefined = n.parent;
    if (!p) break;
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) names.push(p.name.text);
    else if (ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p)) names.push(p.name.getText());
    else if (ts.isBinaryExpression(p) && p.operatorToken.kind === SyntaxKind.EqualsToken) names.push(p.left.getText());
    else if (ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && /^(cookie|set|setCookie)$/.test(p.expression.name.text)
      && p.arguments[0] && ts.isStringLiteralLike(p.arguments[0])) names.push(p.arguments[0].text);
    if (ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p) || ts.isFunctionExpression(p)) {
      if (p.name) names.push(p.name.getText());
    }
    if ((ts.isArrowFunction(p) || ts.isFunctionExpression(p)) && ts.isVariableDeclaration(p.parent) && ts.isIdentifier(p.parent.name)) names.push(p.parent.name.text);
    if (ts.isClassLike(p)) { if (p.name) names.push(p.name.text); break; }
    if (ts.isSourceFile(p)) break;
  }
  return names;
}

export function mentionsRefresh(text: string | undefined): boolean {
  return !!text && /refresh/i.test(text);
}

/** Text of an expression with wrappers removed (for name checks of keys and options). */
export function exprText(e: ts.Expression | undefined): string {
  return e ? skipOuter(e).getText() : '';
}
