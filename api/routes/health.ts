/** GET /healthz (the process is up) and GET /readyz (Temporal and PostgreSQL reachable). */
import express, { type Router } from 'express';
import type { Client, Connection } from '@temporalio/client';
import type { Db } from '../../store/db';

export function healthRouter(db: Db, temporal: () => Client | undefined): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [postgres, temporalOk] = await Promise.all([
      db.query('SELECT 1').then(
        () => true,
        () => false,
      ),
      (async () => {
        const client = temporal();
        if (!client) return false;
        await (client.connection as Connection).healthService.check({});
        return true;
      })().catch(() => false),
    ]);
    const ready = postgres && temporalOk;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      checks: { postgres: postgres ? 'ok' : 'unreachable', temporal: temporalOk ? 'ok' : 'unreachable' },
    });
  });
  return router;
}
