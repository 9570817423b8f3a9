import rule from '../../../shared-rules/src/rules/apikey/weak-hash';
import { ruleTester } from '../../support/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'N1: argon2id', code: "import argon2 from 'argon2';\nconst hash = await argon2.hash(body.password, { type: argon2.argon2id });" },
    { name: 'N2: ETag', code: "import { createHash } from 'crypto';\nres.setHeader('ETag', createHash('sha1').update(payload).digest('base64'));" },
    { name: 'HMAC-SHA1 webhook signature over the body', code: "import crypto from 'crypto';\nconst sig = crypto.createHmac('sha1', process.env.TWILIO_AUTH_TOKEN!).update(rawBody).digest('base64');" },
    { name: 'gravatar and cache keys', code: "import { createHash } from 'node:crypto';\nconst gravatar = createHash('md5').update(email.trim().toLowerCase()).digest('hex');\nconst cacheKey = createHash('sha1').update(JSON.stringify(query)).digest('hex');" },
    { name: 'a secret mixed with other data derives a short code (not a stored key hash)', code: "import crypto from 'crypto';\nconst code = crypto.createHash('md5').update(`${team.id}${user.jwtSecret}`).digest('hex').slice(0, 8);" },
    { name: 'a secret hashed into a short code, or into a cache key', code: "import crypto from 'crypto';\nconst deleteCode = crypto.createHash('md5').update(this.jwtSecret).digest('hex').replace(/[l1IoO0]/gi, '').slice(0, 8);\nconst rateLimitCacheKey = crypto.createHash('sha1').update(apiKey).digest('hex');" },
    { name: 'a bare key that is not key material (cache key, map key)', code: "import { createHash } from 'node:crypto';\nconst key = `${req.method}:${req.url}`;\nconst h = createHash('md5').update(key).digest('hex');\nconst k2 = createHash('sha1').update(key).digest('hex');" },
    { name: 'SHA-256 of a high-entropy API key is fine', code: "import { createHash } from 'node:crypto';\nconst keyHash = createHash('sha256').update(apiKey).digest('hex');" },
    { name: 'bcrypt with cost 10 or 12, default genSalt', code: "import bcrypt from 'bcryptjs';\nawait bcrypt.hash(pw, 12);\nconst s = bcrypt.genSaltSync();\nawait bcrypt.hash(pw, 10);" },
    { name: 'bcrypt with a salt string', code: "import bcrypt from 'bcrypt';\nconst salt = await bcrypt.genSalt(12);\nawait bcrypt.hash(password, salt);" },
    { name: 'pbkdf2 at the floor, and iterations we cannot see', code: "import { pbkdf2Sync, pbkdf2 } from 'crypto';\npbkdf2Sync(password, salt, 600000, 32, 'sha256');\npbkdf2(password, salt, serverIterations, 32, 'sha256', cb);" },
    { name: 'scrypt at an OWASP pair', code: "import { scryptSync } from 'crypto';\nscryptSync(password, salt, 64, { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 });\nscryptSync(password, salt, 64, { cost: 16384, blockSize: 8, parallelization: 5 });" },
    { name: 'scrypt over a high-entropy secret (key derivation, not password storage)', code: "import { scryptSync } from 'crypto';\nconst key = scryptSync(process.env.ENCRYPTION_SECRET!, 'salt', 32);" },
    { name: 'argon2 defaults and an equivalent pair', code: "import * as argon2 from 'argon2';\nawait argon2.hash(password);\nawait argon2.hash(password, { memoryCost: 12288, timeCost: 3 });" },
    { name: 'md5 of something that is not a credential', code: "import md5 from 'md5';\nconst etag = md5(body);\nconst id = md5(`${user.id}:${file.name}`);" },
    { name: 'a lexer token is not a credential', code: "import { createHash } from 'crypto';\nfunction fingerprint(token) { if (token.type === 'string') return createHash('md5').update(token).digest('hex'); }" },
    { name: 'tokenCount typed number is not a credential', code: "import { createHash } from 'crypto';\nfunction f(tokenCount: number) { return createHash('md5').update(String(tokenCount)).digest('hex'); }" },
    { name: 'test code hashes fixture passwords fast on purpose (test paths, test-utils, test-named helpers)', filename: 'src/__tests__/legacy.test.ts', code: "import { createHash } from 'crypto';\nconst h = createHash('md5').update(password).digest('hex');" },
    { name: 'a test-utils folder', filename: 'packages/core/src/test-utils/instance.ts', code: "import { createHash } from 'crypto';\nexport const hashPw = (password: string) => createHash('sha256').update(password).digest('hex');" },
    { name: 'a helper named for tests', code: "import { createHash } from 'crypto';\nfunction createTestPasswordHash(password: string) { return createHash('sha256').update(password).digest('hex'); }" },
    { name: 'PBKDF2/scrypt deriving an encryption key, not storing a password', code: "import crypto from 'node:crypto';\nconst getKey = (password: string, salt: Buffer) => crypto.pbkdf2Sync(password, salt, 10000, 32, 'sha512');\nconst key = crypto.scryptSync(passphrase, salt, 32);\nconst c = crypto.createCipheriv('aes-256-gcm', crypto.pbkdf2Sync(password, salt, 1000, 32, 'sha256'), iv);" },
    { name: 'test paths lower KDF costs on purpose', filename: 'test/users.spec.ts', code: "import bcrypt from 'bcrypt';\nconst hash = await bcrypt.hash('pw', 4);" },
    { name: 'client-side auth protocol (MySQL native password scramble): the algorithm is fixed by the protocol', filename: 'src/driver.js', code: "const crypto = require('crypto');\nfunction nativePasswordToken(password, scramble) {\n  const stage1 = crypto.createHash('sha1').update(password).digest();\n  const stage2 = crypto.createHash('sha1').update(stage1).digest();\n  return xor(crypto.createHash('sha1').update(scramble).update(stage2).digest(), stage1);\n}" },
    { name: 'HaveIBeenPwned range query (SHA-1 prefix sent to the API)', code: "import { createHash } from 'crypto';\nconst isPasswordCompromised = async (password: string) => {\n  const sha1 = createHash('sha1').update(password).digest('hex').toUpperCase();\n  const res = await fetch(`https://api.pwnedpasswords.com/range/${sha1.substring(0, 5)}`);\n  return (await res.text()).includes(sha1.substring(5));\n};" },
    { name: 'a token-creating function whose input is called password', code: "import { createHmac } from 'crypto';\nclass UserService {\n  public createAccessToken({ password, salt }: { password: string; salt: string }): string {\n    const hash = createHmac('sha512', salt);\n    hash.update(password);\n    return hash.digest('hex');\n  }\n}" },
    { name: 'a local function named hash is not a fast hash', code: "function hash(x: string) { return argon2.hash(x); }\nconst h = await hash(password);" },
  ],
  invalid: [
    {
      name: 'P1: MD5 of a request password',
      code: "import { createHash } from 'crypto';\nconst hash = createHash('md5').update(body.password).digest('hex');",
      errors: [{ line: 2, severity: 'error', message: 'A password (`password`) is hashed with MD5', fixOutput: null, suggestions: [] }],
    },
    {
      name: 'P2: bcrypt.genSalt(6): fix raises to 12',
      code: "import bcrypt from 'bcrypt';\nconst salt = await bcrypt.genSalt(6);",
      errors: [{ severity: 'warning', message: 'bcrypt cost 6', fixOutput: "import bcrypt from 'bcrypt';\nconst salt = await bcrypt.genSalt(12);" }],
    },
    {
      name: 'bcrypt cost from a const in the same file (CommonJS require)',
      filename: 'src/users.js',
      code: "const bcrypt = require('bcryptjs');\nconst SALT_ROUNDS = 8;\nexports.hashPw = (pw) => bcrypt.hashSync(pw, SALT_ROUNDS);",
      errors: [{ line: 3, message: 'bcrypt cost 8', fixOutput: "const bcrypt = require('bcryptjs');\nconst SALT_ROUNDS = 12;\nexports.hashPw = (pw) => bcrypt.hashSync(pw, SALT_ROUNDS);" }],
    },
    {
      name: 'configured bcrypt rounds',
      code: "import { hash } from '@node-rs/bcrypt';\nawait hash(password, 9);",
      options: { bcryptRounds: 14 },
      errors: [{ fixOutput: "import { hash } from '@node-rs/bcrypt';\nawait hash(password, 14);" }],
    },
    {
      name: 'SHA-256 of a password from the request (fast hash) is an error',
      code: "import crypto from 'node:crypto';\nexport function register(req: Request) {\n  const passwordHash = crypto.createHash('sha256').update(req.body.password).digest('hex');\n}",
      errors: [{ line: 3, severity: 'error', message: 'from the request) is hashed with SHA-256, a fast hash' }],
    },
    {
      name: 'HMAC over a password with a pepper is still a fast hash',
      code: "import { createHmac } from 'crypto';\nconst h = createHmac('sha256', pepper).update(salt + newPassword).digest('hex');",
      errors: [{ severity: 'error', message: 'HMAC-SHA-256' }],
    },
    {
      name: 'SHA-1 of an API key: warning with a sha256 suggestion',
      code: "import { createHash } from 'crypto';\nconst keyHash = createHash('sha1').update(apiKey).digest('hex');",
      errors: [{ severity: 'warning', message: 'is hashed with SHA-1, which is broken', suggestions: [{ output: "import { createHash } from 'crypto';\nconst keyHash = createHash('sha256').update(apiKey).digest('hex');" }] }],
    },
    {
      name: 'a bare `key` generated as key material, or stored under keyHash, counts as a key',
      code: "import { createHash, randomBytes } from 'node:crypto';\nconst key = `ak_${randomBytes(24).toString('base64url')}`;\nawait prisma.apiKey.create({ data: { keyHash: createHash('md5').update(key).digest('hex') } });\nexport function store(token: string) { return { tokenHash: createHash('sha1').update(token).digest('hex') }; }",
      errors: [{ line: 3, severity: 'warning', message: 'A key (`key`)' }, { line: 4, severity: 'warning' }],
    },
    {
      name: 'hash object variable updated later',
      code: "import { createHash } from 'crypto';\nconst h = createHash('md5');\nh.update(user.password);\nconst digest = h.digest('hex');",
      errors: [{ line: 2, severity: 'error' }],
    },
    {
      name: 'crypto-js MD5 and the md5 package on passwords',
      code: "import CryptoJS from 'crypto-js';\nimport md5 from 'md5';\nconst a = CryptoJS.MD5(password).toString();\nconst b = md5(dto.password);",
      errors: [{ line: 3, message: 'MD5' }, { line: 4, message: 'MD5' }],
    },
    {
      name: 'workspace helper named after a fast algorithm',
      code: "import { sha256 } from './crypto-utils';\nconst stored = sha256(password);",
      errors: [{ message: 'SHA-256, a fast hash' }],
    },
    {
      name: 'PBKDF2 below the floor: warning, no parameter fix',
      code: "import { pbkdf2Sync } from 'crypto';\nconst k = pbkdf2Sync(password, salt, 10000, 64, 'sha512');",
      errors: [{ severity: 'warning', message: '10,000 iterations is below the OWASP floor of 210,000', fixOutput: null, suggestions: [] }],
    },
    {
      name: 'scrypt defaults are info; explicit low parameters a warning; promisified scrypt too',
      code: "import { scryptSync, scrypt } from 'crypto';\nimport { promisify } from 'util';\nconst scryptAsync = promisify(scrypt);\nconst a = scryptSync(password, salt, 64);\nconst b = scryptSync(password, salt, 64, { N: 16384 });\nconst c = await scryptAsync(password, salt, 64);",
      errors: [{ line: 4, severity: 'info', fixOutput: null }, { line: 5, severity: 'warning', message: 'N=16384, r=8, p=1' }, { line: 6, severity: 'info' }],
    },
    {
      name: 'argon2 below every pair and argon2i: fixes',
      code: "import * as argon2 from 'argon2';\nconst h = await argon2.hash(password, { memoryCost: 4096, timeCost: 1, type: argon2.argon2i });",
      errors: [
        { severity: 'warning', message: 'memoryCost 4096 KiB and timeCost 1', fixOutput: "import * as argon2 from 'argon2';\nconst h = await argon2.hash(password, { memoryCost: 19456, timeCost: 2, type: argon2.argon2i });" },
        { severity: 'info', message: 'Argon2id', fixOutput: "import * as argon2 from 'argon2';\nconst h = await argon2.hash(password, { memoryCost: 4096, timeCost: 1, type: argon2.argon2id });" },
      ],
    },
    {
      name: 'argon2 low memory and time: both literals raised',
      code: "import argon2 from 'argon2';\nawait argon2.hash(pw, { memoryCost: 8192, timeCost: 1 });",
      errors: [{ fixOutput: "import argon2 from 'argon2';\nawait argon2.hash(pw, { memoryCost: 19456, timeCost: 2 });" }],
    },

  ],
});
