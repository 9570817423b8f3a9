import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { config } from '../../config/env';

export interface AuthUser {
  id: string;
  role: 'customer' | 'staff' | 'admin';
}

declare global {
  namespace Express {
    interface Request {
      user?: AuthUser;
    }
  }
}

function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

/** Verifies the access token of every /api/orders request. */
export function authenticate(req: Request, res: Response, next: NextFunction) {
  const token = bearerToken(req);
  if (!token) return res.status(401).json({ error: 'Missing bearer token' });
  try {
    // Pitfall: no `algorithms` allow-list, so any algorithm that fits the key is accepted.
    const claims = jwt.verify(token, config.jwt.secret) as jwt.JwtPayload;
    req.user = { id: String(claims.sub), role: claims.role };
    return next();
  } catch {
    return res.status(401).json({ error: 'Invalid token' });
  }
}

/** The same check done right: pinned algorithm, issuer and audience. */
export function authenticateStrict(req: Request, res: Response, next: NextFunction) {
  const token = bearerToken(req);
  if (!token) return res.status(401).json({ error: 'Missing bearer token' });
  try {
    const claims = jwt.verify(token, config.jwt.secret, {
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
    }) as jwt.JwtPayload;
    req.user = { id: String(claims.sub), role: claims.role };
    return next();
  } catch {
    return res.status(401).json({ error: 'Invalid token' });
  }
}

export function requireRole(role: AuthUser['role']) {
  return (req: Request, res: Response, next: NextFunction) =>
    req.user?.role === role ? next() : res.status(403).json({ error: 'Forbidden' });
}
