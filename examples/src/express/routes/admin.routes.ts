import { Router, type NextFunction, type Request, type Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { issueApiKey, issueApiKeySafely } from '../services/api-keys';
import { logger } from '../../lib/logger';

export const adminRouter = Router();

/** Pitfall: the admin key is compared with `!==`, which leaks how many leading characters matched. */
function requireAdminKey(req: Request, res: Response, next: NextFunction) {
  if (req.header('x-admin-key') !== process.env.ADMIN_API_KEY) return res.status(401).json({ error: 'Unauthorized' });
  return next();
}

/** The same check in constant time. */
export function requireAdminKeyStrict(req: Request, res: Response, next: NextFunction) {
  const adminKey = process.env.ADMIN_API_KEY;
  if (!adminKey) return res.status(503).json({ error: 'Admin API disabled' });
  const presented = Buffer.from(String(req.header('x-admin-key') ?? ''));
  const expected = Buffer.from(adminKey);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return res.status(401).json({ error: 'Unauthorized' });
  }
  return next();
}

adminRouter.use(requireAdminKey);

adminRouter.post('/partners/:id/keys', async (req, res) => {
  // Pitfall: the whole header set, Authorization and the admin key included, goes to the logs.
  console.log('issuing partner key', req.params.id, req.headers);
  const key = await issueApiKey(req.params.id);
  res.status(201).json({ key });
});

adminRouter.post('/partners/:id/keys/v2', async (req, res) => {
  logger.info({ partnerId: req.params.id }, 'issuing partner key');
  const issued = await issueApiKeySafely(req.params.id);
  res.status(201).json(issued);
});
