import ts = require('typescript');
import type { Project } from '../engine/project';
import { evaluate, possibilities, propValue, Value } from './constEval';
import type { FileModel } from './fileModel';
import { skipOuter } from './imports';
import { findDeclaration } from './scope';

const { SyntaxKind } = ts;

/**
 * Logging sinks (RULES.md `apikey/secret-in-logs`): `console.*`, pino, winston, bunyan, log4js, signale,
 * `debug` instances, Nest `Logger` (`this.logger` declared as `new Logger(...)`/typed `Logger` from
 * `@nestjs/common`, also nestjs-pino), Fastify/pino-http `request.log`/`fastify.log`, Hono `c.var.logger`,
 * and — when nothing else resolves — a receiver named `logger`/`log`. Each sink knows the redaction its logger
 * is configured with (pino `redact`, a winston redaction format), so the rule can honour it.
 */
export type LoggerLibrary = 'console' | 'pino' | 'winston' | 'bunyan' | 'log4js' | 'signale' | 'debug' | 'nest' | 'generic';

export interface Redaction {
  /** pino-style paths (`req.headers.authorization`, `*.password`). */
  paths: string[];
  /** A redaction/masking format or serializer whose coverage we cannot read: treat everything as redacted. */
  all: boolean;
}

export interface LogCall {
  library: LoggerLibrary;
  method: string;
  call: ts.CallExpression;
  args: readonly ts.Expression[];
  /** Redaction configured on the logger, when visible (undefined: none seen). */
  redaction?: Redaction;
}

const CONSOLE_METHODS = /^(log|info|warn|error|debug|trace|dir|table)$/;
/** Method names of log calls on a logger object (pino, winston, bunyan, log4js, signale, Nest, generic). */
export const LOG_LEVEL_NAMES = ['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal', 'log', 'verbose', 'silly', 'http', 'notice', 'crit', 'critical',
  'alert', 'emerg', 'success', 'note', 'pending', 'complete', 'star', 'start', 'await', 'fav', 'watch'] as const;
const LEVELS = new RegExp(`^(${LOG_LEVEL_NAMES.join('|')})$`);
const LOGGER_NAMES = /^(_?logger|_?log|LOGGER|LOG|appLogger|log(ger)?Service|baseLogger|rootLogger|requestLogger|reqLogger|auditLogger)$/;

export function logCallOf(model: FileModel, call: ts.CallExpression): LogCall | undefined {
  const callee = skipOuter(call.expression);
  if (ts.isIdentifier(callee)) {
    // debug('ns') instance: const log = debug('app'); log(x)
    const d = findDeclaration(callee);
    if (d && d.kind === 'variable' && d.initializer && !d.path) {
      const init = skipOuter(d.initializer);
      if (ts.isCallExpression(init) && (model.resolveCall(init)?.symbol === 'debug.default' || model.resolveCall(init)?.symbol === 'debug.debug')) {
        return { library: 'debug', method: 'debug', call, args: call.arguments };
      }
    }
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const recv = skipOuter(callee.expression);
  if (ts.isIdentifier(recv) && recv.text === 'console' && !findDeclaration(recv)) {
    return CONSOLE_METHODS.test(method) ? { library: 'console', method, call, args: call.arguments } : undefined;
  }
  if (!LEVELS.test(method)) return undefined;
  // Nest static Logger.log(...)
  const sym = model.librarySymbol(callee);
  if (sym && /^@nestjs\/common\.Logger\.\w+$/.test(sym)) return { library: 'nest', method, call, args: call.arguments };
  const origin = loggerOrigin(model, recv, 0);
  if (origin) return { library: origin.library, method, call, args: call.arguments, redaction: origin.redaction ?? projectRedaction(model.project, origin.library) };
  // request.log / fastify.log / req.log (pino-http) / c.var.logger
  if (ts.isPropertyAccessExpression(recv) && (recv.name.text === 'log' || recv.name.text === 'logger')) {
    const base = skipOuter(recv.expression);
    const baseText = base.getText();
    if (/^(req|request|fastify|app|server|instance|reply\.request|ctx|c\.var|this\.app|this\.server)$/.test(baseText)) {
      return { library: 'pino', method, call, args: call.arguments, redaction: projectRedaction(model.project, 'pino') };
    }
  }
  // name fallback: logger.info(...), this.logger.warn(...), log.error(...)
  const name = ts.isIdentifier(recv) ? recv.text : ts.isPropertyAccessExpression(recv) ? recv.name.text : undefined;
  if (name && LOGGER_NAMES.test(name) && method !== 'log' || name && /^(_?logger|LOGGER)$/.test(name)) {
    return { library: 'generic', method, call, args: call.arguments, redaction: projectRedaction(model.project, 'generic') };
  }
  return undefined;
}

interface Origin { library: LoggerLibrary; redaction?: Redaction }

/** Follows a logger expression to its construction: `pino(opts)`, `winston.createLogger(opts)`, `x.child()`, `new Logger()`. */
function loggerOrigin(model: FileModel, e: ts.Expression, depth: number): Origin | undefined {
  if (depth > 6) return undefined;
  const x = skipOuter(e);
  const cls = model.instanceClass(x);
  if (cls && /^@nestjs\/common\.(Logger|ConsoleLogger)$/.test(cls)) return { library: 'nest' };
  if (cls && /^nestjs-pino\.(PinoLogger|Logger)$/.test(cls)) return { library: 'pino', redaction: projectRedaction(model.project, 'pino') };
  if (cls && /^(signale)\./.test(cls)) return { library: 'signale' };
  if (ts.isCallExpression(x)) {
    const sym = model.resolveCall(x)?.symbol ?? '';
    if (/^pino\.(default|pino)$/.test(sym) || /^pino$/.test(sym)) return { library: 'pino', redaction: pinoRedaction(model, x.arguments[0]) };
    if (/^(pino-http|express-pino-logger)\.(default|pinoHttp)$/.test(sym)) return { library: 'pino', redaction: pinoRedaction(model, x.arguments[0]) };
    if (/^winston\.(createLogger|default\.createLogger)$/.test(sym)) return { library: 'winston', redaction: winstonRedaction(model, x.arguments[0]) };
    if (/^bunyan\.(createLogger|default\.createLogger|default)$/.test(sym)) return { library: 'bunyan' };
    if (/^log4js\.(getLogger|default\.getLogger)$/.test(sym)) return { library: 'log4js' };
    const callee = skipOuter(x.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'child') return loggerOrigin(model, callee.expression, depth + 1);
    return undefined;
  }
  if (ts.isIdentifier(x)) {
    const sym = model.librarySymbol(x);
    if (sym && /^winston(\.default)?$/.test(sym)) return { library: 'winston' };
    if (sym && /^signale(\.default)?$/.test(sym)) return { library: 'signale' };
    const ref = model.resolveRef(x);
    if (ref?.kind === 'declaration' && ref.declaration.kind === 'variable' && ref.declaration.initializer && !ref.declaration.path) {
      return loggerOrigin(ref.model, ref.declaration.initializer, depth + 1);
    }
    if (ref?.kind === 'node' && ts.isExpression(ref.node)) return loggerOrigin(ref.model, ref.node, depth + 1);
    return undefined;
  }
  if (ts.isPropertyAccessExpression(x) && x.expression.kind === SyntaxKind.ThisKeyword) {
    // private logger = pino(...) as a class field
    for (let p: ts.Node | undefined = x.parent; p; p = p.parent) {
      if (ts.isClassLike(p)) {
        for (const m of p.members) {
          if (ts.isPropertyDeclaration(m) && m.name.getText() === x.name.text && m.initializer) return loggerOrigin(model, m.initializer, depth + 1);
        }
        return undefined;
      }
    }
  }
  return undefined;
}

/** pino `redact: [...]` or `redact: { paths: [...] }`; also inside `{ logger: { redact } }` (Fastify) and `{ pinoHttp: { redact } }`. */
export function pinoRedaction(model: FileModel, optsExpr: ts.Expression | undefined): Redaction | undefined {
  if (!optsExpr) return undefined;
  const opts = evaluate(model, optsExpr);
  return redactionOf(opts);
}

function redactionOf(opts: Value): Redaction | undefined {
  if (opts.kind !== 'object') return undefined;
  const r = propValue(opts, 'redact');
  if (r) {
    const list = r.kind === 'object' ? propValue(r, 'paths') : r;
    const paths: string[] = [];
    if (list?.kind === 'array') for (const el of list.elements) for (const p of possibilities(el)) if (p.kind === 'string') paths.push(p.value);
    if (list && list.kind !== 'array') return { paths: [], all: true }; // paths we cannot read: assume configured
    if (list?.kind === 'array' && list.hasUnknown) return { paths, all: true };
    return { paths, all: false };
  }
  if (opts.hasUnknownSpread) return { paths: [], all: true };
  for (const key of ['logger', 'pinoHttp']) {
    const inner = propValue(opts, key);
    if (inner) { const x = redactionOf(inner); if (x) return x; }
  }
  return undefined;
}

/** winston: a `format` that contains a redaction/masking step (custom format named redact/mask/sanitize/scrub/censor). */
function winstonRedaction(model: FileModel, optsExpr: ts.Expression | undefined): Redaction | undefined {
  if (!optsExpr) return undefined;
  const o = skipOuter(optsExpr);
  const text = ts.isObjectLiteralExpression(o) ? o.getText() : (() => { const v = evaluate(model, optsExpr); return v.kind === 'object' ? v.node.getText() : ''; })();
  return /\b\w*(redact|mask|sanitiz|scrub|censor|obfuscat|hideSecret|filterSecret)\w*\s*\(/i.test(text) ? { paths: [], all: true } : undefined;
}

/**
 * Redaction seen anywhere in the workspace, for loggers we cannot follow to their construction (`request.log`
 * configured by `Fastify({ logger: { redact } })`, a logger imported through a path alias).
 */
export function projectRedaction(project: Project, library: LoggerLibrary): Redaction | undefined {
  const c = project.memo('loggers:projectRedaction', () => {
    const out: { pino?: Redaction; any?: Redaction } = {};
    for (const part of project.gather('loggers:redaction', ['redact'], fileRedactions)) {
      if (part.kind === 'pino') out.pino = merge(out.pino, part.redaction);
      else out.any = merge(out.any, part.redaction);
    }
    return out;
  });
  if (library === 'pino') return c.pino;
  if (library === 'generic') return c.pino || c.any ? merge(c.pino, c.any ?? { paths: [], all: false }) : undefined;
  return undefined;
}

/** One file's logger constructions that redact (pino-style `redact`, winston redaction formats), in file order. */
function fileRedactions(m: FileModel): { kind: 'pino' | 'any'; redaction: Redaction }[] {
  const out: { kind: 'pino' | 'any'; redaction: Redaction }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const sym = m.resolveCall(n)?.symbol ?? '';
      const arg = n.arguments?.[0];
      let r: Redaction | undefined;
      if (/^(pino|pino-http|express-pino-logger|fastify|nestjs-pino)\b/.test(sym) || /(^|\.)(pino|pinoHttp|Fastify|fastify|forRoot|forRootAsync)$/.test(n.expression.getText())) r = arg ? pinoRedaction(m, arg) : undefined;
      if (r) out.push({ kind: 'pino', redaction: r });
      if (/^winston\./.test(sym)) { const w = winstonRedaction(m, arg); if (w) out.push({ kind: 'any', redaction: w }); }
    }
    ts.forEachChild(n, visit);
  };
  visit(m.sourceFile);
  return out;
}

function merge(a: Redaction | undefined, b: Redaction): Redaction {
  return { paths: [...(a?.paths ?? []), ...b.paths], all: (a?.all ?? false) || b.all };
}

/** True when redaction covers a logged path (`['req', 'headers', 'authorization']`, `['user', 'password']`). */
export function redactionCovers(r: Redaction | undefined, path: string[]): boolean {
  if (!r) return false;
  if (r.all) return true;
  const norm = (s: string) => s.replace(/^\[["']|["']\]$/g, '').toLowerCase();
  const target = path.map(norm);
  for (const raw of r.paths) {
    const segs = raw.split(/\.|(?=\[)/).map(norm).filter(Boolean);
    if (segs.length === 0) continue;
    const last = segs[segs.length - 1];
    // '*.password', 'password', 'user.password': the secret's key is named
    if (last !== '*' && last === target[target.length - 1]) return true;
    // whole header objects: a redacted header path shows the headers are being scrubbed
    if (target[target.length - 1] === 'headers' && segs.includes('headers')) return true;
    // 'req.headers' / 'headers.*' / 'req.headers.*': the whole container
    if (last === '*' && segs.length > 1 && target.includes(segs[segs.length - 2])) return true;
    if (segs.length <= target.length && segs.every((s, i) => s === '*' || s === target[i])) return true;
  }
  return false;
}
