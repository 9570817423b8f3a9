import rule from '../../../shared-rules/src/rules/apikey/missing-prefix';
import { ruleTester } from '../../support/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'N1: prefixed key', code: "import { randomBytes } from 'node:crypto';\nconst apiKey = `acme_live_${randomBytes(24).toString('base64url')}`;" },
    { name: 'N2: CSRF token is not an API key', code: "import { randomBytes } from 'node:crypto';\nreq.session.csrfToken = randomBytes(16).toString('hex');" },
    { name: 'session ids, OAuth state/nonce/verifier, reset tokens', code: "import { randomBytes, randomUUID } from 'crypto';\nconst sessionId = randomUUID();\nconst state = randomBytes(16).toString('hex');\nconst nonce = randomUUID();\nconst codeVerifier = randomBytes(32).toString('base64url');\nuser.resetToken = randomBytes(32).toString('hex');" },
    { name: 'prefix from a variable or a string concatenation', code: "import { randomBytes } from 'crypto';\nconst apiKey = `${env.KEY_PREFIX}${randomBytes(24).toString('hex')}`;\nconst apiToken = 'svc_' + randomBytes(24).toString('hex');" },
    { name: 'prefix added after generation', code: "import { randomBytes } from 'crypto';\nconst raw = randomBytes(24).toString('hex');\nconst apiKey = PREFIX + raw;" },
    { name: 'the prefix is added when the key is handed out', code: "import { randomBytes } from 'crypto';\nexport async function createApiKey() {\n  const secret = randomBytes(32).toString('base64url');\n  await prisma.apiKey.create({ data: { lookupHash: sha256(secret) } });\n  return { actualKey: `fbk_${secret}` };\n}" },
    { name: 'weak sources belong to apikey/insecure-generation', code: "const apiKey = Math.random().toString(36).slice(2);" },
    { name: 'a generic key outside any API-key context', code: "import { randomBytes } from 'crypto';\nconst key = randomBytes(32);\nconst cipher = createCipheriv('aes-256-gcm', key, iv);" },
    { name: 'front-end code', filename: 'src/Widget.tsx', code: "'use client';\nconst apiKey = crypto.randomUUID();" },
    { name: 'customAlphabet keys often carry a format of their own', code: "import { customAlphabet } from 'nanoid';\nconst apiKey = customAlphabet('0123456789abcdef', 32)();" },
    { name: 'the call site of a generator is judged inside the generator', code: "import { generateApiKey } from './keys';\nconst apiKey = generateApiKey();", files: { 'src/keys.ts': "import { randomBytes } from 'crypto';\nexport function generateApiKey() { return `ak_${randomBytes(24).toString('hex')}`; }" } },
  ],
  invalid: [
    {
      name: 'P1: bare randomBytes API key',
      code: "import { randomBytes } from 'node:crypto';\nconst apiKey = randomBytes(24).toString('base64url');",
      errors: [{
        line: 2, severity: 'info', message: 'no identifying prefix',
        suggestions: [{ output: "import { randomBytes } from 'node:crypto';\nconst KEY_PREFIX = 'myapp'; // identifies this service's keys (e.g. 'acme_live')\nconst apiKey = `${KEY_PREFIX}_${randomBytes(24).toString('base64url')}`;" }],
      }],
    },
    {
      name: 'P2: randomUUID returned as apiKey; an existing KEY_PREFIX is reused',
      code: "const KEY_PREFIX = 'acme';\nexport function issue() {\n  return { apiKey: crypto.randomUUID() };\n}",
      errors: [{ line: 3, suggestions: [{ output: "const KEY_PREFIX = 'acme';\nexport function issue() {\n  return { apiKey: `${KEY_PREFIX}_${crypto.randomUUID()}` };\n}" }] }],
    },
    {
      name: 'generator function named for API keys (CommonJS, template without prefix)',
      filename: 'src/keys.js',
      code: "const crypto = require('crypto');\nfunction generateApiKey() {\n  return `${crypto.randomBytes(32).toString('hex')}`;\n}\nmodule.exports = { generateApiKey };",
      errors: [{ line: 3, message: '`generateApiKey()`', suggestions: [{ output: "const crypto = require('crypto');\nconst KEY_PREFIX = 'myapp'; // identifies this service's keys (e.g. 'acme_live')\nfunction generateApiKey() {\n  return `${KEY_PREFIX}_${crypto.randomBytes(32).toString('hex')}`;\n}\nmodule.exports = { generateApiKey };" }] }],
    },
    {
      name: 'a bare `key` stored in the apiKey table',
      code: "import { randomBytes } from 'node:crypto';\nimport { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport async function create(ownerId: string) {\n  const key = randomBytes(32).toString('hex');\n  await prisma.apiKey.create({ data: { ownerId, keyHash: sha256(key) } });\n  return key;\n}",
      errors: [{ line: 5, message: 'API key `key`' }],
    },
    {
      name: 'a bare `token` produced inside issueApiToken()',
      code: "import { nanoid } from 'nanoid';\nexport async function issueApiToken() {\n  const token = nanoid(40);\n  return token;\n}",
      errors: [{ line: 3, message: 'nanoid' }],
    },
    {
      name: 'accessKey class property',
      code: "import { randomBytes } from 'crypto';\nclass ServiceAccount {\n  accessKey = randomBytes(20).toString('hex').toUpperCase();\n}",
      errors: [{ line: 3 }],
    },
  ],
});
