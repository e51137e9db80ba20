// Puts readings back in seq order for the dose recomputation: late (resent) rows slot in, lost seqs are skipped.

/** Most rows held waiting for a gap to be filled; beyond this the gap is treated as lost. */
export const MAX_HELD_ROWS = 20_000;

/**
 * Releases rows strictly in seq order. Rows after a gap wait until the gap is filled (RESEND) or
 * declared lost. `crossedLoss` tells the caller that a released row follows lost readings.
 */
export class InOrderReadings<T> {
  private next = -1;
  private readonly held = new Map<number, T>();
  /** Lost seqs as ranges [from, end): a lost range may span billions of seqs (a seq jump), never one entry per seq. */
  private lost: { from: number; end: number }[] = [];
  private lossPending = false;

  /** Next seq expected (new boot / first HI). */
  reset(nextSeq: number): void {
    this.next = nextSeq;
    this.held.clear();
    this.lost = [];
    this.lossPending = false;
  }

  /** Offers a row; returns the rows now in order (possibly none) and whether a loss lies before them. */
  push(seq: number, row: T): { rows: T[]; crossedLoss: boolean } {
    if (this.next < 0) this.next = seq;
    if (seq < this.next) return { rows: [], crossedLoss: false };
    this.held.set(seq, row);
    if (this.held.size > MAX_HELD_ROWS) {
      let min = Infinity;
      for (const s of this.held.keys()) if (s < min) min = s;
      if (min > this.next) this.lost.push({ from: this.next, end: min });
    }
    return this.drain();
  }

  /** Marks seqs [from, from + count) lost; returns rows released by skipping them. */
  lose(from: number, count: number): { rows: T[]; crossedLoss: boolean } {
    const lo = Math.max(from, this.next);
    if (lo < from + count) this.lost.push({ from: lo, end: from + count });
    return this.drain();
  }

  private drain(): { rows: T[]; crossedLoss: boolean } {
    const rows: T[] = [];
    let crossed = false;
    for (;;) {
      const r = this.held.get(this.next);
      if (r !== undefined) {
        this.held.delete(this.next);
        rows.push(r);
        if (this.lossPending) {
          crossed = true;
          this.lossPending = false;
        }
        this.next++;
        continue;
      }
      const end = this.lostEnd(this.next);
      if (end < 0) break;
      // Skip the lost range in one step, stopping at the first row held inside it.
      let to = end;
      for (const s of this.held.keys()) if (s > this.next && s < to) to = s;
      this.lossPending = true;
      this.next = to;
    }
    return { rows: rows, crossedLoss: crossed };
  }

  /** End of the lost range holding `seq`, or -1; forgets ranges already passed. */
  private lostEnd(seq: number): number {
    if (this.lost.length === 0) return -1;
    this.lost = this.lost.filter((r) => r.end > seq);
    let end = -1;
    for (const r of this.lost) if (r.from <= seq && r.end > end) end = r.end;
    return end;
  }
}
