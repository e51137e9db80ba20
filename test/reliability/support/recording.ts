// Reads a bridge's recording folder back and groups its readings by device boot (bootId from the HI records).
import { readdir } from "node:fs/promises";
import path from "node:path";
import { readRecording } from "../../../host/record/read-recording";
import type { DeviceRecord, ReadingRecord, RecordLine } from "../../../host/record/record-types";
import type { Dose } from "../../../protocol";

/** The readings of one boot, in recording order. */
export interface BootReadings {
  bootId: number;
  rows: ReadingRecord[];
}

/** Every record of every file in `dir`, files in name (= start time) order. */
export async function readAll(dir: string): Promise<RecordLine[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".ndjson")).sort();
  const out: RecordLine[] = [];
  for (const f of files) {
    const r = await readRecording(path.join(dir, f));
    if (r.badLines > 0) throw new Error(`${f}: ${r.badLines} unreadable lines`);
    out.push(...r.records);
  }
  return out;
}

/** Readings grouped by the boot announced by the latest HI (or a file's start record) before them. */
export function readingsByBoot(records: RecordLine[]): BootReadings[] {
  const boots: BootReadings[] = [];
  let cur = null as BootReadings | null;
  const enter = (bootId: number) => {
    if (bootId === cur?.bootId) return;
    cur = boots.find((b) => b.bootId === bootId) ?? null; // a new file (session rotation) of the same boot
    if (!cur) boots.push((cur = { bootId, rows: [] }));
  };
  for (const r of records) {
    if (r.k === "start" && r.device) enter(parseInt(r.device.bootId, 16));
    else if (r.k === "dev" && r.m.type === "HI") enter(r.m.bootId);
    else if (r.k === "r") {
      if (!cur) throw new Error("reading before any HI in the recording");
      cur.rows.push(r);
    }
  }
  return boots;
}

/** (bootId, seq) pairs recorded more than once. */
export function duplicates(boots: BootReadings[]): string[] {
  const seen = new Set<string>();
  const dup: string[] = [];
  for (const b of boots)
    for (const r of b.rows) {
      const k = b.bootId + ":" + r.seq;
      if (seen.has(k)) dup.push(k);
      seen.add(k);
    }
  return dup;
}

/** Seqs missing inside [first, last] of each boot, as "bootId:from+count". */
export function seqHoles(boots: BootReadings[]): string[] {
  const holes: string[] = [];
  for (const b of boots) {
    const seqs = [...new Set(b.rows.map((r) => r.seq))].sort((a, c) => a - c);
    for (let i = 1; i < seqs.length; i++) if (seqs[i] !== seqs[i - 1] + 1) holes.push(`${b.bootId.toString(16)}:${seqs[i - 1] + 1}+${seqs[i] - seqs[i - 1] - 1}`);
  }
  return holes;
}

/** The device's D lines in the recording. */
export function doseLines(records: RecordLine[]): Dose[] {
  return records.filter((r): r is DeviceRecord => r.k === "dev" && r.m.type === "D").map((r) => r.m as Dose);
}
