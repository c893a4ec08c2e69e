import { FakeClock, PlatformClock, SystemClock, wallNow } from './clock';

describe('PlatformClock', () => {
  it('is the base clock plus the training offset; sessions read the base', () => {
    const base = new FakeClock('2026-03-02T09:00:00+08:00');
    const clock = new PlatformClock(base);
    expect(clock.now().toISOString()).toBe('2026-03-02T01:00:00.000Z');
    clock.setOffset(3 * 86_400_000);
    expect(clock.now().toISOString()).toBe('2026-03-05T01:00:00.000Z');
    base.advance(60_000);
    expect(clock.now().toISOString()).toBe('2026-03-05T01:01:00.000Z');
    expect(wallNow(clock).toISOString()).toBe('2026-03-02T01:01:00.000Z');
    expect(wallNow(base)).toEqual(base.now());
  });

  it('stands still at a pinned instant (the demo seeder) until unpinned', () => {
    const clock = new PlatformClock(new SystemClock());
    clock.pin('2025-01-06T10:00:00+08:00');
    expect(clock.pinned).toBe(true);
    expect(clock.now().toISOString()).toBe('2025-01-06T02:00:00.000Z');
    clock.unpin();
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1000);
  });
});
