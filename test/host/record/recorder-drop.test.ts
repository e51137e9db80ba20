// The recorder's full buffer while the disk refuses: commands and heartbeats go first, readings last among them, and dropped readings leave a "lost" record with their seq range.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readRecording } from "../../../host/record/read-recording";
import type { CommandRecord, LostRecord, ReadingRecord, RecordLine, StartRecord } from "../../../host/record/record-types";
import { Recorder } from "../../../host/record/recorder";

const CAP_BYTES = 64 * 1024;
const dirs: string[] = [];
const recs: Recorder[] = [];
afterEach(async () => {
  for (const r of recs.splice(0)) await r.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function failingRecorder() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tg-recdrop-"));
  dirs.push(dir);
  const start = (): StartRecord => ({ k: "start", atMs: 1, format: 1, bridge: "test", device: null, channels: [], limits: null, alarms: [], doses: [] });
  const r = new Recorder(dir, start, CAP_BYTES);
  recs.push(r);
  r.sync(1000, "DEV-1", "s");
  await r.flush(); // the start record is on disk
  const segs = (r as unknown as { segs: { fh: { write: (...a: unknown[]) => Promise<unknown> } }[] }).segs;
  const fh = segs[segs.length - 1].fh;
  const write = fh.write;
  fh.write = () => Promise.reject(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));
  return { r, heal: () => (fh.write = write) };
}

const reading = (seq: number): ReadingRecord => ({ k: "r", atMs: 10_000 + seq * 100, seq, tMs: seq * 100, v: [3700, 3710, 3720, 3730] });
const refused = (i: number): CommandRecord => ({ k: "cmd", atMs: 10_000 + i, id: i, command: { name: "ack", alarmKey: "x".repeat(40) }, outcome: "REFUSED", reason: "UNAUTHORIZED", info: null });

describe("Recorder buffer policy", () => {
  it("a flood of commands is dropped before any reading, and the alarm in between is kept", async () => {
    const { r, heal } = await failingRecorder();
    const n = 400;
    for (let s = 0; s < n; s++) {
      r.write(reading(s));
      for (let i = 0; i < 10; i++) r.write(refused(s * 10 + i)); // ~1.4 kB of commands per reading
      if (s === 200) r.write({ k: "alarm", atMs: 30_000, action: "RAISE", alarm: { key: "dev:1:1" } } as unknown as RecordLine);
    }
    expect(r.status.droppedRecords).toBeGreaterThan(0);
    heal();
    await r.flush();
    const got = (await readRecording(r.status.file!)).records;
    expect(got.filter((x) => x.k === "r").map((x) => (x as ReadingRecord).seq)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(got.filter((x) => x.k === "lost")).toEqual([]);
    expect(got.filter((x) => x.k === "alarm")).toHaveLength(1);
    expect(got.filter((x) => x.k === "cmd").length + r.status.droppedRecords).toBe(n * 10);
  });

  it("readings dropped when nothing else is left to drop leave one lost record per seq run, at their place", async () => {
    const { r, heal } = await failingRecorder();
    const one = JSON.stringify(reading(0)).length + 1;
    const n = Math.ceil((CAP_BYTES * 2) / one);
    for (let s = 0; s < n; s++) r.write(reading(s));
    const dropped = r.status.droppedRecords;
    expect(dropped).toBeGreaterThan(n / 3);
    heal();
    await r.flush();
    const got = (await readRecording(r.status.file!)).records;
    const lost = got.filter((x): x is LostRecord => x.k === "lost");
    const seqs = got.filter((x): x is ReadingRecord => x.k === "r").map((x) => x.seq);
    // Every dropped reading is named by a lost record; lost + kept covers every seq exactly once.
    expect(lost.reduce((a, l) => a + l.count, 0)).toBe(dropped);
    const covered = [...seqs, ...lost.flatMap((l) => Array.from({ length: l.count }, (_, i) => l.from + i))].sort((a, b) => a - b);
    expect(covered).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(lost).toEqual([{ k: "lost", atMs: reading(0).atMs, from: 0, count: dropped }]); // the oldest, as one run
    expect(got[1].k).toBe("lost"); // where the first dropped reading was, right after the start record
    expect(seqs.at(-1)).toBe(n - 1);
  });
});
