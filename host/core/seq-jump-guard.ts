// A reading seq far ahead of the expected one is believed only when a later reading follows it (one corrupt-but-valid line must not mark real readings lost).

/** A reading more than this many seqs ahead of the expected one waits for confirmation by its successor. */
export const SEQ_JUMP_CONFIRM = 16;

/**
 * Holds one implausible jump ahead. Confirmed (the next reading is later still): both are released in
 * order and the gap before them is real. Refuted (the next reading is the expected seq): the held
 * one is dropped and counted. Pure.
 */
export class SeqJumpGuard<T> {
  private held: { seq: number; item: T } | null = null;

  /** Forget the held reading (new handshake). */
  reset(): void {
    this.held = null;
  }

  /** Whether a reading waits for confirmation. */
  get holding(): boolean {
    return this.held !== null;
  }

  /**
   * Offers a reading with seq `seq` while the tracker expects `expected` (-1: anything). Returns the
   * readings to process now, in order, and how many held ones were refuted.
   */
  offer(seq: number, expected: number, item: T): { process: T[]; refuted: number } {
    const h = this.held;
    if (expected < 0 || seq <= expected + SEQ_JUMP_CONFIRM) {
      if (h && seq === expected) {
        this.held = null;
        return { process: [item], refuted: 1 };
      }
      return { process: [item], refuted: 0 };
    }
    if (h && seq > h.seq) {
      // Its successor (a later reading, also ahead: the device dropped readings while congested) confirms it.
      this.held = null;
      return { process: [h.item, item], refuted: 0 };
    }
    this.held = { seq: seq, item: item };
    return { process: [], refuted: h ? 1 : 0 };
  }
}
