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
 * session changes. `status` is kept current for the clients.
 */
export class Recorder implements RecordSink {
  readonly status: Omit<Recording, "reportUrl"> = { active: false, file: null, bytes: 0, lastFlushAtMs: null };
  /** The session key (device + session) of the current file. */
  sessionKey: string | null = null;
  /** Write errors so far (disk full, folder removed); the recorder keeps trying. */
  errors = 0;
  lastError: string | null = null;
  private buf: string[] = [];
  private pending: string[] = [];
  private fh: FileHandle | null = null;
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
    this.buf.push(line);
    this.status.bytes += line.length;
  }

  /** Opens the file for this device / session if it is not the current one (first device, or the session changed). */
  sync(atMs: number, deviceId: string, session: string | null): void {
    const key = deviceId + "/" + (session ?? "");
    if (key === this.sessionKey) return;
    if (this.status.active) {
      this.buf.push(JSON.stringify({ k: "end", atMs: atMs, reason: "session changed" }) + "\n");
      this.enqueueClose();
    }
    this.sessionKey = key;
    this.startFile(atMs, deviceId, session);
    for (const line of this.pending) {
      this.buf.push(line);
      this.status.bytes += line.length;
    }
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
    if (this.status.active) this.buf.push(JSON.stringify({ k: "end", atMs: Date.now(), reason: reason }) + "\n");
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
    this.chain = this.chain.then(async () => {
      try {
        this.fh = await open(file, "a");
      } catch (e) {
        this.fail(e);
      }
    });
    this.status.active = true;
    this.status.file = file;
    this.status.bytes = 0;
    const line = JSON.stringify({ ...start, atMs: atMs }) + "\n";
    this.buf.push(line);
    this.status.bytes += line.length;
  }

  private enqueueClose(): void {
    const data = this.buf.join("");
    this.buf = [];
    this.chain = this.chain.then(async () => {
      const fh = this.fh;
      this.fh = null;
      if (!fh) return;
      try {
        if (data) await fh.write(data);
        await fh.datasync();
      } catch (e) {
        this.fail(e);
      }
      await fh.close().catch(() => {});
    });
  }

  private async flushNow(): Promise<void> {
    if (this.buf.length === 0 || !this.fh) return;
    const data = this.buf.join("");
    this.buf = [];
    try {
      await this.fh.write(data);
      await this.fh.datasync();
      this.status.lastFlushAtMs = Date.now();
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    this.errors++;
    this.lastError = (e as Error)?.message ?? String(e);
  }
}
