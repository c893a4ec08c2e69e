import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

describe('logger', () => {
  it('stamps every line written inside a request scope with its request id, and none outside', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vbp-logger-')), 'log.jsonl');
    process.env.LOG_FILE = file;
    process.env.LOG_LEVEL = 'info';
    jest.resetModules();
    const { logger } = await import('./logger');
    const { requestScope } = await import('../context/request-scope');
    await requestScope.run({ requestId: 'req-42' }, async () => {
      logger.info('before an await');
      await new Promise((resolve) => setTimeout(resolve, 5));
      logger.child({ context: 'service' }).warn({ orderId: 'o-1' }, 'after an await, from a child logger');
    });
    logger.info('outside any request');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ['before an await', 'req-42'],
      ['after an await, from a child logger', 'req-42'],
      ['outside any request', undefined],
    ]);
    delete process.env.LOG_FILE;
  });
});
