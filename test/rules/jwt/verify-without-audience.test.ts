import rule from '../../../shared-rules/src/rules/jwt/verify-without-audience';
import { ruleTester } from '../../support/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'N1: JWKS with audience', code: `import { createRemoteJWKSet, jwtVerify } from 'jose';\nconst JWKS = createRemoteJWKSet(new URL('https://acme.test/.well-known/jwks.json'));\nawait jwtVerify(token, JWKS, { issuer, audience: 'https://api.acme.test', algorithms: ['RS256'] });` },
    { name: 'N2: first-party token: signed and verified here with one secret', code: `import jwt from 'jsonwebtoken';\nexport const issue = (sub: string) => jwt.sign({ sub }, cfg.jwtSecret, { algorithm: 'HS256', expiresIn: '15m' });\nexport const check = (tok: string) => jwt.verify(tok, cfg.jwtSecret, { algorithms: ['HS256'] });` },
    { name: 'first-party across files via the same env var', code: `import jwt from 'jsonwebtoken';\nexport const check = (tok: string) => jwt.verify(tok, process.env.JWT_SECRET!, { algorithms: ['HS256'] });`, files: { 'src/login.ts': `import { sign } from 'jsonwebtoken';\nexport const issue = (sub: string) => sign({ sub }, process.env.JWT_SECRET!, { expiresIn: '1h' });` } },
    { name: 'Nest strategy whose secret is the JwtModule secret', code: `import { PassportStrategy } from '@nestjs/passport';\nimport { ExtractJwt, Strategy } from 'passport-jwt';\nimport { jwtConstants } from './constants';\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() { super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: jwtConstants.secret, algorithms: ['HS256'] }); }\n}`, files: { 'src/auth.module.ts': `import { JwtModule } from '@nestjs/jwt';\nimport { jwtConstants } from './constants';\nexport const m = JwtModule.register({ secret: jwtConstants.secret, signOptions: { expiresIn: '60s' } });`, 'src/constants.ts': `export const jwtConstants = { secret: process.env.JWT_SECRET };` } },
    { name: 'manual aud comparison in the same function', code: `import { createRemoteJWKSet, jwtVerify } from 'jose';\nconst JWKS = createRemoteJWKSet(new URL(u));\nexport async function check(t: string) {\n  const { payload } = await jwtVerify(t, JWKS, { algorithms: ['RS256'] });\n  if (payload.aud !== 'my-api') throw new Error('aud');\n  return payload;\n}` },
    { name: 'google verifyIdToken with audience', code: `import { OAuth2Client } from 'google-auth-library';\nconst client = new OAuth2Client(CLIENT_ID);\nconst ticket = await client.verifyIdToken({ idToken: body.credential, audience: CLIENT_ID });` },
    { name: 'unknown spread', code: `import { expressjwt } from 'express-jwt';\nimport { expressJwtSecret } from 'jwks-rsa';\napp.use(expressjwt({ secret: expressJwtSecret({ jwksUri }), algorithms: ['RS256'], ...more }));` },
    { name: 'another verifyIdToken', code: `const auth = { verifyIdToken: async (o: object) => o };\nawait auth.verifyIdToken({ idToken: t });` },
    { name: 'Nest module verifyOptions with audience', code: `import { JwtModule, JwtService } from '@nestjs/jwt';\nJwtModule.register({ publicKey: pub, verifyOptions: { audience: 'api' } });\nclass A { constructor(private jwt: JwtService) {}\n  check(t: string) { return this.jwt.verify(t); } }` },
    { name: 'first-party with an https issuer the workspace also signs with (shared options object)', code: `import jwt from 'jsonwebtoken';\nconst options = { expiresIn: '2d', issuer: 'https://github.com/acme', algorithms: ['HS256'] as jwt.Algorithm[] };\nexport const issue = (u: object) => jwt.sign(u, process.env.JWT_SECRET!, options);\nexport const check = (t: string) => jwt.verify(t, process.env.JWT_SECRET!, options);` },
    { name: 'Nest JwtService signAsync/verifyAsync with the same per-call secret', code: `import { JwtService } from '@nestjs/jwt';\nimport { ConfigService } from '@nestjs/config';\nexport class AuthService {\n  constructor(private jwtService: JwtService, private configService: ConfigService) {}\n  issue(p: object) { return this.jwtService.signAsync(p, { secret: this.configService.getOrThrow('auth.confirmEmailSecret'), expiresIn: '1d' }); }\n  check(t: string) { return this.jwtService.verifyAsync(t, { secret: this.configService.getOrThrow('auth.confirmEmailSecret') }); }\n}` },
    { name: 'wrapper with fixed options is reported only where the library call is written', code: `import { guard } from './sec';\napp.get('/a', guard());\napp.get('/b', guard());`, files: { 'src/sec.ts': `import { expressjwt } from 'express-jwt';\nimport { expressJwtSecret } from 'jwks-rsa';\nexport const guard = () => expressjwt({ secret: expressJwtSecret({ jwksUri: u }), algorithms: ['RS256'] });` } },
  ],
  invalid: [
    {
      name: 'P1: jose JWKS with issuer only: warning',
      code: `import { createRemoteJWKSet, jwtVerify } from 'jose';\nconst JWKS = createRemoteJWKSet(new URL('https://acme.eu.auth0.com/.well-known/jwks.json'));\nconst { payload } = await jwtVerify(token, JWKS, { issuer: 'https://acme.eu.auth0.com/', algorithms: ['RS256'] });`,
      errors: [{ line: 3, severity: 'warning', message: 'JWKS', suggestions: [{ output: `import { createRemoteJWKSet, jwtVerify } from 'jose';\nconst JWKS = createRemoteJWKSet(new URL('https://acme.eu.auth0.com/.well-known/jwks.json'));\nconst { payload } = await jwtVerify(token, JWKS, { issuer: 'https://acme.eu.auth0.com/', algorithms: ['RS256'], audience: requireEnv('JWT_AUDIENCE') });\n\nfunction requireEnv(name: string): string {\n  const value = process.env[name];\n  if (!value) throw new Error(\`\${name} is not set\`);\n  return value;\n}\n` }] }],
    },
    {
      name: 'P2: google verifyIdToken without audience: suggestion reuses the client id',
      code: `import { OAuth2Client } from 'google-auth-library';\nconst googleClient = new OAuth2Client(GOOGLE_CLIENT_ID);\nconst ticket = await googleClient.verifyIdToken({ idToken: body.credential });`,
      errors: [{ line: 3, severity: 'warning', message: 'any Google client', suggestions: [{ output: `import { OAuth2Client } from 'google-auth-library';\nconst googleClient = new OAuth2Client(GOOGLE_CLIENT_ID);\nconst ticket = await googleClient.verifyIdToken({ idToken: body.credential, audience: GOOGLE_CLIENT_ID });` }] }],
    },
    {
      name: 'google audience from a possibly-unset env var: info',
      code: `import { OAuth2Client } from 'google-auth-library';\nconst c = new OAuth2Client();\nawait c.verifyIdToken({ idToken: t, audience: process.env.GOOGLE_CLIENT_ID });`,
      errors: [{ severity: 'info', message: 'may be unset' }],
    },
    {
      name: 'express-jwt with jwks-rsa (require form)',
      filename: 'src/app.js',
      code: `const { expressjwt } = require('express-jwt');\nconst jwksRsa = require('jwks-rsa');\napp.use(expressjwt({ secret: jwksRsa.expressJwtSecret({ jwksUri }), algorithms: ['RS256'], issuer }));`,
      errors: [{ severity: 'warning', suggestions: [{ title: "requireEnv('JWT_AUDIENCE')" }] }],
    },
    {
      name: 'hono jwk() without verification aud',
      code: `import { jwk } from 'hono/jwk';\napp.use(jwk({ jwks_uri: u, alg: ['RS256'] }));`,
      errors: [{ severity: 'warning', suggestions: [] }],
    },
    {
      name: 'shared secret not signed here: info',
      code: `import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, process.env.SHARED_JWT_SECRET!, { algorithms: ['HS256'] });`,
      errors: [{ severity: 'info', message: 'not used to sign tokens in this workspace' }],
    },
    {
      name: 'external issuer with a signing secret in the workspace is still reported',
      code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, KEY);\njwt.verify(t, KEY, { algorithms: ['RS256'], issuer: 'https://login.partner.test/' });`,
      errors: [{ line: 3, severity: 'info', message: 'issuer is external' }],
    },
    {
      name: 'passport-jwt strategy with a JWKS provider (Nest super)',
      code: `import { PassportStrategy } from '@nestjs/passport';\nimport { ExtractJwt, Strategy } from 'passport-jwt';\nimport { passportJwtSecret } from 'jwks-rsa';\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() { super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKeyProvider: passportJwtSecret({ jwksUri }), algorithms: ['RS256'] }); }\n}`,
      errors: [{ line: 5, severity: 'warning' }],
    },
  ],
});
