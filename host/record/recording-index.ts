// The index of the recordings in a record folder (newest first) and the strict check of a recording's file name.
import { open, readdir, lstat } from "node:fs/promises";
import path from "node:path";
import { parseRecordLine } from "./read-recording";
import { CaseRecord } from "./record-types";

/** One recording of the index. */
export interface RecordingEntry {
  /** File name inside the record folder (no directory part): the `file` parameter of GET /report. */
  name: string;
  bytes: number;
  /** Last modification, ms since the Unix epoch. */
  modifiedAtMs: number;
  /** atMs of the start record (null: the file does not start with one). */
  startAtMs: number | null;
  deviceId: string | null;
  session: string | null;
  /** The case id of the first case record in the file's head, if any. */
  caseId: string | null;
  /** This is the file being recorded now. */
  live: boolean;
}

/** Most entries the index lists (the newest). */
export const MAX_INDEX_ENTRIES = 500;
/** Bytes read from the start of each file for its start record and case id. */
export const INDEX_HEAD_BYTES = 16 * 1024;
/** Longest accepted recording file name, characters. */
export const MAX_RECORDING_NAME_CHARS = 160;

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.ndjson$/;

/** Whether `name` is a plain recording file name: letters, digits, `._-`, ending in .ndjson, no path part, no "..". */
export function isRecordingName(name: string): boolean {
  return name.length <= MAX_RECORDING_NAME_CHARS && NAME_RE.test(name) && !name.includes("..");
}

/**
 * The path of recording `name` in `dir` when the name is valid and names a regular file there (not a symlink,
 * not a folder); otherwise the reason as a stable code.
 */
export async function resolveRecording(dir: string, name: string): Promise<{ file: string } | { error: "BAD_NAME" | "NO_RECORDING" }> {
  if (!isRecordingName(name)) return { error: "BAD_NAME" };
  const file = path.join(dir, name);
  try {
    const st = await lstat(file);
    return st.isFile() ? { file: file } : { error: "NO_RECORDING" };
  } catch {
    return { error: "NO_RECORDING" };
  }
}

/** The recordings in `dir`, newest (by modification time) first, at most MAX_INDEX_ENTRIES; `liveFile` marks the current one. Never rejects. */
export async function listRecordings(dir: string, liveFile: string | null = null): Promise<{ recordings: RecordingEntry[]; truncated: boolean }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter(isRecordingName);
  } catch {
    return { recordings: [], truncated: false };
  }
  const stats: { name: string; bytes: number; modifiedAtMs: number }[] = [];
  for (const n of names) {
    try {
      const st = await lstat(path.join(dir, n));
      if (st.isFile()) stats.push({ name: n, bytes: st.size, modifiedAtMs: Math.round(st.mtimeMs) });
    } catch {
      // removed meanwhile
    }
  }
  stats.sort((a, b) => b.modifiedAtMs - a.modifiedAtMs || (a.name < b.name ? 1 : -1));
  const kept = stats.slice(0, MAX_INDEX_ENTRIES);
  const live = liveFile === null ? null : path.resolve(liveFile);
  const recordings: RecordingEntry[] = [];
  for (const s of kept) recordings.push({ ...s, ...(await headOf(path.join(dir, s.name))), live: live !== null && path.resolve(dir, s.name) === live });
  return { recordings: recordings, truncated: stats.length > kept.length };
}

/** Start time, device, session and case id from a file's first INDEX_HEAD_BYTES. */
async function headOf(file: string): Promise<Pick<RecordingEntry, "startAtMs" | "deviceId" | "session" | "caseId">> {
  const out: Pick<RecordingEntry, "startAtMs" | "deviceId" | "session" | "caseId"> = { startAtMs: null, deviceId: null, session: null, caseId: null };
  let text = "";
  try {
    const fh = await open(file, "r");
    try {
      const buf = Buffer.alloc(INDEX_HEAD_BYTES);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      text = buf.toString("utf8", 0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    return out;
  }
  const lines = text.split("\n");
  if (text.length === INDEX_HEAD_BYTES) lines.pop(); // cut mid-line
  for (const [i, line] of lines.entries()) {
    const r = parseRecordLine(line);
    if (!r) continue;
    if (i === 0 && r.k === "start") {
      out.startAtMs = r.atMs;
      const d = r.device as { deviceId?: unknown; session?: unknown } | null;
      out.deviceId = typeof d?.deviceId === "string" ? d.deviceId : null;
      out.session = typeof d?.session === "string" ? d.session : null;
    } else if (r.k === "case" && out.caseId === null) {
      const c = CaseRecord.safeParse(r);
      if (c.success && c.data.fields.caseId) out.caseId = c.data.fields.caseId;
    }
  }
  return out;
}
