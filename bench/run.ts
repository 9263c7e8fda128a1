/**
 * `npm run bench -- <scenario>`: runs a benchmark against the real stack (Temporal dev server, PostgreSQL, both
 * simulators, a worker process) and prints a JSON report. This process runs the simulators and the API, and they
 * allocate a lot: npm's script gives it a 64 MB young generation (--max-semi-space-size), which halved its
 * garbage-collection time in the month-end scenario (8.8 s to 4.8 s of CPU in a small run, measured with
 * --cpu-prof); the worker processes keep Node's defaults.
 *  - commitments [--count 200 --rate 4]: accepted commitments exported to Acumatica (bench/export-commitments.ts);
 *  - nightly-import: the large company's nightly import under both rate limits, then a rerun
 *    (bench/nightly-import.ts);
 *  - intake [--rate 500 --seconds 20]: webhook deliveries from two companies (bench/intake.ts);
 *  - onboard: onboarding of the in-flight company under both rate limits, dry run then writing (bench/onboard.ts);
 *  - month-end [--count 1000 --window 120 --without-import]: three companies, three workers: A's burst of approvals, B's usual
 *    approvals and C's nightly import at once, each Acumatica tenant at its own limits (bench/month-end.ts).
 */
import { parseArgs } from 'node:util';
import { startDevServer } from '../temporal/dev-server';
import { freePort } from '../testing/free-port';
import { startConnectorStack, type StackOptions } from '../testing/connector-stack';
import { benchmarkCommitments } from './export-commitments';
import { benchmarkIntake } from './intake';
import { benchmarkMonthEnd, MONTH_END_STACK } from './month-end';
import { benchmarkOnboard } from './onboard';
import { ACUMATICA_LIMITS, benchmarkNightlyImport, PROCORE_LIMITS } from './nightly-import';
import { DEFAULT_PER_PAGE } from '../clients/procore/http';
import { IMPORT_PAGE_SIZES } from '../lib/import-kinds';

const SCENARIOS: Record<string, { stack: StackOptions; env?: Record<string, string> }> = {
  // This scenario measures the flow itself: Procore's rate limits are raised out of the way.
  commitments: {
    stack: {
      worker: 'child-process',
      acumaticaSimulator: { maxApiUsers: 5 },
      procoreSimulator: { rateLimit: { limitPerHour: 1_000_000, spikeLimit: 100_000 } },
    },
  },
  // Intake only: no worker, nothing exported.
  intake: { stack: { worker: 'none', relayIntervalMs: 500 } },
  'nightly-import': {
    stack: {
      worker: 'child-process',
      acumaticaSimulator: { size: 'large', limits: ACUMATICA_LIMITS, maxApiUsers: 5 },
      procoreSimulator: { seed: { size: 'large' }, rateLimit: PROCORE_LIMITS },
    },
    // The worker paces Acumatica to the license (the Procore client paces itself from the rate-limit headers).
    env: {
      ACUMATICA_MAX_CONCURRENT: String(ACUMATICA_LIMITS.maxConcurrent),
      ACUMATICA_MAX_PER_MINUTE: String(ACUMATICA_LIMITS.maxPerMinute),
    },
  },
  // Onboarding runs in this process (as `connector onboard --local` does), paced by its own Acumatica client.
  onboard: {
    stack: {
      worker: 'none',
      acumaticaSimulator: { size: 'inflight', limits: ACUMATICA_LIMITS, maxApiUsers: 5 },
      procoreSimulator: { seed: { size: 'inflight' }, rateLimit: PROCORE_LIMITS },
    },
  },
  // Three worker processes (started by the scenario once the three companies are connected).
  'month-end': { stack: MONTH_END_STACK },
};

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      count: { type: 'string' },
      window: { type: 'string', default: '120' },
      'without-import': { type: 'boolean', default: false },
      rate: { type: 'string' },
      seconds: { type: 'string', default: '20' },
    },
  });
  const scenario = positionals[0] ?? 'commitments';
  const setup = SCENARIOS[scenario];
  if (!setup) throw new Error(`Unknown scenario "${scenario}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
  process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/test';
  Object.assign(process.env, setup.env);
  const temporal = await startDevServer({ port: await freePort() });
  process.env.TEMPORAL_ADDRESS = temporal.address;
  const stack = await startConnectorStack(setup.stack);
  try {
    const report =
      scenario === 'commitments'
        ? await benchmarkCommitments(stack, {
            count: Number(values.count ?? 200),
            ratePerSecond: Number(values.rate ?? 4),
          })
        : scenario === 'month-end'
          ? await benchmarkMonthEnd(stack, {
              commitments: Number(values.count ?? 1000),
              windowSeconds: Number(values.window),
              withImport: !values['without-import'],
            })
          : scenario === 'intake'
            ? await benchmarkIntake(stack, {
                ratePerSecond: Number(values.rate ?? 500),
                seconds: Number(values.seconds),
              })
            : scenario === 'onboard'
              ? await benchmarkOnboard(stack)
              : await benchmarkNightlyImport(stack, {
                  acumaticaPage: IMPORT_PAGE_SIZES,
                  procorePerPage: DEFAULT_PER_PAGE,
                });
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await stack.stop();
    await temporal.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
