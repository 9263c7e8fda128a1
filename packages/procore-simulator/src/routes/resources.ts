/**
 * Every public REST resource the simulator serves, mounted in one router (order matters inside each: `/sync`
 * and `/line_items` routes come before `/:id`).
 */
import type { Router } from 'express';
import express from 'express';
import type { ProcoreStore } from '../store';
import { commitmentsRouter } from './commitments';
import { costCodesRouter } from './cost-codes';
import { directoryRouter } from './directory';
import { financialsRouter } from './financials';

export function resourcesRouter(store: ProcoreStore): Router {
  const router = express.Router();
  router.use(directoryRouter(store));
  router.use(costCodesRouter(store));
  router.use(commitmentsRouter(store));
  router.use(financialsRouter(store));
  return router;
}
