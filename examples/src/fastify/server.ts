import Fastify from 'fastify';
import helmet from '@fastify/helmet';
import fastifyJwt from '@fastify/jwt';
import webhooks from './webhooks';

export async function buildWebhookService() {
  const app = Fastify({ logger: { level: 'info', redact: ['req.headers.authorization'] } });
  await app.register(helmet);
  // Pitfalls: env fallback to a weak literal, and neither `verify.algorithms` nor a sign expiry.
  await app.register(fastifyJwt, { secret: process.env.WEBHOOK_JWT_SECRET ?? 'webhooks-dev' });

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/hooks/')) return;
    try {
      await request.jwtVerify();
    } catch {
      await reply.code(401).send({ error: 'Unauthorized' });
    }
  });

  app.post('/token', async (request, reply) => {
    const { clientId } = request.body as { clientId: string };
    const token = await reply.jwtSign({ sub: clientId, scope: 'webhooks:manage' });
    return { token };
  });

  await app.register(webhooks, { prefix: '/hooks' });
  return app;
}

if (require.main === module) {
  void buildWebhookService().then((app) => app.listen({ port: Number(process.env.PORT ?? 3002), host: '0.0.0.0' }));
}
