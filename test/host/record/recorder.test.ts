// The recorder: buffered NDJSON, on disk within a second, one file per session, readable after a torn write.
import { appendFile, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readRecording } from "../../../host/record/read-recording";
import { FLUSH_INTERVAL_MS, Recorder, recordingFileName } from "../../../host/record/recorder";
import type { StartRecord } from "../../../host/record/record-types";

const dirs: string[] = [];
const recs: Recorder[] = [];
afterEach(async () => {
  for (const r of recs.splice(0)) await r.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function setup() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tg-rec-"));
  dirs.push(dir);
  const start = (): StartRecord => ({ k: "start", atMs: Date.now(), format: 1, bridge: "test", device: null, channels: [], limits: null, alarms: [], doses: [] });
  const r = new Recorder(dir, start);
  recs.push(r);
  return { dir, r };
}

describe("Recorder", () => {
  it("holds records until the device is known, then writes them after a start record; on disk within FLUSH_INTERVAL_MS", async () => {
    const { dir, r } = await setup();
    r.write({ k: "event", atMs: 1, event: { atMs: 1, text: "before device", source: "client" } });
    expect(await readdir(dir)).toEqual([]);
    r.sync(1000, "DEV-1", null);
    r.write({ k: "r", atMs: 2, seq: 0, tMs: 0, v: [3700] });
    const t0 = Date.now();
    let text = "";
    while (!text.includes('"k":"r"')) {
      await new Promise((res) => setTimeout(res, 50));
      const files = await readdir(dir);
      if (files.length) text = await readFile(path.join(dir, files[0]), "utf8");
      expect(Date.now() - t0).toBeLessThan(FLUSH_INTERVAL_MS + 500);
    }
    const lines = text.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.k)).toEqual(["start", "event", "r"]);
    expect(r.status).toMatchObject({ active: true, file: expect.stringContaining("DEV-1_no-session") });
  });

  it("starts a new file when the session changes, ending the previous one", async () => {
    const { dir, r } = await setup();
    r.sync(1000, "DEV-1", null);
    r.write({ k: "r", atMs: 2, seq: 0, tMs: 0, v: [3700] });
    r.sync(2000, "DEV-1", "case-9");
    r.write({ k: "r", atMs: 3, seq: 1, tMs: 100, v: [3800] });
    r.sync(2000, "DEV-1", "case-9"); // same: no new file
    await r.close();
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    expect(files.some((f) => f.includes("case-9"))).toBe(true);
    for (const f of files) {
      const ks = (await readRecording(path.join(dir, f))).records.map((x) => x.k);
      expect(ks[0]).toBe("start");
      expect(ks[ks.length - 1]).toBe("end");
    }
  });

  it("reads a recording whose last line was torn by a crash, counting the bad line", async () => {
    const { dir, r } = await setup();
    r.sync(1000, "DEV-1", null);
    r.write({ k: "r", atMs: 2, seq: 0, tMs: 0, v: [3700] });
    await r.flush();
    const file = r.status.file!;
    await appendFile(file, '{"k":"r","atMs":3,"se');
    const rec = await readRecording(file);
    expect(rec.records.map((x) => x.k)).toEqual(["start", "r"]);
    expect(rec.badLines).toBe(1);
    expect(path.dirname(file)).toBe(dir);
  });

  it("names files by UTC start time, device and session, safely", () => {
    expect(recordingFileName(Date.UTC(2026, 10, 22, 5, 40, 0), "TG/1", "case 1:a")).toBe("2026-11-22T05-40-00Z_TG_1_case_1_a.ndjson");
  });
});
