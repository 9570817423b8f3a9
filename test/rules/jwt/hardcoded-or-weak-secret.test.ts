import rule from '../../../shared-rules/src/rules/jwt/hardcoded-or-weak-secret';
import { ruleTester } from '../../support/ruleTester';

// Secret-looking literals are built at test time; none of them is a real credential.
const LONG = 'q7' + 'Zr4Lx9Vb2Nm8Kp3Wt6Hy1Jd5Gf0Sa'.repeat(2);
const PRIVATE_PEM = '-----BEGIN ' + 'PRIVATE KEY-----\\nMIIB' + 'x'.repeat(40) + '\\n-----END ' + 'PRIVATE KEY-----';
const PUBLIC_PEM = '-----BEGIN PUBLIC KEY-----\\nMIIB' + 'y'.repeat(40) + '\\n-----END PUBLIC KEY-----';
const HELPER = `\n\nfunction requireEnv(name: string): string {\n  const value = process.env[name];\n  if (!value) throw new Error(\`\${name} is not set\`);\n  return value;\n}\n`;

ruleTester(rule, {
  valid: [
    { name: 'N1: ConfigService.getOrThrow in registerAsync', code: `import { JwtModule } from '@nestjs/jwt';\nJwtModule.registerAsync({ inject: [ConfigService], useFactory: (c: ConfigService) => ({ secret: c.getOrThrow('JWT_SECRET') }) });` },
    { name: 'N2: secrets manager', code: `import jwt from 'jsonwebtoken';\nconst key = await secrets.getSecretValue({ SecretId: 'jwt-signing' });\njwt.sign({ sub }, key.SecretString!, { expiresIn: '15m' });` },
    { name: 'env read', code: `import jwt from 'jsonwebtoken';\njwt.verify(t, process.env.JWT_SECRET!, { algorithms: ['HS256'] });` },
    { name: 'empty-string fallback is not a hardcoded key', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, process.env.JWT_SECRET || '');` },
    { name: 'PEM public key literal is not a secret', code: `import jwt from 'jsonwebtoken';\nconst PUB = '${PUBLIC_PEM}';\njwt.verify(t, PUB, { algorithms: ['RS256'] });` },
    { name: 'key read from a file', code: `import jwt from 'jsonwebtoken';\nimport fs from 'fs';\njwt.sign({ sub }, fs.readFileSync('keys/private.pem'), { algorithm: 'RS256' });` },
    { name: 'jose key from TextEncoder over env', code: `import { jwtVerify } from 'jose';\nconst key = new TextEncoder().encode(process.env.JWT_SECRET);\nawait jwtVerify(t, key, { algorithms: ['HS256'] });` },
    { name: 'template placeholder', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, '<your-jwt-secret>');` },
    { name: 'placeholder with a runtime guard', code: `import jwt from 'jsonwebtoken';\nconst SECRET = process.env.JWT_SECRET ?? 'CHANGE_ME';\nif (SECRET === 'CHANGE_ME') throw new Error('set JWT_SECRET');\njwt.sign({ sub }, SECRET);` },
    { name: 'key resolver function', code: `import jwt from 'jsonwebtoken';\njwt.verify(t, (header, cb) => cb(null, 'k'), {}, done);` },
    { name: 'a literal passed to an unrelated sign', code: `import crypto from 'crypto';\ncrypto.createHmac('sha256', 'not-a-jwt').update(x);\nsigner.sign({ sub }, 'literal');` },
    { name: 'passport-jwt secretOrKeyProvider', code: `import { Strategy } from 'passport-jwt';\nnew Strategy({ secretOrKeyProvider: (req, raw, done) => done(null, 'x'), jwtFromRequest }, verify);` },
    { name: 'wrapper with a key fixed inside it: its call sites are not reported', code: `import { authorize } from './security';\nexport const t = authorize({ sub: 1 });\nexport const u = authorize({ sub: 2 });`, files: { 'src/security.ts': `import jwt from 'jsonwebtoken';\nconst privateKey = 'k' + 'x';\nexport const authorize = (user = {}) => jwt.sign(user, privateKey, { expiresIn: '6h' });` } },
    { name: 'public key file with a placeholder fallback', code: `import fs from 'fs';\nimport { expressjwt } from 'express-jwt';\nexport const publicKey = fs ? fs.readFileSync('encryptionkeys/jwt.pub', 'utf8') : 'placeholder-public-key';\napp.use(expressjwt({ secret: publicKey, algorithms: ['RS256'] }));` },
    { name: 'JwtModule publicKey literal is not a secret sink', code: `import { JwtModule } from '@nestjs/jwt';\nJwtModule.register({ publicKey: '${PUBLIC_PEM}', privateKey: process.env.PRIVATE_KEY });` },
  ],
  invalid: [
    {
      name: 'P1: literal key in jwt.sign',
      code: `import jwt from 'jsonwebtoken';\nexport const token = jwt.sign({ sub }, 'super-secret', { expiresIn: '1h' });`,
      errors: [{
        line: 2, severity: 'error', message: /hardcoded \(`…\(12 chars\)`\).*guessable word.*12 bytes/,
        suggestions: [{ title: 'requireEnv', output: `import jwt from 'jsonwebtoken';\nexport const token = jwt.sign({ sub }, requireEnv('JWT_SECRET'), { expiresIn: '1h' });${HELPER}` }],
      }],
    },
    {
      name: 'P2: env fallback in JwtModule.register (whole || expression)',
      code: `import { JwtModule } from '@nestjs/jwt';\nJwtModule.register({ secret: process.env.JWT_SECRET || 'dev-secret', signOptions: { expiresIn: '15m' } });`,
      errors: [{
        severity: 'error', message: 'when JWT_SECRET is unset',
        suggestions: [{ output: `import { JwtModule } from '@nestjs/jwt';\nJwtModule.register({ secret: requireEnv('JWT_SECRET'), signOptions: { expiresIn: '15m' } });${HELPER}` }],
      }],
    },
    {
      name: 'const declared key used by sign and verify: one finding at the literal, named after the const',
      code: `import jwt from 'jsonwebtoken';\nconst ACCESS_TOKEN_SECRET = '${LONG}';\njwt.sign({ sub }, ACCESS_TOKEN_SECRET);\njwt.verify(t, ACCESS_TOKEN_SECRET);`,
      errors: [{ line: 2, message: 'hardcoded', suggestions: [{ output: `import jwt from 'jsonwebtoken';\nconst ACCESS_TOKEN_SECRET = requireEnv('ACCESS_TOKEN_SECRET');\njwt.sign({ sub }, ACCESS_TOKEN_SECRET);\njwt.verify(t, ACCESS_TOKEN_SECRET);${HELPER}` }] }],
    },
    {
      name: 'long random literal is still hardcoded but not called weak',
      code: `import jwt from 'jsonwebtoken';\njwt.verify(t, '${LONG}', { algorithms: ['HS256'] });`,
      errors: [{ message: /hardcoded \(`q7Z…\(60 chars\)`\) as the `jwt.verify\(\)` key: anyone/ }],
    },
    {
      name: '?? fallback in a CommonJS file',
      filename: 'src/auth.js',
      code: `const jwt = require('jsonwebtoken');\nconst secret = process.env.TOKEN_KEY ?? 'keyboard cat';\nmodule.exports = (t) => jwt.verify(t, secret);`,
      errors: [{ line: 2, message: 'when TOKEN_KEY is unset', suggestions: [{ output: `const jwt = require('jsonwebtoken');\nconst secret = requireEnv('TOKEN_KEY');\nmodule.exports = (t) => jwt.verify(t, secret);\n\nfunction requireEnv(name) {\n  const value = process.env[name];\n  if (!value) throw new Error(\`\${name} is not set\`);\n  return value;\n}\n` }] }],
    },
    {
      name: 'destructuring default from process.env: reported, no edit',
      code: `import jwt from 'jsonwebtoken';\nconst { JWT_SECRET = 'devsecret' } = process.env;\njwt.sign({ sub }, JWT_SECRET);`,
      errors: [{ line: 2, message: 'falls back', suggestions: [] }],
    },
    {
      name: 'ConfigService.get with a default → getOrThrow',
      code: `import { JwtModule } from '@nestjs/jwt';\nJwtModule.registerAsync({ useFactory: (config: ConfigService) => ({ secret: config.get('JWT_SECRET', 'local-dev') }) });`,
      errors: [{ suggestions: [{ output: `import { JwtModule } from '@nestjs/jwt';\nJwtModule.registerAsync({ useFactory: (config: ConfigService) => ({ secret: config.getOrThrow('JWT_SECRET') }) });` }] }],
    },
    {
      name: 'NODE_ENV-conditional fallback is a warning',
      code: `import jwt from 'jsonwebtoken';\nconst key = process.env.NODE_ENV === 'production' ? process.env.JWT_SECRET! : 'dev';\njwt.sign({ sub }, key);`,
      errors: [{ severity: 'warning', message: 'non-production' }],
    },
    {
      name: 'jose SignJWT key via TextEncoder (inline and through an encoder variable)',
      code: `import { SignJWT, jwtVerify } from 'jose';\nconst enc = new TextEncoder();\nawait new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('abc123'));\nawait jwtVerify(t, enc.encode('abc123'), { algorithms: ['HS256'] });`,
      errors: [
        { line: 3, suggestions: [{ output: `import { SignJWT, jwtVerify } from 'jose';\nconst enc = new TextEncoder();\nawait new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(requireEnv('JWT_SECRET')));\nawait jwtVerify(t, enc.encode('abc123'), { algorithms: ['HS256'] });${HELPER}` }] },
        { line: 4 },
      ],
    },
    {
      name: 'passport-jwt secretOrKey and express-jwt secret',
      code: `import { Strategy } from 'passport-jwt';\nimport { expressjwt } from 'express-jwt';\nnew Strategy({ jwtFromRequest, secretOrKey: 'shhhhh' }, verify);\napp.use(expressjwt({ secret: 'shhhhh2', algorithms: ['HS256'] }));`,
      errors: [{ line: 3 }, { line: 4 }],
    },
    {
      name: 'Nest PassportStrategy(Strategy) super() options',
      code: `import { PassportStrategy } from '@nestjs/passport';\nimport { ExtractJwt, Strategy } from 'passport-jwt';\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() { super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: 'topSecret51' }); }\n}`,
      errors: [{ line: 4, message: 'passport-jwt' }],
    },
    {
      name: 'JwtService.sign option and hono sign key',
      code: `import { JwtService } from '@nestjs/jwt';\nimport { sign } from 'hono/jwt';\nclass A { constructor(private jwt: JwtService) {}\n  r() { return this.jwt.sign({ sub: 1 }, { secret: 'refresh-secret', expiresIn: '7d' }); } }\nawait sign({ sub }, 'hono-secret');`,
      errors: [{ line: 4 }, { line: 5 }],
    },
    {
      name: 'fastify plugin and koa-jwt',
      code: `import fastifyJwt from '@fastify/jwt';\nimport koaJwt from 'koa-jwt';\napp.register(fastifyJwt, { secret: 'supersecret' });\nkoa.use(koaJwt({ secret: 'supersecret' }));`,
      errors: [{ line: 3 }, { line: 4 }],
    },
    {
      name: 'next-auth options object typed NextAuthOptions',
      code: `import type { NextAuthOptions } from 'next-auth';\nexport const authOptions: NextAuthOptions = { providers: [], secret: 'next-auth-secret' };`,
      errors: [{ line: 2 }],
    },
    {
      name: 'hono on Workers: the suggestion reads the binding',
      code: `import { Hono } from 'hono';\nimport { sign } from 'hono/jwt';\nconst app = new Hono();\napp.post('/login', async (c) => c.json({ token: await sign({ sub: 1 }, 'workers-secret') }));`,
      errors: [{ suggestions: [{ output: `import { Hono } from 'hono';\nimport { sign } from 'hono/jwt';\nconst app = new Hono();\napp.post('/login', async (c) => c.json({ token: await sign({ sub: 1 }, c.env.JWT_SECRET) }));` }] }],
    },
    {
      name: 'key imported from a config module: reported at the sink, masked',
      code: `import jwt from 'jsonwebtoken';\nimport { config } from './config';\njwt.sign({ sub }, config.jwtSecret);`,
      files: { 'src/config.ts': `export const config = { jwtSecret: process.env.JWT_SECRET || 'fallback-dev-key' };` },
      errors: [{ line: 3, message: 'when JWT_SECRET is unset' }],
    },
    {
      name: 'a literal from another file is reported once per file (at the first sink)',
      code: `import jwt from 'jsonwebtoken';\nimport { KEY } from './keys';\njwt.sign({ a: 1 }, KEY);\njwt.sign({ b: 2 }, KEY);\njwt.verify(t, KEY);`,
      files: { 'src/keys.ts': `export const KEY = 'abc' + 'def';` },
      errors: [{ line: 3, suggestions: [] }],
    },
    {
      name: 'integration-tests helpers are test-like: info',
      filename: 'integration-tests/helpers/admin.ts',
      code: `import jwt from 'jsonwebtoken';\nexport const token = jwt.sign({ sub: 1 }, 'test');`,
      errors: [{ severity: 'info', suggestions: [] }],
    },
    {
      name: 'test paths are info; a private PEM stays warning there',
      filename: 'test/auth.spec.ts',
      code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, 'test-secret');\njwt.sign({ sub }, '${PRIVATE_PEM}', { algorithm: 'RS256' });`,
      errors: [{ severity: 'info' }, { severity: 'warning', message: 'private key' }],
    },
  ],
});
