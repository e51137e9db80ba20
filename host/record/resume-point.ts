// Where the previous bridge's recording stopped: device, boot, session and the next reading seq of the newest recording in a folder.
import { type FileHandle, open, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { parseRecordLine } from "./read-recording";
import type { RecordLine } from "./record-types";
import { MAX_RECORD_LINE_BYTES } from "./record-stream";

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

/** Bytes before the last reading read for the highest seq (resent readings come after higher ones): about 25 min of readings at 10 Hz, 8 channels. */
export const RESUME_TAIL_BYTES = 256 * 1024;
/**
 * How far back from the end the last reading is searched, bytes, in blocks: whatever else fills the tail (a flood of
 * other records after a crash), the last reading is found within this bound.
 */
export const RESUME_MAX_SCAN_BYTES = 256 * 1024 * 1024;
/** Bytes read per block of the backward search. */
const SCAN_BLOCK_BYTES = 1024 * 1024;
/**
 * Only a recording whose last record is this recent is continued: the device's ring holds 10 min of readings at
 * most (Node target; 12.8 s on Espruino), so an older gap cannot be fetched, and a bridge started hours later
 * must begin a new file rather than append to yesterday's.
 */
export const RESUME_MAX_AGE_MS = 10 * 60_000;
/** Bytes read from its start for the start record. */
const HEAD_BYTES = 64 * 1024;
/** Bytes at the very end read for the newest record's time. */
const END_BYTES = 64 * 1024;
/** Boot markers (start records, HI lines) after the last reading that are looked at (a new boot without readings yet). */
const MAX_MARKERS = 1000;

const READING = Buffer.from('"k":"r"');
const MARKERS = [Buffer.from('"k":"start"'), Buffer.from('"type":"HI"')];

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
    const enter = (r: RecordLine) => {
      let id: string, boot: number, sess: string | null;
      if (r.k === "start" && r.device) [id, boot, sess] = [r.device.deviceId, parseInt(r.device.bootId, 16), r.device.session];
      else if (r.k === "dev" && r.m.type === "HI") [id, boot, sess] = [r.m.deviceId, r.m.bootId, r.m.session === "-" ? null : r.m.session];
      else return false;
      if (id !== deviceId || boot !== bootId) maxSeq = -1;
      deviceId = id;
      bootId = boot;
      session = sess;
      return true;
    };
    const last = await lastReading(fh, size);
    if (!last) return null;
    // The highest seq of the readings just before (and at) the last one, after the boot marker they follow.
    const from = Math.max(0, last.start - RESUME_TAIL_BYTES);
    const lines = (await readAt(fh, from, last.end - from)).split("\n");
    if (from > 0) lines.shift(); // cut mid-line
    for (const line of lines) {
      const r = line ? parseRecordLine(line) : null;
      if (!r) continue;
      if (r.atMs > lastAtMs) lastAtMs = r.atMs;
      if (!enter(r) && r.k === "r" && r.seq > maxSeq) maxSeq = r.seq;
    }
    // A boot marker after the last reading: a new boot that has recorded no reading yet.
    for (const pos of last.markersAfter) {
      const r = await lineAt(fh, pos, size);
      if (r) enter(r);
    }
    const endFrom = Math.max(last.end, size - END_BYTES);
    for (const line of (await readAt(fh, endFrom, size - endFrom)).split("\n")) {
      const r = line ? parseRecordLine(line) : null; // a torn last line (crash) is skipped
      if (r && r.atMs > lastAtMs) lastAtMs = r.atMs;
    }
    if (maxSeq < 0 || !Number.isFinite(bootId)) return null;
    return { file: file, deviceId: deviceId, bootId: bootId, session: session, nextSeq: maxSeq + 1, lastAtMs: lastAtMs };
  } finally {
    await fh.close();
  }
}

/**
 * The byte range of the file's last reading line, searched backwards in blocks up to RESUME_MAX_SCAN_BYTES from
 * the end, and the positions of the boot markers after it (oldest first). Null when none is found.
 */
async function lastReading(fh: FileHandle, size: number): Promise<{ start: number; end: number; markersAfter: number[] } | null> {
  const markers: number[] = [];
  const overlap = 32;
  let end = size;
  while (end > 0 && size - end < RESUME_MAX_SCAN_BYTES) {
    const start = Math.max(0, end - SCAN_BLOCK_BYTES);
    const buf = await readBytes(fh, start, Math.min(size, end + overlap) - start);
    let at = buf.lastIndexOf(READING);
    const found: number[] = [];
    while (at >= 0) {
      if (start + at < end) found.push(start + at);
      at = at > 0 ? buf.lastIndexOf(READING, at - 1) : -1;
    }
    for (const m of MARKERS) {
      for (let i = buf.indexOf(m); i >= 0; i = buf.indexOf(m, i + 1)) if (start + i < end && markers.length < MAX_MARKERS) markers.push(start + i);
    }
    for (const pos of found) {
      const line = await lineBounds(fh, pos, size);
      const r = line ? parseRecordLine(line.text) : null;
      if (line && r && r.k === "r") return { start: line.start, end: line.end, markersAfter: markers.filter((p) => p > line.end).sort((a, b) => a - b) };
    }
    end = start;
  }
  return null;
}

/** The line around byte `pos` (at most MAX_RECORD_LINE_BYTES each way). */
async function lineBounds(fh: FileHandle, pos: number, size: number): Promise<{ start: number; end: number; text: string } | null> {
  const from = Math.max(0, pos - MAX_RECORD_LINE_BYTES);
  const to = Math.min(size, pos + MAX_RECORD_LINE_BYTES);
  const buf = await readBytes(fh, from, to - from);
  const rel = pos - from;
  const nlBefore = buf.lastIndexOf(10, rel);
  if (nlBefore < 0 && from > 0) return null; // longer than a record line can be
  const nlAfter = buf.indexOf(10, rel);
  if (nlAfter < 0 && to < size) return null;
  const s = nlBefore + 1;
  const e = nlAfter < 0 ? buf.length : nlAfter;
  return { start: from + s, end: from + e, text: buf.toString("utf8", s, e) };
}

async function lineAt(fh: FileHandle, pos: number, size: number): Promise<RecordLine | null> {
  const l = await lineBounds(fh, pos, size);
  return l ? parseRecordLine(l.text) : null;
}

async function readBytes(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  const buf = Buffer.alloc(Math.max(0, len));
  const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
  return buf.subarray(0, bytesRead);
}

async function readAt(fh: FileHandle, pos: number, len: number): Promise<string> {
  return (await readBytes(fh, pos, len)).toString("utf8");
}
