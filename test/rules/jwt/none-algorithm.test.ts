import rule from '../../../shared-rules/src/rules/jwt/none-algorithm';
import { ruleTester } from '../../support/ruleTester';

const JWT8 = { 'package.json': JSON.stringify({ dependencies: { jsonwebtoken: '^8.5.1' } }) };
const JWT9 = { 'package.json': JSON.stringify({ dependencies: { jsonwebtoken: '^9.0.2' } }) };

ruleTester(rule, {
  valid: [
    { name: 'N1: a signed algorithm only', code: `import jwt from 'jsonwebtoken';\njwt.verify(token, key, { algorithms: ['ES256'] });` },
    { name: "N2: 'none' in an unrelated list", code: `const cacheModes = ['none', 'lru'];\nconst opts = { algorithms: ['none'] };\nconsole.log(cacheModes, opts);` },
    { name: "'none' in options of an unrelated library's verify", code: `import argon2 from 'argon2';\nawait argon2.verify(hash, pw, { algorithms: ['none'] } as any);` },
    { name: 'jose never accepts none: not this rule', code: `import { jwtVerify } from 'jose';\nawait jwtVerify(t, key, { algorithms: ['none'] });` },
    { name: 'falsy key together with a key function', code: `import jwt from 'jsonwebtoken';\njwt.verify(token, (header, cb) => cb(null, pub), { algorithms: ['RS256'] }, done);` },
    { name: 'key is a parameter (unknown), not falsy', code: `import jwt from 'jsonwebtoken';\nexport function check(t: string, k: string) { return jwt.verify(t, k, { algorithms: ['HS256'] }); }` },
    { name: 'key with env fallback to empty string is not definitely falsy', code: `import jwt from 'jsonwebtoken';\njwt.verify(t, process.env.JWT_SECRET ?? '', { algorithms: ['HS256'] });` },
    { name: 'UnsecuredJWT in a test file', filename: 'test/unsecured.test.ts', code: `import { UnsecuredJWT } from 'jose';\nconst { payload } = UnsecuredJWT.decode(tok);` },
    { name: 'jwt-simple decode with verification', code: `const jwt = require('jwt-simple');\nconst claims = jwt.decode(token, secret, false, 'HS256');\nconst c2 = jwt.decode(token, secret);`, filename: 'src/a.js' },
    { name: 'sign with a real algorithm', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub }, secret, { algorithm: 'HS256', expiresIn: '15m' });` },
    { name: "hono alg is not a list of accepted 'none'", code: `import { jwt } from 'hono/jwt';\napp.use(jwt({ secret: s, alg: 'HS256' }));` },
  ],
  invalid: [
    {
      name: "P1: 'none' next to another algorithm: fix removes it",
      code: `import jwt from 'jsonwebtoken';\njwt.verify(token, key, { algorithms: ['HS256', 'none'] });`,
      errors: [{ line: 2, severity: 'error', message: "'none' is an accepted JWT algorithm", fixOutput: `import jwt from 'jsonwebtoken';\njwt.verify(token, key, { algorithms: ['HS256'] });` }],
    },
    {
      name: "P2: passport-jwt strategy with spread options holding only 'none'",
      code: `import * as jwt from 'jsonwebtoken';\nimport passport from 'passport';\nimport { Strategy as JwtStrategy, ExtractJwt } from 'passport-jwt';\nconst opts = { algorithms: ['none'] as jwt.Algorithm[] };\npassport.use(new JwtStrategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: key, ...opts }, cb));`,
      errors: [{ line: 4, severity: 'error', message: 'this middleware', fixOutput: null, suggestions: [{ title: "['HS256']", output: `import * as jwt from 'jsonwebtoken';\nimport passport from 'passport';\nimport { Strategy as JwtStrategy, ExtractJwt } from 'passport-jwt';\nconst opts = { algorithms: ['HS256'] as jwt.Algorithm[] };\npassport.use(new JwtStrategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: key, ...opts }, cb));` }] }],
    },
    {
      name: "upper-case 'NONE' first in the list (require form)",
      code: `const { verify } = require('jsonwebtoken');\nverify(t, pub, { algorithms: ['NONE', 'RS256'] });`,
      filename: 'src/a.js',
      errors: [{ fixOutput: `const { verify } = require('jsonwebtoken');\nverify(t, pub, { algorithms: ['RS256'] });` }],
    },
    {
      name: "only 'none' with a public key: suggestion uses RS256",
      code: `import jwt from 'jsonwebtoken';\njwt.verify(t, process.env.JWT_PUBLIC_KEY!, { algorithms: ['none'] });`,
      errors: [{ fixOutput: null, suggestions: [{ output: `import jwt from 'jsonwebtoken';\njwt.verify(t, process.env.JWT_PUBLIC_KEY!, { algorithms: ['RS256'] });` }] }],
    },
    {
      name: "'none' only in development (conditional): reported, no edit",
      code: `import { expressjwt } from 'express-jwt';\napp.use(expressjwt({ secret: s, algorithms: process.env.NODE_ENV === 'dev' ? ['none'] : ['HS256'] }));`,
      errors: [{ severity: 'error', fixOutput: null, suggestions: [] }],
    },
    {
      name: 'Nest module verifyOptions and signOptions',
      code: `import { JwtModule } from '@nestjs/jwt';\nJwtModule.register({ secret: s, signOptions: { algorithm: 'none' }, verifyOptions: { algorithms: ['none', 'HS256'] } });`,
      errors: [
        { message: 'module-wide', fixOutput: `import { JwtModule } from '@nestjs/jwt';\nJwtModule.register({ secret: s, signOptions: { algorithm: 'none' }, verifyOptions: { algorithms: ['HS256'] } });` },
        { message: "signed with algorithm 'none'" },
      ],
    },
    {
      name: "(b) jsonwebtoken sign with 'none'",
      code: `import jwt from 'jsonwebtoken';\nconst t = jwt.sign({ sub: 1 }, '', { algorithm: 'none' });`,
      errors: [{ severity: 'error', message: "signed with algorithm 'none'", suggestions: [{ output: `import jwt from 'jsonwebtoken';\nconst t = jwt.sign({ sub: 1 }, '', { algorithm: 'HS256' });` }] }],
    },
    {
      name: "(b) jose SignJWT with alg 'none' is a broken call (warning)",
      code: `import { SignJWT } from 'jose';\nconst t = await new SignJWT({ sub }).setProtectedHeader({ alg: 'none' }).sign(key);`,
      errors: [{ severity: 'warning', message: 'cannot sign' }],
    },
    {
      name: '(c) UnsecuredJWT.decode in application code',
      code: `import * as jose from 'jose';\nconst { payload } = jose.UnsecuredJWT.decode(token);`,
      errors: [{ severity: 'error', message: 'UnsecuredJWT.decode' }],
    },
    {
      name: '(d) falsy key with jsonwebtoken 8: error',
      code: `import jwt from 'jsonwebtoken';\nconst claims = jwt.verify(token, null);`,
      files: JWT8,
      errors: [{ severity: 'error', message: 'jsonwebtoken 8.x', fixOutput: null }],
    },
    {
      name: '(d) falsy key via a const with jsonwebtoken 9: warning',
      code: `import jwt from 'jsonwebtoken';\nconst KEY = '';\nconst claims = jwt.verify(token, KEY, { algorithms: ['HS256'] });`,
      files: JWT9,
      errors: [{ line: 3, severity: 'warning', message: 'empty key' }],
    },
    {
      name: "(d) falsy key with 'none' listed is case (a) only",
      code: `import jwt from 'jsonwebtoken';\njwt.verify(token, undefined, { algorithms: ['none'] });`,
      files: JWT9,
      errors: [{ message: "'none' is an accepted" }],
    },
    {
      name: '(e) jwt-simple decode with noVerify',
      code: `const jwt = require('jwt-simple');\nconst claims = jwt.decode(token, secret, true);`,
      filename: 'src/a.js',
      errors: [{ severity: 'error', message: 'noVerify', suggestions: [{ output: `const jwt = require('jwt-simple');\nconst claims = jwt.decode(token, secret);` }] }],
    },
    {
      name: 'test paths are info',
      filename: 'src/__tests__/auth.ts',
      code: `import jwt from 'jsonwebtoken';\njwt.verify(token, key, { algorithms: ['none', 'HS256'] });`,
      errors: [{ severity: 'info' }],
    },
  ],
});
