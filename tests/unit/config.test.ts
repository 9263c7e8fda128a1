import { ConfigError, loadConfig } from '../../lib/config';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({ PROCORE_CLIENT_ID: 'id', PROCORE_CLIENT_SECRET: 'secret' });
    expect(c).toMatchObject({ TEMPORAL_NAMESPACE: 'default', API_PORT: 3000, TEMPORAL_TLS: false });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('lists every missing or wrong variable at once, without echoing values', () => {
    let error: unknown;
    try {
      loadConfig({
        API_PORT: 'ninety',
        DATABASE_URL: 'mysql://x',
        TEMPORAL_TLS: 'yes',
        PROCORE_CLIENT_SECRET: 'hunter2',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PROCORE_CLIENT_ID is missing/);
    expect(problems).toMatch(/API_PORT is invalid/);
    expect(problems).toMatch(/DATABASE_URL is invalid: DATABASE_URL must look like postgresql:/);
    expect(problems).toMatch(/TEMPORAL_TLS is invalid/);
    expect(problems).not.toMatch(/hunter2/);
  });
});
