import { createHash, randomBytes } from 'node:crypto';
import { prisma } from './db';

/**
 * Pitfalls: the key comes from Math.random (predictable), carries no recognisable prefix, and is stored as is,
 * so a database leak hands out working keys.
 */
export async function issueApiKey(partnerId: string): Promise<string> {
  const apiKey = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  await prisma.partnerKey.create({ data: { partnerId, key: apiKey } });
  return apiKey;
}

/** Correct: CSPRNG, prefix, only a hash and a display prefix stored. */
export async function issueApiKeySafely(partnerId: string): Promise<{ id: string; key: string }> {
  const key = `acme_pk_${randomBytes(24).toString('base64url')}`;
  const record = await prisma.partnerKey.create({
    data: { partnerId, prefix: key.slice(0, 12), keyHash: createHash('sha256').update(key).digest('hex') },
  });
  return { id: record.id, key };
}

/** Pitfall: support-staff passwords hashed with MD5. */
export async function createSupportAgent(email: string, password: string) {
  const passwordHash = createHash('md5').update(password).digest('hex');
  return prisma.supportAgent.create({ data: { email, passwordHash } });
}

/** MD5 as a content fingerprint (ETag) is not a security use: fine. */
export function etagOf(body: string): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}
