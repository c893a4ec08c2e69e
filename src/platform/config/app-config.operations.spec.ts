import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ConfigError, loadConfig } from './app-config';

const base = () => ({ NODE_ENV: 'test', DATA_DIR: mkdtempSync(join(tmpdir(), 'vbp-config-')) });

describe('configuration: rate limits and metrics', () => {
  it('defaults to 60 logins per address and 600 mutations per user a minute, /metrics without a token', () => {
    expect(loadConfig(base())).toMatchObject({ rateLimitLoginPerMinute: 60, rateLimitMutationsPerMinute: 600, metricsToken: null });
  });

  it('takes other limits, 0 turning one off, and a metrics token', () => {
    const config = loadConfig({ ...base(), RATE_LIMIT_LOGIN_PER_MINUTE: '0', RATE_LIMIT_MUTATIONS_PER_MINUTE: '1200', METRICS_TOKEN: 'a-long-enough-token' });
    expect(config).toMatchObject({ rateLimitLoginPerMinute: 0, rateLimitMutationsPerMinute: 1200, metricsToken: 'a-long-enough-token' });
  });

  it('names the variable of a wrong value', () => {
    expect(() => loadConfig({ ...base(), RATE_LIMIT_LOGIN_PER_MINUTE: 'lots' })).toThrow(new ConfigError('RATE_LIMIT_LOGIN_PER_MINUTE', 'must be a whole number (got "lots")'));
    expect(() => loadConfig({ ...base(), RATE_LIMIT_MUTATIONS_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_MUTATIONS_PER_MINUTE/);
    expect(() => loadConfig({ ...base(), METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 printable characters/);
    expect(() => loadConfig({ ...base(), METRICS_TOKEN: 'has a space in it, sadly' })).toThrow(/METRICS_TOKEN/);
  });
});
