// What waits for the broker: reading rows (bounded, oldest dropped and counted), alarms and events (kept, in order), latest status / link / doses.
import type { ReadingRow } from "../ws/ws-messages";
import { Cadence } from "./cadence";

/** Reading rows held while the broker is away: 60 s of 8 channels at 10 Hz. */
export const DEFAULT_MAX_ROWS = 600;
/** Alarm and event messages held: far beyond any outage's worth (a device has at most ~120 alarms present). */
export const DEFAULT_MAX_KEPT = 10_000;
/** Most rows in one readings message (held rows go out in several after a reconnect). */
export const MAX_ROWS_PER_BATCH = 100;
/** Readings batching period bounds and default, ms. */
export const MIN_BATCH_MS = 100;
export const MAX_BATCH_MS = 1000;
export const DEFAULT_BATCH_MS = 100;

/** One message ready for the broker: a topic kind and the payload object without its envelope fields. */
export interface Outgoing<K extends string = string> {
  kind: K;
  payload: unknown;
}

export interface QueueLimits {
  maxRows: number;
  maxKept: number;
  batchMs: number;
}

/**
 * The publisher's outbound queue. Pure (times are passed in): the bedside's code pushes and returns at once,
 * the publisher takes what is due when the broker is connected.
 */
export class OutboundQueue<K extends string = string> {
  private rows: ReadingRow[] = [];
  private kept: Outgoing<K>[] = [];
  private readonly latest = new Map<string, Outgoing<K>>();
  private readonly riders = new Map<string, Outgoing<K>>();
  private readonly rowsCadence: Cadence;
  /** Rows dropped because the queue was full. */
  droppedRows = 0;
  /** Kept messages dropped beyond maxKept (oldest first). */
  droppedKept = 0;

  constructor(readonly limits: QueueLimits = { maxRows: DEFAULT_MAX_ROWS, maxKept: DEFAULT_MAX_KEPT, batchMs: DEFAULT_BATCH_MS }) {
    this.rowsCadence = new Cadence(limits.batchMs);
  }

  /** Rows waiting. */
  get rowCount(): number {
    return this.rows.length;
  }

  /** Alarm / event messages waiting. */
  get keptCount(): number {
    return this.kept.length;
  }

  /** From when the next readings batch is due, ms: the batch grid's next point less its slack (a chunk arriving a little early takes it). */
  get rowsDueAtMs(): number {
    return this.rowsCadence.nextAtMs - this.rowsCadence.slackMs;
  }

  /** Adds reading rows; beyond maxRows the oldest rows are dropped and counted. */
  pushRows(rows: readonly ReadingRow[]): void {
    for (const r of rows) this.rows.push(r);
    const over = this.rows.length - this.limits.maxRows;
    if (over > 0) {
      this.rows.splice(0, over);
      this.droppedRows += over;
    }
  }

  /** Adds an alarm or event message, kept in order; beyond maxKept the oldest is dropped and counted. */
  pushKept(m: Outgoing<K>): void {
    this.kept.push(m);
    if (this.kept.length > this.limits.maxKept) {
      this.kept.shift();
      this.droppedKept++;
    }
  }

  /** Sets the latest message of a key (status, link, doses of a channel): only the newest is sent. */
  setLatest(key: string, m: Outgoing<K>): void {
    this.latest.delete(key); // re-insert: latest messages go out in the order they last changed
    this.latest.set(key, m);
  }

  /** Sets the latest message of a key that rides the next readings batch or latest message (doses): no write of its own. */
  setRider(key: string, m: Outgoing<K>): void {
    this.riders.set(key, m);
  }

  /** Whether a readings batch would go out at nowMs. */
  rowsDue(nowMs: number): boolean {
    return this.rows.length > 0 && this.rowsCadence.due(nowMs);
  }

  /**
   * What to send now (the broker is connected): the latest messages (riders with them when anything else goes), then the kept ones in order, then reading
   * batches when the batch period is up (on a grid, see Cadence: at most one batch a period on average), or `allRows`
   * (all held rows, MAX_ROWS_PER_BATCH a message).
   */
  take(nowMs: number, allRows = false): { latest: Outgoing<K>[]; kept: Outgoing<K>[]; rowBatches: ReadingRow[][] } {
    const latest = [...this.latest.values()];
    this.latest.clear();
    const kept = this.kept;
    this.kept = [];
    const rowBatches: ReadingRow[][] = [];
    if (this.rows.length > 0 && (allRows || this.rowsCadence.due(nowMs))) {
      this.rowsCadence.ran(nowMs);
      for (let i = 0; i < this.rows.length; i += MAX_ROWS_PER_BATCH) rowBatches.push(this.rows.slice(i, i + MAX_ROWS_PER_BATCH));
      this.rows = [];
    }
    if (this.riders.size > 0 && (rowBatches.length > 0 || latest.length > 0 || allRows)) {
      for (const m of this.riders.values()) latest.push(m);
      this.riders.clear();
    }
    return { latest: latest, kept: kept, rowBatches: rowBatches };
  }
}

/** Checks a readings batching period: MIN_BATCH_MS..MAX_BATCH_MS. */
export function batchPeriodProblem(ms: number): string | null {
  return Number.isInteger(ms) && ms >= MIN_BATCH_MS && ms <= MAX_BATCH_MS ? null : `readings batch period must be an integer from ${MIN_BATCH_MS} to ${MAX_BATCH_MS} ms, got ${ms}`;
}
