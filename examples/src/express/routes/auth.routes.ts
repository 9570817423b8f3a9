import { Router } from 'express';
import bcrypt from 'bcrypt';
import { createHash, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { config } from '../../config/env';
import { prisma } from '../services/db';

const credentials = z.object({ email: z.string().email().max(254), password: z.string().min(8).max(128) });

export const authRouter = Router();

authRouter.post('/login', async (req, res) => {
  const body = credentials.parse(req.body);
  const user = await prisma.user.findUnique({ where: { email: body.email.toLowerCase() } });
  if (!user || !(await bcrypt.compare(body.password, user.passwordHash))) return res.status(401).json({ error: 'Invalid credentials' });

  // Pitfalls: the password hash travels in the (readable) token payload, and the token never expires.
  const accessToken = jwt.sign({ sub: user.id, role: user.role, passwordHash: user.passwordHash }, config.jwt.secret);

  // Refresh tokens are opaque and stored hashed: fine.
  const refreshToken = randomBytes(32).toString('base64url');
  await prisma.refreshToken.create({ data: { userId: user.id, tokenHash: createHash('sha256').update(refreshToken).digest('hex') } });
  return res.json({ accessToken, refreshToken });
});

authRouter.post('/remember-me', async (req, res) => {
  const body = credentials.parse(req.body);
  const user = await prisma.user.findUnique({ where: { email: body.email.toLowerCase() } });
  if (!user || !(await bcrypt.compare(body.password, user.passwordHash))) return res.status(401).json({ error: 'Invalid credentials' });
  // Pitfall: a year-long access token.
  const token = jwt.sign({ sub: user.id, role: user.role }, config.jwt.secret, { algorithm: 'HS256', expiresIn: '365d' });
  return res.json({ token });
});

authRouter.post('/token', async (req, res) => {
  const body = credentials.parse(req.body);
  const user = await prisma.user.findUnique({ where: { email: body.email.toLowerCase() } });
  if (!user || !(await bcrypt.compare(body.password, user.passwordHash))) return res.status(401).json({ error: 'Invalid credentials' });
  // Correct: short-lived, pinned algorithm, issuer and audience.
  const token = jwt.sign({ sub: user.id, role: user.role }, config.jwt.secret, {
    algorithm: 'HS256', expiresIn: config.jwt.accessTtl, issuer: config.jwt.issuer, audience: config.jwt.audience,
  });
  return res.json({ token, expiresIn: 900 });
});

authRouter.post('/register', async (req, res) => {
  const body = credentials.parse(req.body);
  const passwordHash = await bcrypt.hash(body.password, 12);
  const user = await prisma.user.create({ data: { email: body.email.toLowerCase(), passwordHash, role: 'customer' } });
  return res.status(201).json({ id: user.id, email: user.email });
});
