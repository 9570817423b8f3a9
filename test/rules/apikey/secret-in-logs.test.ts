import rule from '../../../shared-rules/src/rules/apikey/secret-in-logs';
import { ruleTester } from '../../support/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'N1: pino redact covers the logged paths', code: "import pino from 'pino';\nconst logger = pino({ redact: ['req.headers.authorization', '*.apiKey'] });\nlogger.info({ req, apiKey });\nlogger.info({ headers: req.headers }, 'in');" },
    { name: 'N2: only a prefix is logged', code: "import pino from 'pino';\nconst logger = pino();\nlogger.info({ keyPrefix: apiKey.slice(0, 8) }, 'issued new key');" },
    { name: 'masking helpers, lengths, booleans, typeof', code: "console.log('token', mask(token), token.length, !!token, typeof token);\nconsole.log('secret set:', process.env.JWT_SECRET ? 'yes' : 'no');\nlogger.info({ hasPassword: Boolean(user.passwordHash) });" },
    { name: 'LLM/lexer vocabulary and counters', code: "console.log('tokens used', usage.totalTokens, maxTokens, promptTokens);\nfunction lex(token) { if (token.type === 'punct') console.log(token); }\nfunction show(token: Token) { console.log(token); }" },
    { name: 'pagination tokens, token expiry, key ids', code: "logger.info({ nextToken, tokenExpiresAt, apiKeyId, keyName });" },
    { name: 'non-credential headers and request fields', code: "console.log(req.headers['user-agent'], req.get('content-type'), req.body.email, req.query.page);" },
    { name: 'whole body on a non-auth route', code: "router.post('/orders', (req, res) => { console.log('order', req.body); });" },
    { name: 'messages about tokens, not tokens', code: "logger.error('Invalid token');\nconsole.warn(`token expired for user ${user.id}`);\nlogger.info({ err }, 'token verification failed');" },
    { name: 'a winston logger with a redaction format', code: "import winston from 'winston';\nconst redactSecrets = winston.format((info) => info);\nconst logger = winston.createLogger({ format: winston.format.combine(redactSecrets(), winston.format.json()) });\nlogger.info('login', { password: req.body.password });" },
    { name: 'Fastify logger configured with redact: request.log honours it', code: "import Fastify from 'fastify';\nconst app = Fastify({ logger: { redact: ['req.headers.authorization', '*.password'] } });\napp.post('/login', async (request) => { request.log.info({ password: request.body.password }); });" },
    { name: 'a hash of the token', code: "import { createHash } from 'crypto';\nlogger.info({ tokenHash: createHash('sha256').update(token).digest('hex') });" },
    { name: 'a look-alike log() method on another object', code: "chart.log(token);\nmath.log(secret);" },
    { name: 'names that describe a credential without holding it (durations, iteration passes, env var names)', filename: 'src/client.js', code: "logger.info(`renewal offset ${this.config.systemOptions.tokenRenewalOffsetSeconds}`);\ndebug('pass %d', passNumber);\nconst EnvNames = { MSI_SECRET: 'MSI_SECRET' };\nlogger.info(`'${EnvNames.MSI_SECRET}' is not defined`);" },
    { name: 'token responses, coupon and blockchain tokens', code: "console.warn('Failed to get access token', tokenResponse);\nconsole.error(`Link not found for coupon ${coupon.token}`);\nlogger.info({ nftToken, tokenAddress });" },
    { name: 'an error response body logged when the token request failed', code: "const newToken = await response.json();\nif (!response.ok) {\n  console.error('refresh failed', newToken);\n}" },
    { name: 'front-end code: the browser console is the user\'s own', filename: 'pages/auth/verify-email.tsx', code: "export default function Page() { const token = useRouter().query.token; console.log(token); return null; }" },
    { name: 'hashes of keys cannot be replayed', code: "logger.warn({ error: e, hashedLicenseKey, tokenHash }, 'telemetry failed');" },
    { name: 'presence checks, masked values, types and literals', code: "console.log('Using API key:', apiKey ? 'yes' : 'no');\nlogger.info({ token: maskToken(token), tokenType: 'Bearer', password: '***', secret: undefined });\nlogger.debug('token', { length: token.length });\nconsole.log(key, tokens);" },
    { name: 'a local variable named console', code: "const console = { log: (..._a: unknown[]) => {} };\nconsole.log(req.headers);" },
  ],
  invalid: [
    {
      name: 'P1: whole req.headers to console.log',
      code: "console.log('incoming', req.method, req.headers);",
      errors: [{ severity: 'error', message: 'whole request header set', suggestions: [{ output: "console.log('incoming', req.method, '[REDACTED]');" }] }],
    },
    {
      name: 'P2: apiKey to a pino logger without redact: both suggestions',
      code: "import pino from 'pino';\nconst logger = pino({ level: 'info' });\nlogger.info({ apiKey }, 'issued new key');",
      errors: [{
        line: 3, severity: 'warning', message: 'The token `apiKey`',
        suggestions: [
          { output: "import pino from 'pino';\nconst logger = pino({ level: 'info' });\nlogger.info({ apiKey: '[REDACTED]' }, 'issued new key');" },
          { title: 'redact', output: "import pino from 'pino';\nconst logger = pino({ level: 'info', redact: ['apiKey', '*.apiKey'] });\nlogger.info({ apiKey }, 'issued new key');" },
        ],
      }],
    },
    {
      name: 'pino redact list present but not covering: the path is appended',
      code: "import pino from 'pino';\nconst logger = pino({ redact: ['req.headers.authorization'] });\nlogger.warn({ user: { password: body.password } });",
      errors: [{ severity: 'warning', suggestions: [{}, { output: "import pino from 'pino';\nconst logger = pino({ redact: ['req.headers.authorization', 'user.password'] });\nlogger.warn({ user: { password: body.password } });" }] }],
    },
    {
      name: 'Authorization header through req.get and a local',
      code: "app.use((req, res, next) => {\n  const auth = req.headers.authorization;\n  console.log('auth header', auth);\n  console.debug(req.get('Authorization'));\n  next();\n});",
      errors: [{ line: 3, severity: 'error', message: '`authorization` request header' }, { line: 4, severity: 'error', message: '`Authorization` request header' }],
    },
    {
      name: 'request password field, also in a template literal',
      code: "router.post('/login', (req, res) => {\n  console.log(`login ${req.body.email} / ${req.body.password}`);\n});",
      errors: [{ severity: 'error', message: 'The password from the request (`req.body.password`)' }],
    },
    {
      name: 'whole body on an auth route behind an asyncHandler wrapper',
      code: "authRouter.post('/login', asyncHandler(async (req, res) => {\n  logger.info({ body: req.body, headers: req.headers }, 'login attempt');\n}));",
      errors: [{ line: 2, severity: 'error', message: 'authentication route' }, { line: 2, severity: 'error', message: 'whole request header set' }],
    },
    {
      name: 'whole body on an auth route (Express and Nest)',
      code: "router.post('/auth/login', async (req, res) => { logger.info({ body: req.body }, 'login attempt'); });\nclass AuthController {\n  @Post('register')\n  register(@Req() req: Request) { console.log(req.body); }\n}",
      errors: [{ line: 1, severity: 'error', message: 'authentication route' }, { line: 4, severity: 'error' }],
    },
    {
      name: 'Nest Logger property from @nestjs/common',
      code: "import { Logger } from '@nestjs/common';\nexport class AuthService {\n  private readonly logger = new Logger(AuthService.name);\n  async reset(dto: ResetDto) { this.logger.log(`reset for ${dto.email}: ${dto.newPassword}`); }\n}",
      errors: [{ line: 4, severity: 'warning', message: 'Nest Logger.log' }],
    },
    {
      name: 'jwt.sign result and env secret; winston logger without redaction',
      code: "import jwt from 'jsonwebtoken';\nimport winston from 'winston';\nconst logger = winston.createLogger({ format: winston.format.json() });\nconst token = jwt.sign({ sub: user.id }, process.env.JWT_SECRET!);\nlogger.info(`issued ${token}`);\nlogger.debug('secret is', process.env.JWT_SECRET);",
      errors: [{ line: 5, severity: 'warning', message: 'token `token`' }, { line: 6, severity: 'warning', message: '`process.env.JWT_SECRET`' }],
    },
    {
      name: 'session id counts as a bearer credential in logs (E8 sessionIdIsToken)',
      code: "console.info('session', req.sessionID, sessionId);",
      errors: [{ message: '`req.sessionID`' }, { message: '`sessionId`' }],
    },
    {
      name: 'JSON.stringify of the headers via a logger imported from the workspace',
      code: "import { logger } from './logger';\nlogger.info(JSON.stringify(ctx.headers));",
      files: { 'src/logger.ts': "import pino from 'pino';\nexport const logger = pino();" },
      errors: [{ severity: 'error', message: 'whole request header set (Authorization and Cookie included) is written to the log (pino.info)' }],
    },
    {
      name: 'logging inside a development-only branch is info',
      code: "if (process.env.NODE_ENV !== 'production') {\n  logger.debug({ refreshToken });\n}\nif (process.env.NODE_ENV === 'development') console.info('reset URL', `${base}/reset/${token}`);",
      errors: [{ line: 2, severity: 'info' }, { line: 4, severity: 'info' }],
    },
    {
      name: 'debug(ns) instances are off unless DEBUG enables them: name-based findings are info',
      code: "import debug from 'debug';\nconst log = debug('app:auth');\nlog({ token, user });\nlog('auth', req.headers.authorization);",
      errors: [{ line: 3, severity: 'info', message: 'debug.debug' }, { line: 4, severity: 'error' }],
    },
    {
      name: 'morgan format with :req[authorization]: suggestion removes it',
      code: "import morgan from 'morgan';\napp.use(morgan(':method :url :status :req[authorization]'));",
      errors: [{ severity: 'error', message: 'morgan format', suggestions: [{ output: "import morgan from 'morgan';\napp.use(morgan(':method :url :status'));" }] }],
    },
    {
      name: 'custom morgan token reading the Authorization header',
      code: "import morgan from 'morgan';\nmorgan.token('auth', (req) => req.headers.authorization);",
      errors: [{ severity: 'error', message: 'custom morgan token' }],
    },
    {
      name: 'an ID token and an API key under another property name',
      code: "logger.info({ idToken });\nlogger.info({ key: apiKey });",
      errors: [{ line: 1, severity: 'warning', message: '`idToken`' }, { line: 2, severity: 'warning', message: '`apiKey`' }],
    },
    {
      name: 'test paths are info',
      filename: 'src/__tests__/auth.test.ts',
      code: "console.log(req.headers);",
      errors: [{ severity: 'info' }],
    },
  ],
});
