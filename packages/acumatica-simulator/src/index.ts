/** The Acumatica simulator's public API: one instance of a chosen release, in-process or on a port. */
export {
  createAcumaticaSimulator,
  DEMO_OAUTH_CLIENT,
  type AcumaticaSimulator,
  type AcumaticaSimulatorOptions,
} from './server';
export { RELEASES, RELEASE_VERSIONS, type AcumaticaRelease } from './contract';
export { SEED_SIZES, type SeedSize } from './seed';
