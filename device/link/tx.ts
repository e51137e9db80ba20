// Transmit side of the link: the Tx interface a shell implements, and the congestion gate in front of it.

/**
 * The shell's transmitter. `write` must never block (queue and return); `backlog` reports the bytes
 * written but not yet taken by the transport, so the link can stop sending readings before the
 * transport's buffer is full (espruino.md: a host that keeps the port open but stops reading makes
 * transmit block, which must never stall sampling).
 */
export interface Tx {
  write(line: string): void;
  backlog(): number;
}

/** Line classes. Bulk: readings (live and resent). Control: everything else (A, K, N, HI, CH, LM, D, S). */
export const LINE_BULK = 0;
export const LINE_CONTROL = 1;

/**
 * Decides per line whether it may be written now. Readings stop at `highWaterBytes` of backlog;
 * the small, rare control lines (alarms, replies, status, doses) keep going up to
 * `hardLimitBytes`. Above that nothing is written: readings and status are dropped and counted,
 * alarm lines stay queued for retransmission (the alarm queue, not this gate, keeps them).
 */
export class TxGate {
  readonly tx: Tx;
  readonly highWaterBytes: number;
  readonly hardLimitBytes: number;
  /** Lines dropped for congestion since boot (S.dropped). */
  dropped = 0;
  /** Lines dropped since the last `takeCongested()`. */
  private recentDrops = 0;

  constructor(tx: Tx, highWaterBytes: number, hardLimitBytes: number) {
    this.tx = tx;
    this.highWaterBytes = highWaterBytes;
    this.hardLimitBytes = hardLimitBytes;
  }

  /** True when a line of class `cls` may be written now. */
  canWrite(cls: number): boolean {
    return this.tx.backlog() < (cls === LINE_BULK ? this.highWaterBytes : this.hardLimitBytes);
  }

  /** Writes `line` if its class allows, else counts it dropped. Returns true when written. */
  send(line: string, cls: number): boolean {
    if (this.canWrite(cls)) {
      this.tx.write(line);
      return true;
    }
    this.drop();
    return false;
  }

  /** Counts one line dropped without building it (the caller checked canWrite). */
  drop(): void {
    this.dropped++;
    this.recentDrops++;
  }

  /** True if anything was dropped since the previous call (S flag 32); resets the window. */
  takeCongested(): boolean {
    const c = this.recentDrops > 0 || !this.canWrite(LINE_BULK);
    this.recentDrops = 0;
    return c;
  }
}
