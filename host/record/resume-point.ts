// Where the previous bridge's recording stopped: device, boot, session and the next reading seq of the newest recording in a folder.
import { open, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { parseRecordLine } from "./read-recording";

/** A restarted bridge asks the device's ring for the readings from `nextSeq` on, into the same file, when the device, boot and session still match. */
export interface ResumePoint {
  file: string;
  deviceId: string;
  /** Boot id as on the wire (HI.bootId). */
  bootId: number;
  session: string | null;
  /** The seq after the highest reading recorded for that boot. */
  nextSeq: number;
  /** Wall-clock ms of the newest record in the file's tail. */
  lastAtMs: number;
}

/** Bytes read from the end of the file (about 25 min of readings at 10 Hz, 8 channels): bounded whatever the file's size. */
export const RESUME_TAIL_BYTES = 256 * 1024;
/**
 * Only a recording whose last record is this recent is continued: the device's ring holds 10 min of readings at
 * most (Node target; 12.8 s on Espruino), so an older gap cannot be fetched, and a bridge started hours later
 * must begin a new file rather than append to yesterday's.
 */
export const RESUME_MAX_AGE_MS = 10 * 60_000;
/** Bytes read from its start for the start record. */
const HEAD_BYTES = 64 * 1024;

/** The resume point of the newest recording in `dir`, or null (no folder, no recording, no readings, unreadable). Never rejects. */
export async function findResumePoint(dir: string, nowMs = Date.now()): Promise<ResumePoint | null> {
  try {
    const names = (await readdir(dir)).filter((f) => f.endsWith(".ndjson"));
    if (names.length === 0) return null;
    // Newest by modification time (names start with the start time, but a resumed file keeps its old name).
    const withTimes = await Promise.all(names.map(async (n) => ({ n: n, t: (await stat(path.join(dir, n))).mtimeMs })));
    withTimes.sort((a, b) => b.t - a.t || (a.n < b.n ? 1 : -1));
    const p = await resumePointOf(path.join(dir, withTimes[0].n));
    return p && nowMs - p.lastAtMs <= RESUME_MAX_AGE_MS ? p : null;
  } catch {
    return null;
  }
}

/** The resume point of one recording file, or null. */
export async function resumePointOf(file: string): Promise<ResumePoint | null> {
  const fh = await open(file, "r");
  try {
    const size = (await fh.stat()).size;
    const head = await readAt(fh, 0, Math.min(HEAD_BYTES, size));
    const start = parseRecordLine(head.slice(0, head.indexOf("\n")));
    if (!start || start.k !== "start" || !start.device) return null;
    let deviceId = start.device.deviceId;
    let bootId = parseInt(start.device.bootId, 16);
    let session = start.device.session;
    let maxSeq = -1;
    let lastAtMs = start.atMs;
    /** A start record or HI names the boot the following readings belong to; another boot starts the count anew. */
    const enter = (id: string, boot: number, sess: string | null) => {
      if (id !== deviceId || boot !== bootId) maxSeq = -1;
      deviceId = id;
      bootId = boot;
      session = sess;
    };
    const tailFrom = Math.max(0, size - RESUME_TAIL_BYTES);
    const tail = await readAt(fh, tailFrom, size - tailFrom);
    const lines = tail.split("\n");
    if (tailFrom > 0) lines.shift(); // cut mid-line
    for (const line of lines) {
      const r = line ? parseRecordLine(line) : null; // a torn last line (crash) is skipped
      if (!r) continue;
      if (r.atMs > lastAtMs) lastAtMs = r.atMs;
      if (r.k === "start" && r.device) enter(r.device.deviceId, parseInt(r.device.bootId, 16), r.device.session);
      else if (r.k === "dev" && r.m.type === "HI") enter(r.m.deviceId, r.m.bootId, r.m.session === "-" ? null : r.m.session);
      else if (r.k === "r" && r.seq > maxSeq) maxSeq = r.seq;
    }
    if (maxSeq < 0 || !Number.isFinite(bootId)) return null;
    return { file: file, deviceId: deviceId, bootId: bootId, session: session, nextSeq: maxSeq + 1, lastAtMs: lastAtMs };
  } finally {
    await fh.close();
  }
}

async function readAt(fh: import("node:fs/promises").FileHandle, pos: number, len: number): Promise<string> {
  const buf = Buffer.alloc(len);
  const { bytesRead } = await fh.read(buf, 0, len, pos);
  return buf.toString("utf8", 0, bytesRead);
}
