import rule from '../../../shared-rules/src/rules/jwt/sign-without-expiry';
import { ruleTester } from '../../support/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'N1: expiresIn given', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub: user.id }, secret, { algorithm: 'HS256', expiresIn: '15m' });` },
    {
      name: 'N2: JwtModule signOptions apply to JwtService.sign',
      code: `import { JwtModule, JwtService } from '@nestjs/jwt';\nJwtModule.register({ secret: s, signOptions: { expiresIn: '10m' } });\nclass Auth { constructor(private readonly jwt: JwtService) {}\n  login(id: string) { return this.jwt.sign({ sub: id }); } }`,
    },
    {
      name: 'registerAsync factory with signOptions in another file',
      code: `import { JwtService } from '@nestjs/jwt';\nexport class Auth { constructor(private jwt: JwtService) {}\n  login(id: string) { return this.jwt.signAsync({ sub: id }); } }`,
      files: { 'src/auth.module.ts': `import { JwtModule } from '@nestjs/jwt';\nexport const m = JwtModule.registerAsync({ inject: [ConfigService], useFactory: (c: ConfigService) => ({ secret: c.get('JWT_SECRET'), signOptions: { expiresIn: c.get('JWT_TTL') } }) });` },
    },
    { name: 'JwtService without a visible module config', code: `import { JwtService } from '@nestjs/jwt';\nclass A { constructor(private jwt: JwtService) {}\n  t() { return this.jwt.sign({ sub: 1 }); } }` },
    { name: 'exp in the payload counts', code: `const jwt = require('jsonwebtoken');\njwt.sign({ sub: 1, exp: Math.floor(Date.now() / 1000) + 900 }, key);`, filename: 'src/a.js' },
    { name: 'options from a const with expiresIn', code: `import * as jwt from 'jsonwebtoken';\nconst opts = { expiresIn: 3600 };\njwt.sign({ sub: 1 }, key, opts);` },
    { name: 'expiresIn from env (cannot evaluate, still present)', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub: 1 }, key, { expiresIn: process.env.JWT_TTL });` },
    { name: 'unknown options spread', code: `import jwt from 'jsonwebtoken';\nexport function t(o: object) { return jwt.sign({ sub: 1 }, key, { ...o }); }` },
    { name: 'unknown options parameter', code: `import jwt from 'jsonwebtoken';\nexport function t(o: jwt.SignOptions) { return jwt.sign({ sub: 1 }, key, o); }` },
    { name: 'payload spread of unknown object may carry exp', code: `import jwt from 'jsonwebtoken';\nexport function t(claims: object) { return jwt.sign({ ...claims }, key); }` },
    { name: 'jose chain with setExpirationTime', code: `import { SignJWT } from 'jose';\nconst t = await new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('2h').sign(key);` },
    { name: 'jose builder variable with a setExpirationTime statement', code: `import * as jose from 'jose';\nconst b = new jose.SignJWT({ sub });\nb.setProtectedHeader({ alg: 'ES256' });\nb.setExpirationTime('10m');\nexport const t = await b.sign(key);` },
    { name: 'jose builder that escapes to another function', code: `import { SignJWT } from 'jose';\nconst b = new SignJWT({ sub });\nconfigure(b);\nexport const t = await b.sign(key);` },
    { name: 'hono sign with exp', code: `import { sign } from 'hono/jwt';\nconst t = await sign({ sub, exp: Math.floor(Date.now() / 1000) + 60 * 5 }, c.env.SECRET);` },
    { name: 'fastify plugin sign defaults', code: `import fastifyJwt from '@fastify/jwt';\napp.register(fastifyJwt, { secret: process.env.S!, sign: { expiresIn: '15m' } });\napp.post('/login', async (req, reply) => reply.jwtSign({ sub: 1 }));`, files: { 'package.json': JSON.stringify({ dependencies: { '@fastify/jwt': '^9.0.0' } }) } },
    { name: 'options filled in later', code: `import jwt from 'jsonwebtoken';\nconst opts: jwt.SignOptions = {};\nif (ttl) opts.expiresIn = ttl;\njwt.sign({ sub: 1 }, key, opts);` },
    { name: 'exp set on the payload later', code: `import jwt from 'jsonwebtoken';\nconst payload: any = { sub: 1 };\npayload.exp = Math.floor(Date.now() / 1000) + 600;\njwt.sign(payload, key);` },
    { name: 'a local sign function is not jsonwebtoken', code: `function sign(p: object, k: string) { return k; }\nsign({ sub: 1 }, 'k');` },
    { name: 'unrelated library sign (cookie-signature)', code: `import signature from 'cookie-signature';\nsignature.sign('value', secret);` },
    { name: 'thin wrapper: the wrapper body is silent, call sites are judged', code: `import jwt from 'jsonwebtoken';\nexport const issue = (p: object) => jwt.sign(p, process.env.K!, { expiresIn: '1h' });\nissue({ sub: 1 });` },
  ],
  invalid: [
    {
      name: 'P1: jsonwebtoken without options',
      code: `import jwt from 'jsonwebtoken';\nconst token = jwt.sign({ sub: user.id }, secret);`,
      errors: [{ line: 2, severity: 'warning', message: 'without an expiry', suggestions: [{ title: "expiresIn: '15m'", output: `import jwt from 'jsonwebtoken';\nconst token = jwt.sign({ sub: user.id }, secret, { expiresIn: '15m' });` }] }],
    },
    {
      name: 'P2: jose chain without setExpirationTime',
      code: `import { SignJWT } from 'jose';\nconst t = await new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).sign(key);`,
      errors: [{ line: 2, message: '`SignJWT`', suggestions: [{ output: `import { SignJWT } from 'jose';\nconst t = await new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('15m').sign(key);` }] }],
    },
    {
      name: 'callback form: options go before the callback',
      filename: 'src/a.js',
      code: `const { sign } = require('jsonwebtoken');\nsign({ id: u.id }, KEY, (err, tok) => done(tok));`,
      errors: [{ suggestions: [{ output: `const { sign } = require('jsonwebtoken');\nsign({ id: u.id }, KEY, { expiresIn: '15m' }, (err, tok) => done(tok));` }] }],
    },
    {
      name: 'callback identifier in the options slot',
      code: `import jwt from 'jsonwebtoken';\nfunction cb(e: Error | null, t?: string) {}\njwt.sign({ id: 1 }, KEY, cb);`,
      errors: [{ suggestions: [{ output: `import jwt from 'jsonwebtoken';\nfunction cb(e: Error | null, t?: string) {}\njwt.sign({ id: 1 }, KEY, { expiresIn: '15m' }, cb);` }] }],
    },
    {
      name: 'options object without expiresIn gets the property; configured default',
      code: `import jwt from 'jsonwebtoken';\njwt.sign({ id: 1 }, KEY, { algorithm: 'HS256' });`,
      options: { defaultExpiry: '1h' },
      errors: [{ suggestions: [{ output: `import jwt from 'jsonwebtoken';\njwt.sign({ id: 1 }, KEY, { algorithm: 'HS256', expiresIn: '1h' });` }] }],
    },
    {
      name: 'options variable: spread at the call site',
      code: `import jwt from 'jsonwebtoken';\nconst o = { algorithm: 'HS256' as const };\njwt.sign({ id: 1 }, KEY, o);`,
      errors: [{ suggestions: [{ output: `import jwt from 'jsonwebtoken';\nconst o = { algorithm: 'HS256' as const };\njwt.sign({ id: 1 }, KEY, { ...o, expiresIn: '15m' });` }] }],
    },
    {
      name: 'Nest JwtService: module config without signOptions; options are argument 2',
      code: `import { JwtModule, JwtService } from '@nestjs/jwt';\nJwtModule.register({ secret: s });\nclass A { constructor(private jwt: JwtService) {}\n  t(id: string) { return this.jwt.signAsync({ sub: id }); } }`,
      errors: [{ line: 4, message: 'JwtService', suggestions: [{ output: `import { JwtModule, JwtService } from '@nestjs/jwt';\nJwtModule.register({ secret: s });\nclass A { constructor(private jwt: JwtService) {}\n  t(id: string) { return this.jwt.signAsync({ sub: id }, { expiresIn: '15m' }); } }` }] }],
    },
    {
      name: 'hono sign without exp: suggestion adds the exp claim',
      code: `import { sign } from 'hono/jwt';\nconst t = await sign({ sub: id }, c.env.SECRET);`,
      errors: [{ message: 'hono', suggestions: [{ output: `import { sign } from 'hono/jwt';\nconst t = await sign({ sub: id, exp: Math.floor(Date.now() / 1000) + 15 * 60 }, c.env.SECRET);` }] }],
    },
    {
      name: 'fastify reply.jwtSign with plugin options lacking sign',
      code: `import fastifyJwt from '@fastify/jwt';\napp.register(fastifyJwt, { secret: process.env.S! });\napp.post('/login', async (req, reply) => reply.jwtSign({ sub: 1 }));`,
      files: { 'package.json': JSON.stringify({ dependencies: { '@fastify/jwt': '^9.0.0' } }) },
      errors: [{ line: 3, suggestions: [{ output: `import fastifyJwt from '@fastify/jwt';\napp.register(fastifyJwt, { secret: process.env.S! });\napp.post('/login', async (req, reply) => reply.jwtSign({ sub: 1 }, { expiresIn: '15m' }));` }] }],
    },
    {
      name: 'string payload: info, no suggestion (expiresIn would throw)',
      code: `import jwt from 'jsonwebtoken';\nconst t = jwt.sign('user-42', KEY);`,
      errors: [{ severity: 'info', message: 'string payload', suggestions: [] }],
    },
    {
      name: 'payload not visible: info, no suggestion',
      code: `import jwt from 'jsonwebtoken';\nexport function issue(claims: Claims) { const t = jwt.sign(claims, KEY); return t; }`,
      errors: [{ severity: 'info', message: 'not visible', suggestions: [] }],
    },
    {
      name: 'thin wrapper without expiry: reported at the call site',
      code: `import { issue } from './tokens';\nexport const t = issue({ sub: 1 });`,
      files: { 'src/tokens.ts': `import jwt from 'jsonwebtoken';\nexport const issue = (p: object) => jwt.sign(p, process.env.K!);` },
      errors: [{ line: 2, severity: 'warning', suggestions: [] }],
    },
    {
      name: 'custom expiry claim (expiresAt) instead of exp: info',
      code: `import JWT from 'jsonwebtoken';\nexport const t = JWT.sign({ id: 1, expiresAt: addMinutes(new Date(), 1).toISOString(), type: 'transfer' }, secret);`,
      errors: [{ severity: 'info', message: 'custom `expiresAt` claim' }],
    },
    {
      name: 'signed unsubscribe link: info',
      code: `import jwt from 'jsonwebtoken';\nexport function unsubscribeLink(email: string) { return jwt.sign({ email }, KEY); }`,
      errors: [{ severity: 'info', message: 'signed link' }],
    },
    {
      name: 'test paths are info',
      filename: 'test/helpers.ts',
      code: `import jwt from 'jsonwebtoken';\nexport const token = jwt.sign({ sub: 1 }, 'k');`,
      errors: [{ severity: 'info' }],
    },
    {
      name: 'expiresIn: undefined is no expiry',
      code: `import jwt from 'jsonwebtoken';\njwt.sign({ id: 1 }, KEY, { expiresIn: undefined });`,
      errors: [{ severity: 'warning' }],
    },
  ],
});
