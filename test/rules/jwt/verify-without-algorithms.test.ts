import rule from '../../../shared-rules/src/rules/jwt/verify-without-algorithms';
import { ruleTester } from '../../support/ruleTester';

const JWT9 = { 'package.json': JSON.stringify({ dependencies: { jsonwebtoken: '^9.0.2' } }) };

ruleTester(rule, {
  valid: [
    `import jwt from 'jsonwebtoken';\njwt.verify(token, secret, { algorithms: ['HS256'], issuer: 'api' });`,
    { name: 'options from a const with algorithms', code: `import * as jwt from 'jsonwebtoken';\nconst opts = { algorithms: ['RS256'] as jwt.Algorithm[] };\njwt.verify(t, pub, opts);` },
    { name: 'unknown spread could supply algorithms', code: `import jwt from 'jsonwebtoken';\nexport function check(t: string, extra: object) { return jwt.verify(t, key, { ...extra }); }` },
    { name: 'a local function named verify is not jsonwebtoken', code: `function verify(a: string, b: string) { return a === b; }\nverify(token, secret);` },
    { name: 'another library with a verify method', code: `import bcrypt from 'bcrypt';\nimport argon2 from 'argon2';\nawait argon2.verify(hash, pw);\nconst jwt = { verify: (a: string, b: string) => a };\njwt.verify(token, secret);` },
    { name: 'Nest JwtService with module-level verifyOptions', code: `import { JwtService, JwtModule } from '@nestjs/jwt';\nJwtModule.register({ secret: s, verifyOptions: { algorithms: ['HS256'] } });\nclass A { constructor(private readonly jwt: JwtService) {}\n  check(t: string) { return this.jwt.verifyAsync(t); } }` },
    { name: 'Nest JwtService with no visible module config', code: `import { JwtService } from '@nestjs/jwt';\nclass A { constructor(private readonly jwt: JwtService) {}\n  check(t: string) { return this.jwt.verify(t); } }` },
    { name: 'wrapper whose own call pins algorithms', code: `import { verifyToken } from './auth';\nverifyToken(req.headers.authorization);`, files: { 'src/auth.ts': `import jwt from 'jsonwebtoken';\nexport const verifyToken = (t: string) => jwt.verify(t, process.env.JWT_SECRET!, { algorithms: ['HS256'] });` } },
  ],
  invalid: [
    {
      code: `import jwt from 'jsonwebtoken';\nconst claims = jwt.verify(token, process.env.JWT_PUBLIC_KEY!);`,
      files: JWT9,
      errors: [{ line: 2, severity: 'warning', message: 'without an `algorithms` allow-list', suggestions: [{ title: "algorithms: ['RS256']", output: `import jwt from 'jsonwebtoken';\nconst claims = jwt.verify(token, process.env.JWT_PUBLIC_KEY!, { algorithms: ['RS256'] });` }] }],
    },
    {
      name: 'callback form: options go before the callback; jsonwebtoken 8 is an error',
      code: `const jwt = require('jsonwebtoken');\njwt.verify(token, secret, function (err, decoded) {});`,
      filename: 'src/app.js',
      files: { 'package.json': JSON.stringify({ dependencies: { jsonwebtoken: '^8.5.1' } }) },
      errors: [{ severity: 'error', message: 'jsonwebtoken 8.x', suggestions: [{ output: `const jwt = require('jsonwebtoken');\njwt.verify(token, secret, { algorithms: ['HS256'] }, function (err, decoded) {});` }] }],
    },
    {
      name: 'destructured require with alias and options lacking algorithms',
      code: `const { verify: check } = require('jsonwebtoken');\ncheck(tok, process.env.JWT_SECRET, { issuer: 'me' });`,
      filename: 'src/app.js',
      errors: [{ suggestions: [{ output: `const { verify: check } = require('jsonwebtoken');\ncheck(tok, process.env.JWT_SECRET, { issuer: 'me', algorithms: ['HS256'] });` }] }],
    },
    {
      name: 'algorithm inferred from the matching sign call',
      code: `import { sign, verify } from 'jsonwebtoken';\nconst t = sign({ sub: 1 }, KEY, { algorithm: 'HS512', expiresIn: '15m' });\nverify(t, KEY);`,
      errors: [{ suggestions: [{ title: "algorithms: ['HS512']" }] }],
    },
    {
      name: 'thin project wrapper forwarding options: reported at the call site',
      code: `import { check } from './auth';\ncheck(token, {});`,
      files: { 'src/auth.ts': `import * as jwt from 'jsonwebtoken';\nexport function check(t: string, o: jwt.VerifyOptions) { return jwt.verify(t, process.env.JWT_SECRET!, o); }` },
      errors: [{ message: 'allow-list' }],
    },
    {
      name: 'options variable is edited at the call site so literal types survive',
      code: `import jwt from 'jsonwebtoken';\nconst opts = { issuer: 'api' };\njwt.verify(t, secretKey, opts);`,
      errors: [{ suggestions: [{ output: `import jwt from 'jsonwebtoken';\nconst opts = { issuer: 'api' };\njwt.verify(t, secretKey, { ...opts, algorithms: ['HS256'] });` }] }],
    },
    {
      name: 'Nest JwtService where the module config lacks verifyOptions',
      code: `import { JwtService, JwtModule } from '@nestjs/jwt';\nJwtModule.register({ secret: s });\nclass A { constructor(private readonly jwt: JwtService) {}\n  check(t: string) { return this.jwt.verifyAsync(t); } }`,
      errors: [{ line: 4, suggestions: [{ output: `import { JwtService, JwtModule } from '@nestjs/jwt';\nJwtModule.register({ secret: s });\nclass A { constructor(private readonly jwt: JwtService) {}\n  check(t: string) { return this.jwt.verifyAsync(t, { algorithms: ['HS256'] }); } }` }] }],
    },
    {
      name: 'test paths are info',
      filename: 'test/auth.spec.ts',
      code: `import jwt from 'jsonwebtoken';\njwt.verify(token, secret);`,
      errors: [{ severity: 'info' }],
    },
  ],
});
