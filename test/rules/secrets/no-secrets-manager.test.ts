import rule from '../../../shared-rules/src/rules/secrets/no-secrets-manager';
import { ruleTester } from '../../support/ruleTester';

const P1 = `export const cfg = { jwtSecret: process.env.JWT_SECRET!, stripeKey: process.env.STRIPE_SECRET_KEY! };`;

ruleTester(rule, {
  valid: [
    { name: 'N1: AWS Secrets Manager client', code: `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';\nconst sm = new SecretsManagerClient({});\nconst { SecretString } = await sm.send(new GetSecretValueCommand({ SecretId: 'prod/api' }));\nconst legacy = process.env.JWT_SECRET;` },
    { name: 'N2: Docker secret files', code: `import { readFile } from 'node:fs/promises';\nconst jwtSecret = await readFile('/run/secrets/jwt_secret', 'utf8');\nconst other = process.env.API_TOKEN;` },
    { name: 'a secrets-manager dependency', code: P1, files: { 'package.json': JSON.stringify({ dependencies: { '@google-cloud/secret-manager': '^5.0.0' } }) } },
    { name: 'a secrets-manager client in another file', code: P1, files: { 'src/secrets.ts': `import vault from 'node-vault';\nexport const client = vault({ endpoint: process.env.VAULT_ADDR });` } },
    { name: 'injected by the platform', code: P1, options: { injectedByPlatform: true } },
    { name: 'no secret-named env reads', code: `const port = process.env.PORT;\nconst url = process.env.DATABASE_HOST;` },
    { name: 'env reads in tests do not count', filename: 'test/setup.ts', code: P1 },
    { name: 'reported once per workspace, in the first file', code: P1, files: { 'src/a.ts': `export const k = process.env.API_KEY;` } },
  ],
  invalid: [
    {
      name: 'P1: secrets from process.env only',
      code: P1,
      errors: [{ line: 1, severity: 'info', message: 'Secrets (JWT_SECRET, STRIPE_SECRET_KEY) come only from plain environment variables' }],
    },
    {
      name: 'P2: database password from the environment',
      code: `import { Pool } from 'pg';\nconst db = new Pool({ password: process.env['DB_PASSWORD'] });`,
      errors: [{ line: 2, message: 'DB_PASSWORD' }],
    },
    {
      name: 'Nest ConfigService reads count, names from every file',
      code: `import { ConfigService } from '@nestjs/config';\nexport const f = (c: ConfigService) => c.getOrThrow('JWT_SECRET');`,
      files: { 'src/z.ts': `export const t = process.env.GITHUB_TOKEN;` },
      errors: [{ line: 2, message: 'Secrets (JWT_SECRET, GITHUB_TOKEN)' }],
    },
  ],
});
