import { Router } from 'express';
import { expressjwt } from 'express-jwt';
import jwksRsa from 'jwks-rsa';
import { config } from '../../config/env';
import { prisma } from '../services/db';

export const partnersRouter = Router();

const partnerKeys = jwksRsa.expressJwtSecret({ jwksUri: config.partners.jwksUri, cache: true, rateLimit: true });

// Pitfall: no audience check. The partner identity provider signs tokens for every application it serves, so a
// token minted for another application passes here.
const partnerAuth = expressjwt({ secret: partnerKeys, algorithms: ['RS256'], issuer: 'https://partners.acme-shop.test/' });

// Correct: pinned algorithm and audience.
const partnerAuthStrict = expressjwt({
  secret: partnerKeys,
  algorithms: ['RS256'],
  issuer: 'https://partners.acme-shop.test/',
  audience: 'acme-shop-api',
});

partnersRouter.get('/catalog', partnerAuth, async (_req, res) => {
  res.json(await prisma.product.findMany({ where: { published: true }, select: { sku: true, name: true, price: true } }));
});

partnersRouter.post('/stock', partnerAuthStrict, async (req, res) => {
  const { sku, quantity } = req.body as { sku: string; quantity: number };
  await prisma.product.update({ where: { sku }, data: { stock: { increment: Number(quantity) } } });
  res.status(204).end();
});
