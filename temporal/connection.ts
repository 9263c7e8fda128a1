/**
 * Connections to Temporal from config: the local dev server, a self-hosted cluster (TEMPORAL_ADDRESS), or
 * Temporal Cloud (TEMPORAL_API_KEY, which implies TLS).
 */
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { Config } from '../lib/config';
import { tracing } from '../lib/tracing';

type TemporalConfig = Pick<Config, 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TLS' | 'TEMPORAL_API_KEY'> & {
  TEMPORAL_ADDRESS?: string;
};

function connectionOptions(config: TemporalConfig): ConnectionOptions & NativeConnectionOptions {
  const apiKey = config.TEMPORAL_API_KEY;
  return {
    address: config.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    tls: config.TEMPORAL_TLS || apiKey ? {} : undefined,
    apiKey,
    metadata: apiKey ? { 'temporal-namespace': config.TEMPORAL_NAMESPACE } : undefined,
  };
}

export async function connectClient(config: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, interceptors: clientInterceptors() });
}

/** With tracing on (lib/tracing.ts): starting a workflow opens the span its workflow and activities join. */
export function clientInterceptors(): { workflow: WorkflowClientInterceptor[] } | undefined {
  if (!tracing()) return undefined;
  type OtelClient = typeof import('@temporalio/interceptors-opentelemetry/lib/client');
  // Loaded only with tracing on.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const otel = require('@temporalio/interceptors-opentelemetry/lib/client') as OtelClient;
  return { workflow: [new otel.OpenTelemetryWorkflowClientInterceptor()] };
}

export function connectWorker(config: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config));
}
