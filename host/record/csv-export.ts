// CSV export of a recording's readings in the trace format `thermoguard sim` replays: time_s, then one degC column per probe.
import { forEachRecord } from "./record-stream";
import type { RecordLine } from "./record-types";
import { TimeOrderedQueue } from "./time-ordered-queue";

/** Readings held to put resent ones back in time order (as the report does). */
const REORDER_WINDOW = 8192;
/** Most probe columns written. */
const MAX_CSV_CHANNELS = 16;

/** Header labels sim accepts (1-32 characters of A-Z a-z 0-9 . _ -), unique. */
function labelsOf(names: Map<number, string>, n: number): string[] {
  const out: string[] = [];
  for (let ch = 0; ch < n; ch++) {
    let l = (names.get(ch) ?? "").replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 28) || "ch" + ch;
    if (l.toLowerCase() === "time_s" || out.includes(l)) l = `${l}_${ch}`;
    out.push(l);
  }
  return out;
}

/**
 * Converts records, fed in file order, to CSV text handed to `out` in pieces. Header `time_s,<label>,...`:
 * seconds since the first reading (ms resolution, non-decreasing), then degC per probe; a fault or a missing
 * value is an empty cell (a gap for sim). A trailing `#` comment gives the absolute start time.
 */
export class CsvWriter {
  private readonly names = new Map<number, string>();
  private deviceChannels = 0;
  private header: string[] | null = null;
  private firstAtMs = 0;
  private buf: string[] = [];
  /** Rows written, and readings skipped (too late to put in order). */
  rows = 0;
  skipped = 0;
  private readonly queue = new TimeOrderedQueue<{ atMs: number; rank: number; v: unknown[] }>(REORDER_WINDOW, (r) => this.row(r.atMs, r.v));

  constructor(private readonly out: (text: string) => void) {}

  add(r: RecordLine): void {
    if (r.k === "start") {
      if (Array.isArray(r.channels)) for (const c of r.channels) if (Number.isInteger(c?.ch)) this.names.set(c.ch, String(c.label));
      if (Number.isInteger(r.device?.channels)) this.deviceChannels = r.device!.channels;
    } else if (r.k === "dev" && r.m?.type === "CH" && Number.isInteger(r.m.ch)) this.names.set(r.m.ch, String(r.m.label));
    else if (r.k === "r" && Array.isArray(r.v) && Number.isFinite(r.atMs)) {
      if (!this.queue.push({ atMs: r.atMs, rank: r.seq, v: r.v })) this.skipped++;
    }
  }

  /** Writes what is held and the closing comment. */
  finish(source: string): void {
    this.queue.drain();
    if (!this.header) this.header = labelsOf(this.names, Math.min(MAX_CSV_CHANNELS, Math.max(1, this.deviceChannels, this.names.size)));
    if (this.rows === 0) this.buf.push(["time_s", ...this.header].join(",") + "\n");
    const at = this.rows > 0 ? new Date(this.firstAtMs).toISOString() : "no reading";
    this.buf.push(`# exported from ${source.replace(/[\r\n]/g, " ")}: ${this.rows} rows; time_s counts from the first reading at ${at}; empty cells are faults or missing values${this.skipped ? `; ${this.skipped} late readings skipped` : ""}\n`);
    this.flushBuf();
  }

  private row(atMs: number, v: unknown[]): void {
    if (!this.header) {
      const n = Math.min(MAX_CSV_CHANNELS, Math.max(v.length, this.deviceChannels, this.names.size));
      this.header = labelsOf(this.names, n);
      this.firstAtMs = atMs;
      this.buf.push(["time_s", ...this.header].join(",") + "\n");
    }
    let line = ((atMs - this.firstAtMs) / 1000).toFixed(3);
    for (let ch = 0; ch < this.header.length; ch++) {
      const x = v[ch];
      line += "," + (typeof x === "number" && Number.isFinite(x) ? (x / 100).toFixed(2) : "");
    }
    this.buf.push(line + "\n");
    this.rows++;
    if (this.buf.length >= 4096) this.flushBuf();
  }

  private flushBuf(): void {
    if (this.buf.length > 0) this.out(this.buf.join(""));
    this.buf = [];
  }
}

/** The CSV text of records already in memory (small recordings, tests). */
export function readingsCsv(records: readonly RecordLine[], source = "recording"): string {
  const parts: string[] = [];
  const w = new CsvWriter((t) => parts.push(t));
  for (const r of records) w.add(r);
  w.finish(source);
  return parts.join("");
}

/** Streams the CSV of `file` to `out` in bounded memory; resolves with the rows written and the unreadable lines. */
export async function exportCsvFile(file: string, source: string, out: (text: string) => void): Promise<{ rows: number; badLines: number }> {
  const w = new CsvWriter(out);
  const st = await forEachRecord(file, (r) => w.add(r));
  w.finish(source);
  return { rows: w.rows, badLines: st.badLines };
}
