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
