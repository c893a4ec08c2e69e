import type { DataSource } from 'typeorm';
import { requestScope } from '../context/request-scope';
import { formatLsn, parseLsn, ReadRouter, readScopeMiddleware } from './read-routing';

/** A DataSource stand-in answering the router's polls. */
function fakeSource(answers: { replay?: string; current?: string; recovering?: boolean }, name: string): DataSource {
  return {
    name,
    isInitialized: true,
    manager: { name, query: jest.fn(async () => [{ ok: name }]) },
    query: jest.fn(async (sql: string) =>
      sql.includes('pg_last_wal_replay_lsn') ? [{ lsn: answers.replay, recovering: answers.recovering ?? true }] : [{ lsn: answers.current }],
    ),
    destroy: jest.fn(async () => undefined),
  } as unknown as DataSource;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('read routing', () => {
  it('parses LSNs so that they order like the WAL, and prints them back', () => {
    expect(parseLsn('0/16B3748')! < parseLsn('0/16B3749')!).toBe(true);
    expect(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!).toBe(true);
    expect(formatLsn(parseLsn('16/B374D848')!)).toBe('16/B374D848');
    expect(parseLsn('nonsense')).toBeNull();
  });

  it('reads go to the standby once it answers, to the primary for a caller whose write it has not replayed, and never to a promoted server', async () => {
    const primary = fakeSource({ current: '0/500' }, 'primary');
    const replica = fakeSource({ replay: '0/400' }, 'replica');
    const router = new ReadRouter(primary, 'postgres://standby', async () => replica, 5_000);
    expect(router.target()).toBe('primary'); // not polled yet
    router.start();
    await tick();
    expect(router.target()).toBe('replica');
    expect(router.lagBytes()).toBe(0x100n);
    const inRequest = (minLsn: string | undefined) =>
      new Promise<string>((resolve) =>
        requestScope.run({ requestId: 'r' }, () =>
          readScopeMiddleware({ headers: minLsn ? { 'x-vbp-min-lsn': minLsn } : {}, ip: '127.0.0.1' } as never, {} as never, () => resolve(router.target())),
        ),
      );
    expect(await inRequest('0/400')).toBe('replica');
    expect(await inRequest('0/401')).toBe('primary');
    await router.stop();

    const promoted = new ReadRouter(primary, 'postgres://standby', async () => fakeSource({ replay: '0/400', recovering: false }, 'promoted'), 5_000);
    promoted.start();
    await tick();
    expect(promoted.target()).toBe('primary');
    await promoted.stop();
  });
});
