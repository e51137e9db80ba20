// Recent readings kept for snapshots: at least HISTORY_MS, capped in rows, ordered by wall-clock time.
import type { History, ReadingRow } from "../domain/domain-schemas";

/** Readings kept for a client that connects mid-procedure (10 minutes) plus a margin. */
export const HISTORY_MS = 11 * 60_000;
/** Row cap: HISTORY_MS at the protocol's highest rate (20 Hz). */
export const HISTORY_MAX_ROWS = (HISTORY_MS / 1000) * 20;

/** Readings ordered by atMs; old rows trimmed by age and by count (in batches, so trimming is cheap). */
export class HistoryRing {
  private rows: ReadingRow[] = [];

  constructor(
    private readonly keepMs = HISTORY_MS,
    private readonly maxRows = HISTORY_MAX_ROWS,
  ) {}

  get length(): number {
    return this.rows.length;
  }

  /**
   * Adds a row; a late row (resent) is inserted at its place by atMs. Live rows are appended in
   * arrival order even when their atMs goes back (the host clock was set back): inserted by time,
   * they would sit before the whole history and be left out of snapshots and trimmed.
   */
  add(row: ReadingRow): void {
    const rows = this.rows;
    if (rows.length === 0 || !row.resent || rows[rows.length - 1].atMs <= row.atMs) rows.push(row);
    else {
      let lo = 0;
      let hi = rows.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (rows[mid].atMs <= row.atMs) lo = mid + 1;
        else hi = mid;
      }
      rows.splice(lo, 0, row);
    }
    const newest = rows[rows.length - 1].atMs;
    let cut = rows.length - this.maxRows;
    if (rows.length > 0 && rows[0].atMs < newest - this.keepMs - 60_000) {
      let i = 0;
      while (i < rows.length && rows[i].atMs < newest - this.keepMs) i++;
      cut = Math.max(cut, i);
    }
    if (cut > 0 && (cut >= 500 || rows.length > this.maxRows + 500)) rows.splice(0, cut);
  }

  clear(): void {
    this.rows = [];
  }

  /** Rows newer than sinceMs, oldest first. */
  since(sinceMs: number): ReadingRow[] {
    let i = 0;
    while (i < this.rows.length && this.rows[i].atMs < sinceMs) i++;
    return this.rows.slice(i);
  }

  /** Columnar copy for a snapshot (rows within keepMs of the newest). */
  columns(channels: number): History {
    const newest = this.rows.length ? this.rows[this.rows.length - 1].atMs : 0;
    const rows = this.since(newest - this.keepMs);
    const h: History = { seq: [], tMs: [], atMs: [], valuesCc: [] };
    for (let c = 0; c < channels; c++) h.valuesCc.push([]);
    for (const r of rows) {
      h.seq.push(r.seq);
      h.tMs.push(r.tMs);
      h.atMs.push(r.atMs);
      for (let c = 0; c < channels; c++) h.valuesCc[c].push(c < r.valuesCc.length ? r.valuesCc[c] : "ND");
    }
    return h;
  }
}
