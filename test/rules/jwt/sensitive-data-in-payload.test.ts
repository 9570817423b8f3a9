import rule from '../../../shared-rules/src/rules/jwt/sensitive-data-in-payload';
import { ruleTester } from '../../support/ruleTester';

ruleTester(rule, {
  valid: [
    { name: 'N1: id and role', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub: u.id, role: u.role }, secret, { expiresIn: '1h' });` },
    { name: 'N2: encrypted JWE payload is exempt', code: `import { EncryptJWT } from 'jose';\nawait new EncryptJWT({ ssn }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(key);` },
    { name: 'references are not credentials: tokenId, jti, sessionId, apiKeyId', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub, jti: randomUUID(), sessionId: s.id, tokenId: t.id, apiKeyId: k.id, tokenVersion: u.tokenVersion }, k);` },
    { name: 'constants, booleans and numbers are not user secrets', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub, token_use: 'access', hasPassword: !!u.password, passwordSet: true, maxTokens: 5 }, k);` },
    { name: 'token key whose value is a reference id', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub, token: session.id }, k);` },
    { name: 'a flag of a record is not a record (user.admin, account.owner)', code: `import jwt from 'jsonwebtoken';\njwt.sign({ id: user._id, admin: user.admin, owner: account.owner }, k);` },
    { name: 'an OAuth profile or a principal is not a database record', code: `import jwt from 'jsonwebtoken';\nexport function cb(profile: any, principal: any) { return jwt.sign({ profile, principal }, k); }` },
    { name: 'email and name are not E8-sensitive', code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub: u.id, email: u.email, name: u.name }, k);` },
    { name: 're-signing verified claims', code: `import jwt from 'jsonwebtoken';\nconst payload = jwt.verify(old, k) as any;\njwt.sign({ ...payload }, k);\njwt.sign({ user: payload.user }, k);` },
    { name: 'Prisma query with select is shaped', code: `import jwt from 'jsonwebtoken';\nconst user = await prisma.user.findUnique({ where: { id }, select: { id: true, role: true } });\njwt.sign({ ...user }, k);` },
    { name: 'Mongoose query with .select is shaped', code: `import jwt from 'jsonwebtoken';\nconst user = await User.findOne({ email }).select('-password');\njwt.sign({ user }, k);` },
    { name: 'declared type without sensitive fields', code: `import jwt from 'jsonwebtoken';\ninterface Claims { sub: string; role: string; tokenCount: number }\nexport function t(user: Claims) { return jwt.sign(user, k); }` },
    { name: 'a generic payload parameter is not guessed', code: `import jwt from 'jsonwebtoken';\nexport function t(payload: object) { return jwt.sign(payload, k); }` },
    { name: 'password in an unrelated object', code: `const body = { username, password };\nfetch(url, { body: JSON.stringify(body) });` },
    { name: 'password deleted before signing', code: `import jwt from 'jsonwebtoken';\nconst payload: any = { sub: u.id, password: u.password };\ndelete payload.password;\njwt.sign(payload, k);` },
    { name: 'a local sign function', code: `function sign(o: object) {}\nsign({ password: pw });` },
    { name: 'TypeORM column with select: false is not loaded', code: `import jwt from 'jsonwebtoken';\nclass User { id!: string; @Column({ select: false }) password!: string; }\nexport function t(user: User) { return jwt.sign({ ...user }, k); }` },
  ],
  invalid: [
    {
      name: 'P1: password key',
      code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub: u.id, email: u.email, password: u.password }, secret, { expiresIn: '1h' });`,
      errors: [{ line: 2, severity: 'error', message: '`password`', suggestions: [{ output: `import jwt from 'jsonwebtoken';\njwt.sign({ sub: u.id, email: u.email }, secret, { expiresIn: '1h' });` }] }],
    },
    {
      name: 'P2: JwtService with a spread of a typed entity',
      code: `import { JwtService } from '@nestjs/jwt';\ninterface User { id: string; email: string; passwordHash: string; resetToken?: string }\nclass A { constructor(private jwtService: JwtService) {}\n  async login(user: User) { return this.jwtService.signAsync({ ...user }); } }`,
      errors: [{ line: 4, severity: 'warning', message: '`passwordHash`, `resetToken`', suggestions: [{ title: 'drops passwordHash, resetToken', output: `import { JwtService } from '@nestjs/jwt';\ninterface User { id: string; email: string; passwordHash: string; resetToken?: string }\nclass A { constructor(private jwtService: JwtService) {}\n  async login(user: User) { return this.jwtService.signAsync({ sub: user.id }); } }` }] }],
    },
    {
      name: 'nested objects and PII',
      code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub, profile: { dob: u.birthDate, card: { cardNumber: u.pan } } }, k);`,
      errors: [
        { severity: 'warning', message: '`profile.dob`' },
        { severity: 'warning', message: '`profile.card.cardNumber`' },
      ],
    },
    {
      name: 'shorthand secret and a resolvable spread from a const',
      code: `import jwt from 'jsonwebtoken';\nexport function t(apiKey: string, refreshToken: string) {\n  const extra = { refreshToken };\n  return jwt.sign({ sub, apiKey, ...extra }, k);\n}`,
      errors: [
        { line: 4, severity: 'error', message: '`apiKey`', suggestions: [{ output: `import jwt from 'jsonwebtoken';\nexport function t(apiKey: string, refreshToken: string) {\n  const extra = { refreshToken };\n  return jwt.sign({ sub, ...extra }, k);\n}` }] },
        { line: 3, severity: 'error', message: '`refreshToken`' },
      ],
    },
    {
      name: 'whole user record by name (heuristic): spread',
      code: `import jwt from 'jsonwebtoken';\nexport function t(user: any) { return jwt.sign({ ...user, scope: 'api' }, k); }`,
      errors: [{ severity: 'warning', message: 'without type information', suggestions: [{ output: `import jwt from 'jsonwebtoken';\nexport function t(user: any) { return jwt.sign({ sub: user.id, scope: 'api' }, k); }` }] }],
    },
    {
      name: 'whole record from a query, passed as the payload; Mongo _id',
      filename: 'src/a.js',
      code: `const jwt = require('jsonwebtoken');\nasync function login(email) {\n  const found = await User.findOne({ email });\n  if (!found._id) return;\n  return jwt.sign(found, KEY);\n}`,
      errors: [{ line: 5, message: 'database query', suggestions: [{ output: `const jwt = require('jsonwebtoken');\nasync function login(email) {\n  const found = await User.findOne({ email });\n  if (!found._id) return;\n  return jwt.sign({ sub: found._id }, KEY);\n}` }] }],
    },
    {
      name: 'req.user nested as a claim (passport-local user record)',
      code: `import jwt from 'jsonwebtoken';\napp.post('/login', passport.authenticate('local'), (req, res) => res.json({ token: jwt.sign({ user: req.user }, KEY) }));`,
      errors: [{ severity: 'warning', suggestions: [{ output: `import jwt from 'jsonwebtoken';\napp.post('/login', passport.authenticate('local'), (req, res) => res.json({ token: jwt.sign({ user: { id: req.user.id } }, KEY) }));` }] }],
    },
    {
      name: 'value named like a password under an innocent key',
      code: `import jwt from 'jsonwebtoken';\njwt.sign({ sub, h: user.passwordHash }, k);`,
      errors: [{ severity: 'warning', message: 'carries `user.passwordHash`' }],
    },
    {
      name: 'jose SignJWT and hono sign payloads',
      code: `import { SignJWT } from 'jose';\nimport { sign } from 'hono/jwt';\nawait new SignJWT({ sub, clientSecret: app.secret }).setProtectedHeader({ alg: 'HS256' }).sign(key);\nawait sign({ sub, ssn: p.ssn }, c.env.K);`,
      errors: [{ line: 3, severity: 'error', message: 'a secret' }, { line: 4, severity: 'warning', message: 'personal data' }],
    },
    {
      name: 'payload object declared in a variable',
      code: `import jwt from 'jsonwebtoken';\nconst claims = { sub: u.id, otpSecret: u.totp };\njwt.sign(claims, k);`,
      errors: [{ line: 2, severity: 'error', suggestions: [{ output: `import jwt from 'jsonwebtoken';\nconst claims = { sub: u.id };\njwt.sign(claims, k);` }] }],
    },
    {
      name: 'test paths are info',
      filename: 'test/api/login.test.ts',
      code: `import jwt from 'jsonwebtoken';\nconst t = jwt.sign({ data: { email, password: pw } }, KEY);`,
      errors: [{ severity: 'info' }],
    },
  ],
});
