/**
 * `npm run bench -- <scenario>`: runs a benchmark against the real stack (Temporal dev server, PostgreSQL, both
 * simulators, a worker process) and prints a JSON report. Scenarios: commitments.
 * Options: --count N (default 200), --rate N accepts per second (default 4).
 */
import { parseArgs } from 'node:util';
import { startDevServer } from '../temporal/dev-server';
import { freePort } from '../tests/global-setup';
import { startConnectorStack } from '../tests/helpers/connector-stack';
import { benchmarkCommitments } from './export-commitments';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { count: { type: 'string', default: '200' }, rate: { type: 'string', default: '4' } },
  });
  const scenario = positionals[0] ?? 'commitments';
  process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/test';
  const temporal = await startDevServer({ port: await freePort() });
  process.env.TEMPORAL_ADDRESS = temporal.address;
  // This scenario measures the flow itself: Procore's rate limits are raised out of the way (the nightly-import
  // scenario is the one run under them).
  const stack = await startConnectorStack({
    worker: 'child-process',
    acumaticaSimulator: { maxApiUsers: 5 },
    procoreSimulator: { rateLimit: { limitPerHour: 1_000_000, spikeLimit: 100_000 } },
  });
  try {
    if (scenario !== 'commitments') throw new Error(`Unknown scenario "${scenario}"; known: commitments`);
    const report = await benchmarkCommitments(stack, {
      count: Number(values.count),
      ratePerSecond: Number(values.rate),
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
