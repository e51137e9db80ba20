// Reliable alarm lines: kept until the host's AK, retransmitted every 500 ms, bounded.

/**
 * Unacknowledged A lines in seq order. Bounded: when full, `add` refuses and the link coalesces
 * further transitions (see DeviceLink); lines already numbered are never dropped, because the host
 * processes A lines strictly in seq order and a dropped seq would stall it.
 */
export class AlarmQueue {
  readonly capacity: number;
  /** Seq per entry (-1 free). */
  private readonly seq: Float64Array;
  /** Last transmission per entry (device ms), -Infinity when never sent. */
  private readonly sentMs: Float64Array;
  private readonly lines: string[];
  /** Entries in use. */
  held = 0;
  /** No entry is due before this time (a lower bound kept by add / sent / due), so idle ticks skip the scan. */
  nextDueMs = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.seq = new Float64Array(capacity);
    this.sentMs = new Float64Array(capacity);
    this.lines = [];
    for (let i = 0; i < capacity; i++) {
      this.seq[i] = -1;
      this.lines.push("");
    }
  }

  /** Queues line `line` numbered `seq`; false when full. */
  add(seq: number, line: string): boolean {
    for (let i = 0; i < this.capacity; i++) {
      if (this.seq[i] < 0) {
        this.seq[i] = seq;
        this.lines[i] = line;
        this.sentMs[i] = -Infinity;
        this.held++;
        this.nextDueMs = 0;
        return true;
      }
    }
    return false;
  }

  /** Removes the line with this seq (host AK); false when not held (duplicate or unknown AK). */
  ack(seq: number): boolean {
    for (let i = 0; i < this.capacity; i++) {
      if (this.seq[i] === seq) {
        this.seq[i] = -1;
        this.lines[i] = "";
        this.held--;
        return true;
      }
    }
    return false;
  }

  /** Drops everything (a HELLO restates every alarm with new seqs). */
  clear(): void {
    for (let i = 0; i < this.capacity; i++) {
      this.seq[i] = -1;
      this.lines[i] = "";
    }
    this.held = 0;
  }

  /**
   * Index of the lowest-seq line due for (re)transmission at `nowMs` (never sent, or last sent
   * `intervalMs` ago), or -1. Lowest seq first so the host can process in order.
   */
  due(nowMs: number, intervalMs: number): number {
    let best = -1;
    let next = Infinity;
    for (let i = 0; i < this.capacity; i++) {
      if (this.seq[i] < 0) continue;
      const at = this.sentMs[i] + intervalMs;
      if (nowMs >= at) {
        if (best < 0 || this.seq[i] < this.seq[best]) best = i;
      } else if (at < next) next = at;
    }
    this.nextDueMs = best >= 0 ? 0 : next;
    return best;
  }

  /** The line at entry `i`. */
  line(i: number): string {
    return this.lines[i];
  }

  /** True when entry `i` was sent before (a retransmission). */
  wasSent(i: number): boolean {
    return this.sentMs[i] !== -Infinity;
  }

  /** Marks entry `i` sent at `nowMs`. */
  sent(i: number, nowMs: number): void {
    this.sentMs[i] = nowMs;
    this.nextDueMs = 0;
  }
}
