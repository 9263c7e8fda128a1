/**
 * Workflows with stub activities: a real Temporal dev server started by the SDK's test environment (the pinned
 * CLI of scripts/install-temporal.sh: the time-skipping test server is a download this machine cannot make), one
 * worker per test file whose activities delegate to whatever stubs the current test set. Workflows run their
 * activities on their own task queue, as they do in a company's lane (lib/lanes.ts).
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../activities';
import { ALL_SEARCH_ATTRIBUTES } from '../../lib/search-attributes';
import { resolveTemporalCli } from '../../temporal/dev-server';

export type Stubs = Partial<{ [K in keyof Activities]: (...args: Parameters<Activities[K]>) => unknown }>;

export interface Harness {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  /** Every activity call of the current test: name and input. */
  calls: Array<{ name: string; input: unknown }>;
  /** Sets the current test's stubs (and clears the calls). */
  stub(stubs: Stubs): void;
  /** Runs `fn` (the worker polls from start to close). */
  run<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

let bundle: Promise<WorkflowBundle> | undefined;

export async function startHarness(activityNames: Array<keyof Activities>): Promise<Harness> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: quietLogger });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: resolveTemporalCli() },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      extraArgs: ['--dynamic-config-value', 'limit.maxIDLength=255'],
    },
  });
  const taskQueue = `workflow-tests-${Math.random().toString(36).slice(2)}`;
  let current: Stubs = {};
  const calls: Harness['calls'] = [];
  const activities = Object.fromEntries(
    activityNames.map((name) => [
      name,
      async (input: unknown) => {
        calls.push({ name, input });
        const fn = current[name] as ((input: unknown) => unknown) | undefined;
        if (!fn) throw ApplicationFailure.nonRetryable(`No stub for ${name}`, 'TestStubMissing');
        return fn(input);
      },
    ]),
  );
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundle,
    activities,
  });
  const running = worker.run();
  return {
    env,
    taskQueue,
    calls,
    stub(stubs) {
      current = stubs;
      calls.length = 0;
    },
    run: (fn) => fn(),
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/** Permanent failures as the activities raise them (lib/errors.ts class names are the failure types). */
export function failure(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
