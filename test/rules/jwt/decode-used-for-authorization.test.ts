import rule from '../../../shared-rules/src/rules/jwt/decode-used-for-authorization';
import { ruleTester } from '../../support/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'N1: verify happened first', code: `import jwt, { JwtPayload } from 'jsonwebtoken';\napp.use((req, res, next) => {\n  const tok = req.headers.authorization!.slice(7);\n  const payload = jwt.verify(tok, pub, { algorithms: ['RS256'] });\n  const { exp } = jwt.decode(tok) as JwtPayload;\n  req.user = payload;\n  next();\n});` },
    { name: 'N2: expiry hint only', code: `import { decodeJwt } from 'jose';\nexport function GET(req: Request) {\n  const refreshToken = req.headers.get('x-refresh')!;\n  if ((decodeJwt(refreshToken).exp ?? 0) * 1000 < Date.now()) return renew();\n}` },
    { name: 'kid read to choose a key, then verify', code: `import jwt from 'jsonwebtoken';\nexport async function handler(req, res) {\n  const token = req.cookies.session;\n  const { header } = jwt.decode(token, { complete: true })!;\n  const key = await keys.get(header.kid);\n  req.user = jwt.verify(token, key, { algorithms: ['RS256'] });\n}` },
    { name: 'token not from the request (our own sign)', code: `import jwt from 'jsonwebtoken';\nexport function issue(user) {\n  const token = jwt.sign({ sub: user.id }, KEY, { expiresIn: '15m' });\n  const claims = jwt.decode(token);\n  if (claims.sub) return token;\n}` },
    { name: 'front-end file: decode for display', code: `'use client';\nimport { jwtDecode } from 'jwt-decode';\nexport function Avatar(req) { const c = jwtDecode(req.query.t); if (c.role === 'admin') return 'A'; }`, filename: 'src/avatar.tsx' },
    { name: 'a local decode function', code: `function decode(t: string) { return JSON.parse(t); }\napp.use((req, res, next) => { req.user = decode(req.headers.authorization!); next(); });` },
    { name: 'JSON.parse of something else', code: `app.post('/x', (req, res) => { const body = JSON.parse(req.body.raw); if (body.role === 'admin') res.send('x'); });` },
    { name: 'hand-decoded header segment (other rule)', code: `app.use((req, res, next) => { const h = JSON.parse(Buffer.from(req.headers.authorization!.split('.')[0], 'base64url').toString()); next(); });` },
    { name: 'request.jwtVerify() in the same handler', code: `import fastifyJwt from '@fastify/jwt';\nfastify.get('/me', async (request, reply) => {\n  await request.jwtVerify();\n  const claims = request.jwtDecode();\n  if (claims.role !== 'admin') return reply.code(403).send();\n});`, files: { 'package.json': JSON.stringify({ dependencies: { '@fastify/jwt': '^9.0.0' } }) } },
  ],
  invalid: [
    {
      name: 'P1: decoded claims become req.user',
      code: `import jwt from 'jsonwebtoken';\napp.use((req, _res, next) => {\n  req.user = jwt.decode(req.headers.authorization!.slice(7)) as User;\n  next();\n});`,
      errors: [{ line: 3, severity: 'error', message: 'request identity (`req.user = …`)', suggestions: [] }],
    },
    {
      name: 'P2: jose decodeJwt claims decide an admin response',
      code: `import { decodeJwt } from 'jose';\napp.get('/users', async (req, res) => {\n  const claims = decodeJwt(req.cookies.session);\n  if (claims.role === 'admin') return res.json(await listAllUsers());\n  res.sendStatus(403);\n});`,
      errors: [{ line: 3, severity: 'warning', message: '`role` decides an access check' }],
    },
    {
      name: 'decode → verify suggestion when the key is known from a verify call in the workspace',
      code: `import jwt from 'jsonwebtoken';\napp.use((req, res, next) => {\n  const token = req.headers.authorization?.split(' ')[1];\n  const decoded = jwt.decode(token);\n  req.user = { id: decoded.sub };\n  next();\n});`,
      files: { 'src/auth.ts': `import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, process.env.JWT_SECRET!, { algorithms: ['HS512'] });` },
      errors: [{ line: 4, severity: 'error', suggestions: [{ title: 'Verify instead of decode', output: `import jwt from 'jsonwebtoken';\napp.use((req, res, next) => {\n  const token = req.headers.authorization?.split(' ')[1];\n  const decoded = jwt.verify(token, process.env.JWT_SECRET!, { algorithms: ['HS512'] });\n  req.user = { id: decoded.sub };\n  next();\n});` }] }],
    },
    {
      name: 'key known from a sign call in the same file (name in scope); complete: true kept',
      code: `import * as jwt from 'jsonwebtoken';\nconst SECRET = process.env.S!;\nexport const issue = (id: string) => jwt.sign({ sub: id }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });\nexport function mw(req, res, next) {\n  const d = jwt.decode(req.cookies.t, { complete: true });\n  res.locals.user = d.payload;\n  next();\n}`,
      errors: [{ line: 5, suggestions: [{ output: `import * as jwt from 'jsonwebtoken';\nconst SECRET = process.env.S!;\nexport const issue = (id: string) => jwt.sign({ sub: id }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });\nexport function mw(req, res, next) {\n  const d = jwt.verify(req.cookies.t, SECRET, { algorithms: ['HS256'], complete: true });\n  res.locals.user = d.payload;\n  next();\n}` }] }],
    },
    {
      name: 'Nest guard canActivate from JwtService.decode',
      code: `import { CanActivate, ExecutionContext } from '@nestjs/common';\nimport { JwtService } from '@nestjs/jwt';\nexport class AdminGuard implements CanActivate {\n  constructor(private jwt: JwtService) {}\n  canActivate(ctx: ExecutionContext) {\n    const request = ctx.switchToHttp().getRequest();\n    const payload = this.jwt.decode(request.headers.authorization.split(' ')[1]);\n    return payload?.role === 'admin';\n  }\n}`,
      errors: [{ line: 7, severity: 'error', message: 'canActivate' }],
    },
    {
      name: 'hono decode into c.set',
      code: `import { decode } from 'hono/jwt';\napp.use('/api/*', async (c, next) => {\n  const { payload } = decode(c.req.header('Authorization')!.replace('Bearer ', ''));\n  c.set('jwtPayload', payload);\n  await next();\n});`,
      errors: [{ severity: 'error', message: "c.set('jwtPayload'" }],
    },
    {
      name: 'manual base64 decode with a claim in a query',
      code: `app.get('/orders', async (req, res) => {\n  const token = req.headers.authorization!.split(' ')[1];\n  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64').toString());\n  res.json(await prisma.order.findMany({ where: { userId: claims.sub } }));\n});`,
      errors: [{ line: 3, severity: 'warning', message: 'select' }],
    },
    {
      name: 'manual decode via array destructuring and atob',
      code: `export function middleware(request) {\n  const [, body] = request.cookies.get('token').value.split('.');\n  const claims = JSON.parse(atob(body));\n  if (!claims.admin) return new Response(null, { status: 403 });\n}`,
      errors: [{ severity: 'warning' }],
    },
    {
      name: 'jwt-decode default import, claims derived into a variable then trusted',
      code: `import jwtDecode from 'jwt-decode';\nexport default function handler(req, res) {\n  const c = jwtDecode(req.query.token as string);\n  const user = { id: c.sub, role: c.role };\n  req.user = user;\n}`,
      errors: [{ severity: 'error' }],
    },
    {
      name: 'token from a request helper; jws.decode payload trusted in a condition',
      code: `import jws from 'jws';\nexport function isAdmin(req, res, next) {\n  const token = utils.jwtFrom(req);\n  const decoded = jws.decode(token);\n  if (decoded.payload.data.role === 'admin') return next();\n  res.sendStatus(403);\n}`,
      errors: [{ line: 4, severity: 'warning', message: '`data.role`' }],
    },
    {
      name: 'decoded and only returned: info',
      code: `import jwt from 'jsonwebtoken';\nexport function currentUser(req) { return jwt.decode(req.headers.authorization.split(' ')[1]); }`,
      errors: [{ severity: 'info', message: 'without checking its signature' }],
    },
    {
      name: 'handler after an auth middleware: info',
      code: `import jwt from 'jsonwebtoken';\nrouter.get('/me', requireAuth, (req, res) => {\n  const claims = jwt.decode(req.headers.authorization.split(' ')[1]);\n  if (claims.role === 'admin') return res.json(all);\n});`,
      errors: [{ severity: 'info', message: 'requireAuth' }],
    },
    {
      name: 'Nest handler under @UseGuards: info',
      code: `import { JwtService } from '@nestjs/jwt';\nclass C {\n  constructor(private jwt: JwtService) {}\n  @UseGuards(AuthGuard('jwt'))\n  @Get('me')\n  me(@Req() req) { const p = this.jwt.decode(req.headers.authorization.slice(7)); return this.users.findOne(p.sub); }\n}`,
      errors: [{ severity: 'info', message: 'UseGuards' }],
    },
  ],
});
