// Session recorder: every record appended to an NDJSON file per session, written and fsync'ed once a second.
import { mkdirSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Recording } from "../domain/domain-schemas";
import type { LostRecord, RecordLine, RecordSink, StartRecord } from "./record-types";

/** Buffered records are written and fsync'ed this often: a crash or power cut loses at most this much. */
export const FLUSH_INTERVAL_MS = 1000;
/** Records kept before the first device is known (they go to its first file). */
export const MAX_PENDING_RECORDS = 10_000;
/**
 * Bytes held in memory while the disk refuses them (full, removed, read-only): about 1.5 h of an 8-channel
 * 10 Hz procedure. They are written when the disk accepts them again; beyond the cap records are dropped
 * and counted (status.droppedRecords), the least needed first (DROP_TIER): commands and status heartbeats,
 * then readings (each dropped run replaced by a "lost" record with its seq range), the rest last.
 */
export const MAX_UNWRITTEN_BYTES = 16 * 1024 * 1024;

/** A file-name-safe form of a session or device name. */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 40) || "_";
}

/** The file name of a recording started at atMs: 2026-11-22T05-40-00Z_<device>_<session>.ndjson. */
export function recordingFileName(atMs: number, deviceId: string | null, session: string | null): string {
  const t = new Date(atMs).toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "-");
  return `${t}_${safeName(deviceId ?? "no-device")}_${safeName(session ?? "no-session")}.ndjson`;
}

/** A flush that has not finished after this long raises the failure (the write may still complete later). */
export const FLUSH_STALL_MS = 5000;

/**
 * Which records go first when the buffer is full: 0 commands and device status heartbeats (S), 1 readings,
 * 2 everything else (alarms, link changes, lost records, doses, events, case fields, start and end).
 */
export type DropTier = 0 | 1 | 2;

/** A line held in memory, with what the drop policy needs. */
interface Held {
  text: string;
  tier: DropTier;
  /** Reading seq (tier 1), else -1. */
  seq: number;
  atMs: number;
  /** Set on the lost record that stands for dropped readings (extended when the next ones are dropped too). */
  lost?: LostRecord;
}

function heldOf(rec: RecordLine): Held {
  const tier: DropTier = rec.k === "cmd" || (rec.k === "dev" && rec.m.type === "S") ? 0 : rec.k === "r" ? 1 : 2;
  return { text: JSON.stringify(rec) + "\n", tier: tier, seq: rec.k === "r" ? rec.seq : -1, atMs: rec.atMs };
}

/** The records of one file not yet on disk. */
interface Segment {
  file: string;
  /** Lines to write, oldest first; lines[0] is the start record until it has been written (never dropped). */
  lines: Held[];
  startWritten: boolean;
  /** Bytes a short write left unwritten: written first. */
  rest: Buffer | null;
  fh: FileHandle | null;
  /** The session changed or the recorder is closing: no more lines; closed once written. */
  closing: boolean;
}

/**
 * Writes records to one file per session (device id + session name) in `dir`. Records are buffered
 * in memory and written with one write + fdatasync per FLUSH_INTERVAL_MS. `sync` opens the first
 * file once the device is known and rotates to a new file (starting with a start record) when the
 * session changes. `status` is kept current for the clients. A failing disk loses nothing up to
 * MAX_UNWRITTEN_BYTES: the records stay buffered and every flush retries (re-opening the file if it
 * never opened); `onHealth` reports the change to failing (with the error) and back (null).
 */
export class Recorder implements RecordSink {
  readonly status: Omit<Recording, "reportUrl"> = { active: false, file: null, bytes: 0, lastFlushAtMs: null, error: null, droppedRecords: 0 };
  /** Called when writing starts failing (the error) and when it works again (null). */
  onHealth: ((error: string | null) => void) | null = null;
  /** The session key (device + session) of the current file. */
  sessionKey: string | null = null;
  /** Files with records not yet on disk, oldest first; the last one is the current file. */
  private segs: Segment[] = [];
  /** Bytes of lines held in all segments. */
  private heldBytes = 0;
  private pending: Held[] = [];
  private chain: Promise<void> = Promise.resolve();
  /** Set before the first sync: the previous bridge's file, continued if the first device and session match it. */
  appendTo: { file: string; deviceId: string; session: string | null } | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly dir: string,
    private readonly makeStart: () => StartRecord,
    /** Bytes held while the disk refuses them (tests use a small cap). */
    private readonly maxUnwrittenBytes = MAX_UNWRITTEN_BYTES,
  ) {
    mkdirSync(dir, { recursive: true });
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
  }

  /** Buffers one record (held until the first file is opened by sync). */
  write(rec: RecordLine): void {
    const line = heldOf(rec);
    if (!this.status.active) {
      this.pending.push(line);
      if (this.pending.length > MAX_PENDING_RECORDS) this.pending.shift();
      return;
    }
    this.push(line);
  }

  /** Opens the file for this device / session if it is not the current one (first device, or the session changed). */
  sync(atMs: number, deviceId: string, session: string | null): void {
    const key = deviceId + "/" + (session ?? "");
    if (key === this.sessionKey) return;
    if (this.status.active) this.endCurrent({ k: "end", atMs: atMs, reason: "session changed" });
    this.sessionKey = key;
    this.startFile(atMs, deviceId, session);
    for (const line of this.pending) this.push(line);
    this.pending = [];
  }

  /** Writes and fsyncs what is buffered. */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.flushNow());
    return this.chain;
  }

  /** Writes an end record, flushes and closes. Records the disk still refuses are counted as dropped. */
  async close(reason = "bridge stopped"): Promise<void> {
    clearInterval(this.timer);
    if (this.status.active) this.endCurrent({ k: "end", atMs: Date.now(), reason: reason });
    await this.flush();
    for (const seg of this.segs) {
      this.status.droppedRecords += seg.lines.length;
      await seg.fh?.close().catch(() => {});
    }
    this.segs = [];
    this.heldBytes = 0;
    this.status.active = false;
  }

  private startFile(atMs: number, deviceId: string, session: string | null): void {
    const start = this.makeStart();
    const a = this.appendTo;
    this.appendTo = null;
    // A restarted bridge goes on in the file of the same device and session (a second start record marks it).
    const file = a && a.deviceId === deviceId && a.session === session ? a.file : path.join(this.dir, recordingFileName(atMs, deviceId, session));
    this.segs.push({ file: file, lines: [], startWritten: false, rest: null, fh: null, closing: false });
    this.status.active = true;
    this.status.file = file;
    this.status.bytes = 0;
    this.push(heldOf({ ...start, atMs: atMs }));
  }

  /** Ends the current file with `endLine`; it is written and closed by the next flushes. */
  private endCurrent(end: RecordLine): void {
    this.push(heldOf(end));
    this.segs[this.segs.length - 1].closing = true;
  }

  /** Records one line of the current file. */
  private push(line: Held): void {
    this.segs[this.segs.length - 1].lines.push(line);
    this.heldBytes += line.text.length;
    this.status.bytes += line.text.length;
    if (this.heldBytes > this.maxUnwrittenBytes) this.cap();
  }

  /**
   * Drops held lines down to 90 % of the cap (only while the disk refuses them), tier by tier (DROP_TIER), oldest
   * first within a tier. A file's start record is never dropped: without it the report knows neither device nor
   * channels. Each run of dropped readings with consecutive seqs becomes one "lost" record where the run began.
   */
  private cap(): void {
    const target = this.maxUnwrittenBytes * 0.9;
    let dropped = 0;
    for (const tier of [0, 1, 2] as const) {
      for (const seg of this.segs) {
        if (this.heldBytes <= target) break;
        dropped += this.dropTier(seg, tier, target);
      }
      if (this.heldBytes <= target) break;
    }
    this.status.droppedRecords += dropped;
    // The alarm's value (records dropped) follows.
    if (dropped > 0 && this.status.error !== null) this.onHealth?.(this.status.error);
  }

  /** Drops `seg`'s oldest lines of `tier` until the held bytes reach `target`; returns how many. */
  private dropTier(seg: Segment, tier: DropTier, target: number): number {
    const from = seg.startWritten ? 0 : 1;
    const out: Held[] = seg.lines.slice(0, from);
    let dropped = 0;
    /** Rewrites a lost record's line after its count changed, keeping heldBytes exact. */
    const retext = (h: Held) => {
      this.heldBytes -= h.text.length;
      h.text = JSON.stringify(h.lost) + "\n";
      this.heldBytes += h.text.length;
    };
    let run: Held | null = null;
    for (let k = from; k < seg.lines.length; k++) {
      const line = seg.lines[k];
      if (line.tier !== tier || this.heldBytes <= target) {
        if (line.tier === 1) run = null;
        out.push(line);
        continue;
      }
      this.heldBytes -= line.text.length;
      dropped++;
      if (tier !== 1) continue;
      const prev = out[out.length - 1];
      // The readings just before were dropped (now or earlier): their lost record grows; else a new one here.
      if (!run && prev?.lost && prev.lost.from + prev.lost.count === line.seq) run = prev;
      if (run && run.lost!.from + run.lost!.count === line.seq) run.lost!.count++;
      else {
        run = { text: "", tier: 2, seq: -1, atMs: line.atMs, lost: { k: "lost", atMs: line.atMs, from: line.seq, count: 1 } };
        out.push(run);
      }
      retext(run);
    }
    seg.lines = out;
    return dropped;
  }

  private async flushNow(): Promise<void> {
    // A write that hangs (a dead USB stick, a stuck network mount) is a failure too, even before it errors.
    const stalled = setTimeout(() => this.fail(new Error(`disk write stalled for ${FLUSH_STALL_MS / 1000} s`)), FLUSH_STALL_MS);
    try {
      while (this.segs.length > 0) {
        const seg = this.segs[0];
        if (!(await this.writeSegment(seg))) return; // retried at the next flush, in order
        if (!seg.closing || seg.lines.length > 0) return; // the current file (or lines came meanwhile)
        await seg.fh?.close().catch(() => {});
        this.segs.shift();
      }
    } finally {
      clearTimeout(stalled);
    }
  }

  /** Writes and fsyncs what `seg` holds; false when the disk refused (nothing lost: retried later). */
  private async writeSegment(seg: Segment): Promise<boolean> {
    if (seg.lines.length === 0 && !seg.rest && !seg.closing) return true;
    if (!seg.fh) {
      try {
        seg.fh = await open(seg.file, "a");
      } catch (e) {
        this.fail(e);
        return false;
      }
    }
    // Taken out while in flight: lines pushed (or dropped by cap) meanwhile do not shift under the write.
    const taken = seg.lines.splice(0);
    const takenBytes = taken.reduce((n, l) => n + l.text.length, 0);
    this.heldBytes -= takenBytes;
    const data = Buffer.concat([seg.rest ?? Buffer.alloc(0), Buffer.from(taken.map((l) => l.text).join(""))]);
    try {
      const { bytesWritten } = data.length > 0 ? await seg.fh.write(data) : { bytesWritten: 0 };
      if (taken.length > 0) seg.startWritten = true;
      if (bytesWritten < data.length) {
        // A short write (disk nearly full): the rest of the bytes go first next time, so no line is torn.
        seg.rest = data.subarray(bytesWritten);
        this.fail(new Error(`short write: ${bytesWritten} of ${data.length} bytes (disk full?)`));
        return false;
      }
      seg.rest = null;
    } catch (e) {
      seg.lines = taken.concat(seg.lines);
      this.heldBytes += takenBytes;
      this.fail(e);
      return false;
    }
    try {
      await seg.fh.datasync();
    } catch (e) {
      this.fail(e); // written, not yet durable: not written again (that would duplicate it)
      return false;
    }
    this.status.lastFlushAtMs = Date.now();
    this.ok();
    return true;
  }

  private fail(e: unknown): void {
    const was = this.status.error;
    this.status.error = (e as Error)?.message ?? String(e);
    if (was === null) this.onHealth?.(this.status.error);
  }

  private ok(): void {
    if (this.status.error === null) return;
    this.status.error = null;
    this.onHealth?.(null);
  }
}
