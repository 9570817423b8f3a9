import rule from '../../../shared-rules/src/rules/jwt/excessive-expiry';
import { ruleTester } from '../../support/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'N1: 900 seconds', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, secret, { expiresIn: 900 });` },
    { name: 'N2: refresh token within 30 days', code: `import jwt from 'jsonwebtoken';\nconst refreshToken = jwt.sign({ sub, typ: 'refresh' }, rSecret, { expiresIn: '30d' });` },
    { name: 'exactly 24 hours is fine', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, secret, { expiresIn: '24h' });` },
    { name: 'unit-less numeric string is milliseconds (3.6 s), not long', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, secret, { expiresIn: '86400000' });` },
    { name: 'lifetime from env: cannot evaluate', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, secret, { expiresIn: process.env.JWT_TTL });` },
    { name: 'env with a long literal fallback: still env-controlled', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, secret, { expiresIn: process.env.JWT_TTL || '7d' });` },
    { name: 'jose number is an absolute timestamp', code: `import { SignJWT } from 'jose';\nawait new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(1893456000).sign(key);` },
    { name: 'jose relative 2h', code: `import { SignJWT } from 'jose';\nawait new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('2h').sign(key);` },
    { name: 'exp claim 15 minutes from now', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub, exp: Math.floor(Date.now() / 1000) + 15 * 60 }, key);` },
    { name: 'refresh token by key name, 60 days', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, process.env.JWT_REFRESH_SECRET!, { expiresIn: '60d' });` },
    { name: 'verify maxAge of 1 hour', code: `import jwt from 'jsonwebtoken';\njwt.verify(t, k, { algorithms: ['HS256'], maxAge: '1h' });` },
    { name: 'an unrelated expiresIn (cookie options)', code: `res.cookie('sid', v, { expiresIn: '365d', maxAge: 31536000000 });` },
    { name: 'wrapper with a fixed lifetime: not reported at its call sites', code: `import generateToken from './token';\nexport const a = generateToken(1);\nexport const b = generateToken(2);`, files: { 'src/token.ts': `import * as jwt from 'jsonwebtoken';\nconst generateToken = (id: number) => jwt.sign({ user: { id } }, process.env.S!, { expiresIn: '60d' });\nexport default generateToken;` } },
    { name: 'a local sign function', code: `function sign(p: object, k: string, o: object) { return ''; }\nsign({}, 'k', { expiresIn: '365d' });` },
  ],
  invalid: [
    {
      name: 'P1: 365 days',
      code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, secret, { expiresIn: '365d' });`,
      errors: [{ line: 2, severity: 'warning', message: '365 days', suggestions: [{ output: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, secret, { expiresIn: '15m' });` }] }],
    },
    {
      name: 'P2: exp arithmetic 30 days',
      code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub, exp: Math.floor(Date.now() / 1000) + 60 * 60 * 24 * 30 }, secret);`,
      errors: [{ message: '30 days', suggestions: [{ output: `import jwt from 'jsonwebtoken';\njwt.sign({ sub, exp: Math.floor(Date.now() / 1000) + 15 * 60 }, secret);` }] }],
    },
    {
      name: 'number is seconds for jsonwebtoken',
      code: `const jwt = require('jsonwebtoken');\nconst TTL = 60 * 60 * 24 * 7;\njwt.sign({ id }, KEY, { expiresIn: TTL });`,
      filename: 'src/a.js',
      errors: [{ line: 3, message: '7 days', suggestions: [{ output: `const jwt = require('jsonwebtoken');\nconst TTL = 60 * 60 * 24 * 7;\njwt.sign({ id }, KEY, { expiresIn: '15m' });` }] }],
    },
    {
      name: 'exp from Date.now() in milliseconds',
      code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub, exp: Date.now() + 3600 * 1000 }, key);`,
      errors: [{ severity: 'warning', message: 'milliseconds' }],
    },
    {
      name: 'refresh token over 90 days: info with the refresh default',
      code: `import jwt from 'jsonwebtoken';\nconst refreshToken = jwt.sign({ sub }, rk, { expiresIn: '1y' });`,
      errors: [{ severity: 'info', message: 'Refresh token', suggestions: [{ output: `import jwt from 'jsonwebtoken';\nconst refreshToken = jwt.sign({ sub }, rk, { expiresIn: '30d' });` }] }],
    },
    {
      name: 'access token in a method named refresh is still an access token',
      code: `import jwt from 'jsonwebtoken';\nexport function refresh(sub: string) { const accessToken = jwt.sign({ sub }, k, { expiresIn: '7d' }); return accessToken; }`,
      errors: [{ severity: 'warning', message: 'Access token' }],
    },
    {
      name: 'JwtModule signOptions',
      code: `import { JwtModule } from '@nestjs/jwt';\nexport const m = JwtModule.register({ secret: s, signOptions: { expiresIn: '30d' } });`,
      errors: [{ line: 2, message: '30 days', suggestions: [{ output: `import { JwtModule } from '@nestjs/jwt';\nexport const m = JwtModule.register({ secret: s, signOptions: { expiresIn: '15m' } });` }] }],
    },
    {
      name: 'JwtModule.registerAsync factory',
      code: `import { JwtModule } from '@nestjs/jwt';\nexport const m = JwtModule.registerAsync({ useFactory: () => ({ secret: process.env.S, signOptions: { expiresIn: 60 * 60 * 24 * 30 } }) });`,
      errors: [{ message: '30 days' }],
    },
    {
      name: 'jose setExpirationTime relative string',
      code: `import { SignJWT } from 'jose';\nawait new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('30 days').sign(key);`,
      errors: [{ message: '30 days', suggestions: [{ output: `import { SignJWT } from 'jose';\nawait new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('15m').sign(key);` }] }],
    },
    {
      name: 'jose number built from Date.now() in seconds',
      code: `import { SignJWT } from 'jose';\nawait new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(Date.now() / 1000) + 86400 * 14).sign(key);`,
      errors: [{ message: '14 days' }],
    },
    {
      name: 'hono exp claim',
      code: `import { sign } from 'hono/jwt';\nawait sign({ sub, exp: Math.floor(Date.now() / 1000) + 60 * 60 * 24 * 365 }, c.env.SECRET);`,
      errors: [{ message: '365 days' }],
    },
    {
      name: 'fastify plugin sign options (number = seconds)',
      code: `import fastifyJwt from '@fastify/jwt';\napp.register(fastifyJwt, { secret: process.env.S!, sign: { expiresIn: 604800 } });`,
      errors: [{ message: '7 days' }],
    },
    {
      name: 'verify maxAge over the access maximum',
      code: `import jwt from 'jsonwebtoken';\njwt.verify(t, k, { algorithms: ['HS256'], maxAge: '30d' });`,
      errors: [{ message: 'maxAge', suggestions: [{ title: 'accepted token age' }] }],
    },
    {
      name: 'jose jwtVerify maxTokenAge',
      code: `import { jwtVerify } from 'jose';\nawait jwtVerify(t, key, { algorithms: ['ES256'], maxTokenAge: '1 year' });`,
      errors: [{ message: 'maxTokenAge' }],
    },
    {
      name: 'service-to-service token with an asymmetric key and audience: info',
      code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub: 'billing' }, privateKey, { algorithm: 'RS256', audience: 'ledger', expiresIn: '30d' });`,
      errors: [{ severity: 'info', message: 'service-to-service' }],
    },
    {
      name: 'configured thresholds',
      code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, k, { expiresIn: '2h' });`,
      options: { accessMaxAge: '1h', accessDefault: '10m' },
      errors: [{ message: '2 hours', suggestions: [{ output: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, k, { expiresIn: '10m' });` }] }],
    },
    {
      name: 'options object from another file: reported at the options argument, no edit across files',
      code: `import jwt from 'jsonwebtoken';\nimport { opts } from './cfg';\njwt.sign({ sub }, k, opts);`,
      files: { 'src/cfg.ts': `export const opts = { expiresIn: '90d' };` },
      errors: [{ line: 3, suggestions: [] }],
    },
  ],
});
