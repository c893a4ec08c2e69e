/**
 * A fault that stops the app from starting, told as one line an operator can act on: what went wrong and
 * what to do about it. `main.ts` prints `line` alone and exits non-zero.
 */
export class StartupFault extends Error {
  constructor(
    /** What went wrong, e.g. "port 3000 is already in use". */
    readonly cause_: string,
    /** What to do about it, e.g. "stop the other process or set PORT to a free port". */
    readonly fix: string,
    readonly details?: unknown,
  ) {
    super(`${cause_} — fix: ${fix}`);
    this.name = 'StartupFault';
  }

  get line(): string {
    return `VBP platform cannot start: ${oneLine(this.cause_)} — fix: ${oneLine(this.fix)}`;
  }
}

/** Collapses whitespace and newlines so a message stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The first meaningful line of an error's message (driver errors can span many lines). */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n').map((part) => part.trim()).find(Boolean) ?? 'unknown error';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
