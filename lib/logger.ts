/**
 * The one logger of the API, the worker and the CLI (pino): JSON lines on stdout, or pino-pretty when stdout is a
 * terminal (`npm start`, a person at a shell); LOG_FORMAT=json|pretty decides instead. Level from LOG_LEVEL (lib/config.ts; read here directly as well so
 * a module that logs before the config is loaded still honours it).
 *
 * Secrets can never be logged, by two independent layers:
 *  - redaction by key (REDACT_PATHS): passwords, tokens, client secrets, API keys, cookies and Authorization
 *    headers, at any of the first three levels of a log object, are replaced by "[REDACTED]";
 *  - a last pass over every serialized line (`scrub`): the values of secret-looking environment variables
 *    (ACUMATICA_PASSWORD_<company>, PROCORE_CLIENT_SECRET, TEMPORAL_API_KEY, ...), any value registered with
 *    `registerSecret` (a password resolved from a reference), and anything after `Bearer ` or `password=` are
 *    replaced wherever they appear, in messages and error stacks included, and so is the password of a URL
 *    (`postgresql://user:password@host`).
 *
 * Log context: `withLogContext` binds a child logger (and the company) to an async call chain; `currentLogger()`
 * returns it. The worker's activity interceptor (workers/interceptors.ts) binds one per activity, so the clients'
 * request logs carry workflowId, runId, activityType, attempt and companyId without any activity passing them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Object keys whose values are never written, whatever their nesting (up to three levels). */
export const SECRET_KEYS = [
  'password',
  'passwd',
  'secret',
  'clientSecret',
  'client_secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'webhookToken',
  'apiKey',
  'api_key',
  'operatorKey',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'Set-Cookie',
] as const;

const keyPath = (prefix: string, key: string) =>
  /^[A-Za-z_$][\w$]*$/.test(key) ? `${prefix}${prefix ? '.' : ''}${key}` : `${prefix}["${key}"]`;

/** pino redact paths: every SECRET_KEY at depth 0, 1 and 2 (`password`, `*.password`, `*.*.password`). */
export const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [keyPath('', k), keyPath('*', k), keyPath('*.*', k)]);

const SECRET_ENV = /(PASSWORD|SECRET|TOKEN|API_KEY|PRIVATE_KEY)/i;
const MIN_SECRET_CHARS = 6;
const secrets = new Set<string>();

/** A value that must never appear in a log line (a resolved password, a key shown once). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= MIN_SECRET_CHARS) {
    secrets.add(value);
    // As it appears inside a JSON string too.
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value) secrets.add(escaped);
  }
}

/** Registers the values of secret-looking variables (ACUMATICA_PASSWORD_*, PROCORE_CLIENT_SECRET, ...). */
export function registerSecretsFromEnv(env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(env)) if (SECRET_ENV.test(name)) registerSecret(value);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The last pass over a serialized line: known secret values and credential-shaped text become [REDACTED]. */
export function scrub(line: string): string {
  let out = line
    .replace(/(Bearer|Basic)\s+[^\s"',;]+/gi, '$1 [REDACTED]')
    .replace(/((?:password|client_secret|refresh_token|access_token|token)=)[^\s&"']+/gi, '$1[REDACTED]')
    .replace(/(\/\/[^:/@\s"']+:)[^@/\s"']+@/g, '$1[REDACTED]@'); // postgresql://user:password@host
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.replace(new RegExp(escapeRegExp(secret), 'g'), '[REDACTED]');
  }
  return out;
}

/** Where the root logger writes; tests swap it to capture lines (`setLogDestination`). */
let destination: DestinationStream | undefined;
const switchable = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    (destination ?? process.stdout).write(chunk.toString());
    callback();
  },
});

/** Fields a terminal does not show (the JSON lines keep them). */
const PRETTY_HIDDEN = [
  'pid',
  'hostname',
  'runId',
  'workflowRunId',
  'workflowType',
  'activityId',
  'taskQueue',
  'namespace',
  'isLocal',
  'sdkComponent',
  'taskQueue',
  'route',
  'err.stack',
];

function prettyStream(): DestinationStream | undefined {
  try {
    // A devDependency: in a production image without it, a terminal gets JSON.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (o: object) => DestinationStream;
    // One line per event for a person: the message and the few fields that say which record; the rest of the
    // context is in the JSON lines (LOG_FILE, `npm start` writes .data/logs/).
    return pretty({
      destination: switchable,
      colorize: true,
      sync: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: PRETTY_HIDDEN.join(','),
    });
  } catch {
    return undefined;
  }
}

function initialLevel(): LogLevel {
  const level = process.env.LOG_LEVEL;
  return (LOG_LEVELS as readonly string[]).includes(level ?? '') ? (level as LogLevel) : 'info';
}

/** pino options shared by the root logger and tests' own loggers. */
export function loggerOptions(level: LogLevel): pino.LoggerOptions {
  return {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    serializers: { err: pino.stdSerializers.err },
    hooks: { streamWrite: scrub },
  };
}

/** With LOG_FILE the logger's own level is `debug` (for the file); the console's comes from LOG_LEVEL at start. */
let fileLogging = false;

function createRootLogger(): Logger {
  registerSecretsFromEnv();
  const format = process.env.LOG_FORMAT;
  const usePretty = format === 'pretty' || (format !== 'json' && process.stdout.isTTY);
  const stream = (usePretty && prettyStream()) || switchable;
  const file = process.env.LOG_FILE;
  if (!file) return pino(loggerOptions(initialLevel()), stream);
  // Everything from debug up as JSON lines to the file; the console at LOG_LEVEL.
  const consoleLevel = initialLevel();
  const streams: pino.StreamEntry[] = [
    { level: consoleLevel === 'silent' ? 'fatal' : consoleLevel, stream },
    { level: 'debug', stream: pino.destination({ dest: file, mkdir: true, sync: true }) },
  ];
  fileLogging = true;
  return pino(loggerOptions('debug'), pino.multistream(streams));
}

/** The process's root logger. Use `logger.child({ component: 'api' })` and the like. */
export const logger: Logger = createRootLogger();

/** After the config is loaded: its LOG_LEVEL (and secrets from the environment it was read from). */
export function configureLogging(opts: { level?: LogLevel; env?: NodeJS.ProcessEnv } = {}): void {
  if (opts.level && !fileLogging) logger.level = opts.level;
  registerSecretsFromEnv(opts.env ?? process.env);
}

/** Send the root logger's lines to `stream` (the CLI: stderr, its stdout is the command's output; tests: a
 * capture). Undefined: back to stdout. */
export function setLogDestination(stream: DestinationStream | undefined): void {
  destination = stream;
}

// ------------------------------------------------------------------------------------------------ context

export interface LogContext {
  logger: Logger;
  /** The Procore company the current work is for (metrics label it). */
  companyId?: string;
}

const context = new AsyncLocalStorage<LogContext>();

export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return context.run(ctx, fn);
}

/** The logger bound to the current activity (or other unit of work), else the root logger. */
export function currentLogger(): Logger {
  return context.getStore()?.logger ?? logger;
}

export function currentCompanyId(): string | undefined {
  return context.getStore()?.companyId;
}

/** A short, bounded name for an error, for logs and metric labels: the connector's error class or a code. */
export function errorKind(err: unknown): string {
  const e = err as { name?: unknown; code?: unknown; cause?: { code?: unknown } };
  if (typeof e?.name === 'string' && e.name !== 'Error') return e.name;
  if (typeof e?.code === 'string') return e.code;
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return 'Error';
}
