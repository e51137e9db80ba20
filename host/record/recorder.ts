// Session recorder: every record appended to an NDJSON file per session, written and fsync'ed once a second.
import { mkdirSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Recording } from "../ws/ws-messages";
import type { RecordLine, RecordSink, StartRecord } from "./record-types";

/** Buffered records are written and fsync'ed this often: a crash or power cut loses at most this much. */
export const FLUSH_INTERVAL_MS = 1000;
/** Records kept before the first device is known (they go to its first file). */
export const MAX_PENDING_RECORDS = 10_000;
/**
 * Bytes held in memory while the disk refuses them (full, removed, read-only): about 1.5 h of an 8-channel
 * 10 Hz procedure. They are written when the disk accepts them again; beyond the cap the oldest are dropped
 * and counted (status.droppedRecords).
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
  /** Write errors so far (disk full, folder removed); the recorder keeps trying. */
  errors = 0;
  lastError: string | null = null;
  private buf: string[] = [];
  /** Bytes in buf. */
  private bufBytes = 0;
  private pending: string[] = [];
  private fh: FileHandle | null = null;
  /** The current file, (re)opened by the next flush while fh is null. */
  private fileToOpen: string | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** Set before the first sync: the previous bridge's file, continued if the first device and session match it. */
  appendTo: { file: string; deviceId: string; session: string | null } | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly dir: string,
    private readonly makeStart: () => StartRecord,
  ) {
    mkdirSync(dir, { recursive: true });
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
  }

  /** Buffers one record (held until the first file is opened by sync). */
  write(rec: RecordLine): void {
    const line = JSON.stringify(rec) + "\n";
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
    if (this.status.active) {
      this.push(JSON.stringify({ k: "end", atMs: atMs, reason: "session changed" }) + "\n");
      this.enqueueClose();
    }
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

  /** Writes an end record, flushes and closes. */
  async close(reason = "bridge stopped"): Promise<void> {
    clearInterval(this.timer);
    if (this.status.active) this.push(JSON.stringify({ k: "end", atMs: Date.now(), reason: reason }) + "\n");
    this.enqueueClose();
    await this.chain;
    this.status.active = false;
  }

  private startFile(atMs: number, deviceId: string, session: string | null): void {
    const start = this.makeStart();
    const a = this.appendTo;
    this.appendTo = null;
    // A restarted bridge goes on in the file of the same device and session (a second start record marks it).
    const file = a && a.deviceId === deviceId && a.session === session ? a.file : path.join(this.dir, recordingFileName(atMs, deviceId, session));
    this.chain = this.chain.then(() => {
      this.fileToOpen = file;
    });
    this.status.active = true;
    this.status.file = file;
    this.status.bytes = 0;
    this.push(JSON.stringify({ ...start, atMs: atMs }) + "\n");
  }

  /** Records one line of the current file. */
  private push(line: string): void {
    this.status.bytes += line.length;
    this.hold(line);
  }

  /** Buffers one line, dropping the oldest beyond MAX_UNWRITTEN_BYTES (only while the disk refuses them). */
  private hold(line: string): void {
    this.buf.push(line);
    this.bufBytes += line.length;
    if (this.bufBytes <= MAX_UNWRITTEN_BYTES) return;
    let drop = 0;
    let freed = 0;
    while (drop < this.buf.length - 1 && this.bufBytes - freed > MAX_UNWRITTEN_BYTES * 0.9) freed += this.buf[drop++].length;
    this.buf.splice(0, drop);
    this.bufBytes -= freed;
    this.status.droppedRecords += drop;
  }

  /** Takes everything buffered (to write it). */
  private take(): string[] {
    const lines = this.buf;
    this.buf = [];
    this.bufBytes = 0;
    return lines;
  }

  /** Puts lines that could not be written back in front of what arrived meanwhile. */
  private putBack(lines: string[]): void {
    const newer = this.take();
    for (const l of lines) this.hold(l);
    for (const l of newer) this.hold(l);
  }

  /** Opens the current file if it is not open; false when that failed. */
  private async ensureOpen(): Promise<boolean> {
    if (this.fh) return true;
    if (!this.fileToOpen) return false;
    try {
      this.fh = await open(this.fileToOpen, "a");
      return true;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  private enqueueClose(): void {
    const lines = this.take();
    this.chain = this.chain.then(async () => {
      if (lines.length > 0 && !(await this.ensureOpen())) {
        this.status.droppedRecords += lines.length; // the file never opened: nothing to go on with
      } else if (this.fh) {
        try {
          if (lines.length > 0) await this.fh.write(lines.join(""));
          await this.fh.datasync();
          this.ok();
        } catch (e) {
          this.fail(e);
          this.status.droppedRecords += lines.length;
        }
      }
      const fh = this.fh;
      this.fh = null;
      this.fileToOpen = null;
      await fh?.close().catch(() => {});
    });
  }

  private async flushNow(): Promise<void> {
    if (this.buf.length === 0 || !(await this.ensureOpen())) return;
    const lines = this.take();
    try {
      await this.fh!.write(lines.join(""));
      await this.fh!.datasync();
      this.status.lastFlushAtMs = Date.now();
      this.ok();
    } catch (e) {
      this.fail(e);
      this.putBack(lines); // retried at the next flush; a partly written line is skipped by the reader
    }
  }

  private fail(e: unknown): void {
    this.errors++;
    this.lastError = (e as Error)?.message ?? String(e);
    const was = this.status.error;
    this.status.error = this.lastError;
    if (was === null) this.onHealth?.(this.lastError);
  }

  private ok(): void {
    if (this.status.error === null) return;
    this.status.error = null;
    this.onHealth?.(null);
  }
}
