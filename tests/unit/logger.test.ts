/**
 * lib/logger.ts: secrets fed in every way a log call could carry them (fields, nested headers, cookies, error
 * messages and stacks, the Authorization header's text) never reach the output; and the log context.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import {
  currentCompanyId,
  currentLogger,
  errorKind,
  loggerOptions,
  logger as rootLogger,
  registerSecret,
  registerSecretsFromEnv,
  scrub,
  withLogContext,
} from '../../lib/logger';

function capture() {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  });
  return { log: pino(loggerOptions('debug'), stream), output: () => out };
}

describe('redaction', () => {
  const password = 'Acu-Passw0rd!-7731';
  const clientSecret = 'procore-client-secret-5f2c9a';
  const webhookToken = 'wh_9c1f2e0b7d5a4c3b2a19';
  const operatorKey = 'ck_live_0123456789abcdef';
  const envSecret = 'env-only-secret-value-42';

  beforeAll(() => {
    registerSecret(password);
    registerSecretsFromEnv({ PROCORE_CLIENT_SECRET: clientSecret, ACUMATICA_PASSWORD_4271: envSecret, HOME: '/root' });
  });

  it('never writes a secret, in fields, headers, cookies, messages or errors', () => {
    const { log, output } = capture();
    log.info({ password, token: webhookToken, apiKey: operatorKey }, 'fields');
    log.info(
      { request: { headers: { authorization: `Bearer ${webhookToken}`, cookie: `ASP.NET_SessionId=${password}` } } },
      'nested',
    );
    log.info(
      { body: { name: 'procore.sync', password, client_secret: clientSecret, refresh_token: 'r-123456789' } },
      'body',
    );
    log.warn(`login with Authorization: Bearer ${operatorKey} failed`);
    log.error({ err: new Error(`sign-in failed for password=${password} and ${envSecret}`) }, 'error');
    log.info({ res: { headers: { 'set-cookie': [`.ASPXAUTH=${password}`] } } }, 'set-cookie');
    const text = output();
    for (const secret of [password, clientSecret, webhookToken, operatorKey, envSecret, 'r-123456789']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[REDACTED]');
    expect(text).toContain('procore.sync'); // what is not secret stays
  });

  it('scrub replaces registered values and credential-shaped text', () => {
    expect(scrub(`x ${password} y`)).toBe('x [REDACTED] y');
    expect(scrub('Authorization: Bearer abc.def')).toBe('Authorization: Bearer [REDACTED]');
    expect(scrub('?client_secret=s3cr3t&x=1')).toBe('?client_secret=[REDACTED]&x=1');
    expect(scrub('connect postgresql://connector:pg-S3cret@db:5432/connector failed')).toBe(
      'connect postgresql://connector:[REDACTED]@db:5432/connector failed',
    );
    expect(scrub('see http://127.0.0.1:4010/rest/v1.0')).toBe('see http://127.0.0.1:4010/rest/v1.0');
  });
});

describe('log context', () => {
  it('binds a child logger and the company to an async call chain', async () => {
    expect(currentLogger()).toBe(rootLogger);
    const child = rootLogger.child({ workflowId: 'wf' });
    await withLogContext({ logger: child, companyId: '4271' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(currentLogger()).toBe(child);
      expect(currentCompanyId()).toBe('4271');
    });
    expect(currentCompanyId()).toBeUndefined();
  });

  it('names error kinds', () => {
    class RateLimitError extends Error {
      override name = 'RateLimitError';
    }
    expect(errorKind(new RateLimitError('x'))).toBe('RateLimitError');
    expect(errorKind(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
  });
});
