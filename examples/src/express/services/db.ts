import { PrismaClient } from '@prisma/client';
import { Pool } from 'pg';
import { config } from '../../config/env';

export const prisma = new PrismaClient({ datasources: { db: { url: config.databaseUrl } } });

// Pitfall: the reporting replica's credentials are written into the code.
export const reportingPool = new Pool({
  connectionString: 'postgres://reporting:Spring-Sale-2024@replica.db.acme-shop.internal:5432/shop',
  max: 5,
});
