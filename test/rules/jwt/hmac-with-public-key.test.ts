import rule from '../../../shared-rules/src/rules/jwt/hmac-with-public-key';
import { ruleTester } from '../../support/ruleTester';

const JWT8 = { 'package.json': JSON.stringify({ dependencies: { jsonwebtoken: '^8.5.1' } }) };
const JWT9 = { 'package.json': JSON.stringify({ dependencies: { jsonwebtoken: '^9.0.2' } }) };
const PEM_PUB = "'-----BEGIN ' + 'PUBLIC KEY-----\\nMIIBIjANBgkq\\n-----END PUBLIC KEY-----'";

ruleTester(rule, {
  valid: [
    { name: 'N1: public key file with RS256 only', code: `import jwt from 'jsonwebtoken';\nimport fs from 'fs';\njwt.verify(tok, fs.readFileSync('keys/public.pem'), { algorithms: ['RS256'] });` },
    { name: 'N2: HMAC secret from a secret-named env var', code: `import jwt from 'jsonwebtoken';\njwt.verify(tok, process.env.JWT_HMAC_SECRET!, { algorithms: ['HS256'] });` },
    { name: 'HS256 with randomBytes key', code: `import jwt from 'jsonwebtoken';\nimport { randomBytes } from 'crypto';\nconst key = randomBytes(32);\njwt.verify(tok, key, { algorithms: ['HS256', 'HS512'] });` },
    { name: 'express-jwt with JWKS and RS256', code: `import { expressjwt } from 'express-jwt';\nimport { expressJwtSecret } from 'jwks-rsa';\napp.use(expressjwt({ secret: expressJwtSecret({ jwksUri }), algorithms: ['RS256'] }));` },
    { name: 'public-key-looking name with an unrelated library', code: `import { verify } from 'some-crypto-lib';\nverify(tok, publicKey, { algorithms: ['HS256'] });` },
    { name: 'allowInvalidAsymmetricKeyTypes: false', code: `import jwt from 'jsonwebtoken';\njwt.verify(t, pub, { algorithms: ['RS256'], allowInvalidAsymmetricKeyTypes: false });` },
    { name: 'hono jwt with a secret', code: `import { jwt } from 'hono/jwt';\napp.use(jwt({ secret: c.env.JWT_SECRET, alg: 'HS256' }));` },
  ],
  invalid: [
    {
      name: 'P1: public key file, mixed list, jsonwebtoken 8: error; suggestion removes HS256 (key only name/path-based)',
      code: `import jwt from 'jsonwebtoken';\nimport fs from 'fs';\njwt.verify(tok, fs.readFileSync('keys/public.pem'), { algorithms: ['HS256', 'RS256'] });`,
      files: JWT8,
      errors: [{ line: 3, severity: 'error', message: 'HS256 (HMAC) is accepted with a public key', fixOutput: null, suggestions: [{ output: `import jwt from 'jsonwebtoken';\nimport fs from 'fs';\njwt.verify(tok, fs.readFileSync('keys/public.pem'), { algorithms: ['RS256'] });` }] }],
    },
    {
      name: 'P2: koa-jwt with a public key env var and HS256 only: suggestion RS256',
      code: `import koaJwt from 'koa-jwt';\napp.use(koaJwt({ secret: process.env.JWT_PUBLIC_KEY!, algorithms: ['HS256'] }));`,
      errors: [{ severity: 'error', suggestions: [{ output: `import koaJwt from 'koa-jwt';\napp.use(koaJwt({ secret: process.env.JWT_PUBLIC_KEY!, algorithms: ['RS256'] }));` }] }],
    },
    {
      name: 'jsonwebtoken 9: warning (HS tokens simply fail)',
      code: `import jwt from 'jsonwebtoken';\njwt.verify(tok, publicKey, { algorithms: ['HS256'] });`,
      files: JWT9,
      errors: [{ severity: 'warning', message: 'jsonwebtoken 9 rejects' }],
    },
    {
      name: 'PEM literal with a mixed list: removing HS is a fix',
      code: `import jwt from 'jsonwebtoken';\nconst PUB = ${PEM_PUB};\njwt.verify(tok, PUB, { algorithms: ['RS256', 'HS256'] });`,
      errors: [{ line: 3, fixOutput: `import jwt from 'jsonwebtoken';\nconst PUB = ${PEM_PUB};\njwt.verify(tok, PUB, { algorithms: ['RS256'] });` }],
    },
    {
      name: 'createPublicKey with a mixed list (require form): fix',
      code: `const jwt = require('jsonwebtoken');\nconst crypto = require('crypto');\nconst key = crypto.createPublicKey(pem);\njwt.verify(tok, key, { algorithms: ['HS512', 'ES256'] });`,
      filename: 'src/a.js',
      errors: [{ fixOutput: `const jwt = require('jsonwebtoken');\nconst crypto = require('crypto');\nconst key = crypto.createPublicKey(pem);\njwt.verify(tok, key, { algorithms: ['ES256'] });` }],
    },
    {
      name: 'case 2: mixed list with a key resolver (passport-jwt + jwks-rsa)',
      code: `import { Strategy } from 'passport-jwt';\nimport { passportJwtSecret } from 'jwks-rsa';\nnew Strategy({ jwtFromRequest: fromHeader, secretOrKeyProvider: passportJwtSecret({ jwksUri }), algorithms: ['RS256', 'HS256'] }, verify);`,
      errors: [{ severity: 'error', message: 'keys from a JWKS', fixOutput: `import { Strategy } from 'passport-jwt';\nimport { passportJwtSecret } from 'jwks-rsa';\nnew Strategy({ jwtFromRequest: fromHeader, secretOrKeyProvider: passportJwtSecret({ jwksUri }), algorithms: ['RS256'] }, verify);` }],
    },
    {
      name: 'case 2: mixed list with a secret: keep HMAC (suggestion)',
      code: `import { expressjwt } from 'express-jwt';\napp.use(expressjwt({ secret: process.env.JWT_SECRET!, algorithms: ['HS256', 'RS256'] }));`,
      files: { 'package.json': JSON.stringify({ dependencies: { 'express-jwt': '^8.4.1' } }) },
      errors: [{ severity: 'warning', message: 'mix HMAC', suggestions: [{ output: `import { expressjwt } from 'express-jwt';\napp.use(expressjwt({ secret: process.env.JWT_SECRET!, algorithms: ['HS256'] }));` }] }],
    },
    {
      name: 'case 2: unknown key: both suggestions',
      code: `import jwt from 'jsonwebtoken';\njwt.verify(tok, getKey(), { algorithms: ['HS256', 'RS256'] });`,
      errors: [{ suggestions: [{ title: 'asymmetric' }, { title: 'HMAC' }] }],
    },
    {
      name: 'hono verify with a public key and HS256',
      code: `import { verify } from 'hono/jwt';\nconst p = await verify(token, c.env.JWT_PUBLIC_KEY, 'HS256');`,
      errors: [{ severity: 'error', suggestions: [{ output: `import { verify } from 'hono/jwt';\nconst p = await verify(token, c.env.JWT_PUBLIC_KEY, 'RS256');` }] }],
    },
    {
      name: 'Nest module with publicKey and HS256 verifyOptions',
      code: `import { JwtModule } from '@nestjs/jwt';\nJwtModule.register({ publicKey: cfg.publicKey, verifyOptions: { algorithms: ['HS256'] } });`,
      errors: [{ severity: 'error' }],
    },
    {
      name: 'case 3: allowInvalidAsymmetricKeyTypes: info with a suggestion',
      code: `import jwt from 'jsonwebtoken';\njwt.verify(t, pub, { algorithms: ['RS256'], allowInvalidAsymmetricKeyTypes: true });`,
      errors: [{ severity: 'info', suggestions: [{ output: `import jwt from 'jsonwebtoken';\njwt.verify(t, pub, { algorithms: ['RS256'] });` }] }],
    },
  ],
});
