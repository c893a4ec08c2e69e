import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  it('allows a burst of perMinute, then one more per 60/perMinute seconds, per key', () => {
    const buckets = new TokenBuckets(3);
    for (let i = 0; i < 3; i++) expect(buckets.take('a', 0)).toEqual({ allowed: true });
    expect(buckets.take('a', 0)).toEqual({ allowed: false, retryAfterSeconds: 20 });
    expect(buckets.take('b', 0)).toEqual({ allowed: true });
    expect(buckets.take('a', 5_000)).toEqual({ allowed: false, retryAfterSeconds: 15 });
    expect(buckets.take('a', 20_000)).toEqual({ allowed: true });
    expect(buckets.take('a', 20_000).allowed).toBe(false);
    // refills up to the burst only
    for (let i = 0; i < 3; i++) expect(buckets.take('a', 10 * 60_000).allowed).toBe(true);
    expect(buckets.take('a', 10 * 60_000).allowed).toBe(false);
  });

  it('refills nothing when the clock goes back, and is off at 0', () => {
    const buckets = new TokenBuckets(1);
    expect(buckets.take('a', 60_000).allowed).toBe(true);
    expect(buckets.take('a', 0)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    const off = new TokenBuckets(0);
    for (let i = 0; i < 1000; i++) expect(off.take('a', 0).allowed).toBe(true);
  });

  it('forgets full buckets when it holds too many keys', () => {
    const buckets = new TokenBuckets(60, 10);
    for (let i = 0; i < 10; i++) buckets.take(`k${i}`, 0);
    expect(buckets.size).toBe(10);
    buckets.take('new', 60_000); // all ten have refilled: forgotten
    expect(buckets.size).toBe(1);
  });
});
