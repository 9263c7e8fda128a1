/**
 * The webhook start queue (api/start-queue.ts): answers first, so starts wait while deliveries arrive in a burst and
 * run once it has passed; a delivery queued by the route is not started a second time by the relay's pass.
 */
import type { Client } from '@temporalio/client';
import { noteDeliveryArrival, StartQueue } from '../../api/start-queue';
import type { Db } from '../../store/db';

const db = { query: jest.fn().mockResolvedValue({ rows: [], rowCount: 0 }) } as unknown as Db;
const fakeClient = () => {
  const started: string[] = [];
  const client = {
    workflow: { start: jest.fn(async (_type: string, o: { workflowId: string }) => void started.push(o.workflowId)) },
  } as unknown as Client;
  return { client, started };
};
const item = (n: number) => ({
  companyId: '4271',
  deliveryId: `d${n}`,
  target: { workflowId: `erp-4271-request-${n}`, companyId: '4271', erpRequestId: String(n) },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('during a burst (over 50 deliveries a second) starts wait; they run once it has passed', async () => {
  const { client, started } = fakeClient();
  const queue = new StartQueue(db, 'q');
  for (let i = 0; i < 60; i++) noteDeliveryArrival();
  expect(queue.offer(client, item(1))).toBe(true);
  await sleep(300);
  expect(started).toEqual([]); // still inside the one-second window of the burst
  await sleep(1000);
  expect(started).toEqual(['erp-4271-request-1']);
});

test('normal traffic starts at once; a delivery already queued is not started again by another queue', async () => {
  await sleep(1100); // no burst in the window
  const { client, started } = fakeClient();
  const route = new StartQueue(db, 'q');
  const relay = new StartQueue(db, 'q');
  noteDeliveryArrival();
  route.offer(client, item(2));
  expect(await relay.startAll(client, [item(2), item(3)])).toBe(1);
  await sleep(50);
  expect(started.sort()).toEqual(['erp-4271-request-2', 'erp-4271-request-3']);
});
