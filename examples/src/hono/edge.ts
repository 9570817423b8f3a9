import { Hono } from 'hono';
import { jwt } from 'hono/jwt';
import { secureHeaders } from 'hono/secure-headers';
import { createRemoteJWKSet, jwtVerify } from 'jose';

type Env = { Bindings: { JWT_SECRET: string; IDP_ISSUER: string } };

const app = new Hono<Env>();
app.use('*', secureHeaders());

// Pitfall: no `alg`, so older Hono versions default silently (and newer ones throw).
app.use('/api/*', (c, next) => jwt({ secret: c.env.JWT_SECRET })(c, next));

// Correct: the algorithm is pinned.
app.use('/internal/*', (c, next) => jwt({ secret: c.env.JWT_SECRET, alg: 'HS256' })(c, next));

const idpKeys = createRemoteJWKSet(new URL('https://login.acme-shop.test/.well-known/jwks.json'));

app.get('/api/me', (c) => c.json({ user: c.get('jwtPayload') }));

// Pitfalls: ID tokens from the shared identity provider verified without `algorithms` and without `audience`,
// so a token minted for any other application of the same provider is accepted.
app.post('/sso/callback', async (c) => {
  const { idToken } = await c.req.json<{ idToken: string }>();
  const { payload } = await jwtVerify(idToken, idpKeys, { issuer: c.env.IDP_ISSUER });
  return c.json({ sub: payload.sub });
});

app.post('/sso/callback/v2', async (c) => {
  const { idToken } = await c.req.json<{ idToken: string }>();
  const { payload } = await jwtVerify(idToken, idpKeys, { issuer: c.env.IDP_ISSUER, audience: 'acme-shop-web', algorithms: ['RS256'] });
  return c.json({ sub: payload.sub });
});

export default app;
