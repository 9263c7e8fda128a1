/**
 * Request log of a simulator: every request except /__admin ones, as method + path + time. Read it with
 * GET /__admin/request-log (?since=<index>), empty it with DELETE /__admin/request-log. A dry run is proven to write
 * nothing by finding only reads (and logins) here.
 */
import express, { type Router } from 'express';

export interface LoggedRequest {
  method: string;
  path: string;
  at: string;
}

export function requestLog(): Router {
  const log: LoggedRequest[] = [];
  const router = express.Router();
  router.get('/__admin/request-log', (req, res) => {
    const since = Number(req.query.since ?? 0) || 0;
    res.json({ total: log.length, requests: log.slice(since) });
  });
  router.delete('/__admin/request-log', (_req, res) => {
    log.length = 0;
    res.status(204).end();
  });
  router.use((req, _res, next) => {
    if (!req.path.startsWith('/__admin'))
      log.push({ method: req.method, path: req.path, at: new Date().toISOString() });
    next();
  });
  return router;
}
