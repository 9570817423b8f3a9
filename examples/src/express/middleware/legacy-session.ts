import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';

/**
 * Kept for the mobile app v1, which sends its token in a cookie.
 * Pitfall: `jwt.decode` does not check the signature, yet its claims become the request's user.
 */
export function legacyMobileSession(req: Request, res: Response, next: NextFunction) {
  const raw = req.headers.cookie?.match(/(?:^|;\s*)session=([^;]+)/)?.[1];
  if (!raw) return res.status(401).end();
  const claims = jwt.decode(raw) as { sub: string; role: 'customer' | 'staff' | 'admin' } | null;
  if (!claims) return res.status(401).end();
  req.user = { id: claims.sub, role: claims.role };
  return next();
}

/** Reading `exp` to decide whether to refresh is fine: nothing is trusted from the decoded token. */
export function needsRefresh(token: string): boolean {
  const decoded = jwt.decode(token) as { exp?: number } | null;
  return !decoded?.exp || decoded.exp * 1000 - Date.now() < 60_000;
}
