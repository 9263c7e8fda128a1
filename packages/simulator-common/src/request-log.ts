/**
 * Request log of a simulator: every request except /__admin ones, as method + path + time. Read it with
 * GET /__admin/request-log (?since=<index>), empty it with DELETE /__admin/request-log. A dry run is proven to write
 * nothing by finding only reads (and logins) here. It also tells the most requests that were ever open at once
 * (`peakInFlight`, from arrival to answer, injected latency included): a client's concurrency, as the server
 * sees it.
 */
import express, { type Router } from 'express';

export interface LoggedRequest {
  method: string;
  path: string;
  at: string;
}

export function requestLog(): Router {
  const log: LoggedRequest[] = [];
  let inFlight = 0;
  let peakInFlight = 0;
  const router = express.Router();
  router.get('/__admin/request-log', (req, res) => {
    const since = Number(req.query.since ?? 0) || 0;
    res.json({ total: log.length, inFlight, peakInFlight, requests: log.slice(since) });
  });
  router.delete('/__admin/request-log', (_req, res) => {
    log.length = 0;
    peakInFlight = inFlight;
    res.status(204).end();
  });
  router.use((req, res, next) => {
    if (!req.path.startsWith('/__admin')) {
      log.push({ method: req.method, path: req.path, at: new Date().toISOString() });
      inFlight++;
      peakInFlight = Math.max(peakInFlight, inFlight);
      res.once('close', () => inFlight--);
    }
    next();
  });
  return router;
}
