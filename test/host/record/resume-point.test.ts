// findResumePoint: which recording a restarted bridge continues, and from which reading seq.
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findResumePoint, RESUME_MAX_AGE_MS, RESUME_MAX_SCAN_BYTES, RESUME_TAIL_BYTES } from "../../../host/record/resume-point";

let dir = "";
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-resume-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const start = (bootId: string, session: string | null) => JSON.stringify({ k: "start", atMs: 1, device: { deviceId: "TG-1", bootId: bootId, session: session } });
const r = (seq: number) => JSON.stringify({ k: "r", atMs: 1000 + seq, seq: seq, tMs: seq * 100, v: [3700] });
const hi = (bootId: number, session: string) => JSON.stringify({ k: "dev", atMs: 5, m: { type: "HI", deviceId: "TG-1", bootId: bootId, session: session } });

async function file(name: string, lines: string[], mtimeS: number): Promise<string> {
  const f = path.join(dir, name);
  await writeFile(f, lines.join("\n"));
  await utimes(f, mtimeS, mtimeS);
  return f;
}

describe("findResumePoint", () => {
  it("the newest file by modification time: its device, boot, session and the seq after its highest reading (resent ones included)", async () => {
    await file("2026-01-01T00-00-00Z_TG-1_a.ndjson", [start("0000abcd", "a"), r(0), r(1)], 1000);
    const f = await file("2025-01-01T00-00-00Z_TG-1_b.ndjson", [start("0000abcd", "b"), r(5), r(7), JSON.stringify({ k: "r", atMs: 1, seq: 6, tMs: 600, v: [1], resent: true }), JSON.stringify({ k: "end", atMs: 9 })], 2000);
    expect(await findResumePoint(dir, 60_000)).toEqual({ file: f, deviceId: "TG-1", bootId: 0xabcd, session: "b", nextSeq: 8, lastAtMs: 1007 });
    // Its newest record more than RESUME_MAX_AGE_MS ago: the device's ring cannot hold the gap; a new file instead.
    expect(await findResumePoint(dir, 1007 + RESUME_MAX_AGE_MS + 1)).toBeNull();
  });

  it("a torn last line (crash) is skipped; a later HI of another boot restarts the count", async () => {
    await file("x.ndjson", [start("00000001", "s"), r(0), r(1), hi(2, "s"), r(0), '{"k":"r","atMs":1,"se'], 1);
    expect(await findResumePoint(dir, 60_000)).toMatchObject({ bootId: 2, session: "s", nextSeq: 1 });
  });

  it("null without a folder, a recording, a start record or a reading", async () => {
    expect(await findResumePoint(path.join(dir, "none"), 60_000)).toBeNull();
    expect(await findResumePoint(dir, 60_000)).toBeNull();
    await file("a.ndjson", [start("00000001", null)], 1);
    expect(await findResumePoint(dir, 60_000)).toBeNull();
    await file("b.ndjson", ["not json", r(3)], 2);
    expect(await findResumePoint(dir, 60_000)).toBeNull();
  });

  it("reads only the file's tail: a 2.3 MB recording gives the seq of its last reading", async () => {
    const lines = [start("00000001", null)];
    for (let s = 0; s < 40_000; s++) lines.push(r(s));
    await file("big.ndjson", lines, 1);
    expect(lines.join("\n").length).toBeGreaterThan(8 * RESUME_TAIL_BYTES);
    expect(await findResumePoint(dir, 60_000)).toMatchObject({ nextSeq: 40_000 });
  });

  it("finds the last reading however much else fills the tail: 8 MB of command records after it (a flood, then a crash)", async () => {
    const cmd = (i: number) => JSON.stringify({ k: "cmd", atMs: 2000 + i, id: i, command: { name: "ack", alarmKey: "x" }, outcome: "REFUSED", reason: "UNAUTHORIZED", info: null });
    const lines = [start("00000001", "s")];
    for (let s = 0; s < 500; s++) lines.push(r(s));
    const flood = Array.from({ length: 80_000 }, (_, i) => cmd(i));
    const size = [...lines, ...flood].join("\n").length;
    expect(size).toBeGreaterThan(32 * RESUME_TAIL_BYTES);
    expect(size).toBeLessThan(RESUME_MAX_SCAN_BYTES);
    await file("flood.ndjson", [...lines, ...flood, '{"k":"cmd","atMs":9'], 1);
    // The newest record's time is the flood's last one: the age check sees when the bridge really stopped.
    expect(await findResumePoint(dir, 60_000)).toMatchObject({ bootId: 1, session: "s", nextSeq: 500, lastAtMs: 2000 + 79_999 });
  });

  it("a HI of another boot after the last reading, behind the flood, is a new boot without readings: no resume point", async () => {
    const lines = [start("00000001", "s"), r(0), r(1), hi(2, "s")];
    for (let i = 0; i < 30_000; i++) lines.push(JSON.stringify({ k: "cmd", atMs: 2000 + i, id: i, command: { name: "pause" }, outcome: "REFUSED", reason: "UNAUTHORIZED", info: null }));
    await file("newboot.ndjson", lines, 1);
    expect(await findResumePoint(dir, 60_000)).toBeNull();
  });
});
