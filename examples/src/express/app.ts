import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import cors from 'cors';
import rateLimit from 'express-rate-limit';
import { authenticate } from './middleware/authenticate';
import { adminRouter } from './routes/admin.routes';
import { authRouter } from './routes/auth.routes';
import { ordersRouter } from './routes/orders.routes';
import { partnersRouter } from './routes/partners.routes';
import { logger } from '../lib/logger';

export const app = express();

app.disable('x-powered-by');
app.use(helmet());
app.use(cors({ origin: ['https://shop.acme-shop.test'], credentials: true }));
app.use(express.json({ limit: '100kb' }));

app.get('/health', (_req, res) => res.json({ status: 'ok' }));
app.use('/api/auth', rateLimit({ windowMs: 60_000, max: 10 }), authRouter);
app.use('/api/orders', authenticate, ordersRouter);
app.use('/api/partners', partnersRouter);
app.use('/api/admin', adminRouter);

app.use((err: Error, req: Request, res: Response, _next: NextFunction) => {
  logger.error({ err, path: req.path }, 'unhandled error');
  res.status(500).json({ error: 'Internal Server Error' });
});
