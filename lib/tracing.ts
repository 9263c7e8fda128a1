/**
 * Optional OpenTelemetry tracing: on when OTEL_EXPORTER_OTLP_ENDPOINT is set (OTLP over HTTP/JSON to
 * `<endpoint>/v1/traces`), off otherwise (then nothing here is loaded into a span path and every helper is a
 * no-op). One export is one trace: the API's request span (api/app.ts) -> the client's StartWorkflow span
 * (@temporalio/interceptors-opentelemetry client interceptor, temporal/connection.ts) -> the workflow and its
 * activities (worker interceptors and the workflow interceptor module built into the tracing bundle,
 * workers/create-worker.ts) -> one span per HTTP call to Procore or Acumatica (lib/upstream-observer.ts).
 *
 * Context propagates across async calls with AsyncLocalStorage (the same mechanism as OpenTelemetry's
 * AsyncLocalStorageContextManager, written out here to avoid another package).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import * as otel from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

class AsyncLocalStorageContextManager implements otel.ContextManager {
  private readonly storage = new AsyncLocalStorage<otel.Context>();
  active(): otel.Context {
    return this.storage.getStore() ?? otel.ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: otel.Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(context, () => fn.apply(thisArg, args));
  }
  bind<T>(context: otel.Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = (...args: unknown[]) => this.with(context, () => (target as (...a: unknown[]) => unknown)(...args));
    return run as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

export interface Tracing {
  resource: Resource;
  spanProcessor: SpanProcessor;
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/** The process's tracing, once `startTracing` ran with an endpoint. */
export function tracing(): Tracing | undefined {
  return active;
}

/**
 * Registers the global tracer provider exporting to `endpoint`. Undefined endpoint: tracing stays off. Once per
 * process; later calls return the first.
 */
export function startTracing(opts: { endpoint?: string; serviceName: string }): Tracing | undefined {
  if (active || !opts.endpoint) return active;
  // Loaded only when tracing is on: a worker without it carries none of the SDK.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { Resource } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { BasicTracerProvider, BatchSpanProcessor } =
    require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const resource = new Resource({ 'service.name': opts.serviceName });
  const url = `${opts.endpoint.replace(/\/+$/, '')}/v1/traces`;
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 500 });
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager() });
  active = { resource, spanProcessor, shutdown: () => provider.shutdown() };
  return active;
}

const tracer = () => otel.trace.getTracer('procore-acumatica-connector');

/** A finished client span for an HTTP call already made (the clients' send functions time their own calls). */
export function recordClientSpan(o: {
  name: string;
  startTime: number;
  durationMs: number;
  attributes: otel.Attributes;
  error?: string;
}): void {
  if (!active) return;
  const span = tracer().startSpan(o.name, {
    kind: otel.SpanKind.CLIENT,
    startTime: o.startTime,
    attributes: o.attributes,
  });
  if (o.error) span.setStatus({ code: otel.SpanStatusCode.ERROR, message: o.error });
  span.end(o.startTime + o.durationMs);
}

/** Runs `fn` inside a server span (the API's requests); without tracing, just runs it. */
export function withServerSpan<T>(name: string, attributes: otel.Attributes, fn: (span?: otel.Span) => T): T {
  if (!active) return fn();
  const span = tracer().startSpan(name, { kind: otel.SpanKind.SERVER, attributes });
  return otel.context.with(otel.trace.setSpan(otel.context.active(), span), () => fn(span));
}
