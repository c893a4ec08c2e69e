/**
 * Token buckets by key, in memory: each key may spend up to `perMinute` at once, refilled continuously at
 * `perMinute` per minute. Pure bookkeeping; the caller passes the time (the injectable clock's).
 */
export type Take = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    /** Above this many keys, full buckets are forgotten (they are the same as a new one). */
    private readonly maxKeys = 50_000,
  ) {
    this.perMs = perMinute / 60_000;
  }

  take(key: string, nowMs: number): Take {
    if (this.perMinute <= 0) return { allowed: true };
    const bucket = this.refilled(key, nowMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, nowMs: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.forgetFull(nowMs);
      bucket = { tokens: this.perMinute, at: nowMs };
      this.buckets.set(key, bucket);
      return bucket;
    }
    // a clock set back (tests) refills nothing
    const elapsed = Math.max(0, nowMs - bucket.at);
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + elapsed * this.perMs);
    bucket.at = Math.max(bucket.at, nowMs);
    return bucket;
  }

  private forgetFull(nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + Math.max(0, nowMs - bucket.at) * this.perMs >= this.perMinute) this.buckets.delete(key);
    }
  }
}
