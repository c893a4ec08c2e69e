/**
 * The one source of "now". Services never call `new Date()` for business time, so tests can stand exactly
 * at a deadline (a fake clock) and the scheduler and the API agree on what time it is.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that only moves when told to; for tests and what-if tools. */
export class FakeClock extends Clock {
  private current: number;

  constructor(start: Date | string = '2026-01-05T09:00:00+08:00') {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    this.current = new Date(instant).getTime();
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
}

/**
 * The platform's clock: a base clock (the system clock; a FakeClock in tests) plus an offset the platform
 * admin may move forward in training mode (CLOCK_CONTROL=true, see TrainingClockService), plus a pinned
 * instant the demo seeder stands at while it drives the services through a year of history.
 * Every service injects `Clock` and so gets this. Sessions (token lifetimes, lockouts) read `wallNow()`,
 * so a training jump does not log everyone out.
 */
export class PlatformClock extends Clock {
  private offsetMs = 0;
  private pinnedAt: number | null = null;

  constructor(readonly base: Clock) {
    super();
  }

  now(): Date {
    return new Date(this.pinnedAt ?? this.base.now().getTime() + this.offsetMs);
  }

  /** Real (base) time, for sessions and other security clocks. */
  wallNow(): Date {
    return this.base.now();
  }

  get offset(): number {
    return this.offsetMs;
  }

  setOffset(milliseconds: number): void {
    this.offsetMs = milliseconds;
  }

  /** Stands the platform at `instant` until `unpin` (seeding only: nothing else runs meanwhile). */
  pin(instant: Date | string): void {
    this.pinnedAt = new Date(instant).getTime();
  }

  unpin(): void {
    this.pinnedAt = null;
  }

  get pinned(): boolean {
    return this.pinnedAt !== null;
  }
}

/** Wall time for sessions: the base clock under a PlatformClock, else the clock itself. */
export function wallNow(clock: Clock): Date {
  return clock instanceof PlatformClock ? clock.wallNow() : clock.now();
}
