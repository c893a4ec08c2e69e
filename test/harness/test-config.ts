import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AppConfig, loadConfig } from '../../src/platform/config/app-config';

export const TEST_ADMIN = { username: 'admin', password: 'Admin#2026' };

/** Configuration for an app under test: fixed secrets, no job polling, quiet logs. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return loadConfig(
    {
      NODE_ENV: 'test',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'vbp-test-data-')),
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
      BID_SEALING_KEY: Buffer.alloc(32, 7).toString('base64'),
      ADMIN_USERNAME: TEST_ADMIN.username,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      JOBS_ENABLED: 'false',
      DEMO_DATA: 'false',
      DEMO_HISTORY: 'false',
      LOG_LEVEL: 'silent',
    },
    overrides,
  );
}
