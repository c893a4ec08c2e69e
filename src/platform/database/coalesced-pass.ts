/**
 * A background pass started by commits (the audit chainer, the change-feed positioner), run at most once at a
 * time and at most once per `gapMs` while commits keep coming:
 * - the first kick after a quiet spell starts a pass at once, so a lone commit is handled within milliseconds;
 * - kicks while a pass runs, or while the next one waits its gap, are all answered by that next pass.
 * Under load a pass handles every commit of the last gap in one go. Before, a commit arriving between two
 * passes started another at once, so a busy server ran passes back to back: at 300 orders a second they were
 * two in five of all statements the server received (docs/decisions.md).
 */
export class CoalescedPass {
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly gapMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  kick(): void {
    if (this.stopped || this.timer) return; // a pass is already due
    if (this.running) {
      this.again = true;
      return;
    }
    this.start();
  }

  /** No more passes; resolves once the one under way (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private start(): void {
    this.running = this.pass()
      .then(
        () => undefined,
        (error: unknown) => this.onError(error),
      )
      .finally(() => {
        this.running = null;
        if (!this.again || this.stopped) return;
        this.again = false;
        this.timer = setTimeout(() => {
          this.timer = null;
          if (!this.stopped) this.start();
        }, this.gapMs);
        this.timer.unref();
      });
  }
}
