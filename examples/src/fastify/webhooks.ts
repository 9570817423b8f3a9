import type { FastifyInstance } from 'fastify';
import { createHmac, timingSafeEqual } from 'node:crypto';

// Pitfall: the signing secret of the payment provider's webhooks is written into the code.
const webhookSecret = 'h7Kq2vN9xPz4Lw8Rt3Ys6Ub1Mc5Fd0Ge';

export default async function webhooks(app: FastifyInstance) {
  app.post('/payments', { config: { rawBody: true } }, async (request, reply) => {
    const raw = JSON.stringify(request.body);
    const expected = createHmac('sha256', webhookSecret).update(raw).digest('hex');
    // Pitfall: the signature is compared with `===` (timing leak).
    if (request.headers['x-signature'] === expected) {
      app.log.info({ event: (request.body as { type?: string }).type }, 'payment event');
      return reply.code(204).send();
    }
    return reply.code(400).send({ error: 'bad signature' });
  });

  app.post('/shipping', async (request, reply) => {
    const secret = process.env.SHIPPING_WEBHOOK_SECRET;
    if (!secret) return reply.code(503).send();
    const presented = Buffer.from(String(request.headers['x-signature'] ?? ''), 'hex');
    // HMAC-SHA1 as a MAC (the carrier's legacy scheme) compared in constant time: fine.
    const expected = createHmac('sha1', secret).update(JSON.stringify(request.body)).digest();
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return reply.code(400).send();
    return reply.code(204).send();
  });
}
