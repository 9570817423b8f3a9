// Deterministic generator of a realistic back-end corpus for bench/run.js: a monorepo of services written with
// Express, NestJS, Fastify, Hono and Koa (controllers, services, models, DTOs, auth middleware with jsonwebtoken,
// passport-jwt strategies, configs, tests), with a realistic mix of safe and unsafe security code.
//
// Nothing secret-looking is written in this file: generated "secrets" are random strings drawn from a seeded PRNG at
// run time, and provider-style prefixes are assembled from pieces, so no committed text matches a provider format.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const GENERATOR_VERSION = 3;

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeRandom(seed) {
  const r = mulberry32(seed);
  const R = {
    next: r,
    int: (lo, hi) => lo + Math.floor(r() * (hi - lo + 1)),
    chance: (p) => r() < p,
    pick: (arr) => arr[Math.floor(r() * arr.length)],
    weighted: (pairs) => {
      const total = pairs.reduce((s, p) => s + p[1], 0);
      let x = r() * total;
      for (const [v, w] of pairs) { if ((x -= w) < 0) return v; }
      return pairs[pairs.length - 1][0];
    },
    sample: (arr, n) => {
      const copy = arr.slice();
      for (let i = copy.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [copy[i], copy[j]] = [copy[j], copy[i]]; }
      return copy.slice(0, Math.min(n, copy.length));
    },
    token: (n, alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789') => {
      let s = '';
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
      return s;
    },
  };
  return R;
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary

const RESOURCES = [
  ['order', 'orders'], ['user', 'users'], ['invoice', 'invoices'], ['product', 'products'], ['customer', 'customers'],
  ['payment', 'payments'], ['shipment', 'shipments'], ['cart', 'carts'], ['review', 'reviews'], ['tenant', 'tenants'],
  ['project', 'projects'], ['task', 'tasks'], ['comment', 'comments'], ['subscription', 'subscriptions'],
  ['webhook', 'webhooks'], ['report', 'reports'], ['warehouse', 'warehouses'], ['coupon', 'coupons'],
  ['notification', 'notifications'], ['team', 'teams'], ['document', 'documents'], ['message', 'messages'],
  ['booking', 'bookings'], ['ticket', 'tickets'], ['refund', 'refunds'], ['supplier', 'suppliers'],
  ['category', 'categories'], ['address', 'addresses'], ['device', 'devices'], ['article', 'articles'],
  ['campaign', 'campaigns'], ['lead', 'leads'], ['contract', 'contracts'], ['asset', 'assets'], ['quote', 'quotes'],
];
const DOMAINS = ['billing', 'catalog', 'checkout', 'crm', 'fulfilment', 'identity', 'inventory', 'ledger', 'marketing',
  'messaging', 'partners', 'payments', 'reporting', 'scheduling', 'search', 'shipping', 'support', 'workspace', 'admin', 'gateway'];
const FIELDS = {
  string: ['name', 'title', 'description', 'status', 'reference', 'currency', 'email', 'phone', 'country', 'city', 'notes', 'sku', 'label', 'slug', 'channel'],
  number: ['amount', 'quantity', 'total', 'price', 'weight', 'priority', 'rating', 'position', 'discount', 'taxRate'],
  boolean: ['active', 'archived', 'paid', 'verified', 'featured', 'internal'],
  date: ['dueAt', 'shippedAt', 'closedAt', 'publishedAt', 'expiresAt', 'startsAt'],
};

const pascal = (s) => s.split(/[-_ ]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
const camel = (s) => { const p = pascal(s); return p.charAt(0).toLowerCase() + p.slice(1); };

function resourceFields(R) {
  const out = [];
  for (const f of R.sample(FIELDS.string, R.int(3, 6))) out.push({ name: f, type: 'string' });
  for (const f of R.sample(FIELDS.number, R.int(1, 3))) out.push({ name: f, type: 'number' });
  for (const f of R.sample(FIELDS.boolean, R.int(0, 2))) out.push({ name: f, type: 'boolean' });
  for (const f of R.sample(FIELDS.date, R.int(0, 2))) out.push({ name: f, type: 'Date' });
  return out;
}

function makeResource(R, pair) {
  const [one, many] = pair;
  return { one, many, One: pascal(one), Many: pascal(many), fields: resourceFields(R) };
}

// ---------------------------------------------------------------------------------------------------------------
// Security-relevant snippets, safe and unsafe (the "realistic mix")

function secretLiteral(R) {
  return R.pick([
    () => 'dev-secret',
    () => 'changeme',
    () => 'super-secret-key',
    () => `${R.pick(['acme', 'shop', 'api', 'orders'])}-jwt-secret`,
    () => R.token(R.int(24, 44)),
  ])();
}

function jwtVerifyCall(R, tokenExpr, keyExpr) {
  return R.weighted([
    [`jwt.verify(${tokenExpr}, ${keyExpr}, { algorithms: ['HS256'] })`, 40],
    [`jwt.verify(${tokenExpr}, ${keyExpr}, { algorithms: ['HS256'], issuer: config.jwt.issuer, audience: config.jwt.audience })`, 15],
    [`jwt.verify(${tokenExpr}, ${keyExpr})`, 20],
    [`jwt.verify(${tokenExpr}, ${keyExpr}, { ignoreExpiration: true, algorithms: ['HS256'] })`, 4],
    [`jwt.verify(${tokenExpr}, ${keyExpr}, { algorithms: ['HS256', 'none'] })`, 2],
    [`jwt.verify(${tokenExpr}, ${keyExpr}, { algorithms: ['RS256', 'HS256'] })`, 3],
    [`jwt.verify(${tokenExpr}, ${keyExpr}, { clockTolerance: 30, algorithms: ['HS512'] })`, 5],
  ]);
}

function jwtSignCall(R, payload, keyExpr) {
  return R.weighted([
    [`jwt.sign(${payload}, ${keyExpr}, { algorithm: 'HS256', expiresIn: '15m' })`, 35],
    [`jwt.sign(${payload}, ${keyExpr}, { expiresIn: config.jwt.accessTtl })`, 15],
    [`jwt.sign(${payload}, ${keyExpr})`, 15],
    [`jwt.sign(${payload}, ${keyExpr}, { expiresIn: '30d' })`, 6],
    [`jwt.sign(${payload}, ${keyExpr}, { expiresIn: 60 * 60 * 24 * 365 })`, 3],
    [`jwt.sign(${payload}, ${keyExpr}, { algorithm: 'HS256', expiresIn: 900, issuer: config.jwt.issuer })`, 10],
  ]);
}

function tokenPayload(R, user = 'user') {
  return R.weighted([
    [`{ sub: ${user}.id, role: ${user}.role }`, 50],
    [`{ sub: ${user}.id, email: ${user}.email, tenantId: ${user}.tenantId }`, 25],
    [`{ sub: ${user}.id, email: ${user}.email, password: ${user}.password }`, 3],
    [`{ ...${user} }`, 4],
    [`{ sub: String(${user}.id), scope: ${user}.scopes.join(' ') }`, 15],
  ]);
}

function configJwtSecret(R) {
  return R.weighted([
    ["requireEnv('JWT_SECRET')", 45],
    ["process.env.JWT_SECRET!", 20],
    [`process.env.JWT_SECRET || '${secretLiteral(R)}'`, 12],
    [`process.env.JWT_SECRET ?? '${secretLiteral(R)}'`, 5],
    [`'${secretLiteral(R)}'`, 3],
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Shared files

function logger(R) {
  return R.pick([
    () => `import pino from 'pino';

export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
  transport: process.env.NODE_ENV === 'development' ? { target: 'pino-pretty' } : undefined,
});

export function child(bindings: Record<string, unknown>) {
  return logger.child(bindings);
}
`,
    () => `import { createLogger, format, transports } from 'winston';

const { combine, timestamp, json, errors } = format;

export const logger = createLogger({
  level: process.env.LOG_LEVEL || 'info',
  format: combine(errors({ stack: true }), timestamp(), json()),
  defaultMeta: { service: process.env.SERVICE_NAME },
  transports: [new transports.Console()],
});

export function logDuration(label: string, startedAt: number) {
  logger.debug(\`\${label} took \${Date.now() - startedAt}ms\`);
}
`,
  ])();
}

function httpErrors() {
  return `export class HttpError extends Error {
  constructor(public readonly status: number, message: string, public readonly details?: unknown) {
    super(message);
    this.name = 'HttpError';
  }
}

export class NotFoundError extends HttpError {
  constructor(what: string, id: string | number) {
    super(404, \`\${what} \${id} not found\`);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'Forbidden') {
    super(403, message);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'Unauthorized') {
    super(401, message);
  }
}

export class ValidationError extends HttpError {
  constructor(details: unknown) {
    super(422, 'Validation failed', details);
  }
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
}
`;
}

function pagination() {
  return `export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
  hasMore: boolean;
}

export interface PageQuery {
  page?: string | number;
  pageSize?: string | number;
  sort?: string;
}

const MAX_PAGE_SIZE = 100;

export function parsePage(query: PageQuery): { skip: number; take: number; page: number } {
  const page = Math.max(1, Number(query.page ?? 1) || 1);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Number(query.pageSize ?? 20) || 20));
  return { skip: (page - 1) * pageSize, take: pageSize, page };
}

export function toPage<T>(items: T[], total: number, page: number, pageSize: number): Page<T> {
  return { items, total, page, pageSize, hasMore: page * pageSize < total };
}

export function parseSort(sort: string | undefined, allowed: readonly string[]): Record<string, 'asc' | 'desc'> | undefined {
  if (!sort) return undefined;
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  if (!allowed.includes(field)) return undefined;
  return { [field]: desc ? 'desc' : 'asc' };
}
`;
}

function requireEnvHelper() {
  return `export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(\`Missing required environment variable \${name}\`);
  return value;
}

export function optionalEnv(name: string, fallback: string): string {
  return process.env[name] ?? fallback;
}

export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? NaN : Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : fallback;
}
`;
}

function configFile(R, svc) {
  const dbUrl = R.weighted([
    ["requireEnv('DATABASE_URL')", 80],
    [`'postgres://${svc.domain}:${R.token(14)}@db.${svc.domain}.internal:5432/${svc.domain}'`, 4],
    ["process.env.DATABASE_URL ?? 'postgres://postgres:postgres@localhost:5432/dev'", 16],
  ]);
  return `import { intEnv, optionalEnv, requireEnv } from './env';

export const config = {
  env: optionalEnv('NODE_ENV', 'development'),
  port: intEnv('PORT', ${R.pick([3000, 3001, 4000, 8080])}),
  serviceName: '${svc.name}',
  databaseUrl: ${dbUrl},
  redisUrl: optionalEnv('REDIS_URL', 'redis://localhost:6379'),
  jwt: {
    secret: ${configJwtSecret(R)},
    issuer: optionalEnv('JWT_ISSUER', 'https://auth.${svc.domain}.example.com'),
    audience: optionalEnv('JWT_AUDIENCE', '${svc.name}'),
    accessTtl: optionalEnv('JWT_ACCESS_TTL', '${R.pick(['10m', '15m', '5m'])}'),
    refreshTtl: optionalEnv('JWT_REFRESH_TTL', '${R.pick(['7d', '14d', '30d'])}'),
  },
  cors: {
    origins: optionalEnv('CORS_ORIGINS', 'http://localhost:5173').split(','),
  },
  rateLimit: {
    windowMs: intEnv('RATE_LIMIT_WINDOW_MS', 60_000),
    max: intEnv('RATE_LIMIT_MAX', ${R.pick([60, 100, 300])}),
  },
} as const;

export type AppConfig = typeof config;
`;
}

// ---------------------------------------------------------------------------------------------------------------
// Express

function expressAuthMiddleware(R) {
  const verify = jwtVerifyCall(R, 'token', 'config.jwt.secret');
  const decodeVariant = R.chance(0.06);
  return `import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { config } from '../config';
import { UnauthorizedError, ForbiddenError } from '../utils/http-errors';

export interface AuthUser {
  id: string;
  role: 'admin' | 'member' | 'viewer';
  tenantId?: string;
}

declare global {
  namespace Express {
    interface Request {
      user?: AuthUser;
    }
  }
}

function bearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header || !header.startsWith('Bearer ')) return undefined;
  return header.slice('Bearer '.length).trim();
}

export function authenticate(req: Request, _res: Response, next: NextFunction) {
  const token = bearer(req);
  if (!token) return next(new UnauthorizedError('Missing bearer token'));
  try {
${decodeVariant
    ? `    const claims = jwt.decode(token) as { sub: string; role: AuthUser['role']; tenantId?: string } | null;
    if (!claims) return next(new UnauthorizedError());
    req.user = { id: claims.sub, role: claims.role, tenantId: claims.tenantId };`
    : `    const claims = ${verify} as jwt.JwtPayload;
    req.user = { id: String(claims.sub), role: claims.role, tenantId: claims.tenantId };`}
    return next();
  } catch (err) {
    return next(new UnauthorizedError(err instanceof jwt.TokenExpiredError ? 'Token expired' : 'Invalid token'));
  }
}

export function requireRole(...roles: AuthUser['role'][]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.user) return next(new UnauthorizedError());
    if (!roles.includes(req.user.role)) return next(new ForbiddenError(\`Requires one of: \${roles.join(', ')}\`));
    return next();
  };
}
`;
}

function expressAuthController(R) {
  const sign = jwtSignCall(R, tokenPayload(R), 'config.jwt.secret');
  const hash = R.weighted([
    ['await bcrypt.hash(body.password, 12)', 70],
    ['await bcrypt.hash(body.password, 8)', 10],
    ["createHash('md5').update(body.password).digest('hex')", 5],
    ["createHash('sha256').update(body.password).digest('hex')", 5],
    ['await argon2.hash(body.password)', 10],
  ]);
  const logLine = R.weighted([
    ["logger.info({ email: body.email }, 'login attempt');", 70],
    ["logger.info({ body: req.body, headers: req.headers }, 'login attempt');", 6],
    ["console.log('login', body.email, body.password);", 3],
    ['', 21],
  ]);
  return `import { Router } from 'express';
import bcrypt from 'bcrypt';
import * as argon2 from 'argon2';
import { createHash, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { config } from '../config';
import { logger } from '../utils/logger';
import { asyncHandler } from '../utils/async-handler';
import { UnauthorizedError } from '../utils/http-errors';
import { usersRepository } from '../users/users.repository';

const credentials = z.object({ email: z.string().email().max(254), password: z.string().min(8).max(128) });
const registration = credentials.extend({ name: z.string().min(1).max(100) });

export const authRouter = Router();

authRouter.post('/login', asyncHandler(async (req, res) => {
  const body = credentials.parse(req.body);
  ${logLine}
  const user = await usersRepository.findByEmail(body.email.toLowerCase());
  if (!user || !(await bcrypt.compare(body.password, user.passwordHash))) throw new UnauthorizedError('Invalid credentials');
  const accessToken = ${sign};
  const refreshToken = randomBytes(32).toString('base64url');
  await usersRepository.saveRefreshToken(user.id, createHash('sha256').update(refreshToken).digest('hex'));
  res.json({ accessToken, refreshToken, expiresIn: 900 });
}));

authRouter.post('/register', asyncHandler(async (req, res) => {
  const body = registration.parse(req.body);
  const existing = await usersRepository.findByEmail(body.email.toLowerCase());
  if (existing) return res.status(409).json({ error: 'Email already registered' });
  const passwordHash = ${hash};
  const user = await usersRepository.create({ email: body.email.toLowerCase(), name: body.name, passwordHash });
  res.status(201).json({ id: user.id, email: user.email, name: user.name });
}));

authRouter.post('/refresh', asyncHandler(async (req, res) => {
  const presented = String(req.body?.refreshToken ?? '');
  const user = await usersRepository.findByRefreshTokenHash(createHash('sha256').update(presented).digest('hex'));
  if (!user) throw new UnauthorizedError('Invalid refresh token');
  res.json({ accessToken: jwt.sign({ sub: user.id, role: user.role }, config.jwt.secret, { algorithm: 'HS256', expiresIn: config.jwt.accessTtl }) });
}));

authRouter.post('/logout', asyncHandler(async (req, res) => {
  const presented = String(req.body?.refreshToken ?? '');
  await usersRepository.revokeRefreshToken(createHash('sha256').update(presented).digest('hex'));
  res.status(204).end();
}));
`;
}

function apiKeysModule(R) {
  const gen = R.weighted([
    ["`ak_${randomBytes(24).toString('base64url')}`", 55],
    ["randomBytes(32).toString('hex')", 20],
    ['Math.random().toString(36).slice(2) + Date.now().toString(36)', 8],
    ['crypto.randomUUID()', 17],
  ]);
  const store = R.weighted([
    ["keyHash: createHash('sha256').update(key).digest('hex'), prefix: key.slice(0, 8)", 70],
    ['key, prefix: key.slice(0, 8)', 10],
    ['key', 5],
    ["keyHash: createHash('md5').update(key).digest('hex')", 5],
    ["keyHash: createHash('sha256').update(key).digest('hex')", 10],
  ]);
  const compare = R.weighted([
    ['return safeEqual(presented, expected);', 60],
    ['return presented === expected;', 20],
    ['return Buffer.from(presented).equals(Buffer.from(expected));', 5],
    ['return presented.length === expected.length && timingSafeEqual(Buffer.from(presented), Buffer.from(expected));', 15],
  ]);
  return `import crypto, { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { prisma } from '../db';

export interface IssuedKey {
  id: string;
  key: string;
  prefix: string;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function issueApiKey(ownerId: string, label: string): Promise<IssuedKey> {
  const key = ${gen};
  const record = await prisma.apiKey.create({ data: { ownerId, label, ${store} } });
  return { id: record.id, key, prefix: key.slice(0, 8) };
}

export async function revokeApiKey(ownerId: string, id: string): Promise<boolean> {
  const result = await prisma.apiKey.updateMany({ where: { id, ownerId, revokedAt: null }, data: { revokedAt: new Date() } });
  return result.count > 0;
}

export function matchesAdminKey(presented: string, expected: string): boolean {
  ${compare}
}

export function requireApiKey(req: Request, res: Response, next: NextFunction) {
  const presented = req.header('x-api-key');
  if (typeof presented !== 'string') return res.status(401).json({ error: 'API key required' });
  const hash = createHash('sha256').update(presented).digest('hex');
  prisma.apiKey.findFirst({ where: { keyHash: hash, revokedAt: null } })
    .then((found) => (found ? next() : res.status(401).json({ error: 'Invalid API key' })))
    .catch(next);
}

export function randomSuffix(): string {
  return crypto.randomBytes(4).toString('hex');
}
`;
}

function expressApp(R, svc) {
  const imports = svc.resources.map((r) => `import { ${r.many}Router } from './${r.many}/${r.many}.routes';`).join('\n');
  const mounts = svc.resources.map((r) => `app.use('/api/${r.many}', authenticate, ${r.many}Router);`).join('\n');
  const helmetLine = R.chance(0.8) ? 'app.use(helmet());' : '';
  const limiter = R.chance(0.6) ? "app.use('/api/auth', rateLimit({ windowMs: config.rateLimit.windowMs, max: 10 }));" : '';
  const cors = R.weighted([["app.use(cors({ origin: config.cors.origins, credentials: true }));", 80], ["app.use(cors({ origin: true, credentials: true }));", 10], ['app.use(cors());', 10]]);
  return `import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import cors from 'cors';
import rateLimit from 'express-rate-limit';
import { config } from './config';
import { logger } from './utils/logger';
import { isHttpError } from './utils/http-errors';
import { authenticate } from './middleware/auth';
import { authRouter } from './auth/auth.routes';
${imports}

export const app = express();

app.disable('x-powered-by');
${helmetLine}
${cors}
app.use(express.json({ limit: '${R.pick(['100kb', '1mb', '256kb'])}' }));
${limiter}

app.get('/health', (_req, res) => res.json({ status: 'ok', service: config.serviceName }));
app.use('/api/auth', authRouter);
${mounts}

app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
  if (isHttpError(err)) return res.status(err.status).json({ error: err.message, details: err.details });
  logger.error({ err, path: req.path }, 'unhandled error');
  return res.status(500).json({ error: 'Internal Server Error' });
});
`;
}

function expressRoutes(R, res) {
  return `import { Router } from 'express';
import { requireRole } from '../middleware/auth';
import { validate } from '../middleware/validate';
import { asyncHandler } from '../utils/async-handler';
import * as controller from './${res.many}.controller';
import { create${res.One}Schema, update${res.One}Schema } from './${res.many}.schema';

export const ${res.many}Router = Router();

${res.many}Router.get('/', asyncHandler(controller.list));
${res.many}Router.get('/:id', asyncHandler(controller.getById));
${res.many}Router.post('/', validate(create${res.One}Schema), asyncHandler(controller.create));
${res.many}Router.patch('/:id', validate(update${res.One}Schema), asyncHandler(controller.update));
${res.many}Router.delete('/:id', requireRole('admin'), asyncHandler(controller.remove));
${R.chance(0.4) ? `${res.many}Router.post('/:id/archive', requireRole('admin', 'member'), asyncHandler(controller.archive));\n` : ''}`;
}

function expressController(R, res) {
  const owned = R.chance(0.8);
  const where = owned ? `{ id: req.params.id, ownerId: req.user!.id }` : `{ id: req.params.id }`;
  return `import type { Request, Response } from 'express';
import { NotFoundError } from '../utils/http-errors';
import { parsePage, parseSort, toPage } from '../utils/pagination';
import { ${res.many}Service } from './${res.many}.service';
import type { Create${res.One}Input, Update${res.One}Input } from './${res.many}.schema';

const SORTABLE = [${res.fields.slice(0, 3).map((f) => `'${f.name}'`).join(', ')}, 'createdAt'] as const;

export async function list(req: Request, res: Response) {
  const { skip, take, page } = parsePage(req.query);
  const orderBy = parseSort(typeof req.query.sort === 'string' ? req.query.sort : undefined, SORTABLE);
  const [items, total] = await ${res.many}Service.list(req.user!.id, { skip, take, orderBy });
  res.json(toPage(items.map(${res.many}Service.toDto), total, page, take));
}

export async function getById(req: Request, res: Response) {
  const ${res.one} = await ${res.many}Service.findOne(${where});
  if (!${res.one}) throw new NotFoundError('${res.One}', req.params.id);
  res.json(${res.many}Service.toDto(${res.one}));
}

export async function create(req: Request, res: Response) {
  const input = req.body as Create${res.One}Input;
  const created = await ${res.many}Service.create(req.user!.id, input);
  res.status(201).location(\`/api/${res.many}/\${created.id}\`).json(${res.many}Service.toDto(created));
}

export async function update(req: Request, res: Response) {
  const input = req.body as Update${res.One}Input;
  const updated = await ${res.many}Service.update(${where}, input);
  if (!updated) throw new NotFoundError('${res.One}', req.params.id);
  res.json(${res.many}Service.toDto(updated));
}

export async function remove(req: Request, res: Response) {
  const removed = await ${res.many}Service.remove(req.params.id);
  if (!removed) throw new NotFoundError('${res.One}', req.params.id);
  res.status(204).end();
}

export async function archive(req: Request, res: Response) {
  const archived = await ${res.many}Service.update(${where}, { archived: true } as Update${res.One}Input);
  if (!archived) throw new NotFoundError('${res.One}', req.params.id);
  res.json(${res.many}Service.toDto(archived));
}
`;
}

function tsType(t) { return t === 'Date' ? 'Date' : t; }
function zodType(f) {
  switch (f.type) {
    case 'string': return f.name === 'email' ? 'z.string().email().max(254)' : `z.string().min(1).max(${f.name === 'description' || f.name === 'notes' ? 2000 : 200})`;
    case 'number': return f.name === 'quantity' || f.name === 'position' ? 'z.number().int().min(0).max(1_000_000)' : 'z.number().min(0)';
    case 'boolean': return 'z.boolean()';
    default: return 'z.coerce.date()';
  }
}

function expressSchema(R, res) {
  return `import { z } from 'zod';

export const create${res.One}Schema = z.object({
${res.fields.map((f) => `  ${f.name}: ${zodType(f)}${R.chance(0.3) ? '.optional()' : ''},`).join('\n')}
}).strict();

export const update${res.One}Schema = create${res.One}Schema.partial();

export type Create${res.One}Input = z.infer<typeof create${res.One}Schema>;
export type Update${res.One}Input = z.infer<typeof update${res.One}Schema>;
`;
}

function expressService(R, res) {
  return `import { prisma } from '../db';
import type { Create${res.One}Input, Update${res.One}Input } from './${res.many}.schema';

export interface ${res.One}Record {
  id: string;
  ownerId: string;
${res.fields.map((f) => `  ${f.name}${f.type === 'boolean' ? '' : '?'}: ${tsType(f.type)};`).join('\n')}
  createdAt: Date;
  updatedAt: Date;
}

export interface ${res.One}Dto {
  id: string;
${res.fields.map((f) => `  ${f.name}?: ${f.type === 'Date' ? 'string' : tsType(f.type)};`).join('\n')}
  createdAt: string;
}

interface ListOptions {
  skip: number;
  take: number;
  orderBy?: Record<string, 'asc' | 'desc'>;
}

export const ${res.many}Service = {
  async list(ownerId: string, { skip, take, orderBy }: ListOptions): Promise<[${res.One}Record[], number]> {
    const where = { ownerId, deletedAt: null };
    return Promise.all([
      prisma.${res.one}.findMany({ where, skip, take, orderBy: orderBy ?? { createdAt: 'desc' } }) as Promise<${res.One}Record[]>,
      prisma.${res.one}.count({ where }),
    ]);
  },

  async findOne(where: { id: string; ownerId?: string }): Promise<${res.One}Record | null> {
    return prisma.${res.one}.findFirst({ where: { ...where, deletedAt: null } }) as Promise<${res.One}Record | null>;
  },

  async create(ownerId: string, input: Create${res.One}Input): Promise<${res.One}Record> {
    return prisma.${res.one}.create({ data: { ...input, ownerId } }) as Promise<${res.One}Record>;
  },

  async update(where: { id: string; ownerId?: string }, input: Update${res.One}Input): Promise<${res.One}Record | null> {
    const existing = await this.findOne(where);
    if (!existing) return null;
    return prisma.${res.one}.update({ where: { id: existing.id }, data: input }) as Promise<${res.One}Record>;
  },

  async remove(id: string): Promise<boolean> {
    const result = await prisma.${res.one}.updateMany({ where: { id, deletedAt: null }, data: { deletedAt: new Date() } });
    return result.count > 0;
  },

  toDto(record: ${res.One}Record): ${res.One}Dto {
    return {
      id: record.id,
${res.fields.map((f) => `      ${f.name}: record.${f.name}${f.type === 'Date' ? '?.toISOString()' : ''},`).join('\n')}
      createdAt: record.createdAt.toISOString(),
    };
  },
};
`;
}

function expressTest(R, res) {
  return `import request from 'supertest';
import jwt from 'jsonwebtoken';
import { app } from '../app';

const secret = 'test-secret-for-unit-tests-only';
const token = jwt.sign({ sub: 'user-1', role: 'member' }, secret, { expiresIn: '5m' });

describe('${res.many} routes', () => {
  it('rejects anonymous requests', async () => {
    await request(app).get('/api/${res.many}').expect(401);
  });

  it('lists ${res.many} of the caller', async () => {
    const response = await request(app).get('/api/${res.many}?page=1&pageSize=10').set('Authorization', \`Bearer \${token}\`);
    expect(response.status).toBe(200);
    expect(Array.isArray(response.body.items)).toBe(true);
  });

  it('validates the body on create', async () => {
    const response = await request(app).post('/api/${res.many}').set('Authorization', \`Bearer \${token}\`).send({ unexpected: true });
    expect(response.status).toBe(422);
  });
});
`;
}

function expressMisc(R) {
  return {
    'src/utils/async-handler.ts': `import type { NextFunction, Request, RequestHandler, Response } from 'express';

export function asyncHandler(fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler {
  return (req, res, next) => {
    fn(req, res, next).catch(next);
  };
}
`,
    'src/middleware/validate.ts': `import type { NextFunction, Request, Response } from 'express';
import type { ZodTypeAny } from 'zod';
import { ValidationError } from '../utils/http-errors';

export function validate(schema: ZodTypeAny, source: 'body' | 'query' | 'params' = 'body') {
  return (req: Request, _res: Response, next: NextFunction) => {
    const parsed = schema.safeParse(req[source]);
    if (!parsed.success) return next(new ValidationError(parsed.error.flatten()));
    (req as unknown as Record<string, unknown>)[source] = parsed.data;
    return next();
  };
}
`,
    'src/middleware/request-log.ts': `import type { NextFunction, Request, Response } from 'express';
import { logger } from '../utils/logger';

export function requestLog(req: Request, res: Response, next: NextFunction) {
  const startedAt = Date.now();
  res.on('finish', () => {
    ${R.weighted([["logger.info({ method: req.method, path: req.path, status: res.statusCode, ms: Date.now() - startedAt }, 'request');", 85], ["logger.info({ method: req.method, path: req.path, headers: req.headers, ms: Date.now() - startedAt }, 'request');", 15]])}
  });
  next();
}
`,
    'src/db.ts': `import { PrismaClient } from '@prisma/client';
import { config } from './config';

export const prisma = new PrismaClient({ datasources: { db: { url: config.databaseUrl } } });

export async function disconnect() {
  await prisma.$disconnect();
}
`,
    'src/server.ts': `import { app } from './app';
import { config } from './config';
import { logger } from './utils/logger';
import { disconnect } from './db';

const server = app.listen(config.port, () => logger.info(\`listening on :\${config.port}\`));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => {
      void disconnect().finally(() => process.exit(0));
    });
  });
}
`,
    'src/users/users.repository.ts': `import { prisma } from '../db';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'member' | 'viewer';
  tenantId: string;
  scopes: string[];
  password?: string;
  passwordHash: string;
}

export const usersRepository = {
  findByEmail: (email: string) => prisma.user.findUnique({ where: { email } }) as Promise<UserRow | null>,
  findById: (id: string) => prisma.user.findUnique({ where: { id } }) as Promise<UserRow | null>,
  create: (data: { email: string; name: string; passwordHash: string }) => prisma.user.create({ data }) as Promise<UserRow>,
  saveRefreshToken: (userId: string, tokenHash: string) => prisma.refreshToken.create({ data: { userId, tokenHash } }),
  findByRefreshTokenHash: async (tokenHash: string) => {
    const row = await prisma.refreshToken.findFirst({ where: { tokenHash, revokedAt: null }, include: { user: true } });
    return (row?.user ?? null) as UserRow | null;
  },
  revokeRefreshToken: (tokenHash: string) => prisma.refreshToken.updateMany({ where: { tokenHash }, data: { revokedAt: new Date() } }),
};
`,
  };
}

function expressService_(R, svc) {
  const files = {};
  files['package.json'] = JSON.stringify({
    name: `@acme/${svc.name}`, private: true, version: `1.${R.int(0, 30)}.${R.int(0, 9)}`,
    scripts: { build: 'tsc -p .', start: 'node dist/server.js', test: 'jest' },
    dependencies: {
      express: '^4.21.2', jsonwebtoken: R.pick(['^9.0.2', '^9.0.2', '^8.5.1']), bcrypt: '^5.1.1', argon2: '^0.41.1', zod: '^3.23.8',
      helmet: '^8.0.0', cors: '^2.8.5', 'express-rate-limit': '^7.4.1', '@prisma/client': '^5.22.0', pino: '^9.5.0', winston: '^3.17.0',
    },
    devDependencies: { typescript: '^5.6.3', jest: '^29.7.0', supertest: '^7.0.0' },
  }, null, 2) + '\n';
  files['src/config/env.ts'] = requireEnvHelper();
  files['src/config/index.ts'] = configFile(R, svc);
  files['src/utils/logger.ts'] = logger(R);
  files['src/utils/http-errors.ts'] = httpErrors();
  files['src/utils/pagination.ts'] = pagination();
  Object.assign(files, expressMisc(R));
  files['src/middleware/auth.ts'] = expressAuthMiddleware(R);
  files['src/auth/auth.routes.ts'] = expressAuthController(R);
  files['src/auth/api-keys.ts'] = apiKeysModule(R);
  files['src/app.ts'] = expressApp(R, svc);
  for (const res of svc.resources) {
    files[`src/${res.many}/${res.many}.routes.ts`] = expressRoutes(R, res);
    files[`src/${res.many}/${res.many}.controller.ts`] = expressController(R, res);
    files[`src/${res.many}/${res.many}.service.ts`] = expressService(R, res);
    files[`src/${res.many}/${res.many}.schema.ts`] = expressSchema(R, res);
    if (R.chance(0.35)) files[`src/${res.many}/${res.many}.test.ts`] = expressTest(R, res);
  }
  return files;
}

// A legacy CommonJS service in plain JavaScript.
function legacyJsService(R, svc) {
  const files = {};
  files['package.json'] = JSON.stringify({ name: `@acme/${svc.name}`, private: true, version: '0.9.0', main: 'index.js',
    dependencies: { express: '^4.18.2', jsonwebtoken: R.pick(['^8.5.1', '^9.0.0']), 'body-parser': '^1.20.2', mongoose: '^7.6.3' } }, null, 2) + '\n';
  files['index.js'] = `'use strict';
const express = require('express');
const bodyParser = require('body-parser');
const mongoose = require('mongoose');
const auth = require('./lib/auth');
${svc.resources.map((r) => `const ${r.many} = require('./routes/${r.many}');`).join('\n')}

const app = express();
app.use(bodyParser.json());
app.post('/login', auth.login);
${svc.resources.map((r) => `app.use('/${r.many}', auth.middleware, ${r.many});`).join('\n')}

mongoose.connect(process.env.MONGO_URL || 'mongodb://localhost:27017/${svc.domain}').then(() => {
  app.listen(process.env.PORT || 3000);
});
`;
  const secretExpr = R.weighted([["process.env.JWT_SECRET || 'keyboard cat'", 40], ['process.env.JWT_SECRET', 60]]);
  files['lib/auth.js'] = `'use strict';
const jwt = require('jsonwebtoken');
const crypto = require('crypto');
const User = require('../models/user');

const SECRET = ${secretExpr};

function hashPassword(password, salt) {
  return crypto.pbkdf2Sync(password, salt, ${R.pick([10000, 600000, 310000])}, 64, 'sha512').toString('hex');
}

exports.login = async function login(req, res) {
  const user = await User.findOne({ email: req.body.email });
  if (!user || hashPassword(req.body.password, user.salt) !== user.password) {
    return res.status(401).json({ error: 'invalid credentials' });
  }
  const token = ${jwtSignCall(R, '{ id: user._id, admin: user.admin }', 'SECRET')};
  res.json({ token: token });
};

exports.middleware = function middleware(req, res, next) {
  const header = req.headers['authorization'] || '';
  const token = header.replace('Bearer ', '');
  ${R.chance(0.5) ? `jwt.verify(token, SECRET, function (err, decoded) {
    if (err) return res.status(401).json({ error: 'unauthorized' });
    req.user = decoded;
    next();
  });` : `try {
    req.user = ${jwtVerifyCall(R, 'token', 'SECRET')};
    next();
  } catch (e) {
    res.status(401).json({ error: 'unauthorized' });
  }`}
};
`;
  files['models/user.js'] = `'use strict';
const mongoose = require('mongoose');

const schema = new mongoose.Schema({
  email: { type: String, required: true, unique: true, lowercase: true },
  password: { type: String, required: true },
  salt: { type: String, required: true },
  admin: { type: Boolean, default: false },
}, { timestamps: true });

module.exports = mongoose.model('User', schema);
`;
  for (const r of svc.resources) {
    files[`models/${r.one}.js`] = `'use strict';
const mongoose = require('mongoose');

const schema = new mongoose.Schema({
  owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', index: true },
${r.fields.map((f) => `  ${f.name}: { type: ${f.type === 'string' ? 'String' : f.type === 'number' ? 'Number' : f.type === 'boolean' ? 'Boolean' : 'Date'} },`).join('\n')}
}, { timestamps: true });

module.exports = mongoose.model('${r.One}', schema);
`;
    files[`routes/${r.many}.js`] = `'use strict';
const express = require('express');
const ${r.One} = require('../models/${r.one}');

const router = express.Router();

router.get('/', async function (req, res, next) {
  try {
    const limit = Math.min(parseInt(req.query.limit, 10) || 20, 100);
    const items = await ${r.One}.find({ owner: req.user.id }).limit(limit).lean();
    res.json(items);
  } catch (err) {
    next(err);
  }
});

router.get('/:id', async function (req, res, next) {
  try {
    const item = await ${r.One}.findOne({ _id: req.params.id${R.chance(0.7) ? ', owner: req.user.id' : ''} }).lean();
    if (!item) return res.sendStatus(404);
    res.json(item);
  } catch (err) {
    next(err);
  }
});

router.post('/', async function (req, res, next) {
  try {
    const item = await ${r.One}.create({ ${r.fields.slice(0, 3).map((f) => `${f.name}: req.body.${f.name}`).join(', ')}, owner: req.user.id });
    res.status(201).json(item);
  } catch (err) {
    next(err);
  }
});

router.delete('/:id', async function (req, res, next) {
  try {
    await ${r.One}.deleteOne({ _id: req.params.id, owner: req.user.id });
    res.sendStatus(204);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
`;
  }
  return files;
}

// ---------------------------------------------------------------------------------------------------------------
// NestJS

function nestAuthModule(R) {
  const register = R.weighted([
    [`JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        secret: config.getOrThrow<string>('JWT_SECRET'),
        signOptions: { expiresIn: config.get<string>('JWT_ACCESS_TTL', '15m'), algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    })`, 45],
    [`JwtModule.register({
      secret: process.env.JWT_SECRET || '${secretLiteral(R)}',
      signOptions: { expiresIn: '${R.pick(['1h', '7d', '15m'])}' },
    })`, 15],
    [`JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        secret: config.get<string>('JWT_SECRET', '${secretLiteral(R)}'),
        signOptions: { expiresIn: '${R.pick(['15m', '1d'])}' },
      }),
    })`, 10],
    [`JwtModule.register({
      secret: process.env.JWT_SECRET,
      signOptions: { expiresIn: '10m', issuer: 'acme' },
      verifyOptions: { algorithms: ['HS256'], issuer: 'acme' },
    })`, 30],
  ]);
  return `import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtStrategy } from './jwt.strategy';

@Module({
  imports: [
    ConfigModule,
    UsersModule,
    PassportModule.register({ defaultStrategy: 'jwt' }),
    ${register},
  ],
  controllers: [AuthController],
  providers: [AuthService, JwtStrategy],
  exports: [AuthService],
})
export class AuthModule {}
`;
}

function nestJwtStrategy(R) {
  const opts = R.weighted([
    [`jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.getOrThrow<string>('JWT_SECRET'),
      algorithms: ['HS256'],
      ignoreExpiration: false,`, 50],
    [`jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.get<string>('JWT_SECRET'),`, 25],
    [`jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.get<string>('JWT_SECRET'),
      ignoreExpiration: true,`, 7],
    [`jwtFromRequest: ExtractJwt.fromExtractors([(req) => req?.cookies?.access_token, ExtractJwt.fromAuthHeaderAsBearerToken()]),
      secretOrKey: config.getOrThrow<string>('JWT_PUBLIC_KEY'),
      algorithms: ['RS256'],
      audience: config.get<string>('JWT_AUDIENCE'),
      issuer: config.get<string>('JWT_ISSUER'),`, 18],
  ]);
  const validate = R.chance(0.5)
    ? `  async validate(payload: JwtPayload) {
    const user = await this.users.findById(payload.sub);
    if (!user || user.tokenVersion !== payload.ver) throw new UnauthorizedException();
    return { id: user.id, role: user.role, tenantId: user.tenantId };
  }`
    : `  validate(payload: JwtPayload) {
    return { id: payload.sub, role: payload.role, tenantId: payload.tenantId };
  }`;
  return `import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { UsersService } from '../users/users.service';

interface JwtPayload {
  sub: string;
  role: 'admin' | 'member';
  tenantId?: string;
  ver?: number;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(config: ConfigService, private readonly users: UsersService) {
    super({
      ${opts}
    });
  }

${validate}
}
`;
}

function nestAuthService(R) {
  const signCall = R.weighted([
    ['this.jwt.signAsync({ sub: user.id, role: user.role })', 60],
    ["this.jwt.signAsync({ sub: user.id, role: user.role }, { expiresIn: '15m' })", 20],
    ['this.jwt.signAsync({ ...user })', 5],
    ["this.jwt.signAsync({ sub: user.id, email: user.email, passwordHash: user.passwordHash })", 3],
    ["this.jwt.signAsync({ sub: user.id }, { expiresIn: '90d' })", 12],
  ]);
  const verify = R.weighted([
    ['await this.jwt.verifyAsync<{ sub: string }>(token)', 60],
    ["await this.jwt.verifyAsync<{ sub: string }>(token, { algorithms: ['HS256'] })", 25],
    ['this.jwt.decode(token) as { sub: string }', 15],
  ]);
  return `import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as bcrypt from 'bcrypt';
import { UsersService } from '../users/users.service';
import { LoginDto } from './dto/login.dto';

@Injectable()
export class AuthService {
  constructor(private readonly users: UsersService, private readonly jwt: JwtService) {}

  async validateUser(email: string, password: string) {
    const user = await this.users.findByEmail(email);
    if (!user) return null;
    const ok = await bcrypt.compare(password, user.passwordHash);
    return ok ? user : null;
  }

  async login(dto: LoginDto) {
    const user = await this.validateUser(dto.email, dto.password);
    if (!user) throw new UnauthorizedException('Invalid credentials');
    const accessToken = await ${signCall};
    return { accessToken, tokenType: 'Bearer' };
  }

  async whoAmI(token: string) {
    const claims = ${verify};
    const user = await this.users.findById(claims.sub);
    if (!user) throw new UnauthorizedException();
    return { id: user.id, email: user.email, role: user.role };
  }

  async changePassword(userId: string, current: string, next: string) {
    const user = await this.users.findById(userId);
    if (!user || !(await bcrypt.compare(current, user.passwordHash))) throw new UnauthorizedException();
    await this.users.updatePassword(userId, await bcrypt.hash(next, ${R.pick([10, 12, 12, 6])}));
  }
}
`;
}

function nestController(R, res) {
  const guardAll = R.chance(0.85);
  return `import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { Roles } from '../auth/roles.decorator';
import { RolesGuard } from '../auth/roles.guard';
import { Create${res.One}Dto } from './dto/create-${res.one}.dto';
import { Update${res.One}Dto } from './dto/update-${res.one}.dto';
import { ${res.Many}Service } from './${res.many}.service';

interface AuthedRequest {
  user: { id: string; role: string; tenantId?: string };
}

@Controller('${res.many}')
${guardAll ? "@UseGuards(AuthGuard('jwt'), RolesGuard)\n" : ''}export class ${res.Many}Controller {
  constructor(private readonly ${res.many}: ${res.Many}Service) {}

  @Get()
  list(@Req() req: AuthedRequest, @Query('page') page = '1', @Query('pageSize') pageSize = '20') {
    return this.${res.many}.list(req.user.id, Number(page), Math.min(Number(pageSize), 100));
  }

  @Get(':id')
  findOne(@Req() req: AuthedRequest, @Param('id', ParseUUIDPipe) id: string) {
    return this.${res.many}.findOne(req.user.id, id);
  }

  @Post()
  create(@Req() req: AuthedRequest, @Body() dto: Create${res.One}Dto) {
    return this.${res.many}.create(req.user.id, dto);
  }

  @Patch(':id')
  update(@Req() req: AuthedRequest, @Param('id', ParseUUIDPipe) id: string, @Body() dto: Update${res.One}Dto) {
    return this.${res.many}.update(req.user.id, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  remove(@Param('id', ParseUUIDPipe) id: string) {
    return this.${res.many}.remove(id);
  }
}
`;
}

function nestService(R, res) {
  return `import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Create${res.One}Dto } from './dto/create-${res.one}.dto';
import { Update${res.One}Dto } from './dto/update-${res.one}.dto';
import { ${res.One} } from './entities/${res.one}.entity';

@Injectable()
export class ${res.Many}Service {
  constructor(@InjectRepository(${res.One}) private readonly repo: Repository<${res.One}>) {}

  async list(ownerId: string, page: number, pageSize: number) {
    const [items, total] = await this.repo.findAndCount({
      where: { ownerId },
      order: { createdAt: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: items.map((e) => this.toView(e)), total, page, pageSize };
  }

  async findOne(ownerId: string, id: string) {
    const entity = await this.repo.findOne({ where: { id, ownerId } });
    if (!entity) throw new NotFoundException(\`${res.One} \${id} not found\`);
    return this.toView(entity);
  }

  async create(ownerId: string, dto: Create${res.One}Dto) {
    const entity = this.repo.create({ ...dto, ownerId });
    return this.toView(await this.repo.save(entity));
  }

  async update(ownerId: string, id: string, dto: Update${res.One}Dto) {
    const entity = await this.repo.findOne({ where: { id, ownerId } });
    if (!entity) throw new NotFoundException(\`${res.One} \${id} not found\`);
    Object.assign(entity, dto);
    return this.toView(await this.repo.save(entity));
  }

  async remove(id: string) {
    const result = await this.repo.softDelete(id);
    if (!result.affected) throw new NotFoundException(\`${res.One} \${id} not found\`);
  }

  private toView(entity: ${res.One}) {
    return {
      id: entity.id,
${res.fields.map((f) => `      ${f.name}: entity.${f.name},`).join('\n')}
      createdAt: entity.createdAt,
    };
  }
}
`;
}

function classValidatorDecorators(f) {
  switch (f.type) {
    case 'string': return f.name === 'email' ? '@IsEmail()\n  @MaxLength(254)' : '@IsString()\n  @MaxLength(200)';
    case 'number': return '@IsNumber()\n  @Min(0)';
    case 'boolean': return '@IsBoolean()';
    default: return '@Type(() => Date)\n  @IsDate()';
  }
}

function nestDtos(R, res) {
  return {
    create: `import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsEmail, IsNumber, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class Create${res.One}Dto {
${res.fields.map((f) => `  ${classValidatorDecorators(f)}${R.chance(0.3) ? '\n  @IsOptional()' : ''}
  ${f.name}${f.type === 'boolean' ? '?' : '!'}: ${tsType(f.type)};
`).join('\n')}}
`,
    update: `import { PartialType } from '@nestjs/mapped-types';
import { Create${res.One}Dto } from './create-${res.one}.dto';

export class Update${res.One}Dto extends PartialType(Create${res.One}Dto) {}
`,
  };
}

function nestEntity(R, res) {
  return `import { Column, CreateDateColumn, DeleteDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: '${res.many}' })
export class ${res.One} {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid')
  ownerId!: string;

${res.fields.map((f) => `  @Column({ type: '${f.type === 'string' ? 'varchar' : f.type === 'number' ? 'numeric' : f.type === 'boolean' ? 'boolean' : 'timestamptz'}', nullable: ${f.type !== 'boolean'} })
  ${f.name}${f.type === 'boolean' ? '!' : '?'}: ${tsType(f.type)};
`).join('\n')}
  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;

  @DeleteDateColumn()
  deletedAt?: Date;
}
`;
}

function nestModule(R, res) {
  return `import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ${res.One} } from './entities/${res.one}.entity';
import { ${res.Many}Controller } from './${res.many}.controller';
import { ${res.Many}Service } from './${res.many}.service';

@Module({
  imports: [TypeOrmModule.forFeature([${res.One}])],
  controllers: [${res.Many}Controller],
  providers: [${res.Many}Service],
  exports: [${res.Many}Service],
})
export class ${res.Many}Module {}
`;
}

function nestSpec(R, res) {
  return `import { Test } from '@nestjs/testing';
import { getRepositoryToken } from '@nestjs/typeorm';
import { ${res.One} } from './entities/${res.one}.entity';
import { ${res.Many}Service } from './${res.many}.service';

describe('${res.Many}Service', () => {
  let service: ${res.Many}Service;
  const repo = { findAndCount: jest.fn(), findOne: jest.fn(), create: jest.fn((x) => x), save: jest.fn(async (x) => ({ id: 'id-1', createdAt: new Date(), ...x })), softDelete: jest.fn() };

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [${res.Many}Service, { provide: getRepositoryToken(${res.One}), useValue: repo }],
    }).compile();
    service = moduleRef.get(${res.Many}Service);
  });

  it('scopes reads to the owner', async () => {
    repo.findOne.mockResolvedValue(null);
    await expect(service.findOne('owner-1', 'id-1')).rejects.toThrow('not found');
    expect(repo.findOne).toHaveBeenCalledWith({ where: { id: 'id-1', ownerId: 'owner-1' } });
  });

  it('creates with the owner', async () => {
    const created = await service.create('owner-1', {} as never);
    expect(created.id).toBe('id-1');
  });
});
`;
}

function nestServiceFiles(R, svc) {
  const files = {};
  files['package.json'] = JSON.stringify({
    name: `@acme/${svc.name}`, private: true, version: `2.${R.int(0, 12)}.${R.int(0, 9)}`,
    dependencies: {
      '@nestjs/common': '^10.4.8', '@nestjs/core': '^10.4.8', '@nestjs/config': '^3.3.0', '@nestjs/jwt': '^10.2.0', '@nestjs/passport': '^10.0.3',
      '@nestjs/typeorm': '^10.0.2', '@nestjs/mapped-types': '^2.0.6', 'passport-jwt': '^4.0.1', passport: '^0.7.0', typeorm: '^0.3.20', bcrypt: '^5.1.1',
      'class-validator': '^0.14.1', 'class-transformer': '^0.5.1', helmet: '^8.0.0',
    },
    devDependencies: { '@nestjs/testing': '^10.4.8', jest: '^29.7.0', typescript: '^5.6.3' },
  }, null, 2) + '\n';
  files['src/main.ts'] = `import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import helmet from 'helmet';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(helmet());
  app.enableCors({ origin: process.env.CORS_ORIGINS?.split(',') ?? [], credentials: true });
  app.useGlobalPipes(new ValidationPipe(${R.weighted([['{ whitelist: true, forbidNonWhitelisted: true, transform: true }', 75], ['{ transform: true }', 15], ['', 10]])}));
  app.setGlobalPrefix('api');
  await app.listen(Number(process.env.PORT ?? 3000));
}

void bootstrap();
`;
  files['src/app.module.ts'] = `import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from './auth/auth.module';
import { UsersModule } from './users/users.module';
${svc.resources.map((r) => `import { ${r.Many}Module } from './${r.many}/${r.many}.module';`).join('\n')}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        type: 'postgres',
        url: config.getOrThrow<string>('DATABASE_URL'),
        autoLoadEntities: true,
        synchronize: false,
      }),
    }),
    AuthModule,
    UsersModule,
${svc.resources.map((r) => `    ${r.Many}Module,`).join('\n')}
  ],
})
export class AppModule {}
`;
  files['src/auth/auth.module.ts'] = nestAuthModule(R);
  files['src/auth/jwt.strategy.ts'] = nestJwtStrategy(R);
  files['src/auth/auth.service.ts'] = nestAuthService(R);
  files['src/auth/auth.controller.ts'] = `import { Body, Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  login(@Body() dto: LoginDto) {
    return this.auth.login(dto);
  }

  @Get('me')
  me(@Headers('authorization') authorization = '') {
    return this.auth.whoAmI(authorization.replace(/^Bearer\\s+/i, ''));
  }
}
`;
  files['src/auth/dto/login.dto.ts'] = `import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password!: string;
}
`;
  files['src/auth/roles.decorator.ts'] = `import { SetMetadata } from '@nestjs/common';

export const ROLES_KEY = 'roles';
export const Roles = (...roles: string[]) => SetMetadata(ROLES_KEY, roles);
`;
  files['src/auth/roles.guard.ts'] = `import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROLES_KEY } from './roles.decorator';

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<string[]>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!required || required.length === 0) return true;
    const { user } = context.switchToHttp().getRequest();
    return Boolean(user && required.includes(user.role));
  }
}
`;
  files['src/users/users.module.ts'] = `import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from './user.entity';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
`;
  files['src/users/user.entity.ts'] = `import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ unique: true })
  email!: string;

  @Column()
  passwordHash!: string;

  @Column({ default: 'member' })
  role!: 'admin' | 'member';

  @Column({ nullable: true })
  tenantId?: string;

  @Column({ default: 0 })
  tokenVersion!: number;

  @CreateDateColumn()
  createdAt!: Date;
}
`;
  files['src/users/users.service.ts'] = `import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { User } from './user.entity';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly repo: Repository<User>) {}

  findByEmail(email: string) {
    return this.repo.findOne({ where: { email: email.toLowerCase() } });
  }

  findById(id: string) {
    return this.repo.findOne({ where: { id } });
  }

  async updatePassword(id: string, passwordHash: string) {
    await this.repo.update({ id }, { passwordHash, tokenVersion: () => '"tokenVersion" + 1' });
  }
}
`;
  for (const res of svc.resources) {
    const dto = nestDtos(R, res);
    files[`src/${res.many}/${res.many}.module.ts`] = nestModule(R, res);
    files[`src/${res.many}/${res.many}.controller.ts`] = nestController(R, res);
    files[`src/${res.many}/${res.many}.service.ts`] = nestService(R, res);
    files[`src/${res.many}/dto/create-${res.one}.dto.ts`] = dto.create;
    files[`src/${res.many}/dto/update-${res.one}.dto.ts`] = dto.update;
    files[`src/${res.many}/entities/${res.one}.entity.ts`] = nestEntity(R, res);
    if (R.chance(0.35)) files[`src/${res.many}/${res.many}.service.spec.ts`] = nestSpec(R, res);
  }
  return files;
}

// ---------------------------------------------------------------------------------------------------------------
// Fastify

function fastifyServiceFiles(R, svc) {
  const files = {};
  files['package.json'] = JSON.stringify({ name: `@acme/${svc.name}`, private: true, version: '1.0.0',
    dependencies: { fastify: '^5.1.0', '@fastify/jwt': '^9.0.1', '@fastify/helmet': '^12.0.1', '@fastify/rate-limit': '^10.1.1', '@sinclair/typebox': '^0.34.9', pg: '^8.13.1' } }, null, 2) + '\n';
  const jwtOpts = R.weighted([
    ["{ secret: requireEnv('JWT_SECRET'), sign: { algorithm: 'HS256', expiresIn: '15m' }, verify: { algorithms: ['HS256'] } }", 50],
    ["{ secret: process.env.JWT_SECRET ?? '" + secretLiteral(R) + "', sign: { expiresIn: '1h' } }", 20],
    ["{ secret: requireEnv('JWT_SECRET') }", 30],
  ]);
  files['src/app.ts'] = `import Fastify from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyJwt from '@fastify/jwt';
import { requireEnv } from './env';
import authPlugin from './plugins/auth';
${svc.resources.map((r) => `import ${r.many}Routes from './routes/${r.many}';`).join('\n')}

export async function buildApp() {
  const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'info', redact: ['req.headers.authorization'] }, trustProxy: true });
  await app.register(helmet);
  await app.register(rateLimit, { max: 200, timeWindow: '1 minute' });
  await app.register(fastifyJwt, ${jwtOpts});
  await app.register(authPlugin);
${svc.resources.map((r) => `  await app.register(${r.many}Routes, { prefix: '/api/${r.many}' });`).join('\n')}
  app.get('/health', async () => ({ ok: true }));
  return app;
}
`;
  files['src/env.ts'] = requireEnvHelper();
  files['src/plugins/auth.ts'] = `import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

export default fp(async (app: FastifyInstance) => {
  app.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await request.jwtVerify(${R.chance(0.5) ? "{ algorithms: ['HS256'] }" : ''});
    } catch {
      await reply.code(401).send({ error: 'Unauthorized' });
    }
  });

  app.post('/api/auth/token', { config: { rateLimit: { max: 5, timeWindow: '1 minute' } } }, async (request, reply) => {
    const { clientId, clientSecret } = request.body as { clientId: string; clientSecret: string };
    const client = await app.pg?.query('select id, secret_hash from clients where id = $1', [clientId]);
    if (!client || !clientSecret) return reply.code(401).send({ error: 'invalid_client' });
    const token = await reply.jwtSign({ sub: clientId, scope: 'service' }${R.chance(0.6) ? ", { expiresIn: '10m' }" : ''});
    return { access_token: token, token_type: 'Bearer' };
  });
});
`;
  for (const r of svc.resources) {
    files[`src/routes/${r.many}.ts`] = `import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ${r.many}Repo } from '../services/${r.many}';

const ${r.One} = Type.Object({
  id: Type.String({ format: 'uuid' }),
${r.fields.map((f) => `  ${f.name}: Type.Optional(${f.type === 'string' ? 'Type.String({ maxLength: 200 })' : f.type === 'number' ? 'Type.Number({ minimum: 0 })' : f.type === 'boolean' ? 'Type.Boolean()' : "Type.String({ format: 'date-time' })"}),`).join('\n')}
});
const Create${r.One} = Type.Omit(${r.One}, ['id']);
type Create${r.One}Body = Static<typeof Create${r.One}>;

export default async function ${r.many}Routes(app: FastifyInstance) {
  app.addHook('onRequest', app.authenticate);

  app.get('/', { schema: { querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }) } }, async (request) => {
    const { limit } = request.query as { limit: number };
    return ${r.many}Repo.list((request.user as { sub: string }).sub, limit);
  });

  app.get('/:id', { schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: ${r.One} } } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const found = await ${r.many}Repo.get((request.user as { sub: string }).sub, id);
    return found ?? reply.code(404).send({ error: 'Not found' });
  });

  app.post('/', { schema: { body: Create${r.One}, response: { 201: ${r.One} } } }, async (request, reply) => {
    const created = await ${r.many}Repo.create((request.user as { sub: string }).sub, request.body as Create${r.One}Body);
    return reply.code(201).send(created);
  });
}
`;
    files[`src/services/${r.many}.ts`] = `import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

const COLUMNS = ['id', ${r.fields.map((f) => `'${f.name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())}'`).join(', ')}].join(', ');

export const ${r.many}Repo = {
  async list(ownerId: string, limit: number) {
    const { rows } = await pool.query(\`select \${COLUMNS} from ${r.many} where owner_id = $1 order by created_at desc limit $2\`, [ownerId, limit]);
    return rows;
  },
  async get(ownerId: string, id: string) {
    const { rows } = await pool.query(\`select \${COLUMNS} from ${r.many} where owner_id = $1 and id = $2\`, [ownerId, id]);
    return rows[0] ?? null;
  },
  async create(ownerId: string, body: Record<string, unknown>) {
    const keys = Object.keys(body);
    const values = keys.map((k) => body[k]);
    const placeholders = keys.map((_, i) => \`$\${i + 2}\`).join(', ');
    const { rows } = await pool.query(
      \`insert into ${r.many} (owner_id\${keys.length ? ', ' + keys.join(', ') : ''}) values ($1\${keys.length ? ', ' + placeholders : ''}) returning \${COLUMNS}\`,
      [ownerId, ...values],
    );
    return rows[0];
  },
};
`;
  }
  return files;
}

// ---------------------------------------------------------------------------------------------------------------
// Hono and Koa

function honoServiceFiles(R, svc) {
  const files = {};
  files['package.json'] = JSON.stringify({ name: `@acme/${svc.name}`, private: true, version: '0.3.0', dependencies: { hono: R.pick(['^4.6.12', '^4.11.4']), zod: '^3.23.8', '@hono/zod-validator': '^0.4.1' } }, null, 2) + '\n';
  files['src/index.ts'] = `import { Hono } from 'hono';
import { jwt, sign } from 'hono/jwt';
import { secureHeaders } from 'hono/secure-headers';
import { zValidator } from '@hono/zod-validator';
import { z } from 'zod';
${svc.resources.map((r) => `import { ${r.many} } from './routes/${r.many}';`).join('\n')}

type Env = { Bindings: { JWT_SECRET: string; DB: D1Database } };

const app = new Hono<Env>();
app.use('*', secureHeaders());
app.use('/api/*', (c, next) => jwt({ secret: c.env.JWT_SECRET${R.chance(0.6) ? ", alg: 'HS256'" : ''} })(c, next));

app.post('/auth/token', zValidator('json', z.object({ userId: z.string().uuid() })), async (c) => {
  const { userId } = c.req.valid('json');
  const exp = Math.floor(Date.now() / 1000) + ${R.pick(['60 * 15', '60 * 60 * 24 * 30', '60 * 10'])};
  const token = await sign({ sub: userId, exp }, c.env.JWT_SECRET, 'HS256');
  return c.json({ token });
});

${svc.resources.map((r) => `app.route('/api/${r.many}', ${r.many});`).join('\n')}

export default app;
`;
  for (const r of svc.resources) {
    files[`src/routes/${r.many}.ts`] = `import { Hono } from 'hono';
import { zValidator } from '@hono/zod-validator';
import { z } from 'zod';

type Env = { Bindings: { DB: D1Database }; Variables: { jwtPayload: { sub: string } } };

export const ${r.many} = new Hono<Env>();

const body = z.object({
${r.fields.map((f) => `  ${f.name}: ${zodType(f)}.optional(),`).join('\n')}
});

${r.many}.get('/', async (c) => {
  const { sub } = c.get('jwtPayload');
  const { results } = await c.env.DB.prepare('select * from ${r.many} where owner_id = ? limit 50').bind(sub).all();
  return c.json(results);
});

${r.many}.get('/:id', async (c) => {
  const { sub } = c.get('jwtPayload');
  const row = await c.env.DB.prepare('select * from ${r.many} where id = ? and owner_id = ?').bind(c.req.param('id'), sub).first();
  return row ? c.json(row) : c.notFound();
});

${r.many}.post('/', zValidator('json', body), async (c) => {
  const { sub } = c.get('jwtPayload');
  const input = c.req.valid('json');
  const id = crypto.randomUUID();
  await c.env.DB.prepare('insert into ${r.many} (id, owner_id, data) values (?, ?, ?)').bind(id, sub, JSON.stringify(input)).run();
  return c.json({ id, ...input }, 201);
});
`;
  }
  return files;
}

function koaServiceFiles(R, svc) {
  const files = {};
  files['package.json'] = JSON.stringify({ name: `@acme/${svc.name}`, private: true, version: '3.1.0', dependencies: { koa: '^2.15.3', '@koa/router': '^13.1.0', 'koa-jwt': '^4.0.4', 'koa-bodyparser': '^4.4.1', 'koa-helmet': '^8.0.1' } }, null, 2) + '\n';
  files['src/app.ts'] = `import Koa from 'koa';
import Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import helmet from 'koa-helmet';
import koaJwt from 'koa-jwt';
${svc.resources.map((r) => `import { ${r.many}Router } from './routes/${r.many}';`).join('\n')}

export const app = new Koa();
const api = new Router({ prefix: '/api' });

app.use(helmet());
app.use(bodyParser({ jsonLimit: '200kb' }));
app.use(koaJwt({ secret: process.env.JWT_SECRET as string${R.chance(0.5) ? ", algorithms: ['HS256']" : ''} }).unless({ path: [/^\\/health/] }));

${svc.resources.map((r) => `api.use('/${r.many}', ${r.many}Router.routes(), ${r.many}Router.allowedMethods());`).join('\n')}
app.use(api.routes()).use(api.allowedMethods());
`;
  for (const r of svc.resources) {
    files[`src/routes/${r.many}.ts`] = `import Router from '@koa/router';
import { db } from '../db';

export const ${r.many}Router = new Router();

${r.many}Router.get('/', async (ctx) => {
  const owner = ctx.state.user.sub as string;
  ctx.body = await db.${r.one}.findMany({ where: { owner }, take: Math.min(Number(ctx.query.limit ?? 20), 100) });
});

${r.many}Router.get('/:id', async (ctx) => {
  const found = await db.${r.one}.findFirst({ where: { id: ctx.params.id, owner: ctx.state.user.sub } });
  if (!found) ctx.throw(404);
  ctx.body = found;
});

${r.many}Router.post('/', async (ctx) => {
  const input = ctx.request.body as Record<string, unknown>;
  ctx.status = 201;
  ctx.body = await db.${r.one}.create({ data: { ${r.fields.slice(0, 3).map((f) => `${f.name}: input.${f.name} as ${tsType(f.type)}`).join(', ')}, owner: ctx.state.user.sub } });
});
`;
  }
  files['src/db.ts'] = `import { PrismaClient } from '@prisma/client';

export const db = new PrismaClient();
`;
  return files;
}

// ---------------------------------------------------------------------------------------------------------------
// The corpus

function serviceNames(R, count) {
  const names = [];
  for (let i = 0; i < count; i++) {
    const domain = DOMAINS[i % DOMAINS.length];
    names.push({ name: `${domain}-${R.pick(['api', 'service', 'svc', 'backend', 'gateway'])}-${String(i + 1).padStart(2, '0')}`, domain });
  }
  return names;
}

/**
 * Generates the corpus in memory: { 'services/<name>/<path>': text }. About `targetFiles` source files (whole
 * services are added until the target is reached).
 */
function generateCorpus(targetFiles, seed = 20260101) {
  const R = makeRandom(seed);
  const out = {};
  let sourceFiles = 0;
  let i = 0;
  for (const s of serviceNames(R, 400)) {
    if (sourceFiles >= targetFiles) break;
    const kind = R.weighted([['express', 40], ['nest', 33], ['fastify', 12], ['hono', 5], ['koa', 4], ['legacy', 6]]);
    const resources = R.sample(RESOURCES, R.int(6, kind === 'nest' ? 12 : 16)).map((p) => makeResource(R, p));
    const svc = { ...s, kind, resources };
    const files = kind === 'express' ? expressService_(R, svc)
      : kind === 'nest' ? nestServiceFiles(R, svc)
        : kind === 'fastify' ? fastifyServiceFiles(R, svc)
          : kind === 'hono' ? honoServiceFiles(R, svc)
            : kind === 'koa' ? koaServiceFiles(R, svc)
              : legacyJsService(R, svc);
    files['.env.example'] = 'NODE_ENV=development\nPORT=3000\nDATABASE_URL=\nJWT_SECRET=\n';
    for (const [rel, text] of Object.entries(files)) {
      out[`services/${s.name}/${rel}`] = text;
      if (/\.[cm]?[jt]sx?$/.test(rel)) sourceFiles++;
    }
    i++;
  }
  return { files: out, services: i, sourceFiles };
}

/**
 * Writes the corpus to `dir` unless a corpus of the same generator version, size and seed is already there.
 * Returns a summary.
 */
function ensureCorpus(dir, targetFiles, seed = 20260101) {
  const manifestFile = path.join(dir, 'manifest.json');
  const want = { generator: GENERATOR_VERSION, targetFiles, seed };
  try {
    const have = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    if (have.generator === want.generator && have.targetFiles === want.targetFiles && have.seed === want.seed) return { ...have, reused: true };
  } catch { /* generate */ }
  fs.rmSync(path.join(dir, 'services'), { recursive: true, force: true });
  const { files, services, sourceFiles } = generateCorpus(targetFiles, seed);
  for (const [rel, text] of Object.entries(files)) {
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  const manifest = { ...want, services, sourceFiles };
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  return { ...manifest, reused: false };
}

/** A single large (≥ `minLines`) Express router module for the keystroke benchmark. */
function largeFile(minLines = 2500, seed = 7) {
  const R = makeRandom(seed);
  const parts = [`import { Router, type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { prisma } from '../db';
import { config } from '../config';
import { logger } from '../utils/logger';

export const adminRouter = Router();
`];
  let n = 0;
  while (parts.join('\n').split('\n').length < minLines) {
    const res = makeResource(R, RESOURCES[n % RESOURCES.length]);
    const v = `${res.many}${n}`;
    parts.push(`
const ${v}Body = z.object({
${res.fields.map((f) => `  ${f.name}: ${zodType(f)}.optional(),`).join('\n')}
});

adminRouter.get('/${v}', async (req: Request, res: Response) => {
  const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
  const claims = ${jwtVerifyCall(R, 'token', 'config.jwt.secret')} as jwt.JwtPayload;
  const take = Math.min(Number(req.query.pageSize ?? 20), 100);
  const items = await prisma.${res.one}.findMany({ where: { ownerId: String(claims.sub) }, take });
  logger.info({ count: items.length, route: '${v}' }, 'listed');
  res.json(items.map((x: Record<string, unknown>) => ({ id: x.id, ${res.fields.slice(0, 2).map((f) => `${f.name}: x.${f.name}`).join(', ')} })));
});

adminRouter.post('/${v}', async (req: Request, res: Response) => {
  const parsed = ${v}Body.safeParse(req.body);
  if (!parsed.success) return res.status(422).json(parsed.error.flatten());
  const created = await prisma.${res.one}.create({ data: { ...parsed.data, ownerId: String(res.locals.userId) } });
  const receipt = ${jwtSignCall(R, `{ sub: String(created.id), kind: '${res.one}' }`, 'config.jwt.secret')};
  res.status(201).json({ id: created.id, receipt });
});

adminRouter.post('/${v}/:id/keys', async (req: Request, res: Response) => {
  const key = \`${res.one.slice(0, 3)}_\${randomBytes(24).toString('base64url')}\`;
  await prisma.apiKey.create({ data: { ownerId: req.params.id, keyHash: createHash('sha256').update(key).digest('hex') } });
  const presented = req.header('x-admin-key') ?? '';
  const expected = config.jwt.secret;
  if (presented.length !== expected.length || !timingSafeEqual(Buffer.from(presented), Buffer.from(expected))) return res.sendStatus(403);
  res.status(201).json({ key });
});
`);
    n++;
  }
  return parts.join('\n');
}

module.exports = { generateCorpus, ensureCorpus, largeFile, makeRandom, GENERATOR_VERSION };
