import rule from '../../../shared-rules/src/rules/jwt/express-jwt-without-algorithms';
import { ruleTester } from '../../support/ruleTester';

const pkg = (deps: Record<string, string>) => ({ 'package.json': JSON.stringify({ dependencies: deps }) });

ruleTester(rule, {
  valid: [
    { name: 'N1: express-jwt with algorithms', code: `import { expressjwt } from 'express-jwt';\nimport { expressJwtSecret } from 'jwks-rsa';\napp.use(expressjwt({ secret: expressJwtSecret({ jwksUri }), algorithms: ['RS256'], audience, issuer }));` },
    { name: 'N2: hono jwt with alg', code: `import { jwt } from 'hono/jwt';\napp.use('/api/*', jwt({ secret: c.env.JWT_SECRET, alg: 'HS256' }));` },
    { name: 'express-jwt 8 in TypeScript: the compiler already rejects it', files: pkg({ 'express-jwt': '^8.4.1' }), code: `import { expressjwt } from 'express-jwt';\napp.use(expressjwt({ secret: process.env.JWT_SECRET! }));` },
    { name: 'hono >= 4.11.4 in TypeScript', files: pkg({ hono: '^4.12.0' }), code: `import { jwt } from 'hono/jwt';\napp.use(jwt({ secret: 'x' }));` },
    { name: 'unknown spread may carry algorithms', code: `import koaJwt from 'koa-jwt';\napp.use(koaJwt({ secret: s, ...jwtOptions }));` },
    { name: 'a local function named jwt', code: `function jwt(o: object) { return o; }\napp.use(jwt({ secret: 's' }));` },
    { name: 'passport-jwt with top-level algorithms (Nest super)', code: `import { PassportStrategy } from '@nestjs/passport';\nimport { ExtractJwt, Strategy } from 'passport-jwt';\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() { super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: process.env.JWT_SECRET, algorithms: ['HS256'] }); }\n}` },
    { name: 'Nest PassportStrategy of another strategy (local)', code: `import { PassportStrategy } from '@nestjs/passport';\nimport { Strategy } from 'passport-local';\nexport class LocalStrategy extends PassportStrategy(Strategy) {\n  constructor() { super({ usernameField: 'email' }); }\n}` },
    { name: 'wrapper with fixed options is reported once, where it is written', filename: 'src/server.js', code: `const security = require('./insecurity');\napp.get('/a', security.isAuthorized());\napp.get('/b', security.isAuthorized());`, files: { 'src/insecurity.js': `const expressJwt = require('express-jwt');\nexports.isAuthorized = () => expressJwt({ secret: publicKey });` } },
    { name: 'hono range straddling 4.11.4 with a package-lock at 4.12.1, TypeScript: the compiler reports it', files: { ...pkg({ hono: '^4.6.0' }), 'package-lock.json': JSON.stringify({ packages: { 'node_modules/hono': { version: '4.12.1' } } }) }, code: `import { jwt } from 'hono/jwt';\napp.use(jwt({ secret: s }));` },
  ],
  invalid: [
    {
      name: 'P1: express-jwt named export in a JS file: throws at start-up (warning), RS256 for JWKS',
      filename: 'src/app.js',
      code: `const { expressjwt } = require('express-jwt');\nconst { expressJwtSecret } = require('jwks-rsa');\napp.use(expressjwt({ secret: expressJwtSecret({ jwksUri, cache: true }), audience, issuer }));`,
      errors: [{ line: 3, severity: 'warning', message: 'throws at start-up', suggestions: [{ output: `const { expressjwt } = require('express-jwt');\nconst { expressJwtSecret } = require('jwks-rsa');\napp.use(expressjwt({ secret: expressJwtSecret({ jwksUri, cache: true }), audience, issuer, algorithms: ['RS256'] }));` }] }],
    },
    {
      name: 'P2: hono jwt() on hono < 4.11.4: error, alg HS256',
      files: pkg({ hono: '4.6.0' }),
      code: `import { jwt } from 'hono/jwt';\napp.use('/api/*', jwt({ secret: c.env.JWT_SECRET }));`,
      errors: [{ severity: 'error', message: 'defaults to HS256', suggestions: [{ output: `import { jwt } from 'hono/jwt';\napp.use('/api/*', jwt({ secret: c.env.JWT_SECRET, alg: 'HS256' }));` }] }],
    },
    {
      name: 'hono jwk() with unknown hono version: warning, alg list',
      code: `import { jwk } from 'hono/jwk';\napp.use('/api/*', jwk({ jwks_uri: 'https://issuer.test/.well-known/jwks.json' }));`,
      errors: [{ severity: 'warning', message: 'header `alg`', suggestions: [{ output: `import { jwk } from 'hono/jwk';\napp.use('/api/*', jwk({ jwks_uri: 'https://issuer.test/.well-known/jwks.json', alg: ['RS256'] }));` }] }],
    },
    {
      name: 'express-jwt 5 default export: error (CVE-2020-15084)',
      files: pkg({ 'express-jwt': '^5.3.1' }),
      filename: 'src/app.js',
      code: `const jwt = require('express-jwt');\napp.use(jwt({ secret: process.env.JWT_SECRET }));`,
      errors: [{ severity: 'error', message: 'CVE-2020-15084', suggestions: [{ title: "algorithms: ['HS256']" }] }],
    },
    {
      name: 'koa-jwt on an old release (jsonwebtoken 8): error',
      files: pkg({ 'koa-jwt': '4.0.3' }),
      code: `import koaJwt from 'koa-jwt';\napp.use(koaJwt({ secret: process.env.JWT_SECRET! }));`,
      errors: [{ severity: 'error', message: 'jsonwebtoken 8.x' }],
    },
    {
      name: 'passport-jwt 4.0.1: warning; algorithm inferred from the matching sign call',
      files: pkg({ 'passport-jwt': '^4.0.1' }),
      code: `import jwt from 'jsonwebtoken';\nimport { Strategy, ExtractJwt } from 'passport-jwt';\nconst token = jwt.sign({ sub }, KEY, { algorithm: 'HS384', expiresIn: '10m' });\npassport.use(new Strategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: KEY }, verify));`,
      errors: [{ line: 4, severity: 'warning', suggestions: [{ title: "['HS384']" }] }],
    },
    {
      name: 'Nest strategy super() without algorithms',
      code: `import { PassportStrategy } from '@nestjs/passport';\nimport { ExtractJwt, Strategy } from 'passport-jwt';\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() {\n    super({\n      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),\n      secretOrKey: process.env.JWT_SECRET,\n    });\n  }\n}`,
      errors: [{ line: 5, severity: 'warning', suggestions: [{ output: `import { PassportStrategy } from '@nestjs/passport';\nimport { ExtractJwt, Strategy } from 'passport-jwt';\nexport class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() {\n    super({\n      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),\n      secretOrKey: process.env.JWT_SECRET,\n      algorithms: ['HS256'],\n    });\n  }\n}` }] }],
    },
    {
      name: 'passport-jwt list inside jsonWebTokenOptions: fix moves it',
      code: `import { Strategy } from 'passport-jwt';\nnew Strategy({ jwtFromRequest: fromHeader, secretOrKey: pub, jsonWebTokenOptions: { algorithms: ['RS256'], maxAge: '1h' } }, verify);`,
      errors: [{ message: 'jsonWebTokenOptions.algorithms', fixOutput: `import { Strategy } from 'passport-jwt';\nnew Strategy({ jwtFromRequest: fromHeader, secretOrKey: pub, jsonWebTokenOptions: { maxAge: '1h' }, algorithms: ['RS256'] }, verify);` }],
    },
    {
      name: 'passport-jwt with a jwks-rsa key provider on jsonwebtoken 8: error',
      files: pkg({ 'passport-jwt': '4.0.0' }),
      code: `import { Strategy } from 'passport-jwt';\nimport { passportJwtSecret } from 'jwks-rsa';\nnew Strategy({ jwtFromRequest: fromHeader, secretOrKeyProvider: passportJwtSecret({ jwksUri }) }, verify);`,
      errors: [{ severity: 'error', message: 'key resolver', suggestions: [{ title: "['RS256']" }] }],
    },
    {
      name: 'passport-jwt ^4.0.0 with a yarn.lock resolving 4.0.0: error',
      files: { ...pkg({ 'passport-jwt': '^4.0.0' }), 'yarn.lock': 'passport-jwt@^4.0.0:\n  version "4.0.0"\n  resolved "x"\n' },
      code: `import { Strategy } from 'passport-jwt';\nnew Strategy({ jwtFromRequest: fromHeader, secretOrKey: process.env.JWT_SECRET }, verify);`,
      errors: [{ severity: 'error', message: 'jsonwebtoken 8.x' }],
    },
    {
      name: 'passport-jwt ^4.0.0 without a lockfile admits 4.0.1: warning',
      files: pkg({ 'passport-jwt': '^4.0.0' }),
      code: `import { Strategy } from 'passport-jwt';\nnew Strategy({ jwtFromRequest: fromHeader, secretOrKey: process.env.JWT_SECRET }, verify);`,
      errors: [{ severity: 'warning' }],
    },
    {
      name: 'test paths are info',
      filename: 'tests/koa.tests.js',
      code: `const koaJwt = require('koa-jwt');\napp.use(koaJwt({ secret: s }));`,
      errors: [{ severity: 'info' }],
    },
  ],
});
