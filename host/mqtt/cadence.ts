// A period kept on a grid with slack: work due "every periodMs" runs on whichever wake-up comes near the time, never on a timer of its own.

/** How early, as a fraction of the period, a wake-up may take the work (jitter of the input that brings the wake-ups). */
export const CADENCE_SLACK_FRACTION = 0.25;

/**
 * When periodic work is due, judged by explicit times. Due from `slackMs` before the next grid point; each run
 * moves the grid one period on, so on average the work runs at most once a period, and a wake-up arriving a little
 * early (a 10 Hz serial chunk 99 ms after the last) takes it instead of a timer waking the process 1 ms later.
 * The shortest gap between two runs is periodMs − slackMs. Pure: no clock of its own.
 */
export class Cadence {
  private dueAtMs = -Infinity;
  readonly slackMs: number;

  constructor(
    readonly periodMs: number,
    slackMs = periodMs * CADENCE_SLACK_FRACTION,
  ) {
    this.slackMs = Math.min(slackMs, periodMs / 2);
  }

  /** The next grid point, ms (−Infinity before the first run). */
  get nextAtMs(): number {
    return this.dueAtMs;
  }

  /** Whether the work is due at nowMs (also when nowMs is more than two periods before the grid: the wall clock was set back). */
  due(nowMs: number): boolean {
    return nowMs >= this.dueAtMs - this.slackMs || nowMs < this.dueAtMs - 2 * this.periodMs;
  }

  /** The work ran at nowMs: the grid moves one period on (or restarts from nowMs after a long pause). */
  ran(nowMs: number): void {
    const next = this.dueAtMs + this.periodMs;
    this.dueAtMs = next > nowMs + 2 * this.periodMs ? nowMs + this.periodMs : Math.max(next, nowMs + this.periodMs);
  }

  /** Runs the bookkeeping if due; returns whether it was. */
  takeIfDue(nowMs: number): boolean {
    if (!this.due(nowMs)) return false;
    this.ran(nowMs);
    return true;
  }
}
