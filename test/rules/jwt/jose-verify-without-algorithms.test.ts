import rule from '../../../shared-rules/src/rules/jwt/jose-verify-without-algorithms';
import { ruleTester } from '../../support/ruleTester';

const JOSE5 = { 'package.json': JSON.stringify({ dependencies: { jose: '^5.9.6' } }) };
const JOSE6 = { 'package.json': JSON.stringify({ dependencies: { jose: '^6.1.0' } }) };

ruleTester(rule, {
  valid: [
    { name: 'N1: JWKS with algorithms', code: `import { createRemoteJWKSet, jwtVerify } from 'jose';\nconst JWKS = createRemoteJWKSet(new URL(issuer + '/.well-known/jwks.json'));\nawait jwtVerify(token, JWKS, { issuer, audience: 'api', algorithms: ['RS256'] });` },
    { name: 'N2: pinned list and pinned key', code: `import { importSPKI, jwtVerify } from 'jose';\nawait jwtVerify(token, await importSPKI(pem, 'ES256'), { algorithms: ['ES256'] });` },
    { name: 'jose 6: CryptoKey imported for one algorithm is silent', files: JOSE6, code: `import { importSPKI, jwtVerify } from 'jose';\nconst key = await importSPKI(process.env.JWT_PUBLIC_KEY!, 'RS256');\nconst { payload } = await jwtVerify(token, key, { issuer: 'me' });` },
    { name: 'unknown spread may hold algorithms', code: `import { jwtVerify } from 'jose';\nexport const check = (t: string, o: object) => jwtVerify(t, key, { ...o });` },
    { name: 'another library named jwtVerify', code: `import { jwtVerify } from './auth';\nawait jwtVerify(token, key);`, files: { 'src/auth.ts': 'export async function jwtVerify(t: string, k: string) { return t === k; }' } },
    { name: 'fastify request.jwtVerify is not jose', code: `import fastifyJwt from '@fastify/jwt';\napp.get('/', async (request) => { await request.jwtVerify(); });` },
    { name: 'jwtDecrypt with both algorithm lists', code: `import { jwtDecrypt } from 'jose';\nawait jwtDecrypt(t, key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });` },
  ],
  invalid: [
    {
      name: 'P1: JWKS without algorithms: info with a suggestion',
      code: `import { createRemoteJWKSet, jwtVerify } from 'jose';\nconst JWKS = createRemoteJWKSet(new URL(\`\${issuer}/.well-known/jwks.json\`));\nconst { payload } = await jwtVerify(token, JWKS, { issuer, audience });`,
      errors: [{ line: 3, severity: 'info', message: 'JWKS', fixOutput: null, suggestions: [{ output: `import { createRemoteJWKSet, jwtVerify } from 'jose';\nconst JWKS = createRemoteJWKSet(new URL(\`\${issuer}/.well-known/jwks.json\`));\nconst { payload } = await jwtVerify(token, JWKS, { issuer, audience, algorithms: ['RS256'] });` }] }],
    },
    {
      name: 'P2: custom key function: warning',
      code: `import { jwtVerify } from 'jose';\nawait jwtVerify(token, (hdr) => keyStore.get(hdr.kid!));`,
      errors: [{ line: 2, severity: 'warning', message: 'may return an HMAC secret', suggestions: [{ output: `import { jwtVerify } from 'jose';\nawait jwtVerify(token, (hdr) => keyStore.get(hdr.kid!), { algorithms: ['RS256'] });` }] }],
    },
    {
      name: 'key function choosing by header alg',
      code: `import * as jose from 'jose';\nconst getKey = async (header) => (header.alg.startsWith('HS') ? secret : pub);\nawait jose.jwtVerify(token, getKey, { issuer: 'x' });`,
      errors: [{ severity: 'warning', message: 'header `alg`' }],
    },
    {
      name: 'key function returning only public keys: info',
      code: `import { importSPKI, jwtVerify } from 'jose';\nawait jwtVerify(token, async () => importSPKI(pem, 'RS256'), { issuer: 'x' });`,
      errors: [{ severity: 'info' }],
    },
    {
      name: 'static secret from TextEncoder: info, suggestion HS256',
      code: `import { jwtVerify } from 'jose';\nconst secret = new TextEncoder().encode(process.env.JWT_SECRET);\nawait jwtVerify(token, secret);`,
      errors: [{ severity: 'info', suggestions: [{ output: `import { jwtVerify } from 'jose';\nconst secret = new TextEncoder().encode(process.env.JWT_SECRET);\nawait jwtVerify(token, secret, { algorithms: ['HS256'] });` }] }],
    },
    {
      name: 'jose 5: importSPKI returns an unbound KeyObject: adding the imported alg is a fix',
      files: JOSE5,
      code: `import { importSPKI, jwtVerify } from 'jose';\nconst key = await importSPKI(pem, 'ES256');\nawait jwtVerify(token, key, { issuer: 'me' });`,
      errors: [{ severity: 'info', fixOutput: `import { importSPKI, jwtVerify } from 'jose';\nconst key = await importSPKI(pem, 'ES256');\nawait jwtVerify(token, key, { issuer: 'me', algorithms: ['ES256'] });` }],
    },
    {
      name: 'HMAC JWK import: fix with the imported alg (require form)',
      code: `const jose = require('jose');\nasync function check(t) {\n  const key = await jose.importJWK(jwk, 'HS512');\n  return jose.jwtVerify(t, key);\n}`,
      filename: 'src/a.js',
      errors: [{ line: 4, fixOutput: `const jose = require('jose');\nasync function check(t) {\n  const key = await jose.importJWK(jwk, 'HS512');\n  return jose.jwtVerify(t, key, { algorithms: ['HS512'] });\n}` }],
    },
    {
      name: 'compactVerify too; options variable spread at the call site',
      code: `import { compactVerify } from 'jose';\nconst opts = { crit: {} };\nawait compactVerify(jws, getKeyFn, opts);`,
      errors: [{ suggestions: [{ output: `import { compactVerify } from 'jose';\nconst opts = { crit: {} };\nawait compactVerify(jws, getKeyFn, { ...opts, algorithms: ['RS256'] });` }] }],
    },
    {
      name: 'jwtDecrypt without algorithm lists: info',
      code: `import { jwtDecrypt } from 'jose';\nawait jwtDecrypt(t, key);`,
      errors: [{ severity: 'info', message: 'keyManagementAlgorithms' }],
    },
  ],
});
