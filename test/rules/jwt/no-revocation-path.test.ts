import rule from '../../../shared-rules/src/rules/jwt/no-revocation-path';
import { ruleTester } from '../../support/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'N1: express-jwt with isRevoked', code: `import { expressjwt } from 'express-jwt';\napp.use(expressjwt({ secret: s, algorithms: ['HS256'], isRevoked: (_req, t) => revoked.has(t!.payload.jti) }));` },
    { name: 'N2: validate() compares a token version', code: `import { PassportStrategy } from '@nestjs/passport';\nimport { Strategy } from 'passport-jwt';\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() { super({ secretOrKey: process.env.K, algorithms: ['HS256'] }); }\n  async validate(p: JwtPayload) { const u = await users.findById(p.sub); if (!u || u.tokenVersion !== p.ver) throw new UnauthorizedException(); return u; }\n}` },
    { name: 'jti denylist lookup in Redis, in another file', code: `import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, process.env.K!, { algorithms: ['HS256'] });`, files: { 'src/logout.ts': `export async function isLoggedOut(p: { jti: string }) { return redis.exists(\`bl:\${p.jti}\`); }` } },
    { name: 'express-session in use (opaque sessions)', code: `import session from 'express-session';\nimport jwt from 'jsonwebtoken';\napp.use(session({ secret: process.env.S! }));\nexport const check = (t: string) => jwt.verify(t, process.env.K!, { algorithms: ['HS256'] });` },
    { name: 'iat compared with passwordChangedAt', code: `import jwt from 'jsonwebtoken';\nexport async function auth(t: string) { const p: any = jwt.verify(t, process.env.K!, { algorithms: ['HS256'] }); const u = await User.findById(p.sub); if (p.iat * 1000 < u.passwordChangedAt.getTime()) throw new Error('stale'); return u; }` },
    { name: 'no verification at all', code: `import jwt from 'jsonwebtoken';\nexport const issue = (id: string) => jwt.sign({ sub: id }, process.env.K!, { expiresIn: '15m' });` },
    { name: 'verification only in test files does not count', filename: 'test/auth.test.ts', code: `import jwt from 'jsonwebtoken';\njwt.verify(t, 'k', { algorithms: ['HS256'] });` },
    { name: 'sessions keyed by sessionId, deleted on logout (refresh store)', code: `import { PassportStrategy } from '@nestjs/passport';\nimport { Strategy } from 'passport-jwt';\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() { super({ secretOrKey: process.env.K, algorithms: ['HS256'] }); }\n  validate(p: any) { return p; }\n}\nexport class AuthService { logout(data: { sessionId: string }) { return this.sessions.deleteById(data.sessionId); } }` },
    { name: 'refresh tokens persisted in a store (RefreshToken model)', code: `import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, process.env.K!, { algorithms: ['HS256'] });\nexport async function refresh(token: string) { const stored = await RefreshToken.findOneAndRemove({ token }); return stored; }` },
    { name: 'a revocation flag on stored tokens', code: `import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, process.env.K!, { algorithms: ['HS256'] });\nexport const find = (token: string) => Token.findOne({ token, blacklisted: false });` },
    { name: 'the repository of a JWT library is not an application', code: `const jwt = require('jsonwebtoken');\nmodule.exports = (t, k, o, cb) => jwt.verify(t, k, o, cb);`, filename: 'lib/verify_jwt.js', files: { 'package.json': JSON.stringify({ name: 'passport-jwt', dependencies: { jsonwebtoken: '^9.0.0' } }) } },
    { name: 'a revokeToken service exists', code: `import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, process.env.K!, { algorithms: ['HS256'] });\nexport class TokenBlacklistService { add(jti: string) {} }` },
  ],
  invalid: [
    {
      name: 'P1: express-jwt without isRevoked: info with an isRevoked scaffold',
      code: `import { expressjwt } from 'express-jwt';\napp.use(expressjwt({ secret: s, algorithms: ['HS256'] }));`,
      files: { 'package.json': JSON.stringify({ dependencies: { 'express-jwt': '^8.4.1' } }) },
      errors: [{
        line: 2, severity: 'info', message: 'cannot be revoked',
        suggestions: [{ title: 'isRevoked', output: `import { expressjwt } from 'express-jwt';\nconst revokedTokenIds = new Set<string>(); // jti of revoked tokens: fill it on logout/password change; back it with Redis or the DB in production\napp.use(expressjwt({ secret: s, algorithms: ['HS256'], isRevoked: async (_req, token) => typeof token?.payload === 'object' && revokedTokenIds.has(token.payload.jti ?? '') }));` }],
      }],
    },
    {
      name: 'P2: passport validate() never consults state',
      code: `import { PassportStrategy } from '@nestjs/passport';\nimport { Strategy } from 'passport-jwt';\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() { super({ secretOrKey: process.env.K, algorithms: ['HS256'] }); }\n  validate(payload: JwtPayload) { return { id: payload.sub }; }\n}`,
      errors: [{ line: 4, severity: 'info', suggestions: [] }],
    },
    {
      name: 'one finding per workspace, at the middleware site first',
      code: `import jwt from 'jsonwebtoken';\nimport { expressjwt } from 'express-jwt';\nexport const check = (t: string) => jwt.verify(t, process.env.K!, { algorithms: ['HS256'] });\napp.use(expressjwt({ secret: process.env.K!, algorithms: ['HS256'] }));`,
      errors: [{ line: 4, message: '1 other verification site' }],
    },
    {
      name: 'express-jwt 6 (callback isRevoked), CommonJS',
      filename: 'src/app.js',
      code: `const jwt = require('express-jwt');\napp.use(jwt({ secret: process.env.K, algorithms: ['HS256'] }));`,
      files: { 'package.json': JSON.stringify({ dependencies: { 'express-jwt': '^6.1.0' } }) },
      errors: [{ suggestions: [{ output: `const jwt = require('express-jwt');\nconst revokedTokenIds = new Set(); // jti of revoked tokens: fill it on logout/password change; back it with Redis or the DB in production\napp.use(jwt({ secret: process.env.K, algorithms: ['HS256'], isRevoked: (_req, payload, done) => done(null, revokedTokenIds.has(payload && payload.jti)) }));` }] }],
    },
    {
      name: 'long-lived access tokens raise it to warning (corroborating evidence)',
      code: `import jwt from 'jsonwebtoken';\nexport const issue = (id: string) => jwt.sign({ sub: id }, process.env.K!, { expiresIn: '7d' });\nexport const check = (t: string) => jwt.verify(t, process.env.K!, { algorithms: ['HS256'] });`,
      errors: [{ line: 3, severity: 'warning', message: 'live 7 days' }],
    },
    {
      name: 'a long-lived refresh token does not escalate',
      code: `import jwt from 'jsonwebtoken';\nexport const refreshToken = (id: string) => jwt.sign({ sub: id }, process.env.K!, { expiresIn: '30d' });\nexport const check = (t: string) => jwt.verify(t, process.env.K!, { algorithms: ['HS256'] });`,
      errors: [{ line: 3, severity: 'info' }],
    },
    {
      name: 'jose jwtVerify site',
      code: `import { jwtVerify } from 'jose';\nexport async function auth(t: string) { return jwtVerify(t, KEY, { algorithms: ['ES256'] }); }`,
      errors: [{ line: 2, severity: 'info' }],
    },
  ],
});
