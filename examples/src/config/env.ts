import 'dotenv/config';

/** Reads a required variable and fails at start-up when it is missing. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export const config = {
  env: process.env.NODE_ENV ?? 'development',
  port: Number(process.env.PORT ?? 3000),
  databaseUrl: requireEnv('DATABASE_URL'),
  jwt: {
    // Pitfall: a guessable fallback secret. When JWT_SECRET is unset (a forgotten variable in one environment),
    // every token is signed and verified with 'dev-secret'.
    secret: process.env.JWT_SECRET || 'dev-secret',
    issuer: process.env.JWT_ISSUER ?? 'https://auth.acme-shop.test',
    audience: process.env.JWT_AUDIENCE ?? 'acme-shop-api',
    accessTtl: '15m',
  },
  partners: {
    jwksUri: requireEnv('PARTNER_JWKS_URI'),
  },
} as const;
