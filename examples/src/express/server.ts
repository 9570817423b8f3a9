import { app } from './app';
import { config } from '../config/env';
import { logger } from '../lib/logger';

app.listen(config.port, () => logger.info({ port: config.port }, 'orders API listening'));
