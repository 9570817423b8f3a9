import rule from '../../../shared-rules/src/rules/apikey/plaintext-storage';
import { ruleTester } from '../../support/ruleTester';

const PRISMA = "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\n";
const MONGOOSE = "import mongoose from 'mongoose';\nconst User = mongoose.model('User', new mongoose.Schema({ email: String, password: String }));\n";

ruleTester(rule, {
  valid: [
    { name: 'N1: prefix and hash stored', code: PRISMA + "import { randomBytes } from 'crypto';\nexport async function issue(userId: string) {\n  const key = randomBytes(32).toString('hex');\n  await prisma.apiKey.create({ data: { userId, prefix: key.slice(0, 8), keyHash: sha256(key) } });\n  return key;\n}" },
    { name: 'N2: argon2 password hash', code: MONGOOSE + "import argon2 from 'argon2';\nexport async function register(dto: { email: string; password: string }) {\n  await User.create({ email: dto.email, passwordHash: await argon2.hash(dto.password) });\n}" },
    { name: 'hashed into a local first, bcrypt', code: MONGOOSE + "import bcrypt from 'bcrypt';\napp.post('/register', async (req, res) => {\n  const hashed = await bcrypt.hash(req.body.password, 12);\n  await User.create({ email: req.body.email, password: hashed });\n});" },
    { name: 'createHash chain of a generated key', code: PRISMA + "import { randomBytes, createHash } from 'crypto';\nconst token = randomBytes(32).toString('hex');\nawait prisma.session.create({ data: { tokenHash: createHash('sha256').update(token).digest('hex'), token: createHash('sha256').update(token).digest('hex') } });" },
    { name: 'a workspace helper whose name says hash', code: PRISMA + "import { hashToken } from './crypto';\nimport { randomBytes } from 'crypto';\nconst resetToken = randomBytes(32).toString('hex');\nawait prisma.user.update({ where: { id }, data: { resetToken: hashToken(resetToken) } });" },
    { name: 'generated ids and slugs are not secrets', code: PRISMA + "import { randomUUID } from 'crypto';\nimport { nanoid } from 'nanoid';\nawait prisma.order.create({ data: { id: randomUUID(), slug: nanoid(8), name } });" },
    { name: 'session ids, OTP codes and OAuth state are not stored secrets here', code: PRISMA + "import { randomBytes, randomInt } from 'crypto';\nawait prisma.session.create({ data: { sessionId: randomBytes(16).toString('hex') } });\nawait prisma.otp.create({ data: { otp: String(randomInt(100000, 1000000)) } });\nawait prisma.oauth.create({ data: { state: randomBytes(16).toString('hex') } });" },
    { name: 'Mongoose pre-save hook hashes the password', code: "import { User } from './models/user';\napp.post('/register', async (req, res) => {\n  await User.create({ email: req.body.email, password: req.body.password });\n});", files: { 'src/models/user.ts': "import mongoose from 'mongoose';\nimport bcrypt from 'bcrypt';\nconst schema = new mongoose.Schema({ email: String, password: String });\nschema.pre('save', async function () { if (this.isModified('password')) this.password = await bcrypt.hash(this.password, 12); });\nexport const User = mongoose.model('User', schema);" } },
    { name: 'TypeORM @BeforeInsert hashing hook', code: "import { Repository } from 'typeorm';\nclass UsersService {\n  constructor(private readonly repo: Repository<User>) {}\n  async create(dto: CreateUserDto) { return this.repo.save({ email: dto.email, password: dto.password }); }\n}", files: { 'src/user.entity.ts': "import { Entity, Column, BeforeInsert } from 'typeorm';\nimport * as bcrypt from 'bcrypt';\n@Entity() export class User {\n  @Column() password: string;\n  @BeforeInsert() async hashPassword() { this.password = await bcrypt.hash(this.password, 12); }\n}" } },
    { name: 'a create() of something that is not an ORM', code: "import { randomBytes } from 'crypto';\nconst apiKey = randomBytes(32).toString('hex');\nObject.create({ apiKey });\nmap.set('apiKey', apiKey);\nconst el = document.createElement('div');" },
    { name: 'no ORM in scope: look-alike create/save methods', code: "import { randomBytes } from 'crypto';\nconst apiKey = randomBytes(32).toString('hex');\nawait store.create({ data: { apiKey } });\nawait User.create({ password: req.body.password });" },
    { name: 'only the last four characters are kept', code: PRISMA + "import { randomBytes } from 'crypto';\nconst apiKey = 'ak_' + randomBytes(24).toString('hex');\nawait prisma.apiKey.create({ data: { last4: apiKey.slice(-4), hint: apiKey.slice(0, 6), keyHash: digest(apiKey) } });" },
    { name: 'webhook signing secrets must stay readable to sign with them', code: PRISMA + "import { randomBytes } from 'crypto';\nconst secret = `whsec_${randomBytes(24).toString('hex')}`;\nawait prisma.webhook.create({ data: { url, secret } });\nawait prisma.postback.update({ where: { id }, data: { secret: createToken({ prefix: 'pbs_' }) } });" },
    { name: 'numeric one-time codes (hashing a 10^6 space adds nothing)', code: PRISMA + "import { randomInt } from 'crypto';\nconst code = randomInt(100000, 1000000).toString();\nawait prisma.emailVerificationToken.create({ data: { identifier: email, token: code } });" },
    { name: 'an OTP through a generateOtp() helper', code: PRISMA + "import { generateOTP } from './otp';\nconst code = generateOTP();\nawait prisma.emailVerificationToken.create({ data: { identifier: email, token: code } });", files: { 'src/otp.ts': "import { randomInt } from 'crypto';\nexport function generateOTP() {\n  const n = randomInt(0, 1000000);\n  return n.toString().padStart(6, '0');\n}" } },
    { name: 'a Redis lock owner token (SET NX)', code: "import { Redis } from '@upstash/redis';\nconst redis = new Redis({ url, token: t });\nexport async function withLock(key: string) {\n  const token = crypto.randomUUID();\n  await redis.set(key, token, { nx: true, ex: 30 });\n}" },
    { name: 'an OAuth authorization code column filled by a token helper', code: PRISMA + "await prisma.oAuthCode.create({ data: { clientId, code: createToken({ length: 32 }), expiresAt } });" },
    { name: 'a password parameter in a project that hashes passwords before calling (layered code)', filename: 'src/queries/users.js', code: "const knex = require('knex')(cfg);\nasync function create(params) {\n  const [user] = await knex('users').insert({ email: params.email, password: params.password }, '*');\n  return user;\n}\nmodule.exports = { create };", files: { 'package.json': JSON.stringify({ dependencies: { knex: '^3.1.0', bcryptjs: '^2.4.3' } }), 'src/handlers/auth.js': "const bcrypt = require('bcryptjs');\nconst query = require('../queries/users');\nexports.signup = async (req, res) => {\n  const password = await bcrypt.hash(req.body.password, 12);\n  await query.create({ email: req.body.email, password });\n};" } },
    { name: 'test code writes fixtures to throw-away databases', filename: 'test/fixtures/users.ts', code: MONGOOSE + "app.post('/register', async (req, res) => { await User.create({ password: req.body.password }); });" },
    { name: 'SELECT with the password is not a write', code: "import { Pool } from 'pg';\nconst pool = new Pool();\nawait pool.query('SELECT * FROM users WHERE email = $1 AND password = $2', [req.body.email, req.body.password]);" },
  ],
  invalid: [
    {
      name: 'P1: generated key stored as is (Prisma, shorthand property)',
      code: PRISMA + "import { randomBytes } from 'crypto';\nexport async function issue(userId: string) {\n  const key = randomBytes(32).toString('hex');\n  await prisma.apiKey.create({ data: { userId, key } });\n}",
      errors: [{
        line: 6, severity: 'error', message: 'is stored in `key` as plaintext',
        suggestions: [{ output: PRISMA + "import { randomBytes, createHash } from 'crypto';\nexport async function issue(userId: string) {\n  const key = randomBytes(32).toString('hex');\n  await prisma.apiKey.create({ data: { userId, key: createHash('sha256').update(key).digest('hex') } });\n}" }],
      }],
    },
    {
      name: 'P2: DTO password stored by a service (crosses functions: warning)',
      code: MONGOOSE + "export async function register(dto: CreateUserDto) {\n  await User.create({ email: dto.email, password: dto.password });\n}",
      errors: [{ line: 4, severity: 'warning', message: 'The password (`dto.password`) is stored in `password` without hashing', suggestions: [] }],
    },
    {
      name: 'request password in an Express handler: error, argon2 suggestion (dependency installed)',
      code: MONGOOSE + "app.post('/register', async (req, res) => {\n  await User.create({ email: req.body.email, password: req.body.password });\n});",
      files: { 'package.json': JSON.stringify({ dependencies: { mongoose: '^8.0.0', argon2: '^0.41.1' } }) },
      errors: [{
        line: 4, severity: 'error', message: 'from the request',
        suggestions: [{ output: MONGOOSE.replace("import mongoose from 'mongoose';\n", "import mongoose from 'mongoose';\nimport * as argon2 from 'argon2';\n") + "app.post('/register', async (req, res) => {\n  await User.create({ email: req.body.email, password: await argon2.hash(req.body.password) });\n});" }],
      }],
    },
    {
      name: 'destructured request password with Prisma update; existing bcrypt import reused',
      code: PRISMA + "import bcrypt from 'bcryptjs';\nexport async function POST(req: Request) {\n  const { password } = await req.json();\n  await prisma.user.update({ where: { id }, data: { password } });\n}",
      errors: [{ line: 6, suggestions: [{ output: PRISMA + "import bcrypt from 'bcryptjs';\nexport async function POST(req: Request) {\n  const { password } = await req.json();\n  await prisma.user.update({ where: { id }, data: { password: await bcrypt.hash(password, 12) } });\n}" }] }],
    },
    {
      name: 'reset token assigned to a document, then saved (Mongoose)',
      code: MONGOOSE + "import crypto from 'crypto';\nexport async function forgot(email: string) {\n  const user = await User.findOne({ email });\n  user.resetPasswordToken = crypto.randomBytes(20).toString('hex');\n  await user.save();\n}",
      errors: [{ line: 6, severity: 'error', message: 'one-time token' }],
    },
    {
      name: 'TypeORM repository save with a generated API key',
      code: "import { Repository } from 'typeorm';\nimport { randomBytes } from 'crypto';\nexport class KeysService {\n  constructor(private readonly keys: Repository<ApiKey>) {}\n  async issue(owner: string) {\n    const apiKey = `ak_${randomBytes(24).toString('hex')}`;\n    await this.keys.save({ owner, apiKey });\n    return apiKey;\n  }\n}",
      errors: [{ line: 7, message: 'API key `apiKey`' }],
    },
    {
      name: 'TypeORM entity field is a related location',
      code: "import { Repository } from 'typeorm';\nimport { ApiKey } from './api-key.entity';\nimport { randomBytes } from 'crypto';\nexport class KeysService {\n  constructor(private readonly repo: Repository<ApiKey>) {}\n  async issue() {\n    const apiKey = randomBytes(32).toString('hex');\n    await this.repo.save({ apiKey });\n  }\n}",
      files: { 'src/api-key.entity.ts': "import { Entity, Column } from 'typeorm';\n@Entity()\nexport class ApiKey {\n  @Column() apiKey: string;\n}" },
      errors: [{ line: 8, message: 'API key `apiKey`' }],
    },
    {
      name: 'Sequelize model and a generator helper in another module (warning)',
      code: "import { Model } from 'sequelize';\nimport { generateApiKey } from './keys';\nclass Token extends Model {}\nexport async function issue(userId: number) {\n  const token = generateApiKey();\n  await Token.create({ userId, token });\n}",
      files: { 'src/keys.ts': "import { randomBytes } from 'crypto';\nexport function generateApiKey() { return randomBytes(32).toString('base64url'); }" },
      errors: [{ line: 6, severity: 'warning' }],
    },
    {
      name: 'raw SQL insert with positional parameters',
      code: "import { Pool } from 'pg';\nimport { randomBytes } from 'crypto';\nconst pool = new Pool();\nconst apiKey = randomBytes(32).toString('hex');\nawait pool.query('INSERT INTO api_keys (user_id, api_key) VALUES ($1, $2)', [userId, apiKey]);",
      errors: [{ line: 5, message: 'stored in `api_key`' }],
    },
    {
      name: 'raw SQL: the hash column is fine, the plaintext column is not',
      code: "import mysql from 'mysql2/promise';\nconst db = await mysql.createConnection(url);\napp.post('/users', async (req, res) => {\n  await db.execute('INSERT INTO users (email, password) VALUES (?, ?)', [req.body.email, req.body.password]);\n});",
      errors: [{ line: 4, message: 'stored in `password`' }],
    },
    {
      name: 'tagged SQL template (postgres.js) with UPDATE … SET col = ${value}',
      code: "import postgres from 'postgres';\nconst sql = postgres();\nexport async function setPassword(userId: string, newPassword: string) {\n  await sql`UPDATE users SET password = ${newPassword} WHERE id = ${userId}`;\n}",
      errors: [{ line: 4, severity: 'warning', message: 'parameter `newPassword`' }],
    },
    {
      name: 'Drizzle insert and Knex insert',
      code: "import { drizzle } from 'drizzle-orm/node-postgres';\nimport knex from 'knex';\nimport { randomBytes } from 'crypto';\nconst db = drizzle(pool);\nconst k = knex(cfg);\nconst apiToken = randomBytes(32).toString('hex');\nawait db.insert(clients).values({ url, apiToken });\nawait k('clients').insert({ url, apiToken });",
      errors: [{ line: 7 }, { line: 8 }],
    },
    {
      name: 'Redis value holding a password-reset token',
      code: "import Redis from 'ioredis';\nimport { randomBytes } from 'crypto';\nconst redis = new Redis();\nconst resetToken = randomBytes(32).toString('hex');\nawait redis.set(`reset:${userId}`, resetToken, 'EX', 3600);",
      errors: [{ line: 5, message: 'one-time token `resetToken`' }],
    },
    {
      name: 'a character-picked token is not a numeric code',
      code: PRISMA + "import { randomInt } from 'crypto';\nexport async function invite(email: string) {\n  const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';\n  let inviteToken = '';\n  for (let i = 0; i < 24; i++) inviteToken += chars[randomInt(chars.length)];\n  await prisma.invite.create({ data: { email, inviteToken } });\n}",
      errors: [{ line: 8, message: 'one-time token `inviteToken`' }],
    },
    {
      name: 'encrypted API key: info',
      code: PRISMA + "import { randomBytes } from 'crypto';\nconst apiKey = randomBytes(32).toString('hex');\nawait prisma.apiKey.create({ data: { apiKey: encrypt(apiKey) } });",
      errors: [{ severity: 'info', message: 'stored encrypted' }],
    },

  ],
});
