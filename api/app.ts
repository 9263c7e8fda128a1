/** The connector's HTTP API. It validates, persists and starts workflows; it never calls Procore or Acumatica. */
import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Db } from '../store/db';
import { requireOperatorKey } from './auth';
import { ApiError, errorHandler, sendError } from './errors';
import { adoptionRouter } from './routes/adoption';
import { healthRouter } from './routes/health';
import { importsRouter } from './routes/imports';
import { metricsRouter, observeApiRequests } from './routes/metrics';
import { openApiRouter } from './routes/openapi';
import { procoreWebhookRouter } from './routes/procore-webhooks';
import { syncsRouter } from './routes/syncs';

export interface ApiDeps {
  db: Db;
  /** The Temporal client once connected; undefined while Temporal is unreachable. */
  temporal: () => Client | undefined;
  taskQueue: string;
}

export function createApp({ db, temporal, taskQueue }: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // API answers are never cached: no ETag to compute for every response (measurable at 500 deliveries/s).
  app.set('etag', false);
  app.use(observeApiRequests);
  app.use(requireOperatorKey(db));
  app.use(healthRouter(db, temporal));
  app.use(metricsRouter(db));
  app.use(openApiRouter());
  app.use(procoreWebhookRouter({ db, temporal, taskQueue }));
  app.use(importsRouter(db, temporal, taskQueue));
  app.use(syncsRouter(temporal));
  app.use(adoptionRouter(db, temporal, taskQueue));
  app.use((req, res) => sendError(res, new ApiError('not_found', `No route ${req.method} ${req.path}.`)));
  app.use(errorHandler);
  return app;
}
