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
  private readonly lost = new Set<number>();
  private lossPending = false;

  /** Next seq expected (new boot / first HI). */
  reset(nextSeq: number): void {
    this.next = nextSeq;
    this.held.clear();
    this.lost.clear();
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
      for (let s = this.next; s < min; s++) this.lost.add(s);
    }
    return this.drain();
  }

  /** Marks seqs [from, from + count) lost; returns rows released by skipping them. */
  lose(from: number, count: number): { rows: T[]; crossedLoss: boolean } {
    for (let s = Math.max(from, this.next); s < from + count; s++) this.lost.add(s);
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
      } else if (this.lost.delete(this.next)) this.lossPending = true;
      else break;
      this.next++;
    }
    return { rows: rows, crossedLoss: crossed };
  }
}
