/** The Procore simulator's public API: create one in-process, or start one on a port (tests, demos, benchmarks). */
export { createProcoreSimulator, type ProcoreSimulator, type ProcoreSimulatorOptions } from './server';
export {
  startProcoreSimulator,
  startWebhookReceiver,
  addDemoCommitment,
  type RunningProcoreSimulator,
  type ReceivedWebhook,
  type WebhookReceiver,
} from './testing';
export { ProcoreStore } from './store';
export type { SeedOptions, SeedSize } from './seed';
