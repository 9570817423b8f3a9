import rule from '../../../shared-rules/src/rules/secrets/connection-string-credentials';
import { ruleTester } from '../../support/ruleTester';
import { fake, rand, withRequireEnvHelper } from './fakeSecrets';

const pw = rand(14);
const gh = fake.github();

ruleTester(rule, {
  valid: [
    { name: 'N1: URI from the environment', code: `const pool = new Pool({ connectionString: requireEnv('DATABASE_URL') });` },
    { name: 'N2: credentials from env spans', code: 'const url = `postgres://${env.DB_USER}:${env.DB_PASS}@${env.DB_HOST}/app`;' },
    { name: 'password span from process.env', code: 'const url = `mongodb+srv://admin:${process.env.MONGO_PASSWORD}@cluster0.abcd.mongodb.net/prod`;' },
    { name: 'no password', code: `const url = 'postgres://app@db.internal:5432/app';\nconst r = 'redis://cache.internal:6379';` },
    { name: 'documentation placeholders', code: `const a = 'postgres://user:<password>@host:5432/db';\nconst b = 'mongodb://{user}:{password}@host';\nconst c = 'mysql://root:%s@%s/db';\nconst d = 'amqp://user:$PASSWORD@rabbit.prod';` },
    { name: 'unlisted schemes', code: `const s = 'ldap://cn:${pw}@directory.corp';\nconst t = 'git+ssh://git:${pw}@github.com';` },
    { name: 'documentation-style user:pass@host', code: `/** e.g. */ const desc = 'postgres://user:pass@host/db';\nconst m = 'mongodb://username:password@hostname:27017';` },
    { name: 'http examples with dummy credentials', code: `const u = 'https://user:pass@example.com/path';\nconst v = 'http://admin:admin@localhost:8080';` },
    { name: 'a GitHub token in a URL is left to known-token-format', code: `const remote = 'https://x-access-token:${gh}@github.com/org/repo.git';` },
  ],
  invalid: [
    {
      name: 'P1: postgres URI in pg Pool options',
      code: `const pool = new Pool({ connectionString: 'postgres://app:${pw}@db.prod.internal:5432/app' });`,
      errors: [{
        line: 1, severity: 'error', message: '`postgres://` URI with an inline password (14 chars) for db.prod.internal',
        suggestions: [{ title: 'DATABASE_URL', output: withRequireEnvHelper(`const pool = new Pool({ connectionString: requireEnv('DATABASE_URL') });`) }],
      }],
    },
    {
      name: 'P2: mongodb+srv in a template literal',
      code: `await mongoose.connect(\`mongodb+srv://admin:${pw}@cluster0.abcd.mongodb.net/prod\`);`,
      errors: [{ severity: 'error', message: 'mongodb+srv://', suggestions: [{ output: withRequireEnvHelper(`await mongoose.connect(requireEnv('MONGODB_URI'));`) }] }],
    },
    {
      name: 'user from a span, literal password',
      code: 'const url = `mysql://${user}:' + pw + '@db.example-corp.io/app`;',
      errors: [{ message: 'mysql://', suggestions: [] }],
    },
    {
      name: 'localhost with default credentials is info',
      code: `const url = 'postgres://postgres:postgres@localhost:5432/dev';`,
      errors: [{ severity: 'info', message: 'local development credentials' }],
    },
    {
      name: 'real-looking password on an example host is info',
      code: `const url = 'redis://:${pw}@cache.example.com:6379';`,
      errors: [{ severity: 'info', message: 'local or example host', suggestions: [{ title: 'REDIS_URL' }] }],
    },
    {
      name: 'default password on a production host is a warning',
      code: `const url = 'amqp://guest:guest@mq.prod.internal';`,
      errors: [{ severity: 'warning', message: 'looks like a default' }],
    },
    {
      name: 'URI inside a longer string: no code action',
      code: `console.log('connecting to mssql://sa:${pw}@sql.prod.internal now');`,
      errors: [{ severity: 'error', suggestions: [] }],
    },
    {
      name: 'env fallback: require the variable',
      code: `const url = process.env.DATABASE_URL ?? 'postgresql://svc:${pw}@pg.prod.internal/app';`,
      errors: [{ suggestions: [{ title: 'Require DATABASE_URL', output: withRequireEnvHelper(`const url = requireEnv('DATABASE_URL');`) }] }],
    },
    {
      name: 'http basic credentials with a real-looking password',
      code: `const api = 'https://deploy:${pw}@registry.corp.io/v2/';`,
      errors: [{ severity: 'error', message: 'https://' }],
    },
    {
      name: 'tests are info',
      filename: 'test/db.spec.ts',
      code: `const url = 'postgres://app:${pw}@db.prod.internal/app';`,
      errors: [{ severity: 'info' }],
    },
  ],
});
