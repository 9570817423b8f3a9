import rule from '../../../shared-rules/src/rules/jwt/algorithm-from-token-header';
import { ruleTester } from '../../support/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'N1: kid only', code: `import jwt from 'jsonwebtoken';\nconst { header } = jwt.decode(token, { complete: true })!;\njwt.verify(token, keys[header.kid!], { algorithms: ['RS256'] });` },
    { name: 'N2: header alg checked against an allow-list first', code: `import { decodeProtectedHeader, jwtVerify } from 'jose';\nconst { alg } = decodeProtectedHeader(token);\nif (alg !== 'ES256') throw new Error('bad alg');\nawait jwtVerify(token, key, { algorithms: [alg] });` },
    { name: 'includes() guard with an early return', code: `import jwt from 'jsonwebtoken';\nexport function check(token: string) {\n  const decoded = jwt.decode(token, { complete: true });\n  const alg = decoded!.header.alg;\n  if (!['RS256', 'ES256'].includes(alg)) return null;\n  return jwt.verify(token, pub, { algorithms: [alg as jwt.Algorithm] });\n}` },
    { name: 'inside the checked branch of an if on the alg', code: `import jwt from 'jsonwebtoken';\nconst { header } = jwt.decode(t, { complete: true })!;\nif (header.alg === 'RS256') jwt.verify(t, pub, { algorithms: [header.alg] });` },
    { name: 'switch with literal cases', code: `import { decodeProtectedHeader, jwtVerify } from 'jose';\nconst h = decodeProtectedHeader(t);\nswitch (h.alg) {\n  case 'ES256': await jwtVerify(t, ecKey, { algorithms: [h.alg] }); break;\n  default: throw new Error('alg');\n}` },
    { name: 'alg from a non-complete decode is a payload claim, not the header', code: `import jwt from 'jsonwebtoken';\nconst p = jwt.decode(t) as any;\njwt.verify(t, k, { algorithms: [p.alg] });` },
    { name: 'alg from configuration', code: `import jwt from 'jsonwebtoken';\njwt.verify(t, k, { algorithms: [config.jwt.alg] });` },
    { name: 'resolver picks the key by kid only', code: `import jwt from 'jsonwebtoken';\njwt.verify(t, (header, cb) => client.getSigningKey(header.kid, (e, k) => cb(e, k?.getPublicKey())), { algorithms: ['RS256'] }, done);` },
    { name: 'resolver rejects unexpected algs (guard, not key choice)', code: `import jwt from 'jsonwebtoken';\njwt.verify(t, (header, cb) => { if (header.alg !== 'RS256') return cb(new Error('alg')); cb(null, pub); }, { algorithms: ['RS256'] }, done);` },
    { name: 'an unrelated header object', code: `import jwt from 'jsonwebtoken';\nconst header = { alg: 'HS256' };\njwt.verify(t, k, { algorithms: [header.alg as jwt.Algorithm] });` },
  ],
  invalid: [
    {
      name: 'P1: algorithms from the complete decode',
      code: `import jwt from 'jsonwebtoken';\nconst { header } = jwt.decode(token, { complete: true })!;\njwt.verify(token, keyFor(header.kid), { algorithms: [header.alg as jwt.Algorithm] });`,
      errors: [{ line: 3, severity: 'error', message: 'unverified header', suggestions: [{ output: `import jwt from 'jsonwebtoken';\nconst { header } = jwt.decode(token, { complete: true })!;\njwt.verify(token, keyFor(header.kid), { algorithms: ['RS256'] });` }] }],
    },
    {
      name: 'P2: jose key chosen by the header alg',
      code: `import { decodeProtectedHeader, jwtVerify } from 'jose';\nconst { alg } = decodeProtectedHeader(token);\nawait jwtVerify(token, alg!.startsWith('HS') ? hmacKey : rsaKey);`,
      errors: [{ line: 3, message: 'key is chosen' }],
    },
    {
      name: 'decoded.header.alg through variables (require form)',
      code: `const jwt = require('jsonwebtoken');\nfunction check(t) {\n  const decoded = jwt.decode(t, { complete: true });\n  const alg = decoded.header.alg;\n  return jwt.verify(t, KEY, { algorithms: [alg] });\n}`,
      filename: 'src/a.js',
      errors: [{ line: 5 }],
    },
    {
      name: 'key resolver parameter feeds the algorithms of the verify inside',
      code: `import jwt from 'jsonwebtoken';\nfunction getKey(header, cb) { cb(null, header.alg.startsWith('HS') ? secret : pub); }\njwt.verify(t, getKey, { algorithms: ['HS256', 'RS256'] }, done);`,
      errors: [{ line: 2, message: 'key is chosen' }],
    },
    {
      name: 'hand-parsed header segment to hono verify',
      code: `import { verify } from 'hono/jwt';\nconst hdr = JSON.parse(atob(token.split('.')[0]));\nconst p = await verify(token, key, hdr.alg);`,
      errors: [{ suggestions: [{ output: `import { verify } from 'hono/jwt';\nconst hdr = JSON.parse(atob(token.split('.')[0]));\nconst p = await verify(token, key, 'RS256');` }] }],
    },
    {
      name: 'jose: algorithms from decodeProtectedHeader, checked only after use',
      code: `import * as jose from 'jose';\nconst h = jose.decodeProtectedHeader(token);\nconst { payload } = await jose.jwtVerify(token, key, { algorithms: [h.alg!] });\nif (h.alg !== 'RS256') throw new Error();`,
      errors: [{ line: 3 }],
    },
  ],
});
