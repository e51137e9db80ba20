// A periodic tick that streaming input can run inline: while it does, the timer stays pushed back and never wakes the process.

/**
 * Runs `fn` every `periodMs` from a timer, unless the caller runs it inline first (`ranInline`), which pushes the
 * timer back by `pushbackMs` (> the input's period). A device streaming at 10 Hz then costs no timer wake-ups:
 * with a push-back equal to the period the timer and the next chunk raced and about half the ticks still woke the
 * process on their own (measured: 30 % of the bridge's idle-time JS at 8 ch x 10 Hz).
 */
export class PushbackTicker {
  private timer: NodeJS.Timeout | null;
  private armedMs: number;
  private lastRunMono = -Infinity;

  constructor(
    /** `inline`: run by runInlineIfDue (the caller goes on with its own work) rather than by the timer. */
    private readonly fn: (inline: boolean) => void,
    private readonly periodMs: number,
    private readonly pushbackMs = 2 * periodMs,
  ) {
    this.armedMs = periodMs;
    this.timer = setTimeout(() => this.fire(), periodMs);
  }

  /** Whether an inline run is due now (half a period since the last run). */
  due(mono = performance.now()): boolean {
    return this.timer !== null && mono - this.lastRunMono >= this.periodMs / 2;
  }

  /** Runs the tick now if due, and pushes the timer back. */
  runInlineIfDue(mono = performance.now()): void {
    if (!this.due(mono)) return;
    this.lastRunMono = mono;
    try {
      this.fn(true);
    } finally {
      this.arm(this.pushbackMs);
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    if (!this.timer) return;
    this.lastRunMono = performance.now();
    try {
      this.fn(false);
    } finally {
      this.arm(this.periodMs);
    }
  }

  private arm(ms: number): void {
    if (!this.timer) return;
    // refresh() keeps the delay the timeout was made with; a different delay needs a new one.
    if (ms === this.armedMs) {
      this.timer.refresh();
      return;
    }
    clearTimeout(this.timer);
    this.armedMs = ms;
    this.timer = setTimeout(() => this.fire(), ms);
  }
}
