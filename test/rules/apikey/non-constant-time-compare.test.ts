import rule from '../../../shared-rules/src/rules/apikey/non-constant-time-compare';
import { ruleTester } from '../../support/ruleTester';

const HELPER_TS = "\n\nfunction safeEqual(a: string, b: string): boolean {\n  const x = Buffer.from(a);\n  const y = Buffer.from(b);\n  return x.length === y.length && timingSafeEqual(x, y);\n}\n";

ruleTester(rule, {
  valid: [
    { name: 'N1: safeEqual in use', code: "if (!safeEqual(String(req.header('x-api-key')), process.env.ADMIN_API_KEY!)) return res.sendStatus(401);" },
    { name: 'N2: lookup by hash, no comparison', code: "const rec = await prisma.apiKey.findUnique({ where: { keyHash: sha256(presented) } });\nif (rec === null) throw new Error('no');" },
    { name: 'literals, null, undefined, typeof, lengths', code: "if (req.headers.authorization === undefined) return;\nif (req.query.token === '') return;\nif (typeof req.body.apiKey !== 'string') return;\nif (req.header('x-api-key').length !== process.env.API_KEY.length) return;\nif (req.query.mode === 'admin') return;" },
    { name: 'inside a constant-time helper (its own length check)', code: "import { timingSafeEqual } from 'crypto';\nfunction check(req) {\n  const a = Buffer.from(req.header('x-api-key'));\n  const b = Buffer.from(process.env.API_KEY);\n  return a.length === b.length && timingSafeEqual(a, b) && req.header('x-api-key') === process.env.API_KEY;\n}" },
    { name: 'request input compared with non-secret values', code: "if (req.params.id !== user.id) return res.sendStatus(403);\nif (req.body.email === user.email) return;\nif (req.query.page === process.env.DEFAULT_PAGE) return;" },
    { name: 'two request values (password confirmation)', code: "if (req.body.password !== req.body.confirmPassword) return res.status(400).end();" },
    { name: 'a secret compared with something that is not request input', code: "if (process.env.API_KEY === config.apiKey) log('same key');\nif (cached.token === session.token) reuse();" },
    { name: 'bcrypt.compare is constant-time', code: "import bcrypt from 'bcrypt';\nif (!(await bcrypt.compare(req.body.password, user.passwordHash))) return res.sendStatus(401);" },
    { name: 'a helper named like a comparison of lexer tokens', code: "function matchToken(a: string, b: string) { return a === b; }\nfunction sameKey(a: string, b: string) { return a === b; }" },
    { name: 'OAuth state against the session copy (neither side is a secret by name)', code: "if (req.query.state !== req.session.state) return res.status(400).end();" },
    { name: 'front-end code', filename: 'src/Form.tsx', code: "'use client';\nif (searchParams.get('token') === process.env.NEXT_PUBLIC_TOKEN) show();" },
  ],
  invalid: [
    {
      name: 'P1: header vs env: guarded suggestion, the call hoisted so TypeScript can narrow it',
      code: "import express from 'express';\napp.use((req, res, next) => {\n  if (req.header('x-api-key') !== process.env.ADMIN_API_KEY) return res.sendStatus(401);\n  next();\n});",
      errors: [{
        line: 3, severity: 'warning', message: 'is compared with `process.env.ADMIN_API_KEY` using `!==`', fixOutput: null,
        suggestions: [{ title: 'undefined === undefined', output: "import express from 'express';\nimport { timingSafeEqual } from 'node:crypto';\napp.use((req, res, next) => {\n  const presented = req.header('x-api-key');\n  if (!(typeof presented === 'string' && typeof process.env.ADMIN_API_KEY === 'string' && safeEqual(presented, process.env.ADMIN_API_KEY))) return res.sendStatus(401);\n  next();\n});" + HELPER_TS }],
      }],
    },
    {
      name: 'P2: webhook signature vs computed HMAC; the digest is certainly a string',
      code: "import { createHmac } from 'crypto';\nexport function hook(req: Request, raw: string) {\n  const expected = createHmac('sha256', whSecret).update(raw).digest('hex');\n  if (req.headers['x-signature'] === expected) handle(raw);\n}",
      errors: [{ line: 4, message: 'an HMAC digest', suggestions: [{ output: "import { createHmac, timingSafeEqual } from 'crypto';\nexport function hook(req: Request, raw: string) {\n  const expected = createHmac('sha256', whSecret).update(raw).digest('hex');\n  if (typeof req.headers['x-signature'] === 'string' && safeEqual(req.headers['x-signature'], expected)) handle(raw);\n}" + HELPER_TS }] }],
    },
    {
      name: 'both operands typed string: a fix, reusing an existing safeEqual and crypto namespace import',
      code: "import * as crypto from 'crypto';\nfunction safeEqual(a: string, b: string) { return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b)); }\nexport function guard(req: Request) {\n  const presented: string = String(req.headers['x-api-key']);\n  const expected: string = config.apiKey;\n  return presented === expected;\n}",
      errors: [{ line: 6, fixOutput: "import * as crypto from 'crypto';\nfunction safeEqual(a: string, b: string) { return a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b)); }\nexport function guard(req: Request) {\n  const presented: string = String(req.headers['x-api-key']);\n  const expected: string = config.apiKey;\n  return safeEqual(presented, expected);\n}" }],
    },
    {
      name: 'secret-comparison helper comparing its string parameters (the corpus pattern)',
      code: "import { timingSafeEqual } from 'node:crypto';\nexport function matchesAdminKey(presented: string, expected: string): boolean {\n  return presented === expected;\n}",
      errors: [{ line: 3, message: '`matchesAdminKey()` compares its arguments', fixOutput: "import { timingSafeEqual } from 'node:crypto';\nexport function matchesAdminKey(presented: string, expected: string): boolean {\n  return safeEqual(presented, expected);\n}" + HELPER_TS }],
    },
    {
      name: 'CommonJS: password from the body against the stored password (require added, JS helper)',
      filename: 'src/login.js',
      code: "const express = require('express');\nrouter.post('/login', async (req, res) => {\n  const user = await User.findOne({ email: req.body.email });\n  if (!user || req.body.password != user.password) return res.sendStatus(401);\n});",
      errors: [{ line: 4, message: 'The password from the request', suggestions: [{ output: "const express = require('express');\nconst { timingSafeEqual } = require('node:crypto');\nrouter.post('/login', async (req, res) => {\n  const user = await User.findOne({ email: req.body.email });\n  if (!user || !(typeof req.body.password === 'string' && typeof user.password === 'string' && safeEqual(req.body.password, user.password))) return res.sendStatus(401);\n});\n\nfunction safeEqual(a, b) {\n  const x = Buffer.from(a);\n  const y = Buffer.from(b);\n  return x.length === y.length && timingSafeEqual(x, y);\n}\n" }] }],
    },
    {
      name: 'destructured env secret and a local from the Authorization header',
      code: "const { WEBHOOK_SECRET } = process.env;\nexport default function handler(req, res) {\n  const token = req.headers.authorization?.replace('Bearer ', '');\n  if (token === WEBHOOK_SECRET) return ok(res);\n}",
      errors: [{ line: 4, message: '`WEBHOOK_SECRET`' }],
    },
    {
      name: 'Nest ConfigService secret against a @Headers() parameter',
      code: "export class WebhookController {\n  constructor(private readonly config: ConfigService) {}\n  handle(@Headers('x-api-key') key: string) {\n    if (key !== this.config.get('INTERNAL_API_KEY')) throw new UnauthorizedException();\n  }\n}",
      errors: [{ line: 4 }],
    },
    {
      name: 'stored key hash loaded from the database against a hash of the presented key',
      code: "const presented = sha256(req.get('x-api-key'));\nconst rec = await db.apiKey.findFirst({ where: { prefix } });\nif (rec.keyHash === req.query.keyHash) ok();",
      errors: [{ line: 3, message: '`rec.keyHash`' }],
    },
    {
      name: 'Buffer.equals is not constant-time',
      code: "import crypto from 'crypto';\nconst expectedSignature = 'sha256=' + crypto.createHmac('sha256', secret).update(body).digest('hex');\nconst ok = Buffer.from(req.headers['x-hub-signature-256']).equals(Buffer.from(expectedSignature));",
      errors: [{ line: 3, message: '`equals()`' }],
    },
    {
      name: 'Buffer.equals in a secret-comparison helper over string parameters: fix to safeEqual',
      code: "import { timingSafeEqual } from 'node:crypto';\nexport function matchesAdminKey(presented: string, expected: string): boolean {\n  return Buffer.from(presented).equals(Buffer.from(expected));\n}",
      errors: [{ line: 3, message: 'compares its arguments', fixOutput: "import { timingSafeEqual } from 'node:crypto';\nexport function matchesAdminKey(presented: string, expected: string): boolean {\n  return safeEqual(presented, expected);\n}" + HELPER_TS }],
    },
    {
      name: 'edge runtime with Hono: async timingSafeEqual from hono/utils/buffer (suggestion)',
      code: "import { Hono } from 'hono';\nexport const runtime = 'edge';\napp.get('/admin', async (c) => {\n  if (c.req.header('x-api-key') !== c.env.ADMIN_API_KEY) return c.text('no', 401);\n});",
      files: { 'package.json': JSON.stringify({ dependencies: { hono: '^4.12.0' } }) },
      errors: [{ line: 4, fixOutput: null, suggestions: [{ output: "import { Hono } from 'hono';\nimport { timingSafeEqual } from 'hono/utils/buffer';\nexport const runtime = 'edge';\napp.get('/admin', async (c) => {\n  const presented = c.req.header('x-api-key');\n  if (!(typeof presented === 'string' && typeof c.env.ADMIN_API_KEY === 'string' && await timingSafeEqual(presented, c.env.ADMIN_API_KEY))) return c.text('no', 401);\n});" }] }],
    },
    {
      name: 'edge runtime without Hono: no code action (no node:crypto there)',
      code: "export const runtime = 'edge';\nexport async function GET(req: Request) {\n  if (req.headers.get('authorization') !== process.env.CRON_SECRET) return new Response('no', { status: 401 });\n}",
      errors: [{ line: 3, fixOutput: null, suggestions: [] }],
    },
    {
      name: 'bearer token split from the Authorization header against an env-derived local',
      code: "const apiKey = process.env.API_KEY;\nexport function guard(req, res, next) {\n  const token = req.headers.authorization?.split(' ')[1];\n  if (token !== apiKey) return res.status(401).end();\n  next();\n}",
      errors: [{ line: 4, message: '`apiKey`' }],
    },
    {
      name: 'test paths are info',
      filename: 'test/auth.spec.ts',
      code: "if (req.header('x-api-key') !== process.env.API_KEY) fail();",
      errors: [{ severity: 'info' }],
    },
  ],
});
