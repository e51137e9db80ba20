// Reads a recording line by line in bounded memory: fixed-size chunks, lines longer than a cap skipped and counted.
import { open } from "node:fs/promises";
import { parseRecordLine } from "./read-recording";
import type { RecordLine } from "./record-types";

/** Bytes read per chunk (about 600 readings of 8 probes, a few ms of work); between chunks the event loop runs, so the serial path is never held longer. */
export const STREAM_CHUNK_BYTES = 64 * 1024;
/** Longest line accepted, bytes: a recording's lines are well under 64 KB; longer ones are counted as unreadable, never held. */
export const MAX_RECORD_LINE_BYTES = 256 * 1024;

/** What a pass over a file saw. */
export interface StreamStats {
  /** Non-empty lines. */
  lines: number;
  /** Lines that are not a record (not JSON, torn by a crash, too long). */
  badLines: number;
  bytes: number;
}

/** Calls `onRecord` for every record of `file`, in file order. Rejects only when the file cannot be read. */
export async function forEachRecord(file: string, onRecord: (r: RecordLine) => void): Promise<StreamStats> {
  const stats: StreamStats = { lines: 0, badLines: 0, bytes: 0 };
  const fh = await open(file, "r");
  try {
    const buf = Buffer.alloc(STREAM_CHUNK_BYTES);
    let carry: Buffer | null = null;
    let skipping = false; // inside an over-long line
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      stats.bytes += bytesRead;
      let from = 0;
      for (;;) {
        const nl = buf.indexOf(10, from);
        if (nl < 0 || nl >= bytesRead) break;
        if (skipping) skipping = false;
        else {
          const line = carry ? Buffer.concat([carry, buf.subarray(from, nl)]) : buf.subarray(from, nl);
          carry = null;
          take(line, stats, onRecord);
        }
        from = nl + 1;
      }
      if (from < bytesRead && !skipping) {
        const rest = buf.subarray(from, bytesRead);
        const len = (carry?.length ?? 0) + rest.length;
        if (len > MAX_RECORD_LINE_BYTES) {
          carry = null;
          skipping = true;
          stats.lines++;
          stats.badLines++;
        } else carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
      }
    }
    if (carry && !skipping) take(carry, stats, onRecord);
  } finally {
    await fh.close();
  }
  return stats;
}

function take(line: Buffer, stats: StreamStats, onRecord: (r: RecordLine) => void): void {
  if (line.length === 0 || (line.length === 1 && line[0] === 13)) return;
  stats.lines++;
  const r = line.length > MAX_RECORD_LINE_BYTES ? null : parseRecordLine(line.toString("utf8"));
  if (r) onRecord(r);
  else stats.badLines++;
}
