import rule from '../../../shared-rules/src/rules/secrets/env-literal-fallback';
import { ruleTester } from '../../support/ruleTester';
import { fake, withRequireEnvHelper } from './fakeSecrets';

const NEST = `import { Injectable } from '@nestjs/common';\nimport { ConfigService } from '@nestjs/config';\n`;

ruleTester(rule, {
  valid: [
    { name: 'N1: getOrThrow', code: `${NEST}@Injectable()\nclass A { constructor(private readonly config: ConfigService) {}\n  s() { return this.config.getOrThrow<string>('JWT_SECRET'); } }` },
    { name: 'N2: non-secret names', code: `const port = Number(process.env.PORT ?? 3000);\nconst level = process.env.LOG_LEVEL || 'info';\nconst url = process.env.API_URL || 'http://localhost:3000';\nconst keyId = process.env.AWS_ACCESS_KEY_ID || 'none';` },
    { name: 'fallback is another variable or call', code: `const s = process.env.JWT_SECRET || config.secret;\nconst t = process.env.API_TOKEN ?? readToken();\nconst u = process.env.SESSION_SECRET || undefined;` },
    { name: 'public names', code: `const k = process.env.NEXT_PUBLIC_STRIPE_KEY || 'pk_placeholder';\nconst p = process.env.STRIPE_PUBLISHABLE_KEY ?? 'none';` },
    { name: 'get with an options object', code: `${NEST}class A { constructor(private config: ConfigService) {}\n  s() { return this.config.get('JWT_SECRET', { infer: true }); } }` },
    { name: 'an unrelated get with two arguments', code: `const m = new Map<string, string>();\nm.get('API_TOKEN');\ncache.get('JWT_SECRET', 'x');` },
    { name: 'envalid devDefault is dev-only', code: `import { cleanEnv, str } from 'envalid';\nexport const env = cleanEnv(process.env, { JWT_SECRET: str({ devDefault: 'dev-secret' }) });` },
    { name: 'zod default on a non-secret key', code: `import { z } from 'zod';\nconst Env = z.object({ PORT: z.coerce.number().default(3000), JWT_SECRET: z.string().min(32) });` },
    { name: 'a provider token fallback is left to known-token-format', code: `const k = process.env.STRIPE_SECRET_KEY || '${fake.stripeLive()}';` },
    { name: 'destructuring default from an ordinary object', code: `const { apiKey = 'abc' } = options;` },
  ],
  invalid: [
    {
      name: 'P1: || fallback',
      code: `const secret = process.env.JWT_SECRET || 'dev-secret';`,
      errors: [{
        line: 1, severity: 'error', message: '`JWT_SECRET` falls back to a hard-coded value',
        suggestions: [{ title: 'Require JWT_SECRET', output: withRequireEnvHelper(`const secret = requireEnv('JWT_SECRET');`) }],
      }],
    },
    {
      name: 'P2: ConfigService get with a default',
      code: `${NEST}@Injectable()\nexport class Payments { constructor(private readonly config: ConfigService) {}\n  key() { return this.config.get<string>('PAYMENTS_API_KEY', 'test-key-123'); } }`,
      errors: [{ line: 5, severity: 'error', suggestions: [{ title: "getOrThrow('PAYMENTS_API_KEY')", output: `${NEST}@Injectable()\nexport class Payments { constructor(private readonly config: ConfigService) {}\n  key() { return this.config.getOrThrow<string>('PAYMENTS_API_KEY'); } }` }] }],
    },
    {
      name: 'ConfigService get() ?? literal in a factory',
      code: `import { ConfigService } from '@nestjs/config';\nexport const jwtFactory = (config: ConfigService) => ({ secret: config.get('JWT_SECRET') ?? 'changeme' });`,
      errors: [{ suggestions: [{ output: `import { ConfigService } from '@nestjs/config';\nexport const jwtFactory = (config: ConfigService) => ({ secret: config.getOrThrow('JWT_SECRET') });` }] }],
    },
    {
      name: 'old @nestjs/config without getOrThrow: requireEnv',
      code: `import { ConfigService } from '@nestjs/config';\nexport const f = (config: ConfigService) => config.get('API_KEY', 'k');`,
      files: { 'package.json': JSON.stringify({ dependencies: { '@nestjs/config': '^1.2.0' } }) },
      errors: [{ suggestions: [{ output: withRequireEnvHelper(`import { ConfigService } from '@nestjs/config';\nexport const f = (config: ConfigService) => requireEnv('API_KEY');`) }] }],
    },
    {
      name: '?? with element access, import.meta.env and chains',
      code: `const a = process.env['SESSION_SECRET'] ?? 'keyboard cat';\nconst b = import.meta.env.VITE_API_TOKEN || 'tok';\nconst c = process.env.DB_PASSWORD || process.env.PGPASSWORD || 'postgres';`,
      errors: [{ line: 1, message: '`SESSION_SECRET`' }, { line: 2, message: '`VITE_API_TOKEN`' }, { line: 3, message: '`DB_PASSWORD`', suggestions: [{ output: withRequireEnvHelper(`const a = process.env['SESSION_SECRET'] ?? 'keyboard cat';\nconst b = import.meta.env.VITE_API_TOKEN || 'tok';\nconst c = requireEnv('DB_PASSWORD');`) }] }],
    },
    {
      name: 'fallback from a constant',
      code: `const DEFAULT_SECRET = 'insecure-default';\nexport const secret = process.env.APP_SECRET ?? DEFAULT_SECRET;`,
      errors: [{ line: 2, severity: 'error' }],
    },
    {
      name: 'destructuring default from process.env',
      code: `const { JWT_SECRET = 'dev' } = process.env;`,
      errors: [{ severity: 'error', suggestions: [{ output: `const { JWT_SECRET } = process.env;` }] }],
    },
    {
      name: 'envalid default on a secret',
      code: `import { cleanEnv, str, port } from 'envalid';\nexport const env = cleanEnv(process.env, { PORT: port({ default: 3000 }), JWT_SECRET: str({ default: 'dev-secret', desc: 'signing key' }) });`,
      errors: [{ line: 2, suggestions: [{ output: `import { cleanEnv, str, port } from 'envalid';\nexport const env = cleanEnv(process.env, { PORT: port({ default: 3000 }), JWT_SECRET: str({ desc: 'signing key' }) });` }] }],
    },
    {
      name: 'zod default on a secret key',
      code: `import { z } from 'zod';\nconst Env = z.object({ SESSION_SECRET: z.string().min(16).default('dev-session-secret').describe('cookie key') });`,
      errors: [{ suggestions: [{ title: 'Remove .default', output: `import { z } from 'zod';\nconst Env = z.object({ SESSION_SECRET: z.string().min(16).describe('cookie key') });` }] }],
    },
    {
      name: 'empty-string fallback is info',
      code: `export const token = process.env.GITHUB_TOKEN ?? '';`,
      errors: [{ severity: 'info', message: 'falls back to an empty string: a missing variable' }],
    },
    {
      name: 'empty-string fallback compared with request input is a warning',
      code: `const API_KEY = process.env.API_KEY ?? '';\napp.use((req, res, next) => { if (req.header('x-api-key') !== API_KEY) return res.sendStatus(401); next(); });`,
      errors: [{ line: 1, severity: 'warning', message: 'compared with request input' }],
    },
    {
      name: 'empty-string fallback used as a signing key is a warning',
      code: `import jwt from 'jsonwebtoken';\nconst secret = process.env.JWT_SECRET || '';\nexport const sign = (p: object) => jwt.sign(p, secret, { expiresIn: '15m' });`,
      errors: [{ line: 2, severity: 'warning', message: 'signing or verification key' }],
    },
    {
      name: 'empty-string fallback as an outbound client key stays info',
      code: `import OpenAI from 'openai';\nexport const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY ?? '' });`,
      errors: [{ severity: 'info' }],
    },
    {
      name: 'empty-string fallback as a secret option is a warning',
      code: `app.use(session({ secret: process.env.SESSION_SECRET ?? '' }));`,
      errors: [{ severity: 'warning' }],
    },
    {
      name: 'fallback in an explicit development branch is info',
      code: `const secret = process.env.NODE_ENV === 'production' ? requireEnv('JWT_SECRET') : process.env.JWT_SECRET || 'dev';\nif (isDev) { app.use(session({ secret: process.env.SESSION_SECRET || 'dev' })); }`,
      errors: [{ line: 1, severity: 'info', message: 'only in a development branch' }, { line: 2, severity: 'info' }],
    },
    {
      name: 'tests are info',
      filename: 'test/setup.ts',
      code: `const secret = process.env.JWT_SECRET || 'test-secret';`,
      errors: [{ severity: 'info' }],
    },
    {
      name: 'Deno.env.get',
      code: `const key = Deno.env.get('SIGNING_KEY') ?? 'local';`,
      errors: [{ severity: 'error' }],
    },
  ],
});
