import { Router } from 'express';
import { z } from 'zod';
import { requireRole } from '../middleware/authenticate';
import { prisma } from '../services/db';

const createOrder = z.object({
  items: z.array(z.object({ sku: z.string().max(64), quantity: z.number().int().min(1).max(100) })).min(1).max(50),
  shippingAddressId: z.string().uuid(),
}).strict();

export const ordersRouter = Router();

// Every query is scoped to the authenticated customer.
ordersRouter.get('/', async (req, res) => {
  const take = Math.min(Number(req.query.pageSize ?? 20), 100);
  const orders = await prisma.order.findMany({ where: { customerId: req.user!.id }, orderBy: { createdAt: 'desc' }, take });
  res.json(orders.map((o) => ({ id: o.id, status: o.status, total: o.total, createdAt: o.createdAt })));
});

ordersRouter.get('/:id', async (req, res) => {
  const order = await prisma.order.findFirst({ where: { id: req.params.id, customerId: req.user!.id } });
  if (!order) return res.status(404).json({ error: 'Not found' });
  return res.json({ id: order.id, status: order.status, total: order.total, items: order.items });
});

ordersRouter.post('/', async (req, res) => {
  const input = createOrder.parse(req.body);
  const order = await prisma.order.create({ data: { customerId: req.user!.id, items: input.items, shippingAddressId: input.shippingAddressId, status: 'pending' } });
  res.status(201).json({ id: order.id, status: order.status });
});

ordersRouter.post('/:id/refund', requireRole('staff'), async (req, res) => {
  const order = await prisma.order.update({ where: { id: req.params.id }, data: { status: 'refunded' } });
  res.json({ id: order.id, status: order.status });
});
