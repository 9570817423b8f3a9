import rule from '../../../shared-rules/src/rules/jwt/ignore-expiration';
import { ruleTester } from '../../support/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'N1: passport-jwt strategy without ignoreExpiration', code: `import { Strategy as JwtStrategy, ExtractJwt } from 'passport-jwt';\nnew JwtStrategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: pub, algorithms: ['RS256'] }, validate);` },
    { name: 'N2: small clock tolerance', code: `import jwt from 'jsonwebtoken';\njwt.verify(tok, key, { algorithms: ['HS256'], clockTolerance: 30 });` },
    { name: 'ignoreExpiration: false (Nest default spelled out)', code: `import { Injectable } from '@nestjs/common';\nimport { PassportStrategy } from '@nestjs/passport';\nimport { ExtractJwt, Strategy } from 'passport-jwt';\n@Injectable()\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() { super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), ignoreExpiration: false, secretOrKey: process.env.JWT_SECRET }); }\n}` },
    { name: 'passport-jwt: ignoreExpiration inside jsonWebTokenOptions is overwritten by the top level', code: `import { Strategy } from 'passport-jwt';\nnew Strategy({ jwtFromRequest: fromHeader, secretOrKey: k, algorithms: ['HS256'], jsonWebTokenOptions: { ignoreExpiration: true } }, cb);` },
    { name: 'unrelated library with ignoreExpiration', code: `import { verify } from './my-token-lib';\nverify(t, { ignoreExpiration: true });`, files: { 'src/my-token-lib.ts': 'export function verify(t: string, o: object) { return !!t && !!o; }' } },
    { name: 'ignoreExpiration from an unknown config value', code: `import jwt from 'jsonwebtoken';\njwt.verify(t, k, { algorithms: ['HS256'], ignoreExpiration: config.ignoreExp });` },
    { name: 'express-jwt onExpired that rethrows', code: `import { expressjwt } from 'express-jwt';\napp.use(expressjwt({ secret: s, algorithms: ['HS256'], onExpired: async (req, err) => { if (Date.now() - err.inner.expiredAt < 5000) { return; } throw err; } }));` },
    { name: 'hono jwt verification exp left on', code: `import { jwt } from 'hono/jwt';\napp.use(jwt({ secret: s, alg: 'HS256', verification: { exp: true, iss: 'me' } }));` },
    { name: 'jose clockTolerance of 2 minutes', code: `import { jwtVerify } from 'jose';\nawait jwtVerify(t, key, { algorithms: ['ES256'], clockTolerance: '2m' });` },
    { name: 'fast-jwt clockTolerance is milliseconds', code: `import { createVerifier } from 'fast-jwt';\nconst verify = createVerifier({ key: k, algorithms: ['HS256'], clockTolerance: 60000 });` },
    { name: 'expiry compared by hand after verifying with ignoreExpiration', code: `import { JwtService } from '@nestjs/jwt';\nexport class AuthService {\n  constructor(private readonly jwtService: JwtService) {}\n  async check(authorization: string) {\n    const now = Math.floor(Date.now() / 1000);\n    const payload = await this.jwtService.verify(authorization.substring(7), { ignoreExpiration: true });\n    if (payload.exp < now) return new Error('expired');\n    return payload;\n  }\n}` },
  ],
  invalid: [
    {
      name: 'P1: passport-jwt top-level ignoreExpiration: fix deletes it',
      code: `import { Strategy as JwtStrategy, ExtractJwt } from 'passport-jwt';\nnew JwtStrategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: pub, algorithms: ['RS256'], ignoreExpiration: true }, validate);`,
      errors: [{ line: 2, severity: 'error', message: 'ignoreExpiration', fixOutput: `import { Strategy as JwtStrategy, ExtractJwt } from 'passport-jwt';\nnew JwtStrategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: pub, algorithms: ['RS256'] }, validate);` }],
    },
    {
      name: 'P2: ignoreExpiration depends on the environment',
      code: `import jwt from 'jsonwebtoken';\njwt.verify(tok, key, { algorithms: ['HS256'], ignoreExpiration: process.env.NODE_ENV !== 'production' });`,
      errors: [{ severity: 'error', fixOutput: `import jwt from 'jsonwebtoken';\njwt.verify(tok, key, { algorithms: ['HS256'] });` }],
    },
    {
      name: 'Nest PassportStrategy super() with ignoreExpiration: true (multi-line)',
      code: `import { PassportStrategy } from '@nestjs/passport';\nimport { ExtractJwt, Strategy } from 'passport-jwt';\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() {\n    super({\n      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),\n      ignoreExpiration: true,\n      secretOrKey: process.env.JWT_SECRET,\n    });\n  }\n}`,
      errors: [{ line: 7, fixOutput: `import { PassportStrategy } from '@nestjs/passport';\nimport { ExtractJwt, Strategy } from 'passport-jwt';\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() {\n    super({\n      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),\n      secretOrKey: process.env.JWT_SECRET,\n    });\n  }\n}` }],
    },
    {
      name: 'Nest JwtModule verifyOptions and JwtService.verify call',
      code: `import { JwtModule, JwtService } from '@nestjs/jwt';\nJwtModule.register({ secret: s, verifyOptions: { ignoreExpiration: true } });\nclass A { constructor(private jwt: JwtService) {}\n  check(t: string) { return this.jwt.verify(t, { ignoreExpiration: true }); } }`,
      errors: [{ line: 2, message: 'module-wide' }, { line: 4 }],
    },
    {
      name: 'express-jwt pass-through option (require form)',
      code: `const { expressjwt } = require('express-jwt');\napp.use(expressjwt({ secret: s, algorithms: ['HS256'], ignoreExpiration: true }));`,
      filename: 'src/app.js',
      errors: [{ severity: 'error' }],
    },
    {
      name: 'express-jwt onExpired that swallows the error: suggestion adds throw',
      code: `import { expressjwt } from 'express-jwt';\napp.use(expressjwt({\n  secret: s,\n  algorithms: ['HS256'],\n  onExpired: async (req, err) => {\n    console.warn('expired', err);\n  },\n}));`,
      errors: [{ line: 5, severity: 'error', message: 'onExpired', suggestions: [{ output: `import { expressjwt } from 'express-jwt';\napp.use(expressjwt({\n  secret: s,\n  algorithms: ['HS256'],\n  onExpired: async (req, err) => {\n    console.warn('expired', err);\n    throw err;\n  },\n}));` }] }],
    },
    {
      name: 'express-jwt onExpired declared as a function elsewhere in the file',
      code: `import { expressjwt } from 'express-jwt';\nfunction onExpired(req, err) { if (req.path === '/refresh') return; }\napp.use(expressjwt({ secret: s, algorithms: ['HS256'], onExpired }));`,
      errors: [{ line: 3, suggestions: [{ output: `import { expressjwt } from 'express-jwt';\nfunction onExpired(req, err) { if (req.path === '/refresh') return; throw err; }\napp.use(expressjwt({ secret: s, algorithms: ['HS256'], onExpired }));` }] }],
    },
    {
      name: 'hono jwt() verification exp: false',
      code: `import { jwt } from 'hono/jwt';\napp.use('/api/*', jwt({ secret: s, alg: 'HS256', verification: { exp: false } }));`,
      errors: [{ severity: 'error', message: 'exp: false', fixOutput: `import { jwt } from 'hono/jwt';\napp.use('/api/*', jwt({ secret: s, alg: 'HS256', verification: {  } }));` }],
    },
    {
      name: 'hono verify() options form with exp: false',
      code: `import { verify } from 'hono/jwt';\nconst p = await verify(t, s, { alg: 'HS256', exp: false });`,
      errors: [{ message: 'exp: false' }],
    },
    {
      name: 'jsonwebtoken clockTolerance over 5 minutes',
      code: `import jwt from 'jsonwebtoken';\njwt.verify(t, k, { algorithms: ['HS256'], clockTolerance: 60 * 60 * 24 });`,
      errors: [{ severity: 'warning', message: '1 day(s)' }],
    },
    {
      name: 'jose clockTolerance string and currentDate in the past',
      code: `import { jwtVerify } from 'jose';\nawait jwtVerify(t, key, { algorithms: ['ES256'], clockTolerance: '1h' });\nawait jwtVerify(t, key, { algorithms: ['ES256'], currentDate: new Date(Date.now() - 7 * 24 * 3600 * 1000) });`,
      errors: [{ line: 2, severity: 'warning', message: '1 hour(s)' }, { line: 3, severity: 'warning', message: 'currentDate' }],
    },
    {
      name: 'refresh flow: info and the deletion becomes a suggestion',
      code: `import jwt from 'jsonwebtoken';\nexport function refresh(req) {\n  const old = jwt.verify(req.body.accessToken, KEY, { algorithms: ['HS256'], ignoreExpiration: true });\n  const r = jwt.verify(req.body.refreshToken, REFRESH_KEY, { algorithms: ['HS256'] });\n  return issue(old.sub, r);\n}`,
      errors: [{ line: 3, severity: 'info', fixOutput: null, suggestions: [{ output: `import jwt from 'jsonwebtoken';\nexport function refresh(req) {\n  const old = jwt.verify(req.body.accessToken, KEY, { algorithms: ['HS256'] });\n  const r = jwt.verify(req.body.refreshToken, REFRESH_KEY, { algorithms: ['HS256'] });\n  return issue(old.sub, r);\n}` }] }],
    },
    {
      name: '@fastify/jwt plugin verify defaults',
      code: `import fastifyJwt from '@fastify/jwt';\napp.register(fastifyJwt, { secret: s, verify: { ignoreExpiration: true } });`,
      errors: [{ severity: 'error' }],
    },
    {
      name: 'test paths are info',
      filename: 'test/helpers.ts',
      code: `import jwt from 'jsonwebtoken';\njwt.verify(t, k, { ignoreExpiration: true });`,
      errors: [{ severity: 'info' }],
    },
  ],
});
