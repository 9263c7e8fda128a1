/** Ports of the local stack started by `npm start` (and read by `npm run demo`). */
export const LOCAL_PORTS = {
  api: Number(process.env.API_PORT ?? 3000),
  temporal: 7233,
  temporalUi: 8233,
  procoreSim: Number(process.env.PROCORE_SIM_PORT ?? 4010),
  acumaticaSim: Number(process.env.ACUMATICA_SIM_PORT ?? 4020),
  embeddedPostgres: 5433,
} as const;
