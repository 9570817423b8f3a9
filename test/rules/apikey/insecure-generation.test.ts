import rule from '../../../shared-rules/src/rules/apikey/insecure-generation';
import { ruleTester } from '../../support/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'N1: randomBytes with a prefix', code: "import { randomBytes } from 'node:crypto';\nconst apiKey = `sk_live_${randomBytes(32).toString('base64url')}`;" },
    { name: 'N2: jitter is not a secret', code: "await sleep(250 + Math.random() * 100);\nconst delayMs = Math.floor(Math.random() * 1000);" },
    { name: 'jitter next to a CSPRNG token in the same function', code: "import { randomUUID } from 'crypto';\nexport async function issue() {\n  const token = randomUUID();\n  const backoff = 100 * 2 ** attempt + Math.random() * 50;\n  await retry(() => save(token), backoff);\n  return token;\n}" },
    { name: 'a bare id from Math.random is not key-like', code: "const id = Math.random().toString(36).slice(2);\nitems.push({ id, label });" },
    { name: 'a bare key without second evidence (React key / cache key)', code: "const key = Math.random().toString(36);\ncache.set(key, value);" },
    { name: 'a strong source anywhere wins', code: "import crypto from 'crypto';\nconst token = crypto.randomBytes(16).toString('hex') + Date.now().toString(36);" },
    { name: 'signed tokens carry the key’s entropy (opaque call)', code: "import jwt from 'jsonwebtoken';\nconst token = jwt.sign({ jti: Math.random().toString(36) }, secret);" },
    { name: 'plural and counting names are not credentials', code: "const tokens = [Math.random()];\nconst tokenCount = Math.floor(Math.random() * 10);\nconst maxTokens = Math.floor(Math.random() * 100);" },
    { name: 'identifiers are not secrets (requestId, traceId, idempotencyKey, a task-id generator)', code: "const requestId = Math.random().toString(36).slice(2);\nconst traceId = Date.now().toString(16);\nconst idempotencyKey = `${Date.now()}-${Math.random()}`;\nfunction generateTaskId() { return `${Date.now()}-${Math.random().toString(36).slice(2)}`; }" },
    { name: 'pagination token', code: "const nextToken = Math.random().toString(36);" },
    { name: 'uuid v4 and secure nanoid', code: "import { v4 as uuidv4 } from 'uuid';\nimport { nanoid } from 'nanoid';\nconst resetToken = uuidv4();\nconst apiKey = nanoid(32);" },
    { name: 'global Web Crypto', code: "const sessionId = crypto.randomUUID();\nconst nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));" },
    { name: 'a function value is not a token value', code: "const createToken = (type: string, value: string) => ({ type, value, id: Math.random() });" },
    { name: 'expiry timestamps are not tokens', code: "user.passwordResetExpires = Date.now() + 3600000;\nconst tokenExpiresAt = Date.now() + 60_000;" },
    { name: 'Math shadowed by a local object', code: "const Math = { random: () => secureRandom(), floor: (n: number) => n };\nconst token = Math.random().toString(36);" },
    { name: 'seeded generator we cannot see into', code: "import seedrandom from 'seedrandom';\nconst rng = seedrandom();\nconst token = rng().toString(36);" },
    { name: 'front-end file: only OAuth values count', code: "'use client';\nconst token = Math.random().toString(36);" },
    { name: 'test code: generated fixtures protect nothing', filename: 'test/helpers.ts', code: "export const token = Math.random().toString(36);\nconst password = `Str0ng-${Date.now()}`;" },
    { name: 'test-support folders too', filename: 'src/testing/factories.ts', code: "export const apiKey = Math.random().toString(36);" },
    { name: 'a Vite front-end package (E10)', filename: 'packages/web/src/otp.ts', code: "export const otp = Math.floor(100000 + Math.random() * 900000).toString();", files: { 'packages/web/package.json': JSON.stringify({ devDependencies: { vite: '^7.0.0' } }), 'packages/web/vite.config.ts': 'export default {};' } },
    { name: 'faker in tests is fixture data', filename: 'test/users.test.ts', code: "import { faker } from '@faker-js/faker';\nconst token = faker.string.alphanumeric(32);" },
    { name: 'state of an animation, never sent anywhere', code: "const state = Math.random() > 0.5 ? 'on' : 'off';\nrender(state);" },
    { name: 'a generator named for keys whose body is secure', code: "import { randomBytes } from 'crypto';\nfunction generateApiKey() { return 'ak_' + randomBytes(24).toString('hex'); }\nconst apiKey = generateApiKey();" },
  ],
  invalid: [
    {
      name: 'P1: Math.random + Date.now API key (suggestion, import added)',
      code: "const apiKey = Math.random().toString(36).slice(2) + Date.now().toString(36);",
      errors: [{
        line: 1, severity: 'error', message: 'API key `apiKey` comes from Math.random() and Date.now()', fixOutput: null,
        suggestions: [{ title: "randomBytes(32).toString('base64url')", output: "import { randomBytes } from 'node:crypto';\nconst apiKey = randomBytes(32).toString('base64url');" }],
      }],
    },
    {
      name: 'P2: uuid v1 reset token: fix to randomUUID, the unused uuid import goes',
      code: "import { v1 as uuidv1 } from 'uuid';\nuser.resetToken = uuidv1();",
      errors: [{ line: 2, severity: 'error', message: 'uuid v1', fixOutput: "import { randomUUID } from 'node:crypto';\nuser.resetToken = randomUUID();" }],
    },
    {
      name: 'uuid v5 with the uuid import still used elsewhere; existing crypto named import extended',
      code: "import { createHash } from 'node:crypto';\nimport { v5, v4 } from 'uuid';\nconst inviteToken = v5(email, NS);\nconst id = v4();",
      errors: [{ line: 3, message: 'uuid v5', fixOutput: "import { createHash, randomUUID } from 'node:crypto';\nimport { v4 } from 'uuid';\nconst inviteToken = randomUUID();\nconst id = v4();" }],
    },
    {
      name: 'numeric OTP: shape-preserving randomInt fix',
      code: "export function generateOtp() {\n  return Math.floor(100000 + Math.random() * 900000).toString();\n}",
      errors: [{ line: 2, severity: 'error', message: 'one-time code `generateOtp()`', fixOutput: "import { randomInt } from 'node:crypto';\nexport function generateOtp() {\n  return randomInt(100000, 1000000).toString();\n}" }],
    },
    {
      name: 'Math.floor(Math.random() * B) + A form',
      code: "const verificationCode = String(Math.floor(Math.random() * 9000) + 1000);",
      errors: [{ message: 'one-time token `verificationCode`', fixOutput: "import { randomInt } from 'node:crypto';\nconst verificationCode = String(randomInt(1000, 10000));" }],
    },
    {
      name: 'character-picking loop in a token generator: randomInt over the alphabet keeps the shape',
      code: "function makeToken(len: number) {\n  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';\n  let result = '';\n  for (let i = 0; i < len; i++) {\n    result += chars[Math.floor(Math.random() * chars.length)];\n  }\n  return result;\n}",
      errors: [{ line: 7, message: 'token `makeToken()`', fixOutput: "import { randomInt } from 'node:crypto';\nfunction makeToken(len: number) {\n  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';\n  let result = '';\n  for (let i = 0; i < len; i++) {\n    result += chars[randomInt(chars.length)];\n  }\n  return result;\n}" }],
    },
    {
      name: 'accumulating loop without a shape-preserving form: suggestion replaces the initial value and drops the loop',
      code: "export function newSessionToken() {\n  let token = '';\n  for (let i = 0; i < 4; i++) token += Math.random().toString(36).slice(2);\n  return token;\n}",
      errors: [{ line: 3, message: 'token `token`', fixOutput: null, suggestions: [{ output: "import { randomBytes } from 'node:crypto';\nexport function newSessionToken() {\n  let token = randomBytes(32).toString('base64url');\n  return token;\n}" }] }],
    },
    {
      name: 'suggestion keeps a template prefix and reuses a default crypto import',
      code: "import crypto from 'crypto';\nconst apiKey = `sk_${Math.random().toString(36).slice(2)}`;",
      errors: [{ suggestions: [{ output: "import crypto from 'crypto';\nconst apiKey = `sk_${crypto.randomBytes(32).toString('base64url')}`;" }] }],
    },
    {
      name: 'CommonJS file: require-style import, string-concatenation prefix kept',
      filename: 'src/keys.js',
      code: "'use strict';\nconst shortid = require('shortid');\nfunction createApiKey() {\n  return 'ak_' + shortid.generate();\n}\nmodule.exports = { createApiKey };",
      errors: [{ line: 4, message: 'shortid', suggestions: [{ output: "'use strict';\nconst shortid = require('shortid');\nconst { randomBytes } = require('node:crypto');\nfunction createApiKey() {\n  return 'ak_' + randomBytes(32).toString('base64url');\n}\nmodule.exports = { createApiKey };" }] }],
    },
    {
      name: 'nanoid/non-secure through require destructuring',
      filename: 'src/invite.cjs',
      code: "const { nanoid } = require('nanoid/non-secure');\nexports.inviteCode = () => nanoid(10);",
      errors: [{ message: 'nanoid/non-secure', suggestions: [{ output: "const { randomBytes } = require('node:crypto');\nexports.inviteCode = () => randomBytes(32).toString('base64url');" }] }],
    },
    {
      name: 'crypto.pseudoRandomBytes',
      code: "import * as crypto from 'crypto';\nconst secret = crypto.pseudoRandomBytes(32).toString('hex');",
      errors: [{ severity: 'error', message: 'crypto.pseudoRandomBytes()', suggestions: [{ output: "import * as crypto from 'crypto';\nconst secret = crypto.randomBytes(32).toString('base64url');" }] }],
    },
    {
      name: 'clock-only session id',
      code: "req.session.sid = `s${Date.now()}`;",
      errors: [{ severity: 'error', message: 'built only from the clock (Date.now())' }],
    },
    {
      name: 'uuid v7 alone: time-ordered, warning',
      code: "import { v7 } from 'uuid';\nconst apiToken = v7();",
      errors: [{ severity: 'warning', message: 'time-ordered', fixOutput: null, suggestions: [{ output: "import { randomUUID } from 'node:crypto';\nconst apiToken = randomUUID();" }] }],
    },
    {
      name: 'generic `state` with a second piece of evidence (redirect URL): warning',
      code: "const state = Math.random().toString(36).slice(2);\nres.redirect(`https://idp.example.com/authorize?client_id=abc&state=${state}`);",
      errors: [{ line: 1, severity: 'warning', message: 'put in a redirect URL' }],
    },
    {
      name: 'generic `code` persisted with Prisma',
      code: "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function start(userId: string) {\n  const code = Math.random().toString(36).slice(2, 8);\n  await prisma.emailVerification.create({ data: { userId, code } });\n}",
      errors: [{ line: 4, severity: 'warning', message: 'stored in the database' }],
    },
    {
      name: 'identifiers are reported (info) only when asked for',
      code: "const requestId = Math.random().toString(36).slice(2);",
      options: { reportIdentifiers: true },
      errors: [{ severity: 'info', message: 'fine for an identifier' }],
    },

    {
      name: 'a neutral helper in another module: reported at the call site',
      code: "import { randomString } from './util';\nexport const apiKey = randomString(32);",
      files: { 'src/util.ts': "export function randomString(n: number) {\n  let s = '';\n  while (s.length < n) s += Math.random().toString(36).slice(2);\n  return s.slice(0, n);\n}" },
      errors: [{ line: 2, message: 'through `randomString()`', suggestions: [{ output: "import { randomString } from './util';\nimport { randomBytes } from 'node:crypto';\nexport const apiKey = randomBytes(32).toString('base64url');" }] }],
    },
    {
      name: 'Nest service method building a reset token through this.method()',
      code: "export class AuthService {\n  private randomChars() { return Math.random().toString(36).substring(2, 12); }\n  async forgot(user: User) {\n    user.passwordResetToken = this.randomChars();\n    await this.users.save(user);\n  }\n}",
      errors: [{ line: 4, message: 'one-time token `passwordResetToken`' }],
    },
    {
      name: 'edge runtime: uuid v1 becomes the global crypto.randomUUID() (no node:crypto import)',
      code: "import { v1 } from 'uuid';\nexport const runtime = 'edge';\nexport function GET() { const sessionToken = v1(); return new Response(sessionToken); }",
      errors: [{ fixOutput: "export const runtime = 'edge';\nexport function GET() { const sessionToken = crypto.randomUUID(); return new Response(sessionToken); }" }],
    },
    {
      name: 'front-end OAuth state still counts',
      filename: 'src/login.tsx',
      code: "'use client';\nconst oauthState = Math.random().toString(36);\nsessionStorage.setItem('state', oauthState);",
      errors: [{ message: 'OAuth state `oauthState`', suggestions: [{ output: "'use client';\nconst oauthState = Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');\nsessionStorage.setItem('state', oauthState);" }] }],
    },
    {
      name: 'reported once: the value is judged where it is first named key-like',
      code: "const apiKey = Math.random().toString(36);\nconst record = { apiKey: apiKey, owner };\nreturn { apiKey };",
      errors: [{ line: 1 }],
    },
  ],
});
