import fs from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { config } from '../../config/env';

const PUBLIC_KEY = fs.readFileSync(path.join(__dirname, '../../../keys/public.pem'));

/** Tokens from the old identity service. */
export function verifyLegacyToken(token: string) {
  // Pitfall: 'none' is in the list, so an unsigned token passes.
  return jwt.verify(token, config.jwt.secret, { algorithms: ['HS256', 'none'] });
}

/** Password-reset links. */
export function verifyResetToken(token: string) {
  // Pitfall: expiry switched off "because clocks drift" — a reset link then works forever.
  return jwt.verify(token, config.jwt.secret, { algorithms: ['HS256'], ignoreExpiration: true });
}

/** Tokens minted by the partner portal (RS256), but the list also admits HS256 with the public key as HMAC secret. */
export function verifyPartnerToken(token: string) {
  return jwt.verify(token, PUBLIC_KEY, { algorithms: ['RS256', 'HS256'] });
}

/** Pitfall: the algorithm is read from the token's own (unverified) header. */
export function verifyAnyToken(token: string) {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded) throw new Error('malformed token');
  return jwt.verify(token, PUBLIC_KEY, { algorithms: [decoded.header.alg as jwt.Algorithm] });
}

/** Correct: one algorithm, issuer and audience pinned, short clock tolerance. */
export function verifyAccessToken(token: string) {
  return jwt.verify(token, PUBLIC_KEY, {
    algorithms: ['RS256'], issuer: config.jwt.issuer, audience: config.jwt.audience, clockTolerance: 5,
  });
}
